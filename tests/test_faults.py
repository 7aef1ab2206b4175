"""Faults a public deployment meets, each survived: two Train clicks in a row, Stop while the
first step compiles, Reset during training, a worker that fails inside a step, a full disk while
writing a download. (A page reloaded mid-run: tests/test_browser.py; a failing step at the
worker's level: tests/test_live.py.)"""
import errno
import threading

import pytest

from gan_core import GanRun
from test_app import LONG, TINY, _app, _click, _page, _says, _set, _stop, _until


def _workers():
    return [t for t in threading.enumerate() if t.name == "gan-explorer-worker"]


def test_two_train_clicks_in_a_row_leave_one_run_training():
    at = _app("gan_training")
    _set(at, "gan", LONG)
    _click(at, "gan", "Train", wait=False)
    first = _page(at, "gan")
    first_run, first_worker = first.run, first.worker
    before = first_run.iteration  # the first step may still be compiling, or done on a loaded machine
    _click(at, "gan", "Train", wait=False)
    page = _page(at, "gan")
    try:
        assert page.run is not first_run and page.worker is not first_worker
        first_worker.thread.join(120)  # a Stop waits 3 s; the first step may still be compiling
        # it ended after the step under way at the click: at most one step past what it had done before
        assert first_worker.state == "stopped" and first_run.iteration <= before + 2 * first_run.step_length
        assert page.worker.active
        assert first_worker.thread not in _workers() and page.worker.thread in _workers()
        _until(lambda: page.run.history)  # the new run trains and checks in
        assert not at.exception
    finally:
        _stop(at, "gan")


@pytest.mark.slow
def test_stop_while_the_first_step_compiles_stops_and_resume_continues():
    at = _app("gan_training")
    _set(at, "gan", {**LONG, "latent_dim": 9, "n_batch": 46})  # a shape no other test compiles
    _click(at, "gan", "Train", wait=False)
    page = _page(at, "gan")
    run = page.run
    assert run.compile_seconds is None, "the step was compiled already: pick another shape"
    _click(at, "gan", "Stop", wait=False)  # waits up to 3 s for the step; a compile may take longer
    page.worker.thread.join(120)
    at.run()
    assert not at.exception, at.exception
    assert page.worker.state == "stopped" and run.compile_seconds is not None
    assert run.iteration <= 512  # at most the compiling step itself
    assert _says(at.caption, "Run stopped at")
    _click(at, "gan", "Resume", wait=False)
    try:
        _until(lambda: len(run.history) >= 2)
        assert page.run is run
    finally:
        _stop(at, "gan")


def test_reset_during_training_ends_the_worker_and_forgets_the_run():
    at = _app("gan_training")
    _set(at, "gan", LONG)
    _click(at, "gan", "Train", wait=False)
    worker = _page(at, "gan").worker
    _until(lambda: worker.run.history)
    _click(at, "gan", "Reset", wait=False)
    worker.thread.join(10)
    assert not worker.active and worker.state == "stopped"
    page = _page(at, "gan")
    assert page.run is None and page.worker is None
    assert _says(at.info, "press **Train**") and not at.exception
    assert worker.thread not in _workers()


def test_a_step_that_fails_keeps_the_check_ins_before_it_and_says_what_failed(monkeypatch):
    real_advance = GanRun.advance

    def advance(run):
        if run.iteration >= 40:
            raise FloatingPointError("the loss is nan")
        return real_advance(run)

    monkeypatch.setattr(GanRun, "advance", advance)
    at = _app("gan_training")
    _set(at, "gan", TINY)  # check-ins at 20, 40, 60: the third step fails
    _click(at, "gan", "Train")
    page = _page(at, "gan")
    assert page.worker.state == "failed"
    assert [e.iteration for e in page.run.history] == [20, 40]
    assert _says(at.error, "Training failed: FloatingPointError: the loss is nan")
    assert _says(at.caption, "Run stopped at 40 of 60 iterations")
    assert at.button(key="btn_gan_Resume").disabled is False  # the run can be continued
    assert [b.label for b in at.get("download_button")][:1] == ["History (CSV)"]


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS])
def test_a_full_disk_while_writing_the_generator_keeps_the_run(monkeypatch, error):
    def save_generator(run, path, *args):
        raise OSError(error, "No space left on device" if error == errno.ENOSPC else "Read-only file system")

    monkeypatch.setattr(GanRun, "save_generator", save_generator)
    at = _app("gan_training")
    _set(at, "gan", TINY)
    _click(at, "gan", "Train")
    assert not at.exception, at.exception
    assert _says(at.warning, "The generator file could not be written on the server")
    assert _says(at.warning, "runs are not being saved: No space left on device" if error == errno.ENOSPC else
                 "runs are not being saved: Read-only file system")  # the run store's bundle holds the generator too
    labels = [b.label for b in at.get("download_button")]
    assert "History (CSV)" in labels and "Config (JSON)" in labels and "Generator (.keras)" not in labels
    assert len(_page(at, "gan").run.history) == 3
    monkeypatch.undo()  # space again: the next script run offers the file
    at.run()
    assert "Generator (.keras)" in [b.label for b in at.get("download_button")]


@pytest.mark.slow
def test_a_server_killed_while_saving_keeps_every_saved_run(tmp_path, monkeypatch):
    """kill -9 the server while a run trains and saves (bench/fault.py does it many times, MNIST too):
    the store opens, lists the run, its bundle loads, and it kept at least the iteration last saved."""
    import random

    from app_server import CHROMIUM
    from bench.fault import check, cycle
    from gan_core.keeping.store import Store

    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    monkeypatch.setenv("GAN_EXPLORER_STORE", str(tmp_path))
    store = Store(str(tmp_path))
    listed = cycle(store, str(tmp_path), random.Random(0), {}, tmp_path / "server.log",
                   pages=("gan_training?n_epochs=1000000&n_eval=200",))
    assert len(listed) == 1
    assert check(store, listed) == []
