"""The live loop's pacing (ui.train_live): every chunk is trained, redraws are spaced out, the
last state is always drawn, and no redraw is sent while the browser has not taken the last one."""
import asyncio

import pytest

import ui


class FakeRun:
    """Chunks without training: enough for the loop, which only asks done/train_chunk."""

    def __init__(self, chunks):
        self.chunks, self.iteration = chunks, 0

    @property
    def done(self):
        return self.iteration >= self.chunks

    def train_chunk(self):
        self.iteration += 1


def _drawn(chunks=10, **loop):
    run, drawn = FakeRun(chunks), []
    ui.train_live("fake", run, lambda r: drawn.append(r.iteration), **loop)
    return run, drawn


def test_every_chunk_is_drawn_when_redraws_are_free(monkeypatch):
    monkeypatch.setattr(ui, "DRAW_INTERVAL_S", 0.0)
    run, drawn = _drawn()
    assert run.done and drawn == list(range(1, 11))


def test_fast_chunks_share_redraws_and_the_end_is_always_drawn(monkeypatch):
    monkeypatch.setattr(ui, "DRAW_INTERVAL_S", 3600.0)
    run, drawn = _drawn()
    assert run.done and drawn == [1, 10]  # the first check-in at once, then the last


def test_no_redraw_while_the_browser_is_behind(monkeypatch):
    monkeypatch.setattr(ui, "DRAW_INTERVAL_S", 0.0)
    monkeypatch.setattr(ui, "browser_behind", lambda: True)
    run, drawn = _drawn()
    assert run.done and drawn == [10]


def test_a_newer_script_run_ends_the_loop_at_the_next_chunk(monkeypatch):
    import streamlit as st

    monkeypatch.setattr(ui, "DRAW_INTERVAL_S", 3600.0)  # no redraw, so Streamlit could not stop it

    class Clicked(FakeRun):
        def train_chunk(self):
            super().train_chunk()
            if self.iteration == 3:  # what ui.apply_action does when the page reruns
                st.session_state["fake_loop"] = None

    run, drawn = Clicked(10), []
    ui.train_live("fake", run, lambda r: drawn.append(r.iteration))
    assert run.iteration == 3 and drawn == [1]  # the newer run draws; this one stops quietly


def test_step_trains_and_draws_one_chunk(monkeypatch):
    monkeypatch.setattr(ui, "DRAW_INTERVAL_S", 3600.0)
    run, drawn = FakeRun(10), []
    ui.train_live("fake", run, lambda r: drawn.append(r.iteration), chunks=1)
    assert run.iteration == 1 and drawn == [1]


def test_plotted_history_is_thinned_evenly_and_keeps_the_newest():
    import pandas as pd

    history = pd.DataFrame({"iteration": range(200, 300_001, 200)})  # 1,500 check-ins
    plotted = ui.plotted(history)
    assert len(plotted) <= 500 and plotted.iteration.iloc[-1] == 300_000
    assert plotted.iteration.diff().dropna().nunique() == 1  # evenly spaced
    assert ui.plotted(history.head(40)).equals(history.head(40))


def test_the_send_queue_that_browser_behind_reads_exists_in_this_streamlit():
    """browser_behind reads Streamlit's private per-client send queue; if an upgrade renames it,
    the pacing silently falls back to the time limit alone, so fail here instead."""
    import inspect

    from streamlit.runtime import Runtime
    from streamlit.runtime.session_manager import SessionInfo
    from streamlit.web.server.starlette.starlette_websocket import StarletteSessionClient

    assert "self._session_mgr" in inspect.getsource(Runtime.__init__)
    assert "client" in SessionInfo.__dataclass_fields__

    class FakeSocket:
        headers, cookies, client = {}, {}, None

    async def queue_of_a_client():
        client = StarletteSessionClient(FakeSocket())
        try:
            return client._send_queue.qsize(), client._send_queue.maxsize
        finally:
            await client.aclose()

    size, limit = asyncio.run(queue_of_a_client())
    assert size == 0 and limit == 500


def test_browser_behind_is_false_without_a_server():
    assert ui.browser_behind() is False
