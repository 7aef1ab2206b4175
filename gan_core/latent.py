"""The latent space: points a generator maps to samples, and straight paths between them."""
from __future__ import annotations

import numpy as np


def sample_latent(n: int, latent_dim: int, rng: np.random.Generator) -> np.ndarray:
    """n points from a standard Gaussian, as the tutorial's randn(latent_dim * n)."""
    return rng.standard_normal((n, latent_dim)).astype(np.float32)


def interpolate(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """n evenly spaced latent points on the straight line from a to b (both included)."""
    t = np.linspace(0.0, 1.0, n, dtype=np.float32)[:, None]
    return (1 - t) * np.asarray(a, np.float32)[None, :] + t * np.asarray(b, np.float32)[None, :]


def generate(generator, latent: np.ndarray) -> np.ndarray:
    """The generator's samples for these latent points (a direct call: predict() is slow for small batches)."""
    return np.asarray(generator(np.asarray(latent, np.float32), training=False))


def line(n: int, latent_dim: int) -> np.ndarray:
    """n latent points along the first axis (the others 0), at the standard Gaussian's quantiles
    1/(2n), 3/(2n), ...: equally likely steps, as the z line of Goodfellow et al. 2014's Figure 1."""
    from statistics import NormalDist

    z = np.zeros((n, latent_dim), np.float32)
    z[:, 0] = [NormalDist().inv_cdf((i + 0.5) / n) for i in range(n)]
    return z
