"""A run's replay as an animated GIF, one frame per stored check-in, drawn with Pillow (no
browser, no plotting library): as the seed 002 tutorial animates its check-ins.

On points in the plane a frame is the discriminator's P(real) as a heat map (light red: real,
light blue: fake, as the app's charts), the real samples in red, the fakes in blue, the 1-D
function's curve in grey; on a line (1-D samples), the real and fake histograms and the
discriminator's D(x) in green; on MNIST, the check-in's 10×10 digit grid. Each frame says its iteration.
"""
from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw

from gan_core.teaching.pictures import heat_colors, image_grid
from gan_core.training.run import has_payload

REAL, FAKE, CURVE, D_CURVE = (214, 39, 40), (31, 119, 180), (120, 120, 120), (44, 160, 44)
BINS = 40
SIZE = 360  # pixels of the plane
BAR = 28  # the caption's strip
FRAME_MS = 400


def plane_frame(evaluation, x_dom, y_dom, curve=None, size: int = SIZE) -> Image.Image:
    """One check-in on the plane: heat map, curve, real and fake samples, the iteration."""
    image = Image.new("RGB", (size, size + BAR), "white")

    def pixel(points):
        points = np.asarray(points, np.float64)
        x = (points[:, 0] - x_dom[0]) / (x_dom[1] - x_dom[0]) * (size - 1)
        y = (1 - (points[:, 1] - y_dom[0]) / (y_dom[1] - y_dom[0])) * (size - 1)
        return np.column_stack([x, y + BAR])

    if evaluation.decision is not None:
        grid = np.asarray(evaluation.decision)
        n = int(round(np.sqrt(len(grid))))
        # rows of the grid run in x fastest, y from low to high: flip so that y grows upwards
        cells = heat_colors(grid[:, 2].reshape(n, n))[::-1]
        image.paste(Image.fromarray(cells).resize((size, size), Image.NEAREST), (0, BAR))
    draw = ImageDraw.Draw(image)
    if curve is not None:
        draw.line([tuple(p) for p in pixel(curve)], fill=CURVE, width=2)
    for points, colour in ((evaluation.real, REAL), (evaluation.fake, FAKE)):
        for x, y in pixel(points):
            if 0 <= x < size and BAR <= y < size + BAR:
                draw.ellipse([x - 2.5, y - 2.5, x + 2.5, y + 2.5], fill=colour)
    draw.text((8, 8), f"iteration {evaluation.iteration:,}   red: real   blue: fake", fill=(0, 0, 0))
    return image


def line_frame(evaluation, x_dom, size: int = SIZE) -> Image.Image:
    """One check-in on a line: the real (red) and fake (blue) histograms as outlines, D(x) in green
    (0 at the bottom, 1 at the top), the iteration."""
    image = Image.new("RGB", (size, size + BAR), "white")
    draw = ImageDraw.Draw(image)
    edges = np.linspace(*x_dom, BINS + 1)
    counts = [np.histogram(np.asarray(v).ravel(), edges)[0] / max(len(v), 1) for v in (evaluation.real, evaluation.fake)]
    top = max(max(c.max() for c in counts), 1e-9) * 1.15
    bin_px = size / BINS
    for count, colour in zip(counts, (REAL, FAKE)):
        outline = [(0, size + BAR - 1)]
        for i, c in enumerate(count):
            y = size + BAR - 1 - c / top * (size - 1)
            outline += [(i * bin_px, y), ((i + 1) * bin_px, y)]
        draw.line(outline + [(size - 1, size + BAR - 1)], fill=colour, width=2)
    if evaluation.decision is not None:
        d = np.asarray(evaluation.decision, np.float64)
        x = (d[:, 0] - x_dom[0]) / (x_dom[1] - x_dom[0]) * (size - 1)
        draw.line(list(zip(x, BAR + (1 - d[:, 1]) * (size - 1))), fill=D_CURVE, width=2)
    draw.text((8, 8), f"iteration {evaluation.iteration:,}   red: real   blue: fake   green: D(x)", fill=(0, 0, 0))
    return image


def digits_frame(evaluation, zoom: int = 2) -> Image.Image:
    """One MNIST check-in: its 10x10 grid of generated digits."""
    grid = image_grid(evaluation.grid, zoom=zoom)  # uint8, ink black on white
    image = Image.new("RGB", (grid.shape[1], grid.shape[0] + BAR), "white")
    image.paste(Image.fromarray(grid).convert("RGB"), (0, BAR))
    ImageDraw.Draw(image).text((8, 8), f"iteration {evaluation.iteration:,}", fill=(0, 0, 0))
    return image


def frames_of(run, evaluations) -> list[Image.Image]:
    """Pictures of the run's check-ins (each with its arrays): the digit grid, the line or the plane."""
    if not evaluations:
        return []
    if hasattr(evaluations[0], "grid"):
        return [digits_frame(e) for e in evaluations]
    if run.target.dims == 1:
        return [line_frame(e, run.target.bounds()[0]) for e in evaluations]
    x_dom, y_dom = run.target.bounds()
    curve = run.target.curve(200)
    return [plane_frame(e, x_dom, y_dom, curve) for e in evaluations]


def replay_gif(run) -> bytes:
    """The run's stored check-ins (a long run keeps an evenly spread few hundred) as a GIF."""
    stored = [e for e in run.view().history if has_payload(e)]
    if not stored:
        raise ValueError("This run has no stored check-in to animate yet.")
    frames = frames_of(run, stored)
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=FRAME_MS, loop=0,
                   optimize=False, disposal=1)
    return out.getvalue()
