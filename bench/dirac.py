"""The Dirac-GAN lesson (gan_core/teaching/dirac.py): how fast a path is, and what every loss, regularizer
and update does.

1. Speed: a 300-step path as one compiled loop (its first call traces and compiles it; later calls
   with other numbers reuse it) against the same loop run eagerly, step by step (the reference), in
   this process.
2. Behaviour: for each loss × regularizer × update at the lesson's defaults (lr 0.2, γ 1, σ 1, start
   (1, 1), 300 steps), the eigenvalues at (0, 0), the distance to it at the start, its minimum, at the
   end, and the lesson's verdict.

    python bench/dirac.py    # writes bench/results/dirac.txt
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import replace

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import tensorflow as tf  # noqa: E402

from gan_core.settings.config import DIRAC_LOSSES, DIRAC_UPDATES, REGULARIZERS, DiracConfig  # noqa: E402
from gan_core.teaching import dirac  # noqa: E402

F = dirac.F


def _arguments(c: DiracConfig):
    return (tf.constant(c.steps), tf.constant(c.lr, F), tf.constant(c.gamma, F), tf.constant(c.sigma, F),
            tf.constant(c.theta0, F), tf.constant(c.psi0, F), tf.constant([c.seed], tf.uint64))


def speed(lines: list[str]) -> None:
    lines.append(f"# load: {os.getloadavg()[0]:.1f} (1-minute average, 2 cores shared)")
    lines.append("loss     regularizer     update        first call s  compiled ms  eager ms  eager/compiled")
    for regularizer in ("none", "r1", "instance-noise"):
        for update in DIRAC_UPDATES:
            c = DiracConfig(loss="minimax", regularizer=regularizer, update=update, steps=300)
            loop = dirac._loop(c.loss, c.regularizer, c.update)
            start = time.perf_counter()
            dirac.trajectory(c)
            first = time.perf_counter() - start
            compiled = []
            for lr in (0.1, 0.15, 0.2, 0.25, 0.3):  # other numbers: the same compiled loop
                start = time.perf_counter()
                dirac.trajectory(replace(c, lr=lr))
                compiled.append(time.perf_counter() - start)
            start = time.perf_counter()
            loop.python_function(*_arguments(c))  # the same steps, eagerly
            eager = time.perf_counter() - start
            median = statistics.median(compiled)
            lines.append(f"minimax  {regularizer:15} {update:13} {first:12.2f}  {median * 1e3:11.1f}  "
                         f"{eager * 1e3:8.0f}  {eager / median:14.0f}")


def behaviour(lines: list[str]) -> None:
    lines.append("")
    lines.append("loss     regularizer       update        eigenvalues at (0,0)        d start   d min    d end  verdict")
    for loss in DIRAC_LOSSES:
        for regularizer in REGULARIZERS:
            c = DiracConfig(loss=loss, regularizer=regularizer)
            words = dirac.in_words(dirac.eigenvalues(c))
            for update in DIRAC_UPDATES:
                path = dirac.trajectory(replace(c, update=update))
                d = path.distance
                lines.append(f"{loss:8} {regularizer:17} {update:13} {words:27} {d.iloc[0]:7.3f} {d.min():8.3g} "
                             f"{d.iloc[-1]:8.3g}  {dirac.verdict(path)}")
                print(lines[-1], flush=True)


def main() -> None:
    lines = ["# bench/dirac.py: the Dirac-GAN lesson's paths (300 steps) and behaviours"]
    speed(lines)
    print("\n".join(lines), flush=True)
    behaviour(lines)
    os.makedirs(os.path.join(os.path.dirname(__file__), "results"), exist_ok=True)
    with open(os.path.join(os.path.dirname(__file__), "results", "dirac.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
