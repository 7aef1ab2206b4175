"""Where a run's seed goes besides its training draws (draws.py, keyed by the seed itself): each
network's initializers and the check-ins' own samples start from offsets of it. Every run, and a
page's preview of the generator a run starts with, takes them here: changing one changes every
seed's history.
"""
from __future__ import annotations

# a network's hidden layers take its seed, seed + 1, ... and its output layer seed + 100 (networks/models.py)
NETWORK_OFFSETS = {"d": 0, "g": 50}


def network_seed(seed: int, network: str) -> int:
    """The initializer seed of a run's discriminator ("d") or generator ("g")."""
    return seed * 100 + NETWORK_OFFSETS[network]


def eval_seed(seed: int) -> int:
    """The seed of the check-ins' numpy generator: their fresh real, latent and noise samples."""
    return seed + 7919
