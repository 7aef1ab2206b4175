"""GAN training on samples of one or two numbers (a 1-D function's (x, f(x)), a 2-D point set, 1-D
samples): the tutorial's adversarial loop, live, with every parameter, over the discriminator's view."""
from __future__ import annotations

import streamlit as st

from explorer import (controls, downloads, drawing, examples, forms, judging, links, live, overview, real_data,
                      sidebar, slow_view, state, stored_runs)
from explorer.charts import line, plane, specs, style, training
from gan_core import kinds
from gan_core.judging.metrics import METRIC_LABELS

page = state.page_state(sidebar.page_name("gan"))
stored_runs.follow(page)  # the run the address names (?run=), before anything is drawn of the page's run
defaults = forms.page_defaults(page.name)
entry = sidebar.chosen()  # what its pages show: its view (experiments.py)
kind = entry.kind
st.title(entry.heading("gan"), help="The generator learns to fake the real data while the discriminator learns to "
         "tell them apart. Each iteration the discriminator sees n_batch/2 real and n_batch/2 generated "
         "samples, then the generator learns, through the discriminator, to make samples it calls real. Every "
         "n_eval iterations the charts update.")
if page.run is None:  # once a run exists its charts come first (the title's help keeps the details)
    st.caption(("As in Goodfellow et al. 2014, Figure 1: the real density (red), the generated one (blue), the "
                  "discriminator's D(x) (green), and the generator's map from z to x." if entry.on_line else
                  "Behind the samples, the discriminator's verdict on every point of the plane: red where it says "
                  "*real*, blue where it says *fake*.")
               + (" On a mixture of Gaussians: do the fakes find every mode, or collapse onto a few?"
                  if entry.chooses_set else ""))
links.show_link_notes()
stored_runs.notice(page)

config = forms.gan_form(page, defaults)
target = sidebar.shared_settings()["target"]
if entry.examples:
    examples.button(page, target)
if entry.drawable and target == kind.upload:  # your own 2-D points: draw them
    drawing.canvas(entry)



def before_a_run(expanded: bool) -> None:
    """Before the first run, the real data and the model overview below it (GAN Lab shows both before
    training; the browser then has both charts' code at hand when the first check-in comes)."""
    real_data.show(config, expanded)
    if expanded:
        st.graphviz_chart(overview.dot())
        st.caption("One iteration as a graph (GAN Lab's model overview): once training runs, its edges carry each "
                   "check-in's accuracies and losses.")


controls.show(page, config, lambda c: kinds.of_settings(c).gan(c, sidebar.uploaded_points()),
              "Set the parameters and press **Train** (or **Step** for one check-in) to see the real and "
              "generated samples over the discriminator's verdict, its accuracy, both losses and how close the "
              "fakes are to the real data, every n_eval iterations. **Slow motion** takes one iteration apart.",
              slow=True, note=judging.default_note(config, defaults), real=before_a_run)

run = page.run
x_dom, *y_dom = run.target.bounds()
curve = run.target.curve(200)
SCORES = list(run.target.scores)[:4]
mixture = "modes" in SCORES
DISTANCES = tuple(name for name in SCORES if name in training.DISTANCE_COLORS)
score_chart = ("modes", len(run.target.support)) if mixture else ("distance", DISTANCES)
TABLE_COLUMNS = ["iteration", "acc_real", "acc_fake", "d_loss", "g_loss", *SCORES]
# a row that wraps rather than columns, which a phone stacks one under another above the charts
toggles = st.container(horizontal=True, horizontal_alignment="distribute")
arrows = toggles.toggle("Arrows", **page.widget("arrows").kept(False),
                     help="Where the discriminator pushes the fake samples: the generator's gradient, as in GAN Lab.")
manifold = entry.manifold and toggles.toggle(
    "Manifold", **page.widget("manifold").kept(False),
    help="GAN Lab's manifold: the generator's warped latent grid, a 15×15 grid of equally likely latent points "
         "pushed through the generator" + (f"; with latent_dim {run.config.latent_dim}, the grid spans z[0] and z[1] "
                                           "(the other coordinates 0)" if run.config.latent_dim > 2 else
                                           "; with latent_dim 1, a line" if run.config.latent_dim == 1 else "")
         + ". Each cell holds an equal share of the latent points: where cells shrink, the generator packs its "
         "samples, and the cell is shaded darker.")
graph = toggles.toggle("Model overview", **page.widget("graph").kept(True),
                     help="One iteration as a graph (GAN Lab's model overview), with the latest check-in's numbers "
                          "on its edges; below the charts.")


def main_chart(part_or_check_in, push=None):
    """The page's main chart of a check-in or a slow-motion part: (frame, spec, width)."""
    ev, arrow_length = part_or_check_in, 0.08 * (x_dom[1] - x_dom[0])
    change = getattr(ev, "change", False)  # slow motion's "what this part changed"
    if entry.on_line:
        return (line.line_frame(ev.decision, ev.real, ev.fake, x_dom, push=push, arrow_length=arrow_length),
                specs.chart_spec("line", x_dom, "What this part changed" if change else
                                  "Samples and the discriminator's D(x)", "fake", change), "stretch")
    # a 2-D point set's plane is square (equal units: a ring is round), a function's as wide as its column
    return (plane.plane_frame(ev.decision, ev.real, ev.fake, curve, push, arrow_length=arrow_length,
                               manifold=getattr(ev, "manifold", None) if manifold else None),
            specs.chart_spec("plane", x_dom, *y_dom, "What this part changed" if change else plane.PLANE_TITLE,
                              entry.square, change), "content" if entry.square else "stretch")


def main_chart_in(container, part, push=None):
    frame, spec, width = main_chart(part, push)
    container.vega_lite_chart(frame, spec, width=width)


slow_view.panel(page, main_chart_in, arrows)


def draw(view, ev, training):
    history = view.history_frame()
    judging.show_alarms(view, history, run.config.loss)  # above the charts, where they are seen
    plotted = specs.plotted(history)
    # specs stay identical between check-ins (the iteration is in the progress bar, not the title),
    # so the browser only swaps data; each chart gets only its columns
    views = [main_chart(ev, ev.push if arrows else None)] if ev.decision is not None else []
    if entry.on_line and ev.mapping is not None:
        views.append((line.map_frame(ev.mapping), specs.chart_spec("map", x_dom), "stretch"))
    score_columns = ["iteration"] + [c for c in history.columns if c.split("_floor")[0] in
                                     (("modes",) if mixture else DISTANCES)]
    views += [(plotted[["iteration", *style.ACCURACY_SERIES]], specs.chart_spec("accuracy"), "stretch"),
              (plotted[["iteration", *style.LOSS_SERIES]], specs.chart_spec("loss", run.config.loss), "stretch"),
              (plotted[score_columns], specs.chart_spec(*score_chart), "stretch")]
    for i, (frame, spec, width) in enumerate(views):
        if i % 2 == 0:
            columns = st.columns(2)
        columns[i % 2].vega_lite_chart(frame, spec, width=width)
    for col, name in zip(st.columns(len(SCORES)), SCORES):
        fmt = ".0f" if name == "modes" else ".3f"
        col.metric(METRIC_LABELS[name], f"{ev.metrics[name]:{fmt}}")
        col.caption(f"real vs real: {ev.metrics[name + '_floor']:{fmt}}")
    st.caption("Real vs real: what a second real sample scores, i.e. a perfect generator's score.")
    if (raw := f"{SCORES[0]}_raw") in ev.metrics:  # the ema setting: these judge the generator's average
        st.caption(f"These judge the generator's moving average (generator EMA decay); the raw generator, as "
                   f"trained, scores {METRIC_LABELS[SCORES[0]]} {ev.metrics[raw]:.3f}.")
    if graph and not page.parts:
        st.graphviz_chart(overview.dot(ev.row()))
        with st.expander("What each part of the graph does"):
            st.markdown(overview.explanations())
    live.table(st, history, TABLE_COLUMNS, training, height=280,
               column_config={c: st.column_config.NumberColumn(format="%.3f") for c in TABLE_COLUMNS[1:]})


live.watch(page, draw, "samples")
if page.training or stored_runs.following(page.app_run) or not run.history:  # (a followed run is re-read)
    st.stop()
judging.learning_rates(page)

# ---- after (or paused): the composite's summary, downloads -------------------------------
if run.config.pack == 1:  # a packed discriminator takes several samples: no composite to stack
    with st.expander("Composite model (generator then discriminator, as the tutorial's summary)"):
        from gan_core.networks.models import summary_text

        st.code(summary_text(run.composite, freeze=run.discriminator), language=None)
        st.caption("Keras 3 trains the networks with two optimizers, each on its own weights; the frozen "
                   "discriminator shown here is how the tutorial's composite reports its trainable parameters.")
downloads.buttons(run)
