"""GAN training on a 1-D function: the tutorial's adversarial loop, live, with every parameter."""
from __future__ import annotations

import streamlit as st

from explorer import controls, downloads, forms, links, live, state
from gan_core import GanRun, charts
from gan_core.metrics import METRIC_LABELS

DISTANCE_COLUMNS = ["iteration", "curve_error", "energy", "curve_error_floor", "energy_floor"]
TABLE_COLUMNS = ["iteration", "acc_real", "acc_fake", "d_loss", "g_loss", "curve_error", "coverage", "energy"]

page = state.page_state("gan")
st.title("GAN training")
st.write("Each iteration the discriminator sees n_batch/2 real and n_batch/2 generated samples, then the "
         "generator learns, through the discriminator, to make samples it calls real. "
         "Every **n_eval** iterations the charts below update.")
links.show_link_notes()

form = forms.SettingsForm(page)
with forms.settings_panel(page):
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
        form.number("n_eval", "n_eval (iterations per check-in)", links.PAGE_DEFAULTS["gan"]["n_eval"], step=100)
        form.number("n_eval_samples", "samples per check-in", 100, step=50)
config = form.config()

controls.show(page, config, GanRun,
              "Set the parameters and press **Train** (or **Step** for a single check-in).")

run = page.run
x_dom, y_dom = charts.axes_for(run.target)
curve = run.target.curve(200)


def draw(view, ev, training):
    history = view.history_frame()
    plotted = charts.plotted(history)
    left, right = st.columns(2)
    frame = charts.points_frame(real=ev.real, fake=ev.fake, curve=curve)
    # specs stay identical between check-ins (the iteration is in the progress bar, not the title),
    # so the browser only swaps data; each chart gets only its columns
    left.vega_lite_chart(frame, charts.chart_spec("samples", x_dom, y_dom), width="stretch")
    right.vega_lite_chart(plotted[["iteration", "acc_real", "acc_fake"]], charts.chart_spec("accuracy"),
                          width="stretch")
    left.vega_lite_chart(plotted[["iteration", "d_loss", "g_loss"]], charts.chart_spec("loss"), width="stretch")
    right.vega_lite_chart(plotted[DISTANCE_COLUMNS], charts.chart_spec("distance"), width="stretch")
    for col, name in zip(st.columns(4), ("curve_error", "coverage", "outside", "energy")):
        col.metric(METRIC_LABELS[name], f"{ev.metrics[name]:.3f}")
        col.caption(f"real vs real: {ev.metrics[name + '_floor']:.3f} (a perfect generator's score)")
    live.table(st, history, TABLE_COLUMNS, training, height=280,
               column_config={c: st.column_config.NumberColumn(format="%.3f") for c in TABLE_COLUMNS[1:]})


live.watch(page, draw, "samples")
if page.training or not run.history:
    st.stop()

# ---- after (or paused): the composite's summary, downloads -------------------------------
with st.expander("Composite model (generator then discriminator, as the tutorial's summary)"):
    from gan_core.models import summary_text

    st.code(summary_text(run.composite, freeze=run.discriminator), language=None)
    st.caption("Keras 3 trains the networks with two optimizers, each on its own weights; the frozen "
               "discriminator shown here is how the tutorial's composite reports its 122 trainable parameters.")
downloads.buttons(run)
