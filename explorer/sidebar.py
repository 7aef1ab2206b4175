"""The sidebar: the data kind, its target (a 1-D function and its domain, or a point set) and the seed,
drawn by the app's entry script on every page; then read once per script run into a `Sidebar` (the
seed parsed once), which the links and the page take from here (`current()`)."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from gan_core import BUILTIN_TARGETS, Config
from gan_core.data.images import COLORS, SIDES
from gan_core.settings.config import YourImagesConfig
from gan_core.settings.typed import parse_number

from . import experiments, session, uploads
from .fields import field_help, on_screen, typed_input
from .text import literal

DATA_KINDS = tuple(entry.kind.title for entry in experiments.ALL)  # the sidebar's choice: kinds with pages
EXPRESSION_HELP = ("Numbers, x, pi, e, + - * / ** (or ^), parentheses and sin, cos, tan, exp, log, sqrt, abs, "
                   "tanh, sinh, cosh, arctan, sign. |f(x)| must stay at most 100 on the domain.")
LABELS = {"seed": Config.label("seed"), "expr": "f(x)", "low": "domain", "high": "domain",  # the target's: its kind's chooser
          **{name: YourImagesConfig.label(name) for name in ("side", "color")}}


# ---- drawn (each kind's entry names its settings function: experiments.py) -------------------------
def data_kind_radio(on_change) -> str:
    with st.sidebar:
        st.header("Data")
        return st.radio("Real data", DATA_KINDS, **session.DATA.kept(), horizontal=True,
                        on_change=on_change)


def target_settings() -> None:
    """The sidebar's 1-D target, its domain, and the seed."""
    with st.sidebar:
        entry = chosen()
        target = st.selectbox(entry.target_label, [*BUILTIN_TARGETS, "custom"],
                              **session.TARGET.kept(), format_func=entry.labels.get)
        if target == "custom":
            st.text_input("f(x) =", **session.EXPR.kept(), help=EXPRESSION_HELP)
            sidebar_slot("expr")
            default_low, default_high = -1.0, 1.0
        else:
            expression, default_low, default_high = BUILTIN_TARGETS[target]
            st.caption(f"f(x) = `{expression}`")
        if st.checkbox("Set the domain myself", **session.OWN_DOMAIN.kept()):
            c1, c2 = st.columns(2)
            with c1:
                typed_input("low", session.LOW, default_low, help="A number, like -0.5 or -5e-1: the domain's start.")
            with c2:
                typed_input("high", session.HIGH, default_high, help="A number above low: the domain's end.")
        sidebar_slot("low")  # the domain's message (a built-in target's domain, or f(x) on it)
        seed_input()


def point_set_settings() -> None:
    """The sidebar's point set (2-D points, 1-D samples: a built-in one or an uploaded CSV) and the
    seed. A refused upload says what is allowed and keeps the rows uploaded before."""
    entry = chosen()
    kind = entry.kind
    with st.sidebar:
        name = st.selectbox(entry.target_label, list(kind.targets), **session.TARGETS[kind.name].kept(),
                            format_func=entry.labels.get)
        if name == kind.upload:
            uploads.csv_upload(entry)
        else:
            st.caption(kind.point_set(name).label)
        seed_input()


def pictures_settings() -> None:
    """The images kind's pictures (made-up shapes, or the visitor's: files, a folder or a .zip), the side and
    colour they are prepared at, and the seed. A refused upload says why at the uploader and loses nothing."""
    entry = chosen()
    described = YourImagesConfig.settings()
    with st.sidebar:
        choice = st.selectbox(entry.target_label, list(entry.labels), format_func=entry.labels.get,
                              **session.PICTURES.kept())
        left, right = st.columns(2)
        left.selectbox(described["side"].label, SIDES, **session.PICTURES_SIDE.kept(),
                       help=field_help(described["side"]))
        right.selectbox(described["color"].label, list(COLORS), format_func=COLORS.get,
                        **session.PICTURES_COLOR.kept(), help=field_help(described["color"]))
        if choice == uploads.UPLOAD:
            uploads.pictures_upload()
        else:
            st.caption(literal(f"{uploads.pictures().source}, to try the kind: upload your own any time."))
        sidebar_slot("target")  # "upload your pictures first" (forms.SettingsForm.config)
        seed_input()


def mnist_settings() -> None:
    with st.sidebar:
        st.caption("Handwritten digits, 28×28 pixels: the DCGAN paper's networks, or the MNIST tutorial's.")
        seed_input()


def seed_input() -> None:
    """The seed: typed text, read strictly (once, with the rest of the sidebar: `read`); a refused seed
    says why under the field (show_seed_message)."""
    described = Config.settings()["seed"]
    typed_input(described.label, session.SEED, 1, help=field_help(described))
    sidebar_slot("seed")


def sidebar_slot(field: str) -> None:
    """A place under a sidebar field for its message (forms.SettingsForm.config fills it)."""
    session.SLOT(field).set(st.empty())


# ---- read, once per script run ---------------------------------------------------------------------
def chosen() -> experiments.Experiments:
    """The sidebar's data kind, as the app shows it."""
    return experiments.BY_TITLE[session.DATA.get()]


def page_name(role: str) -> str:
    """A shared page's state name for the sidebar's data kind: the 1-D function's run and widgets
    ("gan") are not the other kinds' (experiments.py)."""
    return chosen().page_state(role)


@dataclass(frozen=True)
class Sidebar:
    """What the sidebar holds in this script run, read once after it is drawn (streamlit_app.py: the
    seed parsed once too) and handed to the page through `current()`: the kind's entry, the Config
    fields it sets (target, f(x), domain, seed; a refused domain as its ValueError), the seed, and the
    kind's uploaded rows."""

    entry: experiments.Experiments
    settings: dict
    seed: int  # 1 while the text typed is refused: nothing trains with it, the form says so
    seed_message: str | None  # why the seed typed is refused (None: it is not)
    points: object  # np.ndarray of the uploaded or drawn rows, or None


def read() -> Sidebar:
    """The sidebar's values now, read from its widgets' state (no widget drawn, nothing written): once
    per script run, by streamlit_app.py, after the sidebar is drawn."""
    entry = chosen()
    uploaded = session.UPLOADED(entry.prefix).get()
    seed, message = read_seed(session.SEED.get())
    return Sidebar(entry, _sidebar_settings(entry, seed), seed, message, None if uploaded is None else uploaded[1])


def read_seed(text) -> tuple[int, str | None]:
    """The seed typed, parsed once: (the seed, None), or (1, what is wrong with it in the field's words)
    while it is refused: nothing trains with it, the field says so."""
    try:
        value = parse_number(text, whole=True, name=Config.label("seed"))
    except ValueError:
        value = str(text)
    message = Config(seed=value).validate().get("seed")
    return (value, None) if message is None else (1, on_screen(message, "Seed", "Seed", text))


def _sidebar_settings(entry, seed: int) -> dict:
    """The settings the entry's sidebar sets: a set's name, or a function (f(x), its domain); and the seed."""
    if entry.chooses_set:
        return {"target": session.TARGETS[entry.kind.name].get(), "seed": seed}
    if entry.own_pictures:  # the side and colour its pictures are prepared at
        return {"side": session.PICTURES_SIDE.get(), "color": session.PICTURES_COLOR.get(), "seed": seed}
    if not entry.chooses_function:  # MNIST's: the seed alone
        return {"seed": seed}
    target = session.TARGET.get()
    out = {"target": target, "seed": seed}
    if target == "custom":
        out.update(expr=session.EXPR.get(""), low=-1.0, high=1.0)
    if session.OWN_DOMAIN.get():
        for side, default in (("low", -0.5), ("high", 0.5)):  # typed text, read strictly (a ValueError says why)
            try:
                out[side] = parse_number(session.SIDEBAR_FIELDS[side].get(default), False, f"The domain's {side}")
            except ValueError as err:
                out[side] = err
    return out


def current() -> Sidebar:
    """This script run's Sidebar (read again where the app's entry script did not run: a test's page)."""
    now = session.SIDEBAR.get()
    return now if now is not None and now.entry is chosen() else read()


def show_seed_message(now: Sidebar) -> None:
    """Why the seed typed is refused, under the sidebar's Seed (in the place seed_input left for it)."""
    place = session.SLOT("seed").pop()
    if now.seed_message is not None and place is not None:
        place.error(literal(now.seed_message))


def seed() -> int:
    """The sidebar's seed (1 while the text typed is refused: nothing trains with it, the form says so)."""
    return current().seed


def shared_settings() -> dict:
    """Config fields from the sidebar widgets (a copy: a form may take the refused ones out)."""
    return dict(current().settings)


def uploaded_points():
    """The rows of the CSV this visitor uploaded (or drew) last for the sidebar's kind (None before any)."""
    return current().points
