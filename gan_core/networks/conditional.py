"""A conditional GAN's label: the digit asked for, as keras.io's "Conditional GAN" gives it to both
networks. The generator's input is the latent point with the label's one-hot vector after it; the
discriminator's input is the image with the one-hot vector repeated over every pixel as 10 extra channels.

Why keras.io's and not TF-GAN's (a learned label embedding projected and added inside the networks): it is
short and linear, adds no layer of its own, and fits both digit networks here (the DCGAN paper's and the
tutorial's) unchanged but for their inputs' width, so every caller keeps calling one Sequential model.
"""
from __future__ import annotations

import numpy as np

N_CLASSES = 10  # the digits 0-9


def is_on(config) -> bool:
    """Whether a settings object asks for a conditional GAN (only MNIST's settings have the setting)."""
    return getattr(config, "conditional", "off") == "on"


def one_hot(digits) -> np.ndarray:
    """(n,) digits -> (n, 10) float32 one-hot rows; (n, 10) rows (a walk's mixtures) pass as they are."""
    digits = np.asarray(digits)
    if digits.ndim == 2:
        return digits.astype(np.float32)
    return np.eye(N_CLASSES, dtype=np.float32)[digits.astype(int)]


def latent_with(z: np.ndarray, digits) -> np.ndarray:
    """The generator's input: latent points (n, latent_dim) with each one's label (n,) or (n, 10) after them."""
    return np.concatenate([np.asarray(z, np.float32), one_hot(digits)], axis=1)


def walk(a: int, b: int, n: int) -> np.ndarray:
    """keras.io's interpolation: n label vectors from digit a's one-hot to digit b's on a straight line
    (both included), to go with one latent point held fixed: (n, 10)."""
    t = np.linspace(0.0, 1.0, n, dtype=np.float32)[:, None]
    return (1 - t) * one_hot([a]) + t * one_hot([b])


# ---- inside the compiled step (TensorFlow) -------------------------------------------------------

def tf_latent_with(z, labels):
    """As latent_with, for integer labels (n,) in the step."""
    import tensorflow as tf

    return tf.concat([z, tf.one_hot(labels, N_CLASSES)], axis=1)


def tf_with_channels(images, codes):
    """Images (n, h, w, c) with the one-hot codes (n, 10) repeated over every pixel after their channels."""
    import tensorflow as tf

    shape = tf.shape(images)
    planes = tf.broadcast_to(codes[:, None, None, :], [shape[0], shape[1], shape[2], N_CLASSES])
    return tf.concat([images, tf.cast(planes, images.dtype)], axis=-1)


def with_channels(images: np.ndarray, digits) -> np.ndarray:
    """As tf_with_channels, in numpy: images (n, h, w, c) with their digits' (n,) one-hot planes."""
    codes = one_hot(digits)
    n, h, w = images.shape[:3]
    return np.concatenate([np.asarray(images, np.float32),
                           np.broadcast_to(codes[:, None, None, :], (n, h, w, N_CLASSES))], axis=-1)
