"""What the image pages show of pictures: a grid of them (digits or a visitor's own, sized for their side),
and for the visitor's own the real set as it will train (before any training: a grid, its count, side and
channels) and the memorization check (generated pictures above their nearest training pictures, with the
distances and the floor said in words)."""
from __future__ import annotations

import numpy as np
import streamlit as st

from gan_core.data.mnist import to_unit
from gan_core.teaching.pictures import grid_png

from .text import literal

MEMORIZATION_SHOWN = 10  # generated pictures shown beside their nearest training picture


def grid(images: np.ndarray, columns: int = 10) -> bytes:
    """A grid of pictures as PNG bytes: digits (n, 28, 28) ink on white, a visitor's (n, side, side, channels)
    as they are; small sides drawn larger."""
    return grid_png(images, columns, zoom=max(2, 64 // int(np.shape(images)[1])))


def show(slot, images, caption: str, columns: int = 10) -> None:
    slot.image(grid(images, columns), caption=caption)


def real_set(images, expanded: bool) -> None:
    """The real pictures as they will train: how many, their side and channels, and a grid of the first 50."""
    channels = "1 channel (grayscale)" if images.channels == 1 else f"{images.channels} channels (colour)"
    with st.expander(f"The real pictures as they will train: {len(images):,}, {images.side}×{images.side} pixels, "
                     f"{channels}", expanded=expanded):
        show(st, images.unit()[:50], literal(f"{images.source}: the first {min(len(images), 50)}, centre-cropped "
                                             f"and resized to {images.side}×{images.side}"))


def verdict(mean: float, floor: float) -> str:
    """The memorization check in words: the grid's mean distance to its nearest training pictures against
    the floor (a training picture's distance to its nearest other one)."""
    if mean < 0.5 * floor:
        return "far below the floor: the generator may be copying its training pictures"
    if mean < 0.9 * floor:
        return "below the floor: closer to training pictures than they are to each other; look at the pairs"
    if mean <= 2 * floor:
        return "near the floor: as close to the set as its pictures are to each other, not copies"
    return "far above the floor: not like the training pictures yet"


def memorization(ev, images, visible: bool) -> None:
    """Generated pictures (the grid's closest to a training picture first) above their nearest training
    picture, each pair's distance, and the floor in words. `visible` False: the training pictures are
    someone else's, not shared; the distances only."""
    order = np.argsort(ev.nearest_distances)[:MEMORIZATION_SHOWN]
    mean, floor = ev.scores["nearest_train_distance"], ev.scores["nearest_train_distance_floor"]
    st.markdown("**Memorization check: does the GAN copy its training pictures?**")
    generated = ev.grid[order]
    if visible:
        nearest = images.images[ev.nearest[order]]
        # a user's pictures are uint8 with their channels; MNIST's digits float, scaled, one channel (dropped)
        nearest = nearest.astype(np.float32) / 255.0 if nearest.dtype == np.uint8 else to_unit(nearest, images.scale)[..., 0]
        show(st, np.concatenate([generated, nearest]), "top: generated (closest to a training picture first); "
             "bottom: the nearest training picture of each", columns=len(order))
    else:
        show(st, generated, "generated (closest to a training picture first); their nearest training pictures are "
             "their owner's, not shared", columns=len(order))
    st.caption("distances, left to right: " + " · ".join(f"{d:.3f}" for d in ev.nearest_distances[order]))
    held = "a test digit (never trained on)" if getattr(images, "test_images", None) is not None else (
        "a training picture held out of the set")
    st.caption(f"The floor: {held} is {floor:.3f} from its nearest training picture on average "
               f"(root mean square of pixel differences, 0 to 1). The 100 generated pictures of the grid are "
               f"{mean:.3f} from their nearest training picture on average: {verdict(mean, floor)}.")
