"""Where a start spends its time (issue 36): a fresh process's default 1-D run (10,000 iterations, n_eval
1,000) and a 16-seed sweep of it, each in a fresh process on a filled compile cache, cut into phases:
imports, building the run (Keras models, Adam state), tracing the compiled loop, XLA's compile or cache
load with the first step, the check-ins' evaluations (the first apart), and training; and the
imports' own top list (`python -X importtime`). A restarted server's first click to chart is
bench/cache_server.py's breakdown.

    python bench/start_profiles.py [--repeats 2]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# the child: one case in a fresh process, its phases measured from outside the engine's code
CHILD = r'''
import json, sys, time
t0 = time.perf_counter()
from gan_core import Config
from gan_core.training import plane
from gan_core.training.sweep import Sweep
import tensorflow as tf
phases = {"imports": time.perf_counter() - t0}
case = sys.argv[1]
config = Config(n_epochs=10_000, n_eval=1_000)
t = time.perf_counter()
run = plane.GanRun(config) if case == "run" else Sweep(config, 16)
phases["building the run"] = time.perf_counter() - t
runs = [run] if case == "run" else run.runs
evaluations = []
for r in runs:  # each check-in's evaluation timed
    def timed(logs=None, _evaluate=r.evaluate):
        t = time.perf_counter()
        out = _evaluate(logs)
        evaluations.append(time.perf_counter() - t)
        return out
    r.evaluate = timed
steps, n = run.steps, tf.constant(run.step_length)
t = time.perf_counter()
if case == "run":
    steps.loop.get_concrete_function(run.state, run.data, n)
else:  # the stacked loop, as Steps.sweep makes it
    steps._sweep_loop = tf.function(steps._sweep, jit_compile=steps.jit_compile, autograph=False)
    steps._sweep_loop.get_concrete_function(run.states[0], run.data, n)
phases["tracing the loop"] = time.perf_counter() - t
t = time.perf_counter()
run.advance()
phases["first step (XLA compile or cache load, and its iterations)"] = time.perf_counter() - t
t = time.perf_counter()
for _ in run.train():
    pass
rest = time.perf_counter() - t
checkins = len(run.history)
first = evaluations[:len(runs)]
phases["first check-in's evaluations"] = sum(first)
phases["later check-ins' evaluations"] = sum(evaluations[len(runs):])
phases["training and the rest"] = rest - sum(evaluations)
phases["total after imports"] = time.perf_counter() - t0 - phases["imports"]
phases["run.seconds"] = run.seconds
print("PHASES " + json.dumps(phases))
'''


def child(case: str, folder: str) -> dict:
    env = {**os.environ, "PYTHONPATH": ROOT, "GAN_EXPLORER_CACHE": folder, "TF_CPP_MIN_LOG_LEVEL": "3"}
    r = subprocess.run([sys.executable, "-c", CHILD, case], env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(re.search(r"PHASES (.*)", r.stdout).group(1))


def import_top(n: int = 12) -> list[tuple[str, float]]:
    """The modules whose import (their own and their imports', cumulative) took longest."""
    env = {**os.environ, "PYTHONPATH": ROOT, "GAN_EXPLORER_CACHE": "off", "TF_CPP_MIN_LOG_LEVEL": "3"}
    r = subprocess.run([sys.executable, "-X", "importtime", "-c", "import gan_core.training.plane, gan_core.cli.main"],
                       env=env, capture_output=True, text=True, timeout=600)
    rows = []
    for line in r.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m and len(m.group(3)) <= 5:  # top-level and first-level imports only
            rows.append((m.group(4), int(m.group(2)) / 1e6))
    return sorted(rows, key=lambda row: -row[1])[:n]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        child("run", folder), child("sweep", folder)  # fill the cache with both loops
        for case, title in (("run", "one run"), ("sweep", "a 16-seed sweep")):
            results = [child(case, folder) for _ in range(args.repeats)]
            total = min(r["total after imports"] for r in results)
            best = min(results, key=lambda r: r["total after imports"])
            print(f"{title}, fresh process on a filled cache (best of {args.repeats}; load average "
                  f"{os.getloadavg()[0]:.1f}):")
            for name, seconds in best.items():
                share = "" if name in ("imports", "total after imports", "run.seconds") else f" ({seconds / total:.0%})"
                print(f"  {name:60s} {seconds:6.2f} s{share}")
            print(flush=True)
    print("imports, cumulative (python -X importtime; gan_core.training.plane and the CLI):")
    for name, seconds in import_top():
        print(f"  {name:40s} {seconds:5.2f} s")


if __name__ == "__main__":
    main()
