"""One small state object per page and visitor, kept in the session (explorer/session.py): its run (an
AppRun: the engine's run, the worker that trains it, what the app adds), and the button clicked
before this script run. Its widgets' keys are the session module's, named by the page."""
from __future__ import annotations

from dataclasses import dataclass

from . import session
from .app_run import AppRun


@dataclass
class PageState:
    name: str  # its kind's state name for the page (experiments.py): prefixes its widget keys
    app_run: AppRun | None = None  # the page's run, as the app holds it
    action: str | None = None  # the button clicked before this script run, taken once
    parts: list | None = None  # slow motion: the next iteration's parts being shown (gan_core.teaching.slow_motion)

    @property
    def run(self):
        """The engine's run (None before the first Train)."""
        return None if self.app_run is None else self.app_run.run

    @property
    def worker(self):
        """The explorer.worker.Worker of the run's latest Train/Step/Resume (None: none since it came here)."""
        return None if self.app_run is None else self.app_run.worker

    def widget(self, field: str) -> session.Key:
        """The session key of this page's widget for `field` (its value; `.name` for a widget's key=)."""
        return session.FIELD(self.name, field)

    def button(self, name: str) -> str:
        """The key= of this page's button `name`."""
        return session.BUTTON(self.name, name).name

    @property
    def training(self) -> bool:
        return self.app_run is not None and self.app_run.training

    def take_action(self) -> str | None:
        action, self.action = self.action, None
        return action


def page_state(name: str) -> PageState:
    return session.PAGE(name).setdefault(PageState(name))


def existing(name: str) -> PageState | None:
    """The page state `name` if its page has been opened this session (None before)."""
    return session.PAGE(name).get()
