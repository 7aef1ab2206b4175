"""A network's state in a run (weights and Adam's slots) as a value, and Adam's (or plain SGD's)
update on it.

Compiled steps are shared by every run with the same shapes (see steps.py), so a run's
weights and optimizer slots are passed into a step and come back out of it: nothing of a
run lives in the step. Keras 3's `optimizer.stateless_apply` is refused by the TensorFlow
backend, so the update is written out here: the same one as `keras.optimizers.Adam`
(beta_2 0.999, epsilon 1e-7). The learning rate and beta_1 are part of the state, so runs
that differ only in them share a compiled step.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import tensorflow as tf

BETA_2 = 0.999
EPSILON = 1e-7


class Net(NamedTuple):
    """One network of a run: its weights and its optimizer's state."""

    weights: tuple  # trainable variables' values, in the model's order
    other: tuple  # non-trainable ones (a Dropout layer's seed state)
    updates: tf.Tensor  # Adam steps taken (float32)
    m: tuple  # first moments, one per weight
    v: tuple  # second moments
    lr: tf.Tensor
    beta_1: tf.Tensor


def start(model, lr: float, beta_1: float = 0.9) -> Net:
    """A model's current weights with fresh Adam slots (copies: the model may change later)."""
    return begin([w.numpy() for w in model.trainable_variables], lr, beta_1,
                 [w.numpy() for w in model.non_trainable_variables])


def begin(weights: list, lr: float, beta_1: float = 0.9, other: list = ()) -> Net:
    """A network's first weights (arrays in its model's order) with fresh Adam slots."""
    weights = tuple(tf.constant(w) for w in weights)
    return Net(
        weights=weights,
        other=tuple(tf.constant(w) for w in other),
        updates=tf.constant(0.0),
        m=tuple(tf.zeros_like(w) for w in weights),
        v=tuple(tf.zeros_like(w) for w in weights),
        lr=tf.constant(lr, tf.float32),
        beta_1=tf.constant(beta_1, tf.float32),
    )


def apply(net: Net, grads) -> Net:
    """One Adam update of net's weights by grads (keras.optimizers.Adam's arithmetic)."""
    updates = net.updates + 1.0
    alpha = net.lr * tf.sqrt(1.0 - BETA_2 ** updates) / (1.0 - net.beta_1 ** updates)
    m = tuple(m + (g - m) * (1.0 - net.beta_1) for m, g in zip(net.m, grads))
    v = tuple(v + (g * g - v) * (1.0 - BETA_2) for v, g in zip(net.v, grads))
    weights = tuple(w - mw * alpha / (tf.sqrt(vw) + EPSILON) for w, mw, vw in zip(net.weights, m, v))
    return net._replace(weights=weights, updates=updates, m=m, v=v)


def sgd(net: Net, grads) -> Net:
    """One plain gradient-descent step (keras.optimizers.SGD without momentum); Adam's slots stay."""
    weights = tuple(w - net.lr * g for w, g in zip(net.weights, grads))
    return net._replace(weights=weights, updates=net.updates + 1.0)


def average(ema: tuple, net: Net, decay: float) -> tuple:
    """The moving average `ema` = (weights, other) of a network (the generator's, Polyak averaging; Keras's
    optimizers' use_ema) moved towards net's after an update: each float a ← a + (w − a)(1 − rate), rate =
    min(decay, (1 + t)/(10 + t)) after t updates (tf.train.ExponentialMovingAverage's warm-up, so the first
    weights fade fast); other variables that are not floats (a seed's state) are net's own. At decay 0 the
    average is the network itself."""
    rate = tf.minimum(decay, (1.0 + net.updates) / (10.0 + net.updates))
    weights = tuple(a + (w - a) * (1.0 - rate) for a, w in zip(ema[0], net.weights))
    other = tuple(a + (w - a) * (1.0 - rate) if w.dtype.is_floating else w for a, w in zip(ema[1], net.other))
    return weights, other


def load_into(model, net: Net) -> None:
    """Give a Keras model the net's weights (to save it, or call it eagerly)."""
    for variable, value in zip(model.trainable_variables, net.weights):
        variable.assign(value)
    for variable, value in zip(model.non_trainable_variables, net.other):
        variable.assign(value)


def to_numpy(state):
    """A state (any nest of tensors) as NumPy arrays: to save, copy or compare."""
    return tf.nest.map_structure(lambda t: np.array(t), state)


def from_numpy(state):
    return tf.nest.map_structure(tf.constant, state)
