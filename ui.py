"""What the pages share: the sidebar settings, validated settings forms, run controls and
the live loop that trains a chunk and redraws placeholders. No training math here.

State lives in st.session_state, per visitor: widget values under "w_*" keys, a page's run
under "<page>_run". A run's chunk is guarded by a lock kept in session_state, because a
click starts a new script run while the old one may still be inside TensorFlow code.
"""
from __future__ import annotations

import functools
import json
import threading
import time

import streamlit as st

from gan_core import BUILTIN_TARGETS, Config, ConfigError, charts
from gan_core.config import ACTIVATIONS, parse_widths

DATA_KINDS = ("1-D function", "MNIST digits")
TARGET_LABELS = {"x^2": "x² (the tutorial's)", "sine": "sine", "gaussian": "Gaussian bump",
                 "multimodal": "multimodal polynomial", "abs": "|x|", "x^3": "x³", "custom": "your own f(x)"}


def keep_widget_state() -> None:
    """Widgets of a page that is not shown lose their values; re-assigning keeps them."""
    for key in list(st.session_state.keys()):
        if str(key).startswith("w_"):
            st.session_state[key] = st.session_state[key]


def widget_key(key: str, default) -> str:
    """A widget's key, its default put in session_state first: a widget given both a value and
    a session_state value (kept by keep_widget_state) makes Streamlit warn."""
    st.session_state.setdefault(key, default)
    return key


PAGE_PREFIX = {"gan_training": "gan", "discriminator_lab": "lab"}
# where a page's widgets start away from Config's defaults (a link omits what it leaves at default)
PAGE_DEFAULTS = {"gan": {"n_eval": 200}, "lab": {"n_epochs": 1000, "n_eval": 50}}


def settings_from_url(url_path: str) -> None:
    """Put the settings of a shared link (?n_epochs=...&g_hidden=32,16) into the widgets, once
    per visit, before any widget is drawn. A bad link changes nothing and says why."""
    if st.session_state.get("url_loaded"):  # only the address the visit opened with counts
        return
    st.session_state["url_loaded"] = True
    prefix = PAGE_PREFIX.get(url_path)
    if not prefix or not st.query_params:
        return
    try:
        config = Config.from_dict({**PAGE_DEFAULTS[prefix], **st.query_params.to_dict()}).checked()
    except (ConfigError, ValueError) as err:
        st.session_state["url_error"] = f"The settings in this link were not used: {err}"
        return
    for field, value in config.to_query_params(PAGE_DEFAULTS[prefix]).items():
        if field in ("target", "expr", "seed", "low", "high"):
            st.session_state[f"w_{field}"] = int(value) if field == "seed" else (
                float(value) if field in ("low", "high") else value)
            st.session_state["w_own_domain"] = st.session_state.get("w_own_domain") or field in ("low", "high")
        else:
            current = getattr(config, field)
            st.session_state[f"w_{prefix}_{field}"] = value if isinstance(current, (tuple, str)) else current


def share_settings(config: Config, prefix: str) -> None:
    """Keep the address bar in step with the settings, so the link reproduces this run."""
    params = config.to_query_params(PAGE_DEFAULTS[prefix])
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def sidebar() -> None:
    """The settings every page shares: target and its domain, seed."""
    with st.sidebar:
        st.header("Data")
        kind = st.radio("Real data", DATA_KINDS, key=widget_key("w_data", DATA_KINDS[0]), horizontal=True)
        if kind == DATA_KINDS[1]:
            st.caption("Handwritten digits, 28×28 pixels, with the MNIST tutorial's DCGAN.")
            st.number_input("Seed", step=1, key=widget_key("w_seed", 1), help="The same seed gives the same run.")
            return
        target = st.selectbox("Target function y = f(x)", [*BUILTIN_TARGETS, "custom"],
                              key=widget_key("w_target", "x^2"), format_func=TARGET_LABELS.get)
        if target == "custom":
            st.text_input("f(x) =", key=widget_key("w_expr", "0.3*sin(6*x) + x**2"),
                          help="Numbers, x, pi, e, + - * / ** (or ^), parentheses and sin, cos, tan, exp, log, "
                               "sqrt, abs, tanh, sinh, cosh, arctan, sign.")
            default_low, default_high = -1.0, 1.0
        else:
            expression, default_low, default_high = BUILTIN_TARGETS[target]
            st.caption(f"f(x) = `{expression}`")
        own = st.checkbox("Set the domain myself", key=widget_key("w_own_domain", False))
        if own:
            c1, c2 = st.columns(2)
            c1.number_input("low", step=0.1, key=widget_key("w_low", default_low), format="%.3f")
            c2.number_input("high", step=0.1, key=widget_key("w_high", default_high), format="%.3f")
        st.number_input("Seed", step=1, key=widget_key("w_seed", 1), help="The same seed gives the same run.")


def using_mnist() -> bool:
    return st.session_state.get("w_data") == DATA_KINDS[1]


def shared_settings() -> dict:
    """Config fields from the sidebar widgets."""
    s = st.session_state
    target = s.get("w_target", "x^2")
    out = {"target": target, "seed": int(s.get("w_seed", 1))}
    if target == "custom":
        out.update(expr=s.get("w_expr", ""), low=-1.0, high=1.0)
    if s.get("w_own_domain"):
        out.update(low=float(s.get("w_low", -0.5)), high=float(s.get("w_high", 0.5)))
    return out


class SettingsForm:
    """Widgets that feed a Config; each widget gets a slot under it for its error message."""

    def __init__(self, page: str, config_class=Config):
        self.page, self.values, self.slots, self.errors = page, {}, {}, {}
        self.config_class = config_class

    def _slot(self, field):
        self.slots[field] = st.empty()

    def number(self, field, label, default, step=1, fmt=None, help=None):
        value = st.number_input(label, step=step, format=fmt, key=widget_key(f"w_{self.page}_{field}", default),
                                help=help)
        self.values[field] = value
        self._slot(field)

    def widths(self, field, label, default):
        text = st.text_input(label, key=widget_key(f"w_{self.page}_{field}", ",".join(map(str, default))),
                             help="Units per hidden layer, comma separated: 25, or 32,16 for two layers.")
        try:
            self.values[field] = parse_widths(text)
        except ValueError as err:
            self.errors[field] = str(err)
        self._slot(field)

    def choice(self, field, label, options, default):
        self.values[field] = st.selectbox(label, options, key=widget_key(f"w_{self.page}_{field}", default))
        self._slot(field)

    def activation(self, field, label):
        self.choice(field, label, list(ACTIVATIONS), "relu")

    def config(self) -> Config | None:
        """The validated Config, or None with each message shown at its widget."""
        if message := st.session_state.pop("url_error", None):
            st.warning(message)
        shared = shared_settings() if self.config_class is Config else {"seed": int(st.session_state.get("w_seed", 1))}
        values = {**shared, **self.values}
        config = self.config_class(**{k: v for k, v in values.items() if k not in self.errors})
        errors = {**config.validate(), **self.errors}
        for field, message in errors.items():
            slot = self.slots.get(field)
            (slot.error if slot else st.sidebar.error)(message)
        if errors:
            return None
        if self.page in PAGE_PREFIX.values() and isinstance(config, Config):
            share_settings(config, self.page)
        return config


# ---- runs and their controls ---------------------------------------------------------

def run_lock(page: str) -> threading.Lock:
    return st.session_state.setdefault(f"{page}_lock", threading.Lock())


def _clicked(page: str, name: str) -> None:
    """on_click: record the button for this script run."""
    st.session_state[f"{page}_action"] = name


def take_action(page: str) -> str | None:
    """The button clicked before this script run (set by its on_click), taken once."""
    return st.session_state.pop(f"{page}_action", None)


def apply_action(page: str, config, make_run):
    """Act on the clicked button before the page draws: Reset forgets the run, Train (or Step
    with no run) starts one from `config`. Returns (run, action); a bad config starts nothing."""
    key = page + "_run"
    action = take_action(page)
    # Any rerun of this page (a click, a widget) ends the live loop of the older script run at
    # its next chunk. Streamlit would stop it only at its next redraw, which pacing may skip.
    st.session_state[f"{page}_loop"] = None
    if action == "Reset":
        st.session_state.pop(key, None)
        return None, None
    if action in ("Train", "Step") and config is None:
        st.error("Fix the settings marked above first: nothing was started.")
        return st.session_state.get(key), None
    if action == "Train" or (action == "Step" and key not in st.session_state):
        with st.spinner("Building the models…"):
            st.session_state[key] = make_run(config)
    with run_lock(page):  # the older script run's loop may still be inside a chunk: wait for it,
        pass              # so this run draws whole check-ins
    return st.session_state.get(key), action


def controls(page: str, run) -> None:
    """Train / Step / Stop / Resume / Reset. A click is recorded by a callback, so the page
    can act on it (start a run) before drawing the buttons with the right ones enabled."""
    has_run, done = run is not None, run is not None and run.done
    cols = st.columns(5)
    for col, (name, help_text, disabled) in zip(cols, [
        ("Train", "Start a new run with these settings and train to the end.", False),
        ("Step", "Train one chunk of n_eval iterations (starts a run if there is none).", done),
        ("Stop", "Stop after the current chunk; everything up to the last check-in is kept.", not has_run),
        ("Resume", "Continue the stopped run to the end.", not has_run or done),
        ("Reset", "Forget this page's run.", not has_run),
    ]):
        col.button(name, key=f"btn_{page}_{name}", help=help_text, disabled=disabled, width="stretch",
                   on_click=_clicked, args=(page, name))


def progress_text(run) -> str:
    n = run.n_epochs
    rate = run.iteration / run.seconds if run.seconds else 0.0
    left = (n - run.iteration) / rate if rate else float("nan")
    return f"{run.iteration:,} / {n:,} iterations · {rate:,.0f} iterations/s · {left:.1f} s left"


def replay_choice(page: str, run, what: str):
    """After (or between) runs: a slider over the stored check-ins; the chosen Evaluation."""
    if len(run.history) < 2:
        return run.history[-1]
    iterations = [e.iteration for e in run.history]
    chosen = st.select_slider(f"Replay the {what} at check-in (iteration)", options=iterations,
                              value=iterations[-1], key=f"{page}_replay_{id(run)}")
    return run.history[iterations.index(chosen)]


def run_caption(run) -> None:
    st.caption(f"Run {'finished' if run.done else 'stopped'} at {run.iteration:,} of {run.n_epochs:,} "
               f"iterations; {run.seconds:.1f} s of training.")


def generator_download(slot, run, evaluation=None, label: str = "Generator (.keras)") -> None:
    """A download button for the generator (or its snapshot at `evaluation`). model.save() wants
    a .keras path, not a buffer; the bytes are kept per run and check-in so a rerun (a slider
    move, another download) does not save the model again."""
    import os
    import tempfile

    iteration = evaluation.iteration if evaluation is not None else run.iteration
    key = ("generator_bytes", id(run), iteration)
    cache = st.session_state.setdefault("generator_bytes", {})
    if key not in cache:
        cache.clear()  # only the latest choice is kept
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "generator.keras")
            run.save_generator(path, *([evaluation] if evaluation is not None else []))
            with open(path, "rb") as f:
                cache[key] = f.read()
    slot.download_button(label, cache[key], "generator.keras", width="stretch")


def act(page: str, run, action: str | None, draw) -> None:
    """Train as the clicked button says: Train and Resume to the end, Step one chunk."""
    if action in ("Train", "Resume"):
        train_live(page, run, draw)
    elif action == "Step":
        train_live(page, run, draw, chunks=1)


# While training, redraw at most this often. A browser renders about ten check-ins a second
# at best (less when it shares the training's cores, as on a laptop). Faster redraws pile up
# in Streamlit's send queue, and when it holds 500 messages Streamlit drops the session
# without telling the browser: the page freezes and every click, Stop included, is discarded.
# Every check-in is still kept; each redraw shows all of them.
DRAW_INTERVAL_S = 0.25


def browser_behind() -> bool:
    """Whether messages for this session still wait in the server's send queue. This reads a
    private detail of Streamlit's Starlette server (tests/test_live.py checks that it exists);
    without it the time limit alone paces the redraws."""
    try:
        from streamlit.runtime import get_instance
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        info = get_instance()._session_mgr.get_active_session_info(get_script_run_ctx().session_id)
        return info.client._send_queue.qsize() > 0
    except Exception:  # no server (AppTest, a notebook) or another Streamlit version
        return False


def train_live(page: str, run, draw, chunks: int | None = None) -> None:
    """Train chunk by chunk until done, `chunks` are done, or a newer script run of the page takes
    over (Stop, or any other click). Call draw(run) after a chunk when the last redraw is
    DRAW_INTERVAL_S old and the browser has taken it, and at the end."""
    done_chunks, last_draw, undrawn = 0, 0.0, False
    st.session_state[f"{page}_loop"] = loop = object()
    while not run.done and (chunks is None or done_chunks < chunks):
        if st.session_state.get(f"{page}_loop") is not loop:  # a newer script run took over
            break
        with run_lock(page):  # an older script run may still be finishing its chunk
            if run.done:
                break
            run.train_chunk()
        done_chunks, undrawn = done_chunks + 1, True
        if time.monotonic() - last_draw >= DRAW_INTERVAL_S and not browser_behind():
            draw(run)
            last_draw, undrawn = time.monotonic(), False
    if undrawn and st.session_state.get(f"{page}_loop") is loop:
        draw(run)


def plotted(history, max_rows: int = 500):
    """The history thinned to at most about max_rows evenly spaced check-ins (the newest always
    kept) for the charts: long runs would otherwise make every redraw slower in the browser."""
    step = -(-len(history) // max_rows)
    if step <= 1:
        return history
    return history.iloc[sorted({*range(len(history) - 1, -1, -step)})]


@functools.lru_cache(maxsize=64)
def _spec_json(name: str, *args) -> str:
    import pandas as pd

    builders = {
        "accuracy": lambda: charts.accuracy_chart(pd.DataFrame()),
        "loss": lambda: charts.loss_chart(pd.DataFrame()),
        "loss_lab": lambda: charts.loss_chart(pd.DataFrame(), columns=("d_loss",)),
        "distance": lambda: charts.distance_chart(pd.DataFrame()),
        "samples": lambda: charts.samples_chart(pd.DataFrame(), "Real (red) vs fake (blue) samples", args[0], args[1]),
        "decision": lambda: charts.decision_chart(pd.DataFrame(), args[0]),
        "batch_loss": lambda: charts.batch_loss_chart(pd.DataFrame()),
        "digit_histogram": lambda: charts.digit_histogram_chart(pd.DataFrame()),
    }
    return json.dumps(charts.spec(builders[name]()))


def chart_spec(name: str, *args, title: str | None = None) -> dict:
    """A chart's spec, built once and reused while only its data changes (a fresh copy:
    Streamlit edits the dict it is given). A new title is patched in, not rebuilt."""
    out = json.loads(_spec_json(name, *args))
    if title is not None:
        out["title"] = title
    return out


def axes_for(target, extra_points=()) -> tuple[tuple[float, float], tuple[float, float]]:
    """Fixed axes around the target's curve, with room for samples that stray."""
    import numpy as np

    curve = target.curve(400)
    width = target.high - target.low
    y_low, y_high = float(curve[:, 1].min()), float(curve[:, 1].max())
    y_pad = max((y_high - y_low) * 0.35, 0.05)
    x_dom = (round(target.low - 0.35 * width, 3), round(target.high + 0.35 * width, 3))
    y_dom = (round(y_low - y_pad, 3), round(y_high + y_pad, 3))
    for pts in extra_points:
        if len(pts):
            pts = np.asarray(pts)
            x_dom = (min(x_dom[0], round(float(pts[:, 0].min()), 3)), max(x_dom[1], round(float(pts[:, 0].max()), 3)))
            y_dom = (min(y_dom[0], round(float(pts[:, 1].min()), 3)), max(y_dom[1], round(float(pts[:, 1].max()), 3)))
    return x_dom, y_dom
