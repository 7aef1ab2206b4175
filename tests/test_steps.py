"""Compile once: runs of the same shapes share one compiled step, their states stay apart,
and a run's state saves, restores and continues bit for bit (counted and compared, not timed)."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from gan_core import Config, DiscriminatorRun, GanRun
from gan_core.data.mnist import load_subset
from gan_core.settings.config import ImageConfig
from gan_core.training.images import ImageGanRun

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TINY = dict(n_epochs=600, n_eval=200, n_batch=32, n_eval_samples=30)
COLUMNS = ["iteration", "acc_real", "acc_fake", "d_loss", "g_loss", "curve_error", "coverage", "energy"]


def _same(a, b):
    assert a.history_frame()[COLUMNS].equals(b.history_frame()[COLUMNS])
    for ea, eb in zip(a.history, b.history):
        np.testing.assert_array_equal(ea.fake, eb.fake)


def test_runs_of_the_same_shapes_share_one_compiled_step():
    a = GanRun(Config(seed=1, **TINY))
    b = GanRun(Config(seed=2, d_lr=0.003, g_lr=0.0005, target="sine", **TINY))  # lr, seed, domain: not shapes
    assert a.steps is not b.steps  # another f(x) is another graph
    c = GanRun(Config(seed=3, d_lr=0.003, low=-0.9, high=0.2, **TINY))
    assert c.steps is a.steps
    for run in (a, c):
        list(run.train())
    assert a.steps.traced == 1  # traced (and compiled) once for both runs


def test_a_check_in_s_forward_passes_are_traced_once_for_any_sample_count():
    # samples, the heat map's grid, the arrows, the generator's map: each count a trace of its own before
    run = GanRun(Config(seed=5, pack=2, d_hidden=(7,), **TINY))
    list(run.train())
    assert run.history[-1].decision is not None and run.history[-1].push is not None
    counts = {name: f.experimental_get_tracing_count() for name, f in run.steps._predict.items()}
    assert counts == {"d": 1, "g": 1, "d_batch": 0} and run.steps._push.experimental_get_tracing_count() == 1
    assert run.generator.count_params() == sum(w.size for w in run.generator.get_weights())  # built when asked
    np.testing.assert_array_equal(run.discriminator.get_weights()[0], run.state.d.weights[0].numpy())


@pytest.mark.parametrize("change", [dict(n_batch=64), dict(latent_dim=3), dict(g_hidden=(8, 8)),
                                    dict(d_activation="tanh"), dict(update="stacked")])
def test_other_shapes_get_other_steps(change):
    assert GanRun(Config(**{**TINY, **change})).steps is not GanRun(Config(**TINY)).steps


def test_the_lab_and_the_gan_do_not_share():
    assert DiscriminatorRun(Config(**TINY)).steps is not GanRun(Config(**TINY)).steps
    assert DiscriminatorRun(Config(seed=4, **TINY)).steps is DiscriminatorRun(Config(seed=5, **TINY)).steps


def test_interleaved_runs_keep_their_own_state():
    alone = GanRun(Config(seed=7, **TINY))
    list(alone.train())
    a, b = GanRun(Config(seed=7, **TINY)), GanRun(Config(seed=8, **TINY))
    while not (a.done and b.done):  # steps of the two runs alternate on one compiled loop
        for run in (a, b):
            if not run.done:
                run.advance()
    _same(alone, a)
    assert not a.history_frame()[COLUMNS].equals(b.history_frame()[COLUMNS])


def test_a_restored_run_continues_bit_for_bit():
    original = GanRun(Config(seed=11, **TINY))
    original.train_chunk()
    saved = original.checkpoint()
    list(original.train())

    restored = GanRun(Config(seed=11, **TINY))
    restored.restore(saved)
    assert restored.iteration == 200 and len(restored.history) == 1
    list(restored.train())
    _same(original, restored)
    np.testing.assert_array_equal(original.generator.get_weights()[0], restored.generator.get_weights()[0])

    # a checkpoint is a copy: the run it came from going on changes nothing in it
    assert int(saved.state.iteration) == 200 and saved.fields["iteration"] == 200


def test_a_checkpoint_of_other_networks_is_refused_and_changes_nothing():
    run = GanRun(Config(seed=1, **TINY))
    run.train_chunk()
    before = run.checkpoint()
    other = GanRun(Config(seed=1, **{**TINY, "g_hidden": (30,)})).checkpoint()
    with pytest.raises(ValueError, match="same layers"):
        run.restore(other)
    assert run.iteration == 200
    np.testing.assert_array_equal(run.checkpoint().state.g.weights[0], before.state.g.weights[0])


def test_mnist_runs_share_a_step_and_restore_exactly():
    digits = load_subset("tanh")  # the default DCGAN's pixels
    config = dict(latent_dim=8, d_filters=4, g_filters=4, n_batch=16, n_epochs=6, n_eval=3, n_eval_samples=20)
    a = ImageGanRun(ImageConfig(seed=1, **config), digits)
    a.train_chunk()
    saved = a.checkpoint()
    a.train_chunk()
    b = ImageGanRun(ImageConfig(seed=1, **config), digits)
    assert b.steps is a.steps
    b.restore(saved)
    b.train_chunk()
    assert a.d_losses == b.d_losses and a.g_losses == b.g_losses  # the Dropout seeds are in the state too
    np.testing.assert_array_equal(a.history[-1].grid, b.history[-1].grid)
    assert a.steps.traced == 1


HISTORY = """
import json, sys
sys.path.insert(0, {root!r})
from gan_core import Config, GanRun
run = GanRun(Config(seed=21, **{tiny!r}))
list(run.train())
print(json.dumps(run.history_frame()[{columns!r}].values.tolist()))
"""


@pytest.mark.slow
def test_a_fresh_process_and_a_warm_one_give_the_same_history():
    code = HISTORY.format(root=ROOT, tiny=TINY, columns=COLUMNS)
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert fresh.returncode == 0, fresh.stderr[-2000:]
    list(GanRun(Config(seed=20, **TINY)).train())  # this process has compiled and run the step before
    warm = GanRun(Config(seed=21, **TINY))
    list(warm.train())
    assert json.loads(fresh.stdout.strip().splitlines()[-1]) == warm.history_frame()[COLUMNS].values.tolist()




@pytest.mark.slow
def test_a_run_gives_the_same_history_on_any_slot_s_device():
    # the app trains each step on a free slot's CPU device (explorer/devices.py), so a run's
    # steps may move between devices; its history must not change
    from explorer import devices

    def trained(make, moving):
        run, i = make(), 0
        while not run.done:
            with devices.slot(i if moving else 0):
                run.advance()
            i += 1
        return run

    digits = load_subset("tanh")  # the default DCGAN's pixels
    mnist = lambda: ImageGanRun(ImageConfig(n_epochs=6, n_eval=3, seed=1, n_eval_samples=20), digits)  # noqa: E731
    one, moved = trained(mnist, False), trained(mnist, True)
    assert one.d_losses == moved.d_losses and one.g_losses == moved.g_losses
    np.testing.assert_array_equal(one.history[-1].grid, moved.history[-1].grid)
    plane = lambda: GanRun(Config(seed=5, **{**TINY, "n_epochs": 2000}))  # noqa: E731
    _same(trained(plane, False), trained(plane, True))
