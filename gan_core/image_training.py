"""The MNIST experiments: the discriminator alone on real digits vs noise images, and the
DCGAN, trained in compiled chunks like the 1-D ones (see training.py).

The digits live in the graph as one uint8 tensor; each step gathers a random half batch
from it, so a chunk never returns to Python. Per the MNIST tutorial: one stacked
discriminator update on n_batch/2 real + n_batch/2 generated images, then the generator
on n_batch latent points labelled real; Adam(0.0002, beta_1=0.5); per-batch losses kept.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import keras
import numpy as np
import pandas as pd
import tensorflow as tf

from . import latent, metrics
from .config import ImageConfig
from .mnist import Digits, to_unit
from .models import define_image_discriminator, define_image_generator
from .training import ChunkedRun, _ChunkedTrainer


class _DigitSampler(_ChunkedTrainer):
    keep_steps = True

    def __init__(self, digits: Digits, seed: int, jit_compile: bool):
        super().__init__(seed=seed, jit_compile=jit_compile)
        unit = to_unit(digits.images, digits.scale)
        self.pixels = tf.constant(np.round(unit[..., 0] * 255).astype(np.uint8))  # 4x smaller than float32
        self.tanh = digits.scale == "tanh"

    def sample_real(self, n):
        index = self.rng.uniform([n], 0, tf.shape(self.pixels)[0], dtype=tf.int32)
        x = tf.cast(tf.gather(self.pixels, index), tf.float32)[..., None] / 255.0
        return x * 2 - 1 if self.tanh else x

    def sample_noise(self, n):
        """The tutorial's fake images for the discriminator alone: uniform pixels."""
        x = self.rng.uniform([n, 28, 28, 1])
        return x * 2 - 1 if self.tanh else x


class ImageGAN(_DigitSampler):
    log_names = ("d_loss", "g_loss")

    def __init__(self, discriminator, generator, digits: Digits, latent_dim, n_batch, d_optimizer, g_optimizer,
                 seed=0, jit_compile=False):
        super().__init__(digits, seed, jit_compile)
        self.discriminator, self.generator = discriminator, generator
        self.latent_dim, self.n_batch = latent_dim, n_batch
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer
        d_optimizer.build(discriminator.trainable_weights)
        g_optimizer.build(generator.trainable_weights)

    def train_step(self, data=None):
        half = self.n_batch // 2
        x_fake = self.generator(self.rng.normal([half, self.latent_dim]), training=True)
        x = tf.concat([self.sample_real(half), x_fake], axis=0)
        labels = tf.concat([tf.ones([half, 1]), tf.zeros([half, 1])], axis=0)
        with tf.GradientTape() as tape:
            d_loss = self.bce(labels, self.discriminator(x, training=True))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        z = self.rng.normal([self.n_batch, self.latent_dim])
        with tf.GradientTape() as tape:
            p = self.discriminator(self.generator(z, training=True), training=True)
            g_loss = self.bce(tf.ones([self.n_batch, 1]), p)
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        return {"d_loss": d_loss, "g_loss": g_loss}


class ImageDiscriminatorTrainer(_DigitSampler):
    log_names = ("d_loss", "d_loss_real", "d_loss_fake")

    def __init__(self, discriminator, digits: Digits, n_batch, d_optimizer, seed=0, jit_compile=False):
        super().__init__(digits, seed, jit_compile)
        self.discriminator, self.n_batch, self.d_optimizer = discriminator, n_batch, d_optimizer
        d_optimizer.build(discriminator.trainable_weights)

    def train_step(self, data=None):
        half = self.n_batch // 2
        loss_real = self._update(self.discriminator, self.d_optimizer, self.sample_real(half), 1.0)
        loss_fake = self._update(self.discriminator, self.d_optimizer, self.sample_noise(half), 0.0)
        return {"d_loss": (loss_real + loss_fake) / 2, "d_loss_real": loss_real, "d_loss_fake": loss_fake}


@dataclass
class ImageEvaluation:
    """A check-in: accuracy on fresh real and fake images, a 10x10 grid, the digit scores."""

    iteration: int
    epoch: float  # passes over the data so far
    acc_real: float
    acc_fake: float
    d_loss: float
    g_loss: float
    grid: np.ndarray  # (100, 28, 28) generated (or noise) images in [0, 1]
    seconds: float
    scores: dict[str, float] = field(default_factory=dict)
    histogram: np.ndarray | None = None  # predicted digits of the grid, counts for 0-9
    real_histogram: np.ndarray | None = None
    snapshot: list | None = None  # the generator's weights at this check-in

    def row(self) -> dict:
        return {"iteration": self.iteration, "epoch": self.epoch, "acc_real": self.acc_real,
                "acc_fake": self.acc_fake, "d_loss": self.d_loss, "g_loss": self.g_loss, "seconds": self.seconds,
                **self.scores}


class _ImageRun(ChunkedRun):
    def __init__(self, config: ImageConfig, digits: Digits, classifier=None, jit_compile: bool = False):
        self.config, self.digits, self.classifier = config.checked(), digits, classifier
        if digits.scale != config.scale:
            raise ValueError(f"The digits are scaled for {digits.scale!r}, the config wants {config.scale!r}.")
        self.n_epochs, self.n_eval = config.iterations(len(digits))
        self.eval_rng = np.random.default_rng(config.seed + 7919)
        self.history: list[ImageEvaluation] = []
        self._start_steps()  # step_length 1: one batch per compiled step (0.05-1.3 s on a CPU)
        self.d_losses: list[float] = []  # every batch, as the tutorial prints them
        self.g_losses: list[float] = []
        self.discriminator = define_image_discriminator(filters=config.d_filters, seed=config.seed * 100)
        self.d_optimizer = keras.optimizers.Adam(config.d_lr, beta_1=config.beta_1)

    @property
    def epoch(self) -> float:
        return self.iteration * self.config.n_batch / 2 / len(self.digits)

    def record_steps(self, steps):
        self.d_losses.extend(steps["d_loss"].tolist())
        self.g_losses.extend(steps["g_loss"].tolist() if "g_loss" in steps else [np.nan] * len(steps["d_loss"]))

    def sample_real(self, n: int) -> np.ndarray:
        return self.digits.images[self.eval_rng.integers(0, len(self.digits), n)]

    def losses_frame(self) -> pd.DataFrame:
        """Per-batch losses (the tutorial's `>1, 1/234, d=0.69, g=0.70` lines)."""
        with self.lock:  # a worker may be adding batches
            d_losses, g_losses = list(self.d_losses), list(self.g_losses)
        return pd.DataFrame({"iteration": np.arange(1, len(d_losses) + 1), "d_loss": d_losses, "g_loss": g_losses})


class ImageGanRun(_ImageRun):
    """The MNIST DCGAN, continued chunk by chunk."""

    def __init__(self, config: ImageConfig, digits: Digits, classifier=None, jit_compile: bool = False):
        super().__init__(config, digits, classifier, jit_compile)
        output = "tanh" if config.scale == "tanh" else "sigmoid"
        self.generator = define_image_generator(config.latent_dim, config.g_filters, output,
                                                seed=config.seed * 100 + 50)
        self.g_optimizer = keras.optimizers.Adam(config.g_lr, beta_1=config.beta_1)
        self.trainer = ImageGAN(self.discriminator, self.generator, digits, config.latent_dim, config.n_batch,
                                self.d_optimizer, self.g_optimizer, seed=config.seed, jit_compile=jit_compile)
        self.grid_latent = self.sample_latent(100)  # the same 100 points every check-in: watch them learn

    def sample_latent(self, n: int) -> np.ndarray:
        return latent.sample_latent(n, self.config.latent_dim, self.eval_rng)

    def generate(self, points) -> np.ndarray:
        """Images in [0, 1] for latent points (or n fresh ones), shape (n, 28, 28)."""
        z = self.sample_latent(points) if isinstance(points, int) else points
        return to_unit(self.predict(self.generator, z), self.config.scale)[..., 0]

    def evaluate(self, logs: dict | None = None) -> ImageEvaluation:
        n, logs = self.config.n_eval_samples, logs or {}
        real = self.sample_real(n)
        fake = self.predict(self.generator, self.sample_latent(n))
        grid = self.generate(self.grid_latent)
        scores, hist, real_hist = {}, None, None
        if self.classifier is not None:
            real_unit = to_unit(self.sample_real(len(grid)), self.config.scale)[..., 0]  # same size as the grid
            scores, hist, real_hist = metrics.digit_scores_pair(self.classifier, grid, real_unit)
        return ImageEvaluation(
            iteration=self.iteration, epoch=self.epoch,
            acc_real=metrics.accuracy(self.discriminate(real), real=True),
            acc_fake=metrics.accuracy(self.discriminate(fake), real=False),
            d_loss=logs.get("d_loss", float("nan")), g_loss=logs.get("g_loss", float("nan")),
            grid=grid, seconds=self.seconds, scores=scores,
            histogram=hist, real_histogram=real_hist,
            snapshot=[w.copy() for w in self.generator.get_weights()],
        )

    def save_generator(self, path: str, evaluation: ImageEvaluation | None = None) -> None:
        """Save the generator, or its snapshot at a past check-in."""
        if evaluation is None or evaluation.snapshot is None:
            self.generator.save(path)
            return
        now = self.generator.get_weights()
        self.generator.set_weights(evaluation.snapshot)
        try:
            self.generator.save(path)
        finally:
            self.generator.set_weights(now)


class ImageDiscriminatorRun(_ImageRun):
    """The conv discriminator alone: real digits vs uniform-noise images."""

    def __init__(self, config: ImageConfig, digits: Digits, jit_compile: bool = False):
        super().__init__(config, digits, None, jit_compile)
        self.trainer = ImageDiscriminatorTrainer(self.discriminator, digits, config.n_batch, self.d_optimizer,
                                                 seed=config.seed, jit_compile=jit_compile)

    def sample_noise(self, n: int) -> np.ndarray:
        x = self.eval_rng.uniform(size=(n, 28, 28, 1)).astype(np.float32)
        return x * 2 - 1 if self.config.scale == "tanh" else x

    def evaluate(self, logs: dict | None = None) -> ImageEvaluation:
        """Accuracy on fresh real digits and noise images; the grid shows 10 of each (real first)
        with the discriminator's mean P(real) for each kind in scores."""
        n, logs = self.config.n_eval_samples, logs or {}
        real, noise = self.sample_real(n), self.sample_noise(n)
        p_real, p_noise = self.discriminate(real), self.discriminate(noise)
        shown = to_unit(np.concatenate([real[:10], noise[:10]]), self.config.scale)[..., 0]
        return ImageEvaluation(
            iteration=self.iteration, epoch=self.epoch,
            acc_real=metrics.accuracy(p_real, real=True),
            acc_fake=metrics.accuracy(p_noise, real=False),
            d_loss=logs.get("d_loss", float("nan")), g_loss=logs.get("g_loss", float("nan")),
            grid=shown, seconds=self.seconds,
            scores={"p_real_digits": float(p_real[:10].mean()), "p_real_noise": float(p_noise[:10].mean())},
        )
