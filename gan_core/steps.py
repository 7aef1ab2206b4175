"""Compiled training steps, one per shape, shared by every run with that shape.

A run's state (`RunState`: both networks' weights and Adam slots, the run's seed and its
iteration count) goes into a compiled step and comes back out; the step holds nothing of a
run. So a step is traced and compiled once per key (network layout, batch size, latent size,
target function) and every later run with that key, in any thread, starts at once. Before,
every run built its own `tf.function` and compiled it again: 3-4 s per run, and about 22 MB
of compiled code per run that was never returned.

The networks are called through template models' `stateless_call` (templates whose own
weights are never used), and updated by adam.apply, so each network only ever moves by its
own optimizer's update.

Random samples are counter-based Philox draws: key = the run's seed, counter = (0,
iteration * DRAWS + k) for the k-th draw of an iteration. An iteration's samples depend only
on the seed and the iteration number, whatever the step lengths, the timing or the other
runs. (The low word of the counter counts the blocks inside one draw, so draws never overlap.
`tf.random.stateless_*` hash their seed on every call: that halved the 1-D loop's speed.)
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, NamedTuple

import keras
import numpy as np
import tensorflow as tf

from . import adam
from .adam import Net

DRAWS = 8  # random draws an iteration may make (k = 0..7)
PHILOX = 1  # tf.random's algorithm number for Philox
MAX_KEPT = 12  # compiled steps kept for reuse, the least recently used dropped first


class RunState(NamedTuple):
    """Everything a compiled step reads and changes of one run."""

    d: Net  # the discriminator
    g: Net | tuple  # the generator; () when the discriminator trains alone
    seed: tf.Tensor  # uint64, shape [1]: the Philox key
    iteration: tf.Tensor  # int64: iterations done, which also places the random draws


def new_state(d: Net, g: Net | tuple, seed: int) -> RunState:
    return RunState(d, g, tf.constant([seed], tf.uint64), tf.constant(0, tf.int64))


# ---- random draws ----------------------------------------------------------------------------

def _counter(state: RunState, k: int):
    return tf.stack([tf.constant(0, tf.uint64), tf.cast(state.iteration, tf.uint64) * DRAWS + k])


def uniform(state: RunState, k: int, shape, low=0.0, high=1.0):
    u = tf.raw_ops.StatelessRandomUniformV2(shape=shape, key=state.seed, counter=_counter(state, k), alg=PHILOX)
    return low + (high - low) * u


def normal(state: RunState, k: int, shape):
    return tf.raw_ops.StatelessRandomNormalV2(shape=shape, key=state.seed, counter=_counter(state, k), alg=PHILOX)


def integers(state: RunState, k: int, shape, maxval):
    """Uniform integers in [0, maxval)."""
    return tf.raw_ops.StatelessRandomUniformIntV2(shape=shape, key=state.seed, counter=_counter(state, k),
                                                  alg=PHILOX, minval=0, maxval=maxval)


# ---- updates ---------------------------------------------------------------------------------

def bce(y, p):
    # the plain function, not the Loss class: same math, fewer ops in the compiled loop
    return tf.reduce_mean(keras.losses.binary_crossentropy(y, p))


def labels(n, value: float):
    return tf.fill([n, 1], value)


def call(model, net: Net, x, training: bool = True):
    """model(x) with the net's weights; returns (output, net with its updated non-trainables)."""
    y, other = model.stateless_call(net.weights, net.other, x, training=training)
    return y, net._replace(other=tuple(other))


def descend(model, net: Net, x, y) -> tuple[Net, tf.Tensor]:
    """One Adam update of the network `net` (a discriminator) on bce(y, model(x))."""
    with tf.GradientTape() as tape:
        tape.watch(net.weights)
        p, net = call(model, net, x)
        loss = bce(y, p)
    return adam.apply(net, tape.gradient(loss, net.weights)), loss


def descend_generator(generator, g: Net, discriminator, d: Net, z, pack=None) -> tuple[Net, Net, tf.Tensor]:
    """The generator's update: its fakes labelled real, through the unchanged discriminator
    (only the generator's weights move; d returns with its Dropout seeds advanced). `pack`
    groups the fakes into the discriminator's packed inputs (PacGAN)."""
    with tf.GradientTape() as tape:
        tape.watch(g.weights)
        fake, g = call(generator, g, z)
        p, d = call(discriminator, d, pack(fake) if pack else fake)
        loss = bce(tf.ones_like(p), p)
    return adam.apply(g, tape.gradient(loss, g.weights)), d, loss


# ---- one compiled loop per shape -------------------------------------------------------------

class Steps:
    """A training step for one shape, run n times per compiled call, and the networks'
    forward passes, shared by every run of that shape.

    `train_step(state, data) -> (state, logs)` is one iteration; `data` holds the tensors that
    differ between runs of a shape without changing it (a domain, the digits).
    """

    def __init__(self, train_step: Callable, log_names: tuple[str, ...], discriminator, generator=None,
                 keep_steps: bool = False, jit_compile: bool = True):
        self.train_step, self.log_names, self.keep_steps = train_step, log_names, keep_steps
        self.discriminator, self.generator = discriminator, generator
        # autograph off: the loop is an explicit tf.while_loop, and converting the Keras calls cost
        # 0.8 s of the 1.2 s trace
        self.loop = tf.function(self._loop, jit_compile=jit_compile, autograph=False)
        self._predict = {name: tf.function(_inference(model), reduce_retracing=True, autograph=False)
                         for name, model in (("d", discriminator), ("g", generator)) if model is not None}
        self._push = tf.function(_push(discriminator), reduce_retracing=True, autograph=False)

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
        state, logs = self.loop(state, data, tf.constant(n, tf.int32))
        return state, {k: v.numpy() for k, v in logs.items()}

    def predict(self, network: str, net: Net, x: np.ndarray) -> np.ndarray:
        """The discriminator ("d") or generator ("g") with net's weights on x, in inference mode.
        Compiled: an eager Keras call costs about 3 ms, most of a 1-D check-in."""
        return self._predict[network](net.weights, net.other, tf.constant(x, tf.float32)).numpy()

    def push(self, net: Net, x: np.ndarray) -> np.ndarray:
        """The gradient of log D(x) at each sample x: the direction in which the discriminator
        (net's weights) would move it, what the generator's update follows."""
        return self._push(net.weights, net.other, tf.constant(x, tf.float32)).numpy()

    @property
    def traced(self) -> int:
        """How many times the training loop was traced (1 once it ran, whatever the runs)."""
        return self.loop.experimental_get_tracing_count()


def _inference(model):
    return lambda weights, other, x: model.stateless_call(weights, other, x, training=False)[0]


def _push(model):
    def push(weights, other, x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            p = model.stateless_call(weights, other, x, training=False)[0]
            objective = tf.math.log(tf.clip_by_value(p, 1e-7, 1.0))
        return tape.gradient(objective, x)

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
        while len(_kept) > MAX_KEPT:  # a run holds its own Steps, so dropping one stops nothing
            _kept.popitem(last=False)
        return steps


def kept_keys() -> list[tuple]:
    with _lock:
        return list(_kept)
