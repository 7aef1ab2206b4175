"""GAN training on MNIST digits, live: the DCGAN paper's networks by default, the MNIST tutorial's one
preset away."""
from __future__ import annotations

import streamlit as st

from explorer import (controls, downloads, forms, judging, links, live, overview, resources, sidebar, slow_view,
                      state, stored_runs)
from explorer.charts import specs, style
from explorer.charts.digits import histogram_frame
from gan_core import kinds
from gan_core.judging.metrics import DIGIT_SCORE_LABELS
from gan_core.settings.config import ImageConfig
from gan_core.teaching import pictures

page = state.page_state(sidebar.page_name("gan"))
stored_runs.follow(page)  # the run the address names (?run=), before anything is drawn of the page's run
st.title(sidebar.chosen().heading("gan"))
st.caption("A DCGAN learns to write digits; every n_eval iterations: accuracy on real and fake digits, a 10×10 grid of "
           "the same 100 latent points (watch them sharpen) and what a digit classifier makes of them.",
           help="Each iteration one discriminator update on n_batch/2 real and n_batch/2 generated digits, then the "
                "generator on n_batch latent points labelled real. The default is the DCGAN paper's networks, narrow "
                "enough to show readable digits within about a minute on a laptop; the MNIST tutorial's own networks "
                "are one preset away.")
links.show_link_notes()
stored_runs.notice(page)
config = forms.image_form(page)
scale = config.scale if config is not None else page.widget("scale").get(ImageConfig().scale)
data = resources.digits(scale)
resources.data_caption(data)


def make_run(config):
    return kinds.DIGITS.gan(config, classifier=resources.classifier(), digits=data)


controls.show(page, config, make_run, "Press **Train** (or **Step** for one check-in). The default preset "
              "trains for about a minute on a laptop. **Slow motion** takes one iteration apart.", slow=True)

run = page.run
slow_view.panel(page, slow_view.digits, changed=slow_view.verdicts_changed)


def draw(view, ev, training):
    history = view.history_frame()
    judging.show_alarms(view, history)  # above the charts, where they are seen
    left, right = st.columns(2)
    left.image(pictures.image_grid(ev.grid), clamp=True,
               caption=f"generated at iteration {ev.iteration:,} (epoch {ev.epoch:.1f})")
    right.vega_lite_chart(specs.plotted(history)[["iteration", *style.ACCURACY_SERIES]],
                          specs.chart_spec("accuracy"), width="stretch")
    if run.config.networks == "dcgan":
        right.caption("Batch norm: the discriminator judges 100 real, then 100 fake digits, each batch by its own "
                      "statistics (as in training), so a whole batch's verdicts swing together; its loss, the "
                      "score and the grid are steadier.")
    losses = run.losses_frame().iloc[:view.iteration]  # the batches the view has reached
    step = max(len(losses) // 1500, 1)  # keep the plotted history small
    right.vega_lite_chart(losses.iloc[::step], specs.chart_spec("batch_loss"), width="stretch")
    if ev.histogram is not None:
        left, right = st.columns(2)
        left.vega_lite_chart(specs.plotted(history)[["iteration", *style.SCORE_SERIES]],
                             specs.chart_spec("score"), width="stretch")
        right.vega_lite_chart(histogram_frame(ev.histogram, ev.real_histogram),
                              specs.chart_spec("digit_histogram"), width="stretch")
        for col, name in zip(st.columns(4), DIGIT_SCORE_LABELS):
            digits = ".0f" if name == "digits_present" else ".2f"  # a count
            col.metric(DIGIT_SCORE_LABELS[name], f"{ev.scores[name]:{digits}}",
                       help="Scored by the shipped digit classifier on the 100 grid digits.")
            col.caption(f"real digits: {ev.scores[name + '_real']:{digits}}")
    columns = ["iteration", "epoch", "acc_real", "acc_fake", "d_loss", "g_loss"] + (
        ["confidence", "classifier_score"] if ev.scores else [])
    live.table(st, history, columns, training)
    with st.expander("Model overview: one iteration as a graph, with the latest numbers"):
        st.graphviz_chart(overview.dot(ev.row()))
        st.markdown(overview.explanations())
    if not training:
        downloads.buttons(run, ev, losses=True)


live.watch(page, draw, "grid")
if run.history and not page.training and not stored_runs.following(page.app_run):  # (a followed run is re-read)
    judging.learning_rates(page)
