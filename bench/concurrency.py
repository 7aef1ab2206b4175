"""Do concurrent runs share the cores? Total throughput of N runs trained at once by the app's
workers (explorer.worker, at most `slots` steps at once) against one run alone, in one process.

TensorFlow is set up as the app does it (explorer/devices.py: a CPU device per slot, each with an
intra-op pool of TF_NUM_INTRAOP_THREADS threads, 1 by default); compare settings by running this
script under each.

    python bench/concurrency.py [--runs 1 2 4 8] [--slots 2] [--iterations 20000] [--mnist [--jit]]
"""
from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import explorer  # noqa: E402,F401  (sizes TensorFlow's thread pools, as the app does)
from explorer import devices  # noqa: E402
from explorer.app_run import AppRun  # noqa: E402
from explorer.worker import Slots, Worker  # noqa: E402


def make_runs(n, iterations, mnist, jit=False):
    if mnist:
        from gan_core.data.mnist import load_digits
        from gan_core.settings.config import ImageConfig
        from gan_core.training.images import ImageGanRun

        digits = load_digits(ImageConfig().scale)
        return [ImageGanRun(ImageConfig(n_epochs=iterations, n_eval=iterations, seed=s), digits, jit_compile=jit)
                for s in range(n)]
    from gan_core import Config, GanRun

    return [GanRun(Config(n_epochs=iterations, n_eval=iterations, seed=s)) for s in range(n)]


def warm(runs, slots):
    """Compile each run's loop first, on the device of the slot it will take (explorer/devices.py:
    XLA compiles a step once per device), so that this measures steady training; each run as the app
    holds it (an AppRun keeps its slot for its workers)."""
    apps = []
    for i, run in enumerate(runs):
        apps.append(AppRun(run, slot=i % slots))
        with devices.slot(apps[-1].slot):
            run.advance()
    return apps


def together(apps, slots):
    runs = [app.run for app in apps]
    start = time.perf_counter()
    done_at = []
    workers = [Worker(app.run, slots=slots, owner=app) for app in apps]
    for w in workers:
        w.thread.join()
        done_at.append(time.perf_counter() - start)
    assert all(w.state == "done" for w in workers), [w.message for w in workers]
    trained = sum(run.iteration for run in runs)
    return trained, time.perf_counter() - start, done_at


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--slots", type=int, default=2)
    parser.add_argument("--iterations", type=int, default=20_000)
    parser.add_argument("--mnist", action="store_true")
    parser.add_argument("--jit", action="store_true", help="MNIST: XLA-compiled steps (the 1-D runs always are)")
    args = parser.parse_args()
    iterations = 200 if args.mnist else args.iterations
    print(f"TF_NUM_INTRAOP_THREADS={os.environ['TF_NUM_INTRAOP_THREADS']} "
          f"TF_NUM_INTEROP_THREADS={os.environ['TF_NUM_INTEROP_THREADS']}, {args.slots} slots, "
          f"{os.cpu_count()} cores, {'MNIST default' if args.mnist else '1-D default'} runs"
          f"{', XLA' if args.jit else ''}")
    base = None
    for n in args.runs:
        runs = make_runs(n, iterations, args.mnist, args.jit)
        apps = warm(runs, args.slots)
        for run in runs:
            run.n_epochs = run.iteration + iterations  # the same measured work for every run
        trained, seconds, done_at = together(apps, Slots(args.slots))
        rate = trained / seconds
        base = base or rate
        print(f"{n} run(s) at once: {rate:8.1f} iterations/s in all ({rate / base:.2f}x one run alone); "
              f"first done {min(done_at):.1f} s, last {max(done_at):.1f} s "
              f"(spread {max(done_at) / min(done_at):.2f}x; median {statistics.median(done_at):.1f} s)")


if __name__ == "__main__":
    main()
