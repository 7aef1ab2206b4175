"""Seconds per MNIST training iteration: gan_core vs a plain TensorFlow loop of the same step.

Both use the same Keras networks (the app's default DCGAN, and the tutorial's) and the same
step: one discriminator update on n_batch/2 real + n_batch/2 generated digits (the DCGAN's
in two calls, for batch norm; the tutorial's stacked), then the generator on n_batch latent
points. The plain loop is the usual
`@tf.function` train step called once per batch from Python with NumPy batches;
gan_core runs a chunk of steps in one call. Target: gan_core within 1.2x.

    python bench/mnist_speed.py [--iterations 20] [--tutorial-iterations 6]
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from gan_core.data.mnist import load_digits  # noqa: E402
from gan_core.networks.models import image_discriminator, image_generator  # noqa: E402
from gan_core.settings.config import ImageConfig  # noqa: E402
from gan_core.training.images import ImageGanRun  # noqa: E402


def plain_tf_seconds_per_iteration(config: ImageConfig, images: np.ndarray, iterations: int) -> float:
    d, g = image_discriminator(config), image_generator(config)
    d_opt = keras.optimizers.Adam(config.d_lr, beta_1=config.beta_1)
    g_opt = keras.optimizers.Adam(config.g_lr, beta_1=config.beta_1)
    bce = keras.losses.BinaryCrossentropy()
    half, n = config.n_batch // 2, config.n_batch
    labels = tf.concat([tf.ones([half, 1]), tf.zeros([half, 1])], axis=0)

    @tf.function
    def step(x_real, z_half, z_full):
        with tf.GradientTape() as tape:
            if config.networks == "dcgan":
                fake = g(z_half, training=True)
                d_loss = (bce(labels[:half], d(x_real, training=True)) + bce(labels[half:], d(fake, training=True))) / 2
            else:
                d_loss = bce(labels, d(tf.concat([x_real, g(z_half, training=True)], axis=0), training=True))
        d_opt.apply_gradients(zip(tape.gradient(d_loss, d.trainable_weights), d.trainable_weights))
        with tf.GradientTape() as tape:
            g_loss = bce(tf.ones([n, 1]), d(g(z_full, training=True), training=True))
        g_opt.apply_gradients(zip(tape.gradient(g_loss, g.trainable_weights), g.trainable_weights))
        return d_loss, g_loss

    rng = np.random.default_rng(0)

    def batch():
        return (images[rng.integers(0, len(images), half)], rng.standard_normal((half, config.latent_dim),
                np.float32), rng.standard_normal((n, config.latent_dim), np.float32))

    step(*batch())  # trace
    start = time.perf_counter()
    for _ in range(iterations):
        losses = step(*batch())
    float(losses[0])
    return (time.perf_counter() - start) / iterations


def gan_core_seconds_per_iteration(config: ImageConfig, digits, iterations: int) -> float:
    run = ImageGanRun(config, digits)
    state, _ = run.steps.train(run.state, run.data, 1)  # trace
    start = time.perf_counter()
    run.steps.train(state, run.data, iterations)
    return (time.perf_counter() - start) / iterations


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--tutorial-iterations", type=int, default=6)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'model':<36}{'plain TF s/it':>15}{'gan_core s/it':>15}{'ratio':>8}")
    default = ImageConfig()
    for name, config, its in ((f"default DCGAN ({default.d_filters}/{default.g_filters}, b{default.n_batch})", default,
                               args.iterations),
                              ("tutorial (latent 100, 64/128, b256)", ImageConfig.tutorial(), args.tutorial_iterations)):
        digits = load_digits(config.scale, use_keras=False)
        plain, ours = [], []
        for _ in range(args.repeats):  # interleaved
            plain.append(plain_tf_seconds_per_iteration(config, digits.images, its))
            ours.append(gan_core_seconds_per_iteration(config, digits, its))
        p, o = np.median(plain), np.median(ours)
        print(f"{name:<36}{p:>15.3f}{o:>15.3f}{o / p:>8.2f}", flush=True)


if __name__ == "__main__":
    main()
