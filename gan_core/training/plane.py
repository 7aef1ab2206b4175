"""Discriminator-only and GAN training on points in the plane (a 1-D function's (x, f(x)), a 2-D
point set), in compiled steps, with an Evaluation every n_eval; what every run shares is run.py.

A run holds its state (`steps.RunState`: weights, Adam slots, seed, iteration), the history
of Evaluations and a `Steps` shared with every run of the same shapes (steps.py): a step
takes the state in and gives it back, so a second run of the same shapes starts without
compiling. Each network is updated by its own optimizer only, the point of the keras.io
DCGAN pattern; in Keras 3 the tutorial's `discriminator.trainable = False` before compiling
the composite freezes the discriminator everywhere, so that it never trains.

A run trains in short compiled steps (`advance()`): at most `step_length` iterations, a
length chosen from the networks' size so that a step is a fraction of a second of work, and
never past the next check-in. The compiled loop is a `tf.while_loop` that takes its trip count
as a tensor, so steps of any length share one compiled loop. Random samples depend only on the
seed and the iteration, so a seed gives the same history however the run is paused, resumed
or shared. `train_chunk()` trains to the next check-in; calling it again continues.
`checkpoint()` and `restore()` save and load everything a run needs to continue bit for bit.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import keras
import numpy as np
import tensorflow as tf

from gan_core.data.points import PointSet
from gan_core.data.targets import Target
from gan_core.judging import metrics
from gan_core.networks import adam, latent
from gan_core.networks.losses import LOSSES
from gan_core.networks.models import define_discriminator, define_gan, define_generator, first_weights
from gan_core.settings.config import Config
from gan_core.training import steps
from gan_core.training.draws import integers, normal, uniform
from gan_core.training.run import ChunkedRun
from gan_core.training.seeds import eval_seed, network_seed
from gan_core.training.steps import (
    GENERATOR_PART,
    Steps,
    descend,
    descend_generator,
    labels,
    stabilizers,
    with_horizon,
)


def real_source(target: Target | PointSet):
    """How the compiled step draws real samples: (its part of the step's key, the data tensors it
    reads, sample(state, data, n)). A function's x is uniform on the domain; a point set's sample
    is a random support point plus N(0, sigma²) noise, so every point set shares one step."""
    if isinstance(target, PointSet):  # 2-D points, or 1-D samples (a point set of one column)
        def sample(state, data, n, part=0):
            support, sigma = data[0], data[1]
            pick = tf.gather(support, integers(state, 0, [n], tf.shape(support)[0], part=part))
            return pick + sigma * normal(state, 3, [n, target.dims], part=part)

        return ("points", target.dims), (tf.constant(target.support), tf.constant(target.sigma, tf.float32)), sample

    def sample(state, data, n, part=0):
        x = uniform(state, 0, [n, 1], data[0], data[1], part=part)
        return tf.concat([x, target.tf_f(x)], axis=1)

    return ("f", target.expression), (tf.constant(target.low, tf.float32), tf.constant(target.high, tf.float32)), sample




def gan_steps(config: Config, target: Target | PointSet, jit_compile: bool = True) -> Steps:
    """The 1-D tutorial's `train()` loop, shared by every run with these shapes.

    Per iteration: d_steps discriminator updates, each on n_batch/2 real and n_batch/2 generated
    samples (two updates, real then fake, as the tutorial, or one stacked update), then g_steps
    generator updates on n_batch latent points, through the unchanged discriminator. The loss is
    one of losses.LOSSES (the tutorial's log loss, least squares, the hinge, or Wasserstein with
    gradient penalty: n_critic critic updates, each on fresh samples); the optimizer Adam or plain
    SGD; latent points Gaussian or uniform.

    The iteration is a list of stages (`Steps.stages`: the discriminator on real, on fake, the
    generator...), each state -> state; the compiled step runs them in turn, and slow motion
    (slow_motion.py) runs the same functions one at a time to show each.
    """
    c = config
    dims = target.dims
    source, _, sample_real = real_source(target)
    the_loss = LOSSES[c.loss]
    wgan = the_loss.critic
    # build() reads only the key's settings: the runs that share the step differ in the others
    key = (c.graph_key("train"), source, jit_compile)

    def build():
        discriminator = define_discriminator(dims * c.pack, c.d_hidden, c.d_activation, output=the_loss.output)
        generator = define_generator(c.latent_dim, c.g_hidden, c.g_activation, n_outputs=dims)
        half, n_batch, latent_dim, p = c.n_batch // 2, c.n_batch, c.latent_dim, c.pack
        # PacGAN: n_batch/2 discriminator inputs of `pack` samples each (nothing changes at pack 1)
        pack = (lambda x: tf.reshape(x, [-1, dims * p])) if p > 1 else (lambda x: x)
        loss = the_loss.discriminator
        updates = {"adam": adam.apply, "sgd": adam.sgd}
        update = updates[c.optimizer]  # the discriminator's (and by default the generator's)
        g_update = update if c.g_optimizer == "same" else updates[c.g_optimizer]
        d_updates = c.n_critic if wgan else c.d_steps
        r1, blur, average = stabilizers(c, discriminator, the_loss.output)
        if blur is None:
            blur = lambda state, data, x, which, part=0: x  # off: nothing at all

        def latent_points(state, k, n, part=0):
            if c.latent == "uniform":
                return uniform(state, k, [n, latent_dim], -1.0, 1.0, part=part)
            return normal(state, k, [n, latent_dim], part=part)

        def samples(state, data, part=0):
            """The real and generated samples of the part-th discriminator update (draws 0 and 1), as the
            discriminator sees them (with instance noise on: blurred, draws 6 and 7)."""
            x_fake, _ = steps.call(generator, state.g, latent_points(state, 1, half * p, part))
            return (blur(state, data, sample_real(state, data, half * p, part), "real", part),
                    blur(state, data, x_fake, "fake", part))

        def on_real(part):
            def stage(state, data, logs):
                x_real, _ = samples(state, data, part)
                d, logs["real"] = descend(discriminator, state.d, pack(x_real), labels(half, 1.0), loss, update,
                                          r1 and r1(pack(x_real)))
                return state._replace(d=d), logs
            return stage

        def on_fake(part):
            def stage(state, data, logs):
                _, x_fake = samples(state, data, part)
                d, loss_fake = descend(discriminator, state.d, pack(x_fake), labels(half, 0.0), loss, update)
                logs["d"].append((logs.pop("real") + loss_fake) / 2)
                return state._replace(d=d), logs
            return stage

        def stacked(part):
            def stage(state, data, logs):
                x_real, x_fake = samples(state, data, part)
                d, value = descend(discriminator, state.d, tf.concat([pack(x_real), pack(x_fake)], axis=0),
                                   tf.concat([labels(half, 1.0), labels(half, 0.0)], axis=0), loss, update,
                                   r1 and r1(pack(x_real)))
                logs["d"].append(value)
                return state._replace(d=d), logs
            return stage

        def critic(part):  # WGAN-GP: each critic update on its own samples
            def stage(state, data, logs):
                x_real, x_fake = samples(state, data, part)
                eps = uniform(state, 4, [half, 1], part=part)
                d, value = steps.descend_critic(discriminator, state.d, pack(x_real), pack(x_fake), eps, c.gp_weight,
                                                update, r1 and r1(pack(x_real)))
                logs["d"].append(value)
                return state._replace(d=d), logs
            return stage

        def generator_update(part):
            def stage(state, data, logs):
                z = latent_points(state, 2, n_batch * p, part)
                seen = pack if p > 1 else None  # the fakes as the discriminator takes them
                if c.instance_noise:
                    seen = lambda fake: pack(blur(state, data, fake, "fake", GENERATOR_PART + part))
                g, d, value = descend_generator(generator, state.g, discriminator, state.d, z, seen,
                                                the_loss.generator, g_update)
                logs["g"].append(value)
                if average is not None:
                    return state._replace(d=d, g=g, ema=average(state, g)), logs
                return state._replace(d=d, g=g), logs
            return stage

        stages = []
        for part in range(d_updates):
            if wgan:
                stages.append(("critic", part, critic(part)))
            elif c.update == "stacked":
                stages.append(("d", part, stacked(part)))
            else:
                stages += [("d_real", part, on_real(part)), ("d_fake", part, on_fake(part))]
        stages += [("g", part, generator_update(part)) for part in range(c.g_steps)]

        def mean(values):
            total = 0.0
            for value in values:
                total += value
            return total / len(values)

        def train_step(state, data):
            logs = {"d": [], "g": []}
            for _, _, stage in stages:
                state, logs = stage(state, data, logs)
            state = state._replace(iteration=state.iteration + 1)
            return state, {"d_loss": mean(logs["d"]), "g_loss": mean(logs["g"])}

        shared_steps = Steps(train_step, ("d_loss", "g_loss"), discriminator, generator, jit_compile=jit_compile,
                             push=the_loss.push)
        shared_steps.stages = stages  # (name, part, stage(state, data, logs) -> (state, logs)): slow motion's
        shared_steps.samples = samples  # (state, data, part) -> the part's (real, generated) samples, unpacked
        shared_steps.latent_points = latent_points  # (state, k, n, part) -> the latent points of draw k
        return shared_steps

    return steps.shared(key, build)


def lab_steps(config: Config, target: Target | PointSet, jit_compile: bool = True) -> Steps:
    """The tutorial's `train_discriminator`: one update on n_batch/2 real samples (label 1)
    and one on n_batch/2 uniform noise points in [noise_low, noise_high]² (label 0; on a line, an
    interval)."""
    c = config
    dims = target.dims
    source, _, sample_real = real_source(target)
    # build() reads only the key's settings: the runs that share the step differ in the others
    key = (c.graph_key("discriminator"), source, jit_compile)

    def build():
        discriminator = define_discriminator(dims, c.d_hidden, c.d_activation)
        half = c.n_batch // 2

        def train_step(state, data):
            x_real = sample_real(state, data, half)
            x_noise = uniform(state, 1, [half, dims], data[-2], data[-1])  # the noise box, after the real data
            d, loss_real = descend(discriminator, state.d, x_real, labels(half, 1.0))
            d, loss_fake = descend(discriminator, d, x_noise, labels(half, 0.0))
            state = state._replace(d=d, iteration=state.iteration + 1)
            return state, {"d_loss": (loss_real + loss_fake) / 2, "d_loss_real": loss_real, "d_loss_fake": loss_fake}

        return Steps(train_step, ("d_loss", "d_loss_real", "d_loss_fake"), discriminator, jit_compile=jit_compile)

    return steps.shared(key, build)


@dataclass
class Evaluation:
    """A check-in every n_eval iterations: how the discriminator scores fresh samples."""

    iteration: int  # iterations done so far
    acc_real: float
    acc_fake: float
    d_loss: float  # mean over the chunk just trained
    g_loss: float  # nan for the discriminator lab
    real: np.ndarray  # the real samples evaluated, (n, dims)
    fake: np.ndarray  # the fake samples evaluated: generated, or noise in the lab
    seconds: float  # training time so far (compiled steps and evaluations)
    metrics: dict[str, float] = field(default_factory=dict)
    decision: np.ndarray | None = None  # the discriminator's P(real) on a grid: rows (x, y, p_real); on a line (x, p_real)
    push: np.ndarray | None = None  # GAN: rows (x, y, dx, dy) (on a line (x, dx)), where the discriminator moves fakes
    rates: dict[str, float] = field(default_factory=dict)  # the learning rates it trained with (they may change)
    mapping: np.ndarray | None = None  # GAN on a line: rows (z, x = G(z)) along the latent line (latent.line)
    manifold: np.ndarray | None = None  # GAN in the plane: G of a MANIFOLD² latent grid, rows (x, y) (latent.grid)

    payload = ("real", "fake", "decision", "push", "mapping", "manifold")  # the arrays; a long run drops most (Stored)

    @property
    def epoch(self) -> int:
        """The tutorial's loop index at this check-in (it prints i where (i+1) % n_eval == 0)."""
        return self.iteration - 1

    def row(self) -> dict:
        return {"iteration": self.iteration, "acc_real": self.acc_real, "acc_fake": self.acc_fake,
                "d_loss": self.d_loss, "g_loss": self.g_loss, "seconds": self.seconds, **self.metrics, **self.rates}


DECISION_GRID = 40  # the heat map: the discriminator's P(real) on a 40x40 grid at every check-in
PUSHED = 40  # fake samples with an arrow: where the discriminator pushes them
MAPPED = 60  # latent points whose image the 1-D samples' map draws
MANIFOLD = 15  # the manifold's latent grid: MANIFOLD x MANIFOLD points
STEP_SECONDS = 0.1  # aim for compiled steps this long, so a Stop is taken within a fraction of a second
MAX_STEP_LENGTH = 512


def step_length(n_batch: int, parameters: int) -> int:
    """Iterations per compiled step for a 1-D run: a power of two (at most MAX_STEP_LENGTH) whose
    estimated time is about STEP_SECONDS. The estimate (a fixed cost per iteration plus one per
    sample and weight, measured on a 2-core CPU) depends only on the config, never on timing."""
    estimate = 80e-6 + 1.5e-10 * n_batch * parameters
    length = 1
    while length * 2 <= MAX_STEP_LENGTH and length * 2 * estimate <= STEP_SECONDS:
        length *= 2
    return length


class _Run(ChunkedRun):
    """What a GAN run and a discriminator-lab run on points in the plane share (a 1-D function's
    (x, f(x)) or a 2-D point set; `points`: an uploaded set's rows, for Config target "csv")."""

    def __init__(self, config: Config, points: np.ndarray | None = None):
        self.config = config.checked()
        self.n_epochs, self.n_eval = config.n_epochs, config.n_eval
        self.target = config.make_target(points)
        self.eval_rng = np.random.default_rng(eval_seed(config.seed))
        self.history: list[Evaluation] = []

    def _real_data(self) -> tuple:
        return real_source(self.target)[1]

    def sample_real(self, n: int) -> np.ndarray:
        return self.target.sample_real(n, self.eval_rng)


class GanRun(_Run):
    """A GAN experiment that can be continued chunk by chunk."""

    views = True  # check-ins draw the heat map and the arrows (a sweep's seeds do without)

    def __init__(self, config: Config, jit_compile: bool = True, points: np.ndarray | None = None):
        super().__init__(config, points)
        c = self.config
        # this run's networks: their initializers give the run's first weights; its Keras models are
        # built only when asked for (saving the generator, the model graph)
        dims, d_seed, g_seed = self.target.dims, network_seed(c.seed, "d"), network_seed(c.seed, "g")
        d = first_weights(dims * c.pack, c.d_hidden, c.d_activation, 1, d_seed)
        g = first_weights(c.latent_dim, c.g_hidden, c.g_activation, dims, g_seed)
        state = steps.new_state(adam.begin(d, c.d_lr, c.beta_1), adam.begin(g, c.g_lr, c.beta_1), c.seed, bool(c.ema))
        models = {"d": lambda: define_discriminator(dims * c.pack, c.d_hidden, c.d_activation, seed=d_seed,
                                                    output=LOSSES[c.loss].output),
                  "g": lambda: define_generator(c.latent_dim, c.g_hidden, c.g_activation, n_outputs=dims, seed=g_seed)}
        if c.ema:  # the averaged generator's own model, for its previews and its saved file
            models["g_ema"] = lambda: define_generator(c.latent_dim, c.g_hidden, c.g_activation, n_outputs=dims)
        self._start(gan_steps(c, self.target, jit_compile), state, with_horizon(c, self._real_data(), c.n_epochs),
                    models)
        # critic steps, each with a double backward pass; discriminator and generator steps
        work = (2 * c.n_critic if LOSSES[c.loss].critic else c.d_steps) + c.g_steps - 1
        self.step_length = step_length(c.n_batch * work, sum(w.size for w in d + g))

    @property
    def composite(self) -> keras.Model:
        return define_gan(self.generator, self.discriminator)

    def sample_latent(self, n: int) -> np.ndarray:
        return latent.sample_latent(n, self.config.latent_dim, self.eval_rng, self.config.latent)

    def generate(self, points: np.ndarray | int, raw: bool = False) -> np.ndarray:
        """Fake samples for the given latent points (or for n fresh ones): of the generator the run shows
        (its moving average with ema on), or with `raw` of the generator as trained."""
        z = self.sample_latent(points) if isinstance(points, int) else points
        return self.steps.predict("g", self.state.g if raw else steps.averaged(self.state), z)

    def _p_real(self, outputs: np.ndarray) -> np.ndarray:
        """The discriminator's outputs as P(real): the log loss's sigmoid as it is, a least-squares
        score clipped to [0, 1], a critic's score through a sigmoid (score 0: P 0.5)."""
        return LOSSES[self.config.loss].p_real(outputs)

    def discriminate(self, samples: np.ndarray) -> np.ndarray:
        """P(real) for each sample, or with pack > 1 (PacGAN) for each group of `pack` samples."""
        p = self.config.pack
        return self._p_real(super().discriminate(
            samples if p == 1 else samples[:len(samples) // p * p].reshape(-1, self.target.dims * p)))

    def p_real_at(self, points: np.ndarray, state=None) -> np.ndarray:
        """The discriminator's P(real) at each point (packed: `pack` copies of it): the heat map; `state`:
        another state of this run's (slow motion's), else its own."""
        outputs = self.steps.predict("d", (state or self.state).d, np.tile(points, self.config.pack))
        return self._p_real(outputs.reshape(-1))

    def push(self, fake: np.ndarray, state=None) -> np.ndarray:
        """Which way the discriminator would move each fake sample (GAN Lab's generator gradients):
        rows (x, y, dx, dy) (on a line (x, dx)), d = the gradient of log D at the sample (packed: at
        `pack` copies of it, the copies' gradients summed)."""
        p, dims = self.config.pack, self.target.dims
        grads = self.steps.push((state or self.state).d, np.tile(fake, p)).reshape(len(fake), p, dims).sum(axis=1)
        return np.column_stack([fake, grads]).astype(np.float32)

    def distances(self, fake: np.ndarray, real: np.ndarray, real_other: np.ndarray,
                  raw: bool = False) -> dict[str, float]:
        """The objective scores of fake samples and, as `<name>_floor`, of a second real sample: curve
        error, coverage and energy distance for a function; energy distance, and for a mixture the
        modes captured, high-quality share and reverse KL on MIXTURE_SAMPLES more samples (`raw`: of
        the raw generator, with ema on)."""
        if not isinstance(self.target, PointSet):
            return metrics.sample_metrics(fake, real, real_other, self.target)
        many = metrics.MIXTURE_SAMPLES if self.target.mixture else 0
        return metrics.point_metrics(fake, real, real_other, self.target,
                                     self.generate(many, raw) if many else None,
                                     self.sample_real(many) if many else None)

    def raw_scores(self, real: np.ndarray, real_other: np.ndarray) -> dict[str, float]:
        """With ema on, the raw generator's main score on the check-in's real samples, as `<score>_raw`
        (the check-in's own scores are the averaged generator's); nothing with ema off."""
        if not self.config.ema:
            return {}
        main = self.target.scores[0]
        fake = self.generate(len(real), raw=True)
        return {f"{main}_raw": self.distances(fake, real, real_other, raw=True)[main]}

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
            metrics={**self.distances(fake, real, real_other), **self.raw_scores(real, real_other)},
            decision=metrics.decision_grid(self.p_real_at, *self.target.bounds(), n=DECISION_GRID) if self.views else None,
            push=self.push(fake[:PUSHED]) if self.views else None,
            mapping=self.mapping() if self.views and self.target.dims == 1 else None,
            manifold=self.manifold() if self.views and self.target.dims == 2 else None,
        )

    def manifold(self, n: int = MANIFOLD) -> np.ndarray:
        """GAN Lab's manifold: an n×n grid of latent points, equally likely steps of z[0] and z[1] (the
        others 0; with latent_dim 1 a line of 4n steps), pushed through the generator: rows (x, y),
        z[0] fastest. Drawn as a mesh, it shows how the generator warps its latent space."""
        c = self.config
        z = latent.grid(n, c.latent_dim, c.latent) if c.latent_dim > 1 else latent.line(4 * n, 1, c.latent)
        return self.generate(z).astype(np.float32)

    def mapping(self, n: int = MAPPED) -> np.ndarray:
        """Goodfellow et al.'s Figure 1: rows (z, G(z)) for n points evenly spread in probability along
        the latent line (latent.line), the generator's map from z to x."""
        z = latent.line(n, self.config.latent_dim, self.config.latent)
        return np.column_stack([z[:, 0], self.generate(z)[:, 0]]).astype(np.float32)

    def score(self, n: int = 1000) -> dict[str, float]:
        """The objective scores on n fresh fake and real samples (more stable than a check-in's)."""
        return self.distances(self.generate(n), self.sample_real(n), self.sample_real(n))

    def save_generator(self, path: str) -> None:
        """Save the generator the run shows (with ema on, its moving average)."""
        self.shown_generator.save(path)


class DiscriminatorRun(_Run):
    """The discriminator alone, on real samples vs uniform noise."""

    def __init__(self, config: Config, jit_compile: bool = True, points: np.ndarray | None = None):
        super().__init__(config, points)
        c = self.config
        dims, d_seed = self.target.dims, network_seed(c.seed, "d")
        d = first_weights(dims, c.d_hidden, c.d_activation, 1, d_seed)
        state = steps.new_state(adam.begin(d, c.d_lr), (), c.seed)
        noise_box = tf.constant(c.noise_low, tf.float32), tf.constant(c.noise_high, tf.float32)
        self._start(lab_steps(c, self.target, jit_compile), state, self._real_data() + noise_box,
                    {"d": lambda: define_discriminator(dims, c.d_hidden, c.d_activation, seed=d_seed)})
        self.step_length = step_length(c.n_batch, sum(w.size for w in d))

    def sample_noise(self, n: int) -> np.ndarray:
        low, high = self.config.noise_low, self.config.noise_high
        return self.eval_rng.uniform(low, high, size=(n, self.target.dims)).astype(np.float32)

    def plane(self) -> tuple[tuple[float, float], ...]:
        """The limits of the lab's heat map ((x, y) in the plane; x on a line): the real data's bounds
        and the noise box."""
        low, high = self.config.noise_low, self.config.noise_high
        return tuple((min(low, a), max(high, b)) for a, b in self.target.bounds())

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
            decision=metrics.decision_grid(self.discriminate, *self.plane(), n=DECISION_GRID),
        )
