"""Seed sweep: the GAN page's settings trained on many seeds at once. Is this setting good, or
was the seed lucky? Each seed's curve, the median and the middle half, and how many seeds met
the success criterion; any seed opens on the GAN page as an ordinary run, to look at or continue."""
from __future__ import annotations

import streamlit as st

from explorer import controls, fields, forms, links, live, real_data, session, session_runs, sidebar, state
from explorer.app_run import AppRun
from explorer.charts import runs, specs
from gan_core.judging.metrics import METRIC_LABELS
from gan_core.training.sweep import DEFAULT_SEEDS, MAX_SEEDS, Sweep

page = state.page_state(sidebar.page_name("sweep"))
gan_page = state.page_state(sidebar.page_name("gan"))
st.title(sidebar.chosen().heading("sweep"))
st.caption("Is this setting good, or was the seed lucky? The **GAN training** page's settings (the same fields) "
           "trained on many seeds at once, in one compiled loop; the sidebar's seed is the first one.")
links.show_link_notes()
config = forms.gan_form(gan_page, forms.page_defaults(gan_page.name))
SEEDS_LABEL = f"Seeds (2 to {MAX_SEEDS})"
seeds = fields.count_input(SEEDS_LABEL, page.widget("seeds"), DEFAULT_SEEDS, 2, MAX_SEEDS,
                          help="Seeds seed, seed + 1, ...: each is the run the GAN page would train on that seed.")
if seeds is None:  # refused at the field, never clipped
    session.SETTINGS_ERRORS_AT.set([f"{SEEDS_LABEL} (marked in red above)"])
    seeds, config = DEFAULT_SEEDS, None
controls.show(page, config, lambda c: Sweep(c, seeds, points=sidebar.uploaded_points()),
              f"Press **Train** to train these settings on {seeds} seeds at once.",
              real=lambda expanded: real_data.show(config, expanded))

sweep = page.run
SCORES = list(sweep.target.scores)[:3]
MAIN = SCORES[0]
HIGHER_IS_BETTER = {"modes", "coverage", "high_quality"}
st.caption(f"A seed worked when its latest check-in has {sweep.criterion}. "
           f"{len(sweep.seeds)} seeds, {sweep.seeds[0]} to {sweep.seeds[-1]}.")


def draw(view, check, training):
    views = sweep.views()  # one moment of every seed: the worker appends while this draws
    history = sweep.history_frame(views)
    summary = sweep.summary(history, views)
    if history.empty:
        return
    worked = int(summary.success.sum())
    cols = st.columns(4)
    cols[0].metric("Seeds that worked", f"{worked} of {len(summary)}",
                   help=f"Latest check-in ({int(summary.iteration.max()):,} iterations): {sweep.criterion}.")
    for col, name in zip(cols[1:], SCORES):
        best = summary[name].max() if name in HIGHER_IS_BETTER else summary[name].min()
        fmt = ".1f" if name == "modes" else ".3f"
        col.metric(METRIC_LABELS[name], f"{summary[name].median():{fmt}}", help="The median over the seeds.")
        col.caption(f"median of the seeds · best seed {best:{fmt}} · real vs real "
                    f"{summary[name + '_floor'].median():{fmt}}")
    left, right = st.columns(2)
    label = METRIC_LABELS[MAIN]
    left.vega_lite_chart(runs.sweep_frame(history, summary, MAIN), specs.chart_spec("sweep", label, MAIN != "modes"),
                         width="stretch")
    right.vega_lite_chart(runs.sweep_frame(history, summary, "acc_fake"), specs.chart_spec("sweep", "accuracy on fakes"),
                          width="stretch")
    left.vega_lite_chart(runs.sweep_outcome_frame(summary, MAIN), specs.chart_spec("sweep_outcome", MAIN, label),
                         width="stretch")
    table = summary[["seed", "success", *SCORES, "acc_real", "acc_fake", "alarms"]].rename(
        columns={"success": "worked", "alarms": "what went wrong (alarms)"})
    right.dataframe(table, hide_index=True, width="stretch", height=300,
                    column_config={c: st.column_config.NumberColumn(format="%.3f") for c in SCORES})


live.watch(page, draw, "sweep")
if page.training or not sweep.history:
    st.stop()

# ---- after (or paused): open a seed as a run, downloads ------------------------------------
def open_seed():
    """The chosen seed's run becomes the GAN page's (its own run there is stopped and kept for Compare)."""
    seed = int(session.OPEN_SEED(page.name).get())
    session_runs.hand_over(gan_page, AppRun(sweep.run(seed)), controls.STOP_WAIT_S)
    session.SEED.set(seed)  # the sidebar shows the run's seed (a callback may set a widget)


st.subheader("Open a seed on the GAN training page")
c1, c2 = st.columns([1, 2])
c1.selectbox("Seed", sweep.seeds, key=session.OPEN_SEED(page.name).name)
c2.button("Open this seed's run", on_click=open_seed,
          help="Its history and networks on the GAN training page, replacing that page's run: look at its "
               "samples, replay it, or continue it (Resume) as an ordinary run.")
session_runs.open_page()
c1, c2 = st.columns(2)
views = sweep.views()
history = sweep.history_frame(views)
c1.download_button("History, every seed (CSV)", history.to_csv(index=False), "sweep_history.csv", "text/csv",
                   width="stretch")
c2.download_button("Summary per seed (CSV)", sweep.summary(history, views).to_csv(index=False), "sweep_summary.csv",
                   "text/csv", width="stretch")
