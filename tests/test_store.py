"""The run store (gan_core/keeping/store.py) and its command line (gan_core/cli/runs.py): runs saved, listed,
continued bit for bit, deleted and exported for TensorBoard; damaged files named and skipped; an
unwritable folder never stops training; one writer per run (a lease), a dead writer's lease taken over."""
import glob
import io
import os
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from gan_core import Config, GanRun
from gan_core.keeping import store as store_module
from gan_core.keeping.store import (LEASE_S, LOCAL, NOT_SAVED, Autosaver, KeyRefused, NoSuchRun, RunBusy, RunMoved, Store,
                                    StoreError, new_writer)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TINY = dict(n_epochs=60, n_eval=20, n_batch=32)


@pytest.fixture
def store(tmp_path, monkeypatch):
    folder = tmp_path / "store"
    monkeypatch.setenv("GAN_EXPLORER_STORE", str(folder))
    return Store()


def _cli(*args, cwd=ROOT):
    env = {**os.environ, "PYTHONPATH": ROOT}
    return subprocess.run([sys.executable, "-m", "gan_core", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def _popen(*args):
    env = {**os.environ, "PYTHONPATH": ROOT}
    return subprocess.Popen([sys.executable, "-m", "gan_core", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _run(chunks=1, **settings):
    run = GanRun(Config(**{**TINY, **settings}))
    for _ in range(chunks):
        run.train_chunk()
    return run


def _rows(run):
    return run.history_frame().drop(columns=["seconds"]).to_numpy()


@pytest.mark.slow
def test_a_saved_run_loads_and_continues_bit_for_bit(store):
    run = _run(target="ring8", n_batch=64, latent_dim=4, g_hidden=(16,), d_hidden=(16,))
    saved = store.save(run, owner="a")
    assert store.folder == os.environ["GAN_EXPLORER_STORE"]
    assert os.path.isfile(os.path.join(store.folder, f"{saved.id}.zip"))
    [record] = store.list()
    assert (record.id, record.kind, record.target, record.iteration, record.n_epochs, record.state, record.owner) == (
        saved.id, "points", "ring8", 20, 60, "stopped", "a")
    assert "latent_dim=4" in record.summary and record.bytes == os.path.getsize(store._path(saved.id))
    with sqlite3.connect(store.index) as db:  # the key is kept as its hash only
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert saved.key not in repr(db.execute("SELECT * FROM runs").fetchall())
    again = store.load(saved.id)
    np.testing.assert_allclose(_rows(again), _rows(run), rtol=1e-6)
    run.train_chunk()
    again.train_chunk()
    assert again.history[-1].acc_real == run.history[-1].acc_real and again.history[-1].g_loss == run.history[-1].g_loss
    store.save(again, id=saved.id, key=saved.key)
    again.train_chunk()
    store.save(again, id=saved.id, key=saved.key)
    record = store.record(saved.id)
    assert (record.iteration, record.state, record.created) == (60, "finished", store.list()[0].created)
    assert store.list(kind="points", owner="a") == [record] and store.list(kind="function") == []
    assert store.list(owner="b") == []


def test_a_damaged_bundle_and_a_damaged_row_are_named_and_the_others_load(store):
    ids = [store.save(_run(seed=seed)).id for seed in (1, 2, 3)]
    torn, bad_row, good = ids
    path = store._path(torn)
    data = open(path, "rb").read()
    with open(path, "wb") as f:  # a torn copy: the first half of the file
        f.write(data[: len(data) // 2])
    with sqlite3.connect(store.index) as db:
        db.execute("UPDATE runs SET state = 'exploded', iteration = 'many' WHERE id = ?", (bad_row,))
    listing = store.list()
    assert [r.id for r in listing] == [torn, good] or [r.id for r in listing] == [good, torn]
    assert len(listing.problems) == 1 and bad_row in listing.problems[0] and "skipped" in listing.problems[0]
    with pytest.raises(StoreError, match=f"run {torn}'s bundle {torn}.zip is damaged; it was not loaded"):
        store.load(torn)
    with pytest.raises(StoreError, match=f"run {bad_row}'s index row is damaged"):
        store.load(bad_row)
    assert store.load(good).iteration == 20
    os.unlink(store._path(good))  # a row without its bundle
    problems = store.list().problems
    assert any(good in p and "missing" in p for p in problems)
    r = _cli("runs", "list")
    assert r.returncode == 0 and torn in r.stdout and bad_row in r.stderr and good in r.stderr, r.stderr
    r = _cli("runs", "show", torn)
    assert r.returncode == 1 and f"{torn}.zip is damaged" in r.stderr


def test_a_damaged_index_file_is_named(store):
    store.save(_run())
    with open(store.index, "wb") as f:
        f.write(b"not a database" * 100)
    for shm in glob.glob(store.index + "-*"):
        os.unlink(shm)
    with pytest.raises(StoreError, match="index .*index.sqlite is damaged"):
        store.list()
    with pytest.raises(StoreError, match=NOT_SAVED):
        store.save(_run())


@pytest.mark.slow
def test_two_processes_write_the_store_at_once(store):
    mine = store.save(_run())
    cli = _popen("train", "--n-epochs", "40", "--n-eval", "20", "--n-batch", "32", "--out", os.path.join(
        os.path.dirname(store.folder), "out"))
    run, saves = _run(), 0
    while cli.poll() is None and saves < 400:  # saving over and over while the other process trains and saves
        store.save(run, id=mine.id, key=mine.key)
        saves += 1
    stdout, stderr = cli.communicate(timeout=300)
    assert cli.returncode == 0, stderr
    assert "saved as run" in stdout and saves > 0
    theirs = stdout.split("saved as run ")[1].split()[0]
    listing = store.list()
    assert not listing.problems and {r.id for r in listing} == {mine.id, theirs}
    assert store.load(theirs).iteration == 40 and store.load(mine.id).iteration == 20
    assert not [name for name in os.listdir(store.folder) if name.startswith(".tmp-")]


@pytest.mark.slow
def test_an_unwritable_store_does_not_stop_training(tmp_path, monkeypatch):
    # Tests run as root here, where chmod does not stop writes: the store's folder lies under a
    # regular file instead, which no user can make a folder in.
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GAN_EXPLORER_STORE", str(blocker / "store"))
    run = _run()
    with pytest.raises(StoreError, match=f"^{NOT_SAVED}"):
        Store().save(run)
    run.train_chunk()  # the run is untouched and trains on
    assert run.iteration == 40
    r = _cli("train", "--n-epochs", "40", "--n-eval", "20", "--n-batch", "32", "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    assert r.stderr.count(NOT_SAVED) == 2  # said before training, and at the save
    assert len(pd.read_csv(tmp_path / "out" / "history.csv")) == 2


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_store_folder(store):
    os.makedirs(store.folder)
    os.chmod(store.folder, 0o500)
    try:
        with pytest.raises(StoreError, match=f"^{NOT_SAVED}"):
            store.save(_run())
    finally:
        os.chmod(store.folder, 0o700)


def test_a_made_up_id_says_no_such_run_and_nothing_else(store):
    saved = store.save(_run())
    for made_up in ("AAAAAAAAAAAA", "../index", saved.id + "x", "", "' OR 1=1 --"):
        with pytest.raises(NoSuchRun) as err:
            store.load(made_up)
        assert str(err.value) in ("no such run", "no such run AAAAAAAAAAAA")
        assert not store.check_key(made_up, saved.key)
    r = _cli("runs", "show", "AAAAAAAAAAAA")
    assert (r.returncode, r.stdout, r.stderr) == (1, "", "runs show: no such run AAAAAAAAAAAA\n")
    r = _cli("runs", "resume", "../../etc/passwd")
    assert (r.returncode, r.stdout, r.stderr) == (1, "", "runs resume: no such run\n")


def test_a_wrong_edit_key_is_refused(store):
    run = _run()
    saved = store.save(run, owner="a")
    other = store.save(run, owner="b")
    assert store.check_key(saved.id, saved.key) and not store.check_key(saved.id, other.key)
    assert not store.check_key(saved.id, None) and not store.check_key(saved.id, "")
    run.train_chunk()
    for key in (other.key, "", None, saved.key.upper()):
        with pytest.raises(KeyRefused, match=f"does not open run {saved.id}"):
            store.save(run, id=saved.id, key=key)
        with pytest.raises(KeyRefused):
            store.delete(saved.id, key)
    assert store.record(saved.id).iteration == 20  # unchanged
    store.save(run, id=saved.id, key=saved.key)
    assert store.record(saved.id).iteration == 40
    store.delete(saved.id, saved.key)
    with pytest.raises(NoSuchRun):
        store.record(saved.id)
    store.delete(other.id, LOCAL)  # the folder's owner (the command line)
    assert store.list() == []


def test_retention_removes_the_oldest_finished_runs_of_other_owners_first(store):
    finished, stopped = _run(chunks=3), _run()
    store.max_runs = 4
    old_other = store.save(finished, owner="b").id
    old_mine = store.save(finished, owner="a").id
    writer = new_writer()  # trains it: holds its lease
    training = store.save(stopped, owner="b", state="training", writer=writer).id
    dead = store.save(stopped, owner="b", state="training").id  # left "training" by a writer that died
    store.max_runs = 5
    other_stopped = store.save(stopped, owner="b").id
    assert len(store.list()) == 5
    store.save(stopped, owner="a")  # a sixth: b's oldest finished run goes
    assert old_other not in {r.id for r in store.list()}
    store.save(stopped, owner="a")  # a seventh: then b's stopped runs, the dead one's first (never one in training)
    assert {r.id for r in store.list()} >= {old_mine, training} and dead not in {r.id for r in store.list()}
    store.save(stopped, owner="a")
    assert other_stopped not in {r.id for r in store.list()}
    store.max_runs, store.max_bytes = 100, 1
    store.prune(owner="a")  # past the size cap: everything but the run in training
    assert [r.id for r in store.list()] == [training]


@pytest.mark.slow
def test_runs_list_show_resume_delete_through_the_command_line(store, tmp_path):
    r = _cli("train", "--n-epochs", "40", "--n-eval", "20", "--n-batch", "32", "--seed", "3", "--out", str(tmp_path / "o"))
    assert r.returncode == 0, r.stderr
    [record] = store.list()
    assert (record.owner, record.state, record.iteration) == ("cli", "finished", 40)
    r = _cli("runs", "list")
    assert r.returncode == 0, r.stderr
    header, row = r.stdout.splitlines()[:2]
    assert header.split() == ["id", "kind", "target", "iterations", "state", "created"]
    assert row.split()[:5] == [record.id, "function", "x^2", "40/40", "finished"]
    r = _cli("runs", "show", record.id)
    assert r.returncode == 0 and f"id: {record.id}" in r.stdout and "latest check-in: iteration=40" in r.stdout
    r = _cli("runs", "resume", record.id)
    assert r.returncode == 0 and "is finished" in r.stdout
    r = _cli("runs", "resume", record.id, "--n-epochs", "80")
    assert r.returncode == 0, r.stderr
    assert [line.split()[0] for line in r.stdout.splitlines() if not line.startswith("#")] == ["60", "80"]
    resumed = store.load(record.id)
    straight = GanRun(Config.for_target(n_epochs=80, n_eval=20, n_batch=32, seed=3))
    list(straight.train())
    np.testing.assert_allclose(_rows(resumed), _rows(straight), rtol=1e-6)  # as if trained to 80 at once
    assert store.record(record.id).iteration == 80
    r = _cli("runs", "resume", record.id, "--n-epochs", "10")
    assert r.returncode == 1 and "cannot be continued to 10" in r.stderr
    r = _cli("runs", "delete", record.id)
    assert r.returncode == 0 and store.list() == []
    assert not os.path.exists(store._path(record.id))
    r = _cli("train", "--n-epochs", "20", "--n-eval", "20", "--n-batch", "32", "--no-store", "--out", str(tmp_path / "o"))
    assert r.returncode == 0 and "saved" not in r.stdout and store.list() == []


@pytest.mark.slow
def test_a_sweep_saves_each_seeds_run(store, tmp_path):
    r = _cli("sweep", "--seeds", "2", "--seed", "5", "--n-epochs", "40", "--n-eval", "20", "--n-batch", "32",
             "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    records = store.list()
    assert sorted(r.note for r in records) == ["seed 5 of a sweep of 2", "seed 6 of a sweep of 2"]
    run = store.load(next(r.id for r in records if r.note.startswith("seed 6")))
    straight = GanRun(Config.for_target(n_epochs=40, n_eval=20, n_batch=32, seed=6))
    list(straight.train())
    np.testing.assert_allclose(_rows(run), _rows(straight), rtol=1e-5)


@pytest.mark.slow
def test_export_tensorboard_writes_events_tensorflow_reads(store, tmp_path):
    import tensorflow as tf
    from PIL import Image

    run = _run(chunks=3)
    saved = store.save(run)
    r = _cli("runs", "export-tensorboard", saved.id, str(tmp_path / "tb"))
    assert r.returncode == 0, r.stderr
    [events] = glob.glob(str(tmp_path / "tb" / "events.out.tfevents.*"))
    scalars, images = {}, {}
    for event in tf.compat.v1.train.summary_iterator(events):
        for value in event.summary.value:
            plugin = value.metadata.plugin_data.plugin_name
            array = tf.make_ndarray(value.tensor)
            if plugin == "scalars":
                scalars.setdefault(value.tag, {})[event.step] = float(array)
            elif plugin == "images":
                images[(value.tag, event.step)] = array
    frame = run.history_frame()
    for name in ("acc_real", "acc_fake", "d_loss", "g_loss"):
        assert scalars[name] == pytest.approx(dict(zip(frame.iteration, frame[name])), rel=1e-6)
    assert scalars["scores/curve_error"] == pytest.approx(dict(zip(frame.iteration, frame.curve_error)), rel=1e-6)
    assert set(scalars["rates/g_lr"]) == {20, 40, 60}
    assert sorted(images) == [("check_in", 20), ("check_in", 40), ("check_in", 60)]  # every stored check-in
    for (tag, step), (width, height, png) in images.items():
        assert Image.open(io.BytesIO(png)).size == (int(width), int(height))


def test_the_autosaver_saves_a_training_run_and_never_stops_it(store, tmp_path):
    run = GanRun(Config(**TINY))
    saver = Autosaver(store, run, "page", every_s=1e9)
    while not run.done:
        run.train_chunk()
        saver.check_in()
        if not run.done:
            assert saver.saves == 0 or store.record(saver.saved.id).state == "training"
    assert saver.saves == 1 and store.record(saver.saved.id).state == "finished"  # once, at the end
    assert saver.check_in(force=True) and store.record(saver.saved.id).iteration == 60
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    run = GanRun(Config(**TINY))
    saver = Autosaver(Store(str(blocked / "store")), run, every_s=0)
    list(run.train())
    assert not saver.check_in() and str(saver.error).startswith(NOT_SAVED) and run.done


def test_the_autosaver_saves_once_more_when_training_ends_as_stopped(store):
    run = _run()
    saver = Autosaver(store, run, "a", every_s=1000)
    assert not saver.check_in()  # not due yet
    assert saver.stopped() and store.record(saver.saved.id).state == "stopped"
    assert store.record(saver.saved.id).iteration == run.iteration == saver.iteration
    assert not saver.stopped()  # nothing new since
    run.train_chunk()
    assert saver.stopped() and store.record(saver.saved.id).iteration == run.iteration


def test_one_writer_per_run_a_second_is_refused_and_told_who_trains_it(store):
    """Two tabs on the owner's address (both hold the key) used to save over each other, last writer
    wins: now the first writer's lease refuses the second, and a copy behind the stored run cannot
    claim it after the first lets go."""
    run = _run()
    first = Autosaver(store, run, "tab-a", every_s=0, label="tab A")
    assert first.check_in(force=True)
    saved = first.saved
    lease = store.lease(saved.id)
    assert (lease.writer, lease.label, lease.pid) == (first.writer, "tab A", os.getpid())
    other = store.load(saved.id)  # the second tab, with the key
    with pytest.raises(RunBusy, match=f"run {saved.id} is being trained by tab A \\(process {os.getpid()}\\)"):
        store.claim(saved.id, saved.key, new_writer(), iteration=other.iteration)
    second = Autosaver(store, other, "tab-b", saved=saved, every_s=0)
    other.train_chunk()
    assert not second.check_in(force=True)
    assert str(second.error).startswith(NOT_SAVED) and "is being trained by tab A" in str(second.error)
    for write in (lambda: store.save(other, id=saved.id, key=saved.key), lambda: store.save(other, id=saved.id, key=LOCAL),
                  lambda: store.delete(saved.id, LOCAL)):
        with pytest.raises(RunBusy):
            write()
    assert store.record(saved.id).iteration == 20  # the second writer changed nothing
    run.train_chunk()
    assert first.check_in(force=True) and store.record(saved.id).iteration == 40
    r = _cli("runs", "resume", saved.id)  # the command line is refused too, and says by whom
    assert r.returncode == 1 and f"runs resume: run {saved.id} is being trained by tab A" in r.stderr, r.stderr
    assert first.stopped() and store.record(saved.id).state == "stopped" and store.lease(saved.id) is None  # lets go
    with pytest.raises(RunMoved, match="at iteration 40 in the store, this copy at 20"):
        store.claim(saved.id, saved.key, new_writer(), iteration=20)  # a copy opened before the first trained on
    writer = new_writer()
    assert store.claim(saved.id, saved.key, writer, iteration=40).writer == writer
    store.release(saved.id, writer)
    assert store.lease(saved.id) is None


@pytest.mark.slow
def test_a_dead_writers_lease_is_taken_over(store):
    """A writer that died without letting go (kill -9) holds nothing: its lease is taken over. A lease
    from another host is live while it beats."""
    saved = store.save(_run())
    code = (f"from gan_core.keeping.store import LOCAL, Store; Store({store.folder!r}).claim({saved.id!r}, LOCAL, "
            "'doomed', label='a process about to die'); print('held', flush=True); import time; time.sleep(300)")
    env = {**os.environ, "PYTHONPATH": ROOT}
    doomed = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert doomed.stdout.readline().strip() == "held"
        with pytest.raises(RunBusy, match="a process about to die"):
            store.claim(saved.id, saved.key, "me")
    finally:
        doomed.kill()
        doomed.wait(30)
    assert store.lease(saved.id) is None  # (its row is still there: stale)
    assert store.claim(saved.id, saved.key, "me").writer == "me"
    with sqlite3.connect(store.index) as db:
        db.execute("UPDATE writers SET host = 'elsewhere', beat = ? WHERE id = ?", (time.time(), saved.id))
    with pytest.raises(RunBusy):
        store.claim(saved.id, saved.key, "someone")
    with sqlite3.connect(store.index) as db:
        db.execute("UPDATE writers SET beat = ? WHERE id = ?", (time.time() - LEASE_S - 1, saved.id))
    assert store.claim(saved.id, saved.key, "someone").writer == "someone"
    store_module._HELD.discard("someone")  # in this process, a writer gone without letting go (a dead thread)
    assert store.lease(saved.id) is None and store.claim(saved.id, saved.key, "me").writer == "me"
    store.release(saved.id, "me")
