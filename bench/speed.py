"""Speed of the 1-D GAN loop: the tutorial's loop vs gan_core vs the fastest plain-TF loop.

All in one process, same config (n_batch 128, 10,000 iterations, n_eval 2,000), compile
time included. The tutorial's loop (~15 minutes for 10,000 iterations) is run for
--reference-iterations and its rate reported. gan_core compiles a shape's step once per
process (gan_core/training/steps.py): its first run ("cold") pays the compile, the later ones ("warm",
other seeds) do not. The plain TF loop builds a new tf.function per run, so it always compiles.

    python bench/speed.py [--reference-iterations 300] [--repeats 3]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402

from bench.pure_tf_loop import PureTFGAN  # noqa: E402
from bench.tutorial_loop import TutorialGAN  # noqa: E402
from gan_core import Config, GanRun  # noqa: E402

N_EPOCHS, N_EVAL = 10_000, 2_000


def time_gan_core(seed, jit_compile=True):
    start = time.perf_counter()
    run = GanRun(Config(n_epochs=N_EPOCHS, n_eval=N_EVAL, seed=seed), jit_compile=jit_compile)
    list(run.train())  # includes the five check-ins (evaluation + metrics)
    return time.perf_counter() - start


def time_pure_tf(seed, jit_compile=True):
    start = time.perf_counter()
    loop = PureTFGAN(seed=seed)
    if not jit_compile:
        loop.train = tf.function(loop._train)
    for _ in range(N_EPOCHS // N_EVAL):
        loop.train(tf.constant(N_EVAL))
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reference-iterations", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    ref = TutorialGAN(seed=1)
    ref.train(5)  # trace its train functions first: a fair rate
    start = time.perf_counter()
    ref.train(args.reference_iterations)
    ref_rate = args.reference_iterations / (time.perf_counter() - start)

    results = {"gan_core (XLA)": [], "gan_core (no XLA)": [], "plain TF (XLA)": [], "plain TF (no XLA)": []}
    for seed in range(args.repeats):  # interleaved, so machine noise hits all alike
        results["plain TF (XLA)"].append(time_pure_tf(seed))
        results["gan_core (XLA)"].append(time_gan_core(seed))
        results["plain TF (no XLA)"].append(time_pure_tf(seed, jit_compile=False))
        results["gan_core (no XLA)"].append(time_gan_core(seed, jit_compile=False))

    print(f"10,000 iterations, n_batch 128, n_eval 2,000, compile included; median of {args.repeats}\n")
    print(f"{'loop':<26}{'seconds':>10}{'iter/s':>12}{'x tutorial':>12}")
    print(f"{'tutorial (Keras 3)':<26}{N_EPOCHS / ref_rate:>10.0f}{ref_rate:>12.1f}{1:>12.0f}"
          f"   (rate over {args.reference_iterations} iterations)")
    for name in ("gan_core (XLA)", "gan_core (no XLA)"):  # the first run compiled, the others reused it
        times = results.pop(name)
        results[f"{name[:-1]}, cold)"] = times[:1]
        results[f"{name[:-1]}, warm)"] = times[1:] or times
    medians = {name: statistics.median(times) for name, times in results.items()}
    for name, seconds in medians.items():
        rate = N_EPOCHS / seconds
        print(f"{name:<26}{seconds:>10.2f}{rate:>12.0f}{rate / ref_rate:>12.0f}")
    ratio = medians["gan_core (XLA, cold)"] / min(medians["plain TF (XLA)"], medians["plain TF (no XLA)"])
    print(f"\ngan_core, compile included / fastest plain TF loop: {ratio:.2f}x (target <= 1.5)")
    print(f"gan_core vs tutorial: {N_EPOCHS / medians['gan_core (XLA, cold)'] / ref_rate:.0f}x faster cold, "
          f"{N_EPOCHS / medians['gan_core (XLA, warm)'] / ref_rate:.0f}x warm (target >= 200)")


if __name__ == "__main__":
    main()
