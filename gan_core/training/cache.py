"""A persistent compile cache: XLA's own (`--tf_xla_persistent_cache_directory`), so that a new
process (the CLI, a restarted server, a sweep on another machine) loads the compiled steps an
earlier process made instead of compiling them again.

The folder is GAN_EXPLORER_CACHE (or the user's cache folder), in a subfolder named for the
TensorFlow and Keras versions, so an upgrade never loads a stale entry; GAN_EXPLORER_CACHE=off
turns it off. TensorFlow reads the flag once, when it starts: `configure()` runs on gan_core's
import. A folder that cannot be written leaves the cache off (training compiles as before);
the oldest entries go when the folder passes MAX_BYTES; a damaged entry is removed and its
step compiled again (`drop_damaged`). XLA keys an entry by the names TensorFlow gave the traced step,
which names.py makes the same in every process.

Each cache hit logs "Error parsing text-format tensorflow.XlaSerializedCacheEntry" on stderr: TensorFlow
reads an entry as text first and then as the binary XLA wrote, and protobuf logs the failed text try at
ERROR level, in C++ (nothing here can filter it). It is not an error: docs/engine.md.
"""
from __future__ import annotations

import os
import re
import sys
import tempfile

MAX_BYTES = 256 * 2**20
FLAG = "--tf_xla_persistent_cache_directory"
folder: str | None = None  # the cache in use, None when off


def _versions() -> str:
    from importlib import metadata

    def version(*names):
        for name in names:
            try:
                return metadata.version(name)
            except metadata.PackageNotFoundError:
                continue
        return "unknown"

    return f"tf{version('tensorflow-cpu', 'tensorflow')}-keras{version('keras')}"


def default_base() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "gan_explorer")


def configure() -> str | None:
    """Point XLA's persistent cache at this project's folder, if TensorFlow has not started and the
    folder can be written; returns the folder, or None (off)."""
    global folder
    setting = os.environ.get("GAN_EXPLORER_CACHE", "").strip()
    if setting.lower() == "off" or "tensorflow" in sys.modules or FLAG in os.environ.get("TF_XLA_FLAGS", ""):
        return folder
    path = os.path.join(setting or default_base(), _versions())
    try:
        os.makedirs(path, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path):  # can it be written?
            pass
    except OSError:
        return None
    prune(path)
    os.environ["TF_XLA_FLAGS"] = f"{os.environ.get('TF_XLA_FLAGS', '')} {FLAG}={path}".strip()
    folder = path
    return folder


def entries(path: str | None = None) -> list[str]:
    path = path or folder
    if not path or not os.path.isdir(path):
        return []
    return [os.path.join(path, name) for name in os.listdir(path) if name.endswith(".pb")]


def prune(path: str, limit: int = MAX_BYTES) -> None:
    """Remove the oldest entries until the folder holds at most `limit` bytes."""
    try:
        files = sorted(((os.stat(f).st_mtime, os.path.getsize(f), f) for f in entries(path)))
        total = sum(size for _, size, _ in files)
        for _, size, name in files:
            if total <= limit:
                break
            os.remove(name)
            total -= size
    except OSError:  # another process pruned first, or the folder went away
        pass


def drop_damaged(err) -> bool:
    """Remove the cache entry a DataLossError could not parse; True when it was one of ours (the
    step can then be compiled again, by a new tf.function: XLA remembers the failed one)."""
    damaged = re.search(r"Can't parse (\S+\.pb)", str(err))
    if not damaged or not folder or not os.path.abspath(damaged.group(1)).startswith(os.path.abspath(folder)):
        return False
    try:
        os.remove(damaged.group(1))
    except OSError:
        pass
    return True


def write_failed(err) -> bool:
    """Whether a compile failed because XLA could not write its entry into our folder (a full disk,
    a file-size cap, a folder gone read-only): the step then trains without XLA in this process,
    which needs no cache (XLA retrying would fail the same way). Says so once on stderr."""
    global _said
    if not folder or os.path.abspath(folder) not in str(err):
        return False
    if not _said:
        _said = True
        print(f"gan_explorer: the compile cache {folder} could not be written ({type(err).__name__}); this "
              "process trains without XLA from here on (slower, same arithmetic to float rounding).", file=sys.stderr)
    return True


_said = False
