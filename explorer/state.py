"""One small state object per page and visitor, kept in st.session_state: its run (an AppRun: the
engine's run, the worker that trains it, what the app adds), and the button clicked before this
script run. Widget keys are built here."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

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

    def key(self, field: str) -> str:
        """The session_state key of this page's widget for `field`."""
        return f"w_{self.name}_{field}"

    @property
    def training(self) -> bool:
        return self.app_run is not None and self.app_run.training

    def take_action(self) -> str | None:
        action, self.action = self.action, None
        return action


def page_state(name: str) -> PageState:
    return st.session_state.setdefault(f"page_{name}", PageState(name))


def kept(key: str, default) -> dict:
    """A widget's key and options so that its value lives for the whole session, across pages
    (Streamlit's persist_state="session"; re-assigning session_state at the top of each run
    lost the values of a page left while its run trained). The default goes into session_state
    first: a link or a preset may have put a value there already."""
    st.session_state.setdefault(key, default)
    return {"key": key, "persist_state": "session"}
