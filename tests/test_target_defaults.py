"""A built-in target's own defaults (gan_core/settings/defaults.py): what Config.for_target, the CLI and the
app's GAN page start from; a typed value survives a target switch; the note beside Train; the losses ×
seeds lesson link."""
import dataclasses
import pathlib

import pytest
from streamlit.testing.v1 import AppTest

from explorer.text import literal
from gan_core.cli.main import build_parser, config_from_args
from gan_core.data import points
from gan_core.settings import defaults
from gan_core.settings.config import Config

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _own(target):
    """A setting the target's defaults change from its kind's, and its value."""
    name, value = next(iter(defaults.TARGET_DEFAULTS[target].items()))
    return name, value


def test_a_target_names_its_own_defaults_over_config_s():
    ring = Config.for_target("ring8")
    assert ring.target == "ring8" and ring.n_batch == points.NETWORKS["n_batch"]  # its kind's networks
    for name, value in defaults.TARGET_DEFAULTS["ring8"].items():
        assert getattr(ring, name) == value
    assert Config.for_target("ring8", pack=1, seed=7).pack == 1  # what is asked for stands over them
    assert Config() == Config.for_target("x^2", **{k: getattr(Config(), k)
                                                 for k in defaults.TARGET_DEFAULTS["x^2"]})  # the rest is plain
    assert Config.for_target("moons") == Config(target="moons", **points.NETWORKS)  # none of its own: its kind's
    assert all(not Config.for_target(t).validate() for t in defaults.TARGET_DEFAULTS)


def _cli_config(*argv):
    return config_from_args(build_parser().parse_args(list(argv)))


def test_the_cli_trains_a_target_s_defaults_and_a_flag_stands_over_them():
    for target in defaults.TARGET_DEFAULTS:
        assert _cli_config("train", "--target", target) == Config.for_target(target)
        assert _cli_config("sweep", "--target", target) == Config.for_target(target)
    name, value = _own("grid25")
    flag = f"--{name.replace('_', '-')}"
    typed = 1 if value != 1 else 2
    assert getattr(_cli_config("train", "--target", "grid25", flag, str(typed)), name) == typed
    # the discriminator lab keeps its kind's settings and its own loop
    lab = _cli_config("discriminator", "--target", "grid25")
    assert lab.pack == Config().pack and lab.n_epochs == 1000
    assert _cli_config("train") == Config.for_target("x^2")  # x², the tutorial's target, with its own defaults


def _open(url_path, query=None):
    from streamlit.util import calc_hash

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.query_params.update(query or {})
    at._page_hash = calc_hash(url_path)
    at.run()
    assert not at.exception, at.exception
    return at


def _field(at, name):
    return at.text_input(key=f"w_points_gan_{name}").value


def _says(elements, words):
    return any(words in e.value or literal(words) in e.value for e in elements)


OWN = {"x^2": {}, "ring8": {"pack": 2}, "grid25": {"pack": 4, "n_batch": 512, "n_epochs": 30000}}


def test_the_gan_page_fills_in_a_target_s_defaults_and_keeps_a_typed_value(monkeypatch):
    monkeypatch.setattr(defaults, "TARGET_DEFAULTS", OWN)  # known defaults, whatever the bench chose
    at = _open("points_gan_training")
    assert _field(at, "pack") == "2" and _field(at, "n_batch") == "256"
    at.text_input(key="w_points_gan_n_batch").set_value("128").run()  # the visitor's own value
    at.selectbox(key="w_points").set_value("grid25").run()
    assert not at.exception, at.exception
    assert _field(at, "pack") == "4" and _field(at, "n_epochs").replace(",", "") == "30000"  # at ring8's: moved
    assert _field(at, "n_batch") == "128"  # typed: stays, and is said
    assert _says(at.info, "Your own values stay: n_batch 128.")
    assert _says(at.info, "grid25's own defaults filled in: n_epochs (iterations) 30,000, samples per verdict")
    assert dict(at.query_params) == {"target": "grid25", "n_batch": "128"}  # the address: what differs
    at.run()
    assert not _says(at.info, "Your own values stay")  # said once
    at.selectbox(key="w_points").set_value("moons").run()  # no defaults of its own: back to the kind's
    assert _field(at, "pack") == "1" and _field(at, "n_epochs").replace(",", "") == "10000"
    assert _field(at, "n_batch") == "128"


def test_a_link_s_settings_are_read_over_its_target_s_defaults(monkeypatch):
    monkeypatch.setattr(defaults, "TARGET_DEFAULTS", OWN)
    at = _open("points_gan_training", {"target": "grid25", "n_eval": "100"})
    assert at.selectbox(key="w_points").value == "grid25"
    grid = Config.for_target("grid25")
    assert _field(at, "pack") == str(grid.pack) and _field(at, "n_eval") == "100"
    assert not _says(at.info, "own defaults filled in")  # the link opened on grid25: nothing switched
    assert dict(at.query_params) == {"target": "grid25", "n_eval": "100"}


def test_the_note_beside_train_says_how_often_a_failing_default_worked(monkeypatch):
    monkeypatch.setattr(defaults, "TARGET_DEFAULTS", OWN)
    monkeypatch.setattr(defaults, "MEASURED", {"ring8": defaults.Measured(7, 10), "grid25": defaults.Measured(10, 10)})
    at = _open("points_gan_training")
    note = "On 10 fresh seeds this default met its criterion on 7."
    assert _says(at.caption, note)
    at.text_input(key="w_seed").set_value("5").run()  # another seed: still it
    assert _says(at.caption, note)
    at.text_input(key="w_points_gan_d_lr").set_value("0.0003").run()  # not the default any more
    assert not _says(at.caption, note)
    at.text_input(key="w_points_gan_d_lr").set_value(str(Config.for_target("ring8").d_lr)).run()
    at.selectbox(key="w_points").set_value("grid25").run()  # a passing default: no note
    assert not _says(at.caption, "fresh seeds this default")


def test_measured_says_when_a_default_fails_more_than_one_seed_in_ten():
    assert defaults.Measured(7, 10).fails_often and not defaults.Measured(9, 10).fails_often
    assert defaults.Measured(8, 8).fails_often is False and defaults.Measured(14, 16).fails_often


def test_the_losses_lesson_opens_the_settings_sweep_with_losses_and_seeds():
    from explorer.links import LESSONS

    lesson = next(lesson for lesson in LESSONS if "Created Equal" in lesson.shows)
    assert lesson.role == "grid" and lesson.kind == "points"
    at = _open("points_settings_sweep", lesson.params)
    assert not at.warning, [w.value for w in at.warning]
    assert at.selectbox(key="w_points_grid_axis1").value == "loss"
    assert at.text_input(key="w_points_grid_values1").value == "bce,lsgan,wgan-gp,hinge"
    assert at.selectbox(key="w_points_grid_axis2").value == "(none)"
    assert at.text_input(key="w_points_grid_seeds").value == "8"
    assert at.selectbox(key="w_points").value == "ring8"
    assert _says(at.info, "This grid: 4 cells × 8 seeds = **32 runs**")
    assert at.query_params["axis1"] == "loss" and at.query_params["seeds"] == "8"  # the address keeps the lesson


def test_the_home_page_lists_the_lessons():
    from explorer.links import LESSONS

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    assert not at.exception
    assert all(_says(at.caption, lesson.shows[:60]) for lesson in LESSONS)


def test_a_lesson_s_bad_axis_is_said_and_ignored():
    at = _open("points_settings_sweep", {"axis1": "target", "seeds": "8"})
    assert _says(at.warning, "This link's axis1 was ignored")
    assert at.selectbox(key="w_points_grid_axis1").value == "g_lr"
    assert at.text_input(key="w_points_grid_seeds").value == "8"
