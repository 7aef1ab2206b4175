"""The stabilizers of every kind's GAN (issue 35): R1, annealed instance noise and the generator's moving
average (gan_core/networks/regularizers.py, adam.average, the `r1_gamma`, `instance_noise` and `ema`
settings). Off, a run is what it was (the key, the state, the history); on, each does what it says."""
import dataclasses

import numpy as np
import pandas as pd
import pytest
import tensorflow as tf

from gan_core import Config
from gan_core.cli.main import main
from gan_core.networks import adam
from gan_core.networks.models import define_discriminator, without_sigmoid
from gan_core.networks.regularizers import instance_noise, noise_sigma, r1_penalty
from gan_core.settings.config import STABILIZERS, ImageConfig, YourImagesConfig
from gan_core.training import steps
from gan_core.training.grid import Grid, GridError, parse_axis
from gan_core.training.plane import GanRun
from gan_core.training.sweep import Sweep

TINY = Config(n_epochs=40, n_eval=20, n_batch=16, n_eval_samples=20, latent_dim=2, g_hidden=(4,), d_hidden=(5,),
              seed=101)
ON = {"r1_gamma": 1.0, "instance_noise": 0.5, "ema": 0.9}


def _rows(run):
    return [{k: v for k, v in e.row().items() if "seconds" not in k} for e in run.history]


def _trained(config, **changes):
    run = GanRun(dataclasses.replace(config, **changes))
    list(run.train())
    return run


# ---- off: nothing changes ------------------------------------------------------------------------------

@pytest.mark.parametrize("cls", [Config, ImageConfig, YourImagesConfig])
def test_off_every_stabilizer_stays_out_of_the_key_and_the_state(cls):
    base = cls()
    assert set(STABILIZERS) <= set(cls.settings())
    assert all(getattr(base, name) == 0 for name in STABILIZERS)  # off by default
    zeros = dataclasses.replace(base, **{name: 0.0 for name in STABILIZERS})
    for command in ("train", "discriminator"):
        assert zeros.graph_key(command) == base.graph_key(command)
        assert not any(part[0] in STABILIZERS for part in base.graph_key(command)[2:])
    for name, value in ON.items():  # on, each is in the GAN's key with its value, never in the lab's
        on = dataclasses.replace(base, **{name: value})
        assert (name, value) in on.graph_key("train") and on.graph_key("discriminator") == base.graph_key(
            "discriminator")


def test_off_a_run_shares_the_compiled_step_and_its_state_holds_no_average():
    run = GanRun(TINY)
    assert run.state.ema == () and len(tf.nest.flatten(run.state)) == len(tf.nest.flatten(run.state[:4]))
    assert GanRun(dataclasses.replace(TINY, r1_gamma=0.0, instance_noise=0.0, ema=0.0)).steps is run.steps
    assert run.ema_generator is None and run.shown_generator is run.generator


# ---- on: each does what it says --------------------------------------------------------------------------

def test_r1_is_zero_for_a_discriminator_constant_in_x_and_the_squared_gradient_otherwise():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    assert float(r1_penalty(lambda x: tf.ones([2, 1]), x)) == 0.0
    assert float(r1_penalty(lambda x: 0.0 * x[:, :1] + 5.0, x)) == 0.0
    w = tf.constant([[3.0], [-1.0]])
    assert float(r1_penalty(lambda x: x @ w, x)) == pytest.approx(10.0)  # ||w||² at every sample
    # D = Σx²: ∇ = 2x, so the mean of 4||x||² over (1, 2) and (3, 4)
    assert float(r1_penalty(lambda x: tf.reduce_sum(x * x, axis=1, keepdims=True), x)) == pytest.approx(60.0)


def test_r1_reads_the_logit_of_a_sigmoid_discriminator_with_its_own_weights():
    d = define_discriminator(2, (5,), seed=3)
    logits = without_sigmoid(d)
    assert logits is not d and without_sigmoid(define_discriminator(2, (5,), output="linear")).layers[-1]
    weights = [v.value for v in d.trainable_variables]
    x = np.random.default_rng(0).normal(size=(6, 2)).astype(np.float32)
    p = np.asarray(d.stateless_call(weights, [], x)[0])
    z = np.asarray(logits.stateless_call(weights, [], x)[0])
    np.testing.assert_allclose(p, 1 / (1 + np.exp(-z)), atol=1e-6)


def test_instance_noise_sigma_falls_in_a_line_to_zero_at_the_last_iteration():
    sigmas = [float(noise_sigma(0.8, i, 5)) for i in range(7)]
    assert sigmas == pytest.approx([0.8, 0.6, 0.4, 0.2, 0.0, 0.0, 0.0])
    x = tf.ones([3, 2])
    assert np.array_equal(instance_noise(x, noise_sigma(0.8, 4, 5), tf.fill([3, 2], 7.0)), x)
    # in the step: the blur at the run's last iteration leaves a sample as it is, at the first it has σ
    config = dataclasses.replace(TINY, instance_noise=0.5)
    _, blur, _ = steps.stabilizers(config, None, "sigmoid")
    run = GanRun(config)
    assert run.data[-1].numpy() == config.n_epochs  # the horizon, after the real data
    x = tf.zeros([4000, 2])
    first = blur(run.state, run.data, x, "real")
    last = blur(run.state._replace(iteration=tf.constant(config.n_epochs - 1, tf.int64)), run.data, x, "real")
    assert np.std(first.numpy()) == pytest.approx(0.5, rel=0.05) and np.array_equal(last.numpy(), x.numpy())
    assert not np.array_equal(first.numpy(), blur(run.state, run.data, x, "fake").numpy())  # draws of their own


def test_the_average_is_the_weights_at_decay_zero_and_lags_them_otherwise():
    run = GanRun(TINY)
    g = run.state.g._replace(updates=tf.constant(100.0))
    start = (tuple(w * 0 for w in g.weights), g.other)
    same = adam.average(start, g, 0.0)
    assert all(np.array_equal(a, w) for a, w in zip(same[0], g.weights))
    moved = adam.average(start, g, 0.9)  # a tenth of the way from 0 to the weights
    assert all(np.allclose(a, 0.1 * np.asarray(w), atol=1e-7) for a, w in zip(moved[0], g.weights))


@pytest.mark.slow
def test_a_run_with_ema_keeps_the_average_of_its_generators_weights_and_judges_it():
    config = dataclasses.replace(TINY, ema=0.9)
    run = GanRun(config)
    expected = [np.asarray(w) for w in run.state.g.weights]  # the average starts at the first weights
    for t in range(1, 13):  # one iteration (one generator update) a step
        run.advance(most=1)
        rate = min(0.9, (1 + t) / (10 + t))
        expected = [a + (np.asarray(w) - a) * (1 - rate) for a, w in zip(expected, run.state.g.weights)]
        for a, e in zip(run.state.ema[0], expected):
            np.testing.assert_allclose(a, e, rtol=1e-5, atol=1e-6)
    raw, ema = run.state.g.weights, run.state.ema[0]
    assert not all(np.array_equal(a, w) for a, w in zip(ema, raw))  # it lags
    list(run.train())
    frame = run.history_frame()
    assert "curve_error_raw" in frame and not frame.curve_error.equals(frame.curve_error_raw)
    z = np.zeros((3, config.latent_dim), np.float32)
    np.testing.assert_allclose(run.ema_generator.predict(z, verbose=0), run.generate(z), atol=1e-5)
    np.testing.assert_allclose(run.generator.predict(z, verbose=0), run.generate(z, raw=True), atol=1e-5)
    assert run.shown_generator is run.ema_generator


@pytest.mark.slow
@pytest.mark.parametrize("loss", ["bce", "wgan-gp"])
def test_each_stabilizer_on_changes_training(loss):
    config = dataclasses.replace(TINY, loss=loss, n_epochs=20, n_eval=20)
    off = _trained(config)
    for name, value in ON.items() if loss == "bce" else [("r1_gamma", 1.0)]:  # R1 on top of WGAN-GP's penalty
        on = _trained(config, **{name: value})
        if name == "ema":  # the generator trains as it did; what is shown is its average
            assert np.array_equal(on.history[-1].d_loss, off.history[-1].d_loss)
            assert _rows(on)[-1]["energy"] != _rows(off)[-1]["energy"]
        else:
            assert _rows(on) != _rows(off), name
            assert all(np.all(np.isfinite(list(r.values()))) for r in _rows(on))


def test_a_bundle_keeps_the_average(tmp_path):
    from gan_core.keeping.bundle import from_bundle, to_bundle

    run = _trained(TINY, ema=0.9, n_epochs=20, n_eval=20)
    back = from_bundle(to_bundle(run))
    assert all(np.array_equal(a, b) for a, b in zip(back.state.ema[0], run.state.ema[0]))
    assert not all(np.array_equal(a, b) for a, b in zip(back.state.ema[0], back.state.g.weights))


# ---- sweeps, grids, the CLI ------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_sweep_trains_each_stabilizer_and_each_seed_is_its_own_run():
    config = dataclasses.replace(TINY, **ON)
    sweep = Sweep(config, [101, 102])
    list(sweep.train())
    alone = _trained(config, seed=102)
    assert [{k: v for k, v in r.items() if "seconds" not in k} for r in
            sweep.history_frame().query("seed == 102").drop(columns=["seed", "success"]).to_dict("records")] == \
        pytest.approx(_rows(alone), rel=1e-5, abs=1e-6)


def test_a_grid_takes_each_stabilizer_as_an_axis():
    for name, text in (("r1_gamma", "0,1,10"), ("instance_noise", "0,0.1"), ("ema", "0,0.99,0.999")):
        axis = parse_axis(f"{name}={text}")
        assert axis.name == name and axis.values == tuple(float(v) for v in text.split(","))
    for bad, says in (("ema=1", "generator EMA decay must be a number from 0 up to (not including) 1"),
                      ("r1_gamma=-1", "R1 penalty γ must be a number from 0 to 100"),
                      ("instance_noise=x", "instance_noise")):
        with pytest.raises(GridError, match=says.replace("(", r"\(").replace(")", r"\)")):
            parse_axis(bad)


@pytest.mark.slow
def test_a_grid_trains_a_stabilizers_values_each_in_its_own_step():
    grid = Grid(dataclasses.replace(TINY, n_epochs=20, n_eval=20), [parse_axis("r1_gamma=0,2")], 2)
    assert len(grid.groups) == 2  # a graph setting: a compiled step per value
    list(grid.train())
    summary = grid.summary()
    assert sorted(summary.r1_gamma.unique()) == [0.0, 2.0] and len(summary) == 4
    off = _trained(TINY, n_epochs=20, n_eval=20)
    cell = summary.query("r1_gamma == 0 and seed == 101").iloc[0]
    assert cell.curve_error == pytest.approx(off.history[-1].metrics["curve_error"], rel=1e-5)


def test_the_cli_refuses_bad_values_in_one_line_naming_the_flag(tmp_path, capsys):
    for args, says in ((["--r1-gamma", "-1"], "--r1-gamma: R1 penalty γ must be a number from 0 to 100 (got -1.0)."),
                       (["--ema", "1"], "--ema: generator EMA decay must be a number from 0 up to (not including) 1"),
                       (["--instance-noise", "much"], "--instance-noise: instance noise σ (annealed) must be a number")):
        with pytest.raises(SystemExit) as stop:
            main(["train", *args, "--out", str(tmp_path / "x")])
        assert stop.value.code == 2
        errors = [line for line in capsys.readouterr().err.splitlines() if "error:" in line]
        assert len(errors) == 1 and says in errors[0], errors
    assert not (tmp_path / "x").exists()


@pytest.mark.slow
def test_the_cli_trains_with_the_flags(tmp_path):
    out = tmp_path / "run"
    assert main(["train", "--n-epochs", "20", "--n-eval", "10", "--n-batch", "16", "--r1-gamma", "1",
                 "--instance-noise", "0.2", "--ema", "0.9", "--out", str(out), "--no-store"]) == 0
    history = pd.read_csv(out / "history.csv")
    assert len(history) == 2 and "curve_error_raw" in history


# ---- the app -----------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_every_kinds_gan_page_shows_the_stabilizers_and_the_preview_both_generators():
    from test_app import _app, _click, _page, _set, _says

    at = _app("gan_training")
    for name, described in Config.settings().items():
        if name in STABILIZERS:
            field = at.text_input(key=f"w_gan_{name}")
            assert field.label == described.label and float(field.value) == 0.0
    _set(at, "gan", {"ema": 1.5})
    assert _says(at.error, "generator EMA decay must be a number from 0 up to (not including) 1 (got 1.5).")
    _set(at, "gan", {"ema": 0.9, "n_epochs": 40, "n_eval": 20, "n_batch": 16})
    _click(at, "gan", "Train")
    run = _page(at, "gan").run
    assert run.config.ema == 0.9 and "curve_error_raw" in run.history_frame()
    assert _says(at.caption, "the raw generator, as trained, scores curve error")
    at.switch_page("app_pages/generator_preview.py").run()
    at.radio(key="w_preview_source").set_value("the generator trained on the GAN page").run()
    which = at.radio(key="w_preview_generator")
    assert which.value == "ema" and which.options == ["EMA generator (what the check-ins judge)",
                                                      "raw generator (as trained)"]
    which.set_value("raw").run()
    assert not at.exception, at.exception
    for kind, prefix in (("MNIST digits", "mgan"), ("Your images", "igan")):
        at.switch_page("app_pages/gan_training.py").run()
        at.radio(key="w_data").set_value(kind).run()
        assert not at.exception, at.exception
        assert all(float(at.text_input(key=f"w_{prefix}_{name}").value) == 0.0 for name in STABILIZERS), kind
