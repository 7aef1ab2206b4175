"""The persistent compile cache (gan_core/training/cache.py): fresh processes of the CLI's default x² run
(10,000 iterations, n_eval 2,000), with the cache off and with a new cache folder (the first
process fills it, the next load from it), against the tutorial's loop measured in this session;
and the cache's size after the default shapes of each kind and after 20 distinct shapes.

    python bench/cache.py [--reference-iterations 300] [--repeats 2] [--sweeps 3] [--no-sizes]

--sweeps: on the filled cache, fresh processes of one run and of a 16-seed sweep (the CLI's `sweep`), in
turn: the sweep's seconds of training against one run's (issue 36's first figure).
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["GAN_EXPLORER_CACHE"] = "off"  # this process: the tutorial's loop only

N_EPOCHS = 10_000
# the issue's run: the tutorial's setting (Config()'s defaults), not x²'s own defaults (pack 4, 20,000)
ISSUE_RUN = ("--pack", "1", "--n-epochs", str(N_EPOCHS), "--n-eval", "2000")


def cli(folder: str, *flags: str) -> float:
    """A fresh `python -m gan_core train` process: its seconds of training (compiling included)."""
    env = {**os.environ, "PYTHONPATH": ROOT, "GAN_EXPLORER_CACHE": folder}
    with tempfile.TemporaryDirectory() as out:
        r = subprocess.run([sys.executable, "-m", "gan_core", "train", "--out", out, *ISSUE_RUN, *flags], env=env,
                           capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-1000:]
    return float(re.search(r"# ([\d.]+) s training", r.stdout).group(1))


def cli_sweep(folder: str, seeds: int = 16) -> float:
    """A fresh `python -m gan_core sweep --seeds 16` process: its seconds of training (compiling included)."""
    env = {**os.environ, "PYTHONPATH": ROOT, "GAN_EXPLORER_CACHE": folder}
    with tempfile.TemporaryDirectory() as out:
        r = subprocess.run([sys.executable, "-m", "gan_core", "sweep", "--seeds", str(seeds), *ISSUE_RUN,
                            "--out", out, "--no-store"], env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-1000:]
    return float(re.search(r"; ([\d.]+) s training", r.stdout).group(1))


def size_mb(folder: str) -> float:
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(folder) for f in files) / 2**20


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reference-iterations", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--sweeps", type=int, default=3, help="fresh sweep processes (and single runs) per repeat")
    parser.add_argument("--no-sizes", action="store_true", help="skip the cache's sizes after many shapes")
    args = parser.parse_args()
    from bench.tutorial_loop import TutorialGAN

    ref = TutorialGAN(seed=1)
    ref.train(5)  # its train functions traced first
    start = time.perf_counter()
    ref.train(args.reference_iterations)
    tutorial = N_EPOCHS * (time.perf_counter() - start) / args.reference_iterations
    print(f"tutorial's loop: {tutorial:.0f} s for {N_EPOCHS:,} iterations (rate over {args.reference_iterations})")
    for repeat in range(args.repeats):
        with tempfile.TemporaryDirectory() as folder:
            off = [cli("off") for _ in range(2)]
            filled = [cli(folder) for _ in range(3)]
            print(f"fresh processes, cache off: {off[0]:.2f} s, {off[1]:.2f} s ({tutorial / off[0]:.0f}x, "
                  f"{tutorial / off[1]:.0f}x the tutorial); new cache: first {filled[0]:.2f} s "
                  f"({tutorial / filled[0]:.0f}x), then {filled[1]:.2f} s and {filled[2]:.2f} s "
                  f"({tutorial / filled[1]:.0f}x, {tutorial / filled[2]:.0f}x)  [load {os.getloadavg()[0]:.1f}]",
                  flush=True)
            if args.sweeps:  # the issue's sweep figure: 16 seeds in a fresh process against one run in one
                cli_sweep(folder)  # fills the cache with the sweep's stacked step
                one = [cli(folder) for _ in range(args.sweeps)]
                many = [cli_sweep(folder) for _ in range(args.sweeps)]
                print(f"fresh processes on that cache, one run then a 16-seed sweep, in turn: one run "
                      f"{', '.join(f'{t:.2f}' for t in one)} s; the sweep {', '.join(f'{t:.2f}' for t in many)} s: "
                      f"{min(many) / min(one):.2f}x one run (best against best; median "
                      f"{sorted(many)[len(many) // 2] / sorted(one)[len(one) // 2]:.2f}x)  "
                      f"[load {os.getloadavg()[0]:.1f}]",
                      flush=True)
    if args.no_sizes:
        return
    with tempfile.TemporaryDirectory() as folder:
        for target in ("x^2", "ring8", "mnist"):  # MNIST's steps are not XLA-compiled: nothing to keep
            cli(folder, "--target", target, "--n-epochs", "100", "--n-eval", "100")
        print(f"cache after the default shapes of each kind (x², ring8, MNIST): {size_mb(folder):.1f} MB")
        for width in range(5, 25):
            cli(folder, "--n-epochs", "200", "--n-eval", "200", "--d-hidden", str(width))
        print(f"... and 20 more shapes (discriminator widths 5-24): {size_mb(folder):.1f} MB")


if __name__ == "__main__":
    main()
