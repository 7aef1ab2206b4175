"""The live view: two fragments that draw the run's current state while a worker trains.
The browser reruns the progress line every LIVE_INTERVAL_S (Streamlit's run_every), so it is
never more than an interval behind the training, and the charts, metrics and table every
CHART_INTERVAL_S. When the run ends, the progress fragment reruns the whole page (buttons,
replay, downloads) and both timers stop.

Charts are the costly part on both ends. Redrawing four Vega charts every 0.4 s took Chromium
about a core of this 2-core machine (14.1 CPU-s during a 14.5 s run of 100,000 iterations),
and the server about 0.1 s of CPU per redraw (frames, Arrow, protobuf), which on one core is
taken from the training."""
from __future__ import annotations

import streamlit as st

from .text import literal
from .lifecycle import visitor
from .worker import SLOTS

LIVE_INTERVAL_S = 0.4
CHART_INTERVAL_S = 1.0
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
    if rate is None:
        return f"{done} · measuring speed…"
    return f"{done} · {rate:,.0f} iterations/s · {left:,.0f} s left"


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
    keeps an evenly spread few hundred: gan_core.training.thin_payloads); the chosen evaluation."""
    from gan_core.training import has_payload

    stored = [e for e in view.history if has_payload(e)]
    if len(stored) < 2:
        return view.history[-1]
    iterations = [e.iteration for e in stored]
    chosen = st.select_slider(f"Replay the {what} at check-in (iteration)", options=iterations,
                              value=iterations[-1], key=f"{page.name}_replay_{id(page.run)}")
    return stored[iterations.index(chosen)]


def _on_its_own() -> bool:
    """Whether this fragment runs alone (a fragment rerun), not inside the page's full run.

    When a run ends, one fragment reruns the page, but the browser's timers may already have
    asked for more fragment reruns: the server queues them behind the full run and runs them
    after it. Seen on a loaded machine (4 visitors, tests/test_browser.py): after such leftover
    runs the browser dropped everything the full run drew below the fragments (the composite,
    the downloads), in about one run of two. A fragment that runs alone while its run is not
    training reruns the page instead, so the page's last script run is a full one. (A replay
    slider inside a fragment therefore reruns the page too.)"""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(ctx and ctx.fragment_ids_this_run)


def watch(page, draw, what: str = "samples") -> None:
    """Draw the page's run (`draw(view, evaluation, training)`) in fragments that follow a
    training worker; afterwards, with a replay slider over its check-ins."""
    worker, training = page.worker, page.training

    @st.fragment(run_every=LIVE_INTERVAL_S if training else None)
    def progress_view():
        if not training and _on_its_own():  # a timer tick left over from the training: see _on_its_own
            st.rerun()
        visitor()
        view = page.run.view()
        st.progress(min(view.iteration / view.n_epochs, 1.0), text=status(page, view))
        if training and not worker.active:  # it just ended: redraw the page, stop the timers
            st.rerun()

    @st.fragment(run_every=CHART_INTERVAL_S if training else None)
    def charts_view():
        # whichever fragment sees the end first redraws the page; a leftover tick does too
        if training and not worker.active or not training and _on_its_own():
            st.rerun()
        view = page.run.view()
        if view.history:
            draw(view, view.history[-1] if training else replay_choice(page, view, what), training)
        elif training:
            st.info(f"The first check-in comes after {page.run.n_eval:,} iterations.")
        if not training:
            run_caption(page, view)

    progress_view()
    charts_view()
