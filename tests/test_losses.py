"""Losses and optimizers (gan_core/steps.py, training.gan_steps): least squares (LSGAN) and
Wasserstein with gradient penalty (WGAN-GP, n_critic critic updates per generator update) each
learn x² at a test budget; plain SGD is one gradient step; a critic's score reads as P(real)."""
import numpy as np
import pytest
import tensorflow as tf

from gan_core import Config, ConfigError, GanRun
from gan_core import adam, steps


def _learned(run):
    first = None
    for ev in run.train():
        first = first or ev
    last = run.history[-1].metrics
    return first.metrics["curve_error"], last["curve_error"], last["coverage"]


def test_lsgan_learns_x2():
    run = GanRun(Config(loss="lsgan", n_epochs=4000, n_eval=500, seed=1))
    assert run.steps.discriminator.layers[-1].activation.__name__ == "linear"
    first, error, coverage = _learned(run)
    assert error < 0.03 and coverage >= 0.9 and error < first / 2, (first, error, coverage)


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
    assert float(steps.squares(y, p)) == pytest.approx((0.2 ** 2 + 0.3 ** 2) / 2)
    assert float(steps.wasserstein(y, p)) == pytest.approx((-0.8 + 0.3) / 2)


def test_sgd_is_one_plain_gradient_step():
    net = adam.Net((tf.constant([1.0, 2.0]),), (), tf.constant(0.0), (tf.zeros(2),), (tf.zeros(2),),
                   tf.constant(0.1), tf.constant(0.9))
    moved = adam.sgd(net, (tf.constant([0.5, -1.0]),))
    np.testing.assert_allclose(moved.weights[0].numpy(), [0.95, 2.1])


def test_sgd_trains_the_networks_and_bad_loss_settings_are_refused():
    run = GanRun(Config(optimizer="sgd", d_lr=0.01, g_lr=0.01, n_epochs=200, n_eval=200, n_batch=32))
    before = [w.numpy().copy() for w in run.state.g.weights]
    run.train_chunk()
    assert any(not np.allclose(a, b.numpy()) for a, b in zip(before, run.state.g.weights))
    assert all(float(tf.reduce_sum(tf.abs(m))) == 0 for m in run.state.g.m)  # no Adam moments
    with pytest.raises(ConfigError) as refused:
        Config(loss="hinge", optimizer="rmsprop", n_critic=0, beta_1=1.0, gp_weight=-1).checked()
    assert set(refused.value.errors) == {"loss", "optimizer", "n_critic", "beta_1", "gp_weight"}
    assert "bce, lsgan, wgan-gp" in refused.value.errors["loss"]
