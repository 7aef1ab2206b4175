"""A seed sweep against single runs, in one process (issue 10): 16 seeds x 10,000 iterations of
the default 1-D GAN as one sweep, against the same 16 seeds as single runs one after another and
against one run; seconds and ratios, and each setting's success rate over the 16 seeds, as a
sweep and as single runs (they must agree within 2 seeds).

Every shape is compiled first (a warm server's case); each figure is the best of --repeats.

    python bench/sweep.py [--seeds 16] [--iterations 10000] [--repeats 2] [--app]
    python bench/sweep.py --curve 1,4,16,64 [--repeats 2]

--curve: the default setting's cost against its seed count, in one process: the first sweep of each
count (its stacked step traced, and compiled or loaded from the compile cache) and the best of
--repeats after it, each against one run (1 seed: a single run, the reference; the first sweep of a
count against the process's first single run).

--app sets TensorFlow up as the app does (explorer/devices.py: a CPU device per core, each with
a one-thread pool) instead of TensorFlow's default (one pool, a thread per core).
"""
from __future__ import annotations

import argparse
import dataclasses
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
if "--app" in sys.argv:
    import explorer  # noqa: F401

from gan_core import Config, GanRun  # noqa: E402
from gan_core.judging.judgement import succeeded  # noqa: E402
from gan_core.training.sweep import Sweep  # noqa: E402

SETTINGS = {
    "default (the tutorial's)": {},
    "stacked update": {"update": "stacked"},
    "g_lr 0.002": {"g_lr": 0.002},
    "d_lr 0.0005": {"d_lr": 0.0005},
    "LSGAN": {"loss": "lsgan"},
    "WGAN-GP (beta_1 0, critic 64,64, generator 32)": {"loss": "wgan-gp", "beta_1": 0.0, "d_hidden": (64, 64),
                                                       "g_hidden": (32,)},
    "SGD, learning rates 0.01": {"optimizer": "sgd", "d_lr": 0.01, "g_lr": 0.01},
}


def timed(make, repeats):
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = make()
        best = min(best, time.perf_counter() - start)
    return best, result


def single(config):
    run = GanRun(config)
    for _ in run.train():
        pass
    return run


def sweep(config, seeds):
    s = Sweep(config, seeds)
    for _ in s.train():
        pass
    return s


def curve(counts: list[int], iterations: int, n_eval: int, repeats: int) -> None:
    import os

    config = Config(n_epochs=iterations, n_eval=n_eval)
    first_one, _ = timed(lambda: single(config), 1)
    one, _ = timed(lambda: single(config), repeats)
    print(f"the default setting, {iterations:,} iterations, n_eval {n_eval:,}; load average "
          f"{os.getloadavg()[0]:.1f} at the start")
    print(f"  {'seeds':>5}  {'first (s)':>9}  {'x one run':>9}  {'warm (s)':>8}  {'x one run':>9}  {'per seed':>8}")
    print(f"  {1:5d}  {first_one:9.2f}  {1:9.2f}  {one:8.2f}  {1:9.2f}  {1:8.2f}   (a single run)")
    for count in counts:
        if count == 1:
            continue
        seeds = list(range(1, count + 1))
        first, _ = timed(lambda: sweep(config, seeds), 1)
        warm, _ = timed(lambda: sweep(config, seeds), repeats)
        print(f"  {count:5d}  {first:9.2f}  {first / first_one:9.2f}  {warm:8.2f}  {warm / one:9.2f}  "
              f"{warm / one / count:8.2f}", flush=True)
    print(f"  (load average {os.getloadavg()[0]:.1f} at the end)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=16)
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--n-eval", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--settings", default=";".join(SETTINGS), help="names of SETTINGS, separated by ;")
    parser.add_argument("--app", action="store_true", help="TensorFlow set up as the app does")
    parser.add_argument("--curve", default=None, metavar="N,N,...",
                        help="seed counts: the default setting's cost curve instead of the settings' table")
    args = parser.parse_args()
    if args.curve:
        return curve([int(n) for n in args.curve.split(",")], args.iterations, args.n_eval, args.repeats)
    seeds = list(range(1, args.seeds + 1))
    print(f"{args.seeds} seeds x {args.iterations:,} iterations, n_eval {args.n_eval:,}; best of {args.repeats}")
    for name in args.settings.split(";"):
        config = dataclasses.replace(Config(n_epochs=args.iterations, n_eval=args.n_eval), **SETTINGS[name])
        warm = dataclasses.replace(config, n_epochs=config.n_eval)
        single(warm), sweep(warm, seeds)  # compile both loops first
        one, _ = timed(lambda: single(config), args.repeats)
        each, runs = timed(lambda: [single(dataclasses.replace(config, seed=s)) for s in seeds], 1)
        together, s = timed(lambda: sweep(config, seeds), args.repeats)
        alone = sum(succeeded(r.target, r.history[-1].metrics) for r in runs)
        print(f"\n{name}\n  one run {one:.2f} s; {args.seeds} single runs one after another {each:.2f} s "
              f"({each / one:.1f}x one run); the sweep {together:.2f} s ({together / one:.1f}x one run, "
              f"{each / together:.1f}x faster than one after another)")
        print(f"  success ({s.criterion}): sweep {s.success_rate():.0%} "
              f"({int(round(s.success_rate() * args.seeds))} of {args.seeds}), single runs {alone} of {args.seeds}")
        summary = s.summary()
        print("  per seed (sweep): " + " ".join(
            f"{seed}:{'ok' if ok else 'x'}" for seed, ok in zip(summary.seed, summary.success)))


if __name__ == "__main__":
    main()
