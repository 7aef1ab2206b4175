"""DiffAugment for batches of images (n, h, w, channels) (Zhao et al. 2020, "Differentiable
Augmentation for Data-Efficient GAN Training").

On a small data set the discriminator memorizes the real images and its gradients stop telling
the generator anything. DiffAugment shows it every image, real and generated alike, with its colour
changed, randomly shifted and with a square cut out, in the discriminator's update and in the
generator's. Every operation is differentiable with respect to the images, so the generator learns
through them; and as the generated images are augmented the same way, the generator is not pushed to
make shifted or cut-out images itself. Only for training: no saved model contains it.

    augment = diff_augment(("color", "translation", "cutout"), background=-1.0)  # tanh-scaled pixels
    on_fake = discriminator(augment(generator(z, training=True), u), training=True)

`u`, the randomness, is (n, RANDOM) uniform numbers in [0, 1), one row per image: a compiled step
passes its counter-based draws (training/draws.py), so a run is the same whatever its step lengths;
without it, tf.random.uniform's.
"""
from __future__ import annotations

import tensorflow as tf

POLICIES = ("color", "translation", "cutout")
RANDOM = 7  # numbers per image: brightness, saturation, contrast, two shifts, two cutout places


def _random(x, u):
    return tf.random.uniform([tf.shape(x)[0], RANDOM]) if u is None else u


def _whole(u, count):
    """Uniform numbers in [0, 1) as whole numbers 0 .. count - 1."""
    return tf.minimum(tf.cast(tf.floor(u * count), tf.int32), count - 1)


def color(x: tf.Tensor, u: tf.Tensor | None = None, scale: float = 2.0) -> tf.Tensor:
    """The paper's colour: brightness ± half the range, saturation × [0, 2] (nothing on one channel),
    contrast × [0.5, 1.5], each image its own (`scale`: the pixels' range, 2 for [-1, 1])."""
    u = _random(x, u)
    r = u[:, :, None, None]
    x = x + (r[:, 0:1] - 0.5) * scale / 2  # the paper's rand - 0.5 on [-1, 1]: a quarter of the range
    mean = tf.reduce_mean(x, axis=3, keepdims=True)
    x = (x - mean) * (r[:, 1:2] * 2) + mean
    mean = tf.reduce_mean(x, axis=[1, 2, 3], keepdims=True)
    return (x - mean) * (r[:, 2:3] + 0.5) + mean


def translation(x: tf.Tensor, u: tf.Tensor | None = None, ratio: float = 0.125, background: float = -1.0) -> tf.Tensor:
    """Each image shifted by its own random whole-pixel offset of up to ratio * size (4 pixels of
    28) in each direction; the pixels shifted in are `background` (-1 for tanh's [-1, 1], 0 for
    [0, 1]: zero padding would paint a grey border on tanh-scaled digits)."""
    u = _random(x, u)
    h, w = x.shape[1], x.shape[2]
    s = int(h * ratio + 0.5)
    padded = tf.pad(x, [[0, 0], [s, s], [s, s], [0, 0]], constant_values=background)
    dy = _whole(u[:, 3:4], 2 * s + 1) - s
    dx = _whole(u[:, 4:5], 2 * s + 1) - s
    # a gather per image (batch_dims=1) picks rows, then columns: indexing, so gradients flow to x
    rows = tf.range(h)[None] + s - dy
    cols = tf.range(w)[None] + s - dx
    return tf.gather(tf.gather(padded, rows, axis=1, batch_dims=1), cols, axis=2, batch_dims=1)


def cutout(x: tf.Tensor, u: tf.Tensor | None = None, ratio: float = 0.5, background: float = -1.0) -> tf.Tensor:
    """Each image with a square of ratio * size (14x14 of 28x28) at a random place set to
    `background`; the square's centre is anywhere in the image, so it may hang over the edge."""
    u = _random(x, u)
    h, w = x.shape[1], x.shape[2]
    size = int(h * ratio + 0.5)
    # the paper's offsets: centres 0 .. h - 1 (to h when the square is even-sized)
    top = _whole(u[:, 5:6], h + (1 - size % 2))[:, :, None] - size // 2
    left = _whole(u[:, 6:7], w + (1 - size % 2))[:, :, None] - size // 2
    r, c = tf.range(h)[None, :, None], tf.range(w)[None, None, :]
    inside = (r >= top) & (r < top + size) & (c >= left) & (c < left + size)
    keep = tf.cast(~inside, x.dtype)[..., None]
    return x * keep + background * (1 - keep)


def diff_augment(policy, background: float = -1.0):
    """A function (images, u=None) -> augmented images applying `policy` (names from POLICIES, in
    order; a comma-separated string or a sequence; empty: the identity)."""
    names = [p.strip() for p in (policy.split(",") if isinstance(policy, str) else policy) if p.strip()]
    unknown = [p for p in names if p not in POLICIES]
    if unknown:
        raise ValueError(f"unknown augmentation {unknown}: choose from {', '.join(POLICIES)}")
    scale = 1.0 - background  # the pixels' range: 2 for [-1, 1], 1 for [0, 1]
    ops = {"color": lambda x, u: color(x, u, scale), "translation": lambda x, u: translation(x, u, background=background),
           "cutout": lambda x, u: cutout(x, u, background=background)}

    def augment(x, u=None):
        u = _random(x, u)
        for name in names:
            x = ops[name](x, u)
        return x

    return augment
