"""MNIST's conditional GAN (ImageConfig.conditional, keras.io's "Conditional GAN"): off, nothing changes;
on, both networks are told the digit, real digits with their own labels, the grid a row per digit, and the
digit classifier's agreement with the digit asked for in the history; the CLI's samples.csv labelled; a
bundle that keeps the setting; the preview's digit choice and its walk from one digit to another."""
import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gan_core.data.mnist import load_classifier, load_digits
from gan_core.networks import conditional
from gan_core.settings.config import ImageConfig
from gan_core.training.images import ImageGanRun

ROOT = Path(__file__).resolve().parent.parent
TINY = ImageConfig(latent_dim=6, d_filters=4, g_filters=4, n_batch=8, n_epochs=4, n_eval=2, n_eval_samples=10)
ON = dataclasses.replace(TINY, conditional="on")


@pytest.fixture(scope="module")
def digits():
    return load_digits("tanh", use_keras=False)


def test_off_keeps_the_steps_key_and_on_changes_it():
    # off (the default): the key of every step built before the setting existed
    assert all(name != "conditional" for name, *_ in TINY.graph_key("train")[2:])
    assert dataclasses.replace(TINY, conditional="off").graph_key("train") == TINY.graph_key("train")
    assert ON.graph_key("train") != TINY.graph_key("train")
    assert ON.graph_key("discriminator") == TINY.graph_key("discriminator")  # the lab is never conditional
    assert ImageConfig.from_dict(ON.to_query_params()) == ON and ON.validate() == {}
    assert "conditional" in ImageConfig(conditional="maybe").validate()


def test_labels_as_keras_io_gives_them():
    assert conditional.one_hot([3, 0]).tolist() == [[0, 0, 0, 1, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]]
    z = np.ones((2, 4), np.float32)
    assert conditional.latent_with(z, [3, 0]).shape == (2, 14)
    walk = conditional.walk(1, 7, 5)  # from a 1's code to a 7's, straight
    assert walk.shape == (5, 10) and np.allclose(walk.sum(axis=1), 1)
    assert walk[0].argmax() == 1 and walk[-1].argmax() == 7 and np.isclose(walk[2, 1], 0.5)
    images = np.zeros((2, 28, 28, 1), np.float32)
    seen = conditional.with_channels(images, [3, 0])
    assert seen.shape == (2, 28, 28, 11) and (seen[0, :, :, 1 + 3] == 1).all() and seen[0, ..., 1:].sum() == 28 * 28


@pytest.mark.slow
def test_a_conditional_run_trains_with_real_labels_and_a_row_per_digit(digits):
    run = ImageGanRun(ON, digits, classifier=load_classifier())
    assert run.generator.input_shape == (None, 6 + 10)
    assert run.steps.discriminator.input_shape == (None, 28, 28, 11)
    # real digits carry their own labels: each sampled digit's label channels name its label in the set
    real, fake = (np.asarray(x) for x in run.steps.samples(run.state, run.data))
    assert real.shape == (4, 28, 28, 11) and fake.shape == (4, 28, 28, 11)
    pixels = np.asarray(run.data[0])
    for x in real:
        found = np.flatnonzero((pixels == np.round((x[..., 0] + 1) / 2 * 255)).all(axis=(1, 2)))
        assert x[0, 0, 1:].argmax() in digits.labels[found] and (x[..., 1:] == x[0, 0, 1:]).all()
    assert (fake[:, 0, 0, 1:].sum(axis=1) == 1).all()  # each fake asked for one digit
    list(run.train())
    history = run.history_frame()
    assert list(history.iteration) == [2, 4]
    assert history["label_agreement"].between(0, 1).all() and history["frechet_distance"].notna().all()
    # the grid: row d asks for digit d, a column holds one latent point
    assert run.history[-1].grid.shape == (100, 28, 28)
    asked = run.generator_input(run.grid_latent, run.grid_digits)
    assert (asked[:, 6:].argmax(axis=1) == np.repeat(np.arange(10), 10)).all()
    assert np.array_equal(asked[:10, :6], asked[90:, :6]) and not np.array_equal(asked[0, :6], asked[1, :6])
    from gan_core.teaching.slow_motion import take_apart

    assert [part.name for part in take_apart(run)] == ["start", "d", "g"]  # slow motion takes it apart too


@pytest.mark.slow
def test_a_conditional_run_learns_to_write_the_digit_asked_for(digits):
    # the default networks: 200 iterations took the agreement from chance (0.1) to about 0.8 (bench/conditional.py
    # measured 0.71 at 100 and 0.82 at 200)
    run = ImageGanRun(ImageConfig(conditional="on", n_epochs=200, n_eval=200, seed=2), digits,
                      classifier=load_classifier())
    before = run.evaluate().scores["label_agreement"]
    list(run.train())
    after = run.history[-1].scores["label_agreement"]
    assert before < 0.25 and after > 0.5, (before, after)


@pytest.mark.slow
def test_a_conditional_bundle_keeps_the_setting_and_continues_exactly(digits):
    from gan_core.keeping.bundle import from_bundle, to_bundle

    run = ImageGanRun(dataclasses.replace(ON, n_epochs=6), digits)
    run.train_chunk()
    again = from_bundle(to_bundle(run), mnist=lambda scale: (digits, None))
    assert again.config.conditional == "on" and again.generator.input_shape == (None, 16)
    assert again.steps.discriminator.input_shape == (None, 28, 28, 11)
    run.train_chunk()
    again.train_chunk()
    np.testing.assert_allclose(again.history_frame().drop(columns=["seconds"]).to_numpy(),
                               run.history_frame().drop(columns=["seconds"]).to_numpy(), rtol=1e-6)


def _cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "gan_core", *args, "--no-store"], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)


@pytest.mark.slow
def test_the_cli_labels_its_samples_ten_of_each_digit(tmp_path):
    r = _cli("train", "--target", "mnist", "--conditional", "--n-epochs", "2", "--n-eval", "2", "--n-batch", "8",
             "--d-filters", "4", "--g-filters", "4", "--latent-dim", "6", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "label_agreement=" in r.stdout and "# label agreement" in r.stdout
    samples = pd.read_csv(tmp_path / "samples.csv")
    assert list(samples.columns[:3]) == ["kind", "label", "p0"] and samples.shape == (100, 786)
    assert samples["label"].value_counts().sort_index().tolist() == [10] * 10
    assert "label_agreement" in pd.read_csv(tmp_path / "history.csv").columns
    import keras

    generator = keras.models.load_model(tmp_path / "generator.keras", safe_mode=True)
    assert generator.input_shape == (None, 16)


@pytest.mark.slow
def test_the_cli_refuses_conditional_where_it_cannot_apply(tmp_path):
    r = _cli("train", "--target", "shapes", "--conditional", "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and "--conditional does not apply to Your images" in r.stderr
    r = _cli("discriminator", "--target", "mnist", "--conditional", "--out", str(tmp_path / "y"))
    assert r.returncode == 2 and "--conditional" in r.stderr
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


def _captions(at) -> list[str]:
    return [image.proto.imgs[0].caption for image in at.get("image")]


@pytest.mark.slow
def test_the_preview_asks_an_untrained_conditional_generator_for_a_digit_and_walks_between_two():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    at.switch_page("app_pages/image_preview.py").run()
    assert not at.exception and at.radio(key="w_data").value == "MNIST digits"
    at.radio(key="w_mpreview_source").set_value("untrained generator").run()
    assert not at.get("button_group")  # no digit to choose without the setting
    assert len(at.get("image")) == 3
    at.toggle(key="w_mpreview_conditional").set_value(True).run()
    assert not at.exception, at.exception
    assert at.session_state["mpreview_key"][-1] is True  # an untrained conditional generator was built
    assert len(at.get("image")) == 4  # the grid, zeros + A, the A-to-B strip, and the walk from digit to digit
    assert any("each asked for a 0" in c for c in _captions(at)), _captions(at)
    at.button_group(key="w_mpreview_digit").set_value(4).run()
    assert not at.exception, at.exception
    assert any("each asked for a 4" in c for c in _captions(at)), _captions(at)
    at.selectbox(key="w_mpreview_to_digit").set_value(9).run()
    assert "point A held, its label from 1 to 9 in 10 steps" in _captions(at)


def test_the_preview_shows_the_shipped_conditional_generator_asked_for_a_digit():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    at.switch_page("app_pages/image_preview.py").run()
    at.radio(key="w_mpreview_source").set_value("pretrained conditional generator (pick the digit)").run()
    assert not at.exception, at.exception
    at.button_group(key="w_mpreview_digit").set_value(3).run()
    assert any("each asked for a 3" in c for c in _captions(at)), _captions(at)
    assert any("--conditional --ema 0.999" in c.value for c in at.caption)


@pytest.mark.slow
def test_the_gan_page_trains_a_conditional_run_and_the_preview_walks_its_generator():
    from streamlit.testing.v1 import AppTest
    from test_app import _click, _page, _set, _stop

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    at.switch_page("app_pages/image_gan.py").run()
    assert at.selectbox(key="w_mgan_conditional").value == "off"
    at.selectbox(key="w_mgan_conditional").set_value("on").run()
    _set(at, "mgan", {"n_epochs": 10, "n_eval": 10, "d_filters": 4, "g_filters": 4})
    try:
        _click(at, "mgan", "Train")
    finally:
        _stop(at, "mgan")
    run = _page(at, "mgan").run
    assert run.config.conditional == "on" and run.iteration == 10
    assert "label_agreement" in at.dataframe[0].value.columns
    assert "label agreement" in [m.label for m in at.metric]
    assert any("row d asks for digit d" in c for c in _captions(at))
    at.switch_page("app_pages/image_preview.py").run()
    at.radio(key="w_mpreview_source").set_value("the generator trained on the GAN page").run()
    assert not at.exception, at.exception
    at.button_group(key="w_mpreview_digit").set_value(7).run()
    assert any("each asked for a 7" in c for c in _captions(at)), _captions(at)
    assert "point A held, its label from 1 to 7 in 10 steps" in _captions(at)


def test_the_discriminator_lab_is_never_conditional(digits):
    from gan_core.training.images import ImageDiscriminatorRun

    run = ImageDiscriminatorRun(ON, digits)  # a GAN's setting: the lab's real digits vs noise carry no labels
    assert run.config.conditional == "off" and run.steps.discriminator.input_shape == (None, 28, 28, 1)
