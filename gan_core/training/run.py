"""What every run shares, whatever its data (1-D, 2-D, MNIST) and whether a GAN or the
discriminator alone: `ChunkedRun` trains in short compiled steps (steps.Steps), evaluates every
n_eval iterations, keeps the history, checkpoints and restores, goes back to its last good
check-in when a loss diverges, and gives a consistent `RunView` to a page while a thread trains.
The plane runs (plane.py) and the image runs (images.py) build on it; a Sweep
(sweep.py) hands its seeds' steps to their runs through `took`.
"""
from __future__ import annotations

import copy
import threading
import time
from dataclasses import dataclass, field

import keras
import numpy as np
import pandas as pd
import tensorflow as tf

from gan_core.networks import adam
from gan_core.training import steps
from gan_core.training.steps import Steps


@dataclass
class RunView:
    """What a page draws: a run's progress and check-ins at one moment."""

    iteration: int
    n_epochs: int
    seconds: float
    compile_seconds: float | None
    history: list
    divergences: list = field(default_factory=list)  # (iteration returned to, what happened), as history's

    @property
    def done(self) -> bool:
        return self.iteration >= self.n_epochs

    def history_frame(self) -> pd.DataFrame:
        return pd.DataFrame([e.row() for e in self.history])


@dataclass
class Checkpoint:
    """All a run needs to continue exactly where it was; save, copy or restore it."""

    state: steps.RunState  # as NumPy arrays
    eval_rng: dict  # the check-ins' NumPy generator state
    fields: dict  # iteration, seconds, history, losses summed since the last check-in, ...


class Diverged(FloatingPointError):
    """A loss became NaN or infinite; the run is back at its last good check-in."""

    explained = True  # its message says what happened and what to do: a page shows it as it is


def next_check_in(iteration: int, n_eval: int, n_epochs: int) -> int:
    """The iteration of the check-in after `iteration`: every n_eval, and at the end."""
    return min((iteration // n_eval + 1) * n_eval, n_epochs)


MAX_STORED = 200  # check-ins of a run whose samples and grids are kept for the replay


def has_payload(evaluation) -> bool:
    return bool(evaluation.payload) and getattr(evaluation, evaluation.payload[0]) is not None


def thin_payloads(history: list, most: int = MAX_STORED) -> None:
    """Keep the arrays (samples, grids, snapshots) of at most about `most` check-ins, evenly
    spread: those whose index is a multiple of a power-of-two stride, and the latest. Every
    check-in keeps its numbers (its row). Without this a 1,000,000-iteration run at n_eval 200
    would hold 5,000 point clouds and heat maps. The stride only grows, so what is dropped is
    never wanted back."""
    stride = 1
    while -(-len(history) // stride) > most:
        stride *= 2
    for index, evaluation in enumerate(history[:-1]):
        if index % stride and has_payload(evaluation):
            for name in evaluation.payload:
                setattr(evaluation, name, None)


class ChunkedRun:
    """What every run shares (1-D and MNIST, GAN and discriminator alone): train in short
    compiled steps, time them, evaluate every n_eval iterations, keep the history.

    A subclass sets config, n_epochs, n_eval, eval_rng, history and step_length, calls
    `_start(steps, state, data, models)`, and defines evaluate(logs) -> an evaluation with a
    row() for the history frame.

    One thread trains (`advance`); others may read at the same time: `state`, `iteration`,
    `seconds` and `history` change together under `lock`, and `view()` copies them consistently.
    """

    iteration = 0
    seconds = 0.0  # time inside compiled steps and evaluations, compilation included
    compile_seconds = None  # the first step's time (it compiles the loop if no run did); None until it ran
    step_length = 1
    saved_fields = ("iteration", "seconds", "compile_seconds", "history", "_sums", "changes", "divergences")

    def _start(self, shared: Steps, state: steps.RunState, data: tuple, models: dict) -> None:
        self.steps, self.state, self.data = shared, state, data
        # "d"/"g" -> this run's Keras model (or a function that builds it, called when first asked for),
        # given the state's weights when asked for
        self._models = models
        self._loaded: dict = {}
        self.lock = threading.Lock()
        self._sums: dict[str, float] = {}  # per-step losses summed since the last check-in
        self.changes: list[tuple[int, str]] = []  # (iteration, what changed): learning rates set while paused
        self.divergences: list[tuple[int, str]] = []  # (iteration returned to, what happened)
        self._good = self._mark_good()

    def _mark_good(self) -> tuple:
        """Where a divergence returns to: the state (immutable tensors: no copy) at this check-in."""
        return self.state, self.iteration, copy.deepcopy(self.eval_rng.bit_generator.state)

    def learning_rates(self) -> dict[str, float]:
        nets = {"d_lr": self.state.d, "g_lr": self.state.g}
        return {name: float(net.lr) for name, net in nets.items() if net != ()}

    def set_learning_rates(self, **rates: float) -> str:
        """Change the learning rates (d_lr, g_lr) of a run that is not training, from its next step
        on; the change is recorded in `changes` (the history marks it). Returns what changed."""
        old = self.learning_rates()
        unknown = set(rates) - set(old)
        if unknown:
            raise ValueError(f"This run has no {', '.join(sorted(unknown))}; it has {', '.join(old)}.")
        for name, value in rates.items():
            if not (isinstance(value, (int, float)) and 0 < value <= 1):
                raise ValueError(f"{name} must be a number in (0, 1] (got {value!r}).")
        changed = {name: float(value) for name, value in rates.items() if abs(float(value) - old[name]) > 1e-12}
        if not changed:
            return ""
        with self.lock:
            nets = {"d_lr": "d", "g_lr": "g"}
            state = self.state
            for name, value in changed.items():
                net = getattr(state, nets[name])
                state = state._replace(**{nets[name]: net._replace(lr=tf.constant(value, tf.float32))})
            self.state = state
            text = ", ".join(f"{name} {old[name]:g} → {value:g}" for name, value in changed.items())
            self.changes.append((self.iteration, text))
            self._good = self._mark_good()
        return text

    @property
    def done(self) -> bool:
        return self.iteration >= self.n_epochs

    @property
    def next_check_in(self) -> int:
        return next_check_in(self.iteration, self.n_eval, self.n_epochs)

    def record_steps(self, logs: dict[str, np.ndarray]) -> None:
        """Hook for the per-step logs of a step (MNIST keeps every batch's losses)."""

    def advance(self, most: int | None = None):
        """Train one step: at most step_length (or `most`) iterations, never past the next check-in.
        At a check-in, evaluate and append to the history; return the Evaluation, else None."""
        check_in = self.next_check_in
        n = min(self.step_length, check_in - self.iteration, most or self.step_length)
        if n <= 0:
            raise RuntimeError(f"This run is finished: {self.iteration:,} of {self.n_epochs:,} iterations.")
        start = time.perf_counter()
        state, logs = self.steps.train(self.state, self.data, n)
        return self.took(state, logs, n, start)

    def took(self, state, logs: dict, n: int, start: float):
        """Take a compiled step's result (n iterations begun at perf_counter() `start`): the new
        state and its logs; at a check-in, evaluate and append. A sweep hands its seeds' steps
        to their runs here."""
        check_in = self.next_check_in
        diverged = [name for name, values in logs.items() if not np.all(np.isfinite(values))]
        if diverged:
            self._roll_back(diverged, n)
        for name, values in logs.items():
            self._sums[name] = self._sums.get(name, 0.0) + float(np.sum(values))
        with self.lock:
            self.state = state
            self.record_steps(logs)
            self.iteration += n
            if self.compile_seconds is None:
                self.compile_seconds = time.perf_counter() - start
        evaluation = None
        if self.iteration == check_in:
            since = self.iteration - (self.history[-1].iteration if self.history else 0)
            evaluation = self.evaluate({name: total / since for name, total in self._sums.items()})
            self._sums = {}
        with self.lock:
            self.seconds += time.perf_counter() - start
            if evaluation is not None:
                evaluation.seconds = self.seconds
                evaluation.rates = self.learning_rates()
                self.history.append(evaluation)
                thin_payloads(self.history)
                self._good = self._mark_good()
        return evaluation

    def _roll_back(self, names: list[str], n: int) -> None:
        """A loss became NaN or infinite: back to the last good check-in (its weights, iteration and
        random state), keeping every check-in, and say so."""
        state, iteration, rng = self._good
        with self.lock:
            start = self.iteration
            self.state, self.iteration, self._sums = state, iteration, {}
            self.eval_rng.bit_generator.state = copy.deepcopy(rng)
        message = (f"{' and '.join(names)} became NaN or infinite between iterations {start:,} and "
                   f"{start + n:,}. The run went back to iteration {iteration:,}, its last good check-in; "
                   "everything before is kept.")
        with self.lock:
            self.divergences.append((iteration, message))
        raise Diverged(f"Training diverged: {message} Lower the learning rates (set them on this paused run) "
                       "or try another seed.")

    def train_chunk(self):
        """Train to the next check-in (n_eval iterations, or what is left) and return its evaluation."""
        while (evaluation := self.advance()) is None:
            pass
        return evaluation

    def pause(self) -> None:
        """Stopped between steps: a run holds nothing outside this process to let go of."""

    def train(self):
        """Yield an evaluation every n_eval iterations until n_epochs are done."""
        while not self.done:
            yield self.train_chunk()

    def view(self) -> "RunView":
        """A consistent copy of the progress, safe to read while another thread trains."""
        with self.lock:
            history = list(self.history)
            if history:  # the worker may drop the latest's arrays at its next check-in (thin_payloads)
                history[-1] = copy.copy(history[-1])
            return RunView(self.iteration, self.n_epochs, self.seconds, self.compile_seconds, history,
                           list(self.divergences))

    def history_frame(self) -> pd.DataFrame:
        """One row per check-in (iteration, acc_real, acc_fake, losses, metrics)."""
        return self.view().history_frame()

    def checkpoint(self) -> Checkpoint:
        """A copy of everything the run needs to continue: restore() it into a run of the same config."""
        with self.lock:
            fields = {name: copy.copy(getattr(self, name)) for name in self.saved_fields}
            fields["history"] = [copy.copy(e) for e in self.history]  # thinning the run's leaves these be
            return Checkpoint(adam.to_numpy(self.state), copy.deepcopy(self.eval_rng.bit_generator.state), fields)

    def restore(self, checkpoint: Checkpoint) -> None:
        """Continue from a checkpoint, of this run or of another with the same networks."""
        def shapes(state):
            return tf.nest.map_structure(lambda t: (tf.as_dtype(t.dtype).name, tuple(t.shape)), state)

        try:
            same = shapes(checkpoint.state) == shapes(self.state)
        except (TypeError, ValueError):
            same = False
        if not same:
            raise ValueError("That checkpoint is of other networks: restore it into a run with the same "
                             "layers, batch size and latent size.")
        state = adam.from_numpy(checkpoint.state)
        with self.lock:
            self.state = state
            self.eval_rng.bit_generator.state = copy.deepcopy(checkpoint.eval_rng)
            for name, value in checkpoint.fields.items():
                setattr(self, name, copy.copy(value))
            self.history = [copy.copy(e) for e in checkpoint.fields["history"]]
            self._good = self._mark_good()

    def _model(self, network: str) -> keras.Model:
        """This run's Keras model of "d", "g" or "g_ema" (the generator's moving average), with the weights
        it has now."""
        if network not in self._models:
            raise AttributeError(f"This run has no {'generator' if network == 'g' else network}.")
        if not isinstance(self._models[network], keras.Model):
            self._models[network] = self._models[network]()
        model = self._models[network]
        held = self.state.ema if network == "g_ema" else getattr(self.state, network)
        if self._loaded.get(network) is not held:
            adam.load_into(model, steps.averaged(self.state) if network == "g_ema" else held)
            self._loaded[network] = held
        return model

    @property
    def discriminator(self) -> keras.Model:
        return self._model("d")

    @property
    def generator(self) -> keras.Model:
        """The generator as trained (with ema on, its moving average is ema_generator)."""
        return self._model("g")

    @property
    def ema_generator(self) -> keras.Model | None:
        """The generator's moving average (the ema setting), what the check-ins judge; None when off."""
        return self._model("g_ema") if "g_ema" in self._models else None

    @property
    def shown_generator(self) -> keras.Model:
        """The generator the run shows and saves: its moving average with ema on, else the generator."""
        return self.ema_generator or self.generator

    def discriminate(self, samples: np.ndarray) -> np.ndarray:
        """P(real) for each sample."""
        return self.steps.predict("d", self.state.d, samples).reshape(-1)
