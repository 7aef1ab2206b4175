"""What a Config's target names: one of the point sets (2-D points, 1-D samples: each module's sets and
its upload) or else a 1-D function. The settings check a target here; the kinds (gan_core/kinds.py)
are built from the same modules."""
from __future__ import annotations

from typing import Callable

from gan_core.data import points, samples
from gan_core.data.targets import BUILTIN_TARGETS, get_target

# each point-set module's targets (its built-in sets, then a user's CSV) -> its reader
POINT_SETS = {(*points.POINT_SETS, points.UPLOADED): points.get_point_set,
              (*samples.SAMPLE_SETS, samples.UPLOADED): samples.get_sample_set}


def point_set(target: str) -> Callable | None:
    """(target, uploaded rows) -> its PointSet, when the target names a point set; None: a 1-D function."""
    return next((read for targets, read in POINT_SETS.items() if target in targets), None)


# a Config's targets, in words: the functions, "custom" (the user's f(x)), then the point sets'
TARGETS = (*BUILTIN_TARGETS, "custom", *(t for targets in POINT_SETS for t in targets))


def real_data(target: str, expr: str = "", low=None, high=None, rows=None):
    """The real data a target names: a Target (1-D function) or a PointSet (`rows`: an uploaded set's)."""
    if (read := point_set(target)) is not None:
        return read(target, rows)
    return get_target(target, expr, low, high)
