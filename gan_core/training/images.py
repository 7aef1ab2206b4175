"""The MNIST experiments: the discriminator alone on real digits vs noise images, and the
DCGAN, trained in compiled steps shared by every run of the same shapes (see steps.py).

The digits go into the step as one uint8 tensor (the same for every run); each iteration
gathers a random half batch from it, so a step never returns to Python. Per the MNIST
tutorial: one stacked discriminator update on n_batch/2 real + n_batch/2 generated images,
then the generator on n_batch latent points labelled real; Adam(0.0002, beta_1=0.5);
per-batch losses kept.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import tensorflow as tf

from gan_core.data.mnist import Digits, to_unit
from gan_core.judging import metrics
from gan_core.networks import adam, latent
from gan_core.networks.models import image_discriminator, image_generator
from gan_core.settings.config import ImageConfig
from gan_core.training import steps
from gan_core.training.draws import integers, normal, uniform
from gan_core.training.run import ChunkedRun
from gan_core.training.seeds import eval_seed, network_seed
from gan_core.training.steps import Steps, descend, descend_apart, descend_generator, labels


def _real_images(state, k, pixels, n, tanh):
    x = tf.cast(tf.gather(pixels, integers(state, k, [n], tf.shape(pixels)[0])), tf.float32)[..., None] / 255.0
    return x * 2 - 1 if tanh else x


def image_gan_steps(config: ImageConfig, jit_compile: bool = False) -> Steps:
    """The MNIST tutorial's iteration as stages, as plane.gan_steps: the discriminator's update
    ("d"), then the generator's ("g"); slow motion runs them one at a time."""
    c = config
    # build() reads only the key's settings: the runs that share the step differ in the others
    key = (c.graph_key("train"), jit_compile)

    def build():
        discriminator, generator = image_discriminator(c), image_generator(c)
        half, n_batch, latent_dim, tanh = c.n_batch // 2, c.n_batch, c.latent_dim, c.scale == "tanh"
        apart = c.networks == "dcgan"  # batch norm: real and fake in calls of their own

        def latent_points(state, k, n, part=0):
            return normal(state, k, [n, latent_dim])

        def samples(state, data, part=0):
            """The iteration's real images and the generated ones its discriminator update sees (and the
            generator's state after that call: batch norm's statistics move in training mode)."""
            (pixels,) = data
            x_fake, g = steps.call(generator, state.g, latent_points(state, 1, half))
            return _real_images(state, 0, pixels, half, tanh), x_fake, g

        def discriminator_update(state, data, logs):
            x_real, x_fake, g = samples(state, data)
            if apart:
                d, d_loss = descend_apart(discriminator, state.d, x_real, x_fake)
            else:  # the tutorial's one stacked batch
                x = tf.concat([x_real, x_fake], axis=0)
                d, d_loss = descend(discriminator, state.d, x, tf.concat([labels(half, 1.0), labels(half, 0.0)], 0))
            logs["d"].append(d_loss)
            return state._replace(d=d, g=g), logs

        def generator_update(state, data, logs):
            g, d, g_loss = descend_generator(generator, state.g, discriminator, state.d,
                                             latent_points(state, 2, n_batch))
            logs["g"].append(g_loss)
            return state._replace(d=d, g=g), logs

        stages = [("d", 0, discriminator_update), ("g", 0, generator_update)]

        def train_step(state, data):
            logs = {"d": [], "g": []}
            for _, _, stage in stages:
                state, logs = stage(state, data, logs)
            return state._replace(iteration=state.iteration + 1), {"d_loss": logs["d"][0], "g_loss": logs["g"][0]}

        shared_steps = Steps(train_step, ("d_loss", "g_loss"), discriminator, generator, keep_steps=True,
                             jit_compile=jit_compile)
        shared_steps.stages, shared_steps.latent_points = stages, latent_points  # slow motion's (slow_motion.py)
        shared_steps.samples = lambda state, data, part=0: samples(state, data)[:2]
        return shared_steps

    return steps.shared(key, build)


def image_lab_steps(config: ImageConfig, jit_compile: bool = False) -> Steps:
    c = config
    # build() reads only the key's settings: the runs that share the step differ in the others
    key = (c.graph_key("discriminator"), jit_compile)

    def build():
        discriminator = image_discriminator(c)
        half, tanh = c.n_batch // 2, c.scale == "tanh"

        def train_step(state, data):
            (pixels,) = data
            noise = uniform(state, 1, [half, 28, 28, 1])  # the tutorial's fake images: uniform pixels
            d, loss_real = descend(discriminator, state.d, _real_images(state, 0, pixels, half, tanh),
                                   labels(half, 1.0))
            d, loss_fake = descend(discriminator, d, noise * 2 - 1 if tanh else noise, labels(half, 0.0))
            state = state._replace(d=d, iteration=state.iteration + 1)
            return state, {"d_loss": (loss_real + loss_fake) / 2, "d_loss_real": loss_real, "d_loss_fake": loss_fake}

        return Steps(train_step, ("d_loss", "d_loss_real", "d_loss_fake"), discriminator, keep_steps=True,
                     jit_compile=jit_compile)

    return steps.shared(key, build)


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
    snapshot: list | None = None  # the generator's weights at this check-in, then its batch norm statistics
    rates: dict[str, float] = field(default_factory=dict)  # the learning rates it trained with (they may change)
    payload = ("grid", "histogram", "real_histogram", "snapshot")  # the arrays; a long run drops most

    def row(self) -> dict:
        return {"iteration": self.iteration, "epoch": self.epoch, "acc_real": self.acc_real,
                "acc_fake": self.acc_fake, "d_loss": self.d_loss, "g_loss": self.g_loss, "seconds": self.seconds,
                **self.scores, **self.rates}


class _ImageRun(ChunkedRun):
    saved_fields = ChunkedRun.saved_fields + ("d_losses", "g_losses")

    def __init__(self, config: ImageConfig, digits: Digits, classifier=None):
        self.config, self.digits, self.classifier = config.checked(), digits, classifier
        if digits.scale != config.scale:
            raise ValueError(f"The digits are scaled for {digits.scale!r}, the config wants {config.scale!r}.")
        self.n_epochs, self.n_eval = config.iterations(len(digits))
        self.eval_rng = np.random.default_rng(eval_seed(config.seed))
        self.history: list[ImageEvaluation] = []
        # step_length 1: one batch per compiled step (0.05-1.3 s on a CPU)
        self.d_losses: list[float] = []  # every batch, as the tutorial prints them
        self.g_losses: list[float] = []

    def _discriminator(self):
        """This run's discriminator and its optimizer state, from the run's seed."""
        d = image_discriminator(self.config, seed=network_seed(self.config.seed, "d"))
        return d, adam.start(d, self.config.d_lr, self.config.beta_1)

    @property
    def epoch(self) -> float:
        return self.iteration * self.config.n_batch / 2 / len(self.digits)

    def record_steps(self, steps):
        self.d_losses.extend(steps["d_loss"].tolist())
        self.g_losses.extend(steps["g_loss"].tolist() if "g_loss" in steps else [np.nan] * len(steps["d_loss"]))

    def sample_real(self, n: int) -> np.ndarray:
        return self.digits.images[self.eval_rng.integers(0, len(self.digits), n)]

    def discriminate(self, samples: np.ndarray) -> np.ndarray:
        """P(real) for each image. The DCGAN's discriminator normalizes a batch by its own statistics,
        as in training, so call it with all-real or all-fake batches: that is what its accuracy means."""
        network = "d_batch" if self.config.networks == "dcgan" else "d"
        return self.steps.predict(network, self.state.d, samples).reshape(-1)

    def losses_frame(self) -> pd.DataFrame:
        """Per-batch losses (the tutorial's `>1, 1/234, d=0.69, g=0.70` lines)."""
        with self.lock:  # a worker may be adding batches
            d_losses, g_losses = list(self.d_losses), list(self.g_losses)
        return pd.DataFrame({"iteration": np.arange(1, len(d_losses) + 1), "d_loss": d_losses, "g_loss": g_losses})


class ImageGanRun(_ImageRun):
    """The MNIST DCGAN, continued chunk by chunk."""

    def __init__(self, config: ImageConfig, digits: Digits, classifier=None, jit_compile: bool = False):
        super().__init__(config, digits, classifier)
        c = self.config
        d, d_net = self._discriminator()
        g = image_generator(c, seed=network_seed(c.seed, "g"))
        state = steps.new_state(d_net, adam.start(g, c.g_lr, c.beta_1), c.seed)
        self._start(image_gan_steps(c, jit_compile), state, (digits.pixels(),), {"d": d, "g": g})
        self.grid_latent = self.sample_latent(100)  # the same 100 points every check-in: watch them learn

    def sample_latent(self, n: int) -> np.ndarray:
        return latent.sample_latent(n, self.config.latent_dim, self.eval_rng)

    def generate(self, points) -> np.ndarray:
        """Images in [0, 1] for latent points (or n fresh ones), shape (n, 28, 28)."""
        z = self.sample_latent(points) if isinstance(points, int) else points
        return to_unit(self.steps.predict("g", self.state.g, z), self.config.scale)[..., 0]

    def evaluate(self, logs: dict | None = None) -> ImageEvaluation:
        n, logs = self.config.n_eval_samples, logs or {}
        real = self.sample_real(n)
        fake = self.steps.predict("g", self.state.g, self.sample_latent(n))
        grid = self.generate(self.grid_latent)
        scores, hist, real_hist = {}, None, None
        if self.classifier is not None:
            real_unit = to_unit(self.sample_real(len(grid)), self.config.scale)[..., 0]  # same size as the grid
            scores, hist, real_hist = metrics.digit_scores_pair(self.classifier, grid, real_unit)
            # how many of each digit: the collapse alarm names the missing ones
            scores.update({name: float(count) for name, count in zip(metrics.MADE, hist)})
        return ImageEvaluation(
            iteration=self.iteration, epoch=self.epoch,
            acc_real=metrics.accuracy(self.discriminate(real), real=True),
            acc_fake=metrics.accuracy(self.discriminate(fake), real=False),
            d_loss=logs.get("d_loss", float("nan")), g_loss=logs.get("g_loss", float("nan")),
            grid=grid, seconds=self.seconds, scores=scores,
            histogram=hist, real_histogram=real_hist,
            snapshot=[np.array(w) for w in (*self.state.g.weights, *self.state.g.other)],  # with batch norm's stats
        )

    def save_generator(self, path: str, evaluation: ImageEvaluation | None = None) -> None:
        """Save the generator, or its snapshot at a past check-in."""
        if evaluation is None or evaluation.snapshot is None:
            self.generator.save(path)
            return
        model = image_generator(self.config)  # a model of its own: the run's may be in use by another thread
        for variable, value in zip(model.trainable_variables + model.non_trainable_variables, evaluation.snapshot):
            variable.assign(value)
        model.save(path)


class ImageDiscriminatorRun(_ImageRun):
    """The conv discriminator alone: real digits vs uniform-noise images."""

    def __init__(self, config: ImageConfig, digits: Digits, jit_compile: bool = False):
        super().__init__(config, digits)
        d, d_net = self._discriminator()
        state = steps.new_state(d_net, (), self.config.seed)
        self._start(image_lab_steps(self.config, jit_compile), state, (digits.pixels(),), {"d": d})

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
