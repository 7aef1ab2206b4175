"""What one run kept for the Compare page holds (issue 10: say how many and how much each):
the arrays of its check-ins before and after thinning to KEPT_PAYLOADS, for a 1-D run, a
2-D ring run and an interactive MNIST run; numbers (rows) are a few hundred bytes a check-in.

    python bench/kept_memory.py
"""
from __future__ import annotations

import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from explorer.session_runs import KEPT_PAYLOADS, MAX_KEPT  # noqa: E402
from gan_core import Config, GanRun  # noqa: E402
from gan_core.data.mnist import load_digits  # noqa: E402
from gan_core.settings.config import ImageConfig  # noqa: E402
from gan_core.training.images import ImageGanRun  # noqa: E402
from gan_core.training.run import thin_payloads  # noqa: E402


def array_bytes(run) -> int:
    total = 0
    for evaluation in run.history:
        for name in evaluation.payload:
            value = getattr(evaluation, name)
            if isinstance(value, np.ndarray):
                total += value.nbytes
            elif isinstance(value, list):  # an MNIST snapshot: the generator's weights
                total += sum(np.asarray(w).nbytes for w in value)
    return total


def main():
    runs = {
        "1-D default, 20,000 iterations at n_eval 100 (200 check-ins)": GanRun(Config(n_epochs=20_000, n_eval=100)),
        "2-D ring, 20,000 iterations at n_eval 100": GanRun(Config(target="ring8", latent_dim=8, g_hidden=(64, 64),
                                                                   d_hidden=(64, 64), n_batch=256, n_epochs=20_000,
                                                                   n_eval=100)),
        "MNIST default, n_eval 10": ImageGanRun(
            ImageConfig(n_eval=10), load_digits(ImageConfig().scale, use_keras=False)),
    }
    print(f"at most {MAX_KEPT} kept runs besides the pages' current ones; each keeps {KEPT_PAYLOADS} check-ins' arrays")
    for name, run in runs.items():
        for _ in run.train():
            pass
        before = array_bytes(run)
        thin_payloads(run.history, KEPT_PAYLOADS)
        after = array_bytes(run)
        print(f"{name}: {len(run.history)} check-ins; arrays {before / 2**20:.1f} MB as the page's run, "
              f"{after / 2**20:.1f} MB kept")


if __name__ == "__main__":
    main()
