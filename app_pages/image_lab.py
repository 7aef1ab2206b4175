"""Discriminator lab on pictures (MNIST's digits or the visitor's own): a convolutional discriminator alone,
real pictures against uniform noise."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from explorer import controls, forms, links, live, pictures, resources, sidebar, state, uploads
from explorer.charts import specs, style

entry = sidebar.chosen()
page = state.page_state(entry.page_state("lab"))
st.title(entry.heading("lab"))
st.caption("The convolutional discriminator alone: real pictures (label 1) against pictures of uniform noise "
           "(label 0)." + (" The MNIST tutorial's reaches 100 % on both within about 50 batches." if entry.classified
                           else ""))
links.show_link_notes()
config = getattr(forms, entry.form)(page, discriminator_only=True)
if config is not None and entry.classified:  # the lab counts iterations, on digits in [0, 1]
    config = replace(config, eval_unit="iterations", scale="unit")
data = uploads.real_images(entry, "unit")
if entry.classified:
    resources.data_caption(data)


def make_run(config):
    return entry.kind.discriminator(config, **{entry.data_arg: data})


controls.show(page, config, make_run,
              "Press **Train** (or **Step** for one check-in).",
              real=None if entry.classified or data is None else lambda expanded: pictures.real_set(data, expanded))


def draw(view, ev, training):
    left, right = st.columns([2, 3])
    real_name = page.run.real_name
    pictures.show(left, ev.grid[:10], f"real {real_name}: P(real) {ev.scores[f'p_real_{real_name}']:.2f} on average")
    pictures.show(left, ev.grid[10:], f"noise pictures: P(real) {ev.scores['p_real_noise']:.2f} on average")
    history = view.history_frame()
    right.vega_lite_chart(specs.plotted(history)[["iteration", *style.ACCURACY_SERIES]],
                          specs.chart_spec("accuracy"), width="stretch")
    live.table(right, history, ["iteration", "acc_real", "acc_fake", "d_loss"], training)


live.watch(page, draw, "pictures")
