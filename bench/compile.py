"""Compile once: what a run costs when another run of the same shapes came before it.

All in one process. The default GAN page's run (x², 10,000 iterations, n_eval 200) three times
with seeds 1-3: building it, its first step, its first check-in (200 iterations) and the whole
run, beside the tutorial's own loop (its rate over --reference-iterations). Then the server's
memory: resident set size after one run and after --runs more of the same shapes (2,000
iterations each, deleted and collected), for the 1-D GAN, the discriminator lab and the MNIST
DCGAN (its default, 20 batches a run).

    python bench/compile.py [--runs 20] [--reference-iterations 200]
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from bench.tutorial_loop import TutorialGAN  # noqa: E402
from gan_core import Config, DiscriminatorRun, GanRun  # noqa: E402
from gan_core.data.mnist import load_subset  # noqa: E402
from gan_core.settings.config import ImageConfig  # noqa: E402
from gan_core.training.images import ImageGanRun  # noqa: E402

PAGE = dict(n_epochs=10_000, n_eval=200)  # the GAN page's defaults


def rss_mb() -> float:
    fields = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024


def timed_run(seed: int) -> dict[str, float]:
    start = time.perf_counter()
    run = GanRun(Config(seed=seed, **PAGE))
    built = time.perf_counter()
    run.advance()
    first_step = time.perf_counter()
    run.train_chunk()
    first_check_in = time.perf_counter()
    list(run.train())
    end = time.perf_counter()
    return {"build": built - start, "first step": first_step - built, "first check-in": first_check_in - built,
            "whole run": end - start}


def memory(make, runs: int) -> tuple[float, float, float]:
    """(RSS before, after one run, after `runs` more), in MB."""
    gc.collect()
    before = rss_mb()
    readings = []
    for i in range(runs + 1):
        run = make(i)
        list(run.train())
        del run
        gc.collect()
        readings.append(rss_mb())
    return before, readings[0], readings[-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reference-iterations", type=int, default=200)
    args = parser.parse_args()

    print(f"{'default GAN run (10,000 it., n_eval 200)':<42}{'build':>8}{'1st step':>10}{'1st check-in':>14}"
          f"{'whole run':>11}  (seconds)")
    results = []
    for seed in (1, 2, 3):
        r = timed_run(seed)
        results.append(r)
        label = {1: "first in the process", 2: "second, same shapes, seed 2", 3: "third, same shapes, seed 3"}[seed]
        print(f"{label:<42}{r['build']:>8.2f}{r['first step']:>10.3f}{r['first check-in']:>14.3f}"
              f"{r['whole run']:>11.2f}")
    ratio = results[1]["first check-in"] / results[0]["first check-in"]
    print(f"second run's first check-in / first run's: {ratio:.3f} (goal: <= 0.2 s or 10 %)")

    ref = TutorialGAN(seed=1)
    ref.train(5)  # trace its train functions first: a fair rate
    start = time.perf_counter()
    ref.train(args.reference_iterations)
    ref_rate = args.reference_iterations / (time.perf_counter() - start)
    warm = min(r["whole run"] for r in results[1:])
    print(f"\ntutorial loop: {ref_rate:.1f} it/s, so 10,000 iterations take {10_000 / ref_rate:.0f} s")
    print(f"a default run on a warm server: {warm:.2f} s, {10_000 / warm / ref_rate:.0f}x the tutorial's loop "
          f"(goal 500x)")

    digits = load_subset(ImageConfig().scale)
    print(f"\nresident memory (MB){'':<22}{'start':>8}{'after 1':>10}{f'after {1 + args.runs}':>10}{'growth':>9}")
    kinds = {
        "1-D GAN, 2,000 iterations": lambda i: GanRun(Config(seed=i, n_epochs=2000, n_eval=200)),
        "discriminator lab, 1,000 iterations": lambda i: DiscriminatorRun(Config(seed=i, n_epochs=1000, n_eval=50)),
        "MNIST DCGAN, 20 batches": lambda i: ImageGanRun(ImageConfig(seed=i, n_epochs=20, n_eval=10), digits),
    }
    for label, make in kinds.items():
        before, one, many = memory(make, args.runs)
        print(f"{label:<42}{before:>8.0f}{one:>10.0f}{many:>10.0f}{many - one:>+9.0f}   (goal: <= +50)")


if __name__ == "__main__":
    main()
