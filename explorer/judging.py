"""What the GAN pages say about a run: how often its target's default worked on fresh seeds (beside Train),
its failure alarms (gan_core/judging/alarms.py) while it trains, and, on a paused run, new learning rates
to continue with."""
from __future__ import annotations

import streamlit as st

from gan_core.judging.alarms import alarms
from gan_core.networks.losses import DEFAULT
from gan_core.settings import defaults as target_defaults
from gan_core.settings.config import Config
from gan_core.settings.typed import parse_number

from . import session
from .fields import typed_input
from .text import literal

RATE_LABELS = {name: Config.label(name) for name in ("g_lr", "d_lr")}  # the settings' labels


NOT_TRAINING = ("seed", "n_eval", "n_eval_samples")  # what a measured default's figure holds for any of


def default_note(config: Config | None, defaults: Config) -> str | None:
    """Beside Train, while the settings are the target's defaults (any seed): how often they met the
    criterion on fresh seeds, where that failed on more than 1 seed in 10 (settings/defaults.py's MEASURED,
    measured by bench/defaults.py, not live); None otherwise."""
    measured = target_defaults.MEASURED.get(getattr(config, "target", None))
    if measured is None or not measured.fails_often or defaults.target != config.target:
        return None
    if any(getattr(config, f) != getattr(defaults, f) for f in vars(config) if f not in NOT_TRAINING):
        return None
    return measured.note()


def show_alarms(view, history, loss: str = DEFAULT) -> None:
    """A callout for each alarm, above the charts: red while a divergence or collapse lasts, amber for
    another lasting alarm, blue for one that is over (it happened: the charts still show where).
    `view` (the run at one moment) and `history` (its frame, up to the check-in shown): what the charts
    beside it show, so that an alarm's numbers are theirs. `loss`: the run's, where its settings choose
    one (MNIST's do not: the log loss)."""
    for alarm in alarms(history, view.divergences, loss):
        if alarm.active and alarm.kind in ("diverged", "collapse"):
            st.error(literal(alarm.text()), icon=":material/error:")
        elif alarm.active:
            st.warning(literal(alarm.text()), icon=":material/warning:")
        else:
            st.info(literal(alarm.text()), icon=":material/history:")


def learning_rates(page) -> None:
    """On a stopped run that is not done: set its learning rates and Resume; past changes listed."""
    run = page.run
    for iteration, text in run.changes:
        st.caption(f"At iteration {iteration:,} the learning rates changed: {text}.")
    if page.training or run.done or not run.history:
        return
    current = run.learning_rates()
    with st.expander("Change the learning rates of this paused run, then Resume"):
        cols = st.columns(len(current) + 1)
        texts = {}
        for col, (name, value) in zip(cols, current.items()):
            with col:  # typed text, read strictly: a browser's number field would clip or round it silently
                texts[name] = typed_input(RATE_LABELS.get(name, name), session.RATE(page.name, name, id(run)), value,
                                          help="A number above 0 and at most 1, like 0.0005 or 5e-4.")
        if cols[-1].button("Set", key=session.SET_RATES(page.name, id(run)).name,
                           help="From the next iteration on; the history's d_lr and g_lr columns mark where."):
            try:
                chosen = {name: parse_number(text, False, RATE_LABELS.get(name, name)) for name, text in texts.items()}
                for name, value in chosen.items():
                    if not 0 < value <= 1:
                        raise ValueError(f"{RATE_LABELS.get(name, name)} must be a number above 0 and at most 1 "
                                         f"(got {texts[name]}).")
                text = run.set_learning_rates(**chosen)
            except ValueError as err:
                st.error(literal(str(err)))
            else:
                st.success(f"Set: {text}. Press **Resume** to continue." if text else "Nothing changed.")
