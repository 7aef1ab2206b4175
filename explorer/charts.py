"""Altair chart builders: pure functions of pandas frames (the engine's NumPy pictures, the heat
map's colours and the digit grid, are gan_core.teaching.pictures).

Red is real, blue is fake, everywhere. Every chart has a title, axis labels and a legend.
For live updates a page turns a chart into a spec once (`spec`), then only swaps the
data (`st.vega_lite_chart(frame, spec)`): rebuilding and re-validating an Altair chart on
every check-in would cost more than the training it shows.
"""
from __future__ import annotations

import base64
import functools
import io
import json

import altair as alt
import numpy as np
import pandas as pd

from gan_core.networks.losses import DEFAULT, LOSSES
from gan_core.teaching.pictures import HEAT_TINTS, heat_colors

REAL, FAKE = "#d62728", "#1f77b4"
KIND_COLORS = {"real": REAL, "fake": FAKE, "f(x)": "#999999", "path": "#2ca02c", "point": "#000000",
               "push": "#111111"}
P_REAL_SCALE = alt.Scale(domain=[0, 0.5, 1], range=list(HEAT_TINTS), interpolate="rgb")
ACC_SCALE = alt.Scale(domain=["acc_real", "acc_fake"], range=[REAL, FAKE])
LOSS_SCALE = alt.Scale(domain=["d_loss", "g_loss"], range=["#ff7f0e", "#2ca02c"])
HEIGHT = 300


def iteration_axis(title: str = "iteration") -> alt.X:
    """Whole iterations: with one check-in the default format would label it 50.000000."""
    return alt.X("iteration:Q", title=title, axis=alt.Axis(format=",.0f", tickMinStep=1))


def spec(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite spec without its data, for `st.vega_lite_chart(frame, spec)`."""
    out = chart.to_dict()
    out.pop("datasets", None)
    out.pop("data", None)
    for layer in out.get("layer", []):
        layer.pop("data", None)
    return out


def points_frame(real: np.ndarray | None = None, fake: np.ndarray | None = None, curve: np.ndarray | None = None,
                 **extra: np.ndarray) -> pd.DataFrame:
    """One long frame (x, y, kind) of real, fake and curve points, plus any named extra sets."""
    parts = []
    for kind, pts in (("real", real), ("fake", fake), ("f(x)", curve), *extra.items()):
        if pts is not None and len(pts):
            p = np.asarray(pts, dtype=float)
            parts.append(pd.DataFrame({"x": p[:, 0], "y": p[:, 1], "kind": kind, "order": np.arange(len(p))}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["x", "y", "kind", "order"])


def kind_scale(kinds=("real", "fake")) -> alt.Scale:
    """Red real, blue fake (and the other kinds' colours); the legend lists just these kinds."""
    return alt.Scale(domain=list(kinds), range=[KIND_COLORS[k] for k in kinds])


def samples_chart(frame: pd.DataFrame, title: str = "Real (red) vs fake (blue) samples",
                  x_domain: tuple[float, float] | None = None, y_domain: tuple[float, float] | None = None,
                  kinds=("real", "fake", "f(x)")) -> alt.Chart:
    """Scatter of real and fake points, the target curve as a grey dashed line (and, for the
    latent explorer, a path and a point); x_domain/y_domain fix the axes so points moving
    between check-ins do not rescale the view."""
    x_scale = alt.Scale(domain=list(x_domain), clamp=True) if x_domain else alt.Scale(zero=False)
    y_scale = alt.Scale(domain=list(y_domain), clamp=True) if y_domain else alt.Scale(zero=False)
    base = alt.Chart(frame).encode(
        x=alt.X("x:Q", title="x", scale=x_scale),
        y=alt.Y("y:Q", title="y = f(x)", scale=y_scale),
        color=alt.Color("kind:N", title="samples", scale=kind_scale(kinds)),
    )
    curve = base.mark_line(strokeDash=[4, 3], opacity=0.8).transform_filter(alt.datum.kind == "f(x)")
    dots = base.mark_circle(size=28, opacity=0.75).encode(tooltip=["kind:N", alt.Tooltip("x:Q", format=".3f"),
                                                                   alt.Tooltip("y:Q", format=".3f")])
    dots = dots.transform_filter(alt.FieldOneOfPredicate(field="kind", oneOf=["real", "fake"]))
    path = base.mark_line(point=True, strokeWidth=2).encode(order="order:Q").transform_filter(alt.datum.kind == "path")
    point = base.mark_point(size=260, shape="diamond", filled=True, stroke="white").transform_filter(
        alt.datum.kind == "point")
    return alt.layer(curve, dots, path, point).properties(title=title, height=HEIGHT)


def pair_chart(history: pd.DataFrame, columns: list, value: str, y_title: str, top: float, legend: str,
               scale: alt.Scale, title: str, names: str | None = None) -> alt.Chart:
    """Two history columns as lines against iteration, on a fixed axis [0, top]; `names`, a Vega
    expression, renames the series for the legend."""
    chart = alt.Chart(history).transform_fold(columns, as_=["series", value])
    if names:
        chart = chart.transform_calculate(series=names)
    return chart.mark_line(point=True).encode(
        x=iteration_axis(),
        y=alt.Y(f"{value}:Q", title=y_title, scale=alt.Scale(domain=[0, top])),
        color=alt.Color("series:N", title=legend, scale=scale),
        tooltip=["iteration:Q", "series:N", alt.Tooltip(f"{value}:Q", format=".2f")],
    ).properties(title=title, height=HEIGHT)


def accuracy_chart(history: pd.DataFrame) -> alt.Chart:
    """acc_real (red) and acc_fake (blue) of the discriminator against iteration."""
    return pair_chart(history, ["acc_real", "acc_fake"], "accuracy", "discriminator accuracy", 1, "accuracy",
                      ACC_SCALE, "Discriminator accuracy")


def loss_chart(history: pd.DataFrame, loss: str = DEFAULT, columns=("d_loss", "g_loss")) -> alt.Chart:
    """Mean losses per chunk against iteration, with the discriminator's loss at a coin toss dotted
    (the log loss's ln 2 = 0.69) where the loss has one."""
    the_loss = LOSSES[loss]
    lines = alt.Chart(history).transform_fold(list(columns), as_=["series", "loss"]).mark_line(point=True).encode(
        x=iteration_axis(),
        y=alt.Y("loss:Q", title=the_loss.axis, scale=alt.Scale(zero=False)),
        color=alt.Color("series:N", title="loss", scale=LOSS_SCALE),
        tooltip=["iteration:Q", "series:N", alt.Tooltip("loss:Q", format=".3f")],
    )
    if the_loss.chance is None:
        return lines.properties(title="Losses", height=HEIGHT)
    rule = alt.Chart(history).mark_rule(strokeDash=[2, 2], color="#888").encode(y=alt.datum(the_loss.chance))
    level = "ln 2" if the_loss.chance == float(np.log(2)) else f"{the_loss.chance:g}"
    return alt.layer(lines, rule).properties(title=f"Losses (dotted: {level}, a coin toss)", height=HEIGHT)


DISTANCE_COLORS = {"curve_error": "#9467bd", "energy": "#8c564b", "wasserstein": "#e377c2"}


LOG_TICKS = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100]  # a symlog axis's ticks: no "0" (it read as a distance reached)


def distance_chart(history: pd.DataFrame, metrics=("curve_error", "energy")) -> alt.Chart:
    """Distances of the fake samples (solid: curve error and energy distance for a function, energy
    alone for a point set), their real-vs-real floor (dashed)."""
    metrics = list(metrics)
    series = metrics + [m + "_floor" for m in metrics]
    return alt.Chart(history).transform_fold(series, as_=["series", "distance"]).transform_calculate(
        metric="replace(datum.series, '_floor', '')",
        sample="indexof(datum.series, '_floor') >= 0 ? 'real vs real (floor)' : 'fake vs real'",
    ).mark_line().encode(  # no points: they would hide the floor's dashes
        x=iteration_axis(),
        # symlog: the first check-ins' large distances would flatten the rest on a linear axis
        y=alt.Y("distance:Q", title="distance (lower is better)", scale=alt.Scale(type="symlog", constant=0.01),
                axis=alt.Axis(values=LOG_TICKS, format="~g")),
        color=alt.Color("metric:N", title="metric", scale=alt.Scale(domain=metrics,
                                                                     range=[DISTANCE_COLORS[m] for m in metrics])),
        strokeDash=alt.StrokeDash("sample:N", title="sample",
                                  scale=alt.Scale(domain=["fake vs real", "real vs real (floor)"],
                                                  range=[[1, 0], [4, 3]]),
                                  legend=alt.Legend(symbolType="stroke", symbolStrokeColor="#555", symbolStrokeWidth=2)),
        tooltip=["iteration:Q", "series:N", alt.Tooltip("distance:Q", format=".4f")],
    ).properties(title="Distances to the real data", height=HEIGHT)


def heat_image(grid: np.ndarray) -> str:
    """The heat map of an n×n decision grid (rows x, y, p_real; x fastest, y rising) as a PNG data
    URL spanning exactly the grid's bounds: each grid point's colour fills the cell around it, two
    pixels a side (one at the borders, where the plot clips the cell), as n×n rects would."""
    from PIL import Image

    grid = np.asarray(grid)
    n = int(round(np.sqrt(len(grid))))
    cells = heat_colors(grid[:, 2].reshape(n, n))[::-1]  # image rows run downwards, y upwards
    pixels = cells.repeat(2, axis=0).repeat(2, axis=1)[1:-1, 1:-1]
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG", compress_level=1)  # 5x faster than the default, as small
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


DENSITY_PIXELS = 160  # the density image's side


def density_image(manifold: np.ndarray, x_domain, y_domain) -> str | None:
    """GAN Lab's manifold shading, as a PNG data URL spanning the domains: each cell of the warped
    latent grid holds the same share of the latent distribution (latent.grid's equally likely steps),
    so its density is that share over its area, drawn as grey with opacity rising with it: the median
    cell a quarter dark, cells four times denser or more at most (a fold's tiny cells would wash out
    the rest on a scale to the densest). None for a line (no cells)."""
    from PIL import Image, ImageDraw

    m = np.asarray(manifold, dtype=float)
    n = int(round(np.sqrt(len(m))))
    if n * n != len(m) or n < 2:
        return None
    grid = m.reshape(n, n, 2)
    quads = np.stack([grid[:-1, :-1], grid[:-1, 1:], grid[1:, 1:], grid[1:, :-1]], axis=2).reshape(-1, 4, 2)
    x, y = quads[..., 0], quads[..., 1]
    area = 0.5 * np.abs((x * np.roll(y, -1, axis=1) - np.roll(x, -1, axis=1) * y).sum(axis=1))  # shoelace
    density = 1.0 / np.maximum(area, 1e-12)
    alpha = np.clip(density / (4 * np.median(density)), 0, 1) * 160  # at most 60 % dark: the verdict shows through
    size = DENSITY_PIXELS
    corners = size * np.stack([(x - x_domain[0]) / (x_domain[1] - x_domain[0]),
                               (y_domain[1] - y) / (y_domain[1] - y_domain[0])], axis=-1)  # image rows run down
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    for cell, value in sorted(zip(corners, alpha), key=lambda pair: pair[1]):  # dense cells on top
        draw.polygon([tuple(c) for c in cell], fill=int(value))
    image = Image.merge("RGBA", (*(Image.new("L", (size, size), 30),) * 3, mask))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def mesh_frame(manifold: np.ndarray) -> pd.DataFrame:
    """The generator's warped latent grid (rows (x, y) of an n×n grid, z[0] fastest; or one line) as
    lines: kind "mesh", one `line` per grid row and per grid column, points in `order`."""
    m = np.asarray(manifold, dtype=float)
    n = int(round(np.sqrt(len(m))))
    if n * n != len(m) or n < 2:
        return pd.DataFrame({"x": m[:, 0], "y": m[:, 1], "kind": "mesh", "line": "z", "order": np.arange(len(m))})
    grid = m.reshape(n, n, 2)
    parts = [pd.DataFrame({"x": points[:, 0], "y": points[:, 1], "kind": "mesh", "line": f"{axis}{i}",
                           "order": np.arange(n)})
             for axis, lines in (("r", grid), ("c", grid.transpose(1, 0, 2))) for i, points in enumerate(lines)]
    return pd.concat(parts, ignore_index=True)


def plane_frame(grid: np.ndarray, real: np.ndarray, fake: np.ndarray, curve: np.ndarray | None = None,
                push: np.ndarray | None = None, arrow_length: float = 0.0,
                manifold: np.ndarray | None = None) -> pd.DataFrame:
    """The GAN's plane: the discriminator's P(real) on its grid as one image (a "heat" row: 1,600
    rects would cost the browser more on every redraw than the rest of the page), the samples, the
    curve, and an arrow (x, y) -> (x2, y2) per pushed fake sample, the longest arrow_length long."""
    grid = np.asarray(grid, dtype=float)
    (x0, y0), (x1, y1) = grid[:, :2].min(axis=0), grid[:, :2].max(axis=0)
    parts = [pd.DataFrame({"x": [x0], "y": [y0], "x2": [x1], "y2": [y1], "url": [heat_image(grid)],
                           "kind": "heat", "order": 0}),
             # the P(real) legend's ends (drawn as nothing)
             pd.DataFrame({"x": x0, "y": y0, "p_real": [0.0, 1.0], "kind": "scale", "order": 0}),
             points_frame(real=real, fake=fake, curve=curve)]
    if push is not None and len(push) and arrow_length > 0:
        d = push[:, 2:].astype(float)
        scale = arrow_length / max(float(np.linalg.norm(d, axis=1).max()), 1e-12)
        parts.append(pd.DataFrame({
            "x": push[:, 0], "y": push[:, 1], "x2": push[:, 0] + scale * d[:, 0], "y2": push[:, 1] + scale * d[:, 1],
            # a triangle-up mark turned to point along (dx, dy): Vega's angle is clockwise from up
            "angle": (90 - np.degrees(np.arctan2(d[:, 1], d[:, 0]))) % 360, "kind": "push", "order": 0}))
    if manifold is not None:
        if shading := density_image(manifold, (x0, x1), (y0, y1)):
            parts.append(pd.DataFrame({"x": [x0], "y": [y0], "x2": [x1], "y2": [y1], "url": [shading],
                                       "kind": "density", "order": 0}))
        parts.append(mesh_frame(manifold))
    return pd.concat(parts, ignore_index=True)


PLANE_SIZE = HEIGHT  # a 2-D point set's plot area, this many pixels each way (a phone's column is about 360 wide)
PLANE_TITLE = "Samples over the discriminator's P(real)"


def square_domains(x_domain, y_domain):
    """Both domains widened about their centres to the larger span: equal units on a square plot."""
    half = max(x_domain[1] - x_domain[0], y_domain[1] - y_domain[0]) / 2
    return tuple(((lo + hi) / 2 - half, (lo + hi) / 2 + half) for lo, hi in (x_domain, y_domain))


# slow motion's "what this part changed": P(real) drawn as 0.5 + half its change over the largest (slow_view.change)
CHANGE_LABELS = "datum.value < 0.25 ? 'fell most' : datum.value > 0.75 ? 'rose most' : 'no change'"


def plane_chart(frame: pd.DataFrame, x_domain, y_domain,
                title: str = PLANE_TITLE, square: bool = False, change: bool = False) -> alt.LayerChart:
    """GAN Lab's view: the discriminator's P(real) as a heat map (red: real, blue: fake) behind
    the samples, the target curve dashed, and arrows where the discriminator pushes fake
    samples (the generator's gradient). `square` (a 2-D point set): a PLANE_SIZE square with equal
    units on both axes, so that a ring is round; else (a 1-D function) as wide as its column."""
    if square:
        x_domain, y_domain = square_domains(x_domain, y_domain)
    x = alt.Scale(domain=list(x_domain), clamp=True, nice=False)
    y = alt.Scale(domain=list(y_domain), clamp=True, nice=False)
    base = alt.Chart(frame)
    heat = base.transform_filter(alt.datum.kind == "heat").mark_image(aspect=False, smooth=False).encode(
        x=alt.X("x:Q", title="x", scale=x), x2="x2:Q", y=alt.Y("y:Q", title="y", scale=y), y2="y2:Q", url="url:N")
    density = base.transform_filter(alt.datum.kind == "density").mark_image(aspect=False).encode(
        x=alt.X("x:Q", scale=x), x2="x2:Q", y=alt.Y("y:Q", scale=y), y2="y2:Q", url="url:N")
    legend = base.transform_filter(alt.datum.kind == "scale").mark_rect(opacity=0).encode(
        x=alt.X("x:Q", scale=x), y=alt.Y("y:Q", scale=y),
        fill=alt.Fill("p_real:Q", title="change of P(real)" if change else "P(real)", scale=P_REAL_SCALE,
                      legend=alt.Legend(values=[0, 0.5, 1], labelExpr=CHANGE_LABELS) if change else alt.Undefined))
    curve = base.transform_filter(alt.datum.kind == "f(x)").mark_line(strokeDash=[4, 3], color="#555").encode(
        x=alt.X("x:Q", scale=x), y=alt.Y("y:Q", scale=y), order="order:Q")
    mesh = base.transform_filter(alt.datum.kind == "mesh").mark_line(color="#333333", strokeWidth=0.8,
                                                                     opacity=0.55).encode(
        x=alt.X("x:Q", scale=x), y=alt.Y("y:Q", scale=y), detail="line:N", order="order:Q")
    dots = base.transform_filter(alt.FieldOneOfPredicate(field="kind", oneOf=["real", "fake"])).mark_circle(
        size=26, opacity=0.95, stroke="white", strokeWidth=0.6).encode(
        x=alt.X("x:Q", scale=x), y=alt.Y("y:Q", scale=y),
        color=alt.Color("kind:N", title="samples", scale=kind_scale(), legend=alt.Legend(orient="bottom")),
        tooltip=["kind:N", alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("y:Q", format=".3f")])
    pushed = base.transform_filter(alt.datum.kind == "push")
    shafts = pushed.mark_rule(color=KIND_COLORS["push"], strokeWidth=1.2).encode(
        x=alt.X("x:Q", scale=x), y=alt.Y("y:Q", scale=y), x2="x2:Q", y2="y2:Q")
    heads = pushed.mark_point(shape="triangle-up", size=30, filled=True, color=KIND_COLORS["push"]).encode(
        x=alt.X("x2:Q", scale=x), y=alt.Y("y2:Q", scale=y), angle=alt.Angle("angle:Q", scale=None))
    chart = alt.layer(heat, density, legend, curve, mesh, dots, shafts, heads).properties(title=title)
    if not square:
        return chart.properties(height=HEIGHT + 60)
    # "pad": width and height are the plot area's (Streamlit's default "fit" squeezes the axes and legends
    # into them); both legends below it, so that the chart fits a half-page column
    return chart.properties(width=PLANE_SIZE, height=PLANE_SIZE, autosize=alt.AutoSizeParams(
        type="pad", contains="padding")).configure_legend(orient="bottom", direction="horizontal")


# ---- 1-D samples: numbers on a line -------------------------------------------------------

D_COLOR = "#2ca02c"


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
               change: bool = False) -> alt.LayerChart:
    """The real (red) and fake (blue) densities, the discriminator's D(x) = P(real) in green on its
    own axis (`change`: slow motion's change of it), and arrows along the x axis where D pushes the fakes."""
    x = alt.X("x:Q", title="x", scale=alt.Scale(domain=list(x_domain), nice=False, clamp=True))
    base = alt.Chart(frame)
    densities = base.transform_filter(alt.FieldOneOfPredicate(field="kind", oneOf=["real", fake_label])).mark_area(
        opacity=0.35, line=True, interpolate="monotone").encode(
        x=x, y=alt.Y("density:Q", title="density of x", stack=None),
        color=alt.Color("kind:N", title="samples", scale=alt.Scale(domain=["real", fake_label], range=[REAL, FAKE]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=["kind:N", alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("density:Q", format=".3f")])
    p_axis = alt.Y("p_real:Q", title="change of D(x)" if change else "D(x) = P(real)", scale=alt.Scale(domain=[0, 1]),
                   axis=alt.Axis(titleColor=D_COLOR, values=[0, 0.5, 1], labelExpr=CHANGE_LABELS) if change
                   else alt.Axis(titleColor=D_COLOR))
    curve = base.transform_filter(alt.datum.kind == "D(x)").mark_line(color=D_COLOR, strokeWidth=2.5).encode(
        x=x, y=p_axis, tooltip=[alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("p_real:Q", format=".3f", title="D(x)")])
    pushed = base.transform_filter(alt.datum.kind == "push")
    shafts = pushed.mark_rule(color=KIND_COLORS["push"], strokeWidth=1.2).encode(x=x, x2="x2:Q", y=p_axis)
    heads = pushed.mark_point(shape="triangle-up", size=30, filled=True, color=KIND_COLORS["push"]).encode(
        x=alt.X("x2:Q", scale=alt.Scale(domain=list(x_domain), nice=False, clamp=True)), y=p_axis,
        angle=alt.Angle("angle:Q", scale=None))
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
    lines = base.mark_rule(color="#7f7f7f", strokeWidth=1, opacity=0.7).encode(
        x=alt.X("z:Q", title="value (z below, x above)", scale=scale), y=y, x2="x:Q", y2="top:Q",
        tooltip=[alt.Tooltip("z:Q", format=".3f"), alt.Tooltip("x:Q", format=".3f", title="G(z)")])
    zs = base.mark_circle(size=22, color="#555555").encode(x=alt.X("z:Q", scale=scale), y=y)
    xs = base.mark_circle(size=22, color=FAKE).encode(x=alt.X("x:Q", scale=scale), y=alt.Y("top:Q", scale=y_scale))
    return alt.layer(lines, zs, xs).properties(title=title, height=HEIGHT)


def modes_chart(history: pd.DataFrame, n_modes: int) -> alt.LayerChart:
    """Modes captured by the fake samples (solid) and by real ones (dashed) against iteration."""
    lines = alt.Chart(history).transform_fold(["modes", "modes_floor"], as_=["series", "count"]).transform_calculate(
        sample="datum.series == 'modes' ? 'fake' : 'real (floor)'",
    ).mark_line(point=True).encode(
        x=iteration_axis(),
        y=alt.Y("count:Q", title=f"modes captured (of {n_modes})", scale=alt.Scale(domain=[0, n_modes])),
        color=alt.Color("sample:N", title="samples", scale=alt.Scale(domain=["fake", "real (floor)"],
                                                                    range=[FAKE, REAL])),
        strokeDash=alt.StrokeDash("sample:N", legend=None, scale=alt.Scale(domain=["fake", "real (floor)"],
                                                                          range=[[1, 0], [4, 3]])),
        tooltip=["iteration:Q", "sample:N", "count:Q"],
    )
    return lines.properties(title="Modes captured (a mode: a sample within 3σ of its centre)", height=HEIGHT)


# ---- MNIST -------------------------------------------------------------------------------

SUCCESS_SCALE = alt.Scale(domain=["worked", "did not"], range=["#2ca02c", "#d62728"])


def sweep_frame(history: pd.DataFrame, summary: pd.DataFrame, metric: str) -> pd.DataFrame:
    """A sweep's metric per seed and check-in (iteration, seed, value, outcome: whether the seed
    worked in the end, as its summary row says)."""
    worked = dict(zip(summary.seed, summary.success))
    frame = history[["iteration", "seed", metric]].rename(columns={metric: "value"})
    return frame.assign(outcome=frame.seed.map(lambda s: "worked" if worked.get(s) else "did not"))


def sweep_chart(frame: pd.DataFrame, label: str, log: bool = False) -> alt.LayerChart:
    """Every seed's curve of one metric, coloured by whether the seed worked in the end, under the
    median over the seeds (black) and the band between the 25th and 75th percentiles (grey)."""
    label = " ".join(label.split())
    y_scale = alt.Scale(type="symlog", constant=0.01) if log else alt.Scale()
    y_axis = alt.Axis(values=LOG_TICKS, format="~g") if log else alt.Axis()
    base = alt.Chart(frame)
    band = base.mark_area(opacity=0.25, color="#888888").encode(
        x=iteration_axis(), y=alt.Y("q25:Q", title=label, scale=y_scale, axis=y_axis), y2="q75:Q",
    ).transform_aggregate(q25="q1(value)", q75="q3(value)", groupby=["iteration"])
    seeds = base.mark_line(opacity=0.45, strokeWidth=1).encode(
        x=iteration_axis(), y=alt.Y("value:Q", title=label, scale=y_scale), detail="seed:N",
        color=alt.Color("outcome:N", title="seed", scale=SUCCESS_SCALE),
        tooltip=["seed:N", "iteration:Q", alt.Tooltip("value:Q", format=".4f"), "outcome:N"])
    median = base.mark_line(color="#000000", strokeWidth=2.5).encode(
        x=iteration_axis(), y=alt.Y("median:Q", title=label, scale=y_scale),
    ).transform_aggregate(median="median(value)", groupby=["iteration"])
    return alt.layer(band, seeds, median).properties(
        title=alt.TitleParams(f"{label[0].upper()}{label[1:]}, every seed",
                              subtitle="black: the median over the seeds; grey: their middle half"), height=HEIGHT)


def sweep_outcome_frame(summary: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Each seed's latest score (seed, value, outcome)."""
    return pd.DataFrame({"seed": summary.seed, metric: summary[metric],
                         "outcome": ["worked" if ok else "did not" for ok in summary.success]})


def sweep_outcome_chart(frame: pd.DataFrame, metric: str, label: str) -> alt.Chart:
    """Each seed's final score, one bar a seed, coloured by whether it worked."""
    label = " ".join(label.split())
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("seed:O", title="seed"), y=alt.Y(f"{metric}:Q", title=label),
        color=alt.Color("outcome:N", title="seed", scale=SUCCESS_SCALE),
        tooltip=["seed:O", alt.Tooltip(f"{metric}:Q", format=".4f"), "outcome:N"],
    ).properties(title=f"{label[0].upper()}{label[1:]} at the latest check-in, per seed", height=HEIGHT)


# runs' colours: neither red nor blue, which mean real and fake everywhere else
RUN_COLORS = ["#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"]


def compare_chart(frame: pd.DataFrame, x: str, y_title: str, title: str) -> alt.Chart:
    """Runs' curves on one axis: a colour per run, a dash per series (acc_real solid, acc_fake
    dashed; d_loss solid, g_loss dashed); x is "iteration" or "seconds"."""
    x_axis = iteration_axis() if x == "iteration" else alt.X("seconds:Q", title="seconds of training")
    return alt.Chart(frame).mark_line().encode(  # no points: the legend then shows each series' dash
        x=x_axis, y=alt.Y("value:Q", title=y_title),
        color=alt.Color("run:N", title="run", legend=alt.Legend(labelLimit=260), scale=alt.Scale(range=RUN_COLORS)),
        strokeDash=alt.StrokeDash("series:N", title="series", legend=alt.Legend(
            symbolType="stroke", symbolStrokeColor="#555", symbolStrokeWidth=2)),
        tooltip=["run:N", "series:N", "iteration:Q", alt.Tooltip("seconds:Q", format=".2f"),
                 alt.Tooltip("value:Q", format=".4f")],
    ).properties(title=title, height=HEIGHT)


def histogram_frame(fake: np.ndarray, real: np.ndarray) -> pd.DataFrame:
    """Predicted-digit counts of fake and real images, long format (digit, kind, count)."""
    return pd.DataFrame({"digit": list(range(10)) * 2, "kind": ["fake"] * 10 + ["real"] * 10,
                         "count": np.concatenate([fake, real]).astype(int)})


def digit_histogram_chart(frame: pd.DataFrame) -> alt.Chart:
    """Bars per digit 0-9 of what the classifier sees in fake (blue) and real (red) images."""
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("digit:O", title="predicted digit"),
        xOffset=alt.XOffset("kind:N", sort=["real", "fake"]),
        y=alt.Y("count:Q", title="images"),
        color=alt.Color("kind:N", title="images", scale=kind_scale()),
        tooltip=["digit:O", "kind:N", "count:Q"],
    ).properties(title="Digits made (the classifier's verdicts)", height=HEIGHT)


SCORE_SCALE = alt.Scale(domain=["generated digits", "real digits"], range=[FAKE, REAL])


def score_chart(history: pd.DataFrame) -> alt.Chart:
    """The classifier score of the grid's digits (blue) and of as many real ones (red) against iteration."""
    return pair_chart(history, ["classifier_score", "classifier_score_real"], "score", "classifier score (10 at best)",
                      10, "score of", SCORE_SCALE, "Classifier score: readable digits?",
                      names="datum.series == 'classifier_score' ? 'generated digits' : 'real digits'")


def batch_loss_chart(losses: pd.DataFrame) -> alt.Chart:
    """Per-batch d and g losses (the tutorial's d=… g=… lines) against iteration."""
    return alt.Chart(losses).transform_fold(["d_loss", "g_loss"], as_=["series", "loss"]).mark_line(
        strokeWidth=1).encode(
        x=iteration_axis("iteration (batch)"),
        y=alt.Y("loss:Q", title="binary cross-entropy", scale=alt.Scale(zero=False)),
        color=alt.Color("series:N", title="loss", scale=LOSS_SCALE),
    ).properties(title="Losses per batch", height=HEIGHT)


# ---- chart preparation for live views: thinned history, specs built once, fixed axes ----------

def plotted(history: pd.DataFrame, max_rows: int = 200) -> pd.DataFrame:
    """The history thinned to at most about max_rows evenly spaced check-ins (the newest always
    kept): long runs would otherwise make every redraw slower in the browser."""
    step = -(-len(history) // max_rows)
    if step <= 1:
        return history
    return history.iloc[sorted({*range(len(history) - 1, -1, -step)})]


@functools.lru_cache(maxsize=64)
def _spec_json(name: str, *args) -> str:
    empty = pd.DataFrame()
    builders = {
        "accuracy": lambda: accuracy_chart(empty),
        "loss": lambda: loss_chart(empty, *args),
        "distance": lambda: distance_chart(empty, *args),
        "plane": lambda: plane_chart(empty, *args),
        "line": lambda: line_chart(empty, *args),
        "map": lambda: map_chart(empty, *args),
        "modes": lambda: modes_chart(empty, *args),
        "samples": lambda: samples_chart(empty, "Real (red) vs fake (blue) samples", args[0], args[1]),
        "batch_loss": lambda: batch_loss_chart(empty),
        "digit_histogram": lambda: digit_histogram_chart(empty),
        "score": lambda: score_chart(empty),
        "sweep": lambda: sweep_chart(empty, *args),
        "sweep_outcome": lambda: sweep_outcome_chart(empty, *args),
    }
    return json.dumps(spec(builders[name]()))


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


# ---- settings grids ------------------------------------------------------------------------

def grid_frame(cells: pd.DataFrame, names: list[str], score: str) -> pd.DataFrame:
    """A grid's cells for the heat map: cell, x and y (the settings' values as text; y "all" for a
    one-setting grid), worked (share), median (the main score), seeds, label ("3/4", ★ for the best)."""
    y = cells[names[1]].astype(str) if len(names) > 1 else "all"
    worked = (cells.worked * cells.seeds).round().astype(int)
    return pd.DataFrame({"cell": cells.cell, "x": cells[names[0]].astype(str), "y": y, "worked": cells.worked,
                         "median": cells["median"], "seeds": cells.seeds,
                         "label": [f"{'★ ' if best else ''}{w}/{n}" for w, n, best in zip(worked, cells.seeds, cells.best)],
                         "best": cells.best}).rename(columns={"median": score})


def grid_chart(frame: pd.DataFrame, x_title: str, y_title: str, score: str, score_label: str,
               x_order: list[str], y_order: list[str], selectable: bool = True) -> alt.LayerChart:
    """The share of seeds that worked per cell (green: all, red: none), the count in each cell and
    a ★ and a black frame on the best; the median score on hover; a click selects a cell."""
    base = alt.Chart(frame).encode(x=alt.X("x:O", title=x_title, sort=x_order, axis=alt.Axis(labelAngle=0)),
                                   y=alt.Y("y:O", title=y_title, sort=y_order[::-1]))
    tooltip = [alt.Tooltip("x:N", title=x_title), alt.Tooltip("y:N", title=y_title),
               alt.Tooltip("worked:Q", title="share of seeds that worked", format=".0%"),
               alt.Tooltip(f"{score}:Q", title=f"median {score_label}", format=".4g"), alt.Tooltip("seeds:Q")]
    pick = alt.selection_point(name="cell", fields=["cell"], on="click", clear=False)
    rect = base.mark_rect(stroke="#ffffff", strokeWidth=2).encode(
        color=alt.Color("worked:Q", title="worked", scale=alt.Scale(domain=[0, 1], scheme="redyellowgreen"),
                        legend=alt.Legend(format=".0%")),
        tooltip=tooltip)
    best = base.mark_rect(fill=None, stroke="#000000", strokeWidth=3).encode(tooltip=tooltip).transform_filter(
        alt.datum.best)
    text = base.mark_text(fontSize=14, fontWeight="bold").encode(
        text="label:N", tooltip=tooltip,  # white on the scheme's dark ends, where black could not be read
        color=alt.condition((alt.datum.worked < 0.2) | (alt.datum.worked > 0.85), alt.value("white"),
                            alt.value("black")))
    if selectable:
        rect = rect.add_params(pick).encode(opacity=alt.condition(pick, alt.value(1.0), alt.value(0.55)))
    return alt.layer(rect, best, text).properties(
        title=alt.TitleParams("Share of seeds that worked, per cell",
                              subtitle="★ the best cell (most seeds worked, then the best median); hover for the "
                                       "median score; click a cell for its seeds"),
        height=alt.Step(44 if len(y_order) > 1 else 60))
