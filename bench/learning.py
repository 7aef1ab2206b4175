"""Does the default 1-D GAN learn x²? gan_core on 10 seeds, the tutorial's loop beside it.

Each run: the default config (the tutorial's networks, n_batch 128), 10,000 iterations,
then the objective distances on 1,000 fresh fake points. A seed passes when the curve
error is below 0.015 and the generated x cover at least 90 % of [-0.5, 0.5].

    python bench/learning.py [--seeds 10] [--reference-seeds 0]

The tutorial's loop runs ~15 minutes per seed: --reference-seeds K runs it on the first K.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from gan_core import Config, GanRun, get_target  # noqa: E402
from gan_core.judging.metrics import sample_metrics  # noqa: E402

COLUMNS = ("curve_error", "coverage", "outside", "energy")


def passes(m):
    return m["curve_error"] < 0.015 and m["coverage"] >= 0.9


def row(name, seed, seconds, m):
    cells = "".join(f"{m[c]:>13.4f}" for c in COLUMNS)
    return f"{name:<10}{seed:>5}{seconds:>9.1f}{cells}   {'pass' if passes(m) else 'FAIL'}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--reference-seeds", type=int, default=0)
    parser.add_argument("--update", default="separate", choices=["separate", "stacked"])
    args = parser.parse_args()
    print(f"{'loop':<10}{'seed':>5}{'seconds':>9}" + "".join(f"{c:>13}" for c in COLUMNS))
    n_pass, m = 0, None
    for seed in range(args.seeds):
        run = GanRun(Config(seed=seed, update=args.update))
        list(run.train())
        m = run.score(1000)
        n_pass += passes(m)
        print(row("gan_core", seed, run.seconds, m), flush=True)
    if m is not None:
        print(f"gan_core: {n_pass} of {args.seeds} seeds pass (target: at least 8 of 10)", flush=True)
        print("real-vs-real floor: " + ", ".join(f"{c} {m[c + '_floor']:.4f}" for c in COLUMNS), flush=True)

    if args.reference_seeds:
        from bench.tutorial_loop import TutorialGAN

        target, rng = get_target(), np.random.default_rng(0)
        for seed in range(args.reference_seeds):
            start = time.perf_counter()
            ref = TutorialGAN(seed=seed)
            ref.train(10_000)
            fake = ref.generate(1000)
            m = sample_metrics(fake, target.sample_real(1000, rng), target.sample_real(1000, rng), target)
            print(row("tutorial", seed, time.perf_counter() - start, m), flush=True)


if __name__ == "__main__":
    main()
