"""Seed sweeps (gan_core/training/sweep.py) and the counter-based random draws they vectorize."""
import dataclasses

import numpy as np
import pandas as pd
import pytest
import tensorflow as tf

from gan_core import Config, GanRun
from gan_core.cli.main import main
from gan_core.judging.judgement import succeeded
from gan_core.training import draws, steps
from gan_core.training.sweep import Sweep


def _state(seed, iteration):
    return steps.RunState((), (), tf.constant([seed], tf.uint64), tf.constant(iteration, tf.int64))


def test_draws_are_standard_and_placed_by_seed_iteration_and_draw():
    x = draws.normal(_state(3, 5), 1, [200_000]).numpy()
    assert abs(x.mean()) < 0.01 and abs(x.std() - 1) < 0.01
    assert abs(np.mean(x ** 4) - 3) < 0.05  # normal tails, not a sum of uniforms
    u = draws.uniform(_state(3, 5), 0, [100_000], -2.0, 3.0).numpy()
    assert u.min() >= -2 and u.max() < 3 and abs(u.mean() - 0.5) < 0.02
    counts = np.bincount(draws.integers(_state(3, 5), 0, [50_000], tf.constant(25)).numpy(), minlength=25)
    assert len(counts) == 25 and counts.min() > 1800  # every value, about 2,000 times each
    same = draws.normal(_state(3, 5), 1, [64]).numpy()
    assert np.array_equal(same, x[:64])  # a draw's numbers depend on the place only, not the shape
    for other in (_state(4, 5), _state(3, 6)):
        assert abs(np.corrcoef(x[:10_000], draws.normal(other, 1, [10_000]).numpy())[0, 1]) < 0.03
    assert abs(np.corrcoef(x[:10_000], draws.normal(_state(3, 5), 2, [10_000]).numpy())[0, 1]) < 0.03


@pytest.mark.slow
def test_a_sweeps_seed_is_that_seeds_run_and_reopened_it_continues():
    config = Config(n_epochs=2000, n_eval=500, seed=5)
    sweep = Sweep(config, 4)
    assert sweep.seeds == [5, 6, 7, 8]
    while sweep.iteration < 1000:
        sweep.advance()
    alone = GanRun(dataclasses.replace(config, seed=7))
    for _ in range(2):
        alone.train_chunk()
    ours = sweep.run(7)
    assert ours.iteration == 1000 and [e.iteration for e in ours.history] == [500, 1000]
    for a, b in zip(alone.history, ours.history):  # the same draws; float rounding apart
        assert abs(a.metrics["curve_error"] - b.metrics["curve_error"]) < 0.005
        assert abs(a.acc_real - b.acc_real) <= 0.05
    for _ in ours.train():  # continues as an ordinary run, with the heat map again
        pass
    assert ours.done and [e.iteration for e in ours.history] == [500, 1000, 1500, 2000]
    assert ours.history[-1].decision is not None and ours.history[0].decision is None
    assert ours.history[1].decision is not None  # the check-in it opened at gets its heat map
    assert sweep.iteration == 1000  # the sweep itself is untouched
    for _ in sweep.train():
        pass
    assert len(sweep.history) == 4


@pytest.mark.slow
def test_a_sweeps_success_rate_agrees_with_single_runs_and_it_learned():
    config = Config(n_epochs=6000, n_eval=3000, seed=1)
    sweep = Sweep(config, 6)
    for _ in sweep.train():
        pass
    frame = sweep.history_frame()
    assert list(frame.columns[:2]) == ["seed", "iteration"] and len(frame) == 12
    first, last = frame[frame.iteration == 3000], frame[frame.iteration == 6000]
    assert last.curve_error.median() < 0.05  # learned: an untrained generator's error is about 0.2
    singles = []
    for seed in sweep.seeds:
        run = GanRun(dataclasses.replace(config, seed=seed))
        for _ in run.train():
            pass
        singles.append(succeeded(run.target, run.history[-1].metrics))
    swept = int(sweep.summary().success.sum())
    print(f"success: sweep {swept}/6, single runs {sum(singles)}/6")
    assert abs(swept - sum(singles)) <= 2
    assert set(sweep.summary().alarms) <= {"", "Mode collapse", "The discriminator overpowers the generator"}
    spread = sweep.spread("curve_error")
    assert list(spread.iteration) == [3000, 6000]
    assert (spread.low <= spread.q25).all() and (spread.q25 <= spread["median"]).all()
    assert (spread["median"] <= spread.q75).all() and (spread.q75 <= spread.high).all()
    assert spread["median"].iloc[-1] == pytest.approx(last.curve_error.median())
    assert len(first) == 6


@pytest.mark.slow
def test_a_sweeps_summary_says_what_went_wrong():
    sweep = Sweep(Config(n_epochs=1500, n_eval=500, g_lr=0.02, seed=1), [1, 2])  # g_lr 20x: collapse
    for _ in sweep.train():
        pass
    summary = sweep.summary()
    assert list(summary.alarms) == ["Mode collapse", "Mode collapse"] and not summary.success.any()


def test_a_sweep_takes_two_to_64_different_seeds():
    for seeds in (1, [3, 3], 65):
        with pytest.raises(ValueError, match="2 to 64 different seeds"):
            Sweep(Config(), seeds)


@pytest.mark.slow
def test_cli_sweep_writes_history_with_seeds_and_a_summary(tmp_path, capsys):
    assert main(["sweep", "--seeds", "3", "--seed", "10", "--n-epochs", "400", "--n-eval", "200",
                 "--out", str(tmp_path)]) == 0
    history = pd.read_csv(tmp_path / "history.csv")
    assert sorted(set(history.seed)) == [10, 11, 12] and len(history) == 6
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert list(summary.seed) == [10, 11, 12] and set(summary.iteration) == {400} and "success" in summary
    out = capsys.readouterr().out
    assert "success rate" in out and "curve error below 0.015" in out
    with pytest.raises(SystemExit) as exit_:
        main(["sweep", "--seeds", "1", "--out", str(tmp_path)])
    assert exit_.value.code == 2


@pytest.mark.slow
def test_a_diverged_seed_stops_alone_and_opens_at_its_last_good_check_in():
    sweep = Sweep(Config(n_epochs=600, n_eval=200, n_batch=32, seed=1), [1, 2])
    sweep.advance()
    while sweep.iteration < 200:
        sweep.advance()
    poisoned = sweep.runs[1]
    real_took = poisoned.took

    def took(state, logs, n, start):  # seed 2's losses become NaN after its first check-in
        return real_took(state, {name: values * np.nan for name, values in logs.items()}, n, start)

    poisoned.took = took
    for _ in sweep.train():
        pass
    summary = sweep.summary()
    assert list(summary.iteration) == [600, 200] and list(summary.diverged) == [False, True]
    assert not summary.success.iloc[1]
    opened = sweep.run(2)
    assert opened.iteration == 200 and np.isfinite(opened.history[-1].acc_real)
    assert all(np.isfinite(np.asarray(w)).all() for w in opened.state.g.weights)


@pytest.mark.slow
def test_a_sweeps_frame_and_summary_read_one_moment_while_it_trains():
    """The seed sweep page's redraw: the frame, each check-in's success and the summary come from one
    snapshot of every seed, however the worker appends meanwhile (the page once raised "Length of
    values (14) does not match length of index (13)": it read a run's history twice)."""
    import threading

    import time

    sweep = Sweep(Config(target="ring8", n_epochs=80, n_eval=1, n_batch=16, d_hidden=(8,), g_hidden=(8,),
                         n_eval_samples=10), 4)
    sweep.advance()  # compiled before the race starts
    worker = threading.Thread(target=lambda: list(sweep.train()))
    worker.start()
    redraws = 0
    while worker.is_alive() or redraws == 0:
        sweep.history_frame()  # alone, it reads each seed once too
        views = sweep.views()
        frame = sweep.history_frame(views)
        summary = sweep.summary(frame, views)
        assert len(frame) == sum(len(v.history) for v in views)
        latest = {seed: v.history[-1].iteration for seed, v in zip(sweep.seeds, views)}
        assert dict(zip(summary.seed, summary.iteration)) == latest
        redraws += 1
        time.sleep(0.005)  # as a page redraws, now and then: the worker gets the interpreter between redraws
    worker.join()
    assert redraws > 5 and sweep.done
