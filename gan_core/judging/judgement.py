"""Did a run work? One stated criterion per kind of real data, used by a sweep's success rate
(and, judged at every check-in, by the failure alarms).

- a 1-D function: curve error below 0.015 and at least 90 % of the domain covered
  (bench/learning.py's judgement: the tutorial's default passes it on about 8 seeds in 10);
- a mixture of Gaussians (ring, grid): every mode captured;
- another point set (moons, spiral, an upload): energy distance at most twice a real sample's
  (its floor), or 0.01 when the floor is smaller than 0.005;
- a user's pictures: Fréchet distance at most twice its real-vs-real floor (bench/images.py: the made-up
  shapes start near 30× it and reach about 1.9× in three minutes).
"""
from __future__ import annotations

import math

CURVE_ERROR_MAX = 0.015
COVERAGE_MIN = 0.9
ENERGY_SLACK = 0.01
FRECHET_TIMES = 2.0
PICTURES = f"Fréchet distance at most {FRECHET_TIMES:g}× its real-vs-real floor"  # the criterion, in words


def criterion(target) -> str:
    """The criterion for a target, in words."""
    if target.mixture:
        return f"all {len(target.support)} modes captured"
    if hasattr(target, "support"):
        return "energy distance at most 2× a real sample's (or 0.01)"
    return f"curve error below {CURVE_ERROR_MAX} and domain coverage at least {COVERAGE_MIN:.0%}"


def succeeded(target, metrics: dict) -> bool:
    """Whether a check-in's scores meet the target's criterion (a NaN score never does)."""
    if target.mixture:
        return metrics["modes"] >= len(target.support)
    if hasattr(target, "support"):
        energy = metrics["energy"]
        return not math.isnan(energy) and energy <= max(2 * metrics["energy_floor"], ENERGY_SLACK)
    return metrics["curve_error"] < CURVE_ERROR_MAX and metrics["coverage"] >= COVERAGE_MIN


def pictures_succeeded(scores: dict) -> bool:
    """Whether a check-in on a user's pictures meets PICTURES (a NaN distance never does)."""
    distance = scores["frechet_distance"]
    return not math.isnan(distance) and distance <= FRECHET_TIMES * scores["frechet_distance_floor"]
