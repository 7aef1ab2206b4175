"""Discriminator-only and GAN training, in compiled chunks, with an Evaluation every n_eval.

The GAN is a `keras.Model` subclass with its own `train_step` (the keras.io DCGAN
pattern): each optimizer applies gradients to its own network only. This replaces the
tutorial's `discriminator.trainable = False` before compiling the composite, which in
Keras 3 freezes the discriminator everywhere so that it never trains.

`train_chunk(n)` runs n train steps inside one XLA-compiled `tf.function` (a `tf.range`
loop); samples are drawn in the loop from a per-run `tf.random.Generator`, so a chunk
never goes back to Python. A run (`GanRun`, `DiscriminatorRun`) holds the models, the
optimizer and random state and the history of Evaluations; calling `train_chunk()` again
continues where it stopped, which is how the app pauses and resumes.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import keras
import numpy as np
import pandas as pd
import tensorflow as tf

from . import latent, metrics
from .config import Config
from .models import define_discriminator, define_gan, define_generator
from .targets import Target


class _ChunkedTrainer(keras.Model):
    """A model whose `train_step` draws its own samples, run n steps per compiled call."""

    log_names: tuple[str, ...] = ()
    keep_steps = False

    def __init__(self, seed: int, jit_compile: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.rng = tf.random.Generator.from_seed(seed)
        # the plain function, not the Loss class: same math, fewer ops in the compiled loop
        self.bce = lambda y, p: tf.reduce_mean(keras.losses.binary_crossentropy(y, p))
        self._chunk = tf.function(self._run_chunk, jit_compile=jit_compile)

    def _update(self, network, optimizer, x, label):
        """One gradient step of `network` (the discriminator) on x, all labelled `label`."""
        with tf.GradientTape() as tape:
            y = tf.fill([tf.shape(x)[0], 1], label)
            loss = self.bce(y, network(x, training=True))
        grads = tape.gradient(loss, network.trainable_weights)
        optimizer.apply_gradients(zip(grads, network.trainable_weights))
        return loss

    def _run_chunk(self, n):
        if self.keep_steps:  # every step's losses (the MNIST tutorial prints them per batch)
            logs = {name: tf.TensorArray(tf.float32, size=n) for name in self.log_names}
            for i in tf.range(n):
                step = self.train_step(None)
                logs = {name: logs[name].write(i, step[name]) for name in self.log_names}
            return {name: array.stack() for name, array in logs.items()}
        totals = {name: tf.constant(0.0) for name in self.log_names}  # cheaper: only the chunk's mean
        for _ in tf.range(n):
            step = self.train_step(None)
            totals = {name: totals[name] + step[name] for name in self.log_names}
        return {name: value / tf.cast(n, tf.float32) for name, value in totals.items()}

    def train_chunk(self, n: int) -> dict[str, np.ndarray]:
        """n train steps in one compiled call; each log's value at every step (keep_steps) or
        its mean over the chunk."""
        return {k: v.numpy() for k, v in self._chunk(tf.constant(n, tf.int32)).items()}


class GAN(_ChunkedTrainer):
    """Discriminator vs generator on a 1-D target, as the tutorial's `train()` loop.

    Per step: the discriminator on n_batch/2 real and n_batch/2 generated samples (two
    updates by default as the tutorial, or one stacked update), then the generator on
    n_batch latent points labelled real, through the unchanged discriminator.
    """

    log_names = ("d_loss", "g_loss")

    def __init__(self, discriminator, generator, target: Target, latent_dim: int, n_batch: int,
                 d_optimizer, g_optimizer, stacked: bool = False, seed: int = 0, jit_compile: bool = True):
        super().__init__(seed=seed, jit_compile=jit_compile)
        self.discriminator, self.generator, self.target = discriminator, generator, target
        self.latent_dim, self.n_batch, self.stacked = latent_dim, n_batch, stacked
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer
        # build optimizer slots now: variables cannot be created inside the compiled loop
        d_optimizer.build(discriminator.trainable_weights)
        g_optimizer.build(generator.trainable_weights)

    def sample_real(self, n):
        x = self.rng.uniform([n, 1], self.target.low, self.target.high)
        return tf.concat([x, self.target.tf_f(x)], axis=1)

    def sample_latent(self, n):
        return self.rng.normal([n, self.latent_dim])

    def train_step(self, data=None):
        half = self.n_batch // 2
        x_real = self.sample_real(half)
        x_fake = self.generator(self.sample_latent(half), training=True)
        if self.stacked:
            x = tf.concat([x_real, x_fake], axis=0)
            labels = tf.concat([tf.ones([half, 1]), tf.zeros([half, 1])], axis=0)
            with tf.GradientTape() as tape:
                d_loss = self.bce(labels, self.discriminator(x, training=True))
            grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
            self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        else:
            d_loss_real = self._update(self.discriminator, self.d_optimizer, x_real, 1.0)
            d_loss_fake = self._update(self.discriminator, self.d_optimizer, x_fake, 0.0)
            d_loss = (d_loss_real + d_loss_fake) / 2
        # the generator learns through the discriminator; only its own weights move
        z = self.sample_latent(self.n_batch)
        with tf.GradientTape() as tape:
            g_loss = self.bce(tf.ones([self.n_batch, 1]), self.discriminator(self.generator(z, training=True)))
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        return {"d_loss": d_loss, "g_loss": g_loss}


class DiscriminatorTrainer(_ChunkedTrainer):
    """The tutorial's `train_discriminator`: one update on n_batch/2 real samples (label 1)
    and one on n_batch/2 uniform noise points in [noise_low, noise_high]² (label 0)."""

    log_names = ("d_loss", "d_loss_real", "d_loss_fake")

    def __init__(self, discriminator, target: Target, n_batch: int, d_optimizer, noise_low: float = -1.0,
                 noise_high: float = 1.0, seed: int = 0, jit_compile: bool = True):
        super().__init__(seed=seed, jit_compile=jit_compile)
        self.discriminator, self.target, self.n_batch = discriminator, target, n_batch
        self.d_optimizer, self.noise_low, self.noise_high = d_optimizer, noise_low, noise_high
        d_optimizer.build(discriminator.trainable_weights)

    def train_step(self, data=None):
        half = self.n_batch // 2
        x = self.rng.uniform([half, 1], self.target.low, self.target.high)
        x_real = tf.concat([x, self.target.tf_f(x)], axis=1)
        x_noise = self.rng.uniform([half, 2], self.noise_low, self.noise_high)
        loss_real = self._update(self.discriminator, self.d_optimizer, x_real, 1.0)
        loss_fake = self._update(self.discriminator, self.d_optimizer, x_noise, 0.0)
        return {"d_loss": (loss_real + loss_fake) / 2, "d_loss_real": loss_real, "d_loss_fake": loss_fake}


@dataclass
class Evaluation:
    """A check-in every n_eval iterations: how the discriminator scores fresh samples."""

    iteration: int  # iterations done so far
    acc_real: float
    acc_fake: float
    d_loss: float  # mean over the chunk just trained
    g_loss: float  # nan for the discriminator lab
    real: np.ndarray  # the real samples evaluated, (n, 2)
    fake: np.ndarray  # the fake samples evaluated: generated, or noise in the lab
    seconds: float  # training time so far (compiled chunks only)
    metrics: dict[str, float] = field(default_factory=dict)

    @property
    def epoch(self) -> int:
        """The tutorial's loop index at this check-in (it prints i where (i+1) % n_eval == 0)."""
        return self.iteration - 1

    def row(self) -> dict:
        return {"iteration": self.iteration, "acc_real": self.acc_real, "acc_fake": self.acc_fake,
                "d_loss": self.d_loss, "g_loss": self.g_loss, "seconds": self.seconds, **self.metrics}


class ChunkedRun:
    """What every run shares (1-D and MNIST, GAN and discriminator alone): train n_eval
    iterations per compiled chunk, time them, evaluate, keep the history.

    A subclass sets config, trainer, discriminator, n_epochs and n_eval, and defines
    evaluate(logs) -> an evaluation with a row() for the history frame."""

    iteration = 0
    seconds = 0.0

    @property
    def done(self) -> bool:
        return self.iteration >= self.n_epochs

    def record_steps(self, steps: dict[str, np.ndarray]) -> None:
        """Hook for the per-step logs of a chunk (MNIST keeps every batch's losses)."""

    def train_chunk(self, n: int | None = None):
        """Train n iterations (default n_eval, never past n_epochs) and evaluate."""
        n = min(n or self.n_eval, self.n_epochs - self.iteration)
        if n <= 0:
            raise RuntimeError(f"This run is finished: {self.iteration:,} of {self.n_epochs:,} iterations.")
        start = time.perf_counter()
        steps = self.trainer.train_chunk(n)
        self.seconds += time.perf_counter() - start
        self.iteration += n
        self.record_steps(steps)
        evaluation = self.evaluate({name: float(np.mean(values)) for name, values in steps.items()})
        self.history.append(evaluation)
        return evaluation

    def train(self):
        """Yield an evaluation every n_eval iterations until n_epochs are done."""
        while not self.done:
            yield self.train_chunk()

    def history_frame(self) -> pd.DataFrame:
        """One row per check-in (iteration, acc_real, acc_fake, losses, metrics)."""
        return pd.DataFrame([e.row() for e in self.history])

    def discriminate(self, samples: np.ndarray) -> np.ndarray:
        """P(real) for each sample."""
        return np.asarray(self.discriminator(np.asarray(samples, np.float32), training=False)).reshape(-1)


class _Run(ChunkedRun):
    """What a 1-D GAN run and a discriminator-lab run share."""

    def __init__(self, config: Config, jit_compile: bool = True):
        self.config = config.checked()
        self.n_epochs, self.n_eval = config.n_epochs, config.n_eval
        self.target = config.make_target()
        self.eval_rng = np.random.default_rng(config.seed + 7919)
        self.history: list[Evaluation] = []
        self.discriminator = define_discriminator(2, config.d_hidden, config.d_activation, seed=config.seed * 100)
        self.d_optimizer = keras.optimizers.Adam(config.d_lr)

    def sample_real(self, n: int) -> np.ndarray:
        return self.target.sample_real(n, self.eval_rng)

class GanRun(_Run):
    """A GAN experiment that can be continued chunk by chunk."""

    def __init__(self, config: Config, jit_compile: bool = True):
        super().__init__(config, jit_compile)
        self.generator = define_generator(config.latent_dim, config.g_hidden, config.g_activation,
                                          seed=config.seed * 100 + 50)
        self.g_optimizer = keras.optimizers.Adam(config.g_lr)
        self.trainer = GAN(self.discriminator, self.generator, self.target, config.latent_dim, config.n_batch,
                           self.d_optimizer, self.g_optimizer, stacked=config.update == "stacked",
                           seed=config.seed, jit_compile=jit_compile)

    @property
    def composite(self) -> keras.Model:
        return define_gan(self.generator, self.discriminator)

    def sample_latent(self, n: int) -> np.ndarray:
        return latent.sample_latent(n, self.config.latent_dim, self.eval_rng)

    def generate(self, points: np.ndarray | int) -> np.ndarray:
        """Fake samples for the given latent points (or for n fresh ones)."""
        return latent.generate(self.generator, self.sample_latent(points) if isinstance(points, int) else points)

    def evaluate(self, logs: dict | None = None) -> Evaluation:
        n = self.config.n_eval_samples
        real, real_other, fake = self.sample_real(n), self.sample_real(n), self.generate(n)
        logs = logs or {}
        return Evaluation(
            iteration=self.iteration,
            acc_real=metrics.accuracy(self.discriminate(real), real=True),
            acc_fake=metrics.accuracy(self.discriminate(fake), real=False),
            d_loss=logs.get("d_loss", float("nan")), g_loss=logs.get("g_loss", float("nan")),
            real=real, fake=fake, seconds=self.seconds,
            metrics=metrics.sample_metrics(fake, real, real_other, self.target),
        )

    def score(self, n: int = 1000) -> dict[str, float]:
        """The objective distances on n fresh fake and real samples (more stable than a check-in's)."""
        return metrics.sample_metrics(self.generate(n), self.sample_real(n), self.sample_real(n), self.target)

    def save_generator(self, path: str) -> None:
        self.generator.save(path)


class DiscriminatorRun(_Run):
    """The discriminator alone, on real samples vs uniform noise."""

    def __init__(self, config: Config, jit_compile: bool = True):
        super().__init__(config, jit_compile)
        self.trainer = DiscriminatorTrainer(self.discriminator, self.target, config.n_batch, self.d_optimizer,
                                            config.noise_low, config.noise_high, seed=config.seed,
                                            jit_compile=jit_compile)

    def sample_noise(self, n: int) -> np.ndarray:
        low, high = self.config.noise_low, self.config.noise_high
        return self.eval_rng.uniform(low, high, size=(n, 2)).astype(np.float32)

    def evaluate(self, logs: dict | None = None) -> Evaluation:
        n = self.config.n_eval_samples
        real, noise = self.sample_real(n), self.sample_noise(n)
        logs = logs or {}
        return Evaluation(
            iteration=self.iteration,
            acc_real=metrics.accuracy(self.discriminate(real), real=True),
            acc_fake=metrics.accuracy(self.discriminate(noise), real=False),
            d_loss=logs.get("d_loss", float("nan")), g_loss=float("nan"),
            real=real, fake=noise, seconds=self.seconds,
        )
