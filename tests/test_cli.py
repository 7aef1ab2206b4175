import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from gan_core.settings.config import Config, ImageConfig

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _cli(*args, cwd=ROOT):
    env = {**os.environ, "PYTHONPATH": ROOT}
    return subprocess.run([sys.executable, "-m", "gan_core", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.slow
def test_train_prints_check_ins_and_writes_files(tmp_path):
    out = tmp_path / "run"
    r = _cli("train", "--n-epochs", "60", "--n-eval", "30", "--n-batch", "32", "--seed", "3", "--out", str(out))
    assert r.returncode == 0, r.stderr
    lines = [l for l in r.stdout.splitlines() if not l.startswith("#")]
    assert [l.split()[0] for l in lines] == ["29", "59"]  # the tutorial's loop index
    assert all(re.match(r"^\d+ [01](\.\d+)? [01](\.\d+)?  d_loss=", l) for l in lines), lines
    history = pd.read_csv(out / "history.csv")
    assert list(history["iteration"]) == [30, 60]
    assert {"acc_real", "acc_fake", "d_loss", "g_loss", "curve_error", "energy_floor"} <= set(history.columns)
    samples = pd.read_csv(out / "samples.csv")
    assert samples["kind"].value_counts().to_dict() == {"real": 100, "fake": 100}
    import keras

    generator = keras.models.load_model(out / "generator.keras", safe_mode=True)
    assert generator.input_shape == (None, 5) and generator.output_shape == (None, 2)


@pytest.mark.slow
def test_discriminator_with_expression(tmp_path):
    r = _cli("discriminator", "--expr", "abs(x)", "--n-epochs", "40", "--n-eval", "20", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert len(pd.read_csv(tmp_path / "history.csv")) == 2
    assert not (tmp_path / "generator.keras").exists()


def test_bad_flags_exit_2_with_a_message(tmp_path):
    for args, says in [
        (["--n-batch", "7"], "n_batch must be even"),
        (["--n-eval", "30000"], "must not exceed n_epochs"),  # above x²'s own 20,000
        (["--expr", "__import__('os').system('true')"], "not an allowed function"),
        (["--d-hidden", "a,b"], "Layer widths are whole numbers"),
        (["--target", "cosine"], "invalid choice"),
    ]:
        r = _cli("train", *args, "--out", str(tmp_path / "x"))
        assert r.returncode == 2 and says in r.stderr, (args, r.stderr)
        assert not (tmp_path / "x").exists()


@pytest.mark.slow
def test_train_on_a_mixture_writes_its_scores(tmp_path):
    r = _cli("train", "--target", "grid25", "--n-epochs", "60", "--n-eval", "30", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "modes=" in r.stdout and "(real-vs-real 25) high_quality=" in r.stdout
    history = pd.read_csv(tmp_path / "history.csv")
    assert {"modes", "high_quality", "reverse_kl", "modes_floor", "energy"} <= set(history.columns)
    assert (history["modes_floor"] == 25).all()
    import keras

    generator = keras.models.load_model(tmp_path / "generator.keras", safe_mode=True)
    assert generator.input_shape == (None, 8)  # the 2-D networks: latent_dim 8, two layers of 64
    assert [layer.units for layer in generator.layers[:-1] if hasattr(layer, "units")] == [64, 64]


@pytest.mark.slow
def test_train_on_1d_samples_writes_kind_and_x(tmp_path):
    """--target bimodal1d: the 1-D samples kind, its networks (latent_dim 1), its scores, and
    samples.csv with columns kind, x; --samples FILE.csv takes a user's column of numbers."""
    r = _cli("train", "--target", "bimodal1d", "--n-epochs", "40", "--n-eval", "20", "--out", str(tmp_path / "a"))
    assert r.returncode == 0, r.stderr
    assert "wasserstein=" in r.stdout and "(real-vs-real 2) high_quality=" in r.stdout
    samples = pd.read_csv(tmp_path / "a" / "samples.csv")
    assert list(samples.columns) == ["kind", "x"] and set(samples.kind) == {"real", "fake"}
    history = pd.read_csv(tmp_path / "a" / "history.csv")
    assert {"wasserstein", "wasserstein_floor", "modes", "energy"} <= set(history.columns)
    numbers = tmp_path / "numbers.csv"
    numbers.write_text("x\n" + "".join(f"{(i % 9) / 3 - 1}\n" for i in range(30)))
    r = _cli("train", "--samples", str(numbers), "--n-epochs", "40", "--n-eval", "20", "--out", str(tmp_path / "b"))
    assert r.returncode == 0 and "your 30 numbers" in r.stdout, r.stderr
    numbers.write_text("1,2\n" * 20)
    r = _cli("train", "--samples", str(numbers), "--out", str(tmp_path / "c"))
    assert r.returncode == 2 and "Row 1 has 2 columns" in r.stderr and "one numeric column" in r.stderr


@pytest.mark.slow
def test_train_on_uploaded_points_and_refuse_a_bad_file(tmp_path):
    good = tmp_path / "points.csv"
    good.write_text("x,y\n" + "".join(f"{i / 10},{(i % 7) / 10}\n" for i in range(40)))
    r = _cli("train", "--points", str(good), "--n-epochs", "40", "--n-eval", "20", "--out", str(tmp_path / "run"))
    assert r.returncode == 0, r.stderr
    assert "# your 40 points" in r.stdout
    assert "energy" in pd.read_csv(tmp_path / "run" / "history.csv").columns
    bad = tmp_path / "bad.csv"
    bad.write_text("1,2,3\n" * 20)
    r = _cli("train", "--points", str(bad), "--out", str(tmp_path / "bad"))
    assert r.returncode == 2 and "3 columns" in r.stderr and "two numeric columns" in r.stderr
    assert not (tmp_path / "bad").exists()


@pytest.mark.slow
def test_train_mnist_writes_its_scores_digits_and_generator(tmp_path):
    r = _cli("train", "--target", "mnist", "--n-epochs", "4", "--n-eval", "2", "--n-batch", "16", "--d-filters", "4",
             "--g-filters", "4", "--latent-dim", "6", "--d-lr", "0.002", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "classifier_score=" in r.stdout
    history = pd.read_csv(tmp_path / "history.csv")
    assert list(history["iteration"]) == [2, 4]
    assert {"acc_real", "acc_fake", "d_loss", "g_loss", "classifier_score", "digits_present"} <= set(history.columns)
    assert np.allclose(history["d_lr"], 0.002) and np.allclose(history["g_lr"], ImageConfig().g_lr)  # typed; default
    samples = pd.read_csv(tmp_path / "samples.csv")
    assert samples.shape == (100, 785) and (samples["kind"] == "fake").all()
    assert samples.drop(columns="kind").to_numpy().min() >= 0 and samples.drop(columns="kind").to_numpy().max() <= 1
    import keras

    generator = keras.models.load_model(tmp_path / "generator.keras", safe_mode=True)
    assert generator.input_shape == (None, 6) and generator.output_shape == (None, 28, 28, 1)


@pytest.mark.slow
def test_mnist_networks_flag_and_the_default_folder(tmp_path):
    # no --out: runs/train under the working folder; --networks tutorial: the tutorial's networks
    r = _cli("train", "--target", "mnist", "--networks", "tutorial", "--scale", "unit", "--n-epochs", "2",
             "--n-eval", "2", "--n-batch", "8", "--d-filters", "2", "--g-filters", "2", "--latent-dim", "4",
             cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    import keras

    generator = keras.models.load_model(tmp_path / "runs" / "train" / "generator.keras", safe_mode=True)
    assert generator.layers[-1].kernel.shape == (7, 7, 2, 1)  # the tutorial's 7x7 convolution out
    r = _cli("train", "--target", "mnist", "--networks", "resnet", cwd=tmp_path)
    assert r.returncode == 2 and "--networks: invalid choice: 'resnet'" in r.stderr and "dcgan" in r.stderr


def test_flags_of_another_kind_and_an_mnist_sweep_are_refused(tmp_path):
    for command, args, says in [
        ("train", ["--target", "mnist", "--d-hidden", "8"], "--d-hidden does not apply to MNIST digits"),
        ("train", ["--target", "ring8", "--g-filters", "8"], "--g-filters does not apply to 2-D points"),
        ("discriminator", ["--scale", "tanh"], "--scale does not apply to 1-D function"),
        ("train", ["--networks", "tutorial"], "--networks does not apply to 1-D function"),
        ("sweep", ["--target", "mnist"], "A sweep trains 1-D function, 2-D points, 1-D samples or Your images, not MNIST digits"),
        ("train", ["--target", "mnist", "--d-filters", "999"],
         "--d-filters: discriminator filters must be a whole number from 1 to 256 (got 999)."),
    ]:
        r = _cli(command, *args, "--out", str(tmp_path / "x"))
        assert r.returncode == 2 and says in r.stderr, (args, r.stderr)
        assert not (tmp_path / "x").exists()


def test_every_setting_is_a_flag():
    """Every field of every settings class is a flag of some command (made from its description),
    and each command takes the settings it uses: train every setting but the lab's noise box."""
    import dataclasses

    from gan_core.cli.main import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices
    flags = {name: {action.dest for action in p._actions} for name, p in commands.items()}
    settings = {f.name for cls in (Config, ImageConfig) for f in dataclasses.fields(cls)}
    assert settings <= set().union(*flags.values())
    assert settings - flags["train"] == {"noise_low", "noise_high"}
    assert {"noise_low", "noise_high", "d_filters", "networks"} <= flags["discriminator"]
    # a sweep: the 1-D and 2-D kinds' settings and a user's pictures' (seeds one after another), not MNIST's
    assert not {"networks", "scale", "noise_low"} & flags["sweep"] and {"loss", "side", "g_filters"} <= flags["sweep"]


def test_the_kinds_named_by_flags_and_help_are_the_registry_s():
    from gan_core import kinds
    from gan_core.cli.main import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices
    runs = commands["runs"]._subparsers._group_actions[0].choices
    assert next(a for a in runs["list"]._actions if a.dest == "kind").choices == tuple(kinds.KINDS)
    target = next(a for a in commands["train"]._actions if a.dest == "target")
    assert all(kind.title in target.help for kind in kinds.KINDS.values())


@pytest.mark.slow
def test_train_with_the_hinge_loss_sgd_and_a_critic_flag(tmp_path):
    r = _cli("train", "--loss", "hinge", "--optimizer", "sgd", "--d-lr", "0.05", "--g-lr", "0.05", "--n-epochs", "40",
             "--n-eval", "20", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    history = pd.read_csv(tmp_path / "history.csv")
    assert list(history["iteration"]) == [20, 40] and np.isfinite(history[["d_loss", "g_loss"]]).all().all()
    r = _cli("train", "--loss", "wgan-gp", "--n-critic", "0", "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and "--n-critic: critic steps per generator step must be a whole number from 1 to 10" in r.stderr
