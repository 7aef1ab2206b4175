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
_answering: set[threading.Thread] = set()  # the threads running a visitor's script (streamlit_app.py) now


def script_began() -> None:
    """A visitor's script run began (streamlit_app.py): the warm-up waits until it ends, so that a Train click's
    run, which the script starts, is never raced by a warm-up step begun before its worker was there."""
    with _warm_lock:
        _answering.add(threading.current_thread())


def script_ended(address: str) -> None:
    """The script run of the page at `address` ended: the warm-up goes on (and starts, after the first page)."""
    with _warm_lock:
        _answering.discard(threading.current_thread())
    warm_default_steps(address)


def answering() -> bool:
    """Whether a visitor's script runs now (one that ended by an exception before its end was told ends with
    its thread)."""
    with _warm_lock:
        _answering.difference_update([t for t in _answering if not t.is_alive()])
        return bool(_answering)


def warm_default_steps(address: str = "") -> None:
    """Once per process, in a background thread: compile what a visitor's first Train runs on every kind
    but the image kinds, with its page's defaults: the GAN page's step, the discriminator lab's, the Seed
    sweep's stacked step, and the Dirac-GAN lesson's loops (about 3 s of XLA each; with the persistent
    compile cache, a restarted server loads them instead). Every later run of those shapes shares them, so
    a visitor's first Train starts at once. `address`: the page the first visitor opened, whose steps go
    first. Called after the first page is drawn, so it never delays a page; it runs at normal priority
    because a visitor's first run waits for this same compile (a lower priority made that wait longer);
    between two steps it waits while a visitor's script runs or a visitor waits for a run's first chart.
    GAN_EXPLORER_WARM=0 turns it off."""
    global _warming
    with _warm_lock:
        if _warming or os.environ.get("GAN_EXPLORER_WARM") == "0":
            return
        _warming = True
    threading.Thread(target=_warm, args=(address,), name="gan-explorer-warm", daemon=True).start()


DIRAC = "why-gans-circle"  # the Dirac-GAN lesson's address (streamlit_app.py)


def tasks(address: str = "", slots: int = 1) -> list[tuple]:
    """What the warm-up compiles, in order: (experiments entry, role, slot), or (None, DIRAC, 0) for the lesson.
    The GAN pages first (the most visited), then the lesson (Home's first link), the labs and the sweeps; the page
    at `address` first of all. XLA compiles (or loads) a step once per device, so a run on another slot's device
    (a second visitor's, while the first trains) would wait for its own: the GAN and lab steps again on each of
    the other `slots`' devices, after the first's (a sweep's groups are on every device already; the lesson runs
    in the page, on the first)."""
    from .experiments import ALL

    warmed = [entry for entry in ALL if entry.warmed]  # the image kinds' steps are shaped by their pictures
    order = [*((e, "gan") for e in warmed), (None, DIRAC), *((e, "lab") for e in warmed),
             *((e, "sweep") for e in warmed)]
    first = [t for t in order if (t[1] if t[0] is None else t[0].address(t[1])) == address]
    order = first + [t for t in order if t not in first]
    return [(e, role, 0) for e, role in order] + [
        (e, role, slot) for slot in range(1, slots) for e, role in order if role in ("gan", "lab")]


def _warm(address: str) -> None:
    from . import devices
    from .worker import starting

    for entry, role, slot in tasks(address, len(devices.names())):
        # a visitor's click and its run toward its first chart go first (tracing holds Python's lock)
        while answering() or starting():
            time.sleep(0.05)
        with devices.slot(slot):
            _compile(entry, role)


def _compile(entry, role: str) -> None:
    """One page's default steps, compiled (or loaded from the compile cache) by running them once."""
    if entry is None:  # the Dirac-GAN lesson with its defaults: both updates' loops, the eigenvalues, the field
        from dataclasses import replace

        from gan_core.settings.config import DIRAC_UPDATES, DiracConfig
        from gan_core.teaching import dirac

        for update in DIRAC_UPDATES:
            dirac.trajectory(replace(DiracConfig(), update=update))
        dirac.eigenvalues(DiracConfig())
        return
    from gan_core.training.sweep import DEFAULT_SEEDS, Sweep

    from .experiments import page_defaults

    # the lab's own defaults; the GAN and sweep pages' are the GAN page's (its target's)
    config = entry.kind.settings(**page_defaults(entry.states["lab" if role == "lab" else "gan"]))
    if role == "sweep":
        Sweep(config, DEFAULT_SEEDS).advance()  # its groups' stacked step, on each group's device
        return
    run = (entry.kind.gan if role == "gan" else entry.kind.discriminator)(config)
    run.steps.train(run.state, run.data, 1)
    run.evaluate()  # the forward passes a check-in calls
