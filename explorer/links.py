"""Shared links: a training page keeps its settings in the address bar, and a link sets them. A
lesson link also hides controls (`?hide=loss,optimizer,pack`, as TensorFlow Playground's `*_hide`):
the page shows only what the lesson is about, says so, and shows everything again on a click."""
from __future__ import annotations

import streamlit as st

from dataclasses import dataclass

from gan_core import Config, ConfigError, kinds
from gan_core.data import sources

from . import session, stored_runs
from .experiments import (ENTRY_OF_STATE, KIND_OF_STATE, PAGE_DEFAULTS, ROLE_OF_ADDRESS, STATE_OF_ADDRESS,
                          page_defaults)
from .text import literal

SIDEBAR_FIELDS = ("target", "expr", "seed", "low", "high", "side", "color")  # drawn in the sidebar
HIDE = "hide"  # the link parameter naming the settings a lesson hides
RUN = ("run", "key")  # a GAN page's stored run in its address (explorer/stored_runs.py)


# a page's own fields that its address may set too, beside the settings: role -> field -> where it starts
# (the Settings sweep's axes, their values and its seeds per cell; its page draws them from here)
LR_RANGE = "log:0.0002:0.002:4"
NONE = "(none)"  # no second setting
PAGE_FIELDS = {"grid": {"axis1": "g_lr", "values1": LR_RANGE, "axis2": "d_lr", "values2": LR_RANGE, "seeds": "4"}}


@dataclass(frozen=True)
class Lesson:
    """A lesson link: a page of one kind opened with the settings (and page fields) that show one idea."""

    title: str
    kind: str  # gan_core.kinds' name of the kind whose page it opens
    role: str  # that page's role (experiments.ROLES)
    params: dict  # the address's query
    shows: str  # what it shows, in a sentence or two


LESSONS = (
    Lesson("Are GANs created equal? Four losses × 8 seeds on the ring", "points", "grid",
           {"target": "ring8", "axis1": "loss", "values1": "bce,lsgan,wgan-gp,hinge", "axis2": NONE, "seeds": "8"},
           "Lucic et al. (2018, *Are GANs Created Equal?*) trained many losses over many seeds and found most "
           "reach similar scores given tuning: the spread between seeds of one loss is as wide as the gaps "
           "between losses. Train it: each loss's cell is its share of 8 seeds that captured all 8 modes, and "
           "its seeds' curves show how far one seed can be from the next."),
)

# a name a lesson may hide that stands for the settings drawn with it: the optimizer is the choice, the
# generator's own and Adam's beta_1 (hide=optimizer left beta_1 and the generator's optimizer on the page)
HIDE_GROUPS = {"optimizer": ("optimizer", "g_optimizer", "beta_1")}
NAMES_SHOWN = 8  # a wrong hide list's names quoted in its note, whole, before "and N more"


def hidden(name: str) -> tuple[str, ...]:
    """The settings a lesson link hides on the page state `name` (none without one), its groups' included."""
    return tuple(dict.fromkeys(s for n in session.HIDE(name).get() for s in HIDE_GROUPS.get(n, (n,))))


def _hide_list(text: str, config_class, notes: list) -> tuple[str, ...]:
    """The names a hide list gives that this page can hide, as the link spells them (the address keeps
    them so); the others are dropped and said, by their names in the link and what may be named."""
    names = [part.strip() for part in text.split(",") if part.strip()]
    settings = config_class.settings()
    known = [n for n in names if n in settings and n not in SIDEBAR_FIELDS]
    if bad := [n for n in names if n not in known]:
        shown = ", ".join(bad[:NAMES_SHOWN]) + (f" and {len(bad) - NAMES_SHOWN} more" if len(bad) > NAMES_SHOWN
                                                else "")
        allowed = ", ".join(n for n in settings if n not in SIDEBAR_FIELDS)
        notes.append(f"This link's hide list named what this page cannot hide, ignored: {shown}. A hide list "
                     f"names the settings as the link's other parameters do: {allowed}.")
    return tuple(dict.fromkeys(known))


def settings_from_url(url_path: str) -> None:
    """Put the settings of a shared link (?n_epochs=...&g_hidden=32,16) into the widgets, once
    per visit, before any widget is drawn. Unknown parameters are ignored and named; a bad
    value changes nothing and says why."""
    if session.URL_LOADED.get():  # only the address the visit opened with counts
        return
    session.URL_LOADED.set(True)
    name = STATE_OF_ADDRESS.get(url_path)
    if not name or not st.query_params:
        return
    params = st.query_params.to_dict()
    for name_of_run in RUN:  # a stored run's address (explorer/stored_runs.py), not settings
        params.pop(name_of_run, None)
    if not params:
        return
    notes = []
    config_class = KIND_OF_STATE[name].settings
    role = ROLE_OF_ADDRESS[url_path]
    if own := {f: params.pop(f) for f in PAGE_FIELDS.get(role, {}) if f in params}:
        page_fields(ENTRY_OF_STATE[name].page_state(role), role, own, notes)
    if not params:
        session.URL_NOTES.set(notes)
        return
    if HIDE in params:
        session.HIDE(name).set(_hide_list(params.pop(HIDE), config_class, notes))
    if unknown := config_class.unknown_settings(params):
        notes.append(f"This link's unknown settings were ignored: {', '.join(unknown)}.")
    try:
        # a link's settings are what differs from its target's defaults (the page's, by default)
        start = baseline(name, params.get("target"))
        config = config_class.from_dict({**start, **params}, ignore_unknown=True).checked()
    except (ConfigError, ValueError) as err:
        notes.append(f"The settings in this link were not used: {err}")
        session.URL_NOTES.set(notes)
        return
    entry = ENTRY_OF_STATE[name]
    if (kind := kinds.of_settings(config)) is not entry.kind:
        notes.append(f"The settings in this link were not used: its target is {kind.title}, not this page's "
                     f"{entry.kind.title}.")
        session.URL_NOTES.set(notes)
        return
    if entry.presets:  # the link's values stand: no preset resets them (forms.image_form)
        session.FIELD(name, "preset_applied").set("link")
    session.URL_NOTES.set(notes)
    for field, value in config.to_query_params(start).items():
        if field == "target" and entry.chooses_set:  # the set's own widget (the function's is a sidebar field)
            session.TARGETS[entry.kind.name].set(value)
        elif field in SIDEBAR_FIELDS:
            session.SIDEBAR_FIELDS[field].set(int(value) if field in ("seed", "side") else (
                float(value) if field in ("low", "high") else value))
            session.OWN_DOMAIN.set(session.OWN_DOMAIN.get(None) or field in ("low", "high"))
        else:
            current = getattr(config, field)
            session.FIELD(name, field).set(value if isinstance(current, (tuple, str)) else current)


def page_fields(state: str, role: str, fields: dict, notes: list) -> None:
    """A page's own fields from its address (the Settings sweep's axes and seeds), put in its widgets; a
    setting the grid cannot vary is ignored and said (the page checks values and seeds at their fields)."""
    from gan_core.training.grid import settings as grid_settings

    for field, value in fields.items():
        if field.startswith("axis") and value not in grid_settings() and not (field == "axis2" and value == NONE):
            notes.append(f"This link's {field} was ignored: a grid varies one of {', '.join(grid_settings())} "
                         f"(got {value!r}).")
            continue
        session.FIELD(state, field).set(value)


def own_fields(state: str, role: str) -> dict:
    """A page's own fields as its widgets hold them, where they differ from where they start."""
    return {f: str(v) for f, start in PAGE_FIELDS.get(role, {}).items()
            if (v := session.FIELD(state, f).get(start)) is not None and str(v) != start}


def show_link_notes() -> None:
    for note in session.URL_NOTES.pop():
        st.warning(literal(note))


def _show_all(name: str) -> None:
    session.HIDE(name).pop()


def hidden_note(name: str, labels: dict) -> None:
    """A lesson link's note: which settings it hides (by their labels) and a button to show them."""
    if names := hidden(name):
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.info(literal(f"This lesson link hides {len(names)} setting{'s' * (len(names) > 1)}: "
                          f"{', '.join(labels.get(n, n) for n in names)}; they stay at the link's values."),
                  icon=":material/school:")
        right.button("Show all settings", key=session.BUTTON(name, "show_all").name, on_click=_show_all, args=(name,))


def baseline(name: str, target) -> dict:
    """What a page's address leaves out: where its widgets start for `target` (its own defaults, on a GAN
    page), less the target itself unless it is the page's own."""
    own = ENTRY_OF_STATE[name].default_target if ENTRY_OF_STATE[name].chooses_target else None
    start = page_defaults(name, target if target in sources.TARGETS else None)
    return {**start, "target": own} if own is not None else start


def share_settings(config: Config, name: str) -> None:
    """Keep the address bar in step with the settings (and a lesson's hide list), so the link
    reproduces this run."""
    params = config.to_query_params(baseline(name, getattr(config, "target", None)))
    if names := session.HIDE(name).get():  # as the link named them
        params[HIDE] = ",".join(names)
    here = session.ADDRESS_NOW.get()  # the page shown (a sweep's settings are its GAN page's)
    if (role := ROLE_OF_ADDRESS.get(here)) in PAGE_FIELDS:  # its own fields too (a lesson's axes and seeds)
        params.update(own_fields(ENTRY_OF_STATE[name].page_state(role), role))
    if ROLE_OF_ADDRESS.get(here) == "gan":  # its stored run: ?run=<id>, and &key= for its owner (never a sweep's)
        params.update(stored_runs.address(name))
    session.ADDRESSES.setdefault()[here] = params  # the links to this page carry it
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def link_params(url_path: str, sidebar) -> dict:
    """The query a link to a page carries: the address that page will write (the one it wrote last,
    with the settings of `sidebar`, a sidebar.Sidebar, where it is the page's kind). A page that writes a
    new query as it opens races with Streamlit's own page switch in the browser: the address bar
    showed the page left, with the new page's query."""
    name = STATE_OF_ADDRESS.get(url_path)
    if name is None:
        return {}
    last = {f: v for f, v in session.ADDRESSES.get().get(url_path, {}).items() if f not in RUN}
    # a GAN page's run as it is now: Train gives a new run its id after the page wrote its address
    run = stored_runs.address(name) if ROLE_OF_ADDRESS.get(url_path) == "gan" else {}
    if KIND_OF_STATE[name] is not sidebar.entry.kind:
        return {**last, **run}
    config_class = KIND_OF_STATE[name].settings
    shared = {field: value for field, value in sidebar.settings.items()
              if field in config_class.settings() and not isinstance(value, ValueError)}
    try:
        start = baseline(name, shared.get("target"))
        now = config_class(**{**start, **shared}).to_query_params(start)
    except (TypeError, ValueError):
        now = {}
    return {**{f: v for f, v in last.items() if f not in SIDEBAR_FIELDS}, **now, **run}
