"""Run bundles (gan_core/keeping/bundle.py): a run downloaded and uploaded again continues exactly as the
original would; anything else is refused with a message saying what is allowed."""
import io
import json
import zipfile

import numpy as np
import pytest

from gan_core import Config, GanRun
from gan_core.data.points import UPLOADED
from gan_core.keeping.bundle import BundleError, from_bundle, to_bundle


def _run(**settings):
    run = GanRun(Config(n_epochs=600, n_eval=200, n_batch=32, **settings))
    run.train_chunk()
    run.train_chunk()
    return run


def _rows(run):
    return run.history_frame().drop(columns=["seconds"]).to_numpy()


@pytest.mark.slow
@pytest.mark.parametrize("settings", [{}, {"d_steps": 2, "g_steps": 3, "latent": "uniform"}])
def test_a_bundle_continues_exactly_as_the_run_would(settings):
    run = _run(**settings)
    run.set_learning_rates(g_lr=0.002)
    data = to_bundle(run)
    assert {"config.json", "history.csv", "generator.keras", "state.npz", "meta.json", "latest.npz"} <= set(
        zipfile.ZipFile(io.BytesIO(data)).namelist())
    again = from_bundle(data)
    assert again.config == run.config and again.iteration == 400 and again.changes == run.changes
    np.testing.assert_allclose(_rows(again), _rows(run), rtol=1e-6)
    assert again.history[-1].fake is not None and again.history[-1].decision is not None  # the latest draws
    for mine, theirs in zip(again.history, run.history):  # and the earlier ones, for the replay (half precision)
        for name in ("real", "fake", "decision", "push", "manifold"):
            np.testing.assert_allclose(getattr(mine, name), getattr(theirs, name), rtol=1e-3, atol=1e-4)
    run.train_chunk()
    again.train_chunk()
    np.testing.assert_allclose(_rows(again), _rows(run), rtol=1e-6)  # continued bit for bit (CSV rounding aside)
    assert again.history[-1].acc_real == run.history[-1].acc_real


@pytest.mark.slow
def test_a_bundle_of_uploaded_points_carries_them():
    points = np.random.default_rng(0).normal(size=(50, 2)).astype(np.float32)
    run = GanRun(Config(target=UPLOADED, n_epochs=200, n_eval=100, n_batch=32, latent_dim=4, g_hidden=(16,),
                        d_hidden=(16,)), points=points)
    run.train_chunk()
    again = from_bundle(to_bundle(run))
    np.testing.assert_allclose(again.target.support, run.target.support, rtol=1e-6)


def _edited(data: bytes, **files) -> bytes:
    """The bundle with some files replaced (None: removed)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in source.namelist():
            if name not in files:
                archive.writestr(name, source.read(name))
        for name, content in files.items():
            if content is not None:
                archive.writestr(name, content)
    return buffer.getvalue()


def _npz(**arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


@pytest.mark.slow
def test_a_bad_bundle_is_refused_with_what_is_allowed():
    run = _run()
    good = to_bundle(run)
    other = to_bundle(_run(g_hidden=(7,)))
    state = dict(np.load(io.BytesIO(zipfile.ZipFile(io.BytesIO(good)).read("state.npz"))))
    state["a0"] = np.full_like(state["a0"], np.nan)
    pickled = io.BytesIO()
    np.savez(pickled, a0=np.array([{"x": 1}], dtype=object))
    cases = {
        "random bytes": (b"not a zip" * 10, "not a zip archive"),
        "no config": (_edited(good, **{"config.json": None}), "no config.json"),
        "bad setting": (_edited(good, **{"config.json": json.dumps({"n_batch": 3})}), "settings are not valid"),
        "unknown setting": (_edited(good, **{"config.json": json.dumps({"evil": "__import__('os')"})}),
                            "settings are not valid"),
        "not json": (_edited(good, **{"meta.json": "{"}), "not valid JSON"),
        "a list": (_edited(good, **{"config.json": "[1, 2]"}), "not valid JSON"),
        "other networks": (_edited(good, **{"config.json": zipfile.ZipFile(io.BytesIO(other)).read("config.json")}),
                           "does not match its settings"),
        "NaN weights": (_edited(good, **{"state.npz": _npz(**state)}), "not all finite"),
        "pickled arrays": (_edited(good, **{"state.npz": pickled.getvalue()}), "plain arrays"),
        "words in the history": (_edited(good, **{"history.csv": "iteration,acc_real,acc_fake,d_loss,g_loss,seconds\n"
                                                                  "200,x,1,1,1,1\n"}), "other than numbers"),
        "history past the run": (_edited(good, **{"history.csv": "iteration,acc_real,acc_fake,d_loss,g_loss,seconds\n"
                                                                  "900,1,1,1,1,1\n"}), "do not rise"),
    }
    for name, (data, says) in cases.items():
        with pytest.raises(BundleError) as refused:
            from_bundle(data)
        assert says in str(refused.value) and "Allowed:" in str(refused.value), (name, str(refused.value))
    assert run.iteration == 400 and len(run.history) == 2  # nothing changed the run the bundles came from


def test_a_long_runs_bundle_keeps_the_pictures_of_past_check_ins_spread_over_it():
    from gan_core.keeping.bundle import PAST

    run = GanRun(Config(n_epochs=3000, n_eval=50, n_batch=32))
    list(run.train())
    data = to_bundle(run)
    again = from_bundle(data)
    kept = [e.iteration for e in again.history if e.fake is not None]
    assert len(kept) == PAST + 1 and kept[0] == 50 and kept[-1] == 3000  # the latest and PAST spread from the first
    assert max(b - a for a, b in zip(kept, kept[1:])) <= 3 * 3000 / PAST
    bad = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.namelist():
            content = source.read(item)
            if item == "past.npz":
                arrays = dict(np.load(io.BytesIO(content)))
                arrays["c0_fake"] = np.full_like(arrays["c0_fake"], np.nan)
                buffer = io.BytesIO()
                np.savez(buffer, **arrays)
                content = buffer.getvalue()
            target.writestr(item, content)
    with pytest.raises(BundleError, match="past.npz's fake of iteration 50 is not a table of finite numbers"):
        from_bundle(bad.getvalue())


@pytest.mark.slow
def test_an_mnist_bundle_continues_exactly_as_the_run_would():
    from gan_core.data.mnist import load_digits
    from gan_core.settings.config import ImageConfig
    from gan_core.training.images import ImageGanRun

    digits = load_digits("tanh", use_keras=False)
    config = ImageConfig(n_epochs=6, n_eval=2, n_batch=16, d_filters=4, g_filters=4, latent_dim=8, scale="tanh")
    run = ImageGanRun(config, digits)
    run.train_chunk()
    run.train_chunk()
    data = to_bundle(run)
    with pytest.raises(BundleError, match="MNIST run"):
        from_bundle(data)  # no digits given
    again = from_bundle(data, mnist=lambda scale: (digits, None))
    assert again.iteration == 4 and again.d_losses == run.d_losses
    assert again.history[-1].grid.shape == (100, 28, 28) and again.history[-1].snapshot is not None
    assert np.abs(again.history[0].grid - run.history[0].grid).max() <= 0.5 / 255  # an earlier grid, in 8 bits
    run.train_chunk()
    again.train_chunk()
    np.testing.assert_allclose(again.history_frame().drop(columns=["seconds"]).to_numpy(),
                               run.history_frame().drop(columns=["seconds"]).to_numpy(), rtol=1e-6)
    np.testing.assert_array_equal(again.history[-1].grid, run.history[-1].grid)


@pytest.mark.slow
def test_an_mnist_bundle_saved_before_the_dcgan_recipe_loads_with_the_tutorials_networks():
    from gan_core.data.mnist import load_digits
    from gan_core.settings.config import ImageConfig
    from gan_core.training.images import ImageGanRun

    digits = load_digits(use_keras=False)
    run = ImageGanRun(ImageConfig(networks="tutorial", scale="unit", n_epochs=4, n_eval=2, n_batch=16, d_filters=4,
                                  g_filters=4, latent_dim=8), digits)
    run.train_chunk()
    data = to_bundle(run)
    settings = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("config.json"))
    del settings["networks"]  # what older bundles hold
    old = _edited(data, **{"config.json": json.dumps(settings)})
    again = from_bundle(old, mnist=lambda scale: (digits, None))
    assert again.config.networks == "tutorial" and "Dropout" in {type(x).__name__ for x in again.discriminator.layers}
    run.train_chunk()
    again.train_chunk()
    np.testing.assert_array_equal(again.history[-1].grid, run.history[-1].grid)
    settings["networks"] = "resnet"
    with pytest.raises(BundleError, match="networks must be one of dcgan, tutorial"):
        from_bundle(_edited(data, **{"config.json": json.dumps(settings)}), mnist=lambda scale: (digits, None))
