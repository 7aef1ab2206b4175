"""Real data for the 2-D experiments: point sets where mode collapse shows.

Every set is a finite support of points plus Gaussian noise: a real sample is a support point
picked uniformly at random, moved by N(0, sigma² I). A mixture of Gaussians is exactly that
(its support is its centres): the ring of 8 (radius 1, sigma 0.01) and the 5x5 grid (centres
{-4,-2,0,2,4}², sigma 0.05) of the mode-collapse literature (PacGAN, VEEGAN, Unrolled GAN).
Two moons and a spiral are dense points along their curves with a little noise, and an
uploaded CSV is its own rows (sigma 0). So one compiled step samples every set: the support
and sigma go into it as data (training/plane.py).

A CSV is read with the csv module and float(): nothing in it is evaluated. It must hold two
(1-D samples: one) numeric columns (a header row is allowed) and 10 to 100,000 rows of finite numbers.
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


def csv_rules(columns: int = 2) -> str:
    """What an uploaded CSV may be, in words (every refusal says it)."""
    what = "one numeric column (x" if columns == 1 else "two numeric columns (x, y"
    return (f"a CSV file of {what}; a header row is allowed), {MIN_ROWS} to {MAX_ROWS:,} rows, finite numbers "
            f"with |value| at most {MAX_ABS:,}, at most {MAX_BYTES // 2**20} MB")


CSV_RULES = csv_rules(2)


class PointsError(ValueError):
    """An uploaded point set that is refused; the message says what is allowed."""


@dataclass(frozen=True, eq=False)
class PointSet:
    """A point set: support points (m, dims) and the noise added to each sample. dims is 2 here and
    1 for the 1-D samples kind (samples.py), which trains through the same runs and steps."""

    name: str
    support: np.ndarray
    sigma: float
    label: str
    mixture: bool = False  # the support points are the centres of a Gaussian mixture: mode scores apply

    @property
    def dims(self) -> int:
        return self.support.shape[1]

    @property
    def scores(self) -> tuple[str, ...]:
        """Its scores (metrics.METRIC_LABELS), the main one first: what pages, sweeps and the CLI show."""
        modes = ("modes", "high_quality", "reverse_kl") if self.mixture else ()
        return modes + (("wasserstein",) if self.dims == 1 else ()) + ("energy",)

    def sample_real(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """n real samples, shape (n, dims), float32."""
        pick = self.support[rng.integers(0, len(self.support), n)]
        return (pick + self.sigma * rng.standard_normal((n, self.dims))).astype(np.float32)

    def curve(self, n: int = 200) -> None:
        """A point set has no curve y = f(x) to draw."""
        return None

    def bounds(self) -> tuple[tuple[float, float], ...]:
        """Limits per dimension ((x limits, y limits) in the plane) around the support, with room for
        samples that stray: in the plane a square (both spans equal, around the support's centre), so
        that a plane drawn square has equal units."""
        low = self.support.min(axis=0) - 3 * self.sigma
        high = self.support.max(axis=0) + 3 * self.sigma
        half = 0.75 * float(np.max(np.maximum(high - low, 1e-3)))  # the larger span and 25 % either side
        centre = (low + high) / 2
        return tuple((round(float(c - half), 3), round(float(c + half), 3)) for c in centre)


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


def points_csv(points: np.ndarray) -> bytes:
    """Rows as a CSV with a header (x, y; or x), as read_points_csv reads them back, float32 exactly."""
    points = np.asarray(points, np.float32)
    header = ",".join(("x", "y")[:points.shape[1]])
    return (header + "\n" + "".join(",".join(repr(float(v)) for v in row) + "\n" for row in points)).encode()


def read_points_csv(data: bytes, columns: int = 2) -> np.ndarray:
    """The (n, columns) float32 rows of a CSV file, or PointsError saying what is allowed."""
    rules = csv_rules(columns)
    if len(data) > MAX_BYTES:
        raise PointsError(f"The file is {len(data) / 2**20:.1f} MB; allowed: {rules}.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PointsError(f"The file is not text (UTF-8); allowed: {rules}.") from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = next((d for d in ",;\t" if d in first), None)  # else columns separated by spaces
    lines = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if delimiter else (
        line.split() for line in text.splitlines())
    try:
        return _rows(lines, columns, rules)
    except csv.Error as err:  # e.g. a stray quote or NUL byte
        raise PointsError(f"The file could not be read as CSV ({err}); allowed: {rules}.") from None


def _rows(lines, columns: int, rules: str) -> np.ndarray:
    rows, header = [], False
    for number, row in enumerate(lines, start=1):
        cells = [cell.strip() for cell in row if cell.strip()]
        if not cells:
            continue
        if len(cells) != columns:
            count = f"{len(cells)} column" + ("" if len(cells) == 1 else "s")
            raise PointsError(f"Row {number} has {count}, not {'one (x)' if columns == 1 else 'two (x, y)'}; "
                              f"allowed: {rules}.")
        try:
            values = [float(cell) for cell in cells]
        except ValueError:
            if not rows and not header:  # one header row, before the numbers
                header = True
                continue
            shown = ", ".join(repr(cell[:20]) for cell in cells)
            raise PointsError(f"Row {number} is not {'a number' if columns == 1 else 'two numbers'} "
                              f"({shown}); allowed: {rules}.") from None
        if not np.all(np.isfinite(values)) or max(map(abs, values)) > MAX_ABS:
            raise PointsError(f"Row {number} holds {', '.join(f'{v:g}' for v in values)}; allowed: {rules}.")
        rows.append(values)
        if len(rows) > MAX_ROWS:
            raise PointsError(f"The file has more than {MAX_ROWS:,} rows; allowed: {rules}.")
    if len(rows) < MIN_ROWS:
        raise PointsError(f"The file has {len(rows)} rows of {'numbers' if columns == 1 else 'points'}; "
                          f"allowed: {rules}.")
    return np.array(rows, np.float32).reshape(-1, columns)
