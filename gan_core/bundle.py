"""A run as one file to download and upload again: to compare it with others, or to continue it.

A bundle is a zip of
- config.json: the run's settings (what the GAN page's Config JSON download holds);
- history.csv: one row per check-in (what the History download holds);
- generator.keras: the generator, to open anywhere with keras.models.load_model (not read back);
- state.npz: everything a compiled step reads (both networks' weights and Adam slots, the seed,
  the iteration), as in run.checkpoint();
- meta.json: the iteration, training seconds, the check-ins' random generator state, changes;
- latest.npz: the latest check-in's samples, heat map and arrows, so that its page draws them;
- points.csv: the uploaded points of a run on a user's CSV.

Reading one back never unpickles or evaluates anything: JSON, CSV and NumPy arrays with
allow_pickle=False, each checked; a file that is not such a bundle, or whose networks do not
match its settings, is refused with a message saying what is allowed. 1-D and 2-D GAN runs only.
"""
from __future__ import annotations

import io
import json
import math
import os
import tempfile
import zipfile
import zlib

import numpy as np
import pandas as pd
import tensorflow as tf

from . import adam
from .config import Config, ConfigError
from .points import UPLOADED, PointsError, read_points_csv
from .training import Checkpoint, Evaluation, GanRun

FORMAT = 1
MAX_BYTES = 20 * 2**20  # a 1-D or 2-D run's bundle is well under 1 MB; its history at most a few MB
RULES = ("a .zip downloaded with this app's 'Run bundle' button (config.json, history.csv, state.npz, "
         f"meta.json, latest.npz inside), of a 1-D or 2-D GAN run, at most {MAX_BYTES // 2**20} MB")
PAYLOAD = ("real", "fake", "decision", "push")
ROW_FIELDS = ("iteration", "acc_real", "acc_fake", "d_loss", "g_loss", "seconds")
RATE_FIELDS = ("d_lr", "g_lr")


class BundleError(ValueError):
    """A file that is not a run bundle this app can read; the message says what is allowed."""


def to_bundle(run: GanRun) -> bytes:
    """The run (its state now: call it on a run that is not training) as zip bytes."""
    checkpoint = run.checkpoint()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", run.config.to_json())
        archive.writestr("history.csv", run.history_frame().to_csv(index=False))
        leaves = tf.nest.flatten(checkpoint.state)
        archive.writestr("state.npz", _npz({f"a{i}": np.asarray(leaf) for i, leaf in enumerate(leaves)}))
        fields = checkpoint.fields
        archive.writestr("meta.json", json.dumps({
            "format": FORMAT, "iteration": fields["iteration"], "seconds": fields["seconds"],
            "compile_seconds": fields["compile_seconds"], "sums": fields["_sums"],
            "changes": fields.get("changes", []), "divergences": fields.get("divergences", []),
            "eval_rng": checkpoint.eval_rng}))
        latest = run.history[-1] if run.history else None
        arrays = {name: getattr(latest, name) for name in PAYLOAD if latest is not None
                  and getattr(latest, name) is not None}
        archive.writestr("latest.npz", _npz(arrays))
        if run.config.target == UPLOADED:
            archive.writestr("points.csv", pd.DataFrame(run.target.support, columns=["x", "y"]).to_csv(index=False))
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "generator.keras")
            run.save_generator(path)
            archive.write(path, "generator.keras")
    return buffer.getvalue()


def _npz(arrays: dict) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _refuse(why: str):
    raise BundleError(f"{why} Allowed: {RULES}.")


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        _refuse(f"It has no {name}.")
    if info.file_size > MAX_BYTES:  # a zip bomb would unpack far past the file's own size
        _refuse(f"Its {name} unpacks to {info.file_size / 2**20:.0f} MB.")
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError) as err:
        _refuse(f"Its {name} is damaged ({type(err).__name__}).")


def _arrays(data: bytes, name: str) -> dict[str, np.ndarray]:
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return {key: npz[key] for key in npz.files}
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as err:
        _refuse(f"Its {name} is not a NumPy archive of plain arrays ({type(err).__name__}).")


def from_bundle(data: bytes) -> GanRun:
    """The run in bundle bytes, ready to continue or compare; BundleError says why not."""
    if len(data) > MAX_BYTES:
        _refuse(f"The file is {len(data) / 2**20:.1f} MB.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        _refuse("It is not a zip archive.")
    with archive:
        config_text, meta_text = _read(archive, "config.json"), _read(archive, "meta.json")
        try:
            settings = json.loads(config_text)
            if not isinstance(settings, dict):
                raise TypeError("not an object")
            config = Config.from_dict(settings).checked()
            meta = json.loads(meta_text)
        except ConfigError as err:
            _refuse(f"Its settings are not valid: {err}")
        except (ValueError, TypeError, AttributeError, UnicodeDecodeError, RecursionError) as err:
            _refuse(f"Its config.json or meta.json is not valid JSON settings ({type(err).__name__}).")
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            _refuse("Its meta.json is not of this app's bundle format.")
        points = None
        if config.target == UPLOADED:
            try:
                points = read_points_csv(_read(archive, "points.csv"))
            except PointsError as err:
                _refuse(f"Its points.csv was refused: {err}")
        state = _arrays(_read(archive, "state.npz"), "state.npz")
        latest = _arrays(_read(archive, "latest.npz"), "latest.npz")
        try:
            history = pd.read_csv(io.BytesIO(_read(archive, "history.csv")))
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as err:
            _refuse(f"Its history.csv is not a table ({type(err).__name__}).")
    run = GanRun(config, points=points)
    try:
        iteration, seconds = int(meta["iteration"]), float(meta["seconds"])
        compile_seconds = meta.get("compile_seconds")
        sums = {str(k): float(v) for k, v in dict(meta.get("sums", {})).items()}
        changes = [(int(i), str(t)) for i, t in meta.get("changes", [])]
        divergences = [(int(i), str(t)) for i, t in meta.get("divergences", [])]
        rng = meta["eval_rng"]
        run.eval_rng.bit_generator.state = rng  # checked here: a bad state raises
    except (KeyError, TypeError, ValueError, OverflowError) as err:
        _refuse(f"Its meta.json does not describe a run ({type(err).__name__}: {str(err)[:80]}).")
    if not 0 <= iteration <= config.n_epochs:
        _refuse(f"Its iteration {iteration:,} is outside 0 to n_epochs ({config.n_epochs:,}).")
    template = tf.nest.flatten(adam.to_numpy(run.state))
    leaves = [state.get(f"a{i}") for i in range(len(template))]
    if len(state) != len(template) or any(
            leaf is None or leaf.shape != want.shape or leaf.dtype != want.dtype for leaf, want in zip(leaves, template)):
        _refuse("Its networks' state does not match its settings (other layers, batch or latent size).")
    if not all(np.isfinite(leaf).all() for leaf in leaves if leaf.dtype.kind == "f"):
        _refuse("Its networks' weights are not all finite numbers.")
    state_tree = tf.nest.pack_sequence_as(adam.to_numpy(run.state), leaves)
    state_tree = state_tree._replace(iteration=np.asarray(iteration, np.int64))
    evaluations = _evaluations(history, iteration, latest)
    run.restore(Checkpoint(state_tree, rng, {
        "iteration": iteration, "seconds": seconds, "compile_seconds": compile_seconds, "history": evaluations,
        "_sums": sums, "changes": changes, "divergences": divergences}))
    return run


def _evaluations(history: pd.DataFrame, iteration: int, latest: dict) -> list[Evaluation]:
    """The check-ins from history.csv (numbers only), the latest with its arrays."""
    missing = [name for name in ROW_FIELDS if name not in history.columns]
    if missing:
        _refuse(f"Its history.csv lacks the columns {', '.join(missing)}.")
    numeric = history.apply(pd.to_numeric, errors="coerce")
    if numeric.isna().to_numpy().sum() > history.isna().to_numpy().sum():
        _refuse("Its history.csv holds something other than numbers.")
    iterations = numeric["iteration"].tolist()
    if any(b <= a for a, b in zip(iterations, iterations[1:])) or (iterations and not 0 < iterations[-1] <= iteration):
        _refuse("Its history.csv's iterations do not rise to the run's iteration.")
    out = []
    for row in numeric.to_dict("records"):
        metrics = {k: float(v) for k, v in row.items() if k not in ROW_FIELDS + RATE_FIELDS}
        rates = {k: float(row[k]) for k in RATE_FIELDS if k in row and not math.isnan(row[k])}
        out.append(Evaluation(iteration=int(row["iteration"]), acc_real=float(row["acc_real"]),
                              acc_fake=float(row["acc_fake"]), d_loss=float(row["d_loss"]),
                              g_loss=float(row["g_loss"]), real=None, fake=None, seconds=float(row["seconds"]),
                              metrics=metrics, rates=rates))
    if out:
        for name, array in latest.items():
            if name in PAYLOAD and array.dtype.kind == "f" and array.ndim == 2 and np.isfinite(array).all():
                setattr(out[-1], name, array.astype(np.float32))
        if out[-1].real is None or out[-1].fake is None:
            _refuse("Its latest.npz lacks the latest check-in's samples.")
    return out
