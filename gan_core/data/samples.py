"""Real data for the 1-D samples kind: numbers x drawn from a distribution on a line, GAN Lab's
"line" and the picture of Goodfellow et al. 2014, Figure 1 (the generator maps z to x; the
discriminator's D(x) curve over the real and generated densities).

A set is a PointSet of one column (points.py), so the plane's runs, compiled steps, sweeps and
scores train it unchanged: N(0, 1) is one support point with sigma 1, the bimodal set an even
mixture of N(-2, 0.5²) and N(2, 0.5²) (its modes scored as the 2-D mixtures'), and a user's CSV of
one column its own values.
"""
from __future__ import annotations

import numpy as np

from gan_core.data.points import PointsError, PointSet, csv_rules, read_points_csv


def normal1d() -> PointSet:
    return PointSet("normal1d", np.zeros((1, 1), np.float32), 1.0, "N(0, 1)")


def bimodal1d() -> PointSet:
    return PointSet("bimodal1d", np.array([[-2.0], [2.0]], np.float32), 0.5,
                    "an even mixture of N(-2, 0.5²) and N(2, 0.5²)", mixture=True)


SAMPLE_SETS = {"normal1d": normal1d, "bimodal1d": bimodal1d}
UPLOADED = "csv1d"  # Config.target for a user's own numbers
CSV_RULES = csv_rules(1)
# the networks the 1-D samples get unless told otherwise (its pages, the CLI): the bimodal set
# needs a generator that can jump between modes (bench/results/samples_sweep.txt chose them)
NETWORKS = {"latent_dim": 1, "g_hidden": (32, 32), "d_hidden": (32, 32), "n_batch": 256}


def get_sample_set(name: str, values: np.ndarray | None = None) -> PointSet:
    """A built-in set by name, or the user's numbers (read by read_samples_csv) for 'csv1d'."""
    if name == UPLOADED:
        if values is None:
            raise PointsError(f"Upload your numbers first: {CSV_RULES}.")
        values = np.asarray(values, np.float32).reshape(-1, 1)
        return PointSet(UPLOADED, values, 0.0, f"your {len(values):,} numbers")
    if name not in SAMPLE_SETS:
        raise PointsError(f"Unknown 1-D set {name!r}. Choose one of: {', '.join(SAMPLE_SETS)}, {UPLOADED}.")
    return SAMPLE_SETS[name]()


def read_samples_csv(data: bytes) -> np.ndarray:
    """The (n, 1) float32 values of a CSV file of one column, or PointsError saying what is allowed."""
    return read_points_csv(data, columns=1)
