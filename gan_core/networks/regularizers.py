"""What a discriminator's loss may add to keep training near its equilibrium, one function each, on
a score function (samples [batch, dims] -> the discriminator's scores) and samples:

- R1 (Mescheder, Geiger & Nowozin 2018): the batch mean of ‖∇ₓD(x)‖² at real samples; the caller
  multiplies it by γ/2;
- instance noise (Sønderby et al. 2017; Arjovsky & Bottou 2017): Gaussian noise of scale σ added to the
  samples the discriminator sees;
- WGAN-GP's gradient penalty (Gulrajani et al. 2017): the batch mean of (‖∇ₓD(x̂)‖ − 1)² at points x̂
  between real and fake samples; the caller multiplies it by its weight λ.

TensorFlow is imported inside (they run while a step is traced), as in losses.py.
"""
from __future__ import annotations


def _tf():
    import tensorflow as tf

    return tf


def _gradient(score_fn, x):
    """∇ₓ of the scores at x, one row per sample."""
    tf = _tf()
    with tf.GradientTape() as tape:
        tape.watch(x)
        score = score_fn(x)
    return tape.gradient(score, x)


def r1_penalty(score_fn, x_real):
    """R1: the batch mean of the squared gradient norm of the scores at the real samples."""
    tf = _tf()
    return tf.reduce_mean(tf.reduce_sum(tf.square(_gradient(score_fn, x_real)), axis=1))


def instance_noise(x, sigma, noise):
    """x with Gaussian noise of scale sigma (`noise`: standard normal numbers of x's shape)."""
    return x + sigma * noise


def gradient_penalty(score_fn, x_real, x_fake, eps):
    """WGAN-GP's penalty: the batch mean of (‖∇ₓD(x̂)‖ − 1)² at x̂ = x_fake + eps (x_real − x_fake),
    eps uniform in [0, 1) per sample."""
    tf = _tf()
    between = x_fake + eps * (x_real - x_fake)
    norm = tf.sqrt(tf.reduce_sum(tf.square(_gradient(score_fn, between)), axis=1) + 1e-12)
    return tf.reduce_mean(tf.square(norm - 1.0))
