"""A run as one file to download and upload again: to compare it with others, or to continue it.

A bundle is a zip of
- config.json: the run's settings (what the GAN page's Config JSON download holds);
- history.csv: one row per check-in (what the History download holds);
- generator.keras: the generator, to open anywhere with keras.models.load_model (not read back);
- state.npz: everything a compiled step reads (both networks' weights and Adam slots, the seed,
  the iteration), as in run.checkpoint();
- meta.json: the iteration, training seconds, the check-ins' random generator state, changes;
- latest.npz: the latest check-in's samples, heat map and arrows (MNIST: its digit grid, digit
  histograms and the generator's snapshot), so that its page draws them;
- past.npz: the same pictures of up to PAST earlier check-ins, evenly spread over those the run
  holds, in half precision (MNIST: their digit grids, in 8 bits): pictures for the replay and
  TensorBoard, at a third of the bytes;
- points.csv: the uploaded rows of a run on a user's CSV (2-D points, 1-D samples);
- losses.npz (MNIST, a user's pictures): every batch's losses;
- pictures.npz (a user's pictures): the prepared pictures (uint8) and their names, which the run needs to
  continue once the upload is gone. They are the owner's: `shared_bundle` drops them from what anyone else
  downloads unless the owner said so (meta.json's `pictures_shared`, the run's `pictures_shared`).

Reading one back never unpickles or evaluates anything: JSON, CSV and NumPy arrays with
allow_pickle=False, each checked; a file that is not such a bundle, or whose networks do not
match its settings, is refused with a message saying what is allowed. GAN runs of every kind: 1-D,
2-D, MNIST (whose digits and classifier the caller provides: they are not in the bundle) and a user's
pictures (in the bundle, or given by the caller).
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

from gan_core import kinds
from gan_core.data.points import PointsError
from gan_core.networks import adam
from gan_core.data.images import MAX_FILES, MIN_IMAGES, ImageSet
from gan_core.settings.config import Config, ImageConfig, YourImagesConfig
from gan_core.settings.described import ConfigError
from gan_core.training.images import ImageEvaluation, ImageGanRun, PictureEvaluation
from gan_core.training.plane import Evaluation, GanRun
from gan_core.training.run import Checkpoint, has_payload

FORMAT = 1
MAX_BYTES = 50 * 2**20  # the app's upload cap (.streamlit/config.toml); the tutorial's DCGAN bundles to about 20 MB
RULES = ("a .zip downloaded with this app's 'Run bundle' button (config.json, history.csv, state.npz, "
         f"meta.json, latest.npz inside), of a GAN run, at most {MAX_BYTES // 2**20} MB")
PAYLOAD = ("real", "fake", "decision", "push", "mapping", "manifold")
IMAGE_PAYLOAD = ("grid", "histogram", "real_histogram", "nearest", "nearest_distances")  # MNIST's (nearest: judged)
PICTURE_PAYLOAD = ("grid", "nearest", "nearest_distances")  # a user's pictures' check-in
META_KINDS = {"digits": "mnist", "images": "images"}  # meta.json's word for an image kind; others: "plane"
PAST = 16  # earlier check-ins whose pictures a bundle keeps (a 1-D or 2-D run's: about 12 KB each, a digit grid's 80 KB)
ROW_FIELDS = ("iteration", "acc_real", "acc_fake", "d_loss", "g_loss", "seconds")
RATE_FIELDS = ("d_lr", "g_lr")


class BundleError(ValueError):
    """A file that is not a run bundle this app can read; the message says what is allowed."""


def to_bundle(run: GanRun | ImageGanRun, pictures: bool = True) -> bytes:
    """The run (its state now: call it on a run that is not training) as zip bytes; `pictures`: with a
    user's prepared pictures (the store keeps them: a run continues from them)."""
    kind = kinds.of_run(run)
    mnist = kind in (kinds.DIGITS, kinds.IMAGES)  # an image run: grids, per-batch losses
    own = kind is kinds.IMAGES
    checkpoint = run.checkpoint()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", run.config.to_json())
        archive.writestr("history.csv", run.history_frame().to_csv(index=False))
        leaves = tf.nest.flatten(checkpoint.state)
        archive.writestr("state.npz", _npz({f"a{i}": np.asarray(leaf) for i, leaf in enumerate(leaves)}))
        fields = checkpoint.fields
        archive.writestr("meta.json", json.dumps({
            "format": FORMAT, "kind": META_KINDS.get(kind.name, "plane"), "iteration": fields["iteration"], "seconds": fields["seconds"],
            "compile_seconds": fields["compile_seconds"], "sums": fields["_sums"],
            "changes": fields.get("changes", []), "divergences": fields.get("divergences", []),
            "eval_rng": checkpoint.eval_rng, **({"pictures_shared": bool(run.pictures_shared)} if own else {})}))
        latest = run.history[-1] if run.history else None
        arrays = {name: getattr(latest, name) for name in (PICTURE_PAYLOAD if own else IMAGE_PAYLOAD if mnist else PAYLOAD)
                  if latest is not None and getattr(latest, name) is not None}
        if mnist and latest is not None and latest.snapshot is not None:
            arrays.update({f"snapshot{i}": w for i, w in enumerate(latest.snapshot)})
        archive.writestr("latest.npz", _npz(arrays))
        # half-precision pictures shrink little, and deflating them took 5 ms of a 1-D save; digits shrink 4x
        archive.writestr("past.npz", _npz(_past(run.history[:-1], mnist)),
                         zipfile.ZIP_DEFLATED if mnist else zipfile.ZIP_STORED)
        if mnist:
            archive.writestr("losses.npz", _npz({"d": np.asarray(fields["d_losses"], np.float64),
                                                 "g": np.asarray(fields["g_losses"], np.float64)}))
        if own and pictures:  # stored, not deflated: 8-bit pictures shrink little
            archive.writestr("pictures.npz", _npz({"images": run.digits.images, "names": np.array(run.digits.names)}),
                             zipfile.ZIP_STORED)
        if kind.upload and run.config.target == kind.upload:
            archive.writestr("points.csv", pd.DataFrame(run.target.support, columns=list(kind.columns)).to_csv(index=False))
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "generator.keras")
            run.save_generator(path)
            archive.write(path, "generator.keras")
    return buffer.getvalue()


def _past(history: list, mnist: bool) -> dict:
    """Up to PAST earlier check-ins' pictures, as "c<k>_<name>" arrays with their iterations."""
    held = [e for e in history if has_payload(e) and all(  # a diverged check-in's NaNs are not a picture
        np.isfinite(a).all() for a in (getattr(e, name) for name in e.payload) if isinstance(a, np.ndarray))]
    picked = [held[round(i)] for i in np.linspace(0, len(held) - 1, PAST)] if len(held) > PAST else held
    picked = list({e.iteration: e for e in picked}.values())
    arrays = {"iterations": np.array([e.iteration for e in picked], np.int64)}
    for k, evaluation in enumerate(picked):
        if mnist:  # a grid to look at, in 8 bits: a quarter of the size
            arrays[f"c{k}_grid"] = np.round(np.clip(evaluation.grid, 0, 1) * 255).astype(np.uint8)
        else:
            arrays.update({f"c{k}_{name}": np.clip(getattr(evaluation, name), -6e4, 6e4).astype(np.float16)
                           for name in PAYLOAD if getattr(evaluation, name) is not None})  # float16's range
    return arrays


def shared_bundle(data: bytes) -> bytes:
    """A stored bundle as someone other than its owner may download it: a user's pictures dropped unless
    its owner shared them (meta.json's pictures_shared); other bundles as they are."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        if "pictures.npz" not in source.namelist() or json.loads(source.read("meta.json")).get("pictures_shared"):
            return data
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for info in source.infolist():
                if info.filename != "pictures.npz":
                    archive.writestr(info, source.read(info))
    return buffer.getvalue()


def _pictures(archive: zipfile.ZipFile, config: YourImagesConfig) -> ImageSet:
    """A bundle's prepared pictures, checked against its settings."""
    if "pictures.npz" not in archive.namelist():
        _refuse("It is a run on its owner's pictures, which its owner did not share: it can be continued only "
                "with them.")
    arrays = _arrays(_read(archive, "pictures.npz"), "pictures.npz")
    images, names = arrays.get("images"), arrays.get("names")
    channels = {"gray": (1,), "color": (3,)}.get(config.color, (1, 3))
    if (images is None or images.dtype != np.uint8 or images.ndim != 4 or images.shape[1:3] != (config.side,) * 2
            or images.shape[3] not in channels or not MIN_IMAGES <= len(images) <= MAX_FILES):
        _refuse(f"Its pictures.npz does not hold {MIN_IMAGES} to {MAX_FILES} pictures of its side and colour.")
    if names is None or names.dtype.kind != "U" or names.shape != (len(images),):
        _refuse("Its pictures.npz does not name each picture.")
    return ImageSet(images, tuple(names.tolist()), f"{len(images):,} pictures kept with the run")


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


def from_bundle(data: bytes, mnist=None, pictures: ImageSet | None = None) -> GanRun | ImageGanRun:
    """The run in bundle bytes, ready to continue or compare; BundleError says why not. `mnist`:
    scale -> (digits, classifier), called for an MNIST bundle (None refuses one); `pictures`: a user's
    prepared pictures to continue with (by default those in the bundle)."""
    if len(data) > MAX_BYTES:
        _refuse(f"The file is {len(data) / 2**20:.1f} MB.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        _refuse("It is not a zip archive.")
    with archive:
        config_text, meta_text = _read(archive, "config.json"), _read(archive, "meta.json")
        try:
            settings, meta = json.loads(config_text), json.loads(meta_text)
            if not isinstance(settings, dict) or not isinstance(meta, dict):
                raise TypeError("not an object")
            own = meta.get("kind") == "images"
            image = meta.get("kind") == "mnist" or own
            if image and not own and "networks" not in settings:  # saved before the DCGAN recipe: the tutorial's
                settings = {**settings, "networks": "tutorial"}
            config = (YourImagesConfig if own else ImageConfig if image else Config).from_dict(settings).checked()
        except ConfigError as err:
            _refuse(f"Its settings are not valid: {err}")
        except (ValueError, TypeError, AttributeError, UnicodeDecodeError, RecursionError) as err:
            _refuse(f"Its config.json or meta.json is not valid JSON settings ({type(err).__name__}).")
        if meta.get("format") != FORMAT or meta.get("kind") not in ("plane", *META_KINDS.values()):
            _refuse("Its meta.json is not of this app's bundle format.")
        points, losses = None, {}
        if own and pictures is None:
            pictures = _pictures(archive, config)
        if image:
            losses = _arrays(_read(archive, "losses.npz"), "losses.npz")
        elif config.target == kinds.of_settings(config).upload:
            try:
                points = kinds.of_settings(config).read_upload(_read(archive, "points.csv"))
            except PointsError as err:
                _refuse(f"Its points.csv was refused: {err}")
        state = _arrays(_read(archive, "state.npz"), "state.npz")
        latest = _arrays(_read(archive, "latest.npz"), "latest.npz")
        past = _arrays(_read(archive, "past.npz"), "past.npz") if "past.npz" in archive.namelist() else {}
        try:
            raw = _read(archive, "history.csv")  # empty for a run saved before its first check-in (the app's at Train)
            history = pd.read_csv(io.BytesIO(raw)) if raw.strip() else pd.DataFrame(columns=[*ROW_FIELDS, "epoch"])
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as err:
            _refuse(f"Its history.csv is not a table ({type(err).__name__}).")
    if own:
        try:
            run = kinds.IMAGES.gan(config, images=pictures)
        except ValueError as err:  # pictures of another side or colour than its settings'
            _refuse(f"Its pictures do not fit its settings: {err}")
        run.pictures_shared = bool(meta.get("pictures_shared", False))
    elif image:
        if mnist is None:
            _refuse("It is an MNIST run, and no digits were given to continue it with.")
        digits, classifier = mnist(config.scale)
        run = kinds.DIGITS.gan(config, digits=digits, classifier=classifier)
    else:
        run = kinds.of_settings(config).gan(config, points)
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
    if not 0 <= iteration <= run.n_epochs:
        _refuse(f"Its iteration {iteration:,} is outside 0 to its run's length ({run.n_epochs:,}).")
    extra = {}
    if image:
        d, g = losses.get("d"), losses.get("g")
        if d is None or g is None or d.ndim != 1 or d.shape != g.shape or len(d) != iteration:
            _refuse("Its losses.npz does not hold one loss of each network per batch.")
        extra = {"d_losses": d.astype(float).tolist(), "g_losses": g.astype(float).tolist()}
    template = tf.nest.flatten(adam.to_numpy(run.state))
    leaves = [state.get(f"a{i}") for i in range(len(template))]
    if len(state) != len(template) or any(
            leaf is None or leaf.shape != want.shape or leaf.dtype != want.dtype for leaf, want in zip(leaves, template)):
        _refuse("Its networks' state does not match its settings (other layers, batch or latent size).")
    if not all(np.isfinite(leaf).all() for leaf in leaves if leaf.dtype.kind == "f"):
        _refuse("Its networks' weights are not all finite numbers.")
    state_tree = tf.nest.pack_sequence_as(adam.to_numpy(run.state), leaves)
    state_tree = state_tree._replace(iteration=np.asarray(iteration, np.int64))
    grid_shape = run.shape if own else (28, 28)  # a grid picture's shape: a user's keep their channels
    evaluations = (_image_evaluations(history, iteration, latest, [tuple(w.shape) for w in (*run.state.g.weights, *run.state.g.other)],
                                      grid_shape, PictureEvaluation if own else ImageEvaluation, len(run.digits))
                   if image else _evaluations(history, iteration, latest))
    _restore_past(evaluations, past, grid_shape if image else None)
    run.restore(Checkpoint(state_tree, rng, {
        "iteration": iteration, "seconds": seconds, "compile_seconds": compile_seconds, "history": evaluations,
        "_sums": sums, "changes": changes, "divergences": divergences, **extra}))
    return run


def _restore_past(evaluations: list, past: dict, grid_shape: tuple | None) -> None:
    """Put past.npz's pictures back on their check-ins; a picture that is not one is refused."""
    if not past:
        return  # a bundle written before past.npz: the latest check-in's pictures only
    iterations = past.get("iterations")
    if iterations is None or iterations.ndim != 1 or iterations.dtype.kind not in "iu" or len(iterations) > PAST:
        _refuse("Its past.npz does not list earlier check-ins.")
    by_iteration = {e.iteration: e for e in evaluations[:-1]}
    for k, at in enumerate(iterations.tolist()):
        evaluation = by_iteration.get(at)
        if evaluation is None:
            _refuse(f"Its past.npz holds a check-in at iteration {at:,} that its history.csv lacks.")
        if grid_shape is not None:  # an image run's
            grid = past.get(f"c{k}_grid")
            if grid is None or grid.dtype != np.uint8 or grid.shape[1:] != tuple(grid_shape):
                _refuse("Its past.npz lacks a check-in's grid of pictures.")
            evaluation.grid = grid.astype(np.float32) / 255
            continue
        for name in PAYLOAD:
            array = past.get(f"c{k}_{name}")
            if array is not None:
                if array.dtype.kind != "f" or array.ndim != 2 or not np.isfinite(array).all():
                    _refuse(f"Its past.npz's {name} of iteration {at:,} is not a table of finite numbers.")
                setattr(evaluation, name, array.astype(np.float32))
        if evaluation.real is None or evaluation.fake is None:
            _refuse(f"Its past.npz lacks the samples of iteration {at:,}.")


def _rows(history: pd.DataFrame, iteration: int, fields=ROW_FIELDS) -> list[dict]:
    """history.csv's rows, checked: numbers, iterations rising to the run's."""
    missing = [name for name in fields if name not in history.columns]
    if missing:
        _refuse(f"Its history.csv lacks the columns {', '.join(missing)}.")
    numeric = history.apply(pd.to_numeric, errors="coerce")
    if numeric.isna().to_numpy().sum() > history.isna().to_numpy().sum():
        _refuse("Its history.csv holds something other than numbers.")
    iterations = numeric["iteration"].tolist()
    if any(b <= a for a, b in zip(iterations, iterations[1:])) or (iterations and not 0 < iterations[-1] <= iteration):
        _refuse("Its history.csv's iterations do not rise to the run's iteration.")
    return numeric.to_dict("records")


def _rates(row: dict) -> dict:
    return {k: float(row[k]) for k in RATE_FIELDS if k in row and not math.isnan(row[k])}


def _image_evaluations(history: pd.DataFrame, iteration: int, latest: dict, shapes, grid_shape=(28, 28),
                       evaluation=ImageEvaluation, n_pictures: int = 0) -> list[ImageEvaluation]:
    """An image run's check-ins, the latest with its grid (pictures of grid_shape), histograms (MNIST) or
    nearest training pictures (a user's), and generator snapshot (its weights of `shapes`, the generator's)."""
    out = []
    for row in _rows(history, iteration, ROW_FIELDS + ("epoch",)):
        scores = {k: float(v) for k, v in row.items() if k not in ROW_FIELDS + RATE_FIELDS + ("epoch",)}
        out.append(evaluation(iteration=int(row["iteration"]), epoch=float(row["epoch"]),
                                   acc_real=float(row["acc_real"]), acc_fake=float(row["acc_fake"]),
                                   d_loss=float(row["d_loss"]), g_loss=float(row["g_loss"]), grid=None,
                                   seconds=float(row["seconds"]), scores=scores, rates=_rates(row)))
    if out:
        grid = latest.get("grid")
        if grid is None or grid.dtype.kind != "f" or grid.shape[1:] != tuple(grid_shape) \
                or not np.isfinite(grid).all():
            _refuse("Its latest.npz lacks the latest check-in's grid of pictures.")
        out[-1].grid = grid.astype(np.float32)
        for name in ("histogram", "real_histogram"):
            if name in latest and latest[name].shape == (10,) and latest[name].dtype.kind in "iu":
                setattr(out[-1], name, latest[name])
        # the memorization check's pairs: a user's pictures', and MNIST's when its classifier judged it
        index = latest.get("nearest")
        if index is not None and index.shape == (len(grid),) and index.dtype.kind in "iu" and (
                index.min(initial=0) >= 0 and index.max(initial=0) < n_pictures):
            out[-1].nearest = latest["nearest"]
        distances = latest.get("nearest_distances")
        if distances is not None and distances.shape == (len(grid),) and distances.dtype.kind == "f":
            out[-1].nearest_distances = distances
        snapshot = [latest.get(f"snapshot{i}") for i in range(len(shapes))]
        if all(w is not None and w.shape == shape and w.dtype.kind == "f" and np.isfinite(w).all()
               for w, shape in zip(snapshot, shapes)):
            out[-1].snapshot = snapshot
    return out


def _evaluations(history: pd.DataFrame, iteration: int, latest: dict) -> list[Evaluation]:
    """The check-ins from history.csv (numbers only), the latest with its arrays."""
    out = []
    for row in _rows(history, iteration):
        metrics = {k: float(v) for k, v in row.items() if k not in ROW_FIELDS + RATE_FIELDS}
        rates = _rates(row)
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
