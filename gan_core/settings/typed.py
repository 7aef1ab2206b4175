"""Numbers as a person types them, read strictly: the value typed, exactly, or a ValueError that
says what is allowed. Nothing is rounded, clipped or cut to its leading digits (a browser's number
field read `1e12` as 1). Ranges are config.py's: this only reads the text."""
from __future__ import annotations

import math
import re

# 10000, 10,000 (groups of three), 10_000, -3; for numbers also 0.001, .5, 1e-3, 2.5E+4
_WHOLE = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+(_\d+)*)")
_NUMBER = re.compile(r"[+-]?(?P<whole>\d{1,3}(,\d{3})+|\d+(_\d+)*)?(?P<fraction>\.\d+(_\d+)*)?([eE][+-]?\d+)?")


def parse_number(text, whole: bool, name: str = "This field"):
    """`text` read as a whole number (int) or a number (float). Separators: commas between groups
    of three digits, or underscores; a float may be written 0.001 or 1e-3. Refused, with a
    message naming `name` and the text: anything else, and a whole number written with a
    fraction or an exponent."""
    raw = str(text).strip()
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    if not raw:
        raise ValueError(f"{name} is empty: type {'a whole number' if whole else 'a number'}.")
    if whole:
        if not _WHOLE.fullmatch(raw):
            raise ValueError(f"{name} must be a whole number, like 10000 or 10,000 (got {shown}).")
        return int(raw.replace(",", "").replace("_", ""))
    match = _NUMBER.fullmatch(raw)
    if not match or not (match["whole"] or match["fraction"]):
        raise ValueError(f"{name} must be a number, like 0.001 or 1e-3 (got {shown}).")
    value = float(raw.replace(",", "").replace("_", ""))
    if not math.isfinite(value):
        raise ValueError(f"{name} is too large to be a number here (got {shown}).")
    return value


def show_number(value) -> str:
    """A number as its field shows it, read back to the same value by parse_number."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{value:.1f}"
        return repr(value)
    return str(value)
