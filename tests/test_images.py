"""Your images (issue 33): a user's pictures read and refused by name (data/images.py), the runs that
learn them, judged without labels, the command line and the store."""
import io
import os
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from PIL import Image

from gan_core import kinds
from gan_core.data import images as im
from gan_core.data.images import ImagesError, made_up_shapes, read_images, read_path, read_zip
from gan_core.settings.config import YourImagesConfig

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TINY = dict(side=16, d_filters=4, g_filters=4, latent_dim=8, n_batch=16, n_epochs=4, n_eval=2, n_eval_samples=10)


def encoded(array: np.ndarray, fmt: str = "PNG", size=None) -> bytes:
    picture = Image.fromarray(array[..., 0] if array.shape[-1] == 1 else array)
    if size:
        picture = picture.resize(size)
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt)
    return buffer.getvalue()


def pictures(n=20, fmt="PNG", color=False) -> list[tuple[str, bytes]]:
    shapes = made_up_shapes(n, 16, color=color)
    return [(f"p{i}.{fmt.lower()}", encoded(a, fmt)) for i, a in enumerate(shapes.images)]


def zipped(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


# ---- reading: every format, sizes and modes alike ---------------------------------------------------

def test_mixed_formats_sizes_and_modes_are_prepared_alike():
    shapes = made_up_shapes(20, 16, color=True)
    formats = ("PNG", "JPEG", "GIF", "WEBP", "BMP")
    files = [(f"f{i}", encoded(a, formats[i % 5], (40 + 3 * i, 24 + i))) for i, a in enumerate(shapes.images)]
    rgba = Image.new("RGBA", (30, 30), (255, 0, 0, 0))  # transparent: composed over white
    buffer = io.BytesIO()
    rgba.save(buffer, format="PNG")
    files.append(("clear.png", buffer.getvalue()))
    gray = Image.new("L", (20, 60), 80)
    buffer = io.BytesIO()
    gray.save(buffer, format="PNG")
    files.append(("gray.png", buffer.getvalue()))
    prepared = read_images(files, side=32)
    assert prepared.images.shape == (22, 32, 32, 3) and prepared.images.dtype == np.uint8
    assert prepared.names[-2:] == ("clear.png", "gray.png")
    assert (prepared.images[-2] == 255).all() and (prepared.images[-1] == 80).all()
    assert read_images(files, side=16, color="gray").images.shape == (22, 16, 16, 1)
    assert read_images(pictures(), side=64).images.shape == (20, 64, 64, 1)  # gray files: "as-is" is one channel
    assert read_images(pictures(), color="color").images.shape == (20, 32, 32, 3)


def test_a_gif_gives_its_first_frame_and_a_zip_or_folder_reads_like_files(tmp_path):
    frames = [Image.new("L", (16, 16), value) for value in (0, 255)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    files = pictures(19) + [("moving.gif", buffer.getvalue())]
    assert (read_images(files, side=16).images[-1] == 0).all()
    from_zip = read_zip(zipped([("set/" + n, d) for n, d in files] + [("__MACOSX/set/._p0.png", b"x"),
                                                                        ("set/.DS_Store", b"x")]), "set.zip", 16)
    (tmp_path / "set" / "inner").mkdir(parents=True)
    for i, (name, data) in enumerate(files):
        (tmp_path / "set" / ("inner" if i % 2 else "") / name).write_bytes(data)
    from_folder = read_path(str(tmp_path / "set"), 16)
    assert len(from_zip) == len(from_folder) == 20 and from_zip.source == "20 pictures from set.zip"


# ---- every bad input is refused, naming the file ------------------------------------------------------

def refused(call, *names) -> str:
    with pytest.raises(ImagesError) as caught:
        call()
    message = str(caught.value)
    assert "\n" not in message and "Allowed:" in message, message
    assert all(name in message for name in names), message
    return message


def test_every_bad_input_is_refused_with_the_files_name(tmp_path, monkeypatch):
    good = pictures(20)
    jpeg = encoded(np.random.default_rng(0).integers(0, 256, (128, 128, 3), np.uint8), "JPEG")  # its header whole
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, format="PNG")  # 100 megapixels in a few KB
    tiff = io.BytesIO()
    Image.new("L", (16, 16)).save(tiff, format="TIFF")
    refused(lambda: read_images(good + [("notes.txt", b"hello, not a picture")]), "notes.txt", "not a picture")
    refused(lambda: read_images(good + [("cut.jpg", jpeg[:len(jpeg) // 2])]), "cut.jpg", "truncated")
    refused(lambda: read_images(good + [("cut.png", good[0][1][:60])]), "cut.png")
    refused(lambda: read_images(good + [("bomb.png", bomb.getvalue())]), "bomb.png", "decompression bomb")
    refused(lambda: read_images(good + [("scan.tif", tiff.getvalue())]), "scan.tif", "TIFF")
    refused(lambda: read_images([], source="upload"), "upload", "no pictures")
    refused(lambda: read_images(good[:5], source="upload"), "upload", "fewer than the 16")
    refused(lambda: read_images(good + [("inner.zip", zipped(good))]), "inner.zip", "zip inside")
    refused(lambda: read_zip(zipped(good + [("../evil.png", good[0][1])]), "set.zip"), "set.zip/../evil.png", "climbs")
    refused(lambda: read_zip(zipped(good + [("/abs.png", good[0][1])]), "set.zip"), "/abs.png", "climbs")
    refused(lambda: read_zip(zipped(good + [("more.zip", zipped(good))]), "set.zip"), "set.zip/more.zip", "zip inside")
    refused(lambda: read_zip(b"PK\x03\x04 broken", "set.zip"), "set.zip", "not a zip")
    refused(lambda: read_zip(zipped([]), "empty.zip"), "empty.zip", "no pictures")
    refused(lambda: read_path(str(tmp_path / "nowhere")), "nowhere", "no such")
    (tmp_path / "a.txt").write_text("text")
    refused(lambda: read_path(str(tmp_path / "a.txt")), "a.txt", "neither a folder nor a .zip")
    (tmp_path / "set").mkdir()
    os.symlink("/etc/hostname", tmp_path / "set" / "link.png")
    refused(lambda: read_path(str(tmp_path / "set")), "link.png", "points out of the folder")
    monkeypatch.setattr(im, "MAX_FILES", 18)
    refused(lambda: read_images(good), "p18.png", "more than 18 files")
    refused(lambda: read_zip(zipped(good), "many.zip"), "many.zip", "more than 18")
    monkeypatch.setattr(im, "MAX_BYTES", 1_000)
    refused(lambda: read_images(good[:17]), "KB in all")
    refused(lambda: read_zip(zipped(good[:17]), "big.zip"), "big.zip", "over 1.0 KB")
    monkeypatch.setattr(im, "MAX_BYTES", 50 * 2**20)
    monkeypatch.setattr(im, "MAX_UNPACKED_BYTES", 1_000)
    refused(lambda: read_zip(zipped(good[:17]), "big.zip"), "big.zip", "unpacks to")
    with pytest.raises(ImagesError, match="side must be 16, 32 or 64"):
        read_images(good, side=48)


# ---- judging without labels ---------------------------------------------------------------------------

def test_the_frechet_distance_and_the_nearest_picture():
    from gan_core.judging.metrics import frechet_distance, nearest

    rng = np.random.default_rng(0)
    a = rng.normal(size=(400, 5))
    assert frechet_distance(a, a) < 1e-6
    assert frechet_distance(a, a + 1) == pytest.approx(5, rel=1e-6)  # |m_a - m_b|² alone
    assert frechet_distance(a[:3], a[3:6]) >= 0  # singular covariances: still a number
    pictures = rng.integers(0, 256, (50, 4, 4, 3), np.uint8)
    index, distance = nearest(pictures[[7, 9]] / 255.0, pictures, chunk=16)
    assert index.tolist() == [7, 9] and np.allclose(distance, 0, atol=1e-3)
    index, distance = nearest(pictures[[7]] / 255.0, pictures, exclude=np.array([7]), chunk=16)
    assert index[0] != 7 and distance[0] > 0.1


# ---- the runs ---------------------------------------------------------------------------------------

@pytest.mark.slow  # a compile of its own (and the CLI's processes): tens of seconds on 2 cores
def test_the_kinds_runs_train_on_pictures_of_their_shape_with_scores_and_floors():
    shapes = made_up_shapes(40, 16, color=True)
    config = YourImagesConfig(color="color", **TINY)
    run = kinds.IMAGES.gan(config, images=shapes)
    evaluation = run.train_chunk()
    assert evaluation.grid.shape == (100, 16, 16, 3) and 0 <= evaluation.grid.min() <= evaluation.grid.max() <= 1
    assert {"frechet_distance", "frechet_distance_floor", "nearest_train_distance",
            "nearest_train_distance_floor"} <= set(run.history_frame().columns)
    assert evaluation.nearest.shape == (100,) and evaluation.nearest.max() < len(shapes)
    assert run.generate(3).shape == (3, 16, 16, 3)  # the preview: pictures from latent points
    lab = kinds.IMAGES.discriminator(config, images=shapes)
    assert lab.train_chunk().grid.shape == (20, 16, 16, 3) and "p_real_pictures" in lab.history_frame()
    with pytest.raises(ValueError, match="side 32"):
        kinds.IMAGES.gan(YourImagesConfig(**{**TINY, "side": 32}), images=shapes)
    with pytest.raises(ValueError, match="gray"):
        kinds.IMAGES.gan(YourImagesConfig(color="gray", **TINY), images=shapes)


@pytest.mark.slow
def test_the_gan_learns_made_up_shapes():
    """200 squares and circles, 16×16: after 300 iterations with the defaults (DiffAugment on) the Fréchet
    distance has fallen far from its start towards its floor, and the pictures are not one copy."""
    shapes = made_up_shapes(200, 16)
    run = kinds.IMAGES.gan(YourImagesConfig(side=16, n_epochs=300, n_eval=50), images=shapes)
    history = [evaluation.scores for evaluation in run.train()]
    first, last = history[0], history[-1]
    floor = last["frechet_distance_floor"]
    assert last["frechet_distance"] < first["frechet_distance"] / 3, history
    assert last["frechet_distance"] < 10 * floor + 1, history
    grid = run.history[-1].grid.reshape(100, -1)
    assert np.mean(np.std(grid, axis=0)) > 0.1  # they differ from one another: no collapse onto one picture
    assert last["nearest_train_distance"] > 0.5 * last["nearest_train_distance_floor"]  # and copy none
    # the check-ins judge pictures as the discriminator trained on them (augmented): it tells some fakes
    # apart and is fooled by others (judged plain, it called every fake real: acc_fake 0.00)
    later = run.history[2:]
    accuracies = [(e.acc_real, e.acc_fake) for e in run.history]
    assert min(e.acc_fake for e in later) > 0 and np.mean([e.acc_fake for e in later]) < 0.95, accuracies
    assert np.mean([e.acc_real for e in later]) > 0.5


# ---- the command line and the store -------------------------------------------------------------------

def cli(*args, cwd, store):
    return subprocess.run([sys.executable, "-m", "gan_core", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": ROOT, "GAN_EXPLORER_STORE": str(store),
                                            "GAN_EXPLORER_CACHE": "off"})


@pytest.mark.slow  # a compile of its own (and the CLI's processes): tens of seconds on 2 cores
def test_the_command_line_trains_on_a_zip_and_refuses_a_bad_one_in_one_line(tmp_path):
    data = tmp_path / "set.zip"
    data.write_bytes(zipped(pictures(20, color=True)))
    flags = ["--side", "16", "--d-filters", "4", "--g-filters", "4", "--latent-dim", "8", "--n-batch", "16",
             "--n-epochs", "4", "--n-eval", "2", "--n-eval-samples", "10", "--color", "color", "--augment", "off"]
    done = cli("train", "--images", str(data), *flags, "--out", str(tmp_path / "run"), cwd=tmp_path,
               store=tmp_path / "store")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "frechet_distance=" in done.stdout and "saved as run" in done.stdout
    assert sorted(os.listdir(tmp_path / "run")) == ["generator.keras", "history.csv", "samples.csv", "samples.png",
                                                      "settings.json"]
    import pandas as pd

    samples = pd.read_csv(tmp_path / "run" / "samples.csv")
    assert samples.shape == (100, 1 + 16 * 16 * 3) and list(samples.columns[:3]) == ["kind", "p0", "p1"]
    assert set(samples["kind"]) == {"fake"} and samples.iloc[:, 1:].to_numpy().min() >= 0
    assert Image.open(tmp_path / "run" / "samples.png").size == (2 * (10 * 17 + 1),) * 2
    lab = cli("discriminator", "--images", str(data), "--side", "16", "--d-filters", "4", "--n-epochs", "2",
              "--n-eval", "1", "--out", str(tmp_path / "lab"), cwd=tmp_path, store=tmp_path / "store")
    assert lab.returncode == 0, lab.stderr[-2000:]
    assert pd.read_csv(tmp_path / "lab" / "samples.csv")["kind"].tolist() == ["real"] * 10 + ["noise"] * 10
    sweep = cli("sweep", "--images", str(data), *flags, "--seeds", "2", "--out", str(tmp_path / "sweep"),
                cwd=tmp_path, store=tmp_path / "store")
    assert sweep.returncode == 0, sweep.stderr[-2000:]
    summary = pd.read_csv(tmp_path / "sweep" / "summary.csv")
    assert summary.seed.tolist() == [1, 2] and summary.iteration.tolist() == [4, 4]
    assert summary.frechet_distance.gt(0).all() and summary.frechet_distance.nunique() == 2  # two runs
    assert (summary.success == (summary.frechet_distance <= 2 * summary.frechet_distance_floor)).all()
    assert pd.read_csv(tmp_path / "sweep" / "history.csv").seed.tolist() == [1, 1, 2, 2]
    bad = tmp_path / "bad.zip"
    bad.write_bytes(zipped(pictures(20) + [("set/../../escape.png", b"x")]))
    for args, says in ((("train", "--images", str(bad)), "escape.png"),
                       (("train", "--images", str(tmp_path / "missing")), "missing"),
                       (("sweep", "--images", str(data), "--grid", "d_lr=0.001,0.002"), "--grid")):
        refused_run = cli(*args, "--out", str(tmp_path / "refused"), cwd=tmp_path, store=tmp_path / "refused_store")
        lines = refused_run.stderr.strip().splitlines()
        assert refused_run.returncode == 2 and len(lines) == 1, refused_run.stderr
        assert says in lines[0], lines
        assert not (tmp_path / "refused").exists() and not (tmp_path / "refused_store").exists()


@pytest.mark.slow  # a compile of its own (and the CLI's processes): tens of seconds on 2 cores
def test_a_stored_run_keeps_its_pictures_and_continues_bit_for_bit(tmp_path):
    import tensorflow as tf

    from gan_core.keeping.bundle import BundleError, from_bundle, shared_bundle
    from gan_core.keeping.store import Store

    shapes = made_up_shapes(40, 16)
    config = YourImagesConfig(**{**TINY, "n_epochs": 6})
    run = kinds.IMAGES.gan(config, images=shapes)
    run.train_chunk()
    store = Store(str(tmp_path))
    saved = store.save(run, "owner")
    record = store.record(saved.id)
    assert record.kind == "images" and record.target == "images"
    again = store.load(saved.id)  # the upload is gone: the pictures come from the bundle
    assert np.array_equal(again.digits.images, shapes.images) and again.digits.names == shapes.names
    list(run.train())
    list(again.train())
    assert run.history_frame().drop(columns="seconds").equals(again.history_frame().drop(columns="seconds"))
    assert all(np.array_equal(a, b) for a, b in zip(tf.nest.flatten(run.state), tf.nest.flatten(again.state)))
    assert np.array_equal(run.history[-1].nearest, again.history[-1].nearest)
    kept = shared_bundle(store.bundle(saved.id))  # what another visitor may download: no pictures
    assert "pictures.npz" not in zipfile.ZipFile(io.BytesIO(kept)).namelist()
    with pytest.raises(BundleError, match="did not share"):
        from_bundle(kept)
    assert from_bundle(kept, pictures=shapes).iteration == 2
    run.pictures_shared = True  # the owner says so
    store.save(run, "owner", id=saved.id, key=saved.key)
    assert "pictures.npz" in zipfile.ZipFile(io.BytesIO(shared_bundle(store.bundle(saved.id)))).namelist()
    assert store.load(saved.id).pictures_shared
