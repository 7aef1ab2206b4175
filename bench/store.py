"""The run store (gan_core/keeping/store.py): what saving costs training, and what a run takes on disk.

All in one process, warm (each shape trained once before). The GAN page's 1-D run (x², 10,000
iterations, n_eval 200: 50 check-ins) and the 2-D page's ring of 8 (n_eval 200), trained
--repeats times each way, alternating: without saving; saving at every check-in; with the
Autosaver (the first save after 10 s, then at most one in 10 s and 5 % of the time, and the
finished run); and a 1-D run of 100,000 iterations (about 8 s), long enough for saves mid-run
with --every 2. Then the store's
size per run: its bundle, for a 1-D, a 2-D and an MNIST run (the app's DCGAN with its default
filters, 40 iterations: a bundle's size does not grow with iterations, only its history rows do).

    python bench/store.py [--repeats 3]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from gan_core import Config, GanRun  # noqa: E402
from gan_core.data.mnist import load_digits  # noqa: E402
from gan_core.keeping.store import Autosaver, Store  # noqa: E402
from gan_core.settings.config import ImageConfig  # noqa: E402
from gan_core.training.images import ImageGanRun  # noqa: E402

LONG = {"1-D x², 100,000 iterations (500 check-ins)": dict(n_epochs=100_000, n_eval=200)}
RUNS = {"1-D x² (default networks)": dict(n_epochs=10_000, n_eval=200),
        "2-D ring8 (two layers of 64, n_batch 256)": dict(target="ring8", n_epochs=10_000, n_eval=200, latent_dim=8,
                                                         g_hidden=(64, 64), d_hidden=(64, 64), n_batch=256)}


EVERY_S = 10.0


def train(settings: dict, seed: int, store: Store | None, way: str) -> tuple[float, int]:
    """Seconds from a new run to its end (saves included), and how many saves."""
    start = time.perf_counter()
    run = GanRun(Config(seed=seed, **settings))
    saver = Autosaver(store, run, "bench", every_s=EVERY_S) if store is not None else None
    saves = 0
    while not run.done:
        run.train_chunk()
        if way == "every check-in":
            saver.check_in(force=True)
        elif way == "autosaver":
            saver.check_in()
    if saver is not None:
        saves = saver.saves
    return time.perf_counter() - start, saves


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--every", type=float, default=10.0, help="the Autosaver's every_s (default %(default)s)")
    args = parser.parse_args()
    global EVERY_S
    EVERY_S = args.every
    with tempfile.TemporaryDirectory() as folder:
        store = Store(os.path.join(folder, "store"))
        print(f"# Autosaver every_s {EVERY_S:g}; {args.repeats} repeats each way, alternating; median seconds (ratio to no saving)")
        for name, settings in {**RUNS, **LONG}.items():
            train(settings, 0, store, "every check-in")  # warm: compiled, the store's index made
            times = {"none": [], "every check-in": [], "autosaver": []}
            saves = {}
            for repeat in range(args.repeats):
                for way in times:
                    seconds, saves[way] = train(settings, repeat + 1, None if way == "none" else store, way)
                    times[way].append(seconds)
            base = statistics.median(times["none"])
            cells = [f"{way} {statistics.median(t):.2f} s ({statistics.median(t) / base:.2f}x, {saves[way]} saves; "
                     f"runs {', '.join(f'{x:.2f}' for x in t)})" for way, t in times.items()]
            print(f"{name}: " + "; ".join(cells), flush=True)
        print("# the store's size per run (its bundle; the index row is a few hundred bytes)")
        sizes = {}
        for name, settings in RUNS.items():
            run = GanRun(Config(**settings))
            list(run.train())
            sizes[name] = run
        digits = load_digits(ImageConfig().scale, use_keras=False)
        mnist = ImageGanRun(ImageConfig(n_epochs=40, n_eval=20), digits)
        list(mnist.train())
        sizes["MNIST, the app's DCGAN (default filters), 40 iterations"] = mnist
        for name, run in sizes.items():
            start = time.perf_counter()
            saved = store.save(run, "bench")
            seconds = time.perf_counter() - start
            record = store.record(saved.id)
            print(f"{name}: {record.bytes / 1024:.0f} KB, {len(run.history)} check-ins; one save {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
