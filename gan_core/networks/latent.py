"""The latent space: points a generator maps to samples, and straight paths between them."""
from __future__ import annotations

import numpy as np


def sample_latent(n: int, latent_dim: int, rng: np.random.Generator, distribution: str = "gaussian") -> np.ndarray:
    """n points from a standard Gaussian, as the tutorial's randn(latent_dim * n), or uniform on [-1, 1]."""
    if distribution == "uniform":
        return rng.uniform(-1.0, 1.0, (n, latent_dim)).astype(np.float32)
    return rng.standard_normal((n, latent_dim)).astype(np.float32)


def quantiles(n: int, distribution: str = "gaussian") -> np.ndarray:
    """n equally likely steps of one latent coordinate: the quantiles 1/(2n), 3/(2n), ..."""
    p = (np.arange(n) + 0.5) / n
    if distribution == "uniform":
        return (2 * p - 1).astype(np.float32)
    from statistics import NormalDist

    return np.array([NormalDist().inv_cdf(q) for q in p], np.float32)


def interpolate(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """n evenly spaced latent points on the straight line from a to b (both included)."""
    t = np.linspace(0.0, 1.0, n, dtype=np.float32)[:, None]
    return (1 - t) * np.asarray(a, np.float32)[None, :] + t * np.asarray(b, np.float32)[None, :]


def generate(generator, latent: np.ndarray) -> np.ndarray:
    """The generator's samples for these latent points (a direct call: predict() is slow for small batches)."""
    return np.asarray(generator(np.asarray(latent, np.float32), training=False))


def line(n: int, latent_dim: int, distribution: str = "gaussian") -> np.ndarray:
    """n latent points along the first axis (the others 0), at equally likely steps (quantiles): the
    z line of Goodfellow et al. 2014's Figure 1."""
    z = np.zeros((n, latent_dim), np.float32)
    z[:, 0] = quantiles(n, distribution)
    return z


def grid(n: int, latent_dim: int, distribution: str = "gaussian", axes: tuple[int, int] = (0, 1)) -> np.ndarray:
    """An n×n grid of latent points over two axes (the others 0), at equally likely steps of each: GAN
    Lab's manifold, the grid the generator warps. Rows run along the first axis, fastest."""
    steps = quantiles(n, distribution)
    z = np.zeros((n * n, latent_dim), np.float32)
    a, b = np.meshgrid(steps, steps)
    z[:, axes[0]], z[:, axes[1]] = a.ravel(), b.ravel()
    return z
