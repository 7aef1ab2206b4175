"""Discriminator lab: the tutorial's discriminator alone, real samples vs uniform noise."""
from __future__ import annotations

import streamlit as st

import mnist_ui
import ui
from gan_core import DiscriminatorRun, charts
from gan_core.metrics import decision_grid

PAGE = "lab"
GRID = 40

mnist_ui.instead(mnist_ui.lab_page)  # on MNIST digits, the same experiment

st.title("Discriminator lab")
st.write("The discriminator alone: each iteration it takes one update on n_batch/2 real samples (label 1) "
         "and one on n_batch/2 uniform noise points in a box (label 0), as the tutorial's "
         "`train_discriminator`. Watch the boundary between *real* (red) and *fake* (blue) form.")

form = ui.SettingsForm(PAGE)
with st.expander("Settings", expanded=True):
    c1, c2, c3 = st.columns(3)
    with c1:
        form.widths("d_hidden", "hidden units", (25,))
        form.activation("d_activation", "activation")
        form.number("d_lr", "learning rate", 0.001, step=0.0005, fmt="%.4f")
    with c2:
        form.number("n_epochs", "n_epochs (iterations)", ui.PAGE_DEFAULTS[PAGE]["n_epochs"], step=100)
        form.number("n_batch", "n_batch", 128, step=2)
        form.number("n_eval", "n_eval (iterations per check-in)", ui.PAGE_DEFAULTS[PAGE]["n_eval"], step=10)
    with c3:
        form.number("noise_low", "noise box low", -1.0, step=0.5, fmt="%.2f")
        form.number("noise_high", "noise box high", 1.0, step=0.5, fmt="%.2f")
        form.number("n_eval_samples", "samples per check-in", 100, step=50)
config = form.config()

run, action = ui.apply_action(PAGE, config, DiscriminatorRun)
ui.controls(PAGE, run)
if run is None or (not run.history and action is None):
    st.info("Set the parameters and press **Train** (or **Step** for a single check-in).")
    st.stop()

progress = st.progress(min(run.iteration / run.n_epochs, 1.0),
                       text=ui.progress_text(run) if run.iteration else
                       "Starting: the first chunk also compiles the training loop (a few seconds)…")
left, right = st.columns([3, 2])
plane_ph = left.empty()
accuracy_ph = right.empty()
table_ph = right.empty()
low, high = run.config.noise_low, run.config.noise_high
x_lim = (min(low, run.target.low), max(high, run.target.high))
curve_y = run.target.curve(200)[:, 1]
y_lim = (min(low, float(curve_y.min())), max(high, float(curve_y.max())))
step = max(x_lim[1] - x_lim[0], y_lim[1] - y_lim[0]) / (GRID - 1)


def draw(run):
    ev = run.history[-1]
    progress.progress(min(run.iteration / run.n_epochs, 1.0), text=ui.progress_text(run))
    grid = decision_grid(run.discriminator, x_lim, y_lim, GRID)
    plane_ph.vega_lite_chart(charts.decision_frame(grid, ev.real, ev.fake), ui.chart_spec("decision", step),
                             width="stretch")
    history = run.history_frame()
    accuracy_ph.vega_lite_chart(ui.plotted(history), ui.chart_spec("accuracy"), width="stretch")
    table = history[["iteration", "acc_real", "acc_fake", "d_loss"]].rename(columns={"d_loss": "loss"})
    table_ph.dataframe(table[::-1],
                       hide_index=True, width="stretch", height=250)


ui.act(PAGE, run, action, draw)
if run.history:
    draw(run)
    st.caption(f"{'Finished' if run.done else 'Stopped'} at {run.iteration:,} of {run.config.n_epochs:,} "
               f"iterations. The tutorial reports real accuracy 1.0 and fake 0.80–0.94 after 1,000.")
