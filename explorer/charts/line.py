"""The line views, a sample being one number (Goodfellow et al. 2014, Figure 1): the real and fake
densities with the discriminator's D(x) on its own axis and the arrows of its push; and the generator's
map, lines from latent points z to where it puts them."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from .style import CHANGE_LABELS, D_COLOR, DARK_GREY, FAKE, GREY, HEIGHT, KIND_COLORS, REAL

def density(values: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """A Gaussian kernel density estimate of values at xs (Silverman's bandwidth), for drawing."""
    v = np.asarray(values, np.float64).ravel()
    width = max(1.06 * v.std() * len(v) ** -0.2, 1e-3 * (xs[-1] - xs[0]), 1e-6)
    u = (xs[:, None] - v[None, :]) / width
    return np.exp(-0.5 * u**2).sum(axis=1) / (len(v) * width * np.sqrt(2 * np.pi))


def line_frame(decision: np.ndarray | None, real: np.ndarray, fake: np.ndarray, x_domain, fake_label: str = "fake",
               push: np.ndarray | None = None, arrow_length: float = 0.0) -> pd.DataFrame:
    """Goodfellow et al.'s Figure 1 as rows: the real and fake densities (kind, x, density), the
    discriminator's D(x) (kind "D(x)", x, p_real) and an arrow x -> x2 per pushed fake sample."""
    xs = np.linspace(*x_domain, 200)
    parts = [pd.DataFrame({"x": xs, "density": density(values, xs), "kind": kind})
             for kind, values in (("real", real), (fake_label, fake)) if values is not None and len(values)]
    if decision is not None:
        parts.append(pd.DataFrame({"x": decision[:, 0], "p_real": decision[:, 1], "kind": "D(x)"}))
    if push is not None and len(push) and arrow_length > 0:
        d = push[:, 1].astype(float)
        x2 = push[:, 0] + arrow_length * d / max(float(np.abs(d).max()), 1e-12)
        parts.append(pd.DataFrame({"x": push[:, 0], "x2": x2, "p_real": 0.04, "kind": "push",
                                   "angle": np.where(d >= 0, 90, 270)}))
    return pd.concat(parts, ignore_index=True)


def line_chart(frame: pd.DataFrame, x_domain, title: str, fake_label: str = "fake",
               change: bool = False, verdict: bool = True) -> alt.LayerChart:
    """The real (red) and fake (blue) densities, the discriminator's D(x) = P(real) in green on its
    own axis (`change`: slow motion's change of it), and arrows along the x axis where D pushes the fakes.
    `verdict` False: the densities alone (the real data before a run: no D(x) yet)."""
    x = alt.X("x:Q", title="x", scale=alt.Scale(domain=list(x_domain), nice=False, clamp=True))
    base = alt.Chart(frame)
    densities = base.transform_filter(alt.FieldOneOfPredicate(field="kind", oneOf=["real", fake_label])).mark_area(
        opacity=0.35, line=True, interpolate="monotone").encode(
        x=x, y=alt.Y("density:Q", title="density of x", stack=None),
        color=alt.Color("kind:N", title="samples", scale=alt.Scale(domain=["real", fake_label], range=[REAL, FAKE])
                        if verdict else alt.Scale(domain=["real"], range=[REAL]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("kind:N"), alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("density:Q", format=".3f")])
    p_axis = alt.Y("p_real:Q", title="change of D(x)" if change else "D(x) = P(real)", scale=alt.Scale(domain=[0, 1]),
                   axis=alt.Axis(titleColor=D_COLOR, values=[0, 0.5, 1], labelExpr=CHANGE_LABELS) if change
                   else alt.Axis(titleColor=D_COLOR))
    curve = base.transform_filter(alt.datum.kind == "D(x)").mark_line(color=D_COLOR, strokeWidth=2.5).encode(
        x=x, y=p_axis, tooltip=[alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("p_real:Q", format=".3f", title="D(x)")])
    pushed = base.transform_filter(alt.datum.kind == "push")
    shafts = pushed.mark_rule(color=KIND_COLORS["push"], strokeWidth=1.2).encode(x=x, x2=alt.X2("x2:Q"), y=p_axis)
    heads = pushed.mark_point(shape="triangle-up", size=30, filled=True, color=KIND_COLORS["push"]).encode(
        x=alt.X("x2:Q", scale=alt.Scale(domain=list(x_domain), nice=False, clamp=True)), y=p_axis,
        angle=alt.Angle("angle:Q", scale=None))
    if not verdict:
        return densities.properties(title=title, height=HEIGHT)
    return alt.layer(densities, alt.layer(curve, shafts, heads)).resolve_scale(y="independent").properties(
        title=title, height=HEIGHT)


def map_frame(mapping: np.ndarray) -> pd.DataFrame:
    """The generator's map as rows (z, x): a latent point on the z line, its sample on the x line."""
    return pd.DataFrame({"z": mapping[:, 0], "x": mapping[:, 1], "bottom": 0.0, "top": 1.0})


def map_chart(frame: pd.DataFrame, x_domain, title: str = "The generator's map: z below, x = G(z) above"):
    """Goodfellow et al.'s lower half of Figure 1: lines from latent points z, equally likely steps
    of N(0, 1), to where the generator puts them; where lines bunch, the generated density is high."""
    scale = alt.Scale(domain=[min(x_domain[0], -3), max(x_domain[1], 3)], nice=False, clamp=True)
    y_scale = alt.Scale(domain=[-0.1, 1.1])
    y = alt.Y("bottom:Q", title=None, scale=y_scale,
              axis=alt.Axis(values=[0, 1], labelExpr="datum.value == 0 ? 'z' : 'x'", grid=False, labelFontSize=14))
    base = alt.Chart(frame)
    lines = base.mark_rule(color=GREY, strokeWidth=1, opacity=0.7).encode(
        x=alt.X("z:Q", title="value (z below, x above)", scale=scale), y=y, x2=alt.X2("x:Q"), y2=alt.Y2("top:Q"),
        tooltip=[alt.Tooltip("z:Q", format=".3f"), alt.Tooltip("x:Q", format=".3f", title="G(z)")])
    zs = base.mark_circle(size=22, color=DARK_GREY).encode(x=alt.X("z:Q", scale=scale), y=y)
    xs = base.mark_circle(size=22, color=FAKE).encode(x=alt.X("x:Q", scale=scale), y=alt.Y("top:Q", scale=y_scale))
    return alt.layer(lines, zs, xs).properties(title=title, height=HEIGHT)
