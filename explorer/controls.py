"""Train / Step / Stop / Resume / Reset, acting on the page's worker. Only these buttons touch
a run: any other click, a page switch or a settings change leaves it training.

Stop, Resume and Reset act in their on_click callbacks, before the script reruns, so a Stop
is taken at once. Train and Step need the settings' validated config, so the page applies
them after drawing its form (`apply`)."""
from __future__ import annotations

import streamlit as st

from . import session, session_runs, stored_runs
from .app_run import AppRun
from .experiments import GAN_STATES
from .text import literal

STOP_WAIT_S = 3.0  # a Stop waits this long for the current step (one MNIST batch can take a second)


def _clicked(page, name: str) -> None:
    page.action = name
    page.parts = None  # any button ends slow motion (its own click takes the run apart again)
    if name in ("Stop", "Reset") and page.worker is not None:
        page.worker.stop(STOP_WAIT_S)
    if name == "Reset":
        page.app_run = None
    elif (name == "Resume" and page.run is not None and not page.run.done and not page.training
          and not stored_runs.read_only(page.app_run)):
        stored_runs.train(page)


def apply(page, config, make_run) -> bool:
    """Act on a Train or Step click with this script run's config (a bad config starts nothing);
    True when a click was refused (its message is shown)."""
    action = page.take_action()
    if action not in ("Train", "Step", "Slow motion") or (action != "Train" and page.training):
        return False
    # someone else's run (opened read-only) is never trained here: Step and Slow motion start a run of one's own
    new_run = action == "Train" or page.run is None or page.run.done or stored_runs.read_only(page.app_run)
    if new_run and config is None:  # Step on a paused run continues it with its own settings
        places = session.SETTINGS_ERRORS_AT.get() or ["the settings marked in red"]
        st.error(literal(f"Fix {' and '.join(places)} first: nothing was started."), icon=":material/error:")
        return True
    if new_run:
        if page.app_run is not None:
            page.app_run.let_go(STOP_WAIT_S)
        if page.name in GAN_STATES:  # the Compare page keeps the run this one replaces
            session_runs.keep(page.app_run, page.name)
        page.app_run = None
        with st.spinner("Building the models…"):
            # no gc.collect() here: a full collection held the click for 0.5 s, and since runs share
            # their compiled steps (gan_core/training/steps.py) an old run leaves only its small Keras models
            # in reference cycles, for Python's own collector (bench/app_memory.py checks)
            page.app_run = AppRun(make_run(config))
        if page.name in GAN_STATES:
            session_runs.name_of(page.app_run, page.name)  # runs are numbered in the order they started
    if action == "Slow motion":  # the next iteration taken apart, nothing trained (explorer.slow_motion)
        from gan_core.teaching.slow_motion import take_apart

        page.parts = take_apart(page.run)
        return False
    stored_runs.train(page, check_ins=1 if action == "Step" else None)
    return False


def sidebar_note(config) -> None:
    """Beside Train, the sidebar fields refused (their messages are at them, in the sidebar, which a
    phone keeps closed): a visitor who sees only the main area learns why Train starts nothing."""
    places = session.SIDEBAR_ERRORS_AT.get()
    if config is None and places:
        st.warning(literal(f"{' and '.join(places)} in the sidebar {'is' if len(places) == 1 else 'are'} refused "
                           "(the message is there): Train starts nothing until it is fixed."),
                   icon=":material/arrow_back:")


def buttons(page, slow: bool = False) -> None:
    """The buttons, enabled as the run's state allows: Stop only while training, Resume only
    when stopped and not done, Step (and Slow motion) not while training."""
    run, training = page.run, page.training
    done = run is not None and run.done
    mine = not stored_runs.read_only(page.app_run)
    slow_motion = [("Slow motion", "Take the next iteration apart: the discriminator's and the generator's "
                                   "updates one at a time, before and after each; starts a new run if there is none (or it "
                                   "has finished).",
                    training)] if slow else []
    resume_help = ("Continue this run to the end." if mine else
                   ("It trains elsewhere now (another tab or the command line): this page follows it, and Resume "
                    "continues it here once that ends. Continue as my own run trains a copy.")
                   if stored_runs.following(page.app_run) else "Someone else's run: Continue as my own run trains a copy.")
    # one row that wraps, not columns: st.columns stack on a phone (six buttons, one under another, pushed
    # the chart two screens below Train); a horizontal container keeps them side by side, in two rows at most
    row = st.container(horizontal=True, gap="small")
    for name, help_text, disabled in [
        ("Train", "Start a new run with these settings and train to the end.", False),
        ("Step", "Train to the next check-in (n_eval iterations); starts a run if there is none.",
         training or done or not mine),
        ("Stop", "Stop now; everything trained so far is kept.", not training),
        ("Resume", resume_help, run is None or done or training or not mine),
        ("Reset", "Forget this page's run.", run is None),
        *slow_motion,
    ]:
        row.button(name, key=page.button(name), help=help_text, disabled=disabled, width="stretch",
                   on_click=_clicked, args=(page, name))


def show(page, config, make_run, hint: str, slow: bool = False, real=None, note: str | None = None) -> None:
    """Act on the clicked button, draw the buttons (`slow`: with Slow motion), say when the settings
    shown are not the run's; with no run yet, show `hint` and end the page here. `real(expanded)`
    draws the real data as it will train, below the buttons (so Train stays on the first screen):
    open before the first run, folded after. `note`: said right above the buttons (how often a default
    worked)."""
    if not apply(page, config, make_run):  # a refused click says it all already
        sidebar_note(config)
    if note:
        st.caption(literal(note), help="Measured by bench/defaults.py on seeds nobody tuned on; the seed you "
                   "choose is one more draw.")
    buttons(page, slow)
    stored_runs.panel(page)  # a GAN page's stored run: Share this run, whether runs are being saved
    if page.run is None:
        st.info(hint)
        if real is not None:
            real(True)
        st.stop()
    if real is not None:
        real(False)
    if config is not None and page.run.config != config:
        st.info("The run below keeps the settings it started with; your changes apply to the next **Train**.")
