"""Failure alarms on runs built to fail and on healthy ones (issue 10): does each alarm fire, and
within how many check-ins of the failure's start; does it stay quiet on healthy runs?

- collapse: the generator's learning rate 20x the tutorial's (0.02), 6 seeds;
- an overpowering discriminator: its learning rate 20x the generator's (0.001 vs 0.00005), 6 seeds;
- divergence: learning rates 1.0 with four leaky-ReLU layers of 512 (the loss becomes NaN);
- healthy: the tutorial's default, 10 seeds.
All 1-D x^2, n_eval 500. The failure starts at the first check-in past the alarm's threshold
(coverage at most 15 % of a real sample's; accuracy on real and fake at least 85 %).

    python bench/alarms.py
"""
from __future__ import annotations

import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from gan_core import Config, GanRun  # noqa: E402
from gan_core.judging.alarms import COLLAPSE_CHECK_INS, OVERPOWER_ACCURACY, OVERPOWER_CHECK_INS, alarms  # noqa: E402
from gan_core.training.run import Diverged  # noqa: E402
from gan_core.training.sweep import Sweep  # noqa: E402

N_EVAL = 500


def swept(config, seeds):
    sweep = Sweep(config, seeds)
    for _ in sweep.train():
        pass
    return {seed: (run.history_frame(), run.divergences) for seed, run in zip(sweep.seeds, sweep.runs)}


def first(history, flags):
    hits = [int(i) for i, flag in zip(history.iteration, flags) if flag]
    return hits[0] if hits else None


def report(name, kind, runs, start_of):
    print(f"\n{name}")
    for seed, (history, divergences) in runs.items():
        found = [a for a in alarms(history, divergences) if a.kind == kind]
        start = start_of(history)
        # an alarm is raised at the check-in that completes its evidence
        evidence = {"collapse": COLLAPSE_CHECK_INS, "overpowered": OVERPOWER_CHECK_INS}[kind]
        fired = found[0].since + (evidence - 1) * N_EVAL if found else None
        lag = (fired - start) // N_EVAL if fired is not None and start is not None else None
        print(f"  seed {seed}: failure starts at {start}, alarm since {found[0].since if found else None}, "
              f"raised at check-in {fired} ({lag} check-ins after the start)")


def main():
    begin = time.perf_counter()
    healthy = swept(Config(n_epochs=10_000, n_eval=500), 10)
    quiet = {seed: [a.text()[:80] for a in alarms(h, d)] for seed, (h, d) in healthy.items()}
    print("healthy (the tutorial's default, 10 seeds x 10,000 iterations): alarms",
          {seed: texts for seed, texts in quiet.items() if texts} or "none")
    report("collapse: g_lr 0.02 (20x), 6 seeds x 3,000", "collapse",
           swept(Config(n_epochs=3000, n_eval=500, g_lr=0.02), 6),
           lambda h: first(h, h.coverage <= 0.15 * h.coverage_floor))
    report("overpowering discriminator: d_lr 0.001, g_lr 0.00005 (20x), 6 seeds x 3,000", "overpowered",
           swept(Config(n_epochs=3000, n_eval=500, d_lr=0.001, g_lr=0.00005), 6),
           lambda h: first(h, (h.acc_real + h.acc_fake) / 2 >= OVERPOWER_ACCURACY))
    config = Config(n_epochs=3000, n_eval=200, d_lr=1.0, g_lr=1.0, d_activation="leaky_relu",
                    g_activation="leaky_relu", d_hidden=(512,) * 4, g_hidden=(512,) * 4, seed=2)
    run = GanRun(config)
    try:
        for _ in run.train():
            pass
        print("\ndivergence: no NaN (the run finished)")
    except Diverged as err:
        print(f"\ndivergence (lr 1.0, 4 x 512 leaky ReLU, seed 2): stopped itself; {len(run.history)} check-ins kept, "
              f"back at iteration {run.iteration:,}. {err}")
        print("  alarms:", [a.text()[:60] for a in alarms(run.history_frame(), run.divergences)])
    print(f"\n{time.perf_counter() - begin:.0f} s")


if __name__ == "__main__":
    main()
