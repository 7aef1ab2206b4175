"""Failure alarms (gan_core/judging/alarms.py): each fires on a run built to trigger it, within two
check-ins of the failure's start, and stays quiet on healthy runs; a NaN loss rolls the run back
to its last good check-in, keeping every check-in before it; a paused run's learning rates change."""
import numpy as np
import pandas as pd
import pytest

from gan_core import Config, GanRun
from gan_core.judging.alarms import alarms
from gan_core.training.run import Diverged
from gan_core.training.sweep import Sweep


def _frame(**columns):
    n = len(next(iter(columns.values())))
    return pd.DataFrame({"iteration": [500 * (i + 1) for i in range(n)], **columns})


def test_collapse_fires_at_the_second_low_check_in_and_reports_the_recovery():
    history = _frame(coverage=[0.9, 0.1, 0.05, 0.9, 0.1], coverage_floor=[1.0] * 5)
    [alarm] = alarms(history)  # the last single low check-in is not (yet) a collapse
    assert (alarm.kind, alarm.since, alarm.until) == ("collapse", 1000, 2000)
    assert not alarm.active and "coverage fell to 0.05" in alarm.text() and "What usually helps" in alarm.text()
    assert alarms(history.iloc[:3])[0].active  # while it lasts
    assert alarms(_frame(modes=[8, 2, 1], modes_floor=[8] * 3))[0].since == 1000
    assert alarms(_frame(entropy=[3.2, 0.5, 0.2], entropy_real=[3.3] * 3))[0].kind == "collapse"
    assert not alarms(_frame(spread=[1.0, 0.5, 0.9], spread_floor=[1.0] * 3))


def test_a_digit_collapse_names_the_missing_digits_and_advises_for_mnist():
    made = {f"made_{d}": [10, 50, 0] if d == 1 else ([10, 50, 100] if d == 7 else [10, 0, 0]) for d in range(10)}
    history = _frame(entropy=[3.3, 0.9, 0.0 - 0.0], entropy_real=[3.3] * 3, **made)
    [alarm] = alarms(history)
    text = alarm.text()
    assert "is 0.00," in text and "-0.00" not in text
    assert "sees only 7 in the grid; missing: 0, 1, 2, 3, 4, 5, 6, 8, 9." in text
    assert "Seed sweep" not in text and "n_batch" in text  # MNIST has no sweep page
    over = alarms(pd.concat([history.assign(entropy=[3.3, 0.5, 0.6]), _frame(entropy=[3.3]).assign(
        iteration=2000, entropy_real=3.3)], ignore_index=True))[0].text()  # over: its own worst check-in
    assert "fell to 0.50 (iteration 1,000)" in over
    assert "sees only 1 and 7 in the grid; missing: 0, 2, 3, 4, 5, 6, 8, 9." in over
    assert "missing" not in alarms(_frame(entropy=[3.2, 0.5, 0.2], entropy_real=[3.3] * 3))[0].text()  # older runs
    assert "Seed sweep" in alarms(_frame(modes=[8, 2, 1], modes_floor=[8] * 3))[0].text()


def test_an_overpowering_discriminator_needs_three_check_ins_and_a_climbing_generator_loss():
    strong = _frame(acc_real=[1.0, 0.98, 0.97, 0.6], acc_fake=[0.9, 0.95, 0.9, 0.5], g_loss=[2.0, 3.5, 3.6, 0.8])
    [alarm] = alarms(strong)
    assert (alarm.kind, alarm.since, alarm.until) == ("overpowered", 500, 2000)
    falling = strong.assign(g_loss=[3.6, 3.5, 2.0, 0.8])  # the generator is catching up
    assert not alarms(falling)
    assert not alarms(strong.iloc[:2])


def _trained(config, seeds):
    sweep = Sweep(config, seeds)
    for _ in sweep.train():
        pass
    return {seed: run.history_frame() for seed, run in zip(sweep.seeds, sweep.runs)}


@pytest.mark.slow
def test_alarms_fire_on_runs_built_to_fail_and_never_on_healthy_ones():
    healthy = _trained(Config(n_epochs=6000, n_eval=500, seed=1), 10)
    assert {seed: [a.text() for a in alarms(h)] for seed, h in healthy.items() if alarms(h)} == {}
    collapsing = _trained(Config(n_epochs=2000, n_eval=500, g_lr=0.02, seed=1), 3)  # g_lr 20x the tutorial's
    for history in collapsing.values():
        first = alarms(history)[0]
        assert first.kind == "collapse" and first.since <= 1000  # within two check-ins of the start
    # the discriminator's learning rate 20x the generator's: 5 of seeds 1-6 overpower from the first
    # check-in (seed 2 stays at 78-84 % accuracy, under the alarm's 85 %: bench/alarms.py)
    for seed in (1, 3, 4):
        run = GanRun(Config(n_epochs=1500, n_eval=500, d_lr=0.001, g_lr=0.00005, seed=seed))
        for _ in run.train():
            pass
        history = run.history_frame()
        assert [(a.kind, a.since) for a in alarms(history)] == [("overpowered", 500)], seed


def test_a_nan_loss_rolls_the_run_back_to_its_last_good_check_in():
    run = GanRun(Config(n_epochs=2000, n_eval=200, n_batch=32))
    for _ in range(3):
        run.train_chunk()
    kept = [e.iteration for e in run.history]
    weights = [np.array(w) for w in run.state.g.weights]
    shared = run.steps

    class Poisoned:  # this run's steps give NaN losses (the shared Steps, used by other runs, are untouched)
        def __getattr__(self, name):
            return getattr(shared, name)

        def train(self, state, data, n):
            state, logs = shared.train(state, data, n)
            return state, {name: values * np.nan for name, values in logs.items()}

    run.steps = Poisoned()
    with pytest.raises(Diverged, match="went back to iteration 600"):
        run.train_chunk()
    run.steps = shared
    assert run.iteration == 600 and [e.iteration for e in run.history] == kept == [200, 400, 600]
    assert all(np.array_equal(a, np.array(b)) for a, b in zip(weights, run.state.g.weights))
    [alarm] = alarms(run.history_frame(), run.divergences)
    assert alarm.kind == "diverged" and alarm.active and alarm.since == 600
    run.train_chunk()  # healthy again: it continues from there
    assert [e.iteration for e in run.history] == [200, 400, 600, 800] and not alarms(run.history_frame(),
                                                                                    run.divergences)[0].active


def test_a_paused_runs_learning_rates_change_and_the_history_marks_where():
    run = GanRun(Config(n_epochs=600, n_eval=200, n_batch=32))
    run.train_chunk()
    assert run.set_learning_rates(g_lr=0.0005) == "g_lr 0.001 → 0.0005"
    assert run.learning_rates() == pytest.approx({"d_lr": 0.001, "g_lr": 0.0005})
    assert run.changes == [(200, "g_lr 0.001 → 0.0005")]
    with pytest.raises(ValueError, match=r"in \(0, 1\]"):
        run.set_learning_rates(d_lr=0)
    with pytest.raises(ValueError, match="no x_lr"):
        run.set_learning_rates(x_lr=0.1)
    assert run.learning_rates() == pytest.approx({"d_lr": 0.001, "g_lr": 0.0005})  # a refusal changes nothing
    for _ in run.train():
        pass
    again = GanRun(run.config)
    again.restore(run.checkpoint())
    assert again.changes == run.changes and again.learning_rates() == run.learning_rates()


def test_a_lasting_alarm_quotes_the_check_in_shown_beside_it():
    """Issue 32: "Modes missed" said 3 modes where the metric beside it said 5 of 8: it quoted its first
    check-in. A lasting alarm quotes the latest check-in of the history it is given (the page's shown
    one); an alarm that is over names the check-in it quotes."""
    history = _frame(modes=[8, 8, 3, 4, 5], modes_floor=[8] * 5)
    for shown in range(4, 6):
        [alarm] = alarms(history.iloc[:shown])
        latest = history.iloc[shown - 1]
        assert alarm.active and f"capture {latest.modes} modes where a real sample of the same size captures 8." \
            in alarm.text()
    [over] = alarms(pd.concat([history, _frame(modes=[8]).assign(iteration=3000, modes_floor=8)], ignore_index=True))
    assert not over.active and "captured 3 modes where a real sample of the same size captured 8 (iteration 1,500)" \
        in over.text()
    collapse = alarms(_frame(coverage=[0.9, 0.1, 0.05, 0.08], coverage_floor=[1.0] * 4))[0].text()
    assert "coverage is 0.08, against 1.00" in collapse


def test_a_mixture_missing_modes_is_an_alarm_against_the_real_samples_count():
    """Issue 21: 5 of 8 modes, where a real sample of the same size has 8, never raised an alarm
    (the collapse alarm waits for a quarter of the modes)."""
    [alarm] = alarms(_frame(modes=[8, 6, 5, 5], modes_floor=[8] * 4))
    assert (alarm.kind, alarm.since, alarm.active) == ("missed_modes", 1000, True)
    assert alarm.text().startswith("Modes missed since iteration 1,000: the fakes capture 5 modes where a real "
                                   "sample of the same size captures 8.")
    assert "PacGAN packing" in alarm.text()
    # the first check-ins of every run miss modes: once all are found, that was learning, not an alarm
    assert not alarms(_frame(modes=[3, 5, 7, 8, 8], modes_floor=[8] * 5))
    # losing modes after finding them all is one, over when they are back
    [lost] = alarms(_frame(modes=[8, 8, 6, 6, 8], modes_floor=[8] * 5))
    assert (lost.kind, lost.since, lost.until) == ("missed_modes", 1500, 2500)
    # a real sample missing a mode sets the bar (grid25: 24 of 25 in 100 samples); a full collapse is one alarm
    assert not alarms(_frame(modes=[24, 24, 24], modes_floor=[24] * 3))
    assert [a.kind for a in alarms(_frame(modes=[8, 2, 1], modes_floor=[8] * 3))] == ["collapse"]
