"""DiffAugment for batches of 28x28 one-channel images (Zhao et al. 2020, "Differentiable
Augmentation for Data-Efficient GAN Training").

On a small data set the discriminator memorizes the real images and its gradients stop telling
the generator anything. DiffAugment shows it every image, real and generated alike, randomly
shifted and with a square cut out, in the discriminator's update and in the generator's. Both
operations are differentiable with respect to the images, so the generator learns through them;
and as the generated images are augmented the same way, the generator is not pushed to make
shifted or cut-out digits itself. Only for training: no saved model contains it.

    augment = diff_augment(("translation", "cutout"), background=-1.0)  # tanh-scaled pixels
    on_fake = discriminator(augment(generator(z, training=True)), training=True)
"""
from __future__ import annotations

import tensorflow as tf

POLICIES = ("translation", "cutout")


def translation(x: tf.Tensor, ratio: float = 0.125, background: float = -1.0) -> tf.Tensor:
    """Each image shifted by its own random whole-pixel offset of up to ratio * size (4 pixels of
    28) in each direction; the pixels shifted in are `background` (-1 for tanh's [-1, 1], 0 for
    [0, 1]: zero padding would paint a grey border on tanh-scaled digits)."""
    n, h, w = tf.shape(x)[0], x.shape[1], x.shape[2]
    s = int(h * ratio + 0.5)
    padded = tf.pad(x, [[0, 0], [s, s], [s, s], [0, 0]], constant_values=background)
    dy = tf.random.uniform([n, 1], -s, s + 1, tf.int32)
    dx = tf.random.uniform([n, 1], -s, s + 1, tf.int32)
    # a gather per image (batch_dims=1) picks rows, then columns: indexing, so gradients flow to x
    rows = tf.range(h)[None] + s - dy
    cols = tf.range(w)[None] + s - dx
    return tf.gather(tf.gather(padded, rows, axis=1, batch_dims=1), cols, axis=2, batch_dims=1)


def cutout(x: tf.Tensor, ratio: float = 0.5, background: float = -1.0) -> tf.Tensor:
    """Each image with a square of ratio * size (14x14 of 28x28) at a random place set to
    `background`; the square's centre is anywhere in the image, so it may hang over the edge."""
    n, h, w = tf.shape(x)[0], x.shape[1], x.shape[2]
    size = int(h * ratio + 0.5)
    # the paper's offsets: centres 0 .. h - 1 (to h when the square is even-sized)
    top = tf.random.uniform([n, 1, 1], 0, h + (1 - size % 2), tf.int32) - size // 2
    left = tf.random.uniform([n, 1, 1], 0, w + (1 - size % 2), tf.int32) - size // 2
    r, c = tf.range(h)[None, :, None], tf.range(w)[None, None, :]
    inside = (r >= top) & (r < top + size) & (c >= left) & (c < left + size)
    keep = tf.cast(~inside, x.dtype)[..., None]
    return x * keep + background * (1 - keep)


def diff_augment(policy, background: float = -1.0):
    """A function images -> augmented images applying `policy` (names from POLICIES, in order;
    a comma-separated string or a sequence; empty: the identity)."""
    names = [p.strip() for p in (policy.split(",") if isinstance(policy, str) else policy) if p.strip()]
    unknown = [p for p in names if p not in POLICIES]
    if unknown:
        raise ValueError(f"unknown augmentation {unknown}: choose from {', '.join(POLICIES)}")
    ops = {"translation": translation, "cutout": cutout}

    def augment(x):
        for name in names:
            x = ops[name](x, background=background)
        return x

    return augment
