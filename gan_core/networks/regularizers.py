"""What steadies a GAN's training, as the compiled step applies it: the R1 penalty on the
discriminator's gradient at real samples, and instance noise on every sample the discriminator
sees, annealed to 0 (Mescheder, Geiger and Nowozin, "Which Training Methods for GANs do actually
Converge?", ICML 2018: on the Dirac-GAN both make training converge where plain updates circle).

The caller chooses the score (the logit or critic score the loss reads), the noise (a counter-based
draw, training/draws.py) and the weights (γ/2 for R1); these functions hold the arithmetic only, so
the training step and the Dirac-GAN lesson share it. And WGAN-GP's gradient penalty, which its critic
step (training/steps.py descend_critic) and the lesson share. TensorFlow is imported inside them, as losses.py
does: a config can name them without starting TensorFlow.
"""
from __future__ import annotations

from collections.abc import Callable


def _tf():
    import tensorflow as tf

    return tf


def r1_penalty(score_fn: Callable, x_real):
    """The mean over the batch of ||∇_x D(x)||² at the real samples x_real, D = score_fn (the
    discriminator's logit or score, before any sigmoid). The caller weights it by γ/2 and adds it
    to the discriminator's loss; a gradient taken of the result reaches the weights (double
    backpropagation, as WGAN-GP's penalty)."""
    tf = _tf()
    with tf.GradientTape() as tape:
        tape.watch(x_real)
        total = tf.reduce_sum(score_fn(x_real))  # each sample's score depends on itself alone
    # a score constant in x has gradient 0, not None
    grad = tape.gradient(total, x_real, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    squared = tf.reduce_sum(tf.reshape(tf.square(grad), [tf.shape(grad)[0], -1]), axis=1)
    return tf.reduce_mean(squared)


def instance_noise(x, sigma, noise):
    """x blurred by instance noise: x + sigma·noise, noise standard normal of x's shape (drawn by
    the caller), sigma the iteration's (annealed: noise_sigma)."""
    return x + sigma * noise


def noise_sigma(start: float, iteration, iterations):
    """Instance noise's σ at `iteration` (0 first) of a run of `iterations`: from `start` down to 0
    in a straight line, 0 at the last iteration and after (Sønderby et al. 2016 anneal it so that
    the generator ends up fitting the data itself, not its blurred copy)."""
    tf = _tf()
    done = tf.cast(iteration, tf.float32) / tf.maximum(tf.cast(iterations, tf.float32) - 1.0, 1.0)
    return start * tf.maximum(1.0 - done, 0.0)


def gradient_penalty(score_fn: Callable, x_real, x_fake, eps):
    """WGAN-GP's penalty (Gulrajani et al. 2017; the keras.io WGAN-GP example): the batch mean of
    (||∇_x D(x̂)|| − 1)² at x̂ = x_fake + eps·(x_real − x_fake), eps uniform in [0, 1) per sample
    (drawn by the caller), samples [batch, dims]. The caller weights it (gp_weight, λ)."""
    tf = _tf()
    between = x_fake + eps * (x_real - x_fake)
    with tf.GradientTape() as tape:
        tape.watch(between)
        score = score_fn(between)
    norm = tf.sqrt(tf.reduce_sum(tf.square(tape.gradient(score, between)), axis=1) + 1e-12)
    return tf.reduce_mean(tf.square(norm - 1.0))
