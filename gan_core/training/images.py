"""The image experiments, MNIST digits and a user's own pictures: the discriminator alone on real
images vs noise images, and the DCGAN, trained in compiled steps shared by every run of the same
shapes (see steps.py).

The images go into the step as one uint8 tensor (the same for every run); each iteration
gathers a random half batch from it, so a step never returns to Python. Per the MNIST
tutorial: one stacked discriminator update on n_batch/2 real + n_batch/2 generated images,
then the generator on n_batch latent points labelled real; Adam(0.0002, beta_1=0.5);
per-batch losses kept. A user's pictures (YourImagesGanRun, YourImagesDiscriminatorRun) add
DiffAugment in both updates and, having no labels, a Fréchet distance and a memorization check
(judging/metrics.py) at each check-in.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import tensorflow as tf

from gan_core.data.images import ImageSet
from gan_core.data.mnist import Digits, to_unit
from gan_core.judging import metrics
from gan_core.networks import adam, conditional, latent
from gan_core.networks.augment import POLICIES, RANDOM, diff_augment
from gan_core.networks.models import image_discriminator, image_generator
from gan_core.settings.config import ImageConfig, YourImagesConfig
from gan_core.training import steps
from gan_core.training.draws import integers, normal, uniform
from gan_core.training.run import ChunkedRun
from gan_core.training.seeds import eval_seed, network_seed
from gan_core.training.steps import (GENERATOR_PART, Steps, averaged, descend, descend_apart, descend_generator, labels,
                                     stabilizers, with_horizon)


MNIST = (28, 28, 1)  # the digits' shape: (height, width, channels)
# draws.py's draw numbers of an iteration: 0 the real images, 1 and 2 the latent points, 3 to 5 DiffAugment's,
# 6 and 7 instance noise (steps.NOISE_DRAWS) and, from part ASKED_PART on, the digits a conditional run asks for
# with latent points 1 and 2 (new counters: the others' draws stay)
AUGMENT_DRAWS = {"real": 3, "fake": 4, "generator": 5}
ASKED_DRAWS = {1: 6, 2: 7}
ASKED_PART = 32  # above instance noise's parts (0 and steps.GENERATOR_PART)
JUDGE_STREAM = 34  # the third number of the digit judge's own seed (the run's seed, the iteration, this)


def _real_images(state, k, pixels, n, tanh, digit_labels=None):
    """A half batch of real images; with `digit_labels` (a conditional run's), each with its own label's
    10 channels after it: the labels are gathered at the pixels' own indices."""
    index = integers(state, k, [n], tf.shape(pixels)[0])
    x = tf.cast(tf.gather(pixels, index), tf.float32)
    x = (x[..., None] if pixels.shape.rank == 3 else x) / 255.0  # the digits are (n, 28, 28): one channel
    x = x * 2 - 1 if tanh else x
    if digit_labels is None:
        return x
    return conditional.tf_with_channels(x, tf.one_hot(tf.gather(digit_labels, index), conditional.N_CLASSES))


def _augmenter(config):
    """DiffAugment as the step applies it: (images, state, which) -> augmented images, with the iteration's
    own draws; None when the settings have it off (MNIST's have no such setting)."""
    if getattr(config, "augment", "off") != "on":
        return None
    augment = diff_augment(POLICIES, background=-1.0 if config.scale == "tanh" else 0.0)
    return lambda x, state, which: augment(x, uniform(state, AUGMENT_DRAWS[which], [tf.shape(x)[0], RANDOM]))


def image_gan_steps(config: ImageConfig | YourImagesConfig, jit_compile: bool = False, shape=MNIST) -> Steps:
    """The MNIST tutorial's iteration as stages, as plane.gan_steps: the discriminator's update
    ("d"), then the generator's ("g"); slow motion runs them one at a time. `shape`: the images'
    (height, width, channels), which the real data puts in the key as a point set's dimension."""
    c = config
    # build() reads only the key's settings: the runs that share the step differ in the others
    key = (c.graph_key("train"), tuple(shape), jit_compile)

    def build():
        discriminator, generator = image_discriminator(c, shape=shape), image_generator(c, shape=shape)
        half, n_batch, latent_dim, tanh = c.n_batch // 2, c.n_batch, c.latent_dim, c.scale == "tanh"
        apart = c.networks == "dcgan"  # batch norm: real and fake in calls of their own
        augment = _augmenter(c)
        r1, blur, average = stabilizers(c, discriminator, "sigmoid")
        asks = conditional.is_on(c)  # a conditional GAN: data holds the digits' labels too
        real_label = getattr(c, "real_label", 1.0)  # one-sided label smoothing (a user's pictures have none)

        def latent_points(state, k, n, part=0):
            z = normal(state, k, [n, latent_dim])
            if asks:  # the digits asked for, random, with one-hot codes after the latent points
                return conditional.tf_latent_with(z, integers(state, ASKED_DRAWS[k], [n], conditional.N_CLASSES,
                                                                    part=ASKED_PART))
            return z

        def labelled(x_fake, z):
            """Fakes as the discriminator sees them: a conditional run's with the codes they were asked with."""
            return conditional.tf_with_channels(x_fake, z[:, latent_dim:]) if asks else x_fake

        def samples(state, data, part=0):
            """The iteration's real images and the generated ones its discriminator update sees (and the
            generator's state after that call: batch norm's statistics move in training mode); a
            conditional run's with their labels' channels."""
            pixels = data[0]  # then a conditional run's labels; with instance noise, the run's iterations last
            digit_labels = data[1:2] if asks else ()
            z = latent_points(state, 1, half)
            x_fake, g = steps.call(generator, state.g, z)
            return _real_images(state, 0, pixels, half, tanh, *digit_labels), labelled(x_fake, z), g

        def discriminator_update(state, data, logs):
            x_real, x_fake, g = samples(state, data)
            if augment is not None:  # both alike, so the discriminator cannot tell them apart by it
                x_real, x_fake = augment(x_real, state, "real"), augment(x_fake, state, "fake")
            if blur is not None:  # instance noise on what the discriminator sees, augmented or not
                x_real, x_fake = blur(state, data, x_real, "real"), blur(state, data, x_fake, "fake")
            penalty = r1 and r1(x_real)
            if apart:
                d, d_loss = descend_apart(discriminator, state.d, x_real, x_fake, penalty=penalty,
                                          real_label=real_label)
            else:  # the tutorial's one stacked batch
                x = tf.concat([x_real, x_fake], axis=0)
                d, d_loss = descend(discriminator, state.d, x,
                                    tf.concat([labels(half, real_label), labels(half, 0.0)], 0), penalty=penalty)
            logs["d"].append(d_loss)
            return state._replace(d=d, g=g), logs

        def seen(state, data):
            """The generator's fakes as the discriminator takes them in the generator's update: through the
            same augmentation (and instance noise) they get in the discriminator's; None: as they are."""
            if blur is None:
                return augment and (lambda fake: augment(fake, state, "generator"))
            return lambda fake: blur(state, data, augment(fake, state, "generator") if augment else fake, "fake",
                                     GENERATOR_PART)

        def generator_update(state, data, logs):
            z = latent_points(state, 2, n_batch)
            pack = after = seen(state, data)
            if asks:  # the discriminator judges each fake as the digit it was asked for (then any noise)
                pack = (lambda fake: labelled(fake, z)) if after is None else (lambda fake: after(labelled(fake, z)))
            g, d, g_loss = descend_generator(generator, state.g, discriminator, state.d, z, pack=pack)
            logs["g"].append(g_loss)
            if average is not None:
                return state._replace(d=d, g=g, ema=average(state, g)), logs
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
        shared_steps.labelled = labelled  # slow motion's: what the discriminator sees of fakes
        return shared_steps

    return steps.shared(key, build)


def image_lab_steps(config: ImageConfig | YourImagesConfig, jit_compile: bool = False, shape=MNIST) -> Steps:
    c = config
    # build() reads only the key's settings: the runs that share the step differ in the others
    key = (c.graph_key("discriminator"), tuple(shape), jit_compile)

    def build():
        discriminator = image_discriminator(c, shape=shape)
        half, tanh = c.n_batch // 2, c.scale == "tanh"
        augment = _augmenter(c)

        def train_step(state, data):
            (pixels,) = data
            noise = uniform(state, 1, [half, *shape])  # the tutorial's fake images: uniform pixels
            real, noise = _real_images(state, 0, pixels, half, tanh), noise * 2 - 1 if tanh else noise
            if augment is not None:
                real, noise = augment(real, state, "real"), augment(noise, state, "fake")
            d, loss_real = descend(discriminator, state.d, real, labels(half, 1.0))
            d, loss_fake = descend(discriminator, d, noise, labels(half, 0.0))
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
    grid: np.ndarray  # (100, 28, 28) generated (or noise) images in [0, 1]; a user's: (100, side, side, channels)
    seconds: float
    scores: dict[str, float] = field(default_factory=dict)
    histogram: np.ndarray | None = None  # predicted digits of the grid, counts for 0-9
    real_histogram: np.ndarray | None = None
    snapshot: list | None = None  # the generator's weights at this check-in, then its batch norm statistics
    rates: dict[str, float] = field(default_factory=dict)  # the learning rates it trained with (they may change)
    # the memorization check's pairs (MNIST with its classifier; a user's pictures): each grid picture's
    # nearest training picture, its index in the set, and their distance (root mean square, pixels in [0, 1])
    nearest: np.ndarray | None = None
    nearest_distances: np.ndarray | None = None
    payload = ("grid", "histogram", "real_histogram", "snapshot", "nearest", "nearest_distances")  # a long run drops most

    def row(self) -> dict:
        return {"iteration": self.iteration, "epoch": self.epoch, "acc_real": self.acc_real,
                "acc_fake": self.acc_fake, "d_loss": self.d_loss, "g_loss": self.g_loss, "seconds": self.seconds,
                **self.scores, **self.rates}


@dataclass
class PictureEvaluation(ImageEvaluation):
    """A check-in of a run on a user's pictures: an ImageEvaluation whose grid keeps its channels, with
    each grid picture's nearest training picture (the memorization check: to show them side by side)."""

    payload = ("grid", "snapshot", "nearest", "nearest_distances")


class _ImageRun(ChunkedRun):
    saved_fields = ChunkedRun.saved_fields + ("d_losses", "g_losses")
    keep_channels = False  # MNIST's grids are (n, 28, 28); a user's pictures keep their channels

    def __init__(self, config: ImageConfig | YourImagesConfig, digits: Digits | ImageSet, classifier=None):
        self.config, self.digits, self.classifier = config.checked(), digits, classifier
        if digits.scale != config.scale:
            raise ValueError(f"The digits are scaled for {digits.scale!r}, the config wants {config.scale!r}.")
        self.shape = tuple(digits.images.shape[1:])  # (height, width, channels)
        self.n_epochs, self.n_eval = config.iterations(len(digits))
        self.eval_rng = np.random.default_rng(eval_seed(config.seed))
        self.history: list[ImageEvaluation] = []
        # step_length 1: one batch per compiled step (0.05-1.3 s on a CPU)
        self.d_losses: list[float] = []  # every batch, as the tutorial prints them
        self.g_losses: list[float] = []

    def _discriminator(self):
        """This run's discriminator and its optimizer state, from the run's seed."""
        d = image_discriminator(self.config, seed=network_seed(self.config.seed, "d"), shape=self.shape)
        return d, adam.start(d, self.config.d_lr, self.config.beta_1)

    @property
    def epoch(self) -> float:
        return self.iteration * self.config.n_batch / 2 / len(self.digits)

    def record_steps(self, steps):
        self.d_losses.extend(steps["d_loss"].tolist())
        self.g_losses.extend(steps["g_loss"].tolist() if "g_loss" in steps else [np.nan] * len(steps["d_loss"]))

    def sample_real(self, n: int) -> np.ndarray:
        return self.sample_labelled(n)[0]

    def sample_labelled(self, n: int) -> tuple[np.ndarray, np.ndarray | None]:
        """n real images and their labels (None: a user's pictures have none), one draw of eval_rng."""
        index = self.eval_rng.integers(0, len(self.digits), n)
        picked = self.digits.images[index]
        labels = getattr(self.digits, "labels", None)
        labels = None if labels is None else np.asarray(labels)[index]
        if picked.dtype == np.uint8:  # a user's pictures, kept in 8 bits: scaled as the step scales them
            picked = picked.astype(np.float32) / 255.0
            return (picked * 2 - 1 if self.config.scale == "tanh" else picked), labels
        return picked, labels

    def shown(self, images: np.ndarray) -> np.ndarray:
        """Images as a grid holds them: in [0, 1], MNIST's without their one channel."""
        unit = to_unit(images, self.config.scale)
        return unit if self.keep_channels else unit[..., 0]

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
        g = image_generator(c, seed=network_seed(c.seed, "g"), shape=self.shape)
        state = steps.new_state(d_net, adam.start(g, c.g_lr, c.beta_1), c.seed, bool(c.ema))
        models = {"d": d, "g": g}
        if c.ema:  # the averaged generator's own model, for its previews and its saved file
            models["g_ema"] = image_generator(c, shape=self.shape)
        self.conditional = conditional.is_on(c)
        data = (digits.pixels(),) + ((tf.constant(np.asarray(digits.labels), tf.int32),) if self.conditional else ())
        self._start(image_gan_steps(c, jit_compile, self.shape), state, with_horizon(c, data, self.n_epochs), models)
        self.grid_latent = self.sample_latent(100)  # the same 100 points every check-in: watch them learn
        self.grid_digits = None
        if self.conditional:  # row d asks for digit d; a column holds one latent point: the digit changes, the style not
            self.grid_latent = np.tile(self.grid_latent[:10], (10, 1))
            self.grid_digits = np.repeat(np.arange(conditional.N_CLASSES), 10)

    def sample_latent(self, n: int) -> np.ndarray:
        return latent.sample_latent(n, self.config.latent_dim, self.eval_rng)

    def generator_input(self, z: np.ndarray, digits=None) -> np.ndarray:
        """The generator's input for latent points: a conditional run's with the digits asked for (by
        default 0, 1, ..., 9, 0, ...) as one-hot codes after them."""
        if not self.conditional:
            return z
        return conditional.latent_with(z, np.arange(len(z)) % conditional.N_CLASSES if digits is None else digits)

    def generate(self, points, digits=None, raw: bool = False) -> np.ndarray:
        """Images in [0, 1] for latent points (or n fresh ones), shape (n, 28, 28) (a user's pictures:
        (n, side, side, channels)): the generator preview. `digits`: a conditional run's digits asked for.
        Of the generator the run shows (its moving average with ema on), or with `raw` of the generator as
        trained."""
        z = self.sample_latent(points) if isinstance(points, int) else points
        return self.shown(self.steps.predict("g", self.state.g if raw else averaged(self.state),
                                             self.generator_input(z, digits)))

    def raw_scores(self) -> dict[str, float]:
        """With ema on, the raw generator's main score on the check-in's grid latent points, as
        `classifier_score_raw` (MNIST with its classifier); nothing otherwise."""
        if not self.config.ema or self.classifier is None:
            return {}
        real_unit = to_unit(self.sample_real(len(self.grid_latent)), self.config.scale)[..., 0]
        raw = self.generate(self.grid_latent, self.grid_digits, raw=True)
        scores, _, _ = metrics.digit_scores_pair(self.classifier, raw, real_unit)
        return {"classifier_score_raw": scores["classifier_score"]}

    def evaluate(self, logs: dict | None = None) -> ImageEvaluation:
        n, logs = self.config.n_eval_samples, logs or {}
        real, real_digits = self.sample_labelled(n)
        z, shown = self.sample_latent(n), averaged(self.state)
        if self.conditional:  # each judged with its label's channels, as in training
            asked = self.eval_rng.integers(0, conditional.N_CLASSES, n)
            fake = conditional.with_channels(self.steps.predict("g", shown, conditional.latent_with(z, asked)), asked)
            real = conditional.with_channels(real, real_digits)
        else:
            fake = self.steps.predict("g", shown, z)
        grid = self.generate(self.grid_latent, self.grid_digits)
        scores, hist, real_hist, judged = {}, None, None, {"nearest": None, "nearest_distances": None}
        if self.classifier is not None:
            real_unit = to_unit(self.sample_real(len(grid)), self.config.scale)[..., 0]  # same size as the grid
            scores, hist, real_hist = metrics.digit_scores_pair(self.classifier, grid, real_unit)
            # how many of each digit: the collapse alarm names the missing ones
            scores.update({name: float(count) for name, count in zip(metrics.MADE, hist)})
            judged = self.judge_digits(grid)
            scores.update(judged["scores"])
            scores.update(self.raw_scores())
        return ImageEvaluation(
            iteration=self.iteration, epoch=self.epoch,
            acc_real=metrics.accuracy(self.discriminate(real), real=True),
            acc_fake=metrics.accuracy(self.discriminate(fake), real=False),
            d_loss=logs.get("d_loss", float("nan")), g_loss=logs.get("g_loss", float("nan")),
            grid=grid, seconds=self.seconds, scores=scores,
            histogram=hist, real_histogram=real_hist,
            nearest=judged["nearest"], nearest_distances=judged["nearest_distances"],
            # the shown generator's weights (with ema, the average's), with batch norm's statistics
            snapshot=[np.array(w) for w in (*averaged(self.state).weights, *averaged(self.state).other)],
        )

    def judge_digits(self, grid: np.ndarray) -> dict:
        """The Fréchet distance on the classifier's logits and the memorization check (metrics.DigitJudge).
        Its generated digits come from a numpy Generator of their own, seeded by the run's seed and the
        iteration: never from eval_rng, so every other column of the history is what it was without them,
        and a check-in's scores are the same however the run was cut."""
        judge = metrics.digit_judge(self.digits, self.classifier)
        rng = np.random.default_rng([self.config.seed, self.iteration, JUDGE_STREAM])
        z = latent.sample_latent(judge.n_fake, self.config.latent_dim, rng)
        # a conditional run asks for each digit alike (50 of each of 500): the Fréchet distance compares them with
        # real digits, nearly balanced, and label_agreement is known to about ±1.5 % near 90 %
        asked = np.arange(judge.n_fake) % conditional.N_CLASSES if self.conditional else None
        many = self.shown(self.steps.predict("g", averaged(self.state), self.generator_input(z, asked)))
        return judge.scores(many, grid, asked=asked)

    def save_generator(self, path: str, evaluation: ImageEvaluation | None = None) -> None:
        """Save the generator the run shows (with ema on, its moving average), or its snapshot at a past check-in."""
        if evaluation is None or evaluation.snapshot is None:
            self.shown_generator.save(path)
            return
        model = image_generator(self.config, shape=self.shape)  # its own model: the run's may be in another thread
        for variable, value in zip(model.trainable_variables + model.non_trainable_variables, evaluation.snapshot):
            variable.assign(value)
        model.save(path)


class ImageDiscriminatorRun(_ImageRun):
    """The conv discriminator alone: real digits vs uniform-noise images."""

    def __init__(self, config: ImageConfig, digits: Digits, jit_compile: bool = False):
        if conditional.is_on(config):  # a GAN's setting (its commands: "train"): real digits vs noise know no labels
            config = replace(config, conditional="off")
        super().__init__(config, digits)
        d, d_net = self._discriminator()
        state = steps.new_state(d_net, (), self.config.seed)
        self._start(image_lab_steps(self.config, jit_compile, self.shape), state, (digits.pixels(),), {"d": d})

    real_name = "digits"  # the scores' names: p_real_digits, p_real_noise

    def sample_noise(self, n: int) -> np.ndarray:
        x = self.eval_rng.uniform(size=(n, *self.shape)).astype(np.float32)
        return x * 2 - 1 if self.config.scale == "tanh" else x

    def evaluate(self, logs: dict | None = None) -> ImageEvaluation:
        """Accuracy on fresh real digits and noise images; the grid shows 10 of each (real first)
        with the discriminator's mean P(real) for each kind in scores."""
        n, logs = self.config.n_eval_samples, logs or {}
        real, noise = self.sample_real(n), self.sample_noise(n)
        p_real, p_noise = self.discriminate(real), self.discriminate(noise)
        shown = self.shown(np.concatenate([real[:10], noise[:10]]))
        return ImageEvaluation(
            iteration=self.iteration, epoch=self.epoch,
            acc_real=metrics.accuracy(p_real, real=True),
            acc_fake=metrics.accuracy(p_noise, real=False),
            d_loss=logs.get("d_loss", float("nan")), g_loss=logs.get("g_loss", float("nan")),
            grid=shown, seconds=self.seconds,
            scores={f"p_real_{self.real_name}": float(p_real[:10].mean()), "p_real_noise": float(p_noise[:10].mean())},
        )


# ---- a user's own pictures -------------------------------------------------------------------------

def _check_set(config: YourImagesConfig, images: ImageSet) -> None:
    """The prepared set must be what the settings ask for (data/images.py prepares it from them)."""
    if images.side != config.side:
        raise ValueError(f"The pictures are {images.side}×{images.side}, the settings want side {config.side}.")
    wanted = {"gray": 1, "color": 3}.get(config.color)
    if wanted is not None and images.channels != wanted:
        raise ValueError(f"The pictures have {images.channels} channel(s), the settings want {config.color}.")


class _AsTrained:
    """A user's pictures' runs judge the check-in's pictures as the discriminator saw them in training:
    through DiffAugment when it is on. (Shown them plain, a discriminator that only ever saw augmented
    pictures called every fake real: acc_fake 0.00 all run long in bench/images.py.) The draws come
    from the seed and the iteration, so a run's later check-ins are the same however it was cut."""

    def discriminate(self, samples: np.ndarray) -> np.ndarray:
        if self.config.augment == "on":
            rng = np.random.default_rng([self.config.seed, self.iteration, len(samples)])
            augment = diff_augment(POLICIES, background=-1.0)  # pixels in [-1, 1] (scale "tanh")
            samples = augment(tf.constant(samples), tf.constant(rng.random((len(samples), RANDOM)), tf.float32))
        return super().discriminate(np.asarray(samples))


class YourImagesGanRun(_AsTrained, ImageGanRun):
    """The DCGAN on a user's pictures (an ImageSet), with DiffAugment unless it is off. Each check-in
    judges the grid without labels: the Fréchet distance of random-network features and the nearest
    training picture of each grid picture, each beside its real-vs-real floor (metrics.PictureJudge)."""

    keep_channels = True
    pictures_shared = False  # the owner's pictures go with a download of the run only when the owner says so

    def __init__(self, config: YourImagesConfig, images: ImageSet, jit_compile: bool = False):
        _check_set(config, images)
        super().__init__(config, images, jit_compile=jit_compile)
        self.judge = metrics.picture_judge(images)

    def raw_scores(self) -> dict[str, float]:
        """With ema on, the raw generator's Fréchet distance, as `frechet_distance_raw` (the check-in's own
        is the averaged generator's); nothing with ema off."""
        if not self.config.ema:
            return {}
        many = self.generate(self.judge.n_fake, raw=True)
        return {"frechet_distance_raw": metrics.frechet_distance(self.judge.features(many), self.judge.reference)}

    def evaluate(self, logs: dict | None = None) -> PictureEvaluation:
        base = super().evaluate(logs)
        many = self.generate(self.judge.n_fake)  # as many as the floor's real half
        scores = self.judge.scores(many, base.grid)
        scores["scores"].update(self.raw_scores())
        return PictureEvaluation(**{**vars(base), "scores": scores["scores"], "nearest": scores["nearest"],
                                    "nearest_distances": scores["nearest_distances"]})


class YourImagesDiscriminatorRun(_AsTrained, ImageDiscriminatorRun):
    """The discriminator alone on a user's pictures against uniform-noise pictures."""

    keep_channels = True
    real_name = "pictures"

    def __init__(self, config: YourImagesConfig, images: ImageSet, jit_compile: bool = False):
        _check_set(config, images)
        super().__init__(config, images, jit_compile=jit_compile)
