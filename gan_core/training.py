"""Discriminator-only and GAN training, in compiled chunks, with an Evaluation every n_eval.

The GAN is a `keras.Model` subclass with its own `train_step` (the keras.io DCGAN
pattern): each optimizer applies gradients to its own network only. This replaces the
tutorial's `discriminator.trainable = False` before compiling the composite, which in
Keras 3 freezes the discriminator everywhere so that it never trains.

A run trains in short compiled steps (`advance()`): at most `step_length` iterations, a
length chosen from the networks' size so that a step is a fraction of a second of work, and
never past the next check-in. Each step is one call of an XLA-compiled `tf.function` whose
`tf.while_loop` takes its trip count as a tensor, so steps of any length share one compiled
loop. Samples are drawn in the loop from a per-run `tf.random.Generator`. Where the steps
fall depends only on the iteration count (never on timing or on when a run was stopped), so
a seed gives the same history however the run is paused, resumed or shared. A run holds the
models, optimizers, random state and the history of Evaluations; `train_chunk()` trains to
the next check-in, and calling it again continues where it stopped.
"""
from __future__ import annotations

import threading
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
        # a tf.while_loop whose bound is a tensor: XLA compiles it once for every length
        # (a tf.range loop's trip count is a compile-time constant: each new n compiled again)
        names = self.log_names
        if self.keep_steps:  # every step's losses (the MNIST tutorial prints them per batch)
            def body(i, logs):
                step = self.train_step(None)
                return i + 1, tuple(log.write(i, step[name]) for log, name in zip(logs, names))

            logs = tuple(tf.TensorArray(tf.float32, size=n) for _ in names)
            _, logs = tf.while_loop(lambda i, _: i < n, body, (tf.constant(0), logs))
            return {name: log.stack() for name, log in zip(names, logs)}

        def body(i, totals):  # cheaper: only the sums, for the check-in's mean
            step = self.train_step(None)
            return i + 1, tuple(total + step[name] for total, name in zip(totals, names))

        totals = tuple(tf.constant(0.0) for _ in names)
        _, totals = tf.while_loop(lambda i, _: i < n, body, (tf.constant(0), totals))
        return dict(zip(names, totals))

    def train_chunk(self, n: int) -> dict[str, np.ndarray]:
        """n train steps in one compiled call; each log's value at every step (keep_steps) or
        its sum over the n steps."""
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
    seconds: float  # training time so far (compiled steps and evaluations)
    metrics: dict[str, float] = field(default_factory=dict)
    decision: np.ndarray | None = None  # the lab's P(real) grid: rows (x, y, p_real)

    @property
    def epoch(self) -> int:
        """The tutorial's loop index at this check-in (it prints i where (i+1) % n_eval == 0)."""
        return self.iteration - 1

    def row(self) -> dict:
        return {"iteration": self.iteration, "acc_real": self.acc_real, "acc_fake": self.acc_fake,
                "d_loss": self.d_loss, "g_loss": self.g_loss, "seconds": self.seconds, **self.metrics}


@dataclass
class RunView:
    """What a page draws: a run's progress and check-ins at one moment."""

    iteration: int
    n_epochs: int
    seconds: float
    compile_seconds: float | None
    history: list

    @property
    def done(self) -> bool:
        return self.iteration >= self.n_epochs

    def history_frame(self) -> pd.DataFrame:
        return pd.DataFrame([e.row() for e in self.history])


class ChunkedRun:
    """What every run shares (1-D and MNIST, GAN and discriminator alone): train in short
    compiled steps, time them, evaluate every n_eval iterations, keep the history.

    A subclass sets config, trainer, discriminator, n_epochs, n_eval and step_length, and
    defines evaluate(logs) -> an evaluation with a row() for the history frame.

    One thread trains (`advance`); others may read at the same time: `iteration`, `seconds`
    and `history` change together under `lock`, and `view()` copies them consistently.
    """

    iteration = 0
    seconds = 0.0  # time inside compiled steps and evaluations, compilation included
    compile_seconds = None  # the first step's time (it compiles the loop); None until it ran
    step_length = 1

    def _start_steps(self) -> None:
        self.lock = threading.Lock()
        self._sums: dict[str, float] = {}  # per-step losses summed since the last check-in

    @property
    def done(self) -> bool:
        return self.iteration >= self.n_epochs

    @property
    def next_check_in(self) -> int:
        return min((self.iteration // self.n_eval + 1) * self.n_eval, self.n_epochs)

    def record_steps(self, steps: dict[str, np.ndarray]) -> None:
        """Hook for the per-step logs of a step (MNIST keeps every batch's losses)."""

    def advance(self):
        """Train one step: at most step_length iterations, never past the next check-in. At a
        check-in, evaluate and append to the history; return the Evaluation, else None."""
        check_in = self.next_check_in
        n = min(self.step_length, check_in - self.iteration)
        if n <= 0:
            raise RuntimeError(f"This run is finished: {self.iteration:,} of {self.n_epochs:,} iterations.")
        start = time.perf_counter()
        steps = self.trainer.train_chunk(n)
        for name, values in steps.items():
            self._sums[name] = self._sums.get(name, 0.0) + float(np.sum(values))
        with self.lock:
            self.record_steps(steps)
            self.iteration += n
            if self.compile_seconds is None:
                self.compile_seconds = time.perf_counter() - start
        evaluation = None
        if self.iteration == check_in:
            since = self.iteration - (self.history[-1].iteration if self.history else 0)
            evaluation = self.evaluate({name: total / since for name, total in self._sums.items()})
            self._sums = {}
        with self.lock:
            self.seconds += time.perf_counter() - start
            if evaluation is not None:
                evaluation.seconds = self.seconds
                self.history.append(evaluation)
        return evaluation

    def train_chunk(self):
        """Train to the next check-in (n_eval iterations, or what is left) and return its evaluation."""
        while (evaluation := self.advance()) is None:
            pass
        return evaluation

    def train(self):
        """Yield an evaluation every n_eval iterations until n_epochs are done."""
        while not self.done:
            yield self.train_chunk()

    def view(self) -> "RunView":
        """A consistent copy of the progress, safe to read while another thread trains."""
        with self.lock:
            return RunView(self.iteration, self.n_epochs, self.seconds, self.compile_seconds, list(self.history))

    def history_frame(self) -> pd.DataFrame:
        """One row per check-in (iteration, acc_real, acc_fake, losses, metrics)."""
        return self.view().history_frame()

    def predict(self, model, x: np.ndarray) -> np.ndarray:
        """model(x) through a tf.function traced once per model: every check-in calls the
        networks, and an eager Keras call costs about 3 ms (most of a 1-D evaluation), holding
        the GIL that the app's live view needs."""
        compiled = self.__dict__.setdefault("_predictors", {})
        if id(model) not in compiled:
            compiled[id(model)] = tf.function(lambda x: model(x, training=False), reduce_retracing=True)
        return compiled[id(model)](tf.constant(x, tf.float32)).numpy()

    def discriminate(self, samples: np.ndarray) -> np.ndarray:
        """P(real) for each sample."""
        return self.predict(self.discriminator, samples).reshape(-1)


DECISION_GRID = 40  # the lab's heat map: P(real) on a 40x40 grid at every check-in
STEP_SECONDS = 0.1  # aim for compiled steps this long, so a Stop is taken within a fraction of a second
MAX_STEP_LENGTH = 512


def step_length(n_batch: int, parameters: int) -> int:
    """Iterations per compiled step for a 1-D run: a power of two (at most MAX_STEP_LENGTH) whose
    estimated time is about STEP_SECONDS. The estimate (a fixed cost per iteration plus one per
    sample and weight, measured on a 2-core CPU) depends only on the config, never on timing, so
    where the steps fall, and the history, are the same on any machine."""
    estimate = 80e-6 + 1.5e-10 * n_batch * parameters
    length = 1
    while length * 2 <= MAX_STEP_LENGTH and length * 2 * estimate <= STEP_SECONDS:
        length *= 2
    return length


class _Run(ChunkedRun):
    """What a 1-D GAN run and a discriminator-lab run share."""

    def __init__(self, config: Config, jit_compile: bool = True):
        self.config = config.checked()
        self.n_epochs, self.n_eval = config.n_epochs, config.n_eval
        self.target = config.make_target()
        self.eval_rng = np.random.default_rng(config.seed + 7919)
        self.history: list[Evaluation] = []
        self._start_steps()
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
        self.step_length = step_length(config.n_batch, self.discriminator.count_params() +
                                       self.generator.count_params())

    @property
    def composite(self) -> keras.Model:
        return define_gan(self.generator, self.discriminator)

    def sample_latent(self, n: int) -> np.ndarray:
        return latent.sample_latent(n, self.config.latent_dim, self.eval_rng)

    def generate(self, points: np.ndarray | int) -> np.ndarray:
        """Fake samples for the given latent points (or for n fresh ones)."""
        return self.predict(self.generator, self.sample_latent(points) if isinstance(points, int) else points)

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
        self.step_length = step_length(config.n_batch, self.discriminator.count_params())

    def sample_noise(self, n: int) -> np.ndarray:
        low, high = self.config.noise_low, self.config.noise_high
        return self.eval_rng.uniform(low, high, size=(n, 2)).astype(np.float32)

    def plane(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """(x limits, y limits) of the lab's heat map: the noise box and the target's curve."""
        low, high = self.config.noise_low, self.config.noise_high
        curve_y = self.target.curve(200)[:, 1]
        return ((min(low, self.target.low), max(high, self.target.high)),
                (min(low, float(curve_y.min())), max(high, float(curve_y.max()))))

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
            decision=metrics.decision_grid(self.discriminator, *self.plane(), n=DECISION_GRID),
        )
