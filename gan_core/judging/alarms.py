"""Failure alarms, in words: what went wrong in a run, from which check-in, and what usually
helps (the tutorials' own advice). Judged from the history's numbers alone, so a page can ask at
every redraw and a long run's thinned check-ins lose nothing.

- Mode collapse: the fakes' spread falls far below a real sample's for COLLAPSE_CHECK_INS check-ins
  in a row: 1-D domain coverage, a mixture's modes captured, another point set's spread, the
  digits' entropy of predicted classes.
- An overpowering discriminator: its accuracy on real and fake together stays at least
  OVERPOWER_ACCURACY for OVERPOWER_CHECK_INS check-ins while the generator's loss climbs.
- Divergence: a loss became NaN or infinite; the run stopped itself and went back to its last
  good check-in (run.ChunkedRun) and reports it in `divergences`.

An alarm that lasts quotes the history's latest check-in, the one the page shows beside it (its
numbers agree with the metrics there); one that is over quotes its own worst check-in, and says which.

Thresholds were set on measured runs (bench/alarms.py): on the 1-D default the healthy seeds'
coverage dips to 0.2 at worst, a generator learning rate 20x the tutorial's holds it at 0.05.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from gan_core.judging.metrics import MADE
from gan_core.networks.losses import DEFAULT, LOSSES

# the collapse measure of each kind of data: (column, its real floor's column, collapsed at or below
# this share of the floor, what it is in words)
COLLAPSE_MEASURES = (("coverage", "coverage_floor", 0.15, "coverage"), ("modes", "modes_floor", 0.25, "modes"),
                     ("spread", "spread_floor", 0.15, "spread"),
                     ("entropy", "entropy_real", 0.3, "the entropy of the digits made, in bits,"))
COLLAPSE_CHECK_INS = 2
OVERPOWER_ACCURACY = 0.85
OVERPOWER_CHECK_INS = 3

ADVICE = {
    "collapse": "What usually helps: a lower generator learning rate (or a higher discriminator one), the "
                "stacked discriminator update, PacGAN packing on 2-D points, or another seed (the Seed sweep "
                "page shows how often this setting collapses).",
    "collapse_digits": "What usually helps: a lower generator learning rate (or a higher discriminator one), a "
                       "larger n_batch, the DCGAN networks (batch norm), or another seed.",
    "overpowered": "What usually helps: a lower discriminator learning rate or a higher generator one, a "
                   "smaller discriminator, or the stacked update (one discriminator step per iteration, not two).",
    "diverged": "What usually helps: lower learning rates (set them on this paused run and Resume), smaller "
                "networks, or another seed.",
}
ADVICE["missed_modes"] = ADVICE["collapse"]
TITLES = {"collapse": "Mode collapse", "overpowered": "The discriminator overpowers the generator",
          "diverged": "Training diverged", "missed_modes": "Modes missed"}


@dataclass
class Alarm:
    kind: str  # "collapse", "missed_modes" (a mixture's fakes miss some modes), "overpowered" or "diverged"
    since: int  # the check-in (iteration) where the failure began
    until: int | None  # the first check-in where it was over; None while it lasts
    what: str  # what was seen, in words
    advice: str = ""  # what usually helps, when it is not ADVICE[kind]

    @property
    def active(self) -> bool:
        return self.until is None

    def text(self) -> str:
        when = (f"since iteration {self.since:,}" if self.active else
                f"from iteration {self.since:,} to {self.until:,}")
        return f"{TITLES[self.kind]} {when}: {self.what} {self.advice or ADVICE[self.kind]}"


def _episodes(flags: list[bool], iterations: list[int], length: int):
    """(start, end or None) of each run of at least `length` True flags in a row."""
    out, start = [], None
    for i, flag in enumerate(flags + [False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= length:
                out.append((iterations[start], iterations[i] if i < len(flags) else None))
            start = None
    return out


def _missing_digits(row: pd.Series) -> str:
    """' The grid shows only 1 and 7: 0, 2, ... are missing.' from an MNIST check-in's counts."""
    if not all(name in row and row[name] == row[name] for name in MADE):  # older histories lack them
        return ""
    made = [digit for digit, name in enumerate(MADE) if row[name] > 0]
    missing = [digit for digit in range(10) if digit not in made]
    if not missing:
        return ""
    shown = ", ".join(map(str, made[:-1])) + f" and {made[-1]}" if len(made) > 1 else "".join(map(str, made))
    return (f" The classifier sees only {shown} in the grid; missing: {', '.join(map(str, missing))}." if made
            else " The classifier sees no digit in the grid.")


def _missed_modes(history: pd.DataFrame, iterations: list[int]) -> list[Alarm]:
    """A mixture's fakes capture fewer modes than a real sample of their size does (5 of 8 where a
    real sample has 8) for COLLAPSE_CHECK_INS check-ins, short of a full collapse. Every run starts
    so: an episode that ended before the fakes first found every mode was learning, not an alarm;
    one that lasts, or came after, is."""
    if not {"modes", "modes_floor"} <= set(history.columns):
        return []
    modes, floors = history["modes"].tolist(), history["modes_floor"].tolist()
    collapse_share = dict((m[0], m[2]) for m in COLLAPSE_MEASURES)["modes"]
    flags = [bool(m < f and m > collapse_share * f) for m, f in zip(modes, floors)]
    found_all = next((iterations[i] for i, (m, f) in enumerate(zip(modes, floors)) if m >= f), None)
    out = []
    for start, end in _episodes(flags, iterations, COLLAPSE_CHECK_INS):
        if end is not None and (found_all is None or start < found_all):
            continue
        if end is None:  # lasting: as the latest check-in says
            row, verb, real = history.iloc[-1], "capture", "captures"
        else:
            episode = history[(history["iteration"] >= start) & (history["iteration"] < end)]
            row, verb, real = episode.loc[episode["modes"].idxmin()], "captured", "captured"
        out.append(Alarm("missed_modes", start, end, f"the fakes {verb} {row['modes']:.0f} modes where a real "
                                                     f"sample of the same size {real} {row['modes_floor']:.0f}"
                                                     f"{_at(row, end)}."))
    return out


def _at(row: pd.Series, end: int | None) -> str:
    """Which check-in an alarm quotes: its latest while it lasts, else its own."""
    return f" (iteration {int(row['iteration']):,})" if end is not None else ""


def alarms(history: pd.DataFrame, divergences=(), loss: str = DEFAULT) -> list[Alarm]:
    """Every alarm of a run's history (one row per check-in), oldest first; `loss` (a losses.LOSSES
    name) sets the generator's loss that counts as high (the log loss's 1.0: above ln 2 = 0.69)."""
    high = LOSSES[loss].overpowered_g_loss
    high = float("-inf") if high is None else high  # a critic's loss has no level: climbing is enough
    found: list[Alarm] = []
    if len(history):
        iterations = [int(i) for i in history["iteration"]]
        for column, floor, share, words in COLLAPSE_MEASURES:
            if column in history and floor in history:
                ratio = history[column] / history[floor].clip(lower=1e-12)
                flags = [bool(r <= share) for r in ratio]
                for start, end in _episodes(flags, iterations, COLLAPSE_CHECK_INS):
                    if end is None:  # lasting: as the latest check-in says
                        low, verb = history.iloc[-1], "is"
                    else:
                        rows = history[(history["iteration"] >= start) & (history["iteration"] < end)]
                        low, verb = rows.loc[rows[column].idxmin()], "fell to"
                    what = (f"{words} {verb} {low[column] + 0.0:.2f}{_at(low, end)}, against "
                            f"{history[floor].median():.2f} for a real sample.{_missing_digits(low)}")
                    digits = column == "entropy"
                    found.append(Alarm("collapse", start, end, what, ADVICE["collapse_digits"] if digits else ""))
                break
        found += _missed_modes(history, iterations)
        if {"acc_real", "acc_fake", "g_loss"} <= set(history.columns):
            accuracy = ((history["acc_real"] + history["acc_fake"]) / 2).tolist()
            g_loss = history["g_loss"].tolist()
            flags = [False] * len(history)
            for i in range(OVERPOWER_CHECK_INS - 1, len(history)):
                window = range(i - OVERPOWER_CHECK_INS + 1, i + 1)
                if (all(accuracy[j] >= OVERPOWER_ACCURACY for j in window) and g_loss[i] >= high
                        and g_loss[i] >= g_loss[window[0]]):
                    for j in window:
                        flags[j] = True
            for start, end in _episodes(flags, iterations, OVERPOWER_CHECK_INS):
                found.append(Alarm("overpowered", start, end, "it classified real and fake samples "
                                   f"{OVERPOWER_ACCURACY:.0%} right or better while the generator's loss climbed "
                                   "(its gradient vanishes)."))
    later = [int(i) for i in history["iteration"]] if len(history) else []
    for iteration, message in divergences:  # over once the run has checked in past where it went back to
        found.append(Alarm("diverged", iteration, next((i for i in later if i > iteration), None), message))
    return sorted(found, key=lambda alarm: alarm.since)
