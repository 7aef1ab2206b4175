"""A number typed as text (a browser's number field cut `1e12` to 1, with no message): the field keeps
the text as typed, the value is read strictly (gan_core.settings.typed: exactly, or refused), and a
message says what is allowed in the words of the screen. The sidebar, the settings forms and the
previews draw their numbers with these."""
from __future__ import annotations

import re

import streamlit as st

from gan_core.settings.described import Setting
from gan_core.settings.typed import parse_number, show_number

from . import session
from .text import literal


def typed_input(label, key: session.Key, default, **options) -> str:
    """A text field for a number (a browser's number field cut `1e12` to 1): its text is kept as
    typed; a number put in its key (a link, a preset, a sweep's seed) is shown as text."""
    if not isinstance(value := key.setdefault(default), str):
        key.set(show_number(value))
    return st.text_input(label, **key.kept(show_number(default)), **options)


def count_input(label, key: session.Key, default: int, low: int, high: int, container=None,
                help=None) -> int | None:
    """A whole number typed as text, from low to high: the number exactly, or None with a message at
    the field saying what is allowed (a preview's field; a run's settings go through SettingsForm)."""
    with container or st.container():
        text = typed_input(label, key, default, help=help)
        try:
            value = parse_number(text, whole=True, name=label)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            st.error(literal(f"{label} must be a whole number from {low:,} to {high:,} (got {str(text).strip()})."))
            return None
        return value


def on_screen(message: str, said: str, label: str, typed=None) -> str:
    """A config message in the words of the screen: the label on screen for the one the message
    says (a page may show a setting under its own label), and the text as typed in "(got ...)"."""
    if label != said and message.startswith(said + " "):
        message = label + message[len(said):]
    if typed is not None:  # nothing typed is said so, not "(got )"
        got = f"got {str(typed).strip()}" if str(typed).strip() else "the field is empty"
        message = re.sub(r"\(got .*\)\.?$", f"({got}).", message)
    return message


def field_help(described: Setting) -> str:
    """A widget's help: what the setting does and, for a number typed as text, what is allowed."""
    allowed = described.kind in ("whole", "number") and described.low is not None
    return " ".join(filter(None, (described.help, f"Allowed: {described.allowed()}." if allowed else ""))) or None
