"""The command line's run store (gan_core/keeping/store.py): `train` and `sweep` save their runs into it
unless `--no-store`, and `python -m gan_core runs ...` lists, shows, continues, deletes and exports
them:

    python -m gan_core runs list [--kind points]
    python -m gan_core runs show ID
    python -m gan_core runs resume ID [--n-epochs N]    # continues bit for bit, saved back
    python -m gan_core runs delete ID
    python -m gan_core runs export-tensorboard ID DIR   # then: tensorboard --logdir DIR

The store's folder is GAN_EXPLORER_STORE, by default runs/store. A sweep saves each seed's run
(its own GanRun, continued with `runs resume` as any other), noted "seed S of a sweep of N". The
command line acts as the folder's owner: it may change any run there (store.LOCAL), and its runs'
owner is "cli". `runs resume` holds the run's lease while it trains: a run that an app's tab or another
`runs resume` trains now is refused ("runs resume: run ID is being trained by ..."). A store that cannot be written does not stop training: the command says "runs are
not being saved: ..." on stderr and writes its --out files as before.
"""
from __future__ import annotations

import argparse
import io
import json
import sys
import time
import zipfile

from gan_core import kinds
from gan_core.keeping import store as store_module
from gan_core.keeping.store import LOCAL, MAX_RUNS, Store, StoreError, new_writer

OWNER = "cli"


def add_flags(p: argparse.ArgumentParser, command: str) -> None:
    """`--no-store` for train and sweep."""
    if command in ("train", "sweep"):
        p.add_argument("--no-store", action="store_true",
                       help="do not save the run into the run store (GAN_EXPLORER_STORE, default runs/store)")


def add_parser(sub) -> None:
    """The `runs` command and its own commands."""
    p = sub.add_parser("runs", help="the run store: list, show, resume, delete, export-tensorboard")
    runs = p.add_subparsers(dest="runs_command", required=True)
    listing = runs.add_parser("list", help="the stored runs, newest first")
    listing.add_argument("--kind", choices=tuple(kinds.KINDS), default=None)
    runs.add_parser("show", help="a stored run's settings, progress and latest check-in").add_argument("id")
    resume = runs.add_parser("resume", help="continue a stored run (bit for bit) and save it back")
    resume.add_argument("id")
    resume.add_argument("--n-epochs", type=int, default=None,
                        help="the run's new length, in its own unit (default: its stored length)")
    runs.add_parser("delete", help="remove a stored run").add_argument("id")
    export = runs.add_parser("export-tensorboard", help="write a stored run's check-ins as TensorBoard event files")
    export.add_argument("id")
    export.add_argument("dir")


def _warn(message: str) -> None:
    print(f"# {message}", file=sys.stderr, flush=True)


def saving(args) -> bool:
    return args.command in ("train", "sweep") and not getattr(args, "no_store", False)


def check(args) -> None:
    """Before training: say at once if the store cannot be written (training goes on)."""
    if saving(args):
        try:
            Store().writable()
        except StoreError as err:
            _warn(str(err))


def store_run(args, run, note: str = "") -> str | None:
    """After `train` (or a seed of a sweep of pictures): save the run (a GAN run; not `discriminator`);
    returns its id or None."""
    if not saving(args) or args.command == "discriminator":
        return None
    try:
        saved = Store().save(run, OWNER, note=note)
    except StoreError as err:
        _warn(str(err))
        return None
    print(f"# saved as run {saved.id} in the run store (python -m gan_core runs show {saved.id}); "
          f"edit key {saved.key}", flush=True)
    return saved.id


def store_sweep(args, sweep) -> list[str]:
    """After `sweep`: save each seed's run."""
    if not saving(args):
        return []
    store, ids = Store(), []
    for seed in sweep.seeds:
        try:
            ids.append(store.save(sweep.run(seed), OWNER, note=f"seed {seed} of a sweep of {len(sweep.seeds)}").id)
        except StoreError as err:
            _warn(str(err))
            return ids
    print(f"# saved {len(ids)} runs in the run store, one per seed: {' '.join(ids)}", flush=True)
    return ids


def store_grid(args, grid) -> list[str]:
    """After `sweep --grid`: save each cell's seeds' runs, unless the grid would fill half the store
    (its cap: a big grid would push every other run out)."""
    if not saving(args):
        return []
    if grid.runs > MAX_RUNS // 2:
        _warn(f"a grid of {grid.runs:,} runs is not put in the run store (it keeps at most {MAX_RUNS} runs); "
              "summary.csv names each run's settings and seed: train one with `train`")
        return []
    store, ids = Store(), []
    for cell, seed in grid.members:
        try:
            ids.append(store.save(grid.run(cell, seed), OWNER,
                                  note=f"seed {seed} of cell {grid.cell_name(grid.cells[cell])} of a grid").id)
        except StoreError as err:
            _warn(str(err))
            return ids
    print(f"# saved {len(ids)} runs in the run store, one per cell and seed", flush=True)
    return ids


def _time(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))


def main(args) -> int:
    store = Store()
    try:
        return COMMANDS[args.runs_command](store, args)
    except StoreError as err:
        print(f"runs {args.runs_command}: {err}", file=sys.stderr)
        return 1


def list_runs(store: Store, args) -> int:
    listing = store.list(kind=args.kind)
    for problem in listing.problems:
        _warn(problem)
    rows = [("id", "kind", "target", "iterations", "state", "created")] + [
        (r.id, r.kind, r.target, f"{r.iteration}/{r.n_epochs}", r.state, _time(r.created)) for r in listing]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    print(f"# {len(listing)} runs in {store.folder}")
    return 0


def show(store: Store, args) -> int:
    import pandas as pd

    record = store.record(args.id)
    for name, value in record.row().items():
        print(f"{name}: {_time(value) if name in ('created', 'updated') else value}")
    try:
        with zipfile.ZipFile(io.BytesIO(store.bundle(args.id))) as archive:
            settings = json.loads(archive.read("config.json"))
            history = pd.read_csv(io.BytesIO(archive.read("history.csv")))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise StoreError(f"run {args.id}'s bundle {args.id}.zip is damaged ({type(err).__name__})") from None
    print("settings: " + json.dumps(settings))
    if len(history):
        print("latest check-in: " + "  ".join(f"{k}={v:.4g}" for k, v in history.iloc[-1].items()))
    return 0


def _lengthened(data: bytes, n_epochs: int) -> bytes:
    """The bundle with its settings' n_epochs set (validated when it is read back)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "config.json":
                content = json.dumps({**json.loads(content), "n_epochs": n_epochs}).encode()
            archive.writestr(info.filename, content)
    return buffer.getvalue()


def resume(store: Store, args) -> int:
    record = store.record(args.id)  # an unknown id: said before TensorFlow starts
    writer = new_writer()
    store.claim(args.id, LOCAL, writer, label="the command line (runs resume)")  # RunBusy: trained elsewhere now
    try:
        return _resume(store, args, record, writer)
    finally:
        store.release(args.id, writer)


def _resume(store: Store, args, record, writer: str) -> int:
    from gan_core.keeping.bundle import BundleError, from_bundle

    if args.n_epochs is None:
        run = store.load(args.id)
    else:
        try:
            run = from_bundle(_lengthened(store.bundle(args.id), args.n_epochs), mnist=store_module.default_mnist)
        except BundleError as err:
            raise StoreError(f"run {args.id} cannot be continued to {args.n_epochs:,}: {err}") from None
        except (zipfile.BadZipFile, ValueError, KeyError) as err:
            raise StoreError(f"run {args.id}'s bundle {args.id}.zip is damaged ({type(err).__name__})") from None
    if run.done:
        print(f"# run {args.id} is finished: {run.iteration:,} of {run.n_epochs:,} iterations "
              "(--n-epochs N continues it to N)")
        return 0
    print(f"# run {args.id} ({record.summary}): from {run.iteration:,} to {run.n_epochs:,} iterations")
    try:
        for ev in run.train():
            scores = getattr(ev, "metrics", None) or getattr(ev, "scores", {})
            print(f"{ev.iteration} {ev.acc_real:g} {ev.acc_fake:g}  d_loss={ev.d_loss:.3f} g_loss={ev.g_loss:.3f}  "
                  + " ".join(f"{k}={v:.4g}" for k, v in scores.items() if not k.endswith("_floor")), flush=True)
    except KeyboardInterrupt:
        store.save(run, OWNER, id=args.id, key=LOCAL, state="stopped", writer=writer)
        print(f"# stopped at {run.iteration:,}; saved as run {args.id}")
        return 130
    store.save(run, OWNER, id=args.id, key=LOCAL, writer=writer)
    print(f"# {run.iteration:,} iterations; saved back as run {args.id}")
    return 0


def delete(store: Store, args) -> int:
    store.delete(args.id, LOCAL)
    print(f"# deleted run {args.id}")
    return 0


def export(store: Store, args) -> int:
    from gan_core.keeping.events import export_tensorboard

    run = store.load(args.id)
    try:
        written = export_tensorboard(run, args.dir)
    except OSError as err:
        print(f"runs export-tensorboard: cannot write {args.dir}: {err.strerror}", file=sys.stderr)
        return 1
    print(f"# wrote {written['steps']} check-ins ({len(written['scalars'])} scalars each) and {written['images']} "
          f"image(s) to {written['file']}; view with: tensorboard --logdir {args.dir}")
    return 0


COMMANDS = {"list": list_runs, "show": show, "resume": resume, "delete": delete, "export-tensorboard": export}
