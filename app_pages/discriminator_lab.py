"""Discriminator lab on samples of one or two numbers (a 1-D function's, a 2-D point set, 1-D
samples): the discriminator alone, real samples vs uniform noise."""
from __future__ import annotations

import streamlit as st

from explorer import controls, forms, links, live, sidebar, state
from explorer.charts import line, plane, specs, style
from gan_core import kinds

page = state.page_state(sidebar.page_name("lab"))
defaults = forms.page_defaults(page.name)
st.title(sidebar.chosen().heading("lab"), help="Each iteration the discriminator takes one update on n_batch/2 real samples "
         "(label 1) and one on n_batch/2 uniform noise points in a box (label 0), as the tutorial's "
         "`train_discriminator`.")
st.caption("The discriminator alone, real samples against uniform noise: watch the boundary between *real* (red) "
           "and *fake* (blue) form over the plane.")
links.show_link_notes()

form = forms.SettingsForm(page, defaults=defaults)  # each field's label, help and range: gan_core/settings/config.py
for column, name in zip(forms.main_row(), ("n_epochs", "n_batch", "n_eval", "d_hidden")):
    with column:
        form.field(name)
with form.panel("More settings: activation, learning rate, noise box"):
    c1, c2, c3 = st.columns(3)
    with c1:
        form.fields("d_activation", "d_lr")
    with c2:
        form.fields("noise_low", "noise_high")
    with c3:
        form.field("n_eval_samples")
config = forms.shared(page, form.config())

controls.show(page, config, lambda c: kinds.of_settings(c).discriminator(c, sidebar.uploaded_points()),
              "Set the parameters and press **Train** to see the discriminator's P(real) over the plane, with "
              "the real samples and the noise, and its accuracy on each, every n_eval iterations.")

entry = sidebar.chosen()  # what its pages show (experiments.py)
x_lim, *y_lim = page.run.plane()


def draw(view, ev, training):
    left, right = st.columns([3, 2])
    if not entry.on_line:  # a 2-D point set's plane is square (equal units), a function's column-wide
        left.vega_lite_chart(plane.plane_frame(ev.decision, ev.real, ev.fake),
                             specs.chart_spec("plane", x_lim, *y_lim, "Discriminator's P(real) over the plane",
                                               entry.square),
                             width="content" if entry.square else "stretch")
    else:  # on a line: the densities of real samples and noise, and D(x)
        left.vega_lite_chart(line.line_frame(ev.decision, ev.real, ev.fake, x_lim, "noise"),
                             specs.chart_spec("line", x_lim, "Real samples, noise and the discriminator's D(x)",
                                               "noise"), width="stretch")
    history = view.history_frame()
    right.vega_lite_chart(specs.plotted(history)[["iteration", *style.ACCURACY_SERIES]],
                          specs.chart_spec("accuracy"), width="stretch")
    live.table(right, history.rename(columns={"d_loss": "loss"}), ["iteration", "acc_real", "acc_fake", "loss"],
               training, column_config={c: st.column_config.NumberColumn(format="%.3f")
                                        for c in ("acc_real", "acc_fake", "loss")})
    if not training and page.name == "lab":
        right.caption("The tutorial reports real accuracy 1.0 and fake 0.80–0.94 after 1,000 iterations.")


live.watch(page, draw, "boundary")
