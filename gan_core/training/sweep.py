"""Seed sweeps: one setting trained on many seeds at once, to tell a good setting from a lucky seed.

A sweep holds one ordinary GanRun per seed. Their states are stacked along a leading axis and
trained together by the shared step's `Steps.sweep`: each seed draws its own samples (the same
draws as its own run), one vectorized step trains every seed. So a sweep's seed is that
seed's run: `run(seed)` opens it, with its history, and it continues as an ordinary run.
Check-ins skip the heat map and the arrows (16 seeds' worth would cost more than the training).

On a CPU the compiled 1-D step is bound by its arithmetic, not by per-step overhead: 16 seeds
stacked take about 11x one seed's time on one core (bench/results/sweep.txt). So the seeds are
split into one group per core, each group a stacked state trained in its own thread (and on its
own CPU device where the app made one per core): XLA runs a small step on one core, and two
groups on two cores take half the time.
"""
from __future__ import annotations

import dataclasses
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import tensorflow as tf

from gan_core.judging import metrics
from gan_core.judging.alarms import TITLES, alarms
from gan_core.judging.judgement import criterion, succeeded
from gan_core.settings.config import Config
from gan_core.training.plane import DECISION_GRID, MAX_STEP_LENGTH, PUSHED, STEP_SECONDS, GanRun
from gan_core.training.run import Diverged, RunView, next_check_in

_POOL = ThreadPoolExecutor(os.cpu_count() or 1, thread_name_prefix="gan-explorer-sweep")
DEFAULT_SEEDS = 16
MAX_SEEDS = 64
SEED_ITERATION_S = 5e-5  # a seed's iteration in a sweep, a little above the default's (16 seeds: about 0.5 ms)


@dataclasses.dataclass
class SweepCheckIn:
    """Every seed's evaluation at one check-in."""

    iteration: int
    evaluations: list  # one training.Evaluation per seed, in the sweep's order
    seconds: float

    payload = ()

    def row(self) -> dict:
        return {"iteration": self.iteration, "seconds": self.seconds}


class Sweep:
    """`config` trained on each of `seeds` (a count: seeds config.seed, config.seed + 1, ...; or a list)."""

    def __init__(self, config: Config, seeds: int | list[int] = DEFAULT_SEEDS, points: np.ndarray | None = None):
        seeds = list(range(config.seed, config.seed + seeds)) if isinstance(seeds, int) else list(seeds)
        if not 2 <= len(seeds) <= MAX_SEEDS or len(set(seeds)) != len(seeds):
            raise ValueError(f"A sweep takes 2 to {MAX_SEEDS} different seeds (got {len(seeds)}).")
        config = config.checked()
        self._build([dataclasses.replace(config, seed=s) for s in seeds], points)

    @classmethod
    def of_configs(cls, configs: list[Config], points: np.ndarray | None = None,
                   parts: list[int] | None = None) -> "Sweep":
        """Runs of one shape stacked as one sweep: their seeds, learning rates and beta_1 may differ (a
        run holds them in its state, so they share the compiled step). `parts`: the stacked states'
        sizes, in order (a grid's tasks, gan_core/training/grid.py); by default one per core."""
        sweep = cls.__new__(cls)
        sweep._build([config.checked() for config in configs], points, parts)
        return sweep

    def _build(self, configs: list[Config], points, parts: list[int] | None = None) -> None:
        self.config, self.seeds, self.points = configs[0], [c.seed for c in configs], points
        self.runs = [GanRun(c, points=points) for c in configs]
        for run in self.runs:
            run.views = False
        first = self.runs[0]
        if any(run.steps is not first.steps or (run.n_epochs, run.n_eval) != (first.n_epochs, first.n_eval)
               for run in self.runs):
            raise ValueError("A sweep's runs share one compiled step: they may differ only in their run state ("
                             f"{', '.join(Config.role_names('state'))}).")
        self.target, self.steps, self.data = first.target, first.steps, first.data
        self.n_epochs, self.n_eval = first.n_epochs, first.n_eval
        if parts is None:
            groups = max(1, min(os.cpu_count() or 1, len(configs) // 2))
            bounds = np.linspace(0, len(configs), groups + 1).astype(int)
        else:  # given: a part's step length is its own size's, the same wherever the part trains
            bounds = np.cumsum([0, *parts])
            if bounds[-1] != len(configs) or min(parts) < 1:
                raise ValueError(f"parts {parts} do not add up to the {len(configs)} runs.")
        self.groups = [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]
        self.step_length = sweep_step_length(first.step_length, len(configs) if parts is None else max(parts))
        self.states = [_stack([run.state for run in self.runs[g]]) for g in self.groups]
        self.devices = [d.name for d in tf.config.list_logical_devices("CPU")]
        self.iteration, self.seconds, self.compile_seconds = 0, 0.0, None
        self.history: list[SweepCheckIn] = []
        self.lock = threading.Lock()

    @property
    def done(self) -> bool:
        return self.iteration >= self.n_epochs

    @property
    def criterion(self) -> str:
        return criterion(self.target)

    def advance(self) -> SweepCheckIn | None:
        """Train every seed one step (never past the next check-in); at a check-in each seed's run
        evaluates, and the check-in is returned."""
        check_in = next_check_in(self.iteration, self.n_eval, self.n_epochs)
        n = min(self.step_length, check_in - self.iteration)
        if n <= 0:
            raise RuntimeError(f"This sweep is finished: {self.iteration:,} of {self.n_epochs:,} iterations.")
        start = time.perf_counter()
        results = list(_POOL.map(lambda i: self._train_group(i, n), range(len(self.states))))
        trained = time.perf_counter() - start
        with self.lock:
            self.states, self.iteration = [states for states, _ in results], self.iteration + n
            if self.compile_seconds is None:
                self.compile_seconds = trained
        evaluations = []
        for group, (states, logs) in zip(self.groups, results):  # each run takes its part; at a check-in it evaluates
            # at a check-in each run takes its own state: one unstack per tensor (an eager slice per seed and
            # tensor cost a 16-seed sweep more than its check-ins' evaluations)
            own = _unstack(states) if self.iteration == check_in else None
            for j, run in enumerate(self.runs[group]):
                if run.divergences:  # its stacked state went on as NaN, apart from the others: its run stays put
                    continue
                state = own[j] if own is not None else run.state
                try:
                    evaluations.append(run.took(state, {name: values[j] for name, values in logs.items()}, n,
                                                time.perf_counter() - trained))
                except Diverged:  # the run went back to its last good check-in and recorded why
                    pass
        check = None
        with self.lock:
            self.seconds += time.perf_counter() - start
            if self.iteration == check_in:
                check = SweepCheckIn(self.iteration, evaluations, self.seconds)
                self.history.append(check)
        return check

    def _train_group(self, i: int, n: int):
        # on a CPU device of its own where there are several (the app makes one per core, each
        # with its own thread pool); in one process-wide pool otherwise
        with tf.device(self.devices[i % len(self.devices)]):
            return self.steps.sweep(self.states[i], self.data, n)

    def train(self):
        """Yield a SweepCheckIn every n_eval iterations until n_epochs are done."""
        while not self.done:
            if (check := self.advance()) is not None:
                yield check

    def pause(self) -> None:
        """Stopped between steps: nothing to let go of (its seeds train in this process)."""

    def view(self) -> RunView:
        with self.lock:
            return RunView(self.iteration, self.n_epochs, self.seconds, self.compile_seconds, list(self.history))

    # ---- what a sweep says -----------------------------------------------------------------
    def views(self) -> list[RunView]:
        """Every seed's run at one moment (each read once, under its lock): what one redraw reads, so that
        its frame, summary and alarms agree while the worker goes on appending."""
        return [run.view() for run in self.runs]

    def history_frame(self, views: list[RunView] | None = None) -> pd.DataFrame:
        """One row per seed and check-in: the seed, then the run's history columns, and `success`.
        `views`: views(), if taken already."""
        frames = []
        for seed, view in zip(self.seeds, self.views() if views is None else views):
            frame = view.history_frame()
            if frame.empty:
                continue
            frame.insert(0, "seed", seed)
            frame["success"] = [succeeded(self.target, e.metrics) for e in view.history]
            frames.append(frame)
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def summary(self, frame: pd.DataFrame | None = None, views: list[RunView] | None = None) -> pd.DataFrame:
        """Each seed's latest check-in: its scores, whether it meets the criterion, `diverged` (a seed
        whose loss became NaN stopped at its last good check-in, and did not work) and `alarms`
        (the failure alarms that last at its latest check-in). `frame` and `views`: history_frame(views)
        and the views it was made of, if taken already (the summary then says what the frame says)."""
        views = self.views() if views is None else views
        frame = self.history_frame(views) if frame is None else frame
        if frame.empty:
            return frame
        last = frame.groupby("seed", sort=False).tail(1).reset_index(drop=True)
        diverged = {seed: bool(view.divergences) for seed, view in zip(self.seeds, views)}
        last["diverged"] = last.seed.map(diverged)
        last.loc[last.diverged, "success"] = False
        # what went wrong, in the alarms' words: those that last at the latest check-in
        alarms_now = {seed: what_went_wrong(view.history_frame(), view.divergences, run.config.loss)
                      for seed, view, run in zip(self.seeds, views, self.runs)}
        last["alarms"] = last.seed.map(alarms_now)
        return last

    def success_rate(self) -> float:
        """The share of seeds whose latest check-in meets the criterion."""
        summary = self.summary()
        return float(summary.success.mean()) if len(summary) else float("nan")

    def spread(self, metric: str) -> pd.DataFrame:
        """A metric over the check-ins: its median over the seeds and the band between the 25th and
        75th percentiles, and the lowest and highest (columns iteration, median, q25, q75, low, high)."""
        frame = self.history_frame()
        grouped = frame.groupby("iteration")[metric]
        return pd.DataFrame({"median": grouped.median(), "q25": grouped.quantile(0.25),
                             "q75": grouped.quantile(0.75), "low": grouped.min(),
                             "high": grouped.max()}).reset_index()

    def run(self, seed: int) -> GanRun:
        """The seed's run as an ordinary one, with its history, to look at or continue on its own
        (a copy: the sweep trains on unchanged)."""
        return self.run_at(self.seeds.index(seed))

    def run_at(self, i: int) -> GanRun:
        """The i-th run (in the sweep's order) as an ordinary one: see run()."""
        return opened(self.runs[i].config, self.checkpoint_at(i), self.points)

    def checkpoint_at(self, i: int):
        """The i-th run's checkpoint, with its state as trained so far."""
        group = next(g for g, part in enumerate(self.groups) if part.start <= i < part.stop)
        with self.lock:
            state = tf.nest.map_structure(lambda t: t[i - self.groups[group].start], self.states[group])
        source = self.runs[i]
        if not source.divergences:  # a diverged seed's run is back at its last good check-in already
            source.state = state
        return source.checkpoint()


def opened(config: Config, checkpoint, points: np.ndarray | None = None) -> GanRun:
    """A swept run's checkpoint as an ordinary run; its latest check-in gets the views a sweep skips
    (the heat map and the arrows)."""
    run = GanRun(config, points=points)
    run.restore(checkpoint)
    if run.history:
        last = run.history[-1]
        last.decision = metrics.decision_grid(run.p_real_at, *run.target.bounds(), n=DECISION_GRID)
        last.push = run.push(last.fake[:PUSHED])
    return run


def what_went_wrong(history: pd.DataFrame, divergences, loss: str) -> str:
    """The failure alarms that last at a run's latest check-in, in their words."""
    return ", ".join(dict.fromkeys(TITLES[a.kind] for a in alarms(history, divergences, loss) if a.active))


def sweep_step_length(run_length: int, seeds: int) -> int:
    """Iterations per compiled sweep step: a power of two, at most the single run's, whose
    estimated time is about 2 × STEP_SECONDS (a Stop waits for at most one step)."""
    length = min(run_length, MAX_STEP_LENGTH)
    while length > 1 and length * seeds * SEED_ITERATION_S > 2 * STEP_SECONDS:
        length //= 2
    return length


def _stack(states: list) -> tuple:
    return tf.nest.map_structure(lambda *each: tf.stack(each), *states)


def _unstack(states) -> list:
    """The stacked states apart again: one state per seed, each tensor its seed's slice."""
    parts = [tf.unstack(t) for t in tf.nest.flatten(states)]
    return [tf.nest.pack_sequence_as(states, [part[j] for part in parts]) for j in range(len(parts[0]))]
