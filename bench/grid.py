"""Settings grids (issue 23), two figures:

(a) a 3×1 g_lr grid × 4 seeds against a 4-seed sweep of one setting, one after the other in one
    process, through the CLI (`python -m gan_core sweep ...`, its main() called here): the grid's
    12 runs share one compiled step; target: the grid costs at most 1.6× the sweep.
(b) a 4×4 grid (g_lr × d_lr) × 8 seeds, 128 runs of 4,000 iterations: in this process against a
    local Ray on this machine: seconds and runs/s, Ray's start-up, a no-op task's round trip, and
    the overhead per task (Ray's seconds beyond in-process, times the CPUs, over the tasks).

    python bench/grid.py [--part a|b|both] [--repeats 2] [--iterations 4000]

Wall-clock seconds, best of --repeats where repeated; figures in bench/results/grid.txt.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import pathlib
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("GAN_EXPLORER_STORE", tempfile.mkdtemp())  # the sweep's runs go nowhere lasting

from gan_core import Config  # noqa: E402
from gan_core.cli.main import main  # noqa: E402
from gan_core.training.grid import Grid, parse_axis  # noqa: E402


def cli(*flags) -> float:
    with tempfile.TemporaryDirectory() as out, contextlib.redirect_stdout(io.StringIO()):
        start = time.perf_counter()
        assert main(["sweep", *flags, "--no-store", "--out", out]) == 0
        return time.perf_counter() - start


def part_a(repeats: int) -> None:
    common = ["--seeds", "4", "--n-epochs", "10000", "--n-eval", "2000"]
    print("(a) through the CLI, one process: x², 10,000 iterations, n_eval 2,000 (the CLI's defaults)")
    sweeps, grids = [], []
    for i in range(repeats):
        sweeps.append(cli(*common))
        grids.append(cli(*common, "--grid", "g_lr=0.0005,0.001,0.002"))
        print(f"  round {i + 1} ({'compiles' if i == 0 else 'warm'}): 4-seed sweep {sweeps[-1]:.2f} s, "
              f"3×1 g_lr grid × 4 seeds (12 runs) {grids[-1]:.2f} s: {grids[-1] / sweeps[-1]:.2f}×", flush=True)
    ratio = min(grids) / min(sweeps)
    print(f"  best: sweep {min(sweeps):.2f} s, grid {min(grids):.2f} s: **{ratio:.2f}×** (target ≤ 1.6: "
          f"{'met' if ratio <= 1.6 else 'not met'}); first round (compiles) {grids[0] / sweeps[0]:.2f}×")


def train(grid) -> float:
    start = time.perf_counter()
    for _ in grid.train():
        pass
    return time.perf_counter() - start


def part_b(iterations: int) -> None:
    from gan_core.training.ray_grid import RayCluster, train_task

    config = Config(n_epochs=iterations, n_eval=1000)
    axes = [parse_axis("g_lr=log:0.0002:0.002:4"), parse_axis("d_lr=log:0.0002:0.002:4")]
    print(f"(b) 4×4 grid (g_lr × d_lr) × 8 seeds = 128 runs of {iterations:,} iterations, n_eval 1,000; "
          f"{os.cpu_count()} cores")
    local = Grid(config, axes, 8)
    print(f"  {len(local.tasks)} tasks of {len(local.tasks[0].members)} runs, {len(local.groups)} group")
    first = train(local)
    again = train(Grid(config, axes, 8))
    print(f"  in this process: {first:.2f} s first (compiles), {again:.2f} s warm: {128 / again:.1f} runs/s", flush=True)
    start = time.perf_counter()
    cluster = RayCluster("local")
    started = time.perf_counter() - start
    import ray

    noop = ray.remote(num_cpus=1)(lambda: None)
    ray.get([noop.remote() for _ in range(4)])  # the workers exist
    start = time.perf_counter()
    ray.get([noop.remote() for _ in range(32)])
    round_trip = (time.perf_counter() - start) / 32
    on_ray = [train(Grid(config, axes, 8, ray=cluster)) for _ in range(2)]
    ray_s = min(on_ray)
    cpus = cluster.describe()["cpus"]
    # one task alone in this process (warm): what a task computes, without Ray
    one = time.perf_counter()
    train_task(local.task_configs(0), None)
    one = time.perf_counter() - one
    overhead = (ray_s * cpus - len(local.tasks) * one) / len(local.tasks)
    print(f"  local Ray: start-up {started:.1f} s; a no-op task's round trip {round_trip * 1000:.1f} ms; the grid "
          f"{on_ray[0]:.2f} s first (each worker imports TensorFlow and compiles), {on_ray[1]:.2f} s second: "
          f"{128 / ray_s:.1f} runs/s, {ray_s / again:.2f}× in-process")
    print(f"  one task (8 runs) alone in this process {one:.2f} s; Ray's overhead per task "
          f"(({ray_s:.2f} s × {cpus} CPUs − {len(local.tasks)} × {one:.2f} s) / {len(local.tasks)}) "
          f"**{overhead:.2f} s**")
    cluster.shutdown()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=("a", "b", "both"), default="both")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--iterations", type=int, default=4000)
    args = parser.parse_args()
    if args.part in ("a", "both"):
        part_a(args.repeats)
    if args.part in ("b", "both"):
        part_b(args.iterations)
