"""The engine trains correctly: each optimizer moves only its own network, runs are
reproducible and resumable, and training actually learns (test-sized budgets)."""
import numpy as np
import pytest

from gan_core import Config, DiscriminatorRun, GanRun
from gan_core.judging.metrics import accuracy

TINY = dict(n_epochs=40, n_eval=20, n_batch=32, n_eval_samples=20)


def _weights(model):
    return [w.copy() for w in model.get_weights()]


def _moved(before, model):
    return max(float(np.abs(a - b).max()) for a, b in zip(before, model.get_weights()))


def test_each_optimizer_changes_only_its_own_network():
    # with one network's learning rate ~0 it must stay put: the other optimizer never touches it
    run = GanRun(Config(d_lr=1e-12, **TINY))
    d0, g0 = _weights(run.discriminator), _weights(run.generator)
    run.train_chunk()
    assert _moved(d0, run.discriminator) < 1e-8
    assert _moved(g0, run.generator) > 1e-4

    run = GanRun(Config(g_lr=1e-12, **TINY))
    d0, g0 = _weights(run.discriminator), _weights(run.generator)
    run.train_chunk()
    assert _moved(g0, run.generator) < 1e-8
    assert _moved(d0, run.discriminator) > 1e-4


@pytest.mark.slow
def test_each_network_can_have_its_own_optimizer():
    """g_optimizer: the generator's step is plain SGD while the discriminator keeps Adam. One iteration:
    the discriminator moves exactly as with Adam for both (its update comes first); the generator's
    step is SGD's, lr x gradient, not Adam's first step of about lr on every weight."""
    config = dict(TINY, n_epochs=1, n_eval=1, g_lr=1e-4)
    both_adam, own = GanRun(Config(**config)), GanRun(Config(**config, g_optimizer="sgd"))
    g0 = _weights(own.generator)
    for run in (both_adam, own):
        run.train_chunk()
    assert all(np.array_equal(a, b) for a, b in zip(both_adam.discriminator.get_weights(),
                                                    own.discriminator.get_weights()))
    def median_move(run):
        return np.median(np.concatenate([np.abs(a - b).ravel() for a, b in zip(g0, run.generator.get_weights())
                                         if (a != b).any()]))
    assert median_move(both_adam) == pytest.approx(1e-4, rel=0.05)  # Adam: m / sqrt(v) = ±1 at its first step
    assert 0 < median_move(own) < 0.5e-4
    assert "g_optimizer" in Config(g_optimizer="rmsprop").validate()
    assert Config.from_dict(Config(g_optimizer="sgd").to_query_params()).g_optimizer == "sgd"  # links round-trip


@pytest.mark.slow
@pytest.mark.parametrize("update", ["separate", "stacked"])
def test_same_seed_same_history(update):
    a = GanRun(Config(seed=5, update=update, **TINY))
    b = GanRun(Config(seed=5, update=update, **TINY))
    c = GanRun(Config(seed=6, update=update, **TINY))
    for run in (a, b, c):
        list(run.train())
    cols = ["iteration", "acc_real", "acc_fake", "d_loss", "g_loss", "curve_error", "energy"]
    assert a.history_frame()[cols].equals(b.history_frame()[cols])
    np.testing.assert_array_equal(a.history[-1].fake, b.history[-1].fake)
    assert not np.array_equal(a.history[-1].fake, c.history[-1].fake)


def test_resume_continues_the_same_run():
    whole = GanRun(Config(seed=2, **TINY))
    list(whole.train())
    paused = GanRun(Config(seed=2, **TINY))
    paused.train_chunk()  # "Stop" after the first check-in ...
    assert not paused.done and paused.iteration == 20
    paused.train_chunk()  # ... "Resume"
    assert paused.done and [e.iteration for e in paused.history] == [20, 40]
    np.testing.assert_array_equal(whole.history[-1].fake, paused.history[-1].fake)
    with pytest.raises(RuntimeError, match="finished"):
        paused.train_chunk()


@pytest.mark.slow
def test_evaluation_every_n_eval_and_at_the_end():
    run = GanRun(Config(n_epochs=50, n_eval=20, n_batch=16, n_eval_samples=30))
    evals = list(run.train())
    assert [e.iteration for e in evals] == [20, 40, 50]
    e = evals[-1]
    assert e.real.shape == (30, 2) and e.fake.shape == (30, 2)
    assert 0 <= e.acc_real <= 1 and 0 <= e.acc_fake <= 1 and e.d_loss > 0 and e.g_loss > 0
    for name in ("curve_error", "coverage", "outside", "energy"):
        assert name in e.metrics and name + "_floor" in e.metrics
    assert e.metrics["curve_error_floor"] < 1e-6 and e.metrics["outside_floor"] == 0
    frame = run.history_frame()
    assert list(frame["iteration"]) == [20, 40, 50] and e.epoch == 49


def test_discriminator_alone_learns_as_the_tutorial():
    # tutorial: 1,000 batches of 128 -> real accuracy 1.0, fake 0.80-0.94
    for seed in (1, 2):
        run = DiscriminatorRun(Config(n_epochs=1000, n_eval=500, seed=seed))
        list(run.train())
        real, noise = run.sample_real(1000), run.sample_noise(1000)
        assert accuracy(run.discriminate(real), real=True) >= 0.95
        assert accuracy(run.discriminate(noise), real=False) >= 0.8
        assert run.history[-1].d_loss < run.history[0].d_loss


@pytest.mark.slow
def test_gan_learns_x_squared_on_most_seeds():
    # issue 2: curve error < 0.015 and coverage >= 90 % of [-0.5, 0.5] after 10,000 iterations
    # on at least 8 of 10 seeds (bench/learning.py reports all 10); here 2 of 3.
    passed = []
    for seed in (1, 2, 4):
        run = GanRun(Config(seed=seed, n_eval=5000))
        before = run.score()
        list(run.train())
        after = run.score()
        assert after["energy"] < before["energy"]  # every seed moves towards the real data
        passed.append(after["curve_error"] < 0.015 and after["coverage"] >= 0.9)
    assert sum(passed) >= 2, passed


@pytest.mark.slow
def test_custom_expression_trains_in_tensorflow():
    run = GanRun(Config(target="custom", expr="0.3*sin(6*x) + x^2", low=-1.0, high=1.0, **TINY))
    ev = list(run.train())[-1]
    np.testing.assert_allclose(ev.real[:, 1], 0.3 * np.sin(6 * ev.real[:, 0]) + ev.real[:, 0] ** 2, atol=1e-5)


@pytest.mark.slow
def test_a_long_run_keeps_every_row_but_a_bounded_number_of_sample_sets():
    from gan_core.training.run import MAX_STORED, has_payload

    run = GanRun(Config(n_epochs=4 * MAX_STORED + 30, n_eval=1, n_batch=8, n_eval_samples=10))
    list(run.train())
    assert len(run.history_frame()) == 4 * MAX_STORED + 30  # every check-in's numbers
    stored = [e for e in run.history if has_payload(e)]
    assert MAX_STORED // 2 <= len(stored) <= MAX_STORED + 1  # and the latest
    assert has_payload(run.history[0]) and has_payload(run.history[-1])
    gaps = np.diff([e.iteration for e in stored])
    assert gaps.max() <= 2 * gaps.min() + 1  # evenly spread over the run
    dropped = next(e for e in run.history if not has_payload(e))
    assert dropped.fake is None and dropped.decision is None and np.isfinite(dropped.acc_real)
