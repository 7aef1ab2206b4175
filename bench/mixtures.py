"""Mode collapse, measured: the 2-D GAN page's default on the ring of 8 and the grid of 25
Gaussians, over seeds, scored on 2,500 generated samples as PacGAN (Table 1) and VEEGAN do.

Published, for a plain GAN (PacGAN Table 1, their longer training and larger networks): ring
6.3 ± 0.5 of 8 modes, 98.2 % high quality; grid 17.3 ± 0.8 of 25, 94.8 %.

    python bench/mixtures.py [--seeds 10] [--n-epochs 10000] [--variants default,stacked,lr,pack2]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from explorer.experiments import POINTS_NETWORKS  # noqa: E402  (no Streamlit is started by importing it)
from gan_core import Config, GanRun  # noqa: E402
from gan_core.judging.metrics import MIXTURE_SAMPLES  # noqa: E402

PUBLISHED = {"ring8": "6.3 ± 0.5 modes, 98.2 % HQ", "grid25": "17.3 ± 0.8 modes, 94.8 % HQ"}
VARIANTS = {  # what the literature and the tutorials suggest against collapse
    "default": {},
    "stacked": {"update": "stacked"},  # one discriminator update on real+fake together
    "lr": {"d_lr": 0.0002, "g_lr": 0.0002},  # the DCGAN paper's smaller steps
    "wide": {"g_hidden": (128, 128, 128), "d_hidden": (128, 128, 128)},
    "pack2": {"pack": 2},  # PacGAN: the discriminator judges two samples at once
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--n-epochs", type=int, default=10_000)
    parser.add_argument("--variants", default="default,stacked,lr,pack2")
    args = parser.parse_args()
    print(f"{args.n_epochs:,} iterations per seed, {args.seeds} seeds, scores on {MIXTURE_SAMPLES:,} samples; "
          f"networks {POINTS_NETWORKS}")
    print(f"{'set':<8}{'variant':<10}{'modes (mean ± std)':>20}{'HQ %':>8}{'rev. KL':>9}{'s/seed':>8}  per seed")
    for target in ("ring8", "grid25"):
        for variant in args.variants.split(","):
            modes, quality, kl, seconds = [], [], [], []
            for seed in range(args.seeds):
                start = time.perf_counter()
                run = GanRun(Config(**{**POINTS_NETWORKS, "target": target, "n_epochs": args.n_epochs,
                                       "n_eval": args.n_epochs, "seed": seed, **VARIANTS[variant]}))
                list(run.train())
                scores = run.score(MIXTURE_SAMPLES)
                seconds.append(time.perf_counter() - start)
                modes.append(scores["modes"])
                quality.append(100 * scores["high_quality"])
                kl.append(scores["reverse_kl"])  # nan when no sample is near a mode: left out of the mean
            print(f"{target:<8}{variant:<10}{statistics.mean(modes):>13.1f} ± {statistics.stdev(modes):<4.1f}"
                  f"{statistics.mean(quality):>8.1f}{statistics.mean([k for k in kl if k == k] or [float('nan')]):>9.3f}{statistics.mean(seconds):>8.1f}  "
                  f"{[int(m) for m in modes]}", flush=True)
        print(f"{'':<8}{'published':<10}  {PUBLISHED[target]}")


if __name__ == "__main__":
    main()
