"""Settings grids: which settings work? One or two settings, each over a few values, × seeds.

A grid's cells are the settings' combinations; each cell trains on `seeds` seeds (config.seed,
config.seed + 1, ...), and every cell and seed is an ordinary run (`run(cell, seed)` opens it,
and it continues as any run). Runs that differ only in run state (learning rates, beta_1, the
seed: adam.Net and steps.RunState hold them) share one compiled step, so they stack into one
vectorized sweep (sweep.py); a setting that changes shapes (widths, n_batch, the loss, packing...)
makes groups, one sweep each. A group is cut into tasks of at most TASK_RUNS stacked runs: the
unit of work, decided by the grid alone, so a task computes the same numbers wherever it trains.

Locally the groups train one after another, each group's tasks on the cores at once (Sweep's
parts, in this process's pool); a Stop keeps every finished group, and the group under way at its
latest check-in. With Ray (ray_grid.py) each task is a Ray task: the same stacked sweep in a Ray
worker, trained to the end, its runs' checkpoints sent back. The results are the same bit for bit
(tests/test_grid.py); only the seconds differ. docs/grids.md: how a grid splits, what it costs.
"""
from __future__ import annotations

import dataclasses
import itertools
import math
import re
import threading
import time

import numpy as np
import pandas as pd

from gan_core.judging.judgement import criterion, succeeded
from gan_core.settings.config import Config
from gan_core.settings.described import ConfigError, parse_widths
from gan_core.settings.typed import parse_number
from gan_core.training.run import RunView
from gan_core.training.sweep import MAX_SEEDS, Sweep, opened, what_went_wrong

NOT_GRIDDED = ("target", "expr", "low", "high", "seed")  # the real data is the sidebar's; seeds are the other axis
MAX_AXES = 2
MAX_VALUES = 16  # values per setting
MAX_RUNS = 1024  # cells × seeds
TASK_RUNS = 8  # runs stacked in one task at most: a 12-run grid is two tasks, one per core here
DEFAULT_SEEDS = 4
LOG_RANGE = "log:"  # g_lr=log:0.0002:0.002:4 (low, high, how many values)
_GROUPED = re.compile(r"(^|,)\d{1,3},0\d\d(,|$)")  # 10,000: a thousands separator, not two values


class GridError(ValueError):
    """A grid that cannot be trained; the message says what is allowed."""


def settings() -> dict:
    """The settings a grid may vary: the sweep's (config.py's `commands`), less the data and the seed."""
    return {name: s for name, s in Config.settings().items() if "sweep" in s.commands and name not in NOT_GRIDDED}


def allowed_names() -> str:
    return ", ".join(settings())


@dataclasses.dataclass(frozen=True)
class Axis:
    """One setting of a grid and its values, in order."""

    name: str
    values: tuple

    @property
    def label(self) -> str:
        return Config.label(self.name)


def log_range(low: float, high: float, n: int) -> tuple[float, ...]:
    """n values from low to high evenly spread on a log scale: the ends as typed, those between
    rounded to three significant digits (0.0002, 0.000431, 0.000928, 0.002)."""
    inner = np.geomspace(low, high, n)[1:-1]
    return (low, *(float(f"{v:.3g}") for v in inner), high)


def parse_axis(text: str) -> Axis:
    """`name=v1,v2,...` (layer widths: `d_hidden=25;32,16`, values apart by ';') or, for a number,
    `name=log:LOW:HIGH:N`; each value read strictly (typed.py) and checked against the setting's
    description (config.py). GridError says what is allowed."""
    name, sep, raw = str(text).partition("=")
    name, raw = name.strip(), raw.strip()
    known = settings()
    if not sep or not raw:
        raise GridError(f"A grid setting is NAME=VALUES, like g_lr=0.0005,0.001,0.002 or g_lr=log:0.0002:0.002:4 "
                        f"(got {text!r}).")
    if name not in known:
        raise GridError(f"A grid cannot vary {name!r}: it may vary {allowed_names()}.")
    described = known[name]
    if raw.startswith(LOG_RANGE):
        if described.kind != "number":
            raise GridError(f"A log range is for a number (a learning rate); {described.label} is not one.")
        parts = raw[len(LOG_RANGE):].split(":")
        try:
            if len(parts) != 3:
                raise ValueError("three parts")
            low, high = (parse_number(p, False, described.label) for p in parts[:2])
            n = parse_number(parts[2], True, "the number of values")
        except ValueError:
            raise GridError(f"{name}: a log range is log:LOW:HIGH:N, like log:0.0002:0.002:4 (got {raw!r}).") from None
        if not (0 < low < high and 2 <= n <= MAX_VALUES):
            raise GridError(f"{name}: a log range needs 0 < LOW < HIGH and 2 to {MAX_VALUES} values (got {raw!r}).")
        values = log_range(low, high, n)
    else:
        if described.kind in ("whole", "number") and _GROUPED.search(raw):
            raise GridError(f"{name}: values are apart by commas, so write 10000, not 10,000 (got {raw!r}).")
        values = tuple(_value(described, part.strip(), name) for part in raw.split(";" if described.kind == "widths"
                                                                                  else ","))
    if not 1 <= len(values) <= MAX_VALUES or len(set(values)) != len(values):
        raise GridError(f"{name}: 1 to {MAX_VALUES} different values (got {len(values)}: {raw!r}).")
    for value in values:
        if (problem := described.problem(value)) is not None:
            raise GridError(f"{name}: {problem}")
    return Axis(name, values)


def _value(described, text: str, name: str):
    try:
        if described.kind in ("whole", "number"):
            return parse_number(text, described.kind == "whole", described.label)
        if described.kind == "widths":
            return parse_widths(text)
    except ValueError as err:
        hint = " Separate values with commas (layer widths with ';'); write 10000, not 10,000." if "," in text or \
            described.kind == "widths" else ""
        raise GridError(f"{name}: {err}{hint}") from None
    return text  # a choice: checked against its choices by the caller


@dataclasses.dataclass
class GridCheckIn:
    """A check-in of the group under way, or a Ray task come back: what a page redraws on."""

    iteration: int  # iterations trained, all runs together
    group: int
    seconds: float

    payload = ()

    def row(self) -> dict:
        return {"iteration": self.iteration, "group": self.group, "seconds": self.seconds}


@dataclasses.dataclass
class Task:
    """Runs of one shape stacked in one sweep: the unit of work (a Ray task)."""

    group: int
    members: list  # indices into Grid.members


class Grid:
    """`config` over the axes' values (1 or 2 Axis), each cell on `seeds` seeds. `ray`: None (in this
    process) or a ray_grid.RayCluster to send the tasks to."""

    def __init__(self, config: Config, axes: list[Axis], seeds: int = DEFAULT_SEEDS,
                 points: np.ndarray | None = None, ray=None):
        if not 1 <= len(axes) <= MAX_AXES or len({a.name for a in axes}) != len(axes):
            raise GridError(f"A grid varies one or two different settings (got {len(axes)}).")
        if not 1 <= seeds <= MAX_SEEDS:
            raise GridError(f"Seeds per cell: 1 to {MAX_SEEDS} (got {seeds}).")
        self.axes, self.points, self.ray = list(axes), points, ray
        self.cells = [dict(zip((a.name for a in axes), values)) for values in itertools.product(*(a.values for a in axes))]
        runs = len(self.cells) * seeds
        if runs > MAX_RUNS:
            raise GridError(f"A grid trains at most {MAX_RUNS:,} runs: {len(self.cells)} cells × {seeds} seeds is "
                            f"{runs:,}. Fewer values or seeds.")
        self.config, self.seeds = config.checked(), list(range(config.seed, config.seed + seeds))
        self.configs = []  # one per cell
        for cell in self.cells:
            try:
                self.configs.append(dataclasses.replace(self.config, **cell).checked())
            except ConfigError as err:
                raise GridError(f"The cell {self.cell_name(cell)} is not a valid setting: {err}") from None
        self.members = [(c, seed) for c in range(len(self.cells)) for seed in self.seeds]
        shapes: dict = {}  # the cell's settings that are not run state -> its group
        for m, (c, _) in enumerate(self.members):
            shapes.setdefault(tuple(apart(self.cells[c]).values()), []).append(m)
        self.groups = list(shapes.values())
        self.tasks = [Task(g, part) for g, members in enumerate(self.groups) for part in _split(members)]
        self._place = {m: (t, j) for t, task in enumerate(self.tasks) for j, m in enumerate(task.members)}
        self._in_group = {m: j for members in self.groups for j, m in enumerate(members)}
        self.target = self.config.make_target(points)
        self.n_eval = self.config.n_eval
        self.n_epochs = sum(self._config(m).n_epochs for m in range(len(self.members)))  # all runs' iterations
        self._sweeps: dict[int, Sweep] = {}  # local: a group's sweep (its tasks are its parts)
        self._results: dict[int, list] = {}  # Ray: a finished task's runs' checkpoints
        self._pending: dict = {}  # Ray: an object ref -> its task index
        self.group_seconds: dict[int, float] = {}
        self.seconds, self.compile_seconds = 0.0, None
        self.history: list[GridCheckIn] = []
        self.lock = threading.Lock()

    # ---- what it is ---------------------------------------------------------------------------
    def cell_name(self, cell: dict) -> str:
        return ", ".join(f"{k} {shown(v)}" for k, v in cell.items())

    def _config(self, m: int) -> Config:
        cell, seed = self.members[m]
        return dataclasses.replace(self.configs[cell], seed=seed)

    def task_configs(self, t: int) -> list[Config]:
        return [self._config(m) for m in self.tasks[t].members]

    @property
    def criterion(self) -> str:
        return criterion(self.target)

    @property
    def runs(self) -> int:
        return len(self.members)

    # ---- training -------------------------------------------------------------------------------
    def group_done(self, g: int) -> bool:
        if self.ray is not None:
            return all(t in self._results for t, task in enumerate(self.tasks) if task.group == g)
        return g in self._sweeps and self._sweeps[g].done

    @property
    def iteration(self) -> int:
        """Iterations trained, all runs together."""
        total = 0
        for g, members in enumerate(self.groups):
            n_epochs = self._config(members[0]).n_epochs
            if self.ray is not None:
                total += sum(len(self.tasks[t].members) * n_epochs for t in self._results if self.tasks[t].group == g)
            elif g in self._sweeps:
                total += len(members) * self._sweeps[g].iteration
        return total

    @property
    def done(self) -> bool:
        return all(self.group_done(g) for g in range(len(self.groups)))

    def advance(self):
        """One step of work: locally, one step of the first unfinished group (its tasks on the
        cores at once); on Ray, a wait of at most a second for any task to come back. Returns the
        groups finished by it."""
        start = time.perf_counter()
        if self.ray is not None:
            finished = self._advance_ray()
        else:
            g = next(g for g in range(len(self.groups)) if not self.group_done(g))
            sweep = self._sweeps.get(g)
            if sweep is None:
                sweep = self._sweeps[g] = Sweep.of_configs(
                    [self._config(m) for m in self.groups[g]], self.points,
                    [len(t.members) for t in self.tasks if t.group == g])
            checked = sweep.advance() is not None
            finished = [g] if sweep.done else []
        with self.lock:
            self.seconds += time.perf_counter() - start
            if self.compile_seconds is None:
                self.compile_seconds = self.seconds
            for g in finished:
                self.group_seconds[g] = self.seconds
            if finished or (self.ray is None and checked):
                self.history.append(GridCheckIn(self.iteration, finished[-1] if finished else g, self.seconds))
        return finished

    def _advance_ray(self) -> list[int]:
        if not self._pending:  # the first step, or the first after a pause: every task not back yet
            self._pending = {self.ray.submit(self.task_configs(t), self.points): t for t in range(len(self.tasks))
                             if t not in self._results}
        for ref, checkpoints in self.ray.finished(list(self._pending), timeout=1.0):
            self._results[self._pending.pop(ref)] = checkpoints
        return [g for g in range(len(self.groups)) if self.group_done(g) and g not in self.group_seconds]

    def pause(self) -> None:
        """Stopped between steps: on Ray, the tasks still out are cancelled (a Stop ends the work, not only
        the watching); the next step sends them again, from their start (a task keeps nothing on the way)."""
        if self.ray is not None and self._pending:
            self.ray.cancel(list(self._pending))
            self._pending = {}

    def train(self):
        """Train to the end (or raise); yields each group index as it finishes."""
        while not self.done:
            yield from self.advance()

    def view(self) -> RunView:
        with self.lock:
            return RunView(self.iteration, self.n_epochs, self.seconds, self.compile_seconds, list(self.history))

    def group_state(self, g: int) -> str:
        """'done', 'training' (locally: at its latest check-in; on Ray: sent), or 'waiting'."""
        if self.group_done(g):
            return "done"
        if g in self._sweeps or any(self.tasks[t].group == g for t in self._pending.values()):
            return "training"
        return "waiting"

    def group_progress(self, g: int) -> float:
        """The share of the group's iterations trained (on Ray: of its tasks come back)."""
        if self.ray is not None:
            tasks = [t for t, task in enumerate(self.tasks) if task.group == g]
            return sum(t in self._results for t in tasks) / len(tasks)
        sweep = self._sweeps.get(g)
        return sweep.iteration / sweep.n_epochs if sweep else 0.0

    def group_name(self, g: int) -> str:
        """What sets the group apart (its settings that change shapes), or 'all cells'."""
        cell = self.cells[self.members[self.groups[g][0]][0]]
        settings = apart(cell)
        return self.cell_name(settings) if settings else "all cells"

    # ---- each run's results ----------------------------------------------------------------------
    def _where(self, m: int):
        """(task index, position in the task) of member m."""
        return self._place[m]

    def member_history(self, m: int) -> tuple[list, list]:
        """(check-ins, divergences) of member m so far."""
        t, j = self._where(m)
        if self.ray is not None:
            if t not in self._results:
                return [], []
            fields = self._results[t][j].fields
            return fields["history"], fields["divergences"]
        sweep = self._sweeps.get(self.tasks[t].group)
        if sweep is None:
            return [], []
        run = sweep.runs[self._in_group[m]]
        return run.view().history, run.divergences

    def checkpoint(self, m: int):
        """Member m's run's checkpoint (its state and history)."""
        t, j = self._where(m)
        if self.ray is not None:
            return self._results[t][j]
        return self._sweeps[self.tasks[t].group].checkpoint_at(self._in_group[m])

    def index(self, cell: int, seed: int) -> int:
        return self.members.index((cell, seed))

    def run(self, cell: int, seed: int):
        """The cell's seed as an ordinary run (a copy), to look at or continue."""
        m = self.index(cell, seed)
        t, j = self._where(m)
        if self.ray is not None:
            return opened(self._config(m), self._results[t][j], self.points)
        return self._sweeps[self.tasks[t].group].run_at(self._in_group[m])

    def history_frame(self) -> pd.DataFrame:
        """One row per cell, seed and check-in: the grid's settings, the seed, the run's history
        columns and `success`."""
        frames = []
        for m, (c, seed) in enumerate(self.members):
            history, _ = self.member_history(m)
            if not history:
                continue
            frame = pd.DataFrame([e.row() for e in history]).drop(columns=list(self.cells[c]), errors="ignore")
            frame.insert(0, "seed", seed)
            for i, (name, value) in enumerate(self.cells[c].items()):  # as set (a row's rates are float32's)
                frame.insert(i, name, shown(value))
            frame.insert(0, "cell", c)
            frame["success"] = [succeeded(self.target, e.metrics) for e in history]
            frames.append(frame)
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def summary(self) -> pd.DataFrame:
        """One row per cell and seed trained so far: its latest check-in, `success` (a run that
        diverged did not work), `diverged` and `alarms` (what went wrong, in the alarms' words)."""
        rows = []
        for m, (c, seed) in enumerate(self.members):
            history, divergences = self.member_history(m)
            if not history:
                continue
            frame = pd.DataFrame([e.row() for e in history])
            row = {"cell": c, **{k: shown(v) for k, v in self.cells[c].items()}, "seed": seed,
                   **{k: v for k, v in frame.iloc[-1:].to_dict("records")[0].items() if k not in self.cells[c]}}
            row["diverged"] = bool(divergences)
            row["success"] = succeeded(self.target, history[-1].metrics) and not divergences
            row["alarms"] = what_went_wrong(frame, divergences, self.configs[c].loss)
            rows.append(row)
        return pd.DataFrame(rows)

    def cell_frame(self, summary: pd.DataFrame | None = None) -> pd.DataFrame:
        """One row per cell with runs trained: the grid's settings, `worked` (the share of its seeds
        that worked), `median` (its seeds' median main score), seeds, and `best` (the cell with the
        highest share, then the best median)."""
        summary = self.summary() if summary is None else summary
        if summary.empty:
            return pd.DataFrame()
        main = self.main_score
        names = [a.name for a in self.axes]
        cells = summary.groupby("cell", sort=True).agg(
            **{name: (name, "first") for name in names}, worked=("success", "mean"),
            median=(main, "median"), seeds=("seed", "count")).reset_index()
        order = cells.assign(key=-cells["median"] if main in HIGHER_IS_BETTER else cells["median"])
        best = order.sort_values(["worked", "key"], ascending=[False, True]).index[0]
        cells["best"] = cells.index == best
        return cells

    @property
    def main_score(self) -> str:
        return list(self.target.scores)[0]


HIGHER_IS_BETTER = {"modes", "coverage", "high_quality"}


def apart(cell: dict) -> dict:
    """A cell's settings that are not run state (described.py's `step`): cells alike in these share
    one compiled step and stack into one sweep; a "graph" one needs its own step, a "loop" one
    (n_epochs, n_eval) its own sweep."""
    state = Config.role_names("state")
    return {k: v for k, v in cell.items() if k not in state}


def _split(members: list[int]) -> list[list[int]]:
    """A group's runs in tasks of at most TASK_RUNS, sizes as even as can be."""
    n = math.ceil(len(members) / TASK_RUNS)
    bounds = np.linspace(0, len(members), n + 1).astype(int)
    return [members[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def shown(value):
    return ",".join(map(str, value)) if isinstance(value, tuple) else value
