"""Losses and optimizers (gan_core/networks/losses.py, plane.gan_steps): least squares (LSGAN), the hinge
and Wasserstein with gradient penalty (WGAN-GP, n_critic critic updates per generator update) each
learn x² at a test budget; plain SGD is one gradient step; a critic's score reads as P(real); the
registry: every loss complete and usable end to end (config, CLI, step, charts, alarms)."""
import dataclasses

import numpy as np
import pandas as pd
import pytest
import tensorflow as tf

from explorer.charts.specs import spec
from explorer.charts.training import loss_chart
from gan_core import Config, ConfigError, GanRun
from gan_core.cli.main import build_parser
from gan_core.judging.alarms import alarms
from gan_core.networks import adam, losses
from gan_core.networks.losses import LOSSES, Loss


def _learned(run):
    first = None
    for ev in run.train():
        first = first or ev
    last = run.history[-1].metrics
    return first.metrics["curve_error"], last["curve_error"], last["coverage"]


@pytest.mark.slow
def test_lsgan_learns_x2():
    run = GanRun(Config(loss="lsgan", n_epochs=4000, n_eval=500, seed=1))
    assert run.steps.discriminator.layers[-1].activation.__name__ == "linear"
    first, error, coverage = _learned(run)
    assert error < 0.03 and coverage >= 0.9 and error < first / 2, (first, error, coverage)


@pytest.mark.slow
def test_wgan_gp_learns_x2_with_its_critic_steps():
    # the WGAN-GP paper's Adam beta_1 0, a wider critic than the tutorial's discriminator
    config = Config(loss="wgan-gp", n_critic=5, beta_1=0.0, d_hidden=(64, 64), g_hidden=(32,), n_epochs=6000,
                    n_eval=1000, seed=1)
    run = GanRun(config)
    first, error, coverage = _learned(run)
    assert error < 0.03 and coverage >= 0.9 and error < first / 2, (first, error, coverage)
    assert int(run.state.d.updates) == 5 * int(run.state.g.updates) == 5 * 6000  # n_critic per generator step
    p = run.p_real_at(np.array([[0.0, 0.0], [0.0, 5.0]], np.float32))
    assert ((0 < p) & (p < 1)).all()  # a critic's score through a sigmoid


def test_wasserstein_and_least_squares_losses():
    y, p = tf.constant([[1.0], [0.0]]), tf.constant([[0.8], [0.3]])
    assert float(losses.squares(y, p)) == pytest.approx((0.2 ** 2 + 0.3 ** 2) / 2)
    assert float(losses.wasserstein(y, p)) == pytest.approx((-0.8 + 0.3) / 2)


def test_sgd_is_one_plain_gradient_step():
    net = adam.Net((tf.constant([1.0, 2.0]),), (), tf.constant(0.0), (tf.zeros(2),), (tf.zeros(2),),
                   tf.constant(0.1), tf.constant(0.9))
    moved = adam.sgd(net, (tf.constant([0.5, -1.0]),))
    np.testing.assert_allclose(moved.weights[0].numpy(), [0.95, 2.1])


@pytest.mark.slow
def test_sgd_trains_the_networks_and_bad_loss_settings_are_refused():
    run = GanRun(Config(optimizer="sgd", d_lr=0.01, g_lr=0.01, n_epochs=200, n_eval=200, n_batch=32))
    before = [w.numpy().copy() for w in run.state.g.weights]
    run.train_chunk()
    assert any(not np.allclose(a, b.numpy()) for a, b in zip(before, run.state.g.weights))
    assert all(float(tf.reduce_sum(tf.abs(m))) == 0 for m in run.state.g.m)  # no Adam moments
    with pytest.raises(ConfigError) as refused:
        Config(loss="kl", optimizer="rmsprop", n_critic=0, beta_1=1.0, gp_weight=-1).checked()
    assert set(refused.value.errors) == {"loss", "optimizer", "n_critic", "beta_1", "gp_weight"}
    assert "bce, lsgan, wgan-gp, hinge" in refused.value.errors["loss"]


def test_every_loss_has_every_field_and_every_setting_takes_it():
    assert list(LOSSES) == ["bce", "lsgan", "wgan-gp", "hinge"]
    for name, loss in LOSSES.items():
        assert loss.name == name and loss.label and loss.help.endswith(".") and loss.axis
        assert loss.output in ("sigmoid", "linear")
        p = np.array([0.0, 0.3, 1.0]) if loss.output == "sigmoid" else np.array([-3.0, 0.0, 0.4, 3.0])
        assert np.all((loss.p_real(p) >= 0) & (loss.p_real(p) <= 1))  # P(real), whatever the output
        assert Config(loss=name).validate() == {}
        assert build_parser().parse_args(["train", "--loss", name]).loss == name
    assert len({loss.label for loss in LOSSES.values()}) == len(LOSSES)
    with pytest.raises(ConfigError, match="loss must be one of bce, lsgan, wgan-gp, hinge"):
        Config(loss="kl").checked()
    assert {f.name for f in dataclasses.fields(Loss)} >= {"discriminator", "generator", "push", "p_real", "chance"}


def test_hinge_arithmetic():
    hinge = LOSSES["hinge"]
    real, fake = np.array([[2.0], [0.5]], np.float32), np.array([[-2.0], [0.5]], np.float32)
    assert float(hinge.discriminator(np.ones_like(real), real)) == pytest.approx(0.25)  # (0 + 0.5) / 2
    assert float(hinge.discriminator(np.zeros_like(fake), fake)) == pytest.approx(0.75)  # (0 + 1.5) / 2
    assert float(hinge.generator(fake)) == pytest.approx(0.75)  # -mean(score)
    assert hinge.p_real(np.array([0.0]))[0] == 0.5  # the margin's middle reads as a coin toss


@pytest.mark.slow
def test_a_hinge_run_learns_the_curve():
    for seed in (1, 2):
        run = GanRun(Config(loss="hinge", seed=seed, n_epochs=4000, n_eval=2000))
        untrained = run.evaluate().metrics["curve_error"]
        *_, last = run.train()
        assert last.metrics["curve_error"] < min(0.05, untrained / 20), (seed, untrained, last.metrics)
        assert run.history_frame()["d_loss"].between(0, 2).all()


def test_charts_and_alarms_read_the_loss():
    titles = {name: spec(loss_chart(pd.DataFrame(), name))["title"] for name in LOSSES}
    assert titles == {"bce": "Losses (dotted: ln 2, a coin toss)", "lsgan": "Losses (dotted: 0.25, a coin toss)",
                      "wgan-gp": "Losses", "hinge": "Losses (dotted: 1, a coin toss)"}
    # a confident discriminator while the generator's loss climbs: alarmed at each loss's own level
    history = pd.DataFrame({"iteration": [500, 1000, 1500], "acc_real": [0.95] * 3, "acc_fake": [0.95] * 3,
                            "g_loss": [0.5, 0.6, 0.7]})
    assert [a.kind for a in alarms(history, loss="lsgan")] == ["overpowered"]  # 0.7 is high for (D - 1)²
    assert alarms(history, loss="bce") == [] and alarms(history, loss="hinge") == []
    assert [a.kind for a in alarms(history.assign(g_loss=[-5.0, -3.0, -1.0]), loss="wgan-gp")] == ["overpowered"]
