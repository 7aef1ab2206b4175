"""The losses a GAN on points trains with, one entry each: what the compiled step minimizes, how
the discriminator's output reads as P(real), what the arrows follow, and what the loss chart and
the overpowering alarm take as their levels. A new loss is one entry in LOSSES (and its tests).

TensorFlow is imported inside the loss functions (they run while a step is traced), so a config
can name and validate a loss without starting TensorFlow.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np


def _tf():
    import tensorflow as tf

    return tf


# ---- the functions: y is the label (1 real, 0 fake), p the discriminator's output ----------------

def bce(y, p):
    # the plain function, not the Loss class: same math, fewer ops in the compiled loop
    import keras

    return _tf().reduce_mean(keras.losses.binary_crossentropy(y, p))


def squares(y, p):
    """LSGAN's least squares: the discriminator's score pulled to 1 for real, 0 for fake."""
    return _tf().reduce_mean(_tf().square(p - y))


def wasserstein(y, p):
    """The Wasserstein critic's loss: the mean of -score over real samples (y 1) and of +score over
    fakes (y 0)."""
    return _tf().reduce_mean((1.0 - 2.0 * y) * p)


def hinge(y, p):
    """The hinge (Lim & Ye 2017; SNGAN, BigGAN): real scores pushed above 1, fakes below -1, and
    nothing more once past the margin."""
    return _tf().reduce_mean(_tf().nn.relu(1.0 - (2.0 * y - 1.0) * p))


def _fooled(loss):
    """A generator's loss: the discriminator's `loss` on its fakes labelled real."""
    return lambda p: loss(_tf().ones_like(p), p)


def _minus_score(p):
    """WGAN's and the hinge's generator: raise the fakes' score."""
    return -_tf().reduce_mean(p)


def _sigmoid(scores: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(scores, -50.0, 50.0)))


@dataclass(frozen=True)
class Loss:
    name: str  # the config's and the CLI's word
    label: str  # the app's choice
    help: str  # one sentence: where it comes from
    output: str  # the discriminator's last activation: "sigmoid" (P(real)) or "linear" (a score)
    discriminator: Callable  # (y, p) -> the discriminator's loss on samples labelled y
    generator: Callable  # p on fakes -> the generator's loss
    push: Callable  # p -> what the generator raises at a sample: the arrows follow its gradient
    p_real: Callable  # NumPy outputs -> P(real), for the accuracy, the heat map and the arrows' colour
    chance: float | None  # the discriminator's loss when it cannot tell (P 0.5, score 0); None: no such level
    overpowered_g_loss: float | None  # the generator's loss from which a confident discriminator is an alarm
    axis: str  # the loss chart's axis title
    critic: bool = False  # WGAN-GP: n_critic critic steps with a gradient penalty replace the discriminator's


DEFAULT = "bce"  # the tutorial's
LOSSES = {loss.name: loss for loss in (
    Loss("bce", "log loss (the tutorial's)", "The tutorial's binary cross-entropy.", "sigmoid", bce, _fooled(bce),
         lambda p: _tf().math.log(_tf().clip_by_value(p, 1e-7, 1.0)), lambda p: p, float(np.log(2)), 1.0,
         "binary cross-entropy"),
    Loss("lsgan", "least squares (LSGAN)", "Least squares (LSGAN, Mao et al. 2017).", "linear", squares,
         _fooled(squares), lambda p: -_tf().square(p - 1.0), lambda p: np.clip(p, 0.0, 1.0), 0.25, 0.4,
         "squared error"),
    Loss("wgan-gp", "Wasserstein, gradient penalty (WGAN-GP)",
         "Wasserstein with gradient penalty (WGAN-GP, Gulrajani et al. 2017): the critic gives a score, shown "
         "as P(real) through a sigmoid.", "linear", wasserstein, _minus_score, lambda p: p, _sigmoid, None, None,
         "critic loss", critic=True),
    Loss("hinge", "hinge (SNGAN, BigGAN)",
         "The hinge (Lim & Ye 2017; SNGAN, BigGAN): the discriminator's score, shown as P(real) through a "
         "sigmoid; the generator raises its fakes' score (on the 1-D default, Adam beta_1 0.5 makes it work "
         "on most seeds).", "linear", hinge, _minus_score, lambda p: p, _sigmoid,
         1.0, 1.0, "hinge loss"),
)}
