"""Discriminator lab on MNIST digits: a convolutional discriminator alone (the DCGAN's or the tutorial's)."""
from __future__ import annotations

import streamlit as st

from explorer import controls, forms, links, live, resources, sidebar, state
from explorer.charts import specs, style
from gan_core import kinds
from gan_core.settings.config import ImageConfig
from gan_core.teaching import pictures

page = state.page_state(sidebar.page_name("lab"))
st.title(sidebar.chosen().heading("lab"))
st.caption("The convolutional discriminator alone: real digits (label 1) against images of uniform noise (label 0). "
           "The tutorial reaches 100 % on both within about 50 batches.")
links.show_link_notes()
data = resources.digits("unit")
resources.data_caption(data)
config = forms.image_form(page, discriminator_only=True)
if config is not None:
    config = ImageConfig(**{**vars(config), "eval_unit": "iterations", "scale": "unit"})


def make_run(config):
    return kinds.DIGITS.discriminator(config, digits=data)


controls.show(page, config, make_run,
              "Press **Train** (or **Step** for one check-in).")


def draw(view, ev, training):
    left, right = st.columns([2, 3])
    left.image(pictures.image_grid(ev.grid[:10]), clamp=True,
               caption=f"real digits: P(real) {ev.scores['p_real_digits']:.2f} on average")
    left.image(pictures.image_grid(ev.grid[10:]), clamp=True,
               caption=f"noise images: P(real) {ev.scores['p_real_noise']:.2f} on average")
    history = view.history_frame()
    right.vega_lite_chart(specs.plotted(history)[["iteration", *style.ACCURACY_SERIES]],
                          specs.chart_spec("accuracy"), width="stretch")
    live.table(right, history, ["iteration", "acc_real", "acc_fake", "d_loss"], training)


live.watch(page, draw, "digits")
