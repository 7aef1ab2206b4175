"""The server's warm-up on every slot's device (explorer/server.py): after it, a visitor's first compiled step
(with its check-in's evaluations) on the first slot's device and on the second's, for each warmed kind's GAN page
defaults. XLA compiles (or loads) a step once per device, so a second visitor's run, on the second slot while
the first trains, waited for its own compile when the warm-up warmed the first device only.

    python bench/warm_devices.py [--cache off|FOLDER]

With a FOLDER, run it twice: the first process fills the cache, the second is a restarted server's.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", default="off", help="GAN_EXPLORER_CACHE: off, or a folder")
    args = parser.parse_args()
    os.environ["GAN_EXPLORER_CACHE"] = args.cache

    from explorer import devices, server
    from explorer.experiments import ALL, page_defaults

    start = time.perf_counter()
    server._warm(server.DIRAC)  # as a server whose first visitor opened the lesson: every page's steps
    print(f"warm-up {time.perf_counter() - start:.1f} s on {len(devices.names())} slots' devices "
          f"(cache {args.cache}); then a run's first step and check-in, in seconds:")
    for entry in (e for e in ALL if e.warmed):
        config = entry.kind.settings(**page_defaults(entry.states["gan"]))
        seconds = []
        for slot in range(len(devices.names())):
            run = entry.kind.gan(config)
            start = time.perf_counter()
            with devices.slot(slot):
                run.steps.train(run.state, run.data, 1)
                run.evaluate()
            seconds.append(f"slot {slot} {time.perf_counter() - start:.3f}")
        print(f"  {entry.kind.title:<14} " + ", ".join(seconds))


if __name__ == "__main__":
    main()
