"""The 1-D samples kind's defaults (issue 20): how often do they learn? Seed sweeps of 16 seeds on
bimodal1d and normal1d with the kind's networks (gan_core.data.samples.NETWORKS) against the 1-D
tutorial's (latent_dim 5, one layer of 15 and of 25) and against other latent sizes; per setting
the success rate (bimodal: both modes captured; normal: energy distance within 2x a real sample's),
the median Wasserstein-1 distance of 1,000 samples against its real-vs-real floor, and the seeds
whose generator put under 35 % of its samples in one mode (a lopsided split).

    python bench/samples.py [--seeds 16] [--iterations 5000]
"""
from __future__ import annotations

import argparse
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from gan_core import Config, kinds  # noqa: E402
from gan_core.training.sweep import Sweep  # noqa: E402

DEFAULTS = kinds.SAMPLES.defaults
SETTINGS = {
    "the kind's defaults": DEFAULTS,
    "latent_dim 5": {**DEFAULTS, "latent_dim": 5},
    "one layer of 32 each": {**DEFAULTS, "g_hidden": (32,), "d_hidden": (32,)},
    "the 1-D tutorial's networks": {},
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=16)
    parser.add_argument("--iterations", type=int, default=5000)
    args = parser.parse_args()
    print(f"# {args.seeds} seeds x {args.iterations:,} iterations; Wasserstein-1 on 1,000 samples (floor: a "
          f"second real sample's); lopsided: a mode with under 35 % of the samples")
    for target in ("bimodal1d", "normal1d"):
        for name, settings in SETTINGS.items():
            config = Config(**{**settings, "target": target, "n_epochs": args.iterations,
                               "n_eval": args.iterations // 5})
            sweep = Sweep(config, args.seeds)
            for _ in sweep.train():
                pass
            w, floor, lopsided = [], [], 0
            for seed in sweep.seeds:
                run = sweep.run(seed)
                score = run.score(1000)
                w.append(score["wasserstein"])
                floor.append(score["wasserstein_floor"])
                if target == "bimodal1d":
                    lopsided += min(np.mean(run.generate(1000) < 0), np.mean(run.generate(1000) >= 0)) < 0.35
            print(f"{target:9s}  {name:28s}  success {sweep.success_rate():4.0%}  Wasserstein-1 median "
                  f"{np.median(w):.3f} (floor {np.median(floor):.3f})"
                  + (f"  lopsided {lopsided}/{args.seeds}" if target == "bimodal1d" else "")
                  + f"  {sweep.seconds:.1f} s", flush=True)


if __name__ == "__main__":
    main()
