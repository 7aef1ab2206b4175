"""Pictures as NumPy arrays, what the engine draws without a chart library: the heat map's colours
of P(real) (the live plane and the replay GIF share them), a grid of digits or of a user's pictures,
and a grid as PNG bytes."""
from __future__ import annotations

import numpy as np

# light tints of the fake and real colours, so that the samples drawn over the heat map stand out
HEAT_TINTS = ("#a6c8e4", "#f7f7f7", "#f4a6a6")  # P(real) 0, 0.5, 1


def heat_colors(p: np.ndarray) -> np.ndarray:
    """RGB (uint8) of P(real) values, linear between the three tints (as the charts' P(real) scale)."""
    tints = np.array([[int(t[i:i + 2], 16) for i in (1, 3, 5)] for t in HEAT_TINTS], np.float64)
    p = np.clip(np.nan_to_num(np.asarray(p, np.float64), nan=0.5), 0.0, 1.0)[..., None]
    low = tints[0] + (tints[1] - tints[0]) * (p / 0.5)
    high = tints[1] + (tints[2] - tints[1]) * ((p - 0.5) / 0.5)
    return np.round(np.where(p < 0.5, low, high)).astype(np.uint8)


def image_grid(images: np.ndarray, columns: int = 10, zoom: int = 2, reverse: bool = True) -> np.ndarray:
    """Images (n, 28, 28) in [0, 1] tiled into one uint8 picture, `columns` per row, each pixel
    `zoom`x`zoom`; reversed grayscale (ink black on white) as the tutorial's cmap='gray_r'."""
    images = np.clip(np.asarray(images, np.float32), 0, 1)
    n, h, w = images.shape
    rows = -(-n // columns)
    canvas = np.zeros((rows * (h + 1) + 1, columns * (w + 1) + 1), np.float32) + (0.0 if reverse else 1.0)
    for i, img in enumerate(images):
        r, c = divmod(i, columns)
        canvas[1 + r * (h + 1):1 + r * (h + 1) + h, 1 + c * (w + 1):1 + c * (w + 1) + w] = img
    picture = 1 - canvas if reverse else canvas
    picture = np.kron(picture, np.ones((zoom, zoom), np.float32))
    return (picture * 255).round().astype(np.uint8)


def picture_grid(images: np.ndarray, columns: int = 10, zoom: int = 2) -> np.ndarray:
    """A user's pictures (n, h, w, channels) in [0, 1] tiled into one uint8 picture as they are (not
    reversed), on a white background: (H, W) for one channel, (H, W, 3) for colour."""
    images = np.clip(np.asarray(images, np.float32), 0, 1)
    n, h, w, channels = images.shape
    rows = -(-n // columns)
    canvas = np.ones((rows * (h + 1) + 1, columns * (w + 1) + 1, channels), np.float32)
    for i, img in enumerate(images):
        r, c = divmod(i, columns)
        canvas[1 + r * (h + 1):1 + r * (h + 1) + h, 1 + c * (w + 1):1 + c * (w + 1) + w] = img
    picture = np.repeat(np.repeat(canvas, zoom, axis=0), zoom, axis=1)
    picture = (picture * 255).round().astype(np.uint8)
    return picture[..., 0] if channels == 1 else picture


def grid_png(images: np.ndarray, columns: int = 10, zoom: int = 2) -> bytes:
    """A grid as PNG bytes: digits (n, 28, 28) as image_grid draws them, a user's pictures
    (n, h, w, channels) as picture_grid does (the CLI's samples.png, a prepared set's preview)."""
    import io

    from PIL import Image

    grid = picture_grid(images, columns, zoom) if np.ndim(images) == 4 else image_grid(images, columns, zoom)
    buffer = io.BytesIO()
    Image.fromarray(grid).save(buffer, format="PNG")
    return buffer.getvalue()
