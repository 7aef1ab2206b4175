"""Trained example runs, one per 2-D point set and 1-D samples set (issue 22): a visitor can load
one on the GAN page and look before training. Each is the GAN page's default settings for its set,
trained on the first seed (1, 2, ...) whose run meets the success criterion (gan_core/judging/judgement.py),
saved as a run bundle in gan_core/assets/examples/<target>.zip.

    python scripts/make_examples.py [--seeds 8]
"""
from __future__ import annotations

import argparse
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from explorer.examples import FOLDER, ITERATIONS  # noqa: E402
from explorer.experiments import ALL  # noqa: E402
from gan_core import Config  # noqa: E402
from gan_core.judging.judgement import succeeded  # noqa: E402
from gan_core.keeping.bundle import to_bundle  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=8)
    args = parser.parse_args()
    FOLDER.mkdir(parents=True, exist_ok=True)
    for entry in (e for e in ALL if e.examples):  # the kinds whose GAN page offers examples
        defaults = entry.defaults[entry.states["gan"]]
        for target in entry.kind.targets:
            if target == entry.kind.upload:
                continue
            for seed in range(1, args.seeds + 1):
                config = Config(**{**defaults, "target": target, "seed": seed, "n_epochs": ITERATIONS[target]})
                run = entry.kind.gan(config)
                for _ in run.train():
                    pass
                if succeeded(run.target, run.score(2500)):
                    break
            (FOLDER / f"{target}.zip").write_bytes(to_bundle(run))
            print(f"{target}: seed {seed}, {run.iteration:,} iterations, {run.seconds:.0f} s, "
                  f"{'met' if succeeded(run.target, run.score(2500)) else 'did not meet'} the criterion", flush=True)


if __name__ == "__main__":
    main()
