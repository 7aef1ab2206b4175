"""Draw your own 2-D distribution (GAN Lab's drawing tool) with Streamlit's own chart selections
(Altair's point selection, no third-party component): click the plane to drop a blob of points
there, Gaussian with the spread chosen. The points become the sidebar's "your own points", exactly
as an uploaded CSV: they train, bundle and download as one."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from gan_core.data.points import MAX_ABS, MAX_ROWS, MIN_ROWS, points_csv

from . import session
from .charts.style import REAL

LIMIT = 2.0  # the drawing plane: [-LIMIT, LIMIT]²
CELLS = 41  # clickable grid points per axis (invisible marks a click selects)
PER_CLICK = 40


def add(points: np.ndarray, selection: dict, spread: float, rng: np.random.Generator) -> np.ndarray:
    """points with what a chart selection asks for: a click ({"place": [{"x", "y"}]}) adds PER_CLICK
    points around it, N(centre, spread²). Refuses (ValueError, saying what is allowed) a spread or
    points out of range."""
    if not (isinstance(spread, (int, float)) and 0 < spread <= 1):
        raise ValueError(f"The spread must be a number above 0 and at most 1 (got {spread!r}).")
    new = []
    for place in selection.get("place") or []:
        centre = np.array([float(place["x"]), float(place["y"])])
        new.append(centre + spread * rng.standard_normal((PER_CLICK, 2)))
    if not new:
        return points
    out = np.concatenate([points, *new]).astype(np.float32)
    if len(out) > MAX_ROWS or not np.all(np.abs(out) <= MAX_ABS):
        raise ValueError(f"Drawn points are at most {MAX_ROWS:,}, each within ±{MAX_ABS:,}.")
    return out


def chart(points: np.ndarray) -> alt.LayerChart:
    ticks = np.linspace(-LIMIT, LIMIT, CELLS)
    gx, gy = np.meshgrid(ticks, ticks)
    scale = alt.Scale(domain=[-LIMIT, LIMIT], nice=False)
    place = alt.selection_point(name="place", fields=["x", "y"], on="click", nearest=True, clear=False)
    grid = alt.Chart(pd.DataFrame({"x": gx.ravel(), "y": gy.ravel()})).mark_point(opacity=0.001, size=40).encode(
        x=alt.X("x:Q", scale=scale), y=alt.Y("y:Q", scale=scale)).add_params(place)
    drawn = alt.Chart(pd.DataFrame({"x": points[:, 0], "y": points[:, 1]})).mark_circle(
        size=18, color=REAL, opacity=0.8).encode(x=alt.X("x:Q", scale=scale), y=alt.Y("y:Q", scale=scale))
    # "pad": width and height are the plot area's, so that the plane is square with its axes beside it
    return alt.layer(grid, drawn).properties(width=300, height=300, title="Click to drop a blob of points",
                                             autosize=alt.AutoSizeParams(type="pad", contains="padding"))


def canvas(entry) -> None:
    """The drawing plane and its controls, for the sidebar kind `entry` (2-D points)."""
    prefix = entry.prefix
    uploaded_key, seen_key = session.UPLOADED(prefix), session.DRAW_SEEN(prefix)
    uploaded = uploaded_key.get()
    points = uploaded[1] if uploaded and uploaded[0] == "drawn points" else np.zeros((0, 2), np.float32)
    with st.expander("Draw your own points", expanded=uploaded is None or uploaded[0] == "drawn points"):
        spread = st.slider("Spread of a click's blob (σ)", 0.01, 0.5, 0.05, step=0.01,
                           key=session.DRAW_SPREAD(prefix).name)
        event = st.altair_chart(chart(points), on_select="rerun", key=session.DRAW_CHART(prefix).name, width="content")
        selection = dict(event.selection) if event and event.selection else {}
        seen = seen_key.get()
        if selection.get("place") and repr(selection) != seen:  # a selection stays in every rerun: take each once
            seen_key.set(repr(selection))
            try:
                uploaded_key.set(("drawn points", add(points, selection, spread, np.random.default_rng(len(points)))))
                st.rerun()
            except ValueError as err:
                st.error(str(err))
        c1, c2, c3 = st.columns([2, 1, 1])
        c1.caption(f"{len(points):,} points drawn" + (f" (at least {MIN_ROWS} to train)" if len(points) < MIN_ROWS
                                                       else "; they train as your own points"))
        c2.download_button("Download as CSV", points_csv(points), "drawn_points.csv", "text/csv",
                           key=session.DRAW_DOWNLOAD(prefix).name, disabled=not len(points), on_click="ignore")
        if c3.button("Clear the drawing", key=session.DRAW_CLEAR(prefix).name, disabled=not len(points)):
            uploaded_key.pop()
            st.rerun()
