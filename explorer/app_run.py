"""A visitor's run as the app holds it: the engine's run (gan_core: a GanRun, an ImageGanRun, a lab's
discriminator run, a Sweep, a Grid) and what the app adds to it, in one place: the worker that trains
it, the device slot its compiled step is on, its name on the Compare page, and its place in the run
store (its id, the edit key that lets this visitor train it, why it is not being saved, whether it
trains elsewhere and is followed). The engine's
run carries nothing of the app's: a page, Compare and the run store hand this object on.

No Streamlit here (a worker's thread writes `slot`)."""
from __future__ import annotations

from dataclasses import dataclass

from .worker import Worker


@dataclass(eq=False)  # one object per run: compared by identity
class AppRun:
    run: object  # the engine's run
    worker: Worker | None = None  # the explorer.worker.Worker of the latest Train/Step/Resume
    slot: int | None = None  # the training slot (device) its compiled step is on: its next worker asks for it
    display_name: str | None = None  # "1-D run 3", or an uploaded bundle's file name (Compare)
    store_id: str | None = None  # its id in the run store (explorer/stored_runs.py), once saved or opened
    edit_key: str | None = None  # the key that lets this visitor train it; None: someone else's, read-only
    store_error: str | None = None  # why it is not being saved, when the store cannot be written
    # while another writer (tab, process) trains it: the store's `updated` time of the snapshot shown (the
    # page re-reads newer ones, explorer/stored_runs.py's refresh); None when this run is not followed
    following: float | None = None

    @property
    def training(self) -> bool:
        return self.worker is not None and self.worker.active

    def start(self, visitor, check_ins: int | None = None, saver=None) -> Worker:
        """A worker that trains the run (to the end, or `check_ins` more check-ins), on its slot when free."""
        self.worker = Worker(self.run, visitor, check_ins=check_ins, saver=saver, owner=self)
        return self.worker

    def let_go(self, wait: float) -> None:
        """The run leaves its page (a new run, another run handed over, Reset): its worker is stopped
        (waiting up to `wait` s for its step) and forgotten."""
        if self.worker is not None:
            self.worker.stop(wait)
        self.worker = None
