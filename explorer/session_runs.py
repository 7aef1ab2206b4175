"""The session's runs, for the Compare page: the GAN pages' current runs, every run they replaced
(a new Train keeps the old one here), and uploaded bundles. At most MAX_KEPT are kept besides
the pages' current ones, the oldest dropped first; a kept run keeps every check-in's numbers but
the samples of at most KEPT_PAYLOADS check-ins (a long MNIST run's grids and snapshots would
otherwise hold tens of MB each)."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from gan_core.training.run import thin_payloads

from . import session
from .app_run import AppRun
from .experiments import GAN_STATES

MAX_KEPT = 8
KEPT_PAYLOADS = 20


@dataclass
class Kept:
    name: str  # "1-D run 3", or an uploaded bundle's file name
    app_run: AppRun
    page: str  # the GAN page (state name) that can continue it

    @property
    def run(self):
        """The engine's run."""
        return self.app_run.run


def _store() -> dict:
    return session.KEPT_RUNS.setdefault()


def _name(page: str) -> str:
    store = _store()
    store["count"] += 1
    return f"{GAN_STATES[page].short} run {store['count']}"


def name_of(app_run: AppRun, page: str) -> str:
    """The run's name, given on first sight (a Train names its run at once: runs are numbered in
    the order they started). Kept on the AppRun, so that a name never holds a run alive."""
    if app_run.display_name is None:
        app_run.display_name = _name(page)
    return app_run.display_name


def keep(app_run: AppRun | None, page: str, name: str | None = None) -> None:
    """Keep a run that leaves its page (or an uploaded one), thinned, the newest MAX_KEPT."""
    if app_run is None or not app_run.run.history:
        return
    store = _store()
    if any(k.app_run is app_run for k in store["runs"]):
        return
    with app_run.run.lock:
        thin_payloads(app_run.run.history, KEPT_PAYLOADS)
    if name:  # an upload's file name, made unique among the runs here
        taken = {k.name for k in all_runs()}
        app_run.display_name = next(n for n in (name, *(f"{name} ({i})" for i in range(2, 100))) if n not in taken)
    store["runs"].append(Kept(name_of(app_run, page), app_run, page))
    del store["runs"][:-MAX_KEPT]


def hand_over(page, app_run: AppRun, stop_wait: float) -> None:
    """`app_run` becomes the GAN page's (a sweep's seed, a compared or uploaded run): the page's own
    run stops and is kept here, and the page opens it next (`open_page`)."""
    if page.app_run is not app_run:
        if page.app_run is not None:
            page.app_run.let_go(stop_wait)
        keep(page.app_run, page.name)
        page.app_run = app_run
    session.OPEN_GAN_PAGE.set(page.name)


def open_page() -> None:
    """Switch to the GAN page a hand_over named, if any (after the callback, in the script)."""
    if name := session.OPEN_GAN_PAGE.pop():
        st.switch_page(session.GAN_PAGES.get()[name])


def all_runs() -> list[Kept]:
    """The GAN pages' current runs with a check-in, then the kept ones, newest first."""
    out = []
    for page in GAN_STATES:
        state = session.PAGE(page).get()
        if state is not None and state.run is not None and state.run.history:
            out.append(Kept(name_of(state.app_run, page), state.app_run, page))
    current = {id(k.app_run) for k in out}
    out += [k for k in reversed(_store()["runs"]) if id(k.app_run) not in current]
    return out
