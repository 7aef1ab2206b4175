"""The data kinds (gan_core.kinds): each kind's settings choose it, and its runs train on its data."""
import numpy as np
import pytest

from gan_core import Config, kinds
from gan_core.data.mnist import load_subset
from gan_core.data.points import POINT_SETS
from gan_core.settings.config import ImageConfig, YourImagesConfig


def test_settings_and_targets_name_their_kind():
    assert kinds.of_settings(Config()) is kinds.FUNCTION
    assert kinds.of_settings(Config(target="custom", expr="x")) is kinds.FUNCTION
    for name in POINT_SETS:
        assert kinds.of_settings(Config(target=name)) is kinds.POINTS
    assert kinds.of_settings(ImageConfig()) is kinds.DIGITS and kinds.of_target("mnist") is kinds.DIGITS
    for name in ("normal1d", "bimodal1d", "csv1d"):
        assert kinds.of_settings(Config(target=name)) is kinds.SAMPLES
    assert kinds.of_settings(YourImagesConfig()) is kinds.IMAGES and kinds.of_target("shapes") is kinds.IMAGES
    assert [k.title for k in kinds.KINDS.values()] == ["1-D function", "2-D points", "1-D samples", "MNIST digits",
                                                       "Your images"]


def test_a_kind_is_a_target_list_and_its_point_sets_dimensions():
    """Every Config target is one kind's; a point set's kind makes sets of its own dimensions, and an
    upload's target reads a CSV of as many columns as the kind's samples have."""
    for kind in kinds.KINDS.values():
        for target in kind.targets:
            assert kinds.of_target(target) is kind
        if kind.point_set:
            for target in kind.targets:
                rows = np.zeros((12, len(kind.columns)), np.float32) if target == kind.upload else None
                assert kind.point_set(target, rows).dims == len(kind.columns)
            csv = "\n".join(",".join("1" for _ in kind.columns) for _ in range(12)).encode()
            assert kind.read_upload(csv).shape == (12, len(kind.columns))


@pytest.mark.slow
def test_each_kind_makes_runs_of_its_own_data():
    tiny = dict(n_epochs=4, n_eval=2, n_batch=16, n_eval_samples=20)
    digits = load_subset("tanh")  # the default DCGAN's pixels
    made = {
        "function": (kinds.FUNCTION.gan(Config(**tiny)), kinds.FUNCTION.discriminator(Config(**tiny))),
        "points": (kinds.POINTS.gan(Config(target="ring8", **tiny)),
                   kinds.POINTS.discriminator(Config(target="ring8", **tiny))),
        "samples": (kinds.SAMPLES.gan(Config(target="bimodal1d", **tiny)),
                    kinds.SAMPLES.discriminator(Config(target="normal1d", **tiny))),
        "digits": (kinds.DIGITS.gan(ImageConfig(d_filters=4, g_filters=4, **tiny), digits=digits),
                   kinds.DIGITS.discriminator(ImageConfig(d_filters=4, **tiny), digits=digits)),
    }
    for name, runs in made.items():
        for run in runs:
            assert kinds.of_run(run) is kinds.KINDS[name]
            evaluation = run.train_chunk()
            assert evaluation.iteration == 2 and 0 <= evaluation.acc_real <= 1
    real = made["points"][0].sample_real(500)
    assert np.allclose(np.sort(np.hypot(*real.T))[[0, -1]], 1, atol=0.1)  # the ring of radius 1
    assert made["digits"][0].history[-1].grid.shape == (100, 28, 28)
    line = made["samples"][0].history[-1]  # numbers: samples, D(x) on a line, the map z -> x
    assert line.real.shape == (20, 1) and line.decision.shape[1] == 2 and line.mapping.shape[1] == 2


def test_every_kind_has_one_explorer_entry_with_its_pages_by_role():
    import pathlib

    from explorer import experiments

    assert [e.kind for e in experiments.ALL] == list(kinds.KINDS.values())
    addresses = [e.address(role) for e in experiments.ALL for role in e.files]
    assert len(addresses) == len(set(addresses))  # every page its own address
    root = pathlib.Path(__file__).resolve().parents[1]
    for entry in experiments.ALL:
        assert {"lab", "preview", "gan"} <= set(entry.files) <= set(experiments.ROLES)
        assert all((root / "app_pages" / f"{file}.py").exists() for file in entry.files.values())
        assert set(entry.states) == {"lab", "gan"} and set(entry.defaults) == set(entry.states.values())
        for state, defaults in entry.defaults.items():  # where the widgets start is a valid config
            assert entry.kind.settings(**defaults).validate() == {}, state
        assert experiments.of_settings(entry.kind.settings(**entry.defaults[entry.states["gan"]])) is entry
    assert experiments.STATE_OF_ADDRESS["points_seed_sweep"] == "points_gan"  # a sweep has its GAN page's settings


def test_a_kinds_entry_says_what_its_pages_show_as_its_data_is():
    """The pages read a kind's view from its entry (no shape checks there): the entry agrees with the
    kind's data: numbers on a line, 2-D points on a square plane, the sets chosen by name with the
    visitor's rows, the drawing for 2-D rows only."""
    from explorer import experiments

    assert [e.view for e in experiments.ALL] == ["curve", "plane", "line", "digits", "pictures"]
    for e in experiments.ALL:
        kind = e.kind
        assert e.view in experiments.VIEWS
        assert e.on_line == (kind.columns == ("x",) and kind.point_set is not None)
        assert e.square == (kind.point_set is not None and kind.columns == ("x", "y"))
        assert e.chooses_set == (kind.point_set is not None) and (e.chooses_function == (kind is kinds.FUNCTION))
        assert bool(e.rows) == bool(kind.upload) and e.examples == e.chooses_set
        assert e.drawable == (bool(kind.upload) and kind.columns == ("x", "y"))
        assert e.presets == (e.view == "digits") and e.warmed == (kind.settings is Config)
        assert (e.target_label != "") == (e.chooses_set or e.chooses_function or e.own_pictures)
        # the image kinds share their pages: the entry says which form, which data and which scores they show
        assert e.classified == (kind.settings is ImageConfig) and e.own_pictures == (kind.settings is YourImagesConfig)
        assert (e.files == experiments.IMAGE_FILES) == bool(e.data_arg) == (e.classified or e.own_pictures)
        assert e.form == {"digits": "image_form", "pictures": "pictures_form"}.get(e.view, "gan_form")


@pytest.mark.slow
def test_the_1d_samples_defaults_learn_both_modes_of_the_bimodal_set():
    """The 1-D samples kind's networks, 3,000 iterations on bimodal1d: both modes found, most samples
    within 3 sigma of one, evenly split, and far closer to the real data than the untrained
    generator (Wasserstein-1 on 1,000 samples)."""
    config = Config(target="bimodal1d", **kinds.SAMPLES.defaults, n_epochs=3000, n_eval=3000, seed=2)
    run = kinds.SAMPLES.gan(config)
    before = run.score(1000)
    run.train_chunk()
    after = run.score(1000)
    assert before["high_quality"] < 0.5 and before["wasserstein"] > 1.0
    assert after["modes"] == 2 and after["high_quality"] > 0.85 and after["reverse_kl"] < 0.05
    assert after["wasserstein"] < min(0.5, before["wasserstein"] / 3)
