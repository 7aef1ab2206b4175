"""GAN training on pictures, live: MNIST's digits (the DCGAN paper's networks by default, the MNIST
tutorial's one preset away) or the visitor's own pictures (a DCGAN sized for their side, DiffAugment).
The kind's entry (explorer/experiments.py) says what its pages show: a classifier's scores, or the
label-free scores and the memorization check."""
from __future__ import annotations

import streamlit as st

from explorer import (controls, downloads, forms, judging, links, live, overview, pictures, resources, sidebar,
                      slow_view, state, stored_runs, uploads)
from explorer.charts import specs, style
from explorer.charts.digits import histogram_frame
from explorer.charts.pictures import PICTURE_SCORES
from gan_core.judging.metrics import DIGIT_SCORE_LABELS, PICTURE_LABELS

entry = sidebar.chosen()
page = state.page_state(entry.page_state("gan"))
stored_runs.follow(page)  # the run the address names (?run=), before anything is drawn of the page's run
st.title(entry.heading("gan"))
if entry.classified:
    st.caption("A DCGAN learns to write digits; every n_eval iterations: accuracy on real and fake digits, a 10×10 "
               "grid of the same 100 latent points (watch them sharpen), what a digit classifier makes of them, a "
               "Fréchet distance on its logits and the memorization check, each beside its real-vs-real floor. With "
               "**pick the digit** on (More settings), both networks are told the digit: a row of the grid per digit, "
               "and how often the classifier reads the digit asked for.",
               help="Each iteration one discriminator update on n_batch/2 real and n_batch/2 generated digits, then "
                    "the generator on n_batch latent points labelled real. The default is the DCGAN paper's networks, "
                    "narrow enough to show readable digits within about a minute on a laptop; the MNIST tutorial's "
                    "own networks are one preset away.")
else:
    st.caption("A DCGAN sized for the pictures' side learns your pictures; every n_eval iterations: accuracy, a "
               "10×10 grid of the same 100 latent points, a Fréchet distance and the memorization check, each "
               "beside its real-vs-real floor.",
               help="No classifier knows your pictures: the Fréchet distance compares the features a fixed, seeded, "
                    "never-trained convolutional network sees in generated and real pictures (its floor: two halves "
                    "of the real set); the memorization check finds each generated picture's nearest training "
                    "picture (its floor: a training picture's nearest other one).")
links.show_link_notes()
stored_runs.notice(page)
config = getattr(forms, entry.form)(page)
scale = config.scale if config is not None else page.widget("scale").get(entry.kind.settings().scale)
data = uploads.real_images(entry, scale)
if entry.classified:
    resources.data_caption(data)


def real(expanded: bool) -> None:
    pictures.real_set(data, expanded)
    if page.run is None:  # once there is a run, Share this run says it
        st.caption(stored_runs.SHARING)


def make_run(config):
    extra = {"classifier": resources.classifier()} if entry.classified else {}
    return entry.kind.gan(config, **{entry.data_arg: data}, **extra)


controls.show(page, config, make_run, "Press **Train** (or **Step** for one check-in)."
              + (" The default trains for about a minute on a laptop." if entry.classified else
                 " At side 32 an iteration takes about 0.1 s on a laptop; side 16 is five times faster.")
              + " **Slow motion** takes one iteration apart.", slow=True,
              real=None if entry.classified or data is None else real)

run = page.run
slow_view.panel(page, slow_view.digits, changed=slow_view.verdicts_changed)


def draw(view, ev, training):
    history = view.history_frame()
    judging.show_alarms(view, history)  # above the charts, where they are seen
    left, right = st.columns(2)
    asked = getattr(run, "grid_digits", None) is not None  # a conditional run: row d asks for digit d
    pictures.show(left, ev.grid, f"generated at iteration {ev.iteration:,} (epoch {ev.epoch:.1f})"
                  + (": row d asks for digit d, a column holds one latent point" if asked else ""))
    if "label_agreement" in ev.scores:
        left.metric("label agreement", f"{ev.scores['label_agreement']:.0%}",
                    help="Of 500 generated digits, 50 asked for each, the share the digit classifier reads as the "
                         "digit asked for (chance: 10 %).")
    right.vega_lite_chart(specs.plotted(history)[["iteration", *style.ACCURACY_SERIES]],
                          specs.chart_spec("accuracy"), width="stretch")
    if run.config.networks == "dcgan":
        right.caption("Batch norm: the discriminator judges 100 real, then 100 fake pictures, each batch by its own "
                      "statistics (as in training), so a whole batch's verdicts swing together; its loss, the "
                      "scores and the grid are steadier.")
    losses = run.losses_frame().iloc[:view.iteration]  # the batches the view has reached
    step = max(len(losses) // 1500, 1)  # keep the plotted history small
    right.vega_lite_chart(losses.iloc[::step], specs.chart_spec("batch_loss"), width="stretch")
    if entry.classified and ev.histogram is not None:
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
    if entry.frechet and "frechet_distance" in ev.scores:  # (MNIST's only with its classifier)
        plotted = specs.plotted(history)
        for column, score in zip(st.columns(2), PICTURE_SCORES):
            column.vega_lite_chart(plotted[["iteration", score, score + style.FLOOR]],
                                   specs.chart_spec("picture_score", score), width="stretch")
            column.metric(PICTURE_LABELS[score], f"{ev.scores[score]:.3f}",
                          help="Of the generated pictures at this check-in; below it, a real sample's (the floor).")
            column.caption(f"floor (real vs real): {ev.scores[score + style.FLOOR]:.3f}")
        raw = [f"{name.replace('_', ' ')} {value:.2f}" for name, value in ev.scores.items() if name.endswith("_raw")]
        if raw:  # the ema setting: the scores judge the generator's average
            st.caption(f"These judge the generator's moving average (generator EMA decay); the raw generator, as "
                       f"trained: {', '.join(raw)}.")
        if ev.nearest is not None:
            pictures.memorization(ev, run.digits, stored_runs.pictures_visible(page.app_run))
    columns = ["iteration", "epoch", "acc_real", "acc_fake", "d_loss", "g_loss"] + (
        ["confidence", "classifier_score"] if entry.classified and ev.scores else []) + (
        [*PICTURE_SCORES] if entry.frechet and "frechet_distance" in ev.scores else []) + (
        ["label_agreement"] if "label_agreement" in ev.scores else [])
    live.table(st, history, columns, training)
    with st.expander("Model overview: one iteration as a graph, with the latest numbers"):
        st.graphviz_chart(overview.dot(ev.row()))
        st.markdown(overview.explanations())
    if not training:
        downloads.buttons(run, ev, losses=True)


live.watch(page, draw, "grid")
if run.history and not page.training and not stored_runs.following(page.app_run):  # (a followed run is re-read)
    judging.learning_rates(page)
