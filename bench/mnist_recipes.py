"""Classifier score against seconds of training, for MNIST recipes: which default shows digits
within a minute on a laptop CPU.

Each recipe trains in a process of its own through gan_core's ImageGanRun, as the app and the CLI
run it. `--threads N` sizes both of TensorFlow's pools: 1 is a core per run, as when two runs share
a 2-core server (a run alone in the app also gets a second inter-op thread, about 1.3x faster:
bench/results/concurrency.txt), 2 the CLI's on this machine. Seconds are the run's own (time in compiled steps and check-ins,
compilation included). At every check-in: the score of its 100 grid digits (what the page shows)
and, outside the run's time, of 1,000 fresh digits (a steadier figure), and the digits present.

    python bench/mnist_recipes.py [--seconds 90] [--threads 1] [--parallel 2] [--only a,b]
        [--out bench/results/mnist_recipes]   # writes .txt (the table) and .png (the curves)

The PNG needs vl-convert-python (bench/requirements.txt).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import replace

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from gan_core.settings.config import ImageConfig  # noqa: E402

LONG = 100_000  # iterations: the clock, not n_epochs, ends a trial
DCGAN = ImageConfig(networks="dcgan", scale="tanh", n_epochs=LONG)
RECIPES = {
    "old default (tutorial nets 32/32, lr 2e-4, b64)": ImageConfig(networks="tutorial", n_epochs=LONG),
    "dcgan 64/64 z64, lr 2e-4, b64 (paper)": replace(DCGAN, latent_dim=64, d_filters=64, g_filters=64),
    "dcgan 32/32, lr 2e-4, b64": DCGAN,
    "dcgan 32/32, lr 5e-4, b64": replace(DCGAN, d_lr=0.0005, g_lr=0.0005),
    "dcgan 32/32, lr 1e-3, b64": replace(DCGAN, d_lr=0.001, g_lr=0.001),
    "dcgan 16/16, lr 5e-4, b64": replace(DCGAN, d_filters=16, g_filters=16, d_lr=0.0005, g_lr=0.0005),
    "dcgan 32/32, lr 5e-4, b32": replace(DCGAN, d_lr=0.0005, g_lr=0.0005, n_batch=32),
    "dcgan 32/32, lr 5e-4, b128": replace(DCGAN, d_lr=0.0005, g_lr=0.0005, n_batch=128),
    "dcgan 32/64, lr 5e-4, b64": replace(DCGAN, d_filters=32, g_filters=64, d_lr=0.0005, g_lr=0.0005),
    # round 2, around the best of round 1 (lr 1e-3)
    "dcgan 32/32, lr 1e-3, b32": replace(DCGAN, d_lr=0.001, g_lr=0.001, n_batch=32),
    "dcgan 32/32, lr 2e-3, b64": replace(DCGAN, d_lr=0.002, g_lr=0.002),
    "dcgan 16/16, lr 1e-3, b64": replace(DCGAN, d_filters=16, g_filters=16, d_lr=0.001, g_lr=0.001),
    "dcgan 24/24, lr 1e-3, b64": replace(DCGAN, d_filters=24, g_filters=24, d_lr=0.001, g_lr=0.001),
    "dcgan 32/32 z16, lr 1e-3, b64": replace(DCGAN, latent_dim=16, d_lr=0.001, g_lr=0.001),
    "dcgan 32/32, g_lr 1e-3 d_lr 5e-4, b64": replace(DCGAN, d_lr=0.0005, g_lr=0.001),
    "dcgan 32/32, lr 1e-3 beta_1 0.3, b64": replace(DCGAN, d_lr=0.001, g_lr=0.001, beta_1=0.3),
    "default (ImageConfig())": replace(ImageConfig(), n_epochs=LONG),
}
MARKS = (15, 30, 45, 60, 90, 120, 180, 240)  # seconds at which the table reads each curve


def trial(name: str, seconds: float, every: float, jit: bool, seed: int) -> None:
    """One recipe for `seconds` of training; a JSON line per check-in on stdout."""
    import numpy as np

    from gan_core import kinds
    from gan_core.data.mnist import load_classifier, to_unit
    from gan_core.judging import metrics

    config = replace(RECIPES[name], seed=seed)
    classifier = load_classifier()
    run = kinds.DIGITS.gan(config, classifier=classifier)
    if jit:
        from gan_core.training.images import ImageGanRun

        run = ImageGanRun(config, run.digits, classifier, jit_compile=True)
    fresh = np.random.default_rng(123).standard_normal((1000, config.latent_dim)).astype(np.float32)
    real = to_unit(run.digits.images[np.random.default_rng(5).permutation(len(run.digits))[:1000]],
                   config.scale)[..., 0]
    next_mark = 0.0
    while run.seconds < seconds:
        ev = run.train_chunk()
        if run.seconds < next_mark:
            continue
        next_mark = run.seconds + every
        big, _, _ = metrics.digit_scores_pair(classifier, run.generate(fresh), real)
        print(json.dumps({"recipe": name if seed == 1 else f"{name} seed {seed}", "iteration": ev.iteration,
                          "seconds": round(run.seconds, 2),
                          "grid_score": ev.scores["classifier_score"], "grid_digits": ev.scores["digits_present"],
                          "score": big["classifier_score"], "digits": big["digits_present"],
                          "acc_real": ev.acc_real, "acc_fake": ev.acc_fake}), flush=True)


def at(rows: list[dict], mark: float, key: str) -> str:
    """The value at the last check-in by `mark` seconds."""
    seen = [r for r in rows if r["seconds"] <= mark]
    return f"{seen[-1][key]:.2f}" if seen and rows[-1]["seconds"] >= mark * 0.97 else "-"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=90)
    parser.add_argument("--every", type=float, default=5, help="seconds between scored check-ins")
    parser.add_argument("--threads", type=int, default=1, help="TensorFlow's intra-op and inter-op threads")
    parser.add_argument("--parallel", type=int, default=1, help="recipes trained at once")
    parser.add_argument("--jit", action="store_true", help="XLA-compiled steps")
    parser.add_argument("--only", default="", help="comma-separated recipe numbers (1-based)")
    parser.add_argument("--seeds", default="1", help="comma-separated seeds, each recipe trained on each")
    parser.add_argument("--out", default="bench/results/mnist_recipes")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return trial(args.one, args.seconds, args.every, args.jit, int(args.seeds))
    names = list(RECIPES)
    if args.only:
        names = [names[int(i) - 1] for i in args.only.split(",")]
    trials = [(name, int(seed)) for name in names for seed in args.seeds.split(",")]
    env = {**os.environ, "TF_NUM_INTRAOP_THREADS": str(args.threads), "TF_NUM_INTEROP_THREADS": str(args.threads)}
    rows, waiting, running = [], trials, []
    while waiting or running:
        while waiting and len(running) < args.parallel:
            name, seed = waiting.pop(0)
            cmd = [sys.executable, __file__, "--one", name, "--seeds", str(seed), "--seconds", str(args.seconds),
                   "--every", str(args.every)] + (["--jit"] if args.jit else [])
            running.append(subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True))
        process = running.pop(0)
        out, _ = process.communicate()
        rows += [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    by_recipe = {}
    for row in rows:
        by_recipe.setdefault(row["recipe"], []).append(row)
    marks = [m for m in MARKS if m <= args.seconds]
    lines = [f"# classifier score on 1,000 fresh digits (grid of 100 in brackets) after N seconds of training; "
             f"threads {args.threads}, {args.parallel} at once, jit {args.jit}",
             f"{'recipe':<50}{'it/s':>6}" + "".join(f"{m:>13}" for m in marks)]
    for name, got in by_recipe.items():
        speed = got[-1]["iteration"] / got[-1]["seconds"] if got else 0
        cells = "".join(f"{at(got, m, 'score') + ' (' + at(got, m, 'grid_score') + ')':>13}" for m in marks)
        lines.append(f"{name:<50}{speed:>6.1f}{cells}")
    text = "\n".join(lines)
    print(text)
    with open(args.out + ".txt", "a") as f:
        f.write(text + "\n" + "\n".join(json.dumps(r) for r in rows) + "\n\n")
    plot(rows, args.out + ".png")


def plot(rows: list[dict], path: str) -> None:
    try:
        import altair as alt
        import pandas as pd

        chart = alt.Chart(pd.DataFrame(rows)).mark_line(point=True).encode(
            x=alt.X("seconds:Q", title="seconds of training"),
            y=alt.Y("score:Q", title="classifier score, 1,000 digits (real: 9.2)", scale=alt.Scale(domain=[0, 10])),
            color=alt.Color("recipe:N", legend=alt.Legend(orient="bottom", columns=2, labelLimit=400)),
        ).properties(width=640, height=360, title="MNIST recipes: classifier score against seconds of training")
        chart.save(path, scale_factor=1.5)
    except Exception as err:  # noqa: BLE001 - no vl-convert: the table is written all the same
        print(f"(no plot: {type(err).__name__}: {err})")


if __name__ == "__main__":
    main()
