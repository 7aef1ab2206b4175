"""Trained examples (made by scripts/make_examples.py): a run bundle per built-in 2-D point set and
1-D samples set, which the GAN page can open to look at (or continue) before training anything."""
from __future__ import annotations

import pathlib

import streamlit as st

from . import session

FOLDER = pathlib.Path(__file__).resolve().parents[1] / "gan_core" / "assets" / "examples"
# iterations an example trains: enough for its set at the page's default settings
ITERATIONS = {"ring8": 10_000, "grid25": 20_000, "moons": 10_000, "spiral": 20_000, "bimodal1d": 5_000,
              "normal1d": 5_000}


@st.cache_resource(show_spinner=False)
def _bytes(target: str) -> bytes:
    return (FOLDER / f"{target}.zip").read_bytes()


def _open(page, target: str) -> None:
    from gan_core.keeping.bundle import from_bundle

    from . import session_runs
    from .app_run import AppRun
    from .controls import STOP_WAIT_S

    app_run = AppRun(from_bundle(_bytes(target)))
    session_runs.name_of(app_run, page.name)
    session_runs.hand_over(page, app_run, STOP_WAIT_S)
    session.OPEN_GAN_PAGE.pop()  # it opens here, on the page clicked
    page.parts = None


def button(page, target: str) -> None:
    """A button that opens the trained example of `target` as the page's run (when there is one)."""
    if not (FOLDER / f"{target}.zip").exists():
        return
    st.button(f"Open a trained example ({ITERATIONS[target]:,} iterations)", key=page.button("example"),
              on_click=_open, args=(page, target),
              help="A run of these default settings trained by the project (scripts/make_examples.py): look at it, "
                   "replay it, compare it, or continue it. Your page's run, if any, is kept for Compare.")
