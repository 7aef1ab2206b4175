"""Charts for live views: a chart's spec built once per name and arguments, and only its data changed at
each check-in (`st.vega_lite_chart(frame, chart_spec(name, ...))`: Altair's validation would cost more
than the training it shows); the history thinned for the browser; fixed axes around the real data.

Every chart here names its channels' classes (`x2=alt.X2("x2:Q")`, `tooltip=[alt.Tooltip("kind:N")]`), never a
bare shorthand string: Altair turns each such string into its class with a `from_dict` that hashes its whole
schema first, about 10 ms a channel, which made a page's first live charts twice as slow to build."""
from __future__ import annotations

import functools
import json

import altair as alt
import numpy as np
import pandas as pd

from . import digits, line, pictures, plane, runs, training

def spec(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite spec without its data, for `st.vega_lite_chart(frame, spec)`. Not validated against
    Vega-Lite's schema here: that took 0.1-0.4 s a chart, on a page's first chart after a click
    (tests/test_app.py validates every live chart's spec)."""
    out = chart.to_dict(validate=False)
    out.pop("datasets", None)
    out.pop("data", None)
    for layer in out.get("layer", []):
        layer.pop("data", None)
    return out


def plotted(history: pd.DataFrame, max_rows: int = 200) -> pd.DataFrame:
    """The history thinned to at most about max_rows evenly spaced check-ins (the newest always
    kept): long runs would otherwise make every redraw slower in the browser."""
    step = -(-len(history) // max_rows)
    if step <= 1:
        return history
    return history.iloc[sorted({*range(len(history) - 1, -1, -step)})]


# the live charts by name, each built by its family's function from an empty frame and the name's arguments
BUILDERS = {
    "accuracy": training.accuracy_chart,
    "loss": training.loss_chart,
    "distance": training.distance_chart,
    "modes": training.modes_chart,
    "batch_loss": training.batch_loss_chart,
    "plane": plane.plane_chart,
    "samples": lambda frame, x_domain, y_domain, *_: plane.samples_chart(frame, x_domain=x_domain, y_domain=y_domain),
    "line": line.line_chart,
    # the real data before a run: the run's own chart without the discriminator's verdict
    "real_plane": lambda frame, x_domain, y_domain, title, square: plane.plane_chart(
        frame, x_domain, y_domain, title, square, verdict=False),
    "real_line": lambda frame, x_domain, title: line.line_chart(frame, x_domain, title, verdict=False),
    "map": line.map_chart,
    "digit_histogram": digits.digit_histogram_chart,
    "score": digits.score_chart,
    "picture_score": pictures.score_floor_chart,
    "sweep": runs.sweep_chart,
    "sweep_outcome": runs.sweep_outcome_chart,
}


@functools.lru_cache(maxsize=64)
def _spec_json(name: str, *args) -> str:
    return json.dumps(spec(BUILDERS[name](pd.DataFrame(), *args)))


def chart_spec(name: str, *args) -> dict:
    """A chart's Vega-Lite spec, built once and reused while only its data changes (Altair's
    validation is most of a redraw's cost). A fresh copy: Streamlit edits the dict it is given."""
    return json.loads(_spec_json(name, *args))


def axes_for(target, extra_points=()) -> tuple[tuple[float, float], tuple[float, float]]:
    """Fixed axes around the real data (a target's curve, a point set's support), widened to
    show the extra points given."""
    x_dom, y_dom = target.bounds()
    for pts in extra_points:
        if len(pts):
            pts = np.asarray(pts)
            x_dom = (min(x_dom[0], round(float(pts[:, 0].min()), 3)), max(x_dom[1], round(float(pts[:, 0].max()), 3)))
            y_dom = (min(y_dom[0], round(float(pts[:, 1].min()), 3)), max(y_dom[1], round(float(pts[:, 1].max()), 3)))
    return x_dom, y_dom
