"""The plane views: samples (x, y) over the discriminator's P(real) as a heat map (GAN Lab's view), the
function's curve dashed, the arrows of its push, the generator's warped latent grid; a 2-D point set's
plane square with equal units. And the preview's scatter of samples, a latent path and its point."""
from __future__ import annotations

import base64
import io

import altair as alt
import numpy as np
import pandas as pd

from gan_core.teaching.pictures import HEAT_TINTS, heat_colors

from .style import CHANGE_LABELS, CHARCOAL, DARK_GREY, DASHED, HEIGHT, KIND_COLORS, kind_scale

P_REAL_SCALE = alt.Scale(domain=[0, 0.5, 1], range=list(HEAT_TINTS), interpolate="rgb")


def points_frame(real: np.ndarray | None = None, fake: np.ndarray | None = None, curve: np.ndarray | None = None,
                 **extra: np.ndarray) -> pd.DataFrame:
    """One long frame (x, y, kind) of real, fake and curve points, plus any named extra sets."""
    parts = []
    for kind, pts in (("real", real), ("fake", fake), ("f(x)", curve), *extra.items()):
        if pts is not None and len(pts):
            p = np.asarray(pts, dtype=float)
            parts.append(pd.DataFrame({"x": p[:, 0], "y": p[:, 1], "kind": kind, "order": np.arange(len(p))}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["x", "y", "kind", "order"])


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
    curve = base.mark_line(strokeDash=DASHED, opacity=0.8).transform_filter(alt.datum.kind == "f(x)")
    dots = base.mark_circle(size=28, opacity=0.75).encode(
        tooltip=[alt.Tooltip("kind:N"), alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("y:Q", format=".3f")])
    dots = dots.transform_filter(alt.FieldOneOfPredicate(field="kind", oneOf=["real", "fake"]))
    path = base.mark_line(point=True, strokeWidth=2).encode(order=alt.Order("order:Q")).transform_filter(
        alt.datum.kind == "path")
    point = base.mark_point(size=260, shape="diamond", filled=True, stroke="white").transform_filter(
        alt.datum.kind == "point")
    return alt.layer(curve, dots, path, point).properties(title=title, height=HEIGHT)


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


def plane_chart(frame: pd.DataFrame, x_domain, y_domain,
                title: str = PLANE_TITLE, square: bool = False, change: bool = False,
                verdict: bool = True) -> alt.LayerChart:
    """GAN Lab's view: the discriminator's P(real) as a heat map (red: real, blue: fake) behind
    the samples, the target curve dashed, and arrows where the discriminator pushes fake
    samples (the generator's gradient). `square` (a 2-D point set): a PLANE_SIZE square with equal
    units on both axes, so that a ring is round; else (a 1-D function) as wide as its column.
    `verdict` False: no discriminator yet (the real data before a run), so no P(real) legend."""
    if square:
        x_domain, y_domain = square_domains(x_domain, y_domain)
    x = alt.Scale(domain=list(x_domain), clamp=True, nice=False)
    y = alt.Scale(domain=list(y_domain), clamp=True, nice=False)
    base = alt.Chart(frame)
    heat = base.transform_filter(alt.datum.kind == "heat").mark_image(aspect=False, smooth=False).encode(
        x=alt.X("x:Q", title="x", scale=x), x2=alt.X2("x2:Q"), y=alt.Y("y:Q", title="y", scale=y), y2=alt.Y2("y2:Q"),
        url=alt.Url("url:N"))
    density = base.transform_filter(alt.datum.kind == "density").mark_image(aspect=False).encode(
        x=alt.X("x:Q", scale=x), x2=alt.X2("x2:Q"), y=alt.Y("y:Q", scale=y), y2=alt.Y2("y2:Q"), url=alt.Url("url:N"))
    legend = base.transform_filter(alt.datum.kind == "scale").mark_rect(opacity=0).encode(
        x=alt.X("x:Q", scale=x), y=alt.Y("y:Q", scale=y),
        fill=alt.Fill("p_real:Q", title="change of P(real)" if change else "P(real)", scale=P_REAL_SCALE,
                      legend=alt.Legend(values=[0, 0.5, 1], labelExpr=CHANGE_LABELS) if change else alt.Undefined))
    curve = base.transform_filter(alt.datum.kind == "f(x)").mark_line(strokeDash=DASHED, color=DARK_GREY).encode(
        x=alt.X("x:Q", scale=x), y=alt.Y("y:Q", scale=y), order=alt.Order("order:Q"))
    mesh = base.transform_filter(alt.datum.kind == "mesh").mark_line(color=CHARCOAL, strokeWidth=0.8,
                                                                     opacity=0.55).encode(
        x=alt.X("x:Q", scale=x), y=alt.Y("y:Q", scale=y), detail=alt.Detail("line:N"), order=alt.Order("order:Q"))
    dots = base.transform_filter(alt.FieldOneOfPredicate(field="kind", oneOf=["real", "fake"])).mark_circle(
        size=26, opacity=0.95, stroke="white", strokeWidth=0.6).encode(
        x=alt.X("x:Q", scale=x), y=alt.Y("y:Q", scale=y),
        color=alt.Color("kind:N", title="samples", scale=kind_scale() if verdict else kind_scale(("real",)),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("kind:N"), alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("y:Q", format=".3f")])
    pushed = base.transform_filter(alt.datum.kind == "push")
    shafts = pushed.mark_rule(color=KIND_COLORS["push"], strokeWidth=1.2).encode(
        x=alt.X("x:Q", scale=x), y=alt.Y("y:Q", scale=y), x2=alt.X2("x2:Q"), y2=alt.Y2("y2:Q"))
    heads = pushed.mark_point(shape="triangle-up", size=30, filled=True, color=KIND_COLORS["push"]).encode(
        x=alt.X("x2:Q", scale=x), y=alt.Y("y2:Q", scale=y), angle=alt.Angle("angle:Q", scale=None))
    layers = (heat, density, legend, curve, mesh, dots, shafts, heads) if verdict else (curve, dots)
    chart = alt.layer(*layers).properties(title=title)
    if not square:
        return chart.properties(height=HEIGHT + 60)
    # "pad": width and height are the plot area's (Streamlit's default "fit" squeezes the axes and legends
    # into them); both legends below it, so that the chart fits a half-page column
    return chart.properties(width=PLANE_SIZE, height=PLANE_SIZE, autosize=alt.AutoSizeParams(
        type="pad", contains="padding")).configure_legend(orient="bottom", direction="horizontal")
