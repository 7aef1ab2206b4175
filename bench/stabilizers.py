"""What each stabilizer does (issue 35): none vs R1 vs annealed instance noise vs the generator's moving
average (EMA), on fresh seeds (100 and up: no default was tuned on them), each kind's defaults otherwise.

- x² (the 1-D function page's defaults): seeds meeting the criterion (curve error and coverage);
- ring8 and grid25 (the 2-D points' defaults): modes captured and % high-quality samples (2,500 samples,
  PacGAN's scoring), and seeds capturing every mode;
- digits (MNIST's defaults): classifier score and Fréchet distance at fixed iterations.

The plane runs train as the engine's own Sweep (the seeds stacked in one compiled step); MNIST has no
sweep, so its seeds train one after another. Every figure is a count or score, no timing but the total
(the machine is shared: its load is printed).

    python bench/stabilizers.py [--seeds 6] [--digit-seeds 2] [--digit-iterations 400] [--out bench/results/stabilizers.txt]
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from gan_core import kinds  # noqa: E402
from gan_core.settings.config import Config, ImageConfig  # noqa: E402
from gan_core.training.sweep import Sweep  # noqa: E402

FIRST_SEED = 100
# one value of each (R1 two), said in the help's words: γ 0.1 and 1, σ 0.1 for samples of a few units, γ 10 for pictures in
# [-1, 1] (Mescheder et al.'s image runs); EMA 0.999 (Yazıcı et al.)
PLANE = {"none": {}, "R1 γ=0.1": {"r1_gamma": 0.1}, "R1 γ=1": {"r1_gamma": 1.0}, "noise σ=0.1": {"instance_noise": 0.1},
         "EMA 0.999": {"ema": 0.999}}
DIGITS = {"none": {}, "R1 γ=10": {"r1_gamma": 10.0}, "noise σ=0.1": {"instance_noise": 0.1},
          "EMA 0.999": {"ema": 0.999}}


def plane(target: str, kind, seeds: list[int], say) -> None:
    base = Config(**{**kind.defaults, "target": target})
    base = dataclasses.replace(base, n_eval=base.n_epochs)  # one check-in, at the end
    for name, changes in PLANE.items():
        start = time.perf_counter()
        sweep = Sweep(dataclasses.replace(base, **changes), seeds)
        list(sweep.train())
        last = sweep.summary()
        took = time.perf_counter() - start
        if "modes" in last:
            modes, hq = last.modes.tolist(), (100 * last.high_quality).tolist()
            say(f"{target:<7}{name:<13}{statistics.mean(modes):>6.2f} ± {statistics.stdev(modes):<5.2f}"
                f"{statistics.mean(hq):>7.1f}{int(last.success.sum()):>4}/{len(seeds)}{took:>7.0f}  "
                f"modes {[int(m) for m in modes]}")
        else:
            say(f"{target:<7}{name:<13}{int(last.success.sum()):>4}/{len(seeds)} met   curve error median "
                f"{last.curve_error.median():.4f}{'':>6}{took:>7.0f}  {['%.3f' % e for e in last.curve_error]}")


def digits(seeds: list[int], iterations: int, say) -> None:
    from gan_core.data.mnist import load_classifier, load_subset

    classifier = load_classifier()
    data = load_subset(ImageConfig().scale)
    for name, changes in DIGITS.items():
        start, scores, frechet, raw = time.perf_counter(), [], [], []
        for seed in seeds:
            config = ImageConfig(**{**kinds.DIGITS.defaults, "n_epochs": iterations, "n_eval": iterations,
                                    "seed": seed, **changes})
            run = kinds.DIGITS.gan(config, None, classifier=classifier, digits=data)
            list(run.train())
            last = run.history[-1].scores
            scores.append(last["classifier_score"])
            frechet.append(last["frechet_distance"])
            raw.append(last.get("classifier_score_raw", float("nan")))
        took = time.perf_counter() - start
        say(f"digits {name:<13}{statistics.mean(scores):>6.2f}{statistics.mean(frechet):>9.1f}"
            f"{statistics.mean(raw):>9.2f}{took:>7.0f}  scores {['%.2f' % s for s in scores]}, "
            f"Fréchet {['%.1f' % f for f in frechet]}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=6)
    parser.add_argument("--digit-seeds", type=int, default=2)
    parser.add_argument("--digit-iterations", type=int, default=400)
    parser.add_argument("--targets", default="x^2,ring8,grid25,digits")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results",
                                                      "stabilizers.txt"))
    args = parser.parse_args()
    lines = []

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    seeds = list(range(FIRST_SEED, FIRST_SEED + args.seeds))
    say(f"seeds {seeds[0]}..{seeds[-1]} (plane, a Sweep each), load at start: {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores")
    targets = args.targets.split(",")
    for target in targets:
        if target == "digits":
            continue
        kind = kinds.FUNCTION if target == "x^2" else kinds.POINTS
        config = Config(**{**kind.defaults, "target": target})
        if target == "x^2":
            say(f"\n{target}: the 1-D function's defaults, {config.n_epochs:,} iterations; criterion met per seed")
            say(f"{'target':<7}{'stabilizer':<13}{'met':>6}{'':>35}{'s':>7}  curve error per seed")
        else:
            say(f"\n{target}: the 2-D points' defaults, {config.n_epochs:,} iterations; 2,500 samples scored")
            say(f"{'target':<7}{'stabilizer':<13}{'modes (mean ± sd)':>18}{'HQ %':>6}{'all':>7}{'s':>7}")
        plane(target, kind, seeds, say)
    if "digits" in targets:
        digit_seeds = list(range(FIRST_SEED, FIRST_SEED + args.digit_seeds))
        say(f"\ndigits: MNIST's defaults, {args.digit_iterations:,} iterations, seeds {digit_seeds}; the shipped "
            "classifier's score (max 10; real digits 9.2) and Fréchet distance on its logits (lower is better); "
            "raw: the raw generator's score where EMA is on")
        say(f"{'':<7}{'stabilizer':<13}{'score':>6}{'Fréchet':>9}{'raw':>9}{'s':>7}")
        digits(digit_seeds, args.digit_iterations, say)
    say(f"\nload at end: {os.getloadavg()[0]:.1f}")
    with open(args.out, "w") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
