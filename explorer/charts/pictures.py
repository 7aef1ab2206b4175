"""A user's pictures' charts: each label-free score of the generated pictures against iteration (solid,
blue) beside its real-vs-real floor (dashed, red): the Fréchet distance of random-network features and the
distance of each generated picture to its nearest training picture (the memorization check)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from .style import DASHED, FAKE, FLOOR, HEIGHT, REAL, SOLID, iteration_axis

PICTURE_SCORES = ("frechet_distance", "nearest_train_distance")  # the history's scores, each with its floor
# what each score's lines are called, the generated pictures' first
SERIES_NAMES = {"frechet_distance": ("generated vs real", "real half vs real half (floor)"),
                "nearest_train_distance": ("generated → nearest training", "training → nearest other (floor)")}
AXES = {"frechet_distance": "Fréchet distance", "nearest_train_distance": "distance (RMS of pixels)"}  # short: a phone
TITLES = {"frechet_distance": "Fréchet distance: do they look like the set? (lower is better, floor dashed)",
          "nearest_train_distance": "Memorization: distance to the nearest training picture (far below the floor: copies)"}


def score_floor_chart(history: pd.DataFrame, score: str) -> alt.Chart:
    """`score` of the generated pictures (solid, blue) and its real-vs-real floor (dashed, red) against iteration,
    both lines named in the legend."""
    fake, floor = SERIES_NAMES[score]
    names = alt.Scale(domain=[fake, floor], range=[FAKE, REAL])
    return alt.Chart(history).transform_fold([score, score + FLOOR], as_=["series", "value"]).transform_calculate(
        line=f"indexof(datum.series, '{FLOOR}') >= 0 ? '{floor}' : '{fake}'",
    ).mark_line(point=True).encode(
        x=iteration_axis(),
        y=alt.Y("value:Q", title=AXES[score], scale=alt.Scale(zero=True)),
        color=alt.Color("line:N", title=None, scale=names,
                        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400)),
        strokeDash=alt.StrokeDash("line:N", legend=None, scale=alt.Scale(domain=[fake, floor], range=[SOLID, DASHED])),
        tooltip=[alt.Tooltip("iteration:Q"), alt.Tooltip("line:N"), alt.Tooltip("value:Q", format=".4f")],
    ).properties(title=alt.TitleParams(TITLES[score], fontSize=12), height=HEIGHT)
