"""The conditional GAN of MNIST (ImageConfig.conditional "on"): what an iteration costs against the
unconditional default's, measured in the same process (interleaved), and how often the digit classifier
reads a conditional run's digits as the digit asked for (label_agreement, 500 digits, 50 of each) after
X minutes of training, the run's own seconds, as the CLI's `--minutes X` counts them. Issue 34's goal:
>= 90 % after 3 minutes on this CPU.

    python bench/conditional.py [--minutes 3] [--iterations 30] [--repeats 3] [--cost-only]

Writes bench/results/conditional.txt (with `uptime` before and after: the machine is shared); --cost-only
measures the iteration cost alone, into conditional_cost.txt.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from gan_core.data.mnist import load_classifier, load_digits  # noqa: E402
from gan_core.settings.config import ImageConfig  # noqa: E402
from gan_core.training.images import ImageGanRun  # noqa: E402
from bench.mnist_speed import gan_core_seconds_per_iteration as seconds_per_iteration  # noqa: E402

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cost-only", action="store_true", help="the iteration cost alone (conditional_cost.txt)")
    args = parser.parse_args()
    lines = [f"# uptime before: {uptime()}"]

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    plain = ImageConfig()
    digits = load_digits(plain.scale)
    say(f"# {digits.source}")
    off, on = [], []
    for _ in range(args.repeats):  # interleaved, so load moves both alike
        off.append(seconds_per_iteration(plain, digits, args.iterations))
        on.append(seconds_per_iteration(dataclasses.replace(plain, conditional="on"), digits, args.iterations))
    say(f"iteration cost (default DCGAN, b{plain.n_batch}, median of {args.repeats} × {args.iterations} iterations): "
        f"unconditional {np.median(off) * 1000:.1f} ms, conditional {np.median(on) * 1000:.1f} ms, "
        f"ratio conditional/unconditional {np.median(on) / np.median(off):.2f}")
    say(f"each repeat's ratio: {', '.join(f'{b / a:.2f}' for a, b in zip(off, on))}")
    if args.cost_only:
        return write(lines, "conditional_cost.txt")

    # the default conditional run, long enough that only the time budget stops it (`--n-epochs 100000 --minutes X`)
    config = ImageConfig(conditional="on", n_epochs=100_000)
    run = ImageGanRun(config, digits, classifier=load_classifier())
    say(f"# a default conditional run for {args.minutes:g} minutes of training (check-in every {config.n_eval})")
    say("iteration  seconds  label_agreement  classifier_score  digits_present  frechet_distance")
    for ev in run.train():
        s = ev.scores
        say(f"{ev.iteration:>9,}  {run.seconds:7.1f}  {s['label_agreement']:15.3f}  {s['classifier_score']:16.2f}  "
            f"{s['digits_present']:14.0f}  {s['frechet_distance']:16.2f}")
        if run.seconds >= args.minutes * 60:
            break
    agreement = run.history[-1].scores["label_agreement"]
    say(f"after {run.seconds:.0f} s ({run.iteration:,} iterations): label_agreement {agreement:.1%} "
        f"(goal >= 90 %: {'met' if agreement >= 0.9 else 'not met'})")
    write(lines, "conditional.txt")


def write(lines: list[str], name: str) -> None:
    lines.append(f"# uptime after: {uptime()}")
    print(lines[-1])
    with open(os.path.join(RESULTS, name), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
