"""settings.json: every CLI command that writes to --out (train, discriminator, sweep, a settings grid, a
picture run, dirac) also writes the command, its arguments and every setting the run used, defaults
included; a run built from that file alone gives the same history. And `dirac` itself: trajectory.csv,
bad values refused by their flag."""
import json
from dataclasses import fields

import numpy as np
import pandas as pd
import pytest

from gan_core import kinds
from gan_core.cli.main import main
from gan_core.settings.config import Config, DiracConfig, ImageConfig, YourImagesConfig


def _settings(out, cls):
    data = json.loads((out / "settings.json").read_text())
    assert data["settings_class"] == cls.__name__
    assert set(data["settings"]) == {f.name for f in fields(cls)}, "every field, defaults included"
    assert data["versions"]["python"] and data["versions"]["keras"]
    return data, cls.from_dict(data["settings"])


def _same(history: pd.DataFrame, other: pd.DataFrame):
    """Equal but for the wall-clock columns."""
    keep = [c for c in history.columns if "seconds" not in c]
    pd.testing.assert_frame_equal(history[keep].reset_index(drop=True), other[keep].reset_index(drop=True),
                                  check_dtype=False)


def test_dirac_writes_its_trajectory_and_settings(tmp_path, capsys):
    from gan_core.teaching import dirac

    out = tmp_path / "d"
    argv = ["dirac", "--loss", "minimax", "--regularizer", "r1", "--update", "alternating", "--steps", "120", "--lr",
            "0.1", "--gamma", "0.5", "--theta0", "0.5", "--out", str(out)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "eigenvalues at (0, 0): -0.25+0.433i, -0.25-0.433i" in printed, printed
    path = pd.read_csv(out / "trajectory.csv")
    assert list(path.columns) == ["step", "theta", "psi"] and len(path) == 121
    assert (path.theta[0], path.psi[0]) == (0.5, 1.0)  # as typed, and the default start ψ
    data, config = _settings(out, DiracConfig)
    assert data["command"] == "dirac" and data["argv"] == argv
    assert data["settings"] == {**DiracConfig().to_dict(), "loss": "minimax", "regularizer": "r1",
                                "update": "alternating", "steps": 120, "lr": 0.1, "gamma": 0.5, "theta0": 0.5}
    again = dirac.trajectory(config)  # from settings.json alone
    assert np.array_equal(again[["theta", "psi"]].to_numpy(), path[["theta", "psi"]].to_numpy())


@pytest.mark.parametrize("flags, says", [
    (["--lr", "0"], "--lr: step size (learning rate) must be a number above 0"),
    (["--steps", "2.5"], "--steps"),
    (["--regularizer", "l2"], "--regularizer: invalid choice"),
    (["--update", "both"], "--update: invalid choice"),
    (["--sigma", "-1"], "--sigma: instance noise σ must be a number from 0 to 10"),
])
def test_dirac_refuses_bad_values_naming_the_flag(tmp_path, capsys, flags, says):
    with pytest.raises(SystemExit) as exit:
        main(["dirac", *flags, "--out", str(tmp_path / "x")])
    assert exit.value.code == 2 and says in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


PLANE = ["--n-epochs", "40", "--n-eval", "20", "--n-batch", "16", "--seed", "3"]
STORE = {"train": ["--no-store"], "sweep": ["--no-store"], "discriminator": []}  # (a lab run is never stored)


@pytest.mark.slow
@pytest.mark.parametrize("command, flags", [
    ("train", ["--target", "ring8", "--loss", "hinge"]),
    ("discriminator", ["--expr", "abs(x)"]),
])
def test_a_plane_run_is_rebuilt_from_its_settings(tmp_path, command, flags):
    out = tmp_path / command
    assert main([command, *flags, *PLANE, *STORE[command], "--out", str(out)]) == 0
    data, config = _settings(out, Config)
    assert data["command"] == command and data["options"] == ({"no_store": True} if STORE[command] else {})
    kind = kinds.of_settings(config)
    run = kind.gan(config) if command == "train" else kind.discriminator(config)
    for _ in run.train():
        pass
    _same(pd.read_csv(out / "history.csv"), run.history_frame())


@pytest.mark.slow
def test_a_sweep_and_a_grid_keep_their_seeds_and_axes(tmp_path):
    from gan_core.training.sweep import Sweep

    out = tmp_path / "sweep"
    assert main(["sweep", "--seeds", "2", *PLANE, "--no-store", "--out", str(out)]) == 0
    data, config = _settings(out, Config)
    assert data["options"]["seeds"] == 2
    run = Sweep(config, data["options"]["seeds"])
    for _ in run.train():
        pass
    _same(pd.read_csv(out / "history.csv"), run.history_frame())

    grid = tmp_path / "grid"
    assert main(["sweep", "--seeds", "2", "--grid", "g_lr=0.001,0.002", *PLANE, "--no-store", "--out", str(grid)]) == 0
    data, config = _settings(grid, Config)
    assert data["options"]["grid"] == ["g_lr=0.001,0.002"] and data["options"]["seeds"] == 2 and config.seed == 3


@pytest.mark.slow
def test_picture_runs_write_every_setting(tmp_path):
    shapes = tmp_path / "shapes"
    assert main(["train", "--target", "shapes", "--n-epochs", "4", "--n-eval", "2", "--n-batch", "8", "--no-store",
                 "--out", str(shapes)]) == 0
    data, config = _settings(shapes, YourImagesConfig)
    run = kinds.IMAGES.gan(config)
    for _ in run.train():
        pass
    _same(pd.read_csv(shapes / "history.csv"), run.history_frame())

    digits = tmp_path / "digits"
    assert main(["discriminator", "--target", "mnist", "--n-epochs", "2", "--n-eval", "2", "--n-batch", "8",
                 "--d-filters", "4", "--out", str(digits)]) == 0
    data, config = _settings(digits, ImageConfig)
    assert config.d_filters == 4 and data["settings"]["n_batch"] == 8
