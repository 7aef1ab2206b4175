"""Random draws inside a compiled step, counter-based: the i-th number of draw k at an iteration is
a hash of (seed, iteration * DRAWS + k, i), so an iteration's samples depend only on the run's
seed and the iteration number, whatever the step lengths, the timing or the other runs.
"""
from __future__ import annotations

import tensorflow as tf

DRAWS = 8  # random draws an iteration may make (k = 0..7)

# Counter-based: the i-th number of draw k at an iteration is a hash of (seed, iteration * DRAWS
# + k, i), so an iteration's samples depend only on the seed and the iteration number. The hash
# is a Weyl step and splitmix64's finalizer, both bijections on 64 bits: within a seed no two
# numbers share an input. XLA's own Philox kernels cost 17 ns a uniform and 30 ns a normal on
# this CPU, about 60 % of a 1-D iteration; these take 0.6 and 2 ns (bench/results/rng.txt), and
# being plain integer arithmetic they vectorize over a sweep's seeds.

_GOLDEN = 0x9E3779B97F4A7C15


def _u64(value):
    return tf.constant(value, tf.uint64)


def _mix(z):
    """splitmix64's finalizer."""
    z = tf.bitwise.bitwise_xor(z, tf.bitwise.right_shift(z, _u64(30))) * _u64(0xBF58476D1CE4E5B9)
    z = tf.bitwise.bitwise_xor(z, tf.bitwise.right_shift(z, _u64(27))) * _u64(0x94D049BB133111EB)
    return tf.bitwise.bitwise_xor(z, tf.bitwise.right_shift(z, _u64(31)))


PART = 1 << 24  # a draw's numbers are indexed below this; `part` p starts at p * PART (WGAN-GP's critic steps)


def _bits(state, k: int, shape, part: int = 0):
    """64 random bits for each element of `shape` (at most PART of them)."""
    key = _mix(state.seed[0] * _u64(_GOLDEN) + _u64(0x632BE59BD9B4E019))
    counter = tf.bitwise.left_shift(tf.cast(state.iteration, tf.uint64) * DRAWS + k, _u64(32)) + part * PART
    index = tf.cast(tf.range(tf.reduce_prod(shape)), tf.uint64)
    return tf.reshape(_mix(key + (counter + index) * _u64(_GOLDEN)), shape)


def _unit(bits24):
    """24 random bits as a float32 in [0, 1)."""
    return tf.cast(bits24, tf.float32) * (1.0 / (1 << 24))


def uniform(state, k: int, shape, low=0.0, high=1.0, part: int = 0):
    u = _unit(tf.bitwise.right_shift(_bits(state, k, shape, part), _u64(40)))
    return low + (high - low) * u


def _sin_cos(t):
    """sin and cos of t in [-pi, pi]: polynomials of the half angle (error below 1e-7); XLA's own
    sin and cos took 5 of Box-Muller's 7 ns here."""
    h = 0.5 * t
    h2 = h * h
    s = h * (1 + h2 * (-1 / 6 + h2 * (1 / 120 + h2 * (-1 / 5040 + h2 * (1 / 362880 + h2 * (-1 / 39916800))))))
    c = 1 + h2 * (-1 / 2 + h2 * (1 / 24 + h2 * (-1 / 720 + h2 * (1 / 40320 + h2 * (-1 / 3628800
                                                                                + h2 / 479001600)))))
    return 2 * s * c, c * c - s * s


def normal(state, k: int, shape, part: int = 0):
    """Standard normal numbers by Box-Muller, from two 24-bit uniforms of each 64-bit draw."""
    bits = _bits(state, k, shape, part)
    u1 = _unit(tf.bitwise.right_shift(bits, _u64(40)))
    u2 = _unit(tf.bitwise.bitwise_and(tf.bitwise.right_shift(bits, _u64(8)), _u64(0xFFFFFF)))
    _, cos = _sin_cos(6.2831855 * u2 - 3.1415927)
    return tf.sqrt(-2.0 * tf.math.log(1.0 - u1)) * cos


def integers(state, k: int, shape, maxval, part: int = 0):
    """Uniform integers in [0, maxval), maxval < 2**32 (multiply and shift: bias below 2**-32 * maxval)."""
    high = tf.bitwise.right_shift(_bits(state, k, shape, part), _u64(32))
    return tf.cast(tf.bitwise.right_shift(high * tf.cast(maxval, tf.uint64), _u64(32)), tf.int32)
