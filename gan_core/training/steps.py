"""Compiled training steps, one per shape, shared by every run with that shape.

A run's state (`RunState`: both networks' weights and Adam slots, the run's seed and its
iteration count) goes into a compiled step and comes back out; the step holds nothing of a
run. So a step is traced and compiled once per key and every later run with that key, in any
thread, starts at once. A key is derived, never listed: the "graph" settings the step uses (their
declarations, described.py's `graph_key`) and the real data's sampler (plane.real_source). Before,
every run built its own `tf.function` and compiled it again: 3-4 s per run, and about 22 MB
of compiled code per run that was never returned.

The networks are called through template models' `stateless_call` (templates whose own
weights are never used), and updated by adam.apply, so each network only ever moves by its
own optimizer's update.

Random samples are counter-based draws (draws.py): an iteration's samples depend only on the
seed and the iteration number, whatever the step lengths, the timing or the other runs.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, NamedTuple

import numpy as np
import tensorflow as tf

from gan_core.networks import adam, regularizers
from gan_core.networks.adam import Net
from gan_core.networks.losses import DEFAULT, LOSSES, bce
from gan_core.networks.models import without_sigmoid
from gan_core.training import cache, names
from gan_core.training.draws import normal

MAX_KEPT = 12  # compiled steps kept for reuse, the least recently used dropped first


class RunState(NamedTuple):
    """Everything a compiled step reads and changes of one run."""

    d: Net  # the discriminator
    g: Net | tuple  # the generator; () when the discriminator trains alone
    seed: tf.Tensor  # uint64, shape [1]: the key of the run's random draws
    iteration: tf.Tensor  # int64: iterations done, which also places the random draws
    # the generator's weights and other variables averaged over its updates (adam.average), with the
    # ema setting on; () off, when it adds nothing to the state (the last field: earlier ones keep their places)
    ema: tuple = ()


def new_state(d: Net, g: Net | tuple, seed: int, ema: bool = False) -> RunState:
    """A run's first state; `ema`: with the generator's moving average, starting at its first weights."""
    return RunState(d, g, tf.constant([seed], tf.uint64), tf.constant(0, tf.int64),
                    (g.weights, g.other) if ema else ())


def averaged(state: RunState) -> Net:
    """The generator a run shows: its moving average (state.ema) when it keeps one, else the generator."""
    return state.g._replace(weights=state.ema[0], other=state.ema[1]) if state.ema else state.g


# ---- updates ---------------------------------------------------------------------------------

def labels(n, value: float):
    return tf.fill([n, 1], value)


def call(model, net: Net, x, training: bool = True):
    """model(x) with the net's weights; returns (output, net with its updated non-trainables)."""
    y, other = model.stateless_call(net.weights, net.other, x, training=training)
    return y, net._replace(other=tuple(other))


def _penalized(value, penalty, net: Net):
    """The value descended: the loss, plus the penalty of the net's weights (R1) when there is one."""
    return value if penalty is None else value + penalty(net)


def descend(model, net: Net, x, y, loss=bce, update=adam.apply, penalty=None) -> tuple[Net, tf.Tensor]:
    """One update (Adam by default) of the network `net` (a discriminator) on loss(y, model(x)), plus
    `penalty(net)` where given (R1: regularizers.py); returns the loss without it."""
    with tf.GradientTape() as tape:
        tape.watch(net.weights)
        first = net
        p, net = call(model, net, x)
        value = loss(y, p)
        descended = _penalized(value, penalty, first)
    return update(net, tape.gradient(descended, net.weights)), value


def descend_apart(model, net: Net, x_real, x_fake, loss=bce, update=adam.apply, penalty=None,
                  real_label: float = 1.0) -> tuple[Net, tf.Tensor]:
    """One update of the discriminator `net` on real (label `real_label`, 1 unless smoothed) and fake
    (label 0) samples, each half in a call of its own: batch norm then normalizes each over its own
    batch (a mixed batch would let it tell them apart by the batch's statistics). The loss is the
    halves' mean (`penalty`: as descend's)."""
    with tf.GradientTape() as tape:
        tape.watch(net.weights)
        first = net
        p_real, net = call(model, net, x_real)
        p_fake, net = call(model, net, x_fake)
        # 1.0 keeps the graph that was there before label smoothing, op for op
        real = tf.ones_like(p_real) if real_label == 1.0 else tf.fill(tf.shape(p_real), real_label)
        value = (loss(real, p_real) + loss(tf.zeros_like(p_fake), p_fake)) / 2
        descended = _penalized(value, penalty, first)
    return update(net, tape.gradient(descended, net.weights)), value


def descend_generator(generator, g: Net, discriminator, d: Net, z, pack=None, loss=LOSSES[DEFAULT].generator,
                      update=adam.apply) -> tuple[Net, Net, tf.Tensor]:
    """The generator's update on loss(the discriminator's verdicts on its fakes), the log loss's being
    its fakes labelled real, through the unchanged discriminator (only the generator's weights move;
    d returns with its Dropout seeds advanced). `pack` groups the fakes into the discriminator's
    packed inputs (PacGAN)."""
    with tf.GradientTape() as tape:
        tape.watch(g.weights)
        fake, g = call(generator, g, z)
        p, d = call(discriminator, d, pack(fake) if pack else fake)
        value = loss(p)
    return update(g, tape.gradient(value, g.weights)), d, value


def descend_critic(critic, net: Net, x_real, x_fake, eps, gp_weight, update=adam.apply,
                   penalty=None) -> tuple[Net, tf.Tensor]:
    """WGAN-GP's critic update: mean score of fakes minus that of reals, plus gp_weight times the
    squared distance from 1 of the critic's gradient norm at random points between real and fake
    samples (Gulrajani et al. 2017; the keras.io WGAN-GP example); `penalty`: as descend's, on top."""
    with tf.GradientTape() as tape:
        tape.watch(net.weights)
        first = net
        gradient_penalty = regularizers.gradient_penalty(lambda x: call(critic, net, x)[0], x_real, x_fake, eps)
        real, net = call(critic, net, x_real)
        fake, net = call(critic, net, x_fake)
        value = tf.reduce_mean(fake) - tf.reduce_mean(real) + gp_weight * gradient_penalty
        descended = _penalized(value, penalty, first)
    return update(net, tape.gradient(descended, net.weights)), value


# draws.py's draw numbers of the stabilizers (none of the others': a run without them keeps its draws)
NOISE_DRAWS = {"real": 6, "fake": 7}  # instance noise on the real and the generated samples
GENERATOR_PART = 16  # the generator's update's instance noise: draw 7 at parts from here (the discriminator's below)


def stabilizers(config, discriminator, output: str):
    """What the step does for the config's stabilizers (config.STABILIZERS), as three functions, each
    None when its setting is off (the step then is what it was without them):
    - r1(x_real) -> net -> γ/2 · R1 at x_real (of the logit with a sigmoid output): steps.descend's penalty;
    - blur(state, data, x, which, part) -> x with the iteration's annealed instance noise, drawn from draw
      NOISE_DRAWS[which] (the horizon, the run's iterations, is the data's last tensor: with_horizon);
    - average(state, g) -> the state's generator moving average after g's update."""
    r1 = blur = average = None
    if config.r1_gamma:
        scores, gamma = without_sigmoid(discriminator) if output == "sigmoid" else discriminator, config.r1_gamma

        def r1(x_real):
            return lambda net: gamma / 2 * regularizers.r1_penalty(lambda x: call(scores, net, x)[0], x_real)
    if config.instance_noise:
        start = config.instance_noise

        def blur(state, data, x, which, part=0):
            sigma = regularizers.noise_sigma(start, state.iteration, data[-1])
            return regularizers.instance_noise(x, sigma, normal(state, NOISE_DRAWS[which], x.shape.as_list(), part))
    if config.ema:
        decay = config.ema

        def average(state, g):
            return adam.average(state.ema, g, decay)
    return r1, blur, average


def with_horizon(config, data: tuple, iterations: int) -> tuple:
    """The step's data, and with instance noise on, the run's iterations after it: where σ reaches 0."""
    return data + (tf.constant(iterations, tf.int64),) if config.instance_noise else data


# ---- one compiled loop per shape -------------------------------------------------------------

class Steps:
    """A training step for one shape, run n times per compiled call, and the networks'
    forward passes, shared by every run of that shape.

    `train_step(state, data) -> (state, logs)` is one iteration; `data` holds the tensors that
    differ between runs of a shape without changing it (a domain, the digits). `sweep` trains
    many seeds' states at once, stacked along a leading axis.
    """

    def __init__(self, train_step: Callable, log_names: tuple[str, ...], discriminator, generator=None,
                 keep_steps: bool = False, jit_compile: bool = True, push: Callable = LOSSES[DEFAULT].push):
        self.train_step, self.log_names, self.keep_steps = train_step, log_names, keep_steps
        self.jit_compile = jit_compile
        self._sweep_loop = None
        self.scope = None  # its key, once shared: the compiled loops' traces are named from it (names.py)
        self.discriminator, self.generator = discriminator, generator
        # autograph off: the loop is an explicit tf.while_loop, and converting the Keras calls cost
        # 0.8 s of the 1.2 s trace
        self.loop = tf.function(self._loop, jit_compile=jit_compile, autograph=False)
        # traced once for any number of samples: a check-in calls them on several (its samples, the heat
        # map's grid, the arrows), each a trace of its own otherwise, in a fresh process's first check-in
        self._predict = {name: tf.function(_inference(model, batch), input_signature=_signature(model), autograph=False)
                         for name, model, batch in (("d", discriminator, False), ("g", generator, False),
                                                    ("d_batch", discriminator, True)) if model is not None}
        self._push = tf.function(_push(discriminator, push), input_signature=_signature(discriminator), autograph=False)

    def _loop(self, state, data, n):
        # a tf.while_loop whose bound is a tensor: XLA compiles it once for every length
        # (a tf.range loop's trip count is a compile-time constant: each new n compiled again)
        names = self.log_names
        if self.keep_steps:  # every step's losses (the MNIST tutorial prints them per batch)
            def body(i, state, logs):
                state, step = self.train_step(state, data)
                return i + 1, state, tuple(log.write(i, step[name]) for log, name in zip(logs, names))

            logs = tuple(tf.TensorArray(tf.float32, size=n) for _ in names)
            _, state, logs = tf.while_loop(lambda i, *_: i < n, body, (tf.constant(0), state, logs))
            return state, {name: log.stack() for name, log in zip(names, logs)}

        def body(i, state, totals):  # cheaper: only the sums, for the check-in's mean
            state, step = self.train_step(state, data)
            return i + 1, state, tuple(total + step[name] for total, name in zip(totals, names))

        totals = tuple(tf.constant(0.0) for _ in names)
        _, state, totals = tf.while_loop(lambda i, *_: i < n, body, (tf.constant(0), state, totals))
        return state, dict(zip(names, totals))

    def train(self, state: RunState, data: tuple, n: int) -> tuple[RunState, dict[str, np.ndarray]]:
        """n iterations in one compiled call: the new state, and each log's value at every
        iteration (keep_steps) or its sum over the n."""
        state, logs = self._compiled("loop", self._loop, state, data, n)
        return state, {k: v.numpy() for k, v in logs.items()}

    def _compiled(self, name: str, body, states, data, n: int):
        """The compiled loop `name` (of `body`) over n iterations. A damaged compile-cache entry is
        dropped and the loop compiled again, as a new tf.function: XLA remembers the failed one; a
        cache that cannot be written (a full disk) leaves the loop uncompiled by XLA from then on."""
        # the names of its trace, and so its compile-cache key, the same whatever the process did before (a sweep's
        # groups of different sizes trace at once, in threads: each size its own)
        scope = self.scope and f"{self.scope}/{name}/{states.seed.shape[0]}"
        try:
            with names.scope(scope):
                return getattr(self, name)(states, data, tf.constant(n, tf.int32))
        except tf.errors.DataLossError as err:
            if not cache.drop_damaged(err):
                raise
            setattr(self, name, tf.function(body, jit_compile=self.jit_compile, autograph=False))
        except tf.errors.OpError as err:  # the cache's folder is full or unwritable: train on without XLA
            if not cache.write_failed(err):
                raise
            setattr(self, name, tf.function(body, jit_compile=False, autograph=False))
        with names.scope(scope):
            return getattr(self, name)(states, data, tf.constant(n, tf.int32))

    def predict(self, network: str, net: Net, x: np.ndarray) -> np.ndarray:
        """The discriminator ("d") or generator ("g") with net's weights on x, in inference mode;
        "d_batch": the discriminator with batch norm over x itself, as it judges a batch in training
        (its running statistics average real and fake batches, which it never sees mixed). Compiled:
        an eager Keras call costs about 3 ms, most of a 1-D check-in."""
        return self._predict[network](net.weights, net.other, tf.constant(x, tf.float32)).numpy()

    def push(self, net: Net, x: np.ndarray) -> np.ndarray:
        """The gradient of log D(x) at each sample x: the direction in which the discriminator
        (net's weights) would move it, what the generator's update follows."""
        return self._push(net.weights, net.other, tf.constant(x, tf.float32)).numpy()

    def sweep(self, states: RunState, data: tuple, n: int) -> tuple[RunState, dict[str, np.ndarray]]:
        """n iterations of every seed of a sweep: `states` holds the seeds' RunStates stacked along a
        leading axis; returns them, and each log's sum over the n per seed. One vectorized step
        (tf.vectorized_map) trains all seeds, each with its own draws: the arithmetic of the seed's
        own run. Compiled once per number of seeds."""
        if self._sweep_loop is None:
            self._sweep_loop = tf.function(self._sweep, jit_compile=self.jit_compile, autograph=False)
        states, logs = self._compiled("_sweep_loop", self._sweep, states, data, n)
        return states, {k: v.numpy() for k, v in logs.items()}

    def _sweep(self, states, data, n):
        seeds = int(states.seed.shape[0])

        def body(i, states, totals):
            states, logs = tf.vectorized_map(lambda state: self.train_step(state, data), states,
                                             fallback_to_while_loop=False)
            return i + 1, states, tuple(total + logs[name] for total, name in zip(totals, self.log_names))

        totals = tuple(tf.zeros([seeds]) for _ in self.log_names)
        _, states, totals = tf.while_loop(lambda i, *_: i < n, body, (tf.constant(0), states, totals))
        return states, dict(zip(self.log_names, totals))

    @property
    def traced(self) -> int:
        """How many times the training loop was traced (1 once it ran, whatever the runs)."""
        return self.loop.experimental_get_tracing_count()


def _signature(model) -> list:
    """A forward pass's arguments (weights, other, x): the model's weights' shapes, and x of any length."""
    def specs(variables):
        return tuple(tf.TensorSpec(v.shape, v.dtype) for v in variables)

    return [specs(model.trainable_variables), specs(model.non_trainable_variables),
            tf.TensorSpec([None, *model.input_shape[1:]], tf.float32)]


def _inference(model, batch_statistics: bool = False):
    # training=True only for batch norm's batch statistics: its updated running averages are dropped
    return lambda weights, other, x: model.stateless_call(weights, other, x, training=batch_statistics)[0]


def _push(model, objective: Callable):
    """The gradient at x of what the generator raises there (a losses.Loss's `push`: log D, -(D - 1)²,
    the critic's score)."""
    def push(weights, other, x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            value = objective(model.stateless_call(weights, other, x, training=False)[0])
        return tape.gradient(value, x)

    return push


_kept: OrderedDict = OrderedDict()
_lock = threading.Lock()


def shared(key: tuple, build: Callable[[], Steps]) -> Steps:
    """The Steps for key, built on first use and kept for the next run with that key."""
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
        steps = _kept[key] = build()
        steps.scope = repr(key)  # the same in every process: a key holds settings' names and values
        while len(_kept) > MAX_KEPT:  # a run holds its own Steps, so dropping one stops nothing
            _kept.popitem(last=False)
        return steps
