"""The Dirac-GAN (Mescheder, Geiger & Nowozin, "Which Training Methods for GANs do actually Converge?",
ICML 2018): why plain GAN training circles. The real data is one point at 0, the generator one point θ,
the discriminator D(x) = ψx; the only equilibrium is (θ, ψ) = (0, 0).

Both players train with the engine's own parts: the losses of networks/losses.py on D's outputs (a
sigmoid of ψx for the log losses, ψx itself for the others), the regularizers of
networks/regularizers.py on the score ψx, and plain gradient steps (adam.sgd) of size lr; the noise
comes from the engine's counter-based draws. The whole path is one compiled loop (a few hundred steps
take milliseconds once compiled).

- `trajectory(config)`: the path (θ, ψ) from the start over `steps` steps, simultaneous or alternating;
- `field(config, ...)`: the direction plain gradient descent moves (θ, ψ), on a grid, for the picture;
- `eigenvalues(config)`: those of the field's Jacobian at (0, 0), by automatic differentiation.
  Purely imaginary ones (real part 0) make simultaneous steps spiral out and alternating ones circle;
  negative real parts (R1, instance noise) make small enough steps converge.

Where the noise is random (instance noise, the gradient penalty's points between real and fake),
training draws `DRAWS` fresh numbers per step; the field and the eigenvalues take its expectation
over `DRAWS` evenly spaced quantiles instead, so they are smooth and the same every time.
"""
from __future__ import annotations

from statistics import NormalDist
from typing import NamedTuple

import numpy as np
import pandas as pd
import tensorflow as tf

from gan_core.networks import adam, regularizers
from gan_core.networks.losses import DEFAULT, LOSSES
from gan_core.settings.config import DiracConfig
from gan_core.training import draws, names

F = tf.float64  # the path, field and eigenvalues in double precision: a start of 0.1 is 0.1
DRAWS = 64  # noise draws per step (instance noise, the gradient penalty's points)


class _Counter(NamedTuple):
    """What draws.py reads of a run's state: the seed and the step number."""

    seed: tf.Tensor  # uint64 [1]
    iteration: tf.Tensor  # int64


def _draws_of(regularizer: str) -> int:
    return DRAWS if regularizer in ("instance-noise", "gradient-penalty") else 1


def _loss_of(name: str):
    """The engine's loss entry behind a Dirac loss (minimax is the log loss's, the default's, game)."""
    return LOSSES[DEFAULT if name == "minimax" else name]


class _Game:
    """The two players' losses for one loss and regularizer, on points given as rows: θ and ψ
    repeated per noise draw, shape [rows, 1] (each point's draws in consecutive rows)."""

    def __init__(self, loss: str, regularizer: str):
        self.minimax, self.regularizer = loss == "minimax", regularizer
        self.loss = _loss_of(loss)

    def output(self, score):
        """D's output as the loss reads it: P(real) for the log losses, the score itself otherwise."""
        return tf.sigmoid(score) if self.loss.output == "sigmoid" else score

    def points(self, theta, sigma, noise):
        """The real and fake points the discriminator sees (with instance noise: each moved by σ·noise)."""
        x_real, x_fake = tf.zeros_like(theta), theta
        if self.regularizer == "instance-noise":
            x_real = regularizers.instance_noise(x_real, sigma, noise[0])
            x_fake = regularizers.instance_noise(x_fake, sigma, noise[1])
        return x_real, x_fake

    def d_loss(self, theta, psi, gamma, sigma, noise):
        """The discriminator's loss: its loss on the real point (label 1) plus on the fake one (label 0),
        the paper's f(ψθ) + f(0), and the regularizer's term."""
        score = lambda x: psi * x  # noqa: E731 (D(x) = ψx)
        x_real, x_fake = self.points(theta, sigma, noise)
        p_real, p_fake = self.output(score(x_real)), self.output(score(x_fake))
        value = self.loss.discriminator(tf.ones_like(p_real), p_real) + self.loss.discriminator(
            tf.zeros_like(p_fake), p_fake)
        if self.regularizer == "r1":
            value += gamma / 2 * regularizers.r1_penalty(score, x_real)
        elif self.regularizer == "gradient-penalty":
            value += gamma * regularizers.gradient_penalty(score, x_real, x_fake, noise[2])
        return value

    def g_loss(self, theta, psi, sigma, noise):
        """The generator's loss: the loss's own (non-saturating for the log loss), or minus the
        discriminator's loss on the fake point (minimax)."""
        p_fake = self.output(psi * self.points(theta, sigma, noise)[1])
        if self.minimax:
            return -self.loss.discriminator(tf.zeros_like(p_fake), p_fake)
        return self.loss.generator(p_fake)

    def gradients(self, theta, psi, gamma, sigma, noise, n: int):
        """(∂L_G/∂θ, ∂L_D/∂ψ) at each of the points θ, ψ (shape [points]), n noise draws each. The
        losses are means over all rows, so each point's gradient is the mean's times the points."""
        with tf.GradientTape(persistent=True) as tape:
            tape.watch([theta, psi])
            rows = lambda v: tf.reshape(tf.repeat(v, n), [-1, 1])  # noqa: E731
            g = self.g_loss(rows(theta), rows(psi), sigma, noise)
            d = self.d_loss(rows(theta), rows(psi), gamma, sigma, noise)
        points = tf.cast(tf.size(theta), F)
        return tape.gradient(g, theta) * points, tape.gradient(d, psi) * points


def _net(value, lr) -> adam.Net:
    """A player as the engine's network state: one weight, stepped by adam.sgd."""
    return adam.Net((value,), (), tf.constant(0.0), (), (), lr, tf.constant(0.0, F))


_LOOPS: dict[tuple, tf.types.experimental.GenericFunction] = {}


def _loop(loss: str, regularizer: str, update: str):
    """The compiled path for one (loss, regularizer, update), shared by every call; the number of
    steps, lr, γ, σ, the start and the seed go in as tensors."""
    key = (loss, regularizer, update)
    if key in _LOOPS:
        return _LOOPS[key]
    game, n, alternating = _Game(loss, regularizer), _draws_of(regularizer), update == "alternating"

    def path(steps, lr, gamma, sigma, theta0, psi0, seed):
        def step(i, g, d, thetas, psis):
            counter = _Counter(seed, tf.cast(i, tf.int64))
            noise = tuple(tf.cast(x, F) for x in (draws.normal(counter, 0, [n, 1]), draws.normal(counter, 1, [n, 1]),
                                                  draws.uniform(counter, 2, [n, 1]))) if n > 1 else None  # none drawn where none is used
            theta, psi = g.weights[0], d.weights[0]
            _, d_grad = game.gradients(theta, psi, gamma, sigma, noise, n)
            d_next = adam.sgd(d, (d_grad,))
            # simultaneous: θ's gradient at the same ψ; alternating: at the ψ just stepped to
            g_grad, _ = game.gradients(theta, d_next.weights[0] if alternating else psi, gamma, sigma, noise, n)
            g_next = adam.sgd(g, (g_grad,))
            return (i + 1, g_next, d_next, thetas.write(i + 1, g_next.weights[0][0]),
                    psis.write(i + 1, d_next.weights[0][0]))

        thetas = tf.TensorArray(F, size=steps + 1).write(0, theta0)
        psis = tf.TensorArray(F, size=steps + 1).write(0, psi0)
        start = (tf.constant(0), _net(tf.reshape(theta0, [1]), lr), _net(tf.reshape(psi0, [1]), lr), thetas, psis)
        *_, thetas, psis = tf.while_loop(lambda i, *_: i < steps, step, start)
        return thetas.stack(), psis.stack()

    _LOOPS[key] = tf.function(path, jit_compile=True, autograph=False)
    return _LOOPS[key]


def trajectory(config: DiracConfig) -> pd.DataFrame:
    """The path training takes: columns step (0 is the start), theta, psi, distance (to (0, 0))."""
    c = config.checked()
    with names.scope(f"dirac/{c.loss}/{c.regularizer}/{c.update}"):  # its compile-cache key, whatever came before
        thetas, psis = _loop(c.loss, c.regularizer, c.update)(
            tf.constant(c.steps), tf.constant(c.lr, F), tf.constant(c.gamma, F), tf.constant(c.sigma, F),
            tf.constant(c.theta0, F), tf.constant(c.psi0, F), tf.constant([c.seed], tf.uint64))
    theta, psi = thetas.numpy().astype(np.float64), psis.numpy().astype(np.float64)
    return pd.DataFrame({"step": np.arange(c.steps + 1), "theta": theta, "psi": psi,
                         "distance": np.hypot(theta, psi)})


def _expected_noise(regularizer: str):
    """The noise as its expectation: DRAWS evenly spaced quantiles of N(0, 1) (real and fake) and of
    U(0, 1) (the gradient penalty's points), as [draws, 1] columns."""
    n = _draws_of(regularizer)
    levels = (np.arange(n) + 0.5) / n
    normal = np.array([NormalDist().inv_cdf(q) for q in levels], np.float64).reshape(-1, 1)
    return tf.constant(normal), tf.constant(normal), tf.constant(levels.astype(np.float64).reshape(-1, 1))


def _velocity(game, theta, psi, config: DiracConfig):
    """Where gradient descent moves each point (θ, ψ), per unit step: (−∂L_G/∂θ, −∂L_D/∂ψ), the noise
    at its expectation; theta and psi of any one shape, tiled over the noise's quantiles."""
    n = _draws_of(config.regularizer)
    noise = tuple(tf.tile(part, [tf.size(theta), 1]) for part in _expected_noise(config.regularizer))
    g_grad, d_grad = game.gradients(theta, psi, tf.constant(config.gamma, F),
                                    tf.constant(config.sigma, F), noise, n)
    return -g_grad, -d_grad


def field(config: DiracConfig, extent: float = 2.0, n: int = 15) -> pd.DataFrame:
    """The gradient vector field on an n × n grid over [−extent, extent]²: columns theta, psi,
    d_theta, d_psi (the velocity of gradient descent there, per unit step)."""
    c = config.checked()
    axis = np.linspace(-extent, extent, n, dtype=np.float64)
    theta, psi = (tf.constant(v.ravel()) for v in np.meshgrid(axis, axis))
    d_theta, d_psi = _velocity(_Game(c.loss, c.regularizer), theta, psi, c)
    return pd.DataFrame({"theta": theta.numpy(), "psi": psi.numpy(), "d_theta": d_theta.numpy(),
                         "d_psi": d_psi.numpy()}).astype(np.float64)


def eigenvalues(config: DiracConfig, at=(0.0, 0.0)) -> np.ndarray:
    """The eigenvalues of the vector field's Jacobian at `at` (the equilibrium (0, 0) by default), by
    automatic differentiation: real parts 0 circle, negative ones converge."""
    c = config.checked()
    game = _Game(c.loss, c.regularizer)
    point = tf.constant(at, F)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(point)
        d_theta, d_psi = _velocity(game, point[:1], point[1:], c)
    jacobian = np.stack([tape.gradient(v, point).numpy() for v in (d_theta, d_psi)]).astype(np.float64)
    return np.linalg.eigvals(jacobian)


def verdict(path: pd.DataFrame) -> str:
    """What a path did, in the lesson's words: "converges" (to within 5 % of where it started, and
    0.05), "spirals out" (ends over 25 % farther than it started), "closes in" (nearer, not there), or
    "circles" (neither)."""
    start, end = path.distance.iloc[0], path.distance.iloc[-1]
    if end <= 0.05 * start and end < 0.05:
        return "converges"
    if end > 1.25 * start:
        return "spirals out"
    return "closes in" if end < 0.8 * start else "circles"


def in_words(eigenvalues: np.ndarray) -> str:
    """The eigenvalues as a sentence's numbers: '±0.5i', '−0.5 (twice)', '−0.25 ± 0.433i'."""
    def number(x):
        return f"{x:.3g}".replace("-", "−")

    a, b = sorted(eigenvalues, key=lambda z: (z.imag, z.real))
    if abs(a.imag) > 1e-9 and np.isclose(a, np.conj(b), atol=1e-9):
        real = "" if abs(a.real) < 1e-9 else number(a.real) + " "
        return f"{real}{'± ' if real else '±'}{number(abs(a.imag))}i"
    if np.isclose(a, b, atol=1e-9):
        return f"{number(a.real)} (twice)"
    return f"{number(a.real)} and {number(b.real)}"
