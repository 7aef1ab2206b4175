"""What each lever gives the unconditional MNIST DCGAN defaults (issue 34): the classifier score and
the Fréchet distance at fixed iteration counts, and each lever's cost per iteration against the
defaults', measured in one process.

Quality at N iterations does not depend on the machine's load (the same seed gives the same run);
time does. So the two are measured apart:

- `--timing`: every lever's run built in one process, compiled, then `--rounds` rounds of
  `--chunk` iterations each, the levers taking turns (alternating, so load that comes and goes
  falls on all alike); the median ms per iteration and its ratio to the defaults'. Training only:
  the check-ins' cost is the same for every lever (bench/check_in.py measures it).
- quality (the default): each lever trains `--iterations` in a process of its own (one thread per
  pool, `--parallel` at once) through gan_core's ImageGanRun, as the CLI does, with a check-in every
  `--n-eval` iterations: the history's classifier_score on the grid of 100 (what the CLI and the page
  show), digits_present and frechet_distance (on the classifier's logits, floor about 3), and, outside
  the run, the classifier score and digits present of 1,000 fresh digits (the same latent points at
  every check-in: a steadier figure).

"More real digits": only the 5,000 shipped digits exist offline (Keras' download is unreachable here),
so the lever is measured downwards: a seeded half, 2,500 digits (250 of each), against the 5,000. Its
Fréchet distance and 1,000 real digits are judged against the 5,000 all the same.

    python bench/mnist_levers.py --timing [--rounds 7 --chunk 100]   # -> bench/results/mnist_levers_timing.txt
    python bench/mnist_levers.py [--iterations 8000 --n-eval 500 --parallel 2 --only 1,3 --seeds 1]
    python bench/mnist_levers.py --table      # the table from both files -> bench/results/mnist_levers.txt
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import replace

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from gan_core.settings.config import ImageConfig  # noqa: E402

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
BASE = ImageConfig()
# name -> (settings, digits: "all" or "half")
LEVERS = {
    "defaults (32/32 filters, g_lr 1e-3, d_lr 5e-4, n_batch 64)": (BASE, "all"),
    "learning rates halved (g 5e-4, d 2.5e-4)": (replace(BASE, g_lr=0.0005, d_lr=0.00025), "all"),
    "learning rates equal (g 1e-3, d 1e-3)": (replace(BASE, d_lr=0.001), "all"),
    "learning rates doubled (g 2e-3, d 1e-3)": (replace(BASE, g_lr=0.002, d_lr=0.001), "all"),
    "n_batch 128": (replace(BASE, n_batch=128), "all"),
    "n_batch 32": (replace(BASE, n_batch=32), "all"),
    "width 64/64 filters": (replace(BASE, d_filters=64, g_filters=64), "all"),
    "width 48/48 filters": (replace(BASE, d_filters=48, g_filters=48), "all"),
    "label smoothing (real_label 0.9)": (replace(BASE, real_label=0.9), "all"),
    "fewer real digits (2,500 of the 5,000)": (BASE, "half"),
}
THREE_MINUTES = 180.0


def digits_for(which: str):
    """The 5,000 shipped digits, or a seeded half of them (250 of each digit)."""
    import numpy as np

    from gan_core.data.mnist import Digits, load_subset

    digits = load_subset("tanh")
    if which == "all":
        return digits, digits
    rng = np.random.default_rng(0)
    keep = np.sort(np.concatenate([rng.permutation(np.flatnonzero(digits.labels == d))[:250] for d in range(10)]))
    return Digits(digits.images[keep], digits.labels[keep], f"{len(keep):,} of the shipped digits",
                  scale=digits.scale), digits


def build(name: str, seed: int, classifier, **changes):
    from gan_core.training.images import ImageGanRun

    settings, which = LEVERS[name]
    train_on, judged_on = digits_for(which)
    run = ImageGanRun(replace(settings, seed=seed, **changes), train_on, classifier)
    run.digits = judged_on  # the check-ins' real digits and Fréchet reference: the 5,000 whatever it trains on
    return run


# ---- quality ----------------------------------------------------------------------------------------

def trial(name: str, seed: int, iterations: int, n_eval: int) -> None:
    """One lever for `iterations`; a JSON line per check-in on stdout."""
    import numpy as np

    from gan_core.data.mnist import load_classifier, to_unit
    from gan_core.judging import metrics

    classifier = load_classifier()
    run = build(name, seed, classifier, n_epochs=iterations, n_eval=n_eval)
    fresh = np.random.default_rng(123).standard_normal((1000, run.config.latent_dim)).astype(np.float32)
    real = to_unit(run.digits.images[np.random.default_rng(5).permutation(len(run.digits))[:1000]], "tanh")[..., 0]
    for ev in run.train():
        big, _, _ = metrics.digit_scores_pair(classifier, run.generate(fresh), real)
        print(json.dumps({"lever": name, "seed": seed, "iteration": ev.iteration, "seconds": round(run.seconds, 1),
                          "grid_score": ev.scores["classifier_score"], "grid_digits": ev.scores["digits_present"],
                          "frechet": ev.scores["frechet_distance"], "score": big["classifier_score"],
                          "digits": big["digits_present"]}), flush=True)


def chosen(args) -> list[str]:
    """The levers `--only` names (1-based numbers), the defaults always first."""
    names = list(LEVERS)
    if args.only:
        names = [names[int(i) - 1] for i in args.only.split(",")]
    return list(dict.fromkeys([next(iter(LEVERS)), *names])) if args.timing else names


def quality(args) -> None:
    waiting = [(name, int(seed)) for seed in args.seeds.split(",") for name in chosen(args)]
    env = {**os.environ, "TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1"}
    running = []
    with open(args.out, "a") as out:  # each check-in's line as it comes (appends of a line each)
        while waiting or running:
            while waiting and len(running) < args.parallel:
                name, seed = waiting.pop(0)
                cmd = [sys.executable, __file__, "--one", name, "--seeds", str(seed), "--iterations",
                       str(args.iterations), "--n-eval", str(args.n_eval)]
                running.append(subprocess.Popen(cmd, env=env, stdout=out))
            time.sleep(2)
            running = [process for process in running if process.poll() is None]


# ---- timing -----------------------------------------------------------------------------------------

def timing(args) -> None:
    import numpy as np

    from gan_core.data.mnist import load_classifier

    classifier = load_classifier()
    runs = {name: build(name, 1, classifier, n_epochs=10**6, n_eval=10**6) for name in chosen(args)}
    for run in runs.values():  # compiled, and past the first steps' warm-up
        for _ in range(args.chunk):
            run.advance()
    per_iteration = {name: [] for name in runs}
    for _ in range(args.rounds):
        for name, run in runs.items():
            start = time.perf_counter()
            for _ in range(args.chunk):
                run.advance()
            per_iteration[name].append((time.perf_counter() - start) / args.chunk * 1000)
    base = statistics.median(per_iteration[next(iter(LEVERS))])
    with open("/proc/loadavg") as f:
        load = f.read().split()[:3]
    lines = [f"# ms per training iteration (median of {args.rounds} alternating rounds of {args.chunk}), one "
             f"process, TensorFlow's default threads; load average {' '.join(load)}; "
             f"{time.strftime('%Y-%m-%d %H:%M')}"]
    for name, values in per_iteration.items():
        median = statistics.median(values)
        lines.append(json.dumps({"lever": name, "ms": round(median, 2), "ratio": round(median / base, 3),
                                 "spread": [round(float(np.min(values)), 2), round(float(np.max(values)), 2)]}))
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(RESULTS, "mnist_levers_timing.txt"), "a") as f:
        f.write(text + "\n\n")


# ---- the table --------------------------------------------------------------------------------------

def table(args) -> str:
    """Both files' figures in one table: for each lever (seed 1), its cost ratio and iterations in 3 minutes
    of a quiet machine, and its scores at fixed iteration counts and at its 3 minutes."""
    rows = [json.loads(line) for line in open(args.out) if line.startswith("{")]
    timed, timing_file = {}, os.path.join(RESULTS, "mnist_levers_timing.txt")
    for line in open(timing_file) if os.path.exists(timing_file) else ():
        if line.startswith("{"):
            row = json.loads(line)
            timed[row["lever"]] = row["ratio"]  # the latest measurement
    quiet_ms = args.quiet_ms
    marks = [int(m) for m in args.marks.split(",")]

    def cell(got, iteration):
        at = [r for r in got if r["iteration"] <= iteration]
        if not at or at[-1]["iteration"] < iteration - args.n_eval // 2:
            return "-"
        r = at[-1]
        return (f"{r['score']:.2f}{'' if r['digits'] == 10 else '*'} / {r['grid_score']:.2f}"
                f"{'' if r['grid_digits'] == 10 else '*'} / {r['frechet']:.1f}")

    width = 28
    head = f"{'lever':<58}{'cost':>6}{'it/3min':>9}" + "".join(f"{f'at {m:,}':>{width}}" for m in marks) + \
        f"{'at its 3 minutes':>{width}}"
    lines = [f"# score on 1,000 fresh digits / the history's classifier_score (grid of 100) / frechet_distance "
             f"(floor ~3); * = not all ten digits. cost: time per iteration against the defaults' (one process); "
             f"it/3min: iterations in 180 s at {quiet_ms:.1f} ms an iteration for the defaults (quiet machine) times "
             f"the cost", head]
    for seed in sorted({r["seed"] for r in rows}):
        for name in LEVERS:
            got = sorted((r for r in rows if r["lever"] == name and r["seed"] == seed), key=lambda r: r["iteration"])
            if not got:
                continue
            ratio = timed.get(name)
            if ratio is None and LEVERS[name][0].graph_key("train") == BASE.graph_key("train"):
                ratio = 1.0  # the defaults' very step (learning rates are run state; the digits, data)
            budget = int(THREE_MINUTES * 1000 / (quiet_ms * ratio)) if ratio else None
            lines.append(f"{name + ('' if seed == 1 else f' seed {seed}'):<58}"
                         f"{(f'{ratio:.2f}' if ratio else '-'):>6}{(f'{budget:,}' if budget else '-'):>9}"
                         + "".join(f"{cell(got, m):>{width}}" for m in marks)
                         + f"{(cell(got, budget) if budget else '-'):>{width}}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--timing", action="store_true")
    parser.add_argument("--table", action="store_true")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--iterations", type=int, default=8000)
    parser.add_argument("--n-eval", type=int, default=500)
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--only", default="", help="comma-separated lever numbers (1-based)")
    parser.add_argument("--seeds", default="1")
    parser.add_argument("--marks", default="2000,4000,8000", help="iteration counts the table reads")
    parser.add_argument("--quiet-ms", type=float, default=24.0,
                        help="the defaults' ms per iteration on a quiet machine, check-ins every 100 included")
    parser.add_argument("--out", default=os.path.join(RESULTS, "mnist_levers_runs.txt"))
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return trial(args.one, int(args.seeds), args.iterations, args.n_eval)
    if args.timing:
        return timing(args)
    if args.table:
        text = table(args)
        print(text)
        with open(os.path.join(RESULTS, "mnist_levers.txt"), "w") as f:
            f.write(text + "\n")
        return
    quality(args)


if __name__ == "__main__":
    main()
