"""The app's side of the run store (gan_core/keeping/store.py): a GAN page's run has an address.

A run gets its id and edit key when it first trains (saved at once, then by an Autosaver in its
worker at check-ins and when training ends). The page's address carries `?run=<id>` and, for its
owner, `&key=<edit key>` (only the key's hash is stored). Opening an address brings the run back
paused: with its key the visitor owns it (Resume continues it, saving over it); without it the run
is read-only (replay, compare, download) until "Continue as my own run" copies it under a new id
and key. The id and key live on the run's AppRun (explorer/app_run.py), like its display name, so a
run handed to another page or kept for Compare keeps them.

One writer per run (the store's lease): Train, Step and Resume claim the run first. While another
tab or process trains it, this tab does not: its Resume says who trains it, and the page follows
the run instead, like an address opened while the run trains elsewhere (with its key or without):
`refresh` re-reads the store every FOLLOW_INTERVAL_S (explorer/live.py's fragment), one bundle load
per redraw at most, until that training stops; the owner's tab may then Resume it. A copy that is
behind the stored run (another tab continued it since) is not trained either: the page loads the
stored run. A reloaded page takes its run over from its old session's worker once that tab is gone.

A store that cannot be written never stops training: the page says "runs are not being saved: ..."."""
from __future__ import annotations

import re
import time
import urllib.parse
import weakref

import streamlit as st

from gan_core import kinds
from gan_core.keeping.store import Autosaver, NoSuchRun, RunBusy, RunMoved, Saved, Store, StoreError, new_writer

from . import session
from .app_run import AppRun
from .experiments import BY_KIND, GAN_STATES
from .lifecycle import visitor
from .text import literal
from .worker import Worker

SAVE_EVERY_S = 3.0  # at most one save in this many seconds of training (and at most 5 % of it: Autosaver)
FOLLOW_INTERVAL_S = 3.0  # a run training elsewhere is re-read this often (it is saved at most every SAVE_EVERY_S)
RELOAD_WAIT_S = 2.0  # a reload's old tab has gone by then: its worker is taken over, not followed
WRITER = "a browser tab of the app"  # the app's writers in the store's lease (the command line names itself)
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")  # an edit key's shape: anything else is not tried
# the workers training stored runs in this process, by run id: a reloaded page (a new session) stops
# its old session's worker before opening the run, so that one run never trains twice
TRAINING: "weakref.WeakValueDictionary[str, Worker]" = weakref.WeakValueDictionary()


def store() -> Store:
    return Store()  # the folder named by GAN_EXPLORER_STORE now (tests point it elsewhere)


def owner() -> str:
    """This session's name in the index (runs it saved are "mine" on Compare, and kept longest)."""
    return session.STORE_OWNER.setdefault()


def keys() -> dict:
    """Run id -> edit key, for the runs this session owns (started, copied, or opened with their key)."""
    return session.STORE_KEYS.setdefault()


def run_id(app_run: AppRun | None) -> str | None:
    return None if app_run is None else app_run.store_id


def read_only(app_run: AppRun | None) -> bool:
    """A stored run opened without its edit key, or followed while it trains elsewhere: shown, not trained."""
    return run_id(app_run) is not None and (app_run.edit_key is None or app_run.following is not None)


def pictures_visible(app_run: AppRun | None) -> bool:
    """Whether this visitor may see the pictures a run trained on (a user's own pictures: the memorization
    check's nearest training pictures, a bundle's pictures.npz): the owner's own run, or one whose owner
    ticked "share my pictures" (the run's pictures_shared). Runs of other kinds have none to keep back."""
    return app_run is None or app_run.edit_key is not None or run_id(app_run) is None or \
        bool(getattr(app_run.run, "pictures_shared", True))


def following(app_run: AppRun | None) -> bool:
    """The run trains elsewhere (another tab, the command line): this page follows it."""
    return run_id(app_run) is not None and app_run.following is not None


def address(name: str) -> dict:
    """The address parameters of the page state `name`'s run: its id, and its key for its owner."""
    page = session.PAGE(name).get()
    app_run = page.app_run if page is not None else None
    if run_id(app_run) is None:
        return {}
    return {"run": app_run.store_id, **({"key": app_run.edit_key} if app_run.edit_key else {})}


def _in_address(page, app_run: AppRun) -> None:
    """Put the run's id and key into the address now (a Train's run got them after the form wrote it)."""
    for param in ("run", "key"):
        st.query_params.pop(param, None)
    st.query_params.update({"run": app_run.store_id, **({"key": app_run.edit_key} if app_run.edit_key else {})})
    session.STORE_OPENED(page.name).set(app_run.store_id)  # this address is the page's own: nothing to open


def _identify(app_run: AppRun, saved) -> None:
    app_run.store_id, app_run.edit_key = saved.id, saved.key
    keys()[saved.id] = saved.key


def train(page, check_ins: int | None = None) -> Worker | None:
    """Start the page's worker on its run, saving it: a run without an id is saved first (its id and
    key go into the address), a stored one is claimed (one writer per run); a store that cannot be
    written is said on the page and training goes on. None, and the page follows the run, when
    another writer trains it or has moved it on since this tab opened it."""
    app_run = page.app_run
    app_run.store_error = None
    saver = None
    if page.name in GAN_STATES and not read_only(app_run):  # a lab's or a sweep's run is not a GAN run to keep
        writer = new_writer()
        try:
            if run_id(app_run) is None:
                _identify(app_run, store().save(app_run.run, owner(), state="training", writer=writer, label=WRITER))
                _in_address(page, app_run)
            else:
                store().claim(app_run.store_id, app_run.edit_key, writer, iteration=app_run.run.iteration,
                              label=WRITER)
            saver = Autosaver(store(), app_run.run, owner(), Saved(app_run.store_id, app_run.edit_key),
                              every_s=SAVE_EVERY_S, writer=writer, label=WRITER)
        except (RunBusy, RunMoved) as err:
            _not_here(page, err)
            return None
        except StoreError as err:
            app_run.store_error = str(err)
    worker = app_run.start(visitor(), check_ins=check_ins, saver=saver)
    if saver is not None:
        TRAINING[app_run.store_id] = worker
    return worker


def _busy_text(run_id_: str, lease, owns: bool) -> str:
    since = time.strftime("%H:%M", time.localtime(lease.since))
    if not owns:
        return ("This is someone else's run, training right now: this view follows it live until that training "
                "stops. Replay it, compare it, download it, or **Continue as my own run** to train a copy.")
    return (f"Run {run_id_} is training in {literal(lease.label) or 'another place'} right now (since {since}), so this tab "
            "did not train it: one run is trained in one place at a time. This tab follows it live; when that "
            "training stops, **Resume** continues it here. **Continue as my own run** trains a copy now.")


def _not_here(page, err: StoreError) -> None:
    """Train/Step/Resume found the run trained (or moved on) elsewhere: say so, and follow it from the store."""
    app_run = page.app_run
    lease = store().lease(app_run.store_id) if isinstance(err, RunBusy) else None
    if lease is not None:
        text = _busy_text(app_run.store_id, lease, owns=True)
        app_run.following = 0.0  # the next redraw loads what the store holds, and follows it while that trains
    else:  # moved on (or its training ended just now): the stored run, which Resume continues
        text = (f"Run {app_run.store_id} was continued elsewhere since this tab opened it (another tab or the command "
                "line), so this tab did not train its older copy. The page shows the run as stored now; **Resume** "
                "continues it from there.")
        try:
            app_run.run = _load(app_run.store_id)
        except StoreError as load_error:
            text = literal(str(load_error))
    session.STORE_NOTICES.setdefault()[page.name] = (app_run.store_id, "warning", text)


def refresh(page) -> bool:
    """While the page's run trains elsewhere: its newest snapshot from the store (the lease and index row
    read, the bundle loaded only when it changed: at most one load per redraw). False once that training
    has stopped: the page then holds its last saved state and stops following."""
    app_run = page.app_run
    if not following(app_run):
        return False
    try:
        lease = store().lease(app_run.store_id)  # before the row: a writer saves its last state, then lets go
        updated = store().record(app_run.store_id).updated
        if updated != app_run.following:
            app_run.run = _load(app_run.store_id)
    except StoreError as err:  # deleted or damaged meanwhile: what is shown stays, and the page says why
        session.STORE_NOTICES.setdefault()[page.name] = (app_run.store_id, "warning",
                                                         literal(f"{err}: this page stopped following it."))
        app_run.following = None
        return False
    app_run.following = updated if lease is not None else None
    if app_run.following is None:  # what the page said ("follows it live") is said no more
        run = app_run.run
        where = f"iteration {run.iteration:,} of {run.n_epochs:,}"
        session.STORE_NOTICES.setdefault()[page.name] = (app_run.store_id, "info", (
            f"Run {app_run.store_id}'s training elsewhere has ended, at {where}"
            f"{'' if run.done else '; **Resume** continues it here'}." if app_run.edit_key else
            f"This is someone else's run, read-only at {where}, {'finished' if run.done else 'stopped'}: replay it, "
            "compare it, download it, or **Continue as my own run** to train a copy."))
    return app_run.following is not None


def _gone(worker: Worker) -> bool:
    """Whether the tab of a worker's session has closed (a reload), waiting RELOAD_WAIT_S for it."""
    deadline = time.monotonic() + RELOAD_WAIT_S
    while worker.visitor.absent_for() == 0.0:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _load(run_id_: str):
    from . import resources

    return store().load(run_id_, mnist=lambda scale: (resources.digits(scale), resources.classifier()))


def follow(page) -> None:
    """Open the run the address names (?run=, maybe &key=) on this GAN page, once per address, and
    say what was opened; before the page's form. A bad id says "no such run" and nothing else. A run
    this page follows is re-read first."""
    refresh(page)  # a run followed while it trains elsewhere: its newest snapshot, for the whole page
    wanted, key = st.query_params.get("run"), st.query_params.get("key")
    if wanted is None:
        session.STORE_OPENED(page.name).pop()
        return
    if run_id(page.app_run) == wanted or session.STORE_OPENED(page.name).get() == wanted:
        return
    session.STORE_OPENED(page.name).set(wanted)
    notices = session.STORE_NOTICES.setdefault()
    try:
        record = store().record(wanted)  # an unknown id, or not even an id's shape: "no such run", nothing else
    except NoSuchRun as err:
        notices[page.name] = (wanted, "error", f"{err}: check the address.")
        return
    except StoreError as err:
        notices[page.name] = (wanted, "error", str(err))
        return
    owns = isinstance(key, str) and KEY_PATTERN.fullmatch(key) is not None and store().check_key(wanted, key)
    home = BY_KIND[record.kind].states["gan"]
    if home != page.name:  # a run of another kind: its own page opens it
        entry = BY_KIND[record.kind]
        query = urllib.parse.urlencode({"run": wanted, **({"key": key} if owns else {})})
        notices[page.name] = (wanted, "error", f"Run {wanted} is a {kinds.KINDS[record.kind].title} run: "
                                               f"[open it on its own page](/{entry.address('gan')}?{query}).")
        return
    with st.spinner(f"Opening run {wanted}…"):
        try:
            lease = store().lease(wanted)
            if owns and lease is not None and (old := TRAINING.get(wanted)) is not None and old.active and _gone(old):
                old.stop(10.0)  # its page was reloaded: the run continues here, from what that worker saved at its stop
                lease = store().lease(wanted)  # (a step that outlasted the wait: this tab follows until it ends)
            record = store().record(wanted)
            run = _load(wanted)
        except StoreError as err:
            notices[page.name] = (wanted, "error", str(err))
            return
    if owns:
        keys()[wanted] = key
    # trained elsewhere (another open tab, the command line): followed, never trained here at the same time
    _replace(page, AppRun(run, store_id=wanted, edit_key=key if owns else None,
                          following=record.updated if lease is not None else None))
    where = f"iteration {run.iteration:,} of {run.n_epochs:,}"
    if lease is not None:
        notices[page.name] = (wanted, "info", _busy_text(wanted, lease, owns))
        return
    if owns and record.state == "training":
        text = (f"This run was training when the server stopped. It is back at its last saved check-in, {where}"
                f"{'' if run.done else '; **Resume** continues it'}.")
    elif owns:
        text = f"Run {wanted} is back at {where}, {'finished' if run.done else 'paused: **Resume** continues it'}."
    else:
        text = ((f"That edit key does not open run {wanted}. " if key is not None else "")
                + f"This is someone else's run, read-only at {where}: replay it, compare it, download it, or "
                  "**Continue as my own run** to train a copy.")
    notices[page.name] = (wanted, "info", text)


def _replace(page, app_run: AppRun) -> None:
    """The opened run becomes the page's; the run it replaces stops and is kept for Compare."""
    from . import session_runs

    session_runs.hand_over(page, app_run, 3.0)
    session.OPEN_GAN_PAGE.pop()  # already on its page


def _continue_as_mine(page) -> None:
    """A copy of the shown run, saved under a new id and key: the visitor's own, paused."""
    app_run = page.app_run
    try:
        saved = store().save(app_run.run, owner())
    except StoreError as err:
        app_run.store_error = str(err)
        return
    app_run.store_error, app_run.following = None, None  # its own now: no longer follows the original
    _identify(app_run, saved)
    _in_address(page, app_run)
    session.STORE_NOTICES.setdefault()[page.name] = (
        saved.id, "info", f"This is your own copy now, run {saved.id}, at iteration {app_run.run.iteration:,}"
                          f"{'' if app_run.run.done else ': **Resume** continues it'}.")


def notice(page) -> None:
    """What the address opened (or why nothing), at the top of the page: on a phone the buttons fill
    the first screen."""
    notices = session.STORE_NOTICES.get()
    if page.name in notices:
        wanted, level, text = notices[page.name]
        if level == "error" and session.STORE_OPENED(page.name).get() == wanted:  # said once
            st.error(literal(text) if "](" not in text else text)
        elif level in ("info", "warning") and run_id(page.app_run) == wanted:
            (st.info if level == "info" else st.warning)(text)


def panel(page) -> None:
    """Under the page's buttons: whether runs are being saved, Share this run, and for a read-only
    run Continue as my own run."""
    if page.name not in GAN_STATES:
        return
    app_run = page.app_run
    if app_run is None:
        return
    worker = app_run.worker
    error = app_run.store_error or (worker.saver.error if worker is not None and worker.saver else None)
    if error:
        st.warning(literal(str(error)), icon=":material/cloud_off:")
    if run_id(app_run) is None:
        return
    left, right, _ = st.columns([1, 1, 2])
    with left.popover("Share this run", width="stretch"):
        params = {k: v for k, v in st.query_params.to_dict().items() if k != "key"}
        params["run"] = app_run.store_id
        here = "/" + BY_KIND[GAN_STATES[page.name].name].address("gan")
        app = (st.context.url or "").rstrip("/")  # the app's address, with or without the page's path
        app = app[:-len(here)] if app.endswith(here) else app
        st.code(f"{app}{here}?{urllib.parse.urlencode(params)}", language=None)
        st.caption("Whoever opens this address sees this run read-only (its charts, replay, downloads, Compare) "
                   "and can continue a copy of their own. Your own address also holds the run's edit key: keep "
                   "it to Resume this run later, also after a server restart.")
        if BY_KIND[GAN_STATES[page.name].name].own_pictures and not read_only(app_run):
            share_pictures_box(page)
    if read_only(app_run):
        right.button("Continue as my own run", key=page.button("continue_copy"), width="stretch",
                     on_click=_continue_as_mine, args=(page,),
                     help="A copy of this run under a new address of your own, paused where it is: Resume trains it.")


SHARING = ("**What a link shares:** the run's settings, charts, generated pictures and generator. **Your pictures "
           "stay with you** unless you tick *share my pictures*: then whoever opens the link also sees each generated "
           "picture's nearest training picture, and the run's bundle carries your pictures so they can continue it.")


def share_pictures_box(page) -> None:
    """The owner's "share my pictures" (the run's pictures_shared), and what a link shares, in words."""
    run = page.run
    st.checkbox("Share my pictures", **session.SHARE_PICTURES(page.name, id(run)).kept(bool(run.pictures_shared)),
                on_change=_share_pictures, args=(page,),
                help="Off: a link shows your run without the pictures it trained on. On: with them.")
    st.caption(SHARING)


def _share_pictures(page) -> None:
    """The box's new value on the run, saved now (a training run's Autosaver saves it at its next check-in)."""
    app_run = page.app_run
    app_run.run.pictures_shared = bool(session.SHARE_PICTURES(page.name, id(app_run.run)).get())
    if app_run.training or run_id(app_run) is None:
        return
    try:
        store().save(app_run.run, owner(), id=app_run.store_id, key=app_run.edit_key)
    except StoreError as err:
        app_run.store_error = str(err)


def mine(record) -> bool:
    return record.owner == owner() or record.id in keys()


def link(record) -> str:
    """The address that opens a stored run on its GAN page (with its key when this session owns it)."""
    key = keys().get(record.id)
    return f"/{BY_KIND[record.kind].address('gan')}?" + urllib.parse.urlencode(
        {"run": record.id, **({"key": key} if key else {})})


def open_for_compare(record_id: str) -> AppRun:
    """A stored run, loaded to be compared (read-only); StoreError says why not."""
    return AppRun(_load(record_id), store_id=record_id, edit_key=keys().get(record_id))


def gan_state(record) -> str:
    return BY_KIND[record.kind].states["gan"]

