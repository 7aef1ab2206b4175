"""Settings described once (issue 20, item 3): each field of Config and ImageConfig carries its
description (gan_core/settings/described.py: kind, range or choices, label, help, CLI commands, its role towards
the compiled step); validation, the pages' widgets and the CLI's flags read it, and every message names a field by
its label."""
import dataclasses
import pathlib
import re

import pytest
from test_house_rules import app_sources

from gan_core import kinds
from gan_core.cli.main import build_parser
from gan_core.settings.config import Config, DiracConfig, ImageConfig
from gan_core.settings.described import Setting

ROOT = pathlib.Path(__file__).resolve().parents[1]
# every kind's, once, and the Dirac-GAN lesson's (its command: dirac)
CLASSES = (*dict.fromkeys(kind.settings for kind in kinds.KINDS.values()), DiracConfig)
KINDS = {"whole", "number", "choice", "widths", "text"}


def _described():
    return [(cls, name, s) for cls in CLASSES for name, s in cls.settings().items()]


def test_every_field_has_a_description_with_a_label():
    for cls in CLASSES:
        names = [f.name for f in dataclasses.fields(cls)]
        assert list(cls.settings()) == names, cls  # one description per field, none elsewhere
    for cls, name, s in _described():
        assert isinstance(s, Setting) and s.kind in KINDS, (cls, name)
        assert s.label and s.label.strip() == s.label, (cls, name)
        assert s.kind == "text" or s.help or s.label in ("discriminator learning rate", "generator learning rate"), \
            (cls, name)  # what it does, for its widget and its flag
        assert (s.choices is not None) == (s.kind == "choice"), (cls, name)
        if s.kind == "whole":
            assert s.low <= getattr(cls(), name) <= s.high, (cls, name)
        assert s.commands and set(s.commands) <= {"train", "discriminator", "sweep", "dirac"}, (cls, name)
        assert s.problem(getattr(cls(), name)) is None, (cls, name)  # the default is allowed


def test_a_fields_labels_differ_within_a_class():
    """A message names its field by its label: two fields of one class never share one."""
    for cls in CLASSES:
        labels = [s.label for s in cls.settings().values()]
        assert len(labels) == len(set(labels)), cls


def test_every_field_is_a_flag_of_the_commands_its_description_names():
    commands = build_parser()._subparsers._group_actions[0].choices
    flags = {command: {a.dest: a for a in parser._actions} for command, parser in commands.items()}
    for cls, name, s in _described():
        for command in s.commands:
            action = flags[command][name]
            assert action.option_strings == [f"--{name.replace('_', '-')}"] and action.default is None
            if s.kind == "choice":
                assert list(action.choices) == list(s.choices), name
            if name not in ("target", "expr"):  # the real data's group, written in __main__
                assert s.label in action.help, (name, action.help)
        for command in set(flags) - {c for _, n, d in _described() if n == name for c in d.commands}:
            assert name not in flags[command], (command, name)


def _bad(s: Setting, value):
    """A value its description refuses."""
    if s.kind == "whole":
        return s.high + 1
    if s.kind == "number":
        return s.high * 2 + 1
    if s.kind == "choice":
        return "nope"
    return (0,)  # widths


@pytest.mark.parametrize("cls, name", [(cls, name) for cls, name, s in _described()
                                       if s.kind != "text" and not (s.kind == "number" and s.low is None)])
def test_a_bad_value_is_refused_in_the_words_of_its_label(cls, name):
    s = cls.settings()[name]
    value = _bad(s, getattr(cls(), name))
    errors = cls(**{name: value}).validate()
    assert errors[name] == f"{s.label} must be {s.allowed()} (got {value!r}).", errors


def test_messages_of_related_fields_name_both_labels():
    errors = Config(n_eval=300, n_epochs=200, noise_low=2.0, noise_high=1.0, loss="wgan-gp", d_steps=2).validate()
    assert errors["n_eval"] == ("n_eval (iterations per check-in) must not exceed n_epochs (iterations): 300 is more "
                                "than 200.")
    assert errors["noise_high"] == "noise box high (1.0) must be above noise box low (2.0)."
    assert errors["d_steps"].startswith("discriminator steps per iteration must be 1 with Wasserstein")
    assert "critic steps per generator step" in errors["d_steps"]
    assert ImageConfig(n_batch=7).validate()["n_batch"] == "n_batch must be even: half real, half fake samples (got 7)."


def test_a_label_is_written_in_config_py_only():
    """One place: no page or shared module spells a setting's label as a string of its own."""
    labels = {s.label for _, _, s in _described() if " " in s.label}
    for path in app_sources():
        if path.relative_to(ROOT).as_posix() == "gan_core/settings/config.py":
            continue
        text = path.read_text()
        for label in labels:
            assert not re.search(f"[\"']{re.escape(label)}[\"']", text), (path, label)


def test_the_gan_page_draws_its_settings_from_their_descriptions():
    """The new steps per iteration and latent points have their widgets; every widget's label and
    help are its description's; a bad number names the label; WGAN-GP swaps d_steps for n_critic."""
    from test_app import _app, _click, _page, _says

    at = _app("gan_training")
    described = Config.settings()
    shown = {w.key.removeprefix("w_gan_"): w for w in [*at.main.text_input, *at.main.selectbox]
             if w.key and w.key.startswith("w_gan_")}
    assert {"d_steps", "g_steps", "latent", "n_epochs", "g_lr", "beta_1", "pack"} <= set(shown)
    for name, widget in shown.items():
        assert widget.label in (described[name].label, described[name].short), name
        assert described[name].help in (widget.help or ""), name
    assert shown["g_hidden"].label == "hidden units" and shown["latent"].options == ["Gaussian N(0, 1)",
                                                                                      "uniform U(−1, 1)"]
    at.text_input(key="w_gan_d_steps").set_value("2")
    at.text_input(key="w_gan_g_steps").set_value("3")
    at.selectbox(key="w_gan_latent").set_value("uniform").run()
    assert not at.exception and not at.error, at.error
    assert {k: at.query_params[k] for k in ("d_steps", "g_steps", "latent")} == {
        "d_steps": "2", "g_steps": "3", "latent": "uniform"}  # a shared link keeps them
    at.text_input(key="w_gan_d_steps").set_value("11").run()
    assert _says(at.error, "discriminator steps per iteration must be a whole number from 1 to 10 (got 11).")
    _click(at, "gan", "Train")
    assert _page(at, "gan").run is None
    assert _says(at.error, "Fix discriminator steps per iteration in More settings (marked in red above) first")
    at.selectbox(key="w_gan_loss").set_value("wgan-gp").run()
    keys = {w.key for w in at.main.text_input}
    assert "w_gan_n_critic" in keys and "w_gan_d_steps" not in keys and not at.error
