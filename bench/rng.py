"""The random draws' cost inside a compiled (XLA) loop: XLA's Philox kernels, which gan_core used
until 2026-11-24, against gan_core.training.draws' counter-based hash, for one 1-D iteration's numbers (960
normals: the default n_batch 128 and latent_dim 5) and as many uniforms. One process.

    python bench/rng.py
"""
from __future__ import annotations

import pathlib
import sys
import time

import tensorflow as tf

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from gan_core.training import draws, steps  # noqa: E402

SHAPE = [192, 5]
ITERATIONS = 10_000


def philox(kind):
    def draw(seed, i):
        counter = tf.stack([tf.constant(0, tf.uint64), tf.cast(i, tf.uint64)])
        op = tf.raw_ops.StatelessRandomNormalV2 if kind == "normal" else tf.raw_ops.StatelessRandomUniformV2
        return op(shape=SHAPE, key=seed, counter=counter, alg=1)
    return draw


def hashed(kind):
    def draw(seed, i):
        state = steps.RunState((), (), seed, i)
        return (draws.normal if kind == "normal" else draws.uniform)(state, 1, SHAPE)
    return draw


def per_number_ns(draw) -> float:
    def loop(n):
        def body(i, total):
            return i + 1, total + tf.reduce_sum(draw(tf.constant([7], tf.uint64), i))
        return tf.while_loop(lambda i, _: i < n, body, (tf.constant(0, tf.int64), tf.constant(0.0)))[1]

    compiled = tf.function(loop, jit_compile=True, autograph=False)
    compiled(tf.constant(10, tf.int64)).numpy()
    start = time.perf_counter()
    compiled(tf.constant(ITERATIONS, tf.int64)).numpy()
    return (time.perf_counter() - start) / ITERATIONS / (SHAPE[0] * SHAPE[1]) * 1e9


def main():
    print(f"ns per number, {SHAPE[0] * SHAPE[1]} numbers a draw, {ITERATIONS:,} draws in one XLA loop")
    for kind in ("uniform", "normal"):
        old, new = per_number_ns(philox(kind)), per_number_ns(hashed(kind))
        print(f"{kind:<8} Philox {old:6.2f}  hash {new:6.2f}  ({old / new:.0f}x cheaper)")


if __name__ == "__main__":
    main()
