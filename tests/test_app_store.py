"""AppTest: a GAN page's run in the run store (explorer/stored_runs.py). A trained run gets an
address (?run=<id>&key=<edit key>); opening it again (a reload, a server restart: a new session)
brings the run back paused; without the key it is read-only, with "Continue as my own run"; a
made-up id says "no such run"; a store that cannot be written never stops training; Compare lists
the store's runs; one writer per run: a second tab on the owner's address follows the run while
another trains it, and a shared view follows it too. The store is conftest's temporary folder."""
import numpy as np
import pytest
from test_app import LONG, TINY, _click, _disabled, _open, _page, _run_charts, _says, _set, _stop, _text

from gan_core import Config, GanRun
from gan_core.keeping.store import NOT_SAVED, Store, new_writer

COLUMNS = ["iteration", "acc_real", "acc_fake", "d_loss", "g_loss", "curve_error"]


def _numbers(run):
    return run.history_frame()[COLUMNS].to_numpy()


def _straight(**settings):
    """The same settings trained in one go, without a store: what a continued run must equal."""
    run = GanRun(Config(**settings))
    list(run.train())
    return run


def _stepped_run():
    """A visitor's 1-D run, one Step in (paused at its first check-in, 20 of 60), as the app holds it
    (explorer.app_run.AppRun): its id and key."""
    at = _open("gan_training")
    _set(at, "gan", TINY)
    _click(at, "gan", "Step")
    run = _page(at, "gan").app_run
    assert run.run.iteration == 20
    params = dict(at.query_params)
    assert params["run"] == run.store_id and params["key"] == run.edit_key, params
    record = Store().record(run.store_id)
    assert (record.state, record.iteration, record.kind) == ("stopped", 20, "function")  # saved at its stop
    return at, run


def _buttons(at):
    return [b.label for b in at.button]


def test_the_owners_address_brings_the_run_back_paused_and_resume_continues_bit_for_bit():
    _, run = _stepped_run()
    at = _open("gan_training", {"run": run.store_id, "key": run.edit_key})  # a reload: a new session
    page = _page(at, "gan")
    assert page.run is not run.run and page.app_run.store_id == run.store_id and page.run.iteration == 20
    assert page.worker is None  # paused
    assert _says(at.info, f"Run {run.store_id} is back at iteration 20 of 60, paused")
    assert _disabled(at, "gan") == {"Stop"}  # Resume is offered
    np.testing.assert_array_equal(_numbers(page.run), _numbers(run.run))
    _click(at, "gan", "Resume")
    again = _page(at, "gan").run
    assert again.iteration == 60 and Store().record(run.store_id).state == "finished"
    np.testing.assert_array_equal(_numbers(again), _numbers(_straight(**TINY)))  # bit for bit
    assert dict(at.query_params)["key"] == run.edit_key  # the owner's address keeps the key


def test_a_run_that_was_training_when_the_server_died_says_so_and_offers_resume():
    run = _straight(n_epochs=60, n_eval=20, n_batch=32)  # (a finished run would offer nothing to resume)
    half = GanRun(Config(**TINY))
    half.train_chunk()
    saved = Store().save(half, "app-gone", state="training")  # the worker's last save before a kill -9
    at = _open("gan_training", {"run": saved.id, "key": saved.key})
    assert _says(at.info, "This run was training when the server stopped. It is back at its last saved check-in, "
                          f"iteration {half.iteration} of 60; **Resume** continues it")
    _click(at, "gan", "Resume")
    np.testing.assert_array_equal(_numbers(_page(at, "gan").run), _numbers(run))


def test_the_shared_address_is_read_only_and_a_copy_continues_as_ones_own():
    _, run = _stepped_run()
    at = _open("gan_training", {"run": run.store_id})  # someone else, without the key
    page = _page(at, "gan")
    assert page.run.iteration == 20 and page.app_run.edit_key is None
    assert _says(at.info, "This is someone else's run, read-only at iteration 20 of 60")
    assert _disabled(at, "gan") == {"Step", "Stop", "Resume"}  # it can be shown, not trained
    assert "Continue as my own run" in _buttons(at) and "key" not in dict(at.query_params)
    assert at.get("vega_lite_chart") and [b.proto.label for b in at.get("download_button")]  # charts, downloads
    at.button(key="btn_gan_continue_copy").click().run()
    assert not at.exception, at.exception
    copy = _page(at, "gan").app_run
    params = dict(at.query_params)
    assert copy.store_id != run.store_id and params["run"] == copy.store_id and params["key"] == copy.edit_key
    assert _says(at.info, f"This is your own copy now, run {copy.store_id}, at iteration 20")
    assert "Continue as my own run" not in _buttons(at) and _disabled(at, "gan") == {"Stop"}
    _click(at, "gan", "Resume")
    np.testing.assert_array_equal(_numbers(_page(at, "gan").run), _numbers(_straight(**TINY)))
    assert Store().record(run.store_id).iteration == 20  # the original is untouched
    # a wrong key opens it read-only too, and says so
    at = _open("gan_training", {"run": run.store_id, "key": "x" * 32})
    assert _says(at.info, f"That edit key does not open run {run.store_id}. This is someone else's run")
    assert "Resume" in _disabled(at, "gan")


@pytest.mark.parametrize("made_up", ["AAAAAAAAAAAA", "../index.sqlite", "' OR 1=1 --"])
def test_a_made_up_id_says_no_such_run_and_nothing_else(made_up):
    at = _open("gan_training", {"run": made_up, "key": "k" * 32})
    said = f"no such run{' AAAAAAAAAAAA' if made_up[0] == 'A' else ''}: check the address."
    assert len(at.error) == 1 and _says(at.error, said) and at.error[0].value.replace("\\", "") == said
    assert _page(at, "gan").run is None and not _run_charts(at)
    assert not _says(at.warning, "unknown settings")  # run and key are not settings


def test_a_run_of_another_kind_points_to_its_own_page():
    _, run = _stepped_run()
    at = _open("points_gan_training", {"run": run.store_id, "key": run.edit_key})
    assert _says(at.error, f"Run {run.store_id} is a 1-D function run")
    assert f"/gan_training?run={run.store_id}&key={run.edit_key}" in _text(at.error)
    assert _page(at, "points_gan").run is None


def test_a_store_that_cannot_be_written_never_stops_training(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"  # (as root, a read-only folder is still written: a file blocks the folder)
    blocker.write_text("not a folder")
    monkeypatch.setenv("GAN_EXPLORER_STORE", str(blocker / "store"))
    at = _open("gan_training")
    _set(at, "gan", TINY)
    _click(at, "gan", "Train")
    page = _page(at, "gan")
    assert page.run.iteration == 60 and page.app_run.store_id is None and page.app_run.store_error
    assert any(w.value.startswith(NOT_SAVED.strip()) for w in at.warning), [w.value for w in at.warning]
    assert "run" not in dict(at.query_params)


def test_compare_lists_stored_runs_of_the_command_line_too_by_data_and_owner():
    half = GanRun(Config(**TINY))
    half.train_chunk()
    cli = Store().save(half, "cli", note="from the command line")
    at = _open("compare")
    table = at.dataframe[0].value
    assert list(table.columns) == ["run", "data", "settings", "iterations", "state", "updated", "note"]
    row = table[table["run"].str.contains(cli.id)].iloc[0]
    assert (row["run"], row["data"], row["state"], row["note"]) == (
        f"/gan_training?run={cli.id}", "1-D function", "stopped", "from the command line")
    assert table["updated"].is_monotonic_decreasing  # newest first
    at.radio(key="stored_whose").set_value("mine").run()
    assert cli.id not in " ".join(at.dataframe[0].value["run"]) if len(at.dataframe) else True
    at.radio(key="stored_whose").set_value("all").run()
    at.selectbox(key="stored_kind").set_value("points").run()
    assert not len(at.dataframe) or not at.dataframe[0].value["run"].str.contains(cli.id).any()


@pytest.mark.slow
def test_an_mnist_run_comes_back_by_its_address_and_resume_continues_it():
    at = _open("mnist_gan_training")
    _set(at, "mgan", {"n_epochs": 20, "n_eval": 10})
    _click(at, "mgan", "Step")
    run = _page(at, "mgan").app_run
    assert run.run.iteration == 10 and dict(at.query_params)["run"] == run.store_id
    at = _open("mnist_gan_training", {"run": run.store_id, "key": run.edit_key})
    back = _page(at, "mgan").run
    assert back is not run.run and back.iteration == 10 and _says(at.info, "is back at iteration 10 of 20, paused")
    assert len(at.get("image")) >= 1  # its digit grid is drawn from the stored check-in
    _click(at, "mgan", "Resume")
    assert _page(at, "mgan").run.iteration == 20 and Store().record(run.store_id).state == "finished"


def test_only_the_gan_pages_address_carries_its_run_and_key():
    """The sweep pages write the GAN page's settings into their address, never its run's edit key:
    a copied sweep link would have let anyone save over the run."""
    at = _open("gan_training")
    _set(at, "gan", TINY)
    _click(at, "gan", "Step")
    run = _page(at, "gan").app_run
    assert {"run", "key"} <= set(at.query_params) and run.store_id == at.query_params["run"]
    for sweep in ("seed_sweep", "settings_sweep"):
        at.switch_page(f"app_pages/{sweep}.py").run()
        # AppTest forgets the shared widgets' values on a switch (a browser keeps them): type them again
        defaults = {f"w_gan_{name}": value for name, value in vars(Config(**TINY)).items()}
        for field in at.text_input:
            if field.key in defaults and not field.value:
                value = defaults[field.key]
                field.set_value(",".join(map(str, value)) if isinstance(value, tuple) else str(value))
        at.run()
        assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
        assert "n_epochs" in at.query_params and not {"run", "key"} & set(at.query_params), sweep


def test_links_to_the_gan_page_carry_its_new_run_at_once():
    """Train gives a run its id after the page wrote its address; the next page's links to the GAN
    page carry it all the same, so that going back writes no new query (tests/test_browser.py: a new
    query on arrival showed the page left in the address bar)."""
    at = _open("gan_training")
    _set(at, "gan", TINY)
    at.button(key="btn_gan_Step").click().run()  # one script run: the run is made after the form
    run = _page(at, "gan").app_run
    _page(at, "gan").worker.thread.join(60)
    at.switch_page("app_pages/discriminator_lab.py").run()
    [link] = [p.proto for p in at.get("page_link") if p.proto.page == "gan_training"]
    assert f"run={run.store_id}" in link.query_string and f"key={run.edit_key}" in link.query_string


UI_ATTRIBUTES = {"store_id", "edit_key", "store_error", "slot", "display_name"}


def test_the_engines_runs_carry_nothing_of_the_apps():
    """What the app adds to a run (its id and edit key in the store, why it is not saved, the training
    slot its step is on, its name on Compare) lives on its explorer.app_run.AppRun: the engine's run
    objects carry none of it, through Step, Resume, a new Train, a reload by address, Continue as my own
    run and Compare."""
    at, first = _stepped_run()  # saved at once, trained by a worker on a slot
    _click(at, "gan", "Resume")
    _click(at, "gan", "Train")  # a new run: the first one is kept for Compare, by its name
    second = _page(at, "gan").app_run
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception, at.exception
    other = _open("gan_training", {"run": first.store_id})  # someone else's, read-only
    other.button(key="btn_gan_continue_copy").click().run()
    assert not other.exception, other.exception
    copy = _page(other, "gan").app_run
    assert first.display_name == "1-D run 1" and second.display_name == "1-D run 2"
    assert first.slot is not None and second.slot is not None and copy.store_id not in (None, first.store_id)
    for app_run in (first, second, copy):
        assert app_run.run.history and not UI_ATTRIBUTES & set(vars(app_run.run)), sorted(vars(app_run.run))


def _long_run_stepped():
    """A long 1-D run, one Step in (200 of 200,000), paused: its AppRun."""
    at = _open("gan_training")
    _set(at, "gan", LONG)
    _click(at, "gan", "Step")
    return _page(at, "gan").app_run


def test_a_second_tab_on_the_owners_address_follows_the_run_and_never_trains_it():
    """Two tabs on one owner's address: the one that opens while the other trains does not stop it (a
    reload, whose old tab has closed, does) and does not train or save the run; it follows it, and
    Continue as my own run gives it a copy of its own."""
    first = _open("gan_training")
    _set(first, "gan", LONG)
    _click(first, "gan", "Train", wait=False)
    mine = _page(first, "gan").app_run
    try:
        second = _open("gan_training", {"run": mine.store_id, "key": mine.edit_key})
        assert mine.worker.active  # the first tab trains on
        page = _page(second, "gan")
        assert page.app_run.store_id == mine.store_id and page.worker is None and page.app_run.following is not None
        assert _says(second.info, f"Run {mine.store_id} is training in a browser tab of the app right now")
        assert {"Step", "Stop", "Resume"} <= _disabled(second, "gan")
        assert Store().lease(mine.store_id).writer == mine.worker.saver.writer
        second.button(key="btn_gan_continue_copy").click().run()
        assert not second.exception, second.exception
        copy = _page(second, "gan").app_run
        assert copy.store_id != mine.store_id and copy.following is None and copy.edit_key
        assert _says(second.info, f"This is your own copy now, run {copy.store_id}")
        assert mine.worker.active and Store().lease(mine.store_id).writer == mine.worker.saver.writer
    finally:
        _stop(first, "gan")
        mine.worker.thread.join(60)
    assert Store().lease(mine.store_id) is None  # its training ended: it let go


def test_two_tabs_on_the_owners_address_take_turns_and_never_write_over_each_other():
    """Both tabs paused on the owner's address: the one that resumes first trains it; the other's Resume
    trains nothing, says who trains it and follows the run; once that stops, it continues from where the
    first left it. A tab whose copy is behind the stored run loads the stored run instead of training."""
    run = _long_run_stepped()
    address = {"run": run.store_id, "key": run.edit_key}
    a, b = _open("gan_training", address), _open("gan_training", address)
    _click(a, "gan", "Resume", wait=False)
    try:
        assert _page(a, "gan").training
        _click(b, "gan", "Resume", wait=False)
        page_b = _page(b, "gan")
        assert page_b.worker is None and page_b.app_run.following is not None  # it trains nothing
        assert _says(b.warning, f"Run {run.store_id} is training in a browser tab of the app right now")
        assert "Resume" in _disabled(b, "gan")
    finally:
        _stop(a, "gan")
        _page(a, "gan").worker.thread.join(60)
    stopped_at = _page(a, "gan").run.iteration
    assert Store().record(run.store_id).iteration == stopped_at > 200
    b.run()  # its next redraw: the training elsewhere has ended
    page_b = _page(b, "gan")
    assert page_b.app_run.following is None and page_b.run.iteration == stopped_at
    assert _says(b.info, f"Run {run.store_id}'s training elsewhere has ended, at iteration {stopped_at:,}")
    _click(b, "gan", "Resume", wait=False)  # its turn now
    try:
        assert _page(b, "gan").training
    finally:
        _stop(b, "gan")
        _page(b, "gan").worker.thread.join(60)
    moved_to = _page(b, "gan").run.iteration
    assert Store().record(run.store_id).iteration == moved_to > stopped_at
    before = _page(a, "gan").worker  # (its stopped one)
    _click(a, "gan", "Resume", wait=False)  # a's copy is behind the stored run now
    page_a = _page(a, "gan")
    assert page_a.worker is before and not page_a.training and page_a.run.iteration == moved_to and page_a.app_run.following is None
    assert _says(a.warning, f"Run {run.store_id} was continued elsewhere since this tab opened it")
    assert Store().record(run.store_id).iteration == moved_to  # nothing written over


def test_a_shared_view_follows_a_run_training_elsewhere_one_load_per_redraw(monkeypatch):
    """A shared address (no key) of a run that trains elsewhere (here a writer in the test) follows it:
    each redraw reads the store, loading the bundle only when a new check-in was saved, until its
    training ends."""
    run = GanRun(Config(**TINY))
    run.train_chunk()
    writer = new_writer()
    saved = Store().save(run, "cli", state="training", writer=writer, label="the command line")
    at = _open("gan_training", {"run": saved.id})
    page = _page(at, "gan")
    assert page.app_run.following is not None and page.run.iteration == 20
    assert _says(at.info, "This is someone else's run, training right now: this view follows it live")
    loads = []
    load = Store.load
    monkeypatch.setattr(Store, "load", lambda self, run_id, **kw: loads.append(run_id) or load(self, run_id, **kw))
    run.train_chunk()
    Store().save(run, id=saved.id, key=saved.key, state="training", writer=writer)
    at.run()
    assert not at.exception, at.exception
    assert _page(at, "gan").run.iteration == 40 and loads == [saved.id]  # one load for the redraw
    assert any("40 / 60 iterations" in p.proto.text and "training elsewhere" in p.proto.text
               for p in at.get("progress"))
    at.run()
    assert loads == [saved.id]  # nothing new saved: nothing loaded
    run.train_chunk()
    Store().save(run, id=saved.id, key=saved.key, writer=writer)  # finished
    Store().release(saved.id, writer)
    at.run()
    page = _page(at, "gan")
    assert page.run.iteration == 60 and page.app_run.following is None and len(loads) == 2
    assert _says(at.info, "This is someone else's run, read-only at iteration 60 of 60, finished")
    np.testing.assert_array_equal(_numbers(page.run), _numbers(run))
