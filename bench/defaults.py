"""Defaults that learn: each built-in target's defaults (gan_core/settings/defaults.py), chosen with the
engine's own Settings sweep (training/grid.py) on tuned-on seeds, then measured on fresh seeds
nobody tuned on.

    python bench/defaults.py tune TARGET --grid NAME=VALUES [--grid ...] [--set NAME=VALUE ...] [--seed 0] [--seeds 8]
    python bench/defaults.py fresh [TARGET ...] [--seed 1000] [--seeds 10] [--time]
    python bench/defaults.py time [TARGET ...]

`tune` trains a grid over the target's current defaults (Config.for_target, changed by --set) and
prints one line per cell: seeds meeting the criterion (judgement.py), and for a mixture the modes
captured and the high-quality share on 2,500 samples (as PacGAN scores them), their mean over seeds.
`fresh` trains each target's declared defaults on fresh seeds (a sweep: seeds stacked in one step),
prints the figures to copy into gan_core/settings/defaults.py's MEASURED; `time` (or fresh --time) times a
warm run of each against the plain x² run in the same process, and converts the ratio to seconds on a
quiet machine with the reference's own quiet rate. Both
append what they print to bench/results/defaults.txt with the load (`uptime`).
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from gan_core import Config, GanRun  # noqa: E402
from gan_core.settings.defaults import TARGET_DEFAULTS  # noqa: E402
from gan_core.settings.described import parse_widths  # noqa: E402
from gan_core.training.grid import Grid, parse_axis, shown  # noqa: E402
from gan_core.training.sweep import Sweep  # noqa: E402

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "defaults.txt")


def say(line: str = "") -> None:
    print(line, flush=True)
    with open(RESULTS, "a") as out:
        out.write(line + "\n")


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def parse_set(text: str, config: Config) -> tuple[str, object]:
    name, _, raw = text.partition("=")
    kind = Config.settings()[name].kind
    value = {"whole": int, "number": float, "widths": parse_widths}.get(kind, str)(raw)
    return name, value


def figures(summary, target_is_mixture: bool) -> str:
    """Seeds meeting the criterion; a mixture's mean modes and high-quality share; the seeds' modes."""
    text = f"{int(summary.success.sum())}/{len(summary)} met"
    if target_is_mixture:
        text += (f", modes {summary.modes.mean():.2f}, HQ {100 * summary.high_quality.mean():.1f} %, per seed "
                 f"{[int(m) for m in summary.modes]}")
    else:
        text += f", curve error median {summary.curve_error.median():.4f}, coverage min {summary.coverage.min():.2f}"
    return text


def tune(args) -> None:
    config = Config.for_target(args.target, seed=args.seed)
    for text in args.set or []:
        name, value = parse_set(text, config)
        config = dataclasses.replace(config, **{name: value})
    axes = [parse_axis(text) for text in args.grid]
    grid = Grid(config, axes, seeds=args.seeds)
    start = time.perf_counter()
    for _ in grid.train():
        pass
    seconds = time.perf_counter() - start
    say(f"# tune {args.target}: {' × '.join(args.grid)} over seeds {args.seed}..{args.seed + args.seeds - 1}; "
        f"base {changed(config)}; {grid.runs} runs in {seconds:.0f} s; {uptime()}")
    summary = grid.summary()
    mixture = grid.target.mixture if hasattr(grid.target, "mixture") else False
    for c, cell in enumerate(grid.cells):
        say(f"  {grid.cell_name(cell):<40} {figures(summary[summary.cell == c], mixture)}")


def changed(config: Config) -> str:
    plain = vars(Config())
    return " ".join(f"{k}={shown(v)}" for k, v in vars(config).items() if plain[k] != v and k != "seed") or "(plain)"


def fresh(args) -> None:
    targets = args.targets or list(TARGET_DEFAULTS)
    say(f"# fresh seeds {args.seed}..{args.seed + args.seeds - 1}: each target's declared defaults, as a sweep; "
        f"{uptime()}")
    for target in targets:
        config = Config.for_target(target, seed=args.seed)
        sweep = Sweep(config, args.seeds)
        start = time.perf_counter()
        for _ in sweep.train():
            pass
        summary = sweep.summary()
        mixture = getattr(sweep.target, "mixture", False)
        say(f"  {target:<8} {changed(config)}")
        say(f"  {'':<8} {figures(summary, mixture)} ({time.perf_counter() - start:.0f} s for the sweep)")
    if args.time:
        time_runs(targets)


def time_runs(targets) -> None:
    say(f"# one run of each, warm (its step compiled by a first run), {TIMED:,} iterations, against the plain x² "
        f"run measured the same way in this process; {uptime()}")
    reference = timed(Config())
    say(f"  reference x² plain: {reference * 1000:.3f} ms/iteration here")
    for target in targets:
        config = Config.for_target(target)
        ratio = timed(config) / reference
        quiet = ratio * config.n_epochs / QUIET_REFERENCE_IT_S + QUIET_COMPILE_S
        say(f"  {target:<8} {ratio:.2f}× the reference per iteration; {config.n_epochs:,} iterations on a quiet "
            f"machine ≈ {quiet:.0f} s (the reference's {QUIET_REFERENCE_IT_S:,} it/s warm and a {QUIET_COMPILE_S} s "
            f"compile, bench/results/speed.txt)")
    say(f"# {uptime()}")


TIMED = 2_000  # iterations timed per run: the rate, not the whole run (the machine is shared)
QUIET_REFERENCE_IT_S = 22_040  # the plain x² run warm on this CPU when quiet (bench/results/speed.txt)
QUIET_COMPILE_S = 2  # a cold run's compile there (2.03 s for 10,000 iterations against 0.45 s warm)


def timed(config: Config) -> float:
    """Seconds per iteration of a warm run of `config` (TIMED iterations, one check-in), the best of two."""
    config = dataclasses.replace(config, n_epochs=TIMED, n_eval=TIMED)
    best = float("inf")
    for attempt in range(3):
        run = GanRun(config)
        start = time.perf_counter()
        for _ in run.train():
            pass
        if attempt:  # the first compiles the step; the others reuse it
            best = min(best, (time.perf_counter() - start) / TIMED)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("tune")
    t.add_argument("target")
    t.add_argument("--grid", action="append", required=True)
    t.add_argument("--set", action="append")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--seeds", type=int, default=8)
    f = sub.add_parser("fresh")
    f.add_argument("targets", nargs="*")
    f.add_argument("--seed", type=int, default=1000)
    f.add_argument("--seeds", type=int, default=10)
    f.add_argument("--time", action="store_true", help="time one run of each too")
    w = sub.add_parser("time")
    w.add_argument("targets", nargs="*")
    args = parser.parse_args()
    if args.command == "time":
        time_runs(args.targets or list(TARGET_DEFAULTS))
    else:
        tune(args) if args.command == "tune" else fresh(args)


if __name__ == "__main__":
    main()
