"""Training curves against iteration: the discriminator's accuracy, the losses (per check-in and per
batch), the distances of the fakes to the real data beside their real-vs-real floor, and the modes
captured."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from gan_core.networks.losses import DEFAULT, LOSSES

from .style import (ACC_SCALE, ACCURACY_SERIES, DARK_GREY, DASHED, FAKE, FLOOR, HEIGHT, LOG_TICKS, LOSS_SCALE,
                    LOSS_SERIES, MID_GREY, MODE_SERIES, PAIR_WIDTHS, REAL, SERIES_COLORS, SOLID, iteration_axis)

def pair_chart(history: pd.DataFrame, columns: list, value: str, y_title: str, top: float, legend: str,
               scale: alt.Scale, title: str, names: str | None = None) -> alt.Chart:
    """Two history columns as lines against iteration, on a fixed axis [0, top]; `names`, a Vega
    expression, renames the series for the legend (`scale`'s domain names them as shown, in order).
    The first is drawn wide beneath the second: where they coincide both stay visible."""
    chart = alt.Chart(history).transform_fold(columns, as_=["series", value])
    if names:
        chart = chart.transform_calculate(series=names)
    return chart.mark_line(point=True).encode(
        x=iteration_axis(),
        y=alt.Y(f"{value}:Q", title=y_title, scale=alt.Scale(domain=[0, top])),
        color=alt.Color("series:N", title=legend, scale=scale),
        strokeWidth=alt.StrokeWidth("series:N", scale=alt.Scale(domain=scale.domain, range=PAIR_WIDTHS), legend=None),
        tooltip=[alt.Tooltip("iteration:Q"), alt.Tooltip("series:N"), alt.Tooltip(f"{value}:Q", format=".2f")],
    ).properties(title=title, height=HEIGHT)


def accuracy_chart(history: pd.DataFrame) -> alt.Chart:
    """acc_real (red) and acc_fake (blue) of the discriminator against iteration."""
    return pair_chart(history, list(ACCURACY_SERIES), "accuracy", "discriminator accuracy", 1, "accuracy",
                      ACC_SCALE, "Discriminator accuracy")


def loss_chart(history: pd.DataFrame, loss: str = DEFAULT, columns=LOSS_SERIES) -> alt.Chart:
    """Mean losses per chunk against iteration, with the discriminator's loss at a coin toss dotted
    (the log loss's ln 2 = 0.69) where the loss has one."""
    the_loss = LOSSES[loss]
    lines = alt.Chart(history).transform_fold(list(columns), as_=["series", "loss"]).mark_line(point=True).encode(
        x=iteration_axis(),
        y=alt.Y("loss:Q", title=the_loss.axis, scale=alt.Scale(zero=False)),
        color=alt.Color("series:N", title="loss", scale=LOSS_SCALE),
        tooltip=[alt.Tooltip("iteration:Q"), alt.Tooltip("series:N"), alt.Tooltip("loss:Q", format=".3f")],
    )
    if the_loss.chance is None:
        return lines.properties(title="Losses", height=HEIGHT)
    rule = alt.Chart(history).mark_rule(strokeDash=[2, 2], color=MID_GREY).encode(y=alt.datum(the_loss.chance))
    level = "ln 2" if the_loss.chance == float(np.log(2)) else f"{the_loss.chance:g}"
    return alt.layer(lines, rule).properties(title=f"Losses (dotted: {level}, a coin toss)", height=HEIGHT)


DISTANCE_COLORS = {name: SERIES_COLORS[name] for name in ("curve_error", "energy", "wasserstein")}
DISTANCE_SAMPLES = ("fake vs real", "real vs real (floor)")  # a distance's line, solid, and its floor's, dashed


def distance_chart(history: pd.DataFrame, metrics=("curve_error", "energy")) -> alt.Chart:
    """Distances of the fake samples (solid: curve error and energy distance for a function, energy
    alone for a point set), their real-vs-real floor (dashed)."""
    metrics = list(metrics)
    series = metrics + [m + FLOOR for m in metrics]
    fake, floor = DISTANCE_SAMPLES
    return alt.Chart(history).transform_fold(series, as_=["series", "distance"]).transform_calculate(
        metric=f"replace(datum.series, '{FLOOR}', '')",
        sample=f"indexof(datum.series, '{FLOOR}') >= 0 ? '{floor}' : '{fake}'",
    ).mark_line().encode(  # no points: they would hide the floor's dashes
        x=iteration_axis(),
        # symlog: the first check-ins' large distances would flatten the rest on a linear axis
        y=alt.Y("distance:Q", title="distance (lower is better)", scale=alt.Scale(type="symlog", constant=0.01),
                axis=alt.Axis(values=LOG_TICKS, format="~g")),
        color=alt.Color("metric:N", title="metric", scale=alt.Scale(domain=metrics,
                                                                     range=[DISTANCE_COLORS[m] for m in metrics])),
        strokeDash=alt.StrokeDash("sample:N", title="sample",
                                  scale=alt.Scale(domain=list(DISTANCE_SAMPLES), range=[SOLID, DASHED]),
                                  legend=alt.Legend(symbolType="stroke", symbolStrokeColor=DARK_GREY,
                                                    symbolStrokeWidth=2)),
        tooltip=[alt.Tooltip("iteration:Q"), alt.Tooltip("series:N"), alt.Tooltip("distance:Q", format=".4f")],
    ).properties(title="Distances to the real data", height=HEIGHT)


MODE_SAMPLES = ("fake", "real (floor)")  # the modes the fakes capture, solid, and a real sample's, dashed


def modes_chart(history: pd.DataFrame, n_modes: int) -> alt.LayerChart:
    """Modes captured by the fake samples (solid) and by real ones (dashed) against iteration."""
    fake, floor = MODE_SAMPLES
    lines = alt.Chart(history).transform_fold(list(MODE_SERIES), as_=["series", "count"]).transform_calculate(
        sample=f"datum.series == '{MODE_SERIES[0]}' ? '{fake}' : '{floor}'",
    ).mark_line(point=True).encode(
        x=iteration_axis(),
        y=alt.Y("count:Q", title=f"modes captured (of {n_modes})", scale=alt.Scale(domain=[0, n_modes])),
        color=alt.Color("sample:N", title="samples", scale=alt.Scale(domain=list(MODE_SAMPLES), range=[FAKE, REAL])),
        strokeDash=alt.StrokeDash("sample:N", legend=None, scale=alt.Scale(domain=list(MODE_SAMPLES),
                                                                          range=[SOLID, DASHED])),
        tooltip=[alt.Tooltip("iteration:Q"), alt.Tooltip("sample:N"), alt.Tooltip("count:Q")],
    )
    return lines.properties(title="Modes captured (a mode: a sample within 3σ of its centre)", height=HEIGHT)


def batch_loss_chart(losses: pd.DataFrame) -> alt.Chart:
    """Per-batch d and g losses (the tutorial's d=… g=… lines) against iteration."""
    return alt.Chart(losses).transform_fold(list(LOSS_SERIES), as_=["series", "loss"]).mark_line(
        strokeWidth=1).encode(
        x=iteration_axis("iteration (batch)"),
        y=alt.Y("loss:Q", title="binary cross-entropy", scale=alt.Scale(zero=False)),
        color=alt.Color("series:N", title="loss", scale=LOSS_SCALE),
    ).properties(title="Losses per batch", height=HEIGHT)
