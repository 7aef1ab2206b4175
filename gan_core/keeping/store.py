"""The run store: runs that outlive the tab, the server and the command line.

A folder (GAN_EXPLORER_STORE, by default ./runs/store: beside the CLI's runs/train and runs/sweep)
holds each run as its bundle, `<id>.zip` (bundle.py: settings, history, state, latest check-in),
and an index, `index.sqlite` (stdlib sqlite3 in WAL mode, so several processes read and write at
once), with a row per run: id, kind, target, a settings summary, iteration, state (training,
stopped, finished), created and updated times, owner, size, and the sha256 hash of the run's edit
key. Ids and keys come from `secrets.token_urlsafe`; the key itself is never stored.

    store = Store()                              # the folder named by GAN_EXPLORER_STORE, or runs/store
    saved = store.save(run, owner="session-a")   # a new run: Saved(id, key); keep the key to change it
    store.save(run, id=saved.id, key=saved.key)  # the same run, later: its bundle replaced
    run = store.load(saved.id)                   # continues bit for bit
    store.list(kind="points", owner=None)        # Records, newest first; .problems names bad rows/files
    store.check_key(saved.id, key), store.delete(saved.id, key)
    saver = Autosaver(store, run, owner)         # in the training worker: saver.check_in() after a check-in,
    saver.stopped()                              # and once its training ends

One writer per run: whoever trains a stored run holds its lease, a row in the index's `writers`
table (the writer's token, what it is, its host and process, when it took it and last beat), taken in
the same transaction that checks it. A save over a run, a claim or a delete while another live writer
holds the run raises RunBusy, naming it; a claim by a writer whose copy is older than the stored run
(another writer moved it on since) raises RunMoved. A lease is live while its process runs (same host;
in this process: until its writer lets go) or, from another host, while it beat within LEASE_S; a
stale lease is taken over. The app's tabs and the command line's `runs resume` each claim before
training and let go when training ends:

    store.claim(saved.id, saved.key, writer, iteration=run.iteration)  # RunBusy, RunMoved
    store.save(run, id=saved.id, key=saved.key, writer=writer)         # refreshes the lease
    store.release(saved.id, writer)
    store.lease(saved.id)                                              # the live Lease, or None

Writes are atomic: a temporary file in the folder, fsync, os.replace, so a reader sees the old
bundle or the new, never half of one. A bundle or an index row that is damaged anyway (a torn
copy, an edited file) is skipped with a message naming it, never loaded half. A folder that
cannot be written (read-only, full, not a folder) makes saving raise StoreError, whose message
begins "runs are not being saved:"; the caller shows it and training goes on.

Retention: at most MAX_RUNS runs and MAX_BYTES of bundles; past either, the oldest finished runs of
other owners go first, then other owners' stopped runs, then the saver's own finished and stopped
runs; a run in training (a live lease) and the run just saved are never removed; one whose state
still says training after its writer died counts as stopped.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import os
import re
import secrets
import socket
import sqlite3
import tempfile
import threading
import time

ENV = "GAN_EXPLORER_STORE"
DEFAULT_FOLDER = os.path.join("runs", "store")
INDEX = "index.sqlite"
MAX_RUNS = 500  # runs kept in one store
MAX_BYTES = 2 * 2**30  # bundles kept in one store: 2 GiB (a default MNIST run is about 3.3 MB, a 1-D one 24 KB)
TEMP_PREFIX = ".tmp-"
TEMP_MAX_AGE_S = 3600  # a temporary file older than this was left by a process that died: removed
STATES = ("training", "stopped", "finished")
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{11}")
NOT_SAVED = "runs are not being saved: "
BUSY_TIMEOUT_S = 30
SAVE_SHARE = 0.05  # Autosaver: at most this share of training time goes into saving (the 5 %)
SAVE_EVERY_S = 10.0  # Autosaver: and at most one save in this many seconds
LOCAL = object()  # a key that stands for whoever can write the folder (the command line); never from a link
LEASE_S = 120.0  # a lease from another host is live while it beat this recently (same host: while its process runs)
BEAT_S = 10.0  # Autosaver: the lease's beat is refreshed at a check-in at least this often

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    summary TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    iteration INTEGER NOT NULL,
    n_epochs INTEGER NOT NULL,
    state TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    bytes INTEGER NOT NULL,
    key_hash TEXT NOT NULL
)"""
# a run's writer (module doc): at most one row per run, while a writer trains it
WRITERS_SCHEMA = """
CREATE TABLE IF NOT EXISTS writers (
    id TEXT PRIMARY KEY,
    writer TEXT NOT NULL,
    label TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    since REAL NOT NULL,
    beat REAL NOT NULL
)"""
COLUMNS = ("id", "kind", "target", "summary", "note", "iteration", "n_epochs", "state", "created", "updated", "owner",
           "bytes")


class StoreError(Exception):
    """What went wrong with the store, in words a page or the command line shows as they are."""


class NoSuchRun(StoreError, KeyError):
    """No run of that id (the message names nothing else)."""

    def __str__(self):
        return self.args[0]


class KeyRefused(StoreError):
    """The edit key does not open that run."""


class RunBusy(StoreError):
    """Another live writer trains that run (its lease names it)."""


class RunMoved(StoreError):
    """The stored run is further along than the copy that was to continue it: another writer saved it since."""


@dataclasses.dataclass(frozen=True)
class Lease:
    """A run's writer: whoever trains it now."""

    id: str
    writer: str  # its token (new_writer())
    label: str  # what it is, for a message: "a tab of the app", "the command line"
    host: str
    pid: int
    since: float  # seconds since the epoch
    beat: float

    def live(self, now: float | None = None) -> bool:
        """Whether its writer still runs: its process on this host (in this process: until it lets go),
        or a beat within LEASE_S from another host."""
        if self.host != socket.gethostname():
            return (now or time.time()) - self.beat < LEASE_S
        if self.pid == os.getpid():
            with _HELD_LOCK:
                return self.writer in _HELD
        return _running(self.pid)

    def words(self) -> str:
        """Who, since when: "a tab of the app (process 123), since 14:02"."""
        return f"{self.label or 'another writer'} (process {self.pid}), since {time.strftime('%H:%M', time.localtime(self.since))}"


# the writers' tokens that hold a lease in this process: a lease of this process whose writer let go
# without releasing it (a thread that died) is stale
_HELD: set[str] = set()
_HELD_LOCK = threading.Lock()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # another user's process, or a check this system refuses: assume it runs
    return True


def new_writer() -> str:
    """A writer's token: one per training (a worker, a `runs resume`)."""
    return secrets.token_urlsafe(12)


@dataclasses.dataclass(frozen=True)
class Saved:
    id: str
    key: str  # the edit key: only its hash is stored; whoever holds it may save over or delete the run


@dataclasses.dataclass(frozen=True)
class Record:
    """A run's index row."""

    id: str
    kind: str  # kinds.KINDS' name: function, points, samples, digits
    target: str
    summary: str  # the settings that differ from the kind's defaults
    note: str  # e.g. "seed 3 of a sweep of 16"
    iteration: int
    n_epochs: int
    state: str  # training, stopped, finished
    created: float  # seconds since the epoch
    updated: float
    owner: str
    bytes: int

    def row(self) -> dict:
        return dataclasses.asdict(self)


class Listing(list):
    """Records, newest first; `problems`: a message for each row or bundle skipped."""

    problems: list[str]

    def __init__(self, records=(), problems=()):
        super().__init__(records)
        self.problems = list(problems)


def default_folder() -> str:
    return os.environ.get(ENV, "").strip() or DEFAULT_FOLDER


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_id() -> str:
    while True:  # a leading '-' would read as a flag on the command line
        token = secrets.token_urlsafe(9)
        if ID_PATTERN.fullmatch(token):
            return token


def summary_of(config) -> str:
    """The settings that differ from the kind's defaults, as `name=value` (target first)."""
    from gan_core import kinds

    kind = kinds.of_settings(config)
    defaults = {**vars(kind.settings()), **kind.defaults}
    parts = [config.target if hasattr(config, "target") else kind.name]
    for name, value in vars(config).items():
        if name != "target" and defaults.get(name) != value:
            value = ",".join(map(str, value)) if isinstance(value, tuple) else value
            parts.append(f"{name}={value:g}" if isinstance(value, float) else f"{name}={value}")
    return " ".join(parts)


def default_mnist(scale: str):
    """MNIST's digits and the shipped classifier, to continue a stored MNIST run with."""
    from gan_core.data.mnist import load_classifier, load_digits

    return load_digits(scale), load_classifier()


def _record(row: sqlite3.Row) -> Record:
    """The row as a Record, each field checked; ValueError says which is wrong."""
    from gan_core import kinds

    values = dict(zip(COLUMNS, row))
    for name in ("id", "kind", "target", "summary", "note", "state", "owner"):
        if not isinstance(values[name], str):
            raise ValueError(f"its {name} is not text")
    for name in ("iteration", "n_epochs", "bytes"):
        if not isinstance(values[name], int) or values[name] < 0:
            raise ValueError(f"its {name} is not a whole number")
    for name in ("created", "updated"):
        if not isinstance(values[name], (int, float)) or values[name] < 0:
            raise ValueError(f"its {name} is not a time")
    if not ID_PATTERN.fullmatch(values["id"]):
        raise ValueError("its id is not a run id")
    if values["kind"] not in kinds.KINDS:
        raise ValueError(f"its kind {values['kind'][:20]!r} is not one of {', '.join(kinds.KINDS)}")
    if values["state"] not in STATES:
        raise ValueError(f"its state {values['state'][:20]!r} is not one of {', '.join(STATES)}")
    if values["iteration"] > values["n_epochs"]:
        raise ValueError("its iteration is past its run's length")
    return Record(**{**values, "created": float(values["created"]), "updated": float(values["updated"])})


def _shown(run_id) -> str:
    """The id in a message, if it looks like one (nothing a caller typed beyond that is echoed)."""
    return f" {run_id}" if isinstance(run_id, str) and ID_PATTERN.fullmatch(run_id) else ""


class Store:
    """A folder of run bundles and their SQLite index. Safe to use from several threads and
    processes at once (each call opens its own connection)."""

    def __init__(self, folder: str | None = None, max_runs: int = MAX_RUNS, max_bytes: int = MAX_BYTES):
        self.folder = os.path.abspath(folder or default_folder())
        self.max_runs, self.max_bytes = max_runs, max_bytes
        self.index = os.path.join(self.folder, INDEX)

    # ---- the folder and the index ----------------------------------------------------------------
    def _path(self, run_id: str) -> str:
        return os.path.join(self.folder, f"{run_id}.zip")

    @contextlib.contextmanager
    def _db(self, write: bool = False):
        """A connection in a transaction (committed at the end, rolled back on an error); a folder
        or index that cannot be used raises StoreError."""
        try:
            if write:
                os.makedirs(self.folder, exist_ok=True)
            elif not os.path.exists(self.index):
                yield None
                return
            connection = sqlite3.connect(self.index, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except (OSError, sqlite3.Error) as err:
            raise StoreError(f"{NOT_SAVED if write else 'the run store cannot be read: '}{_why(err)} ({self.folder})") from err
        try:
            try:
                connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
                if write:
                    connection.execute("PRAGMA journal_mode = WAL")
                    connection.execute(SCHEMA)
                    connection.execute(WRITERS_SCHEMA)  # (an index from before leases gets the table here)
                connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            except sqlite3.DatabaseError as err:
                raise StoreError(f"{NOT_SAVED if write else ''}the run store's index {self.index} is damaged or cannot "
                                 f"be {'written' if write else 'read'}: {err}") from err
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException as err:
                with contextlib.suppress(sqlite3.Error):
                    connection.execute("ROLLBACK")
                if isinstance(err, sqlite3.DatabaseError):
                    raise StoreError(f"{NOT_SAVED if write else ''}the run store's index {self.index} is damaged or "
                                     f"cannot be {'written' if write else 'read'}: {err}") from err
                raise
        finally:
            connection.close()

    def _write_file(self, path: str, data: bytes) -> None:
        """`data` into `path` atomically: a temporary file in the folder, fsync, os.replace."""
        handle, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".zip", dir=self.folder)
        try:
            with os.fdopen(handle, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        with contextlib.suppress(OSError):  # the rename itself, durable (not every system opens folders)
            folder = os.open(self.folder, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)

    def writable(self) -> None:
        """Nothing if runs can be saved here; else StoreError ("runs are not being saved: ...")."""
        try:
            with self._db(write=True):
                pass
            handle, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=self.folder)
            os.close(handle)
            os.unlink(temp)
        except (OSError, sqlite3.Error) as err:
            raise StoreError(f"{NOT_SAVED}{_why(err)} ({self.folder})") from err

    # ---- saving -----------------------------------------------------------------------------------
    def save(self, run, owner: str = "", *, id: str | None = None, key=None, state: str | None = None,
             note: str = "", writer: str | None = None, label: str = "") -> Saved:
        """Save the run (not while a thread trains it: between its steps). Without `id`, a new run:
        returns its new id and edit key. With `id` and its `key` (or LOCAL), the stored run is
        replaced; a wrong key raises KeyRefused, and another live writer's lease RunBusy. `writer`
        (new_writer()): the save takes or refreshes the run's lease for it (`label`: what it is).
        `state`: training, stopped or finished (by default finished when the run is done, else
        stopped). A folder that cannot be written raises StoreError ("runs are not being saved: ...")."""
        from gan_core import kinds
        from gan_core.keeping.bundle import to_bundle

        if state is None:
            state = "finished" if run.done else "stopped"
        if state not in STATES:
            raise ValueError(f"state must be one of {', '.join(STATES)} (got {state!r})")
        try:
            data = to_bundle(run)  # it writes the generator's file in a temporary folder first: a full disk fails here
        except OSError as err:
            raise StoreError(f"{NOT_SAVED}{_why(err)}") from err
        config = run.config
        now = time.time()
        kind = kinds.of_run(run)
        fields = {"kind": kind.name, "target": getattr(config, "target", "mnist" if kind is kinds.DIGITS else kind.name),
                  "summary": summary_of(config), "iteration": int(run.iteration), "n_epochs": int(run.n_epochs),
                  "state": state, "updated": now, "bytes": len(data)}
        try:
            with self._db(write=True) as db:
                if id is None:
                    saved = Saved(new_id(), secrets.token_urlsafe(24))
                    self._write_file(self._path(saved.id), data)
                    db.execute("INSERT INTO runs (id, kind, target, summary, note, iteration, n_epochs, state, created, "
                               "updated, owner, bytes, key_hash) VALUES (:id, :kind, :target, :summary, :note, "
                               ":iteration, :n_epochs, :state, :created, :updated, :owner, :bytes, :key_hash)",
                               {**fields, "id": saved.id, "note": note, "created": now, "owner": owner or "",
                                "key_hash": hash_key(saved.key)})
                    if writer is not None:
                        self._hold(db, saved.id, writer, label, now)
                else:
                    self._check(db, id, key)
                    self._hold(db, id, writer, label, now)  # before the bundle is replaced: RunBusy leaves it be
                    saved = Saved(id, key if isinstance(key, str) else "")
                    self._write_file(self._path(id), data)
                    db.execute("UPDATE runs SET kind=:kind, target=:target, summary=:summary, iteration=:iteration, "
                               "n_epochs=:n_epochs, state=:state, updated=:updated, bytes=:bytes WHERE id=:id",
                               {**fields, "id": id})
        except (OSError, sqlite3.Error) as err:
            raise StoreError(f"{NOT_SAVED}{_why(err)} ({self.folder})") from err
        with contextlib.suppress(StoreError, OSError, sqlite3.Error):  # retention never fails a save
            self.prune(keep=saved.id, owner=owner)
        return saved

    def _check(self, db, run_id, key) -> None:
        row = db.execute("SELECT key_hash FROM runs WHERE id = ?", (run_id,)).fetchone() if _shown(run_id) else None
        if row is None:
            raise NoSuchRun(f"no such run{_shown(run_id)}")
        if key is LOCAL:
            return
        if not isinstance(key, str) or not isinstance(row[0], str) or not hmac.compare_digest(hash_key(key), row[0]):
            raise KeyRefused(f"that edit key does not open run {run_id}: it can be opened and continued as a copy, "
                             "not changed")

    # ---- one writer per run ------------------------------------------------------------------------
    @staticmethod
    def _leases(db, run_id: str | None = None) -> list[Lease]:
        """The lease rows, live or not (of one run, if given; none in an index from before leases)."""
        if db is None or db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'writers'").fetchone() is None:
            return []
        query = "SELECT id, writer, label, host, pid, since, beat FROM writers"
        rows = db.execute(query + " WHERE id = ?", (run_id,)) if run_id is not None else db.execute(query)
        leases = []
        for row in rows.fetchall():
            with contextlib.suppress(TypeError, ValueError):  # a damaged row holds nothing
                leases.append(Lease(*map(str, row[:4]), int(row[4]), float(row[5]), float(row[6])))
        return leases

    def _lease(self, db, run_id: str) -> Lease | None:
        return next(iter(self._leases(db, run_id)), None)

    def _hold(self, db, run_id: str, writer: str | None, label: str = "", now: float | None = None) -> None:
        """In a write transaction: RunBusy if another live writer holds the run; else, for `writer`,
        take or refresh its lease (a stale one is taken over)."""
        now = now or time.time()
        lease = self._lease(db, run_id)
        if lease is not None and lease.writer != writer and lease.live(now):
            raise RunBusy(f"run {run_id} is being trained by {lease.words()}: one writer at a time")
        if writer is None:
            return
        db.execute("INSERT INTO writers (id, writer, label, host, pid, since, beat) VALUES (?, ?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT (id) DO UPDATE SET writer = excluded.writer, label = excluded.label, host = excluded.host, "
                   "pid = excluded.pid, beat = excluded.beat, "
                   "since = CASE WHEN writers.writer = excluded.writer THEN writers.since ELSE excluded.since END",
                   (run_id, writer, label or (lease.label if lease and lease.writer == writer else ""),
                    socket.gethostname(), os.getpid(), now, now))
        with _HELD_LOCK:
            _HELD.add(writer)

    def claim(self, run_id: str, key, writer: str, iteration: int | None = None, label: str = "") -> Lease:
        """Become the run's one writer before training it (its key, or LOCAL): its Lease. NoSuchRun,
        KeyRefused; RunBusy while another live writer holds it; RunMoved when `iteration` (where the
        caller's copy is) is behind the stored run's (someone else saved it since)."""
        try:
            with self._db(write=True) as db:
                self._check(db, run_id, key)
                lease = self._lease(db, run_id)
                if lease is not None and lease.writer != writer and lease.live():
                    raise RunBusy(f"run {run_id} is being trained by {lease.words()}: one writer at a time")
                stored = db.execute("SELECT iteration FROM runs WHERE id = ?", (run_id,)).fetchone()[0]
                if iteration is not None and isinstance(stored, int) and stored > iteration:
                    raise RunMoved(f"run {run_id} was continued elsewhere since this copy of it was opened: it is at "
                                   f"iteration {stored:,} in the store, this copy at {iteration:,}")
                self._hold(db, run_id, writer, label)
                return self._lease(db, run_id)
        except (OSError, sqlite3.Error) as err:
            raise StoreError(f"{NOT_SAVED}{_why(err)} ({self.folder})") from err

    def beat(self, run_id: str, writer: str) -> bool:
        """Refresh the writer's lease (for another host's eyes); False when it no longer holds it."""
        try:
            with self._db(write=True) as db:
                return db.execute("UPDATE writers SET beat = ? WHERE id = ? AND writer = ?",
                                  (time.time(), run_id, writer)).rowcount == 1
        except (OSError, sqlite3.Error, StoreError):
            return False

    def release(self, run_id: str, writer: str) -> None:
        """The writer lets go of the run (its training ended); nothing if it holds no lease there."""
        with _HELD_LOCK:
            _HELD.discard(writer)
        # a folder gone bad: the lease goes stale anyway (this process no longer holds the writer)
        with contextlib.suppress(OSError, sqlite3.Error, StoreError), self._db(write=True) as db:
            db.execute("DELETE FROM writers WHERE id = ? AND writer = ?", (run_id, writer))

    def lease(self, run_id: str) -> Lease | None:
        """The run's live lease: who trains it now (None when nobody does)."""
        with self._db() as db:
            lease = self._lease(db, run_id) if _shown(run_id) else None
        return lease if lease is not None and lease.live() else None

    def check_key(self, run_id: str, key) -> bool:
        """Whether `key` may save over or delete the run (False for a wrong key or an unknown run)."""
        try:
            with self._db() as db:
                if db is None:
                    return False
                self._check(db, run_id, key)
            return True
        except (NoSuchRun, KeyRefused):
            return False

    # ---- reading ------------------------------------------------------------------------------------
    def list(self, kind: str | None = None, owner: str | None = None) -> Listing:
        """Every run's Record (of `kind` and `owner`, if given), newest first. A row that is not a run's,
        or whose bundle is missing, is skipped and named in `.problems`."""
        records, problems = [], []
        with self._db() as db:
            if db is None:
                return Listing()
            rows = db.execute(f"SELECT {', '.join(COLUMNS)} FROM runs ORDER BY updated DESC").fetchall()
        for row in rows:
            try:
                record = _record(row)
            except (ValueError, TypeError) as err:
                problems.append(f"index row of run {str(row[0])[:40]!r} skipped: {err}")
                continue
            if not os.path.isfile(self._path(record.id)):
                problems.append(f"run {record.id} skipped: its bundle {record.id}.zip is missing")
                continue
            if (kind is None or record.kind == kind) and (owner is None or record.owner == owner):
                records.append(record)
        return Listing(records, problems)

    def record(self, run_id: str) -> Record:
        """The run's Record; NoSuchRun, or StoreError for a damaged row."""
        with self._db() as db:
            row = (db.execute(f"SELECT {', '.join(COLUMNS)} FROM runs WHERE id = ?", (run_id,)).fetchone()
                   if db is not None and _shown(run_id) else None)
        if row is None:
            raise NoSuchRun(f"no such run{_shown(run_id)}")
        try:
            return _record(row)
        except (ValueError, TypeError) as err:
            raise StoreError(f"run {run_id}'s index row is damaged ({err}); it was not loaded") from None

    def bundle(self, run_id: str) -> bytes:
        """The run's bundle bytes, as stored (for a download, or bundle.from_bundle)."""
        self.record(run_id)
        try:
            with open(self._path(run_id), "rb") as f:
                return f.read()
        except OSError as err:
            raise StoreError(f"run {run_id}'s bundle {run_id}.zip cannot be read: {_why(err)}") from None

    def load(self, run_id: str, mnist=None):
        """The stored run, ready to continue (bit for bit) or to look at. `mnist`: scale -> (digits,
        classifier) for an MNIST run (by default MNIST's own). NoSuchRun, or StoreError naming a damaged run."""
        from gan_core.keeping.bundle import BundleError, from_bundle

        data = self.bundle(run_id)
        try:
            return from_bundle(data, mnist=mnist or default_mnist)
        except BundleError as err:
            raise StoreError(f"run {run_id}'s bundle {run_id}.zip is damaged; it was not loaded. {err}") from None

    # ---- removing -----------------------------------------------------------------------------------
    def delete(self, run_id: str, key) -> None:
        """Remove the run (its key, or LOCAL); NoSuchRun, KeyRefused, or RunBusy while another writer trains it."""
        try:
            with self._db(write=True) as db:
                self._check(db, run_id, key)
                self._hold(db, run_id, None)  # not while another writer trains it
                db.execute("DELETE FROM runs WHERE id = ?", (run_id,))
                db.execute("DELETE FROM writers WHERE id = ?", (run_id,))
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self._path(run_id))
        except (OSError, sqlite3.Error) as err:
            raise StoreError(f"run {run_id} could not be deleted: {_why(err)}") from err

    def prune(self, keep: str | None = None, owner: str = "") -> list[str]:
        """Keep the store within max_runs and max_bytes (module doc: who goes first); remove temporary
        files left by dead processes and bundles with no row. Returns the ids removed."""
        removed = []
        with self._db(write=True) as db:
            rows = db.execute("SELECT id, state, owner, updated, bytes FROM runs").fetchall()
            count, total = len(rows), sum(r[4] if isinstance(r[4], int) else 0 for r in rows)
            held = {lease.id for lease in self._leases(db) if lease.live()}  # being trained, whatever its state says
            # "training" with no live lease: its writer died (a killed server); kept no more than a stopped run
            candidates = sorted((r for r in rows if r[0] != keep and r[0] not in held),
                                key=lambda r: (r[2] == owner, r[1] != "finished", r[3] if isinstance(r[3], float) else 0))
            for run_id, _, _, _, size in candidates:
                if count <= self.max_runs and total <= self.max_bytes:
                    break
                db.execute("DELETE FROM runs WHERE id = ?", (run_id,))
                db.execute("DELETE FROM writers WHERE id = ?", (run_id,))
                with contextlib.suppress(OSError):
                    os.unlink(self._path(str(run_id)))
                removed.append(run_id)
                count, total = count - 1, total - (size if isinstance(size, int) else 0)
            known = {r[0] for r in rows} - set(removed)
        now = time.time()
        for name in os.listdir(self.folder):
            path = os.path.join(self.folder, name)
            with contextlib.suppress(OSError):
                old = now - os.path.getmtime(path) > TEMP_MAX_AGE_S
                if name.startswith(TEMP_PREFIX) and old or (name.endswith(".zip") and name[:-4] not in known and old):
                    os.unlink(path)
        return removed

    def size(self) -> int:
        """Bytes of the store's bundles (by its index)."""
        return sum(record.bytes for record in self.list())


class Autosaver:
    """Saves a training run at its check-ins, as often as the budget allows: the first after every_s
    seconds, then at most one in every_s seconds and never more than SAVE_SHARE of the time (a save
    that took 50 ms waits for 1 s of training after it), and the check-in that finishes the run (a
    run shorter than every_s is saved once, at its end). Call `check_in()` between
    steps (in the training thread) after each check-in. A store that cannot be written is tried no
    more: `error` holds what to show, and training goes on.

    It saves as `writer` (a new token unless given: the one that claimed the run): its saves hold the
    run's lease, its check-ins refresh it, and `stopped()` lets go of it. A run that another live
    writer holds is not saved over (`error` says by whom)."""

    def __init__(self, store: Store, run, owner: str = "", saved: Saved | None = None,
                 every_s: float = SAVE_EVERY_S, share: float = SAVE_SHARE, writer: str | None = None,
                 label: str = ""):
        self.store, self.run, self.owner, self.saved = store, run, owner, saved
        self.every_s, self.share = every_s, share
        self.writer, self.label = writer or new_writer(), label
        self.last, self.cost, self.saves, self.error = time.perf_counter(), 0.0, 0, None
        self.beaten = time.monotonic()
        self.iteration, self.state = None, None  # the iteration and state of the last save

    def check_in(self, force: bool = False) -> bool:
        """Save now if due (or forced, or the run is done); True if it saved."""
        now = time.perf_counter()
        if self.error is not None or not (force or self.run.done
                                          or now - self.last >= max(self.every_s, self.cost / self.share)):
            if self.error is None and self.saved is not None and time.monotonic() - self.beaten >= BEAT_S:
                self.beaten = time.monotonic()  # saves may be far apart: the lease says this writer is alive
                self.store.beat(self.saved.id, self.writer)
            return False
        return self._save(None if self.run.done else "training", now)

    def stopped(self) -> bool:
        """Save now as stopped (or finished), and let go of the run's lease: when the run's training
        ends, for a Stop or anything else. Nothing to save when the last save already holds that (a
        finished run saved at its last check-in)."""
        state = "finished" if self.run.done else "stopped"
        try:
            if self.error is not None or (self.iteration == self.run.iteration and self.state == state):
                return False
            return self._save(state, time.perf_counter())
        finally:
            if self.saved is not None:
                self.store.release(self.saved.id, self.writer)

    def _save(self, state, now) -> bool:
        try:
            if self.saved is None:
                self.saved = self.store.save(self.run, self.owner, state=state, writer=self.writer, label=self.label)
            else:
                self.store.save(self.run, self.owner, id=self.saved.id, key=self.saved.key, state=state,
                                writer=self.writer, label=self.label)
        except RunBusy as err:  # someone took the run over (this writer's lease went stale): theirs now
            self.error = StoreError(f"{NOT_SAVED}{err}")
            return False
        except StoreError as err:
            self.error = err
            return False
        except Exception as err:  # a bundle that could not be written (e.g. the generator's file): training goes on
            self.error = StoreError(f"{NOT_SAVED}{type(err).__name__}: {err}"[:500])
            return False
        self.last = time.perf_counter()
        self.cost, self.saves, self.beaten = self.last - now, self.saves + 1, time.monotonic()
        self.iteration, self.state = self.run.iteration, state or ("finished" if self.run.done else "stopped")
        return True


def _why(err: BaseException) -> str:
    if isinstance(err, OSError):
        return f"{err.strerror or type(err).__name__}{f' ({err.filename})' if err.filename else ''}"
    return str(err) or type(err).__name__
