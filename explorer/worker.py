"""Training off the script thread: a Worker per run, and the server's training slots.

A worker is a thread that calls `run.advance()` (one short compiled step) until the run is
done, stopped, or its visitor has gone; the run appends its check-ins under its own lock, and
the page only reads `run.view()`. At most `SLOTS.size` steps run at once across the server
(one slot per core by default); a step takes a slot and gives it back, first come first
served, so runs that share the server take turns instead of one waiting for another to end.

No Streamlit here: a worker never calls st.* and holds nothing of Streamlit's (its visitor
is any object with `absent_for()`, seconds since the visitor's browser was last connected).
"""
from __future__ import annotations

import atexit
import collections
import os
import threading
import time
import weakref

from . import devices

ABSENT_PAUSE_S = 30.0  # a run whose visitor has had no open tab this long pauses itself
RATE_WINDOW_S = 10.0  # iterations/s is measured over the last steps in this window
FIRST_DRAW_S = 0.5  # after a run's first check-in, its page draws the first charts (their specs built anew)


def default_slots() -> int:
    """GAN_EXPLORER_SLOTS, or one per core."""
    try:
        return max(1, int(os.environ.get("GAN_EXPLORER_SLOTS", "")))
    except ValueError:
        return max(1, os.cpu_count() or 1)


class Slots:
    """At most `size` training steps at once; the others wait in line, first come first served.
    Each slot is a device of its own (devices.py); a step takes the slot it asks for when free
    (a run keeps to the device its step was compiled on), else the first free one."""

    def __init__(self, size: int):
        self.size = size
        self.free = list(range(size))  # the slots no step holds
        self.line: collections.deque = collections.deque()
        self.changed = threading.Condition()

    def acquire(self, ticket, cancelled, prefer: int | None = None) -> int | None:
        """Wait for a slot in turn: its index, or None (and out of the line) once cancelled() says so."""
        with self.changed:
            self.line.append(ticket)
            while True:
                if cancelled():
                    self.line.remove(ticket)
                    self.changed.notify_all()
                    return None
                if self.line[0] is ticket and self.free:
                    break
                self.changed.wait(0.1)
            self.line.popleft()
            index = prefer if prefer in self.free else self.free[0]
            self.free.remove(index)
            self.changed.notify_all()
            return index

    def release(self, index: int) -> None:
        with self.changed:
            self.free.append(index)
            self.free.sort()
            self.changed.notify_all()

    def place(self, ticket) -> int | None:
        """1 for the first in line, None when not waiting."""
        with self.changed:
            for i, waiting in enumerate(self.line):
                if waiting is ticket:
                    return i + 1
        return None


SLOTS = Slots(default_slots())
_LIVE: "weakref.WeakSet[Worker]" = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    """At exit, stop the workers still training: a daemon thread inside a TensorFlow step when the
    process ends aborts it (exit status 134)."""
    for worker in list(_LIVE):
        worker.stop(10.0)


def starting() -> bool:
    """Whether a visitor waits for a run's first chart: a worker's run is before its first check-in, or
    came to it less than FIRST_DRAW_S ago (its page is drawing it)."""
    now = time.monotonic()
    return any(worker.active and (not worker.run.history or now - worker.first_check_in_at < FIRST_DRAW_S)
               for worker in list(_LIVE))


class Present:
    """A visitor who is always there (a notebook, a test)."""

    def absent_for(self) -> float:
        return 0.0


class Alone:
    """A run's slot kept by its worker alone (a notebook's, a test's worker)."""

    slot: int | None = None


class Worker:
    """Trains one run in a thread until it is done, `check_ins` more check-ins are in (Step), a
    Stop, or its visitor has been away for ABSENT_PAUSE_S.

    state: "queued" (waiting for its first slot), "training", then "stopped", "paused" (the
    visitor left), "done" or "failed" (message says why). Whether the first step is still
    compiling is the run's to say (`run.compile_seconds`).
    """

    def __init__(self, run, visitor=None, slots: Slots | None = None, check_ins: int | None = None, saver=None,
                 owner=None):
        self.run, self.visitor, self.slots = run, visitor or Present(), slots or SLOTS
        self.check_ins = check_ins
        # where the run's slot is kept between its workers (explorer.app_run.AppRun: the slot its compiled
        # step is on, which its next step asks for); without one, this worker alone keeps it
        self.owner = owner if owner is not None else Alone()
        # saves the run after its check-ins and once training ends (gan_core.keeping.store.Autosaver), in this thread:
        # a run is saved between its steps, never while one changes it
        self.saver = saver
        self.state, self.message = "queued", ""
        self.first_check_in_at = float("-inf")  # (time.monotonic) when this worker brought its run's first check-in
        self._stop = threading.Event()
        self._marks: collections.deque = collections.deque()  # (time, iteration) after each steady step
        self.thread = threading.Thread(target=self._work, name="gan-explorer-worker", daemon=True)
        _LIVE.add(self)
        self.thread.start()

    # ---- what the page asks --------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self.thread.is_alive()

    def stop(self, wait: float = 2.0) -> bool:
        """Ask the worker to stop after its current step; True when it has stopped within `wait` s."""
        self._stop.set()
        self.thread.join(wait)
        return not self.thread.is_alive()

    def place(self) -> int | None:
        """Place in the line for a slot, while waiting for one."""
        return self.slots.place(self)

    def rate(self) -> float | None:
        """Iterations per second over the last RATE_WINDOW_S of steps, compilation excluded
        (waits for a slot included: the rate this visitor really gets)."""
        marks = list(self._marks)
        if len(marks) < 2 or marks[-1][0] <= marks[0][0]:
            return None
        return (marks[-1][1] - marks[0][1]) / (marks[-1][0] - marks[0][0])

    def seconds_left(self) -> float | None:
        rate = self.rate()
        return (self.run.n_epochs - self.run.iteration) / rate if rate else None

    # ---- the thread ------------------------------------------------------------------------
    def _cancelled(self) -> bool:
        """Whether to stop before the next step, and why (the state says)."""
        if self._stop.is_set():
            self.state = "stopped"
        elif self.visitor.absent_for() > ABSENT_PAUSE_S:
            self.state = "paused"
            self.message = f"Paused: no open tab for {ABSENT_PAUSE_S:.0f} s. Everything so far is kept."
        return self.state in ("stopped", "paused")

    def _work(self) -> None:
        try:
            self._train()
        finally:
            if not self.run.done:  # stopped, paused, a Step's check-in or failed: what it has out ends too
                self.run.pause()  # (a grid's tasks on Ray)
            if self.saver is not None:  # a store that cannot be written keeps its error; training is over anyway
                self.saver.stopped()

    def _train(self) -> None:
        run = self.run
        target = None if self.check_ins is None else len(run.history) + self.check_ins
        seen = len(run.history)
        first = not run.history  # this worker brings the run's first check-in
        try:
            while not run.done and (target is None or len(run.history) < target):
                index = self.slots.acquire(self, self._cancelled, prefer=self.owner.slot)
                if index is None:
                    return
                try:
                    self.state = "training"
                    with devices.slot(index):
                        run.advance()
                    self.owner.slot = index  # its compiled step is on that device now
                finally:
                    self.slots.release(index)
                self._mark(run.iteration)
                if first and run.history:
                    first, self.first_check_in_at = False, time.monotonic()
                if self.saver is not None and len(run.history) != seen:
                    seen = len(run.history)
                    self.saver.check_in()
            self.state = "done" if run.done else "stopped"
        except Exception as err:  # the run keeps every check-in before the failure
            # an error that explains itself to the visitor (a divergence) is shown as it is
            text = str(err) if getattr(err, "explained", False) else f"Training failed: {type(err).__name__}: {err}"
            self.state, self.message = "failed", text[:500]

    def _mark(self, iteration: int) -> None:
        now = time.monotonic()
        self._marks.append((now, iteration))
        while len(self._marks) > 2 and now - self._marks[0][0] > RATE_WINDOW_S:
            self._marks.popleft()
