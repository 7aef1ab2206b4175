"""Putting runs side by side: which settings differ, their curves on one axis, their last scores."""
from __future__ import annotations

from dataclasses import asdict

import pandas as pd

# the curves a comparison can overlay: name -> (columns, y axis title)
CURVES = {
    "accuracy": (("acc_real", "acc_fake"), "discriminator accuracy"),
    "losses": (("d_loss", "g_loss"), "loss (mean over the check-in)"),
    "curve error": (("curve_error",), "curve error mean |y − f(x)|"),
    "modes captured": (("modes",), "modes captured"),
    "energy distance": (("energy",), "energy distance to real"),
    "classifier score": (("classifier_score",), "classifier score (max 10)"),
}
FINAL_COLUMNS = ("iteration", "seconds", "acc_real", "acc_fake", "d_loss", "g_loss", "curve_error", "coverage",
                 "modes", "high_quality", "energy", "classifier_score", "digits_present")


def settings(config) -> dict:
    return {k: ",".join(map(str, v)) if isinstance(v, (list, tuple)) else v for k, v in asdict(config).items()}


def differing(configs: list) -> list[str]:
    """The settings whose values are not the same in every config (all settings of either kind)."""
    rows = [settings(c) for c in configs]
    names = list(dict.fromkeys(name for row in rows for name in row))
    return [name for name in names if len({repr(row.get(name)) for row in rows}) > 1]


def labels(names: list[str], configs: list) -> list[str]:
    """Each run's name with what sets it apart from the others (at most three settings)."""
    fields = [f for f in differing(configs) if f not in ("n_eval_samples",)]
    out = []
    for name, config in zip(names, configs):
        values = settings(config)
        parts = [f"{f} {values[f]}" for f in fields[:3] if f in values]
        out.append(f"{name} · {', '.join(parts)}" if parts else name)
    return out


def settings_table(names: list[str], configs: list) -> pd.DataFrame:
    """Rows: every setting, those that differ first; columns: the runs; and `differs`, True where
    they do not agree ("—": the target's own, e.g. its domain)."""
    rows = [settings(c) for c in configs]
    fields = list(dict.fromkeys(name for row in rows for name in row))
    differ = differing(configs)
    fields = [f for f in fields if f in differ] + [f for f in fields if f not in differ]  # what differs first
    table = pd.DataFrame({name: ["—" if row.get(f) is None else str(row[f]) for f in fields]
                          for name, row in zip(names, rows)}, index=pd.Index(fields, name="setting"))
    table["differs"] = [f in differ for f in fields]
    return table


def curves(histories: dict[str, pd.DataFrame], curve: str) -> pd.DataFrame:
    """One long frame of a curve's columns for each run: run, iteration, seconds, series, value."""
    columns, _ = CURVES[curve]
    parts = []
    for name, history in histories.items():
        present = [c for c in columns if c in history]
        if present and len(history):
            long = history[["iteration", "seconds", *present]].melt(["iteration", "seconds"], var_name="series")
            parts.append(long.assign(run=name))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["iteration", "seconds", "series", "value", "run"])


def available(histories: dict[str, pd.DataFrame]) -> list[str]:
    """The curves at least one of the runs has."""
    return [name for name, (columns, _) in CURVES.items() if any(c in h for h in histories.values() for c in columns)]


def finals(histories: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each run's latest check-in: the columns of FINAL_COLUMNS it has."""
    rows = []
    for name, history in histories.items():
        last = history.iloc[-1]
        rows.append({"run": name, **{c: last[c] for c in FINAL_COLUMNS if c in history}})
    return pd.DataFrame(rows)
