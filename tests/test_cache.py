"""The persistent compile cache (gan_core/training/cache.py): a second process with the same shapes loads
the compiled step instead of compiling it (counted from the cache's files), with the same history;
a damaged entry is dropped and compiled again; an unwritable folder or `off` leaves it off; a full
one leaves the step without XLA."""
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from gan_core.training import cache

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# pack 1: the tutorial's step (x²'s own defaults pack 4), whose XLA-less rounding this file's tolerance was measured on
TRAIN = ["-m", "gan_core", "train", "--n-epochs", "600", "--n-eval", "300", "--n-batch", "32", "--seed", "2",
         "--pack", "1"]


# the CLI, after other TensorFlow work in its process (a notebook's, a server's visitors'): variables made first
AFTER_OTHER_WORK = ["-c", "import sys, gan_core, tensorflow as tf; from gan_core.cli.main import main; "
                    "made = [tf.Variable(1.0) for _ in range(3)]; sys.exit(main(sys.argv[1:]))"]


def _train(tmp_path, folder, out, after_other_work=False):
    env = {**os.environ, "PYTHONPATH": ROOT, "GAN_EXPLORER_CACHE": str(folder)}
    env.pop("TF_XLA_FLAGS", None)
    command = [*AFTER_OTHER_WORK, *TRAIN[2:]] if after_other_work else TRAIN
    r = subprocess.run([sys.executable, *command, "--out", str(tmp_path / out)], env=env, cwd=tmp_path,
                       capture_output=True, text=True, errors="replace", timeout=300)  # TF's log echoes bad bytes
    assert r.returncode == 0, r.stderr[-2000:]
    return pd.read_csv(tmp_path / out / "history.csv").drop(columns=["seconds"])


def _entries(folder):
    return {path: os.stat(path).st_mtime_ns for path in cache.entries(next(folder.iterdir()))}


@pytest.mark.slow
def test_a_second_process_loads_what_the_first_compiled(tmp_path):
    folder = tmp_path / "cache"
    first = _train(tmp_path, folder, "a")
    made = _entries(folder)
    assert len(made) >= 1 and next(folder.iterdir()).name == cache._versions()  # keyed by the versions
    second = _train(tmp_path, folder, "b")
    assert _entries(folder) == made  # loaded: nothing compiled or written again
    pd.testing.assert_frame_equal(first, second)
    # found after other TensorFlow work too: TensorFlow's names for a trace drew on a process-wide counter
    # (gan_core/training/names.py), and a step traced after 3 variables were made was compiled and written again
    after = _train(tmp_path, folder, "after", after_other_work=True)
    assert _entries(folder) == made
    pd.testing.assert_frame_equal(first, after)
    damaged = next(iter(made))
    with open(damaged, "wb") as f:
        f.write(b"\x99 not a cache entry " * 40)
    third = _train(tmp_path, folder, "c")  # the damaged entry is dropped and the step compiled again
    pd.testing.assert_frame_equal(first, third)
    assert os.path.exists(damaged) is False and len(_entries(folder)) >= 1


@pytest.mark.slow
def test_an_unwritable_folder_or_off_leaves_the_cache_off(tmp_path):
    blocked = tmp_path / "a_file"
    blocked.write_text("not a folder")
    code = "import os, gan_core; print(gan_core.training.cache.folder, os.environ.get('TF_XLA_FLAGS', ''))"
    for setting in (str(blocked / "cache"), "off"):
        env = {**os.environ, "PYTHONPATH": ROOT, "GAN_EXPLORER_CACHE": setting}
        env.pop("TF_XLA_FLAGS", None)
        r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        assert r.stdout.split() == ["None"], (setting, r.stdout, r.stderr)
    assert _train(tmp_path, blocked / "cache", "d")["iteration"].tolist() == [300, 600]  # trains, compiling


def test_the_oldest_entries_go_past_the_limit(tmp_path):
    for i in range(5):
        path = tmp_path / f"xla_compile_cache__{i}.pb"
        path.write_bytes(b"x" * 1000)
        os.utime(path, (1000 + i, 1000 + i))
    cache.prune(str(tmp_path), limit=2500)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["xla_compile_cache__3.pb", "xla_compile_cache__4.pb"]


@pytest.mark.slow
def test_a_full_cache_folder_leaves_training_correct(tmp_path):
    """A disk that is full for the cache (each file capped at 64 KB with RLIMIT_FSIZE, as a full
    disk refuses the rest of a write): training goes on with the same history, and a later process
    with room copes with whatever half-written entry is left."""
    import resource
    import signal

    def full():
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the cap fails (EFBIG) instead

    folder = tmp_path / "cache"
    reference = _train(tmp_path, "off", "ref")
    env = {**os.environ, "PYTHONPATH": ROOT, "GAN_EXPLORER_CACHE": str(folder)}
    env.pop("TF_XLA_FLAGS", None)
    r = subprocess.run([sys.executable, *TRAIN, "--out", str(tmp_path / "full")], env=env, cwd=tmp_path,
                       capture_output=True, text=True, errors="replace", timeout=300, preexec_fn=full)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "could not be written" in r.stderr and "trains without XLA" in r.stderr
    full = pd.read_csv(tmp_path / "full" / "history.csv").drop(columns=["seconds"])
    # without XLA the same arithmetic, summed in another order: equal to float rounding (measured: 1e-4)
    assert full.iteration.tolist() == [300, 600]
    np.testing.assert_allclose(full.to_numpy(float), reference.to_numpy(float), rtol=1e-2, atol=1e-3)
    pd.testing.assert_frame_equal(_train(tmp_path, folder, "after"), reference)
