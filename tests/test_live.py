"""Training off the script thread: short compiled steps that never change the history, workers
that stop, pause, fail and share the server's slots as the page expects."""
import os
import subprocess
import sys
import time

import numpy as np
import pytest

from explorer import worker as workers
from explorer.worker import Slots, Worker
from gan_core import Config, GanRun

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLUMNS = ["iteration", "acc_real", "acc_fake", "d_loss", "g_loss", "curve_error", "coverage", "energy"]


def _config(**changes):
    return Config(**{"n_epochs": 3000, "n_eval": 500, "n_batch": 32, "n_eval_samples": 30, "seed": 4, **changes})


class Away:
    def __init__(self, seconds):
        self.seconds = seconds

    def absent_for(self):
        return self.seconds


def _same_history(a, b):
    assert a.history_frame()[COLUMNS].equals(b.history_frame()[COLUMNS])
    np.testing.assert_array_equal(a.history[-1].fake, b.history[-1].fake)


@pytest.mark.slow
def test_steps_of_any_length_share_one_compiled_loop():
    run = GanRun(_config())
    assert 1 < run.step_length <= 512
    run.advance()
    n_eval_left = run.next_check_in - run.iteration
    assert run.step_length != n_eval_left  # the next step is shorter: a new length
    run.advance()
    run.steps.train(run.state, run.data, 37)
    assert run.steps.traced == 1  # counted, not timed


def test_a_check_in_every_n_eval_however_the_steps_fall():
    run = GanRun(_config(n_epochs=1100, n_eval=300))
    evaluations = []
    while not run.done:
        if (ev := run.advance()) is not None:
            evaluations.append(ev.iteration)
    assert evaluations == [300, 600, 900, 1100]


def test_stops_resumes_and_other_runs_do_not_change_the_history():
    """The same seed gives the same history whatever the timing: a worker stopped at a random
    moment and resumed, while another run trains beside it, matches a run trained alone."""
    alone = GanRun(_config())
    list(alone.train())

    interrupted, other = GanRun(_config()), GanRun(_config(seed=9))
    slots = Slots(2)
    beside = Worker(other, slots=slots)
    for pause in (0.05, 0.3, 0.01):
        w = Worker(interrupted, slots=slots)
        time.sleep(pause)
        assert w.stop(wait=30)
    while not interrupted.done:
        Worker(interrupted, slots=slots).thread.join(60)
    beside.thread.join(60)
    assert interrupted.done and other.done
    _same_history(alone, interrupted)


def test_stop_is_taken_within_a_step_and_keeps_everything():
    run = GanRun(_config(n_epochs=1_000_000, n_eval=200))
    w = Worker(run)
    while run.iteration < 2000:
        time.sleep(0.02)
    assert w.stop(wait=5) and w.state == "stopped" and not w.active
    stopped_at = run.iteration
    time.sleep(0.2)
    assert run.iteration == stopped_at  # nothing trains after a Stop
    assert [e.iteration for e in run.history] == list(range(200, stopped_at // 200 * 200 + 1, 200))


def test_step_trains_exactly_one_more_check_in():
    run = GanRun(_config())
    Worker(run, check_ins=1).thread.join(60)
    w = Worker(run, check_ins=1)
    w.thread.join(60)
    assert [e.iteration for e in run.history] == [500, 1000] and w.state == "stopped"


def test_a_run_whose_visitor_left_pauses_and_keeps_its_history():
    run = GanRun(_config())
    run.train_chunk()
    w = Worker(run, visitor=Away(workers.ABSENT_PAUSE_S + 1))
    w.thread.join(10)
    assert w.state == "paused" and "no open tab" in w.message
    assert run.iteration == 500 and len(run.history) == 1
    w = Worker(run, visitor=Away(workers.ABSENT_PAUSE_S - 1))  # still within the grace period
    w.thread.join(60)
    assert w.state == "done" and run.done


def test_a_failing_step_keeps_the_check_ins_before_it():
    run = GanRun(_config(n_epochs=2000, n_eval=500))
    real_advance = run.advance

    def advance():
        if run.iteration >= 1000:
            raise FloatingPointError("loss is nan")
        return real_advance()

    run.advance = advance
    w = Worker(run)
    w.thread.join(60)
    assert w.state == "failed" and "FloatingPointError: loss is nan" in w.message
    assert [e.iteration for e in run.history] == [500, 1000]


class FakeRun:
    """Steps that take a while, to watch the slots."""

    n_epochs, compile_seconds, history = 6, 0.0, []

    def __init__(self, log, name):
        self.iteration, self.log, self.name = 0, log, name

    @property
    def done(self):
        return self.iteration >= self.n_epochs

    def advance(self):
        self.log.append(("start", self.name))
        time.sleep(0.02)
        self.log.append(("end", self.name))
        self.iteration += 1


def test_at_most_k_steps_at_once_and_runs_take_turns():
    log, slots = [], Slots(2)
    runs = [FakeRun(log, name) for name in "abcd"]
    ws = [Worker(run, slots=slots) for run in runs]
    for w in ws:
        w.thread.join(30)
    assert all(run.done for run in runs)
    busy = peak = 0
    for event, _ in log:
        busy += 1 if event == "start" else -1
        peak = max(peak, busy)
    assert peak == 2
    # turns: every run has started a step before any run finishes all of its steps
    first_done = min(max(i for i, (e, n) in enumerate(log) if n == name) for name in "abcd")
    assert {n for e, n in log[:first_done]} == set("abcd")


class DeviceRun(FakeRun):
    """Records the device its TensorFlow ops ran on at each step."""

    def advance(self):
        import tensorflow as tf

        self.devices.append(tf.constant(0.0).device)
        super().advance()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: one slot, one device")
def test_steps_at_once_run_on_devices_of_their_own_and_a_run_keeps_its_device():
    log, slots = [], Slots(2)
    runs = [DeviceRun(log, name) for name in "ab"]
    for run in runs:
        run.devices = []
    for w in [Worker(run, slots=slots) for run in runs]:
        w.thread.join(30)
    assert all(run.done for run in runs)
    assert [len(set(run.devices)) for run in runs] == [1, 1]  # each kept its device
    assert runs[0].devices[0] != runs[1].devices[0]  # and they were two


def test_a_queued_run_knows_its_place_and_a_stop_takes_it_out_of_the_line():
    slots = Slots(1)
    held = slots.acquire("holder", lambda: False)
    w = Worker(GanRun(_config()), slots=slots)
    deadline = time.monotonic() + 5
    while w.place() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert w.place() == 1 and w.state == "queued"
    assert w.stop(wait=5) and w.state == "stopped" and slots.place(w) is None
    slots.release(held)


def test_a_run_is_starting_until_its_first_check_in():
    # the server's warm-up waits while a run is starting (explorer/server.py), for the visitor's first chart
    run = GanRun(_config(n_epochs=400, n_eval=200))
    w = Worker(run, check_ins=1)
    assert workers.starting() or run.history  # before its first check-in (unless it already took it)
    w.thread.join(120)
    assert run.history and not w.active and not workers.starting()


def test_rate_ignores_the_compiling_step():
    run = GanRun(_config(n_epochs=200_000, n_eval=200))
    w = Worker(run)
    while w.rate() is None:
        time.sleep(0.05)
    w.stop()
    # the first step compiles (seconds); the rate comes from steps after it only
    marks = list(w._marks)
    assert marks[0][1] > 0 and w.rate() > 0
    assert run.compile_seconds is not None


@pytest.mark.slow
def test_the_worker_module_imports_no_streamlit():
    code = "import sys, explorer.worker; print('streamlit' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "False", r.stderr


def test_the_streamlit_internals_explorer_server_patches_still_exist():
    """explorer.server stops Streamlit from clearing Keras after every rerun; if an upgrade renames
    what it patches, fail here instead of silently stalling the workers again."""
    import inspect

    from streamlit import config
    from streamlit.runtime.scriptrunner import script_runner

    assert "_clean_problem_modules" in inspect.getsource(script_runner.ScriptRunner._run_script)
    assert config.get_option("runner.postScriptGC") in (True, False)


def test_visitor_absence_counts_from_the_last_connection(monkeypatch):
    from explorer.lifecycle import Visitor

    v = Visitor("session")
    monkeypatch.setattr(Visitor, "connected", lambda self: True)
    assert v.absent_for() == 0
    monkeypatch.setattr(Visitor, "connected", lambda self: False)
    v.last_seen -= 31
    assert 31 <= v.absent_for() < 32


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("GAN_EXPLORER_UPTIME") is not None, reason="already on a fresh clock")
def test_the_live_and_app_tests_pass_on_a_freshly_booted_machine():
    """A new CI container's time.monotonic() is small (seconds since boot). tests/conftest.py
    shifts the clock when GAN_EXPLORER_UPTIME is set; run the tests that use time on it."""
    env = {**os.environ, "GAN_EXPLORER_UPTIME": "60"}
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "tests/test_live.py",
                        "tests/test_app.py", "-k", "not browser"],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
