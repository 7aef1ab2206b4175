"""The live view: two fragments that draw the run's current state while a worker trains.
The browser reruns the progress line every LIVE_INTERVAL_S (Streamlit's run_every), so it is
never more than an interval behind the training, and the charts, metrics and table every
CHART_INTERVAL_S. When the run ends, the progress fragment reruns the whole page (buttons,
replay, downloads) and both timers stop.

Charts are the costly part on both ends, and on a visitor's laptop (or this 2-core machine)
Chromium's drawing takes its CPU from the training. Measured with `python bench/app_speed.py
--browser --long 300000` (one 300,000-iteration run, n_eval 200, 25 s): Chromium spent about
0.35 CPU-s per redraw of the charts, metrics and table, and 0.1 CPU-s per progress line. Its CPU
over the run: 6.3 s with the progress line alone, 10.6 s with the charts every 2 s, 13.5 s every
1.5 s, 16.5 s every 1 s; the watched run's wall time against the engine alone: 1.16x, 1.13-1.33x
(6 runs), 1.39x, 1.29-1.30x. So the charts follow every 2 s, the progress line every 0.4 s.
Since each slot trains on a one-thread pool of its own (devices.py), leaving a core to the
browser: 0.96-1.29x over 13 runs, median 1.11x.

A stored run that trains elsewhere (another tab, the command line) is followed instead: one fragment
re-reads it from the store every FOLLOW_INTERVAL_S (explorer/stored_runs.py) and draws that snapshot,
until its training ends."""
from __future__ import annotations

import streamlit as st

from . import session, stored_runs
from .lifecycle import visitor
from .text import literal
from .worker import SLOTS

LIVE_INTERVAL_S = 0.4
FIRST_CHART_INTERVAL_S = 0.1  # the charts' timer until they have drawn the first check-in (a visitor waits for it)
CHART_INTERVAL_S = 2.0
LIVE_TABLE_ROWS = 200  # while training the table shows the newest check-ins; all of them afterwards


def table(container, history, columns, training: bool, height: int = 250, **kwargs) -> None:
    """The check-ins' table, newest first: while training only the newest LIVE_TABLE_ROWS (every
    redraw sends it to the browser), afterwards all of them."""
    rows = history[columns][::-1]
    container.dataframe(rows.head(LIVE_TABLE_ROWS) if training else rows, hide_index=True, width="stretch",
                        height=height, **kwargs)


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def status(page, view) -> str:
    """The progress line: honest about waiting, compiling and speed."""
    done = f"{view.iteration:,} / {view.n_epochs:,} iterations"
    worker = page.worker
    if worker is None or not worker.active:
        return done
    if worker.state == "queued" and (place := worker.place()):
        return (f"{done} · waiting for a free training slot: {ordinal(place)} in line "
                f"({SLOTS.size} runs train at once on this server)")
    if view.compile_seconds is None:
        return f"{done} · compiling the training loop (a few seconds, once per run)…"
    rate, left = worker.rate(), worker.seconds_left()
    saver = worker.saver
    saved = ("" if saver is None else " · runs are not being saved" if saver.error else
             f" · saved at {saver.iteration:,}" if saver.iteration is not None else "")
    if rate is None:
        return f"{done} · measuring speed…{saved}"
    return f"{done} · {rate:,.0f} iterations/s · {left:,.0f} s left{saved}"


def run_caption(page, view) -> None:
    """What happened to the run, once it no longer trains."""
    worker = page.worker
    if worker is not None and worker.state == "failed":
        st.error(literal(worker.message))
    last = view.history[-1].iteration if view.history else 0
    where = f"{view.iteration:,} of {view.n_epochs:,} iterations"
    if view.iteration != last:
        where += f" (last check-in at {last:,})" if last else " (before its first check-in)"
    if worker is not None and worker.state == "paused":
        st.warning(f"Run paused at {where}: its browser tab was closed. Everything so far is kept; "
                   "**Resume** continues it.")
    else:
        st.caption(f"Run {'finished' if view.done else 'stopped'} at {where}; {view.seconds:.1f} s of training.")


def replay_choice(page, view, what: str):
    """After (or between) runs: a slider over the check-ins whose samples are stored (a long run
    keeps an evenly spread few hundred: gan_core.training.run.thin_payloads); the chosen evaluation."""
    from gan_core.training.run import has_payload

    stored = [e for e in view.history if has_payload(e)]
    if len(stored) < 2:
        return view.history[-1]
    iterations = [e.iteration for e in stored]
    chosen = st.select_slider(f"Replay the {what} at check-in (iteration)", options=iterations,
                              value=iterations[-1], key=session.REPLAY(page.name, id(page.run)).name)
    return stored[iterations.index(chosen)]


def watch(page, draw, what: str = "samples") -> None:
    """Draw the page's run (`draw(view, evaluation, training)`): while a worker trains it, in two
    fragments that the browser reruns on timers; afterwards once, with a replay slider over its
    check-ins, and no fragments.

    No fragments once the run has stopped: when a run ends, one fragment reruns the page, but
    the browser's timers may already have asked for more fragment reruns, which the server
    queues behind that full run. Seen on a loaded machine (4 visitors, tests/test_browser.py):
    after such leftover fragment runs Chromium dropped part of what the full run drew (the
    downloads below the view, or the charts), in about one run of two. A leftover request for
    a fragment that the last full run did not register is skipped by Streamlit and draws
    nothing."""
    worker, training = page.worker, page.training
    # Before the run's first check-in a small fragment looks for it every FIRST_CHART_INTERVAL_S and then reruns
    # the page, which draws the charts on their CHART_INTERVAL_S timer: the first chart comes as soon as its
    # check-in is in (the charts' 2-s timer was most of a restarted server's first click to chart), and the
    # browser draws it once (a fragment's first drawing, then the page's rerun to change the timer, drew
    # every chart twice while the visitor waited: bench/results/cache_server.txt).
    waiting = training and not page.run.view().history

    def progress_view():
        visitor()
        view = page.run.view()
        st.progress(min(view.iteration / view.n_epochs, 1.0), text=status(page, view))
        if training and not worker.active:  # it just ended: redraw the page, stop the timers
            st.rerun()

    def waiting_view():
        if page.run.view().history or not worker.active:  # the first check-in is in (or the run ended)
            st.rerun()
        st.info(f"The first check-in comes after {page.run.n_eval:,} iterations.")

    def charts_view():
        if training and not worker.active:  # whichever fragment sees the end first redraws the page
            st.rerun()
        view = page.run.view()
        if view.history:
            draw(view, view.history[-1] if training else replay_choice(page, view, what), training)
        if not training:
            run_caption(page, view)

    def followed_view():  # one snapshot per redraw: the progress line and the charts draw the same one
        visitor()
        still = stored_runs.refresh(page)
        view = page.run.view()
        st.progress(min(view.iteration / view.n_epochs, 1.0),
                    text=f"{status(page, view)} · training elsewhere: re-read every {stored_runs.FOLLOW_INTERVAL_S:g} s")
        if view.history:
            draw(view, view.history[-1], True)
        else:
            st.info(f"The first check-in comes after {page.run.n_eval:,} iterations.")
        if not still:  # that training has ended: redraw the page (buttons, replay, downloads), stop the timer
            st.rerun()

    if training:
        st.fragment(progress_view, run_every=LIVE_INTERVAL_S)()
        if waiting:
            st.fragment(waiting_view, run_every=FIRST_CHART_INTERVAL_S)()
        else:
            st.fragment(charts_view, run_every=CHART_INTERVAL_S)()
    elif stored_runs.following(page.app_run):
        st.fragment(followed_view, run_every=stored_runs.FOLLOW_INTERVAL_S)()
    else:
        progress_view()
        charts_view()
