"""The real data before a run, on the pages that train numbers (the GAN page, the Seed sweep): a check-in's
sample of it (n_eval_samples) in the chart a run will draw its fakes over. A visitor sees what the generator
learns to fake before pressing Train, and the browser has the charts' code at hand when the first check-in
comes (loaded after the click, it took Chromium 1.2-1.4 s: bench/results/cache_server.txt)."""
from __future__ import annotations

import numpy as np
import streamlit as st

from . import session, sidebar
from .charts import line, plane, specs

TITLE = "Real samples: what the generator learns to fake"


def show(config, expanded: bool) -> None:
    """The real data of the sidebar's kind, before a run (`expanded`; once a run exists its own chart shows the
    real data). Nothing for a refused setting (its field says why) or your own points (shown where they are
    uploaded or drawn)."""
    entry = sidebar.chosen()
    if config is None or not expanded or config.target == entry.kind.upload:
        return
    target = config.make_target(sidebar.uploaded_points())
    real = target.sample_real(config.n_eval_samples, np.random.default_rng(config.seed))
    x_dom, *y_dom = target.bounds()
    with st.container(key=session.REAL_DATA.name), st.expander(
            f"The real data, as each check-in draws it ({config.n_eval_samples:,} samples)", expanded=True):
        if entry.on_line:
            st.vega_lite_chart(line.line_frame(None, real[:, 0], None, x_dom),
                               specs.chart_spec("real_line", x_dom, TITLE), width="stretch")
        else:
            st.vega_lite_chart(plane.points_frame(real=real, curve=target.curve(200)),
                               specs.chart_spec("real_plane", x_dom, *y_dom, TITLE, entry.square),
                               width="content" if entry.square else "stretch")
