"""GAN training: the tutorial's adversarial loop, live, with every parameter."""
from __future__ import annotations

import streamlit as st

import mnist_ui
import ui
from gan_core import GanRun, charts
from gan_core.metrics import METRIC_LABELS

PAGE = "gan"
DISTANCE_COLUMNS = ["iteration", "curve_error", "energy", "curve_error_floor", "energy_floor"]
TABLE_COLUMNS = ["iteration", "acc_real", "acc_fake", "d_loss", "g_loss", "curve_error", "coverage", "energy"]

mnist_ui.instead(mnist_ui.gan_page)  # on MNIST digits, the same experiment

st.title("GAN training")
st.write("Each iteration the discriminator sees n_batch/2 real and n_batch/2 generated samples, then the "
         "generator learns, through the discriminator, to make samples it calls real. "
         "Every **n_eval** iterations the charts below update.")

form = ui.SettingsForm(PAGE)
with st.expander("Settings", expanded=PAGE + "_run" not in st.session_state):
    c1, c2, c3 = st.columns(3)
    with c1:
        st.markdown("**Generator**")
        form.number("latent_dim", "latent_dim", 5)
        form.widths("g_hidden", "hidden units", (15,))
        form.activation("g_activation", "activation")
        form.number("g_lr", "learning rate", 0.001, step=0.0005, fmt="%.4f")
    with c2:
        st.markdown("**Discriminator**")
        form.widths("d_hidden", "hidden units", (25,))
        form.activation("d_activation", "activation")
        form.number("d_lr", "learning rate", 0.001, step=0.0005, fmt="%.4f")
        form.choice("update", "discriminator update", ["separate", "stacked"], "separate")
    with c3:
        st.markdown("**Training**")
        form.number("n_epochs", "n_epochs (iterations)", 10_000, step=1000)
        form.number("n_batch", "n_batch", 128, step=2)
        form.number("n_eval", "n_eval (iterations per check-in)", ui.PAGE_DEFAULTS[PAGE]["n_eval"], step=100)
        form.number("n_eval_samples", "samples per check-in", 100, step=50)
config = form.config()

run, action = ui.apply_action(PAGE, config, GanRun)
ui.controls(PAGE, run)
if run is not None and config is not None and run.config != config and action in (None, "Stop", "Resume"):
    st.info("The run below keeps the settings it started with; **Train** starts a new one with yours.")

if run is None:
    st.info("Set the parameters and press **Train** (or **Step** for a single check-in).")
    st.stop()

# ---- the live view: placeholders filled after every chunk --------------------------------
progress = st.progress(min(run.iteration / run.n_epochs, 1.0),
                       text=ui.progress_text(run) if run.iteration else
                       "Starting: the first chunk also compiles the training loop (a few seconds)…")
left, right = st.columns(2)
samples_ph = left.empty()
accuracy_ph = right.empty()
loss_ph = left.empty()
distance_ph = right.empty()
metric_cols = st.columns(4)
metric_phs = [(col.empty(), col.empty()) for col in metric_cols]
table_ph = st.empty()
x_dom, y_dom = ui.axes_for(run.target)
curve = run.target.curve(200)


def draw(run, evaluation=None):
    ev = evaluation or run.history[-1]
    history = run.history_frame()
    plotted = ui.plotted(history)
    progress.progress(min(run.iteration / run.n_epochs, 1.0), text=ui.progress_text(run))
    frame = charts.points_frame(real=ev.real, fake=ev.fake, curve=curve)
    # specs stay identical between check-ins (the iteration is in the progress bar, not the title),
    # so the browser only swaps data instead of rebuilding each view
    samples_ph.vega_lite_chart(frame, ui.chart_spec("samples", x_dom, y_dom), width="stretch")
    # each chart gets only its columns: converting the frame for the browser is most of the cost
    accuracy_ph.vega_lite_chart(plotted[["iteration", "acc_real", "acc_fake"]], ui.chart_spec("accuracy"),
                                width="stretch")
    loss_ph.vega_lite_chart(plotted[["iteration", "d_loss", "g_loss"]], ui.chart_spec("loss"), width="stretch")
    distance_ph.vega_lite_chart(plotted[DISTANCE_COLUMNS], ui.chart_spec("distance"), width="stretch")
    for (value_ph, floor_ph), name in zip(metric_phs, ("curve_error", "coverage", "outside", "energy")):
        value_ph.metric(METRIC_LABELS[name], f"{ev.metrics[name]:.3f}")
        floor_ph.caption(f"real vs real: {ev.metrics[name + '_floor']:.3f} (a perfect generator's score)")
    table_ph.dataframe(history[TABLE_COLUMNS][::-1], hide_index=True, width="stretch", height=280,
                       column_config={c: st.column_config.NumberColumn(format="%.3f") for c in TABLE_COLUMNS[1:]})


ui.act(PAGE, run, action, draw)

if not run.history:
    st.info("Press **Step** or **Resume** to start training.")
    st.stop()

# ---- after (or paused): replay any check-in, downloads ------------------------------------
draw(run, ui.replay_choice(PAGE, run, "samples"))
ui.run_caption(run)

with st.expander("Composite model (generator then discriminator, as the tutorial's summary)"):
    from gan_core.models import summary_text

    st.code(summary_text(run.composite, freeze=run.discriminator), language=None)
    st.caption("Keras 3 trains the networks with two optimizers, each on its own weights; the frozen "
               "discriminator shown here is how the tutorial's composite reports its 122 trainable parameters.")

d1, d2, d3 = st.columns(3)
d1.download_button("History (CSV)", run.history_frame().to_csv(index=False), "history.csv", "text/csv",
                   width="stretch")
d3.download_button("Config (JSON)", run.config.to_json(), "config.json", "application/json", width="stretch")
ui.generator_download(d2, run)
