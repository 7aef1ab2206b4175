"""Real data for the 2-D experiments: point sets where mode collapse shows.

Every set is a finite support of points plus Gaussian noise: a real sample is a support point
picked uniformly at random, moved by N(0, sigma² I). A mixture of Gaussians is exactly that
(its support is its centres): the ring of 8 (radius 1, sigma 0.01) and the 5x5 grid (centres
{-4,-2,0,2,4}², sigma 0.05) of the mode-collapse literature (PacGAN, VEEGAN, Unrolled GAN).
Two moons and a spiral are dense points along their curves with a little noise, and an
uploaded CSV is its own rows (sigma 0). So one compiled step samples every set: the support
and sigma go into it as data (training.py).

A CSV is read with the csv module and float(): nothing in it is evaluated. It must hold two
numeric columns (a header row is allowed) and 10 to 100,000 rows of finite numbers.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np

MAX_ROWS = 100_000
MIN_ROWS = 10
MAX_BYTES = 8 * 1024 * 1024  # 100,000 rows of two numbers fit in about 4 MB
MAX_ABS = 10_000
CSV_RULES = (f"a CSV file of two numeric columns (x, y; a header row is allowed), {MIN_ROWS} to {MAX_ROWS:,} rows, "
             f"finite numbers with |value| at most {MAX_ABS:,}, at most {MAX_BYTES // 2**20} MB")


class PointsError(ValueError):
    """An uploaded point set that is refused; the message says what is allowed."""


@dataclass(frozen=True, eq=False)
class PointSet:
    """A 2-D point set: support points (m, 2) and the noise added to each sample."""

    name: str
    support: np.ndarray
    sigma: float
    label: str
    mixture: bool = False  # the support points are the centres of a Gaussian mixture: mode scores apply

    def sample_real(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """n real samples, shape (n, 2), float32."""
        pick = self.support[rng.integers(0, len(self.support), n)]
        return (pick + self.sigma * rng.standard_normal((n, 2))).astype(np.float32)

    def curve(self, n: int = 200) -> None:
        """A point set has no curve y = f(x) to draw."""
        return None

    def bounds(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """(x limits, y limits) around the support, with room for samples that stray: a square (both
        spans equal, around the support's centre), so that a plane drawn square has equal units."""
        low = self.support.min(axis=0) - 3 * self.sigma
        high = self.support.max(axis=0) + 3 * self.sigma
        half = 0.75 * float(np.max(np.maximum(high - low, 1e-3)))  # the larger span and 25 % either side
        centre = (low + high) / 2
        return ((round(float(centre[0] - half), 3), round(float(centre[0] + half), 3)),
                (round(float(centre[1] - half), 3), round(float(centre[1] + half), 3)))


def ring8() -> PointSet:
    angles = 2 * np.pi * np.arange(8) / 8
    centres = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return PointSet("ring8", centres.astype(np.float32), 0.01, "ring of 8 Gaussians (radius 1, σ 0.01)", mixture=True)


def grid25() -> PointSet:
    ticks = np.array([-4, -2, 0, 2, 4], np.float32)
    centres = np.stack(np.meshgrid(ticks, ticks), axis=-1).reshape(-1, 2)
    return PointSet("grid25", centres, 0.05, "5×5 grid of Gaussians (spacing 2, σ 0.05)", mixture=True)


def moons(n: int = 2000) -> PointSet:
    """Two interleaved half circles (as scikit-learn's make_moons), noise 0.05."""
    t = np.linspace(0, np.pi, n // 2)
    outer = np.stack([np.cos(t), np.sin(t)], axis=1)
    inner = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    return PointSet("moons", np.concatenate([outer, inner]).astype(np.float32), 0.05, "two moons (noise 0.05)")


def spiral(n: int = 2000) -> PointSet:
    """Two turns of an Archimedean spiral, radius up to 1, noise 0.02."""
    t = np.sqrt(np.linspace(0.02, 1, n))  # evenly spaced along the arc, roughly
    angle = 4 * np.pi * t
    points = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=1)
    return PointSet("spiral", points.astype(np.float32), 0.02, "spiral (two turns, noise 0.02)")


POINT_SETS = {"ring8": ring8, "grid25": grid25, "moons": moons, "spiral": spiral}
# the networks a point set gets unless told otherwise (the 2-D pages, the CLI): wider and deeper
# than the 1-D tutorial's, as the mode-collapse literature uses several layers of hundreds
NETWORKS = {"latent_dim": 8, "g_hidden": (64, 64), "d_hidden": (64, 64), "n_batch": 256}
UPLOADED = "csv"  # Config.target for a user's own points


def get_point_set(name: str, points: np.ndarray | None = None) -> PointSet:
    """A built-in set by name, or the user's points (already read by read_points_csv) for 'csv'."""
    if name == UPLOADED:
        if points is None:
            raise PointsError(f"Upload your points first: {CSV_RULES}.")
        return PointSet(UPLOADED, np.asarray(points, np.float32), 0.0, f"your {len(points):,} points")
    if name not in POINT_SETS:
        raise PointsError(f"Unknown point set {name!r}. Choose one of: {', '.join(POINT_SETS)}, {UPLOADED}.")
    return POINT_SETS[name]()


def read_points_csv(data: bytes) -> np.ndarray:
    """The (n, 2) float32 points of a CSV file, or PointsError saying what is allowed."""
    if len(data) > MAX_BYTES:
        raise PointsError(f"The file is {len(data) / 2**20:.1f} MB; allowed: {CSV_RULES}.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PointsError(f"The file is not text (UTF-8); allowed: {CSV_RULES}.") from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = next((d for d in ",;\t" if d in first), None)  # else columns separated by spaces
    lines = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if delimiter else (
        line.split() for line in text.splitlines())
    try:
        return _rows(lines)
    except csv.Error as err:  # e.g. a stray quote or NUL byte
        raise PointsError(f"The file could not be read as CSV ({err}); allowed: {CSV_RULES}.") from None


def _rows(lines) -> np.ndarray:
    rows, header = [], False
    for number, row in enumerate(lines, start=1):
        cells = [cell.strip() for cell in row if cell.strip()]
        if not cells:
            continue
        if len(cells) != 2:
            count = f"{len(cells)} column" + ("" if len(cells) == 1 else "s")
            raise PointsError(f"Row {number} has {count}, not two (x, y); allowed: {CSV_RULES}.")
        try:
            x, y = float(cells[0]), float(cells[1])
        except ValueError:
            if not rows and not header:  # one header row, before the numbers
                header = True
                continue
            raise PointsError(f"Row {number} is not two numbers ({cells[0][:20]!r}, {cells[1][:20]!r}); "
                              f"allowed: {CSV_RULES}.") from None
        if not (np.isfinite(x) and np.isfinite(y)) or max(abs(x), abs(y)) > MAX_ABS:
            raise PointsError(f"Row {number} holds {x:g}, {y:g}; allowed: {CSV_RULES}.")
        rows.append((x, y))
        if len(rows) > MAX_ROWS:
            raise PointsError(f"The file has more than {MAX_ROWS:,} rows; allowed: {CSV_RULES}.")
    if len(rows) < MIN_ROWS:
        raise PointsError(f"The file has {len(rows)} rows of points; allowed: {CSV_RULES}.")
    return np.array(rows, np.float32)
