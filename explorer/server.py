"""What a server that trains in background threads needs from Streamlit.

After every script run, fragment reruns included, Streamlit 1.67 calls
`keras.backend.clear_session()` (`_clean_problem_modules`): it resets TensorFlow's default
graph, clears the eager kernel cache and runs a full garbage collection, for every thread of
the process. With a live view rerunning every 0.4 s this stalled a worker's first compiled
step from 3 s to over 20 s, and it clears the kernel cache under every other visitor's run.
Runs here keep their own models and seeds, so there is nothing to clear: skip it. The full
`gc.collect(2)` after every run (`runner.postScriptGC`) is off for the same reason
(.streamlit/config.toml): Python's own collector is left to do it."""
from __future__ import annotations

import os
import sys
import threading
import time


def _clean_problem_modules_but_keras() -> None:
    """Streamlit's own cleanup of matplotlib's global figure, without clearing Keras."""
    if "matplotlib.pyplot" in sys.modules:
        try:
            sys.modules["matplotlib.pyplot"].close("all")
        except Exception:
            pass


def host_training_threads() -> None:
    """Once per process: stop Streamlit from clearing Keras and collecting garbage after every
    script run. tests/test_live.py checks that the patched names still exist in Streamlit."""
    from streamlit import config
    from streamlit.runtime.scriptrunner import script_runner

    script_runner._clean_problem_modules = _clean_problem_modules_but_keras
    config.set_option("runner.postScriptGC", False)


_warm_lock = threading.Lock()
_warming = False


def warm_default_steps() -> None:
    """Once per process, in a background thread: compile the default discriminator-lab and GAN
    steps of every kind but MNIST (about 3 s of XLA each; with the persistent compile cache, a
    restarted server loads them instead), which every later run of those shapes shares,
    so a visitor's first Train starts at once. Called after the first page is drawn, so it never delays a page; it
    runs at normal priority because a visitor's first run waits for this same compile (a lower
    priority made that wait longer); between two steps it waits while a visitor's run is before its
    first check-in. GAN_EXPLORER_WARM=0 turns it off."""
    global _warming
    with _warm_lock:
        if _warming or os.environ.get("GAN_EXPLORER_WARM") == "0":
            return
        _warming = True
    threading.Thread(target=_warm, name="gan-explorer-warm", daemon=True).start()


def _warm() -> None:
    from .experiments import ALL, page_defaults
    from .worker import starting

    for role in ("gan", "lab"):  # the GAN pages first: the most visited
        for entry in ALL:
            if not entry.warmed:  # MNIST's steps are shaped by its digits
                continue
            while starting():  # a visitor's run toward its first chart goes first (tracing holds Python's lock)
                time.sleep(0.05)
            config = entry.kind.settings(**page_defaults(entry.states[role]))  # a GAN page's: its target's
            run = (entry.kind.gan if role == "gan" else entry.kind.discriminator)(config)
            run.steps.train(run.state, run.data, 1)
            run.evaluate()  # the forward passes a check-in calls
