"""The Dirac-GAN lesson's charts: the (θ, ψ) plane with the gradient vector field, the paths of
simultaneous and alternating updates and the equilibrium; and each path's distance to the equilibrium
over the steps."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from .style import BLACK, HEIGHT, LIGHT_GREY, ORANGE, PURPLE

UPDATE_COLORS = {"simultaneous": ORANGE, "alternating": PURPLE}  # neither red nor blue: no real or fake here
SIDE = HEIGHT  # the plane's plot area, this many pixels each way: square, and within a phone's column


def _updates() -> alt.Scale:
    return alt.Scale(domain=list(UPDATE_COLORS), range=list(UPDATE_COLORS.values()))


def view_extent(paths: dict[str, pd.DataFrame]) -> float:
    """Half the plane's side: the paths' reach, at least 1.5, and at most three times the start's
    distance (a path that blows up leaves the view, which says so)."""
    start = float(next(iter(paths.values())).distance.iloc[0])
    reach = max(float(np.abs(p[["theta", "psi"]].to_numpy()).max()) for p in paths.values())
    return float(min(max(1.5, 1.1 * reach), max(3.0, 3.0 * start)))


def arrows(field: pd.DataFrame, extent: float) -> pd.DataFrame:
    """The field as short segments of one length (a tenth of the grid's spacing short of it), their
    direction the field's; `speed` keeps how fast it moves there."""
    spacing = 2 * extent / (np.sqrt(len(field)) - 1)
    speed = np.hypot(field.d_theta, field.d_psi)
    unit = 0.8 * spacing / np.maximum(speed, 1e-12)
    still = speed < 1e-9
    out = field.assign(theta2=field.theta + np.where(still, 0, field.d_theta * unit),
                       psi2=field.psi + np.where(still, 0, field.d_psi * unit), speed=speed)
    out["angle"] = (90 - np.degrees(np.arctan2(out.psi2 - out.psi, out.theta2 - out.theta))) % 360
    return out


def plane_chart(field: pd.DataFrame, paths: dict[str, pd.DataFrame], extent: float) -> alt.LayerChart:
    """The (θ, ψ) plane, square: the field's arrows (grey), each update's path (its colour, named in the
    legend), the start and the equilibrium (0, 0)."""
    scale = alt.Scale(domain=[-extent, extent], nice=False, zero=False)
    x = alt.X("theta:Q", title="θ (the generator's point)", scale=scale)
    y = alt.Y("psi:Q", title="ψ (the discriminator's slope)", scale=scale)
    segments = arrows(field, extent)
    field_rules = alt.Chart(segments).mark_rule(color=LIGHT_GREY, strokeWidth=1.2).encode(
        x=x, y=y, x2=alt.X2("theta2:Q"), y2=alt.Y2("psi2:Q"))
    heads = alt.Chart(segments[segments.speed > 1e-9]).mark_point(
        shape="triangle", size=22, filled=True, color=LIGHT_GREY, opacity=1).encode(
        x=alt.X("theta2:Q", scale=scale), y=alt.Y("psi2:Q", scale=scale), angle=alt.Angle("angle:Q", scale=None))
    rows = pd.concat([p[["step", "theta", "psi", "distance"]].assign(update=name) for name, p in paths.items()])
    lines = alt.Chart(rows).mark_line(strokeWidth=2, clip=True).encode(
        x=x, y=y, order=alt.Order("step:Q"), color=alt.Color("update:N", title="updates", scale=_updates(),
                                                  legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("update:N"), alt.Tooltip("step:Q"), alt.Tooltip("theta:Q", format=".4f"),
                 alt.Tooltip("psi:Q", format=".4f")])
    start = rows[rows.step == 0].head(1)
    marks = pd.DataFrame({"theta": [0.0, float(start.theta.iloc[0])], "psi": [0.0, float(start.psi.iloc[0])],
                          "label": ["equilibrium (0, 0)", "start"]})
    points = alt.Chart(marks).mark_point(shape="cross", size=140, filled=True, color=BLACK).encode(
        x=x, y=y, tooltip=[alt.Tooltip("label:N")])
    labels = alt.Chart(marks).mark_text(align="left", dx=9, dy=12, fontSize=12, fontWeight="bold",
                                        color=BLACK).encode(x=x, y=y, text=alt.Text("label:N"))
    # "pad": width and height are the plot area's (Streamlit's default "fit" squeezed it to 2:1)
    return (field_rules + heads + lines + points + labels).properties(
        width=SIDE, height=SIDE, title="Training's path in the (θ, ψ) plane",
        autosize=alt.AutoSizeParams(type="pad", contains="padding"))


def distance_chart(paths: dict[str, pd.DataFrame]) -> alt.Chart:
    """Each path's distance to the equilibrium, over the steps."""
    rows = pd.concat([p[["step", "distance"]].assign(update=name) for name, p in paths.items()])
    return alt.Chart(rows).mark_line(strokeWidth=2).encode(
        x=alt.X("step:Q", title="step", axis=alt.Axis(format=",.0f", tickMinStep=1)),
        y=alt.Y("distance:Q", title="distance to (0, 0)"),
        color=alt.Color("update:N", title="updates", scale=_updates(), legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("update:N"), alt.Tooltip("step:Q"), alt.Tooltip("distance:Q", format=".4g")],
    ).properties(height=SIDE // 2, title="Distance to the equilibrium",
                 autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))  # the height is the plot's
