"""One small state object per page and visitor, kept in st.session_state: its run, the worker
that trains it, and the button clicked before this script run. Widget keys are built here."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st


@dataclass
class PageState:
    name: str  # "gan", "lab" (1-D) or "mgan", "mlab" (MNIST): prefixes its widget keys
    run: object | None = None
    worker: object | None = None  # the explorer.worker.Worker of the latest Train/Step/Resume
    action: str | None = None  # the button clicked before this script run, taken once

    def key(self, field: str) -> str:
        """The session_state key of this page's widget for `field`."""
        return f"w_{self.name}_{field}"

    @property
    def training(self) -> bool:
        return self.worker is not None and self.worker.active

    def take_action(self) -> str | None:
        action, self.action = self.action, None
        return action


def page_state(name: str) -> PageState:
    return st.session_state.setdefault(f"page_{name}", PageState(name))


def widget_key(key: str, default) -> str:
    """A widget's key, its default put in session_state first: a widget given both a value and
    a session_state value (kept by keep_widget_state) makes Streamlit warn."""
    st.session_state.setdefault(key, default)
    return key


def keep_widget_state() -> None:
    """Widgets of a page that is not shown lose their values; re-assigning keeps them."""
    for key in list(st.session_state.keys()):
        if str(key).startswith("w_"):
            st.session_state[key] = st.session_state[key]
