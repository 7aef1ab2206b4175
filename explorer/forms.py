"""Settings: the sidebar's data and target, and each page's validated settings form. Every
message is shown where its widget is, literally (a user's text is never read as Markdown)."""
from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, replace

import streamlit as st

from gan_core import BUILTIN_TARGETS, Config, kinds
from gan_core.data.points import MAX_BYTES as CSV_MAX_BYTES
from gan_core.data.points import PointsError
from gan_core.networks.losses import LOSSES
from gan_core.settings.config import ImageConfig
from gan_core.settings.described import Setting, parse_widths
from gan_core.settings.typed import parse_number, show_number

from . import experiments, links
from .state import kept
from .text import literal

DATA_KINDS = tuple(kind.title for kind in kinds.KINDS.values())  # the sidebar's choice
EXPRESSION_HELP = ("Numbers, x, pi, e, + - * / ** (or ^), parentheses and sin, cos, tan, exp, log, sqrt, abs, "
                   "tanh, sinh, cosh, arctan, sign. |f(x)| must stay at most 100 on the domain.")
MNIST_PRESETS = {"digits within a minute (DCGAN, the default)": ImageConfig(),
                 "the tutorial's networks (slow on a CPU)": ImageConfig.tutorial()}
SIDEBAR_LABELS = {"seed": "Seed", "expr": "f(x)", "low": "domain", "high": "domain", "target": "Point set"}


def data_kind_radio(on_change) -> str:
    with st.sidebar:
        st.header("Data")
        return st.radio("Real data", DATA_KINDS, **kept("w_data", DATA_KINDS[0]), horizontal=True,
                        on_change=on_change)


def target_settings() -> None:
    """The sidebar's 1-D target, its domain, and the seed."""
    with st.sidebar:
        target = st.selectbox("Target function y = f(x)", [*BUILTIN_TARGETS, "custom"],
                              **kept("w_target", "x^2"), format_func=chosen().labels.get)
        if target == "custom":
            st.text_input("f(x) =", **kept("w_expr", "0.3*sin(6*x) + x**2"), help=EXPRESSION_HELP)
            sidebar_slot("expr")
            default_low, default_high = -1.0, 1.0
        else:
            expression, default_low, default_high = BUILTIN_TARGETS[target]
            st.caption(f"f(x) = `{expression}`")
        if st.checkbox("Set the domain myself", **kept("w_own_domain", False)):
            c1, c2 = st.columns(2)
            with c1:
                typed_input("low", "w_low", default_low, help="A number, like -0.5 or -5e-1: the domain's start.")
            with c2:
                typed_input("high", "w_high", default_high, help="A number above low: the domain's end.")
        sidebar_slot("low")  # the domain's message (a built-in target's domain, or f(x) on it)
        seed_input()


def sidebar_slot(field: str) -> None:
    """A place under a sidebar field for its message (SettingsForm.config fills it)."""
    st.session_state[f"slot_{field}"] = st.empty()


def chosen() -> experiments.Experiments:
    """The sidebar's data kind, as the app shows it."""
    return experiments.BY_TITLE[st.session_state.get("w_data", DATA_KINDS[0])]


def page_name(role: str) -> str:
    """A shared page's state name for the sidebar's data kind: the 1-D function's run and widgets
    ("gan") are not the other kinds' (experiments.py)."""
    return chosen().page_state(role)


def page_defaults(name: str) -> Config:
    """The settings a page's widgets start from (Config's, with the page's own changes)."""
    return Config(**links.PAGE_DEFAULTS.get(name, {}))


def point_set_settings() -> None:
    """The sidebar's point set (2-D points, 1-D samples: a built-in one or an uploaded CSV) and the
    seed. A refused upload says what is allowed and keeps the rows uploaded before."""
    entry = chosen()
    kind, key, what = entry.kind, entry.upload_key, rows_word(entry.kind)
    with st.sidebar:
        name = st.selectbox("Point set" if what == "points" else "Distribution of x", list(kind.targets),
                            **kept(entry.target_key, entry.default_target), format_func=entry.labels.get)
        if name == kind.upload:
            upload = st.file_uploader(f"Your {what}: a CSV of {', '.join(kind.columns)}", type=["csv", "txt"],
                                      key=key("file"), help=kind.upload_rules,
                                      max_upload_size=CSV_MAX_BYTES // 2**20)  # it says "8MB", not the app's 50
            if upload is not None and st.session_state.get(key("file_id")) != (upload.name, upload.size):
                st.session_state[key("file_id")] = (upload.name, upload.size)  # read each file once
                try:
                    st.session_state[key("uploaded")] = (upload.name, kind.read_upload(upload.getvalue()))
                    st.session_state.pop(key("error"), None)
                except PointsError as err:
                    st.session_state[key("error")] = f"{upload.name} was not used: {err}"
            if message := st.session_state.get(key("error")):
                st.error(literal(message))
            if uploaded := st.session_state.get(key("uploaded")):
                st.caption(literal(f"Using {uploaded[0]}: {len(uploaded[1]):,} {what}."))
        else:
            st.caption(kind.point_set(name).label)
        seed_input()


def rows_word(kind) -> str:
    """What a kind's uploaded rows are: "points" (x, y) or "numbers" (x)."""
    return "numbers" if kind.columns == ("x",) else "points"


def uploaded_points():
    """The rows of the CSV this visitor uploaded (or drew) last for the sidebar's kind (None before any)."""
    return sidebar().points


@dataclass(frozen=True)
class Sidebar:
    """What the sidebar holds in this script run, read once after it is drawn (streamlit_app.py) and
    handed to the page through `sidebar()`: the kind's entry, the Config fields it sets (target,
    f(x), domain, seed; a refused domain as its ValueError), the seed, and the kind's uploaded rows."""

    entry: experiments.Experiments
    settings: dict
    seed: int  # 1 while the text typed is refused: nothing trains with it, the form says so
    seed_message: str | None  # why the seed typed is refused (None: it is not)
    points: object  # np.ndarray of the uploaded or drawn rows, or None


def read_sidebar() -> Sidebar:
    """The sidebar's values now, read from its widgets' state (no widget drawn, nothing written)."""
    entry = chosen()
    uploaded = st.session_state.get(entry.upload_key("uploaded"))
    text = st.session_state.get("w_seed", 1)
    return Sidebar(entry, _sidebar_settings(entry), _seed(), seed_error(text), None if uploaded is None else uploaded[1])


def sidebar() -> Sidebar:
    """This script run's Sidebar (read again where the app's entry script did not run: a test's page)."""
    current = st.session_state.get("sidebar_now")
    return current if current is not None and current.entry is chosen() else read_sidebar()


def mnist_settings() -> None:
    with st.sidebar:
        st.caption("Handwritten digits, 28×28 pixels: the DCGAN paper's networks, or the MNIST tutorial's.")
        seed_input()


def seed_input() -> None:
    """The seed: typed text, read strictly; a refused seed says why under the field."""
    described = Config.settings()["seed"]
    text = typed_input(described.label, "w_seed", 1, help=field_help(described))
    if (message := seed_error(text)) is not None:
        st.error(literal(message))


def seed_error(text) -> str | None:
    """What is wrong with the seed typed, in the field's words (None: nothing)."""
    try:
        value = parse_number(text, whole=True, name=Config.label("seed"))
    except ValueError:
        value = str(text)
    message = Config(seed=value).validate().get("seed")
    return None if message is None else on_screen(message, "Seed", "Seed", text)


def seed() -> int:
    """The sidebar's seed (1 while the text typed is refused: nothing trains with it, the form says so)."""
    return sidebar().seed


def _seed() -> int:
    text = st.session_state.get("w_seed", 1)
    return 1 if seed_error(text) else parse_number(text, whole=True)


def typed_input(label, key, default, **options) -> str:
    """A text field for a number (a browser's number field cut `1e12` to 1): its text is kept as
    typed; a number put in session_state (a link, a preset, a sweep's seed) is shown as text."""
    st.session_state.setdefault(key, default)
    if not isinstance(st.session_state[key], str):
        st.session_state[key] = show_number(st.session_state[key])
    return st.text_input(label, **kept(key, show_number(default)), **options)


def count_input(label, key, default: int, low: int, high: int, container=None, help=None) -> int | None:
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
    if typed is not None:
        message = re.sub(r"\(got .*\)\.?$", f"(got {str(typed).strip()}).", message)
    return message


def field_help(described: Setting) -> str:
    """A widget's help: what the setting does and, for a number typed as text, what is allowed."""
    allowed = described.kind in ("whole", "number") and described.low is not None
    return " ".join(filter(None, (described.help, f"Allowed: {described.allowed()}." if allowed else ""))) or None


def shared_settings() -> dict:
    """Config fields from the sidebar widgets (a copy: a form may take the refused ones out)."""
    return dict(sidebar().settings)


def _sidebar_settings(entry) -> dict:
    s = st.session_state
    if entry.kind.point_set:
        return {"target": s.get(entry.target_key, entry.default_target), "seed": _seed()}
    target = s.get("w_target", "x^2")
    out = {"target": target, "seed": _seed()}
    if target == "custom":
        out.update(expr=s.get("w_expr", ""), low=-1.0, high=1.0)
    if s.get("w_own_domain"):
        for side, default in (("low", -0.5), ("high", 0.5)):  # typed text, read strictly (a ValueError says why)
            try:
                out[side] = parse_number(s.get(f"w_{side}", default), False, f"The domain's {side}")
            except ValueError as err:
                out[side] = err
    return out


def settings_panel(page, label: str = "More settings"):
    """The rest of a page's settings, one click away (the main ones stand in a row above it):
    collapsed until the visitor opens it, and open whenever a field in it holds an error."""
    return st.expander(label, expanded=bool(st.session_state.get(f"{page.name}_panel_errors")))


def main_row(count: int = 4):
    """The main settings' row: the fields a newcomer changes first, above the Train button."""
    return st.columns(count, vertical_alignment="bottom")


class SettingsForm:
    """A page's settings: the page names the fields it shows and where; each widget is drawn from
    the setting's description (gan_core/settings/config.py: label, help, range or choices) and starts at
    `defaults` (the page's). Each gets a slot under it for its message."""

    def __init__(self, page, config_class=Config, defaults=None):
        self.page, self.config_class = page, config_class
        self.defaults = config_class() if defaults is None else defaults
        self.described = config_class.settings()
        self.values, self.slots, self.errors, self.labels, self.typed = {}, {}, {}, {}, {}
        self.in_panel, self.panel_fields, self.under_heading = False, set(), False
        self.hidden = links.hidden(page.name)  # a lesson link's: not drawn, kept at the link's values
        links.hidden_note(page.name, {n: d.label for n, d in self.described.items()})

    @contextlib.contextmanager
    def panel(self, label: str = "More settings"):
        """Fields drawn inside are in the collapsed settings panel (forms.settings_panel)."""
        with settings_panel(self.page, label):
            self.in_panel = True
            try:
                yield
            finally:
                self.in_panel = False

    @contextlib.contextmanager
    def heading(self, title: str):
        """A column of one network's fields under its name: their short labels ("hidden units")."""
        st.markdown(f"**{title}**")
        self.under_heading = True
        try:
            yield
        finally:
            self.under_heading = False

    def fields(self, *names: str) -> None:
        for name in names:
            self.field(name)

    def field(self, name: str, label: str | None = None) -> None:
        """The setting's widget: a number typed as text and read strictly (gan_core.settings.typed: the value
        exactly, or a message at the field with what is allowed), layer widths, or a choice. `label`:
        a page's own name for it, where the setting means something narrower there."""
        described = self.described[name]
        self.labels[name] = label or described.label  # its messages and "Fix ..." name it so
        shown = label or (described.short if self.under_heading and described.short else described.label)
        default, key = getattr(self.defaults, name), self.page.key(name)
        if name in self.hidden:  # the lesson's value: the link put it where the widget would keep it
            value = st.session_state.get(key, default)
            try:
                if isinstance(value, str) and described.kind == "widths":
                    value = parse_widths(value)
                elif isinstance(value, str) and described.kind in ("whole", "number"):
                    value = parse_number(value, described.kind == "whole", shown)
                self.values[name] = value
            except ValueError as err:
                self.errors[name] = str(err)
            return
        if described.kind in ("whole", "number"):
            text = typed_input(shown, key, default, help=field_help(described))
            self.typed[name] = text
            try:
                self.values[name] = parse_number(text, described.kind == "whole", shown)
            except ValueError as err:
                self.values[name] = str(text)  # refused by validate() with the field's range
                self.errors[name] = str(err)
        elif described.kind == "widths":
            text = st.text_input(shown, **kept(key, ",".join(map(str, default))), help=field_help(described))
            try:
                self.values[name] = parse_widths(text)
            except ValueError as err:
                self.errors[name] = str(err)
        elif described.kind == "choice":
            self.values[name] = st.selectbox(shown, list(described.choices), help=field_help(described),
                                             format_func=described.choices.get, **kept(key, default))
        else:
            raise ValueError(f"{name} is a {described.kind} setting: the sidebar draws it")
        self.slots[name] = st.empty()
        if self.in_panel:
            self.panel_fields.add(name)

    def config(self):
        """The validated config, or None with each message shown at its widget (the address bar is
        the page's to keep: `shared`)."""
        shared = shared_settings() if self.config_class is Config else {"seed": seed()}
        refused = [shared.pop(side) for side in ("low", "high") if isinstance(shared.get(side), ValueError)]
        unread = {"low": " ".join(map(str, refused))} if refused else {}  # the sidebar's domain, typed and refused
        # fields a page does not draw stay at its defaults (the lab's generator: the kind's); MNIST's at
        # the class's, not the preset's (the lab counts iterations whatever the preset's eval_unit)
        base = self.defaults if self.config_class is Config else self.config_class()
        config = replace(base, **{**shared, **self.values})
        errors = {**config.validate(), **unread}  # a refused text's message is validate()'s: it says the range
        errors = {**{f: m for f, m in self.errors.items() if f not in errors}, **errors}
        errors = {f: on_screen(m, self.described[f].label, self.labels.get(f, self.described[f].label),
                               self.typed.get(f)) for f, m in errors.items()}
        if sidebar().seed_message:
            errors["seed"] = None  # shown under the sidebar's Seed
        kind = chosen().kind
        if kind.upload and getattr(config, "target", None) == kind.upload and uploaded_points() is None:
            errors["target"] = f"Upload your {rows_word(kind)} in the sidebar first: {kind.upload_rules}."
        for field, message in errors.items():
            if message is not None:
                slot = self.slots.get(field) or st.session_state.pop(f"slot_{field}", None)
                (slot.error if slot else st.sidebar.error)(literal(message))
        # where the messages are, for the main area's "nothing was started" (explorer/controls.py)
        st.session_state[f"{self.page.name}_panel_errors"] = bool(errors.keys() & self.panel_fields)
        here = list(dict.fromkeys(self.labels[f] + (" in More settings" if f in self.panel_fields else "")
                                  for f in errors if f in self.labels))
        in_sidebar = list(dict.fromkeys(SIDEBAR_LABELS.get(f, f) for f in errors if f not in self.labels))
        st.session_state["settings_errors_at"] = (
            ([f"{', '.join(here)} (marked in red above)"] if here else [])
            + ([f"{', '.join(in_sidebar)} in the sidebar"] if in_sidebar else []))
        return None if errors else config


def shared(page, config):
    """`config`, with the address bar kept in step with it on a page with shared links (so that the
    link reproduces the run)."""
    if config is not None and page.name in links.PAGE_DEFAULTS:
        links.share_settings(config, page.name)
    return config


def gan_form(page, defaults: Config, label: str = "More settings: networks, learning rates, optimizer",
             row: bool = True) -> Config | None:
    """The GAN page's settings (the sweep pages draw the same widgets: the same settings): the loop's in
    a row, the networks, learning rates and the rest in the panel below it (`row` False: the loop's in
    the panel too, where the page's own fields stand in the row above its Train)."""
    form = SettingsForm(page, Config, defaults)

    def loop():
        for column, name in zip(main_row(), ("n_epochs", "n_batch", "n_eval", "loss")):
            with column:
                form.field(name)

    if row:
        loop()
    with form.panel(label):
        if not row:
            loop()
        c1, c2, c3, c4 = st.columns(4)
        with c1, form.heading("Generator"):
            form.fields("latent_dim", "g_hidden", "g_activation", "g_lr", "latent")
        with c2, form.heading("Discriminator"):
            form.fields("d_hidden", "d_activation", "d_lr", "update", "pack")
        with c3, form.heading("Training"):
            form.field("n_eval_samples")
            if LOSSES[st.session_state.get(page.key("loss"), defaults.loss)].critic:
                form.fields("n_critic", "gp_weight")  # a critic's steps are n_critic, not d_steps
            else:
                form.field("d_steps")
            form.field("g_steps")
        with c4, form.heading("Optimizer"):
            form.fields("optimizer", "g_optimizer")
            if "adam" in {st.session_state.get(page.key(name), getattr(defaults, name))
                          for name in ("optimizer", "g_optimizer")}:
                form.field("beta_1")
    return shared(page, form.config())


def image_form(page, discriminator_only: bool = False) -> ImageConfig | None:
    """The MNIST settings, starting from a preset."""
    names = list(MNIST_PRESETS)
    c0, c1, c3 = main_row(3)  # three: the row fits a phone's first screen too
    preset_name = c0.selectbox("Start from", names, **kept(page.key("preset"), names[0]),
                               help="The tutorial's full model needs about 1.3 s per batch of 256 on a 2-core CPU.")
    if st.session_state.get(page.key("preset_applied")) == "link":  # a shared link's settings stand
        st.session_state[page.key("preset_applied")] = preset_name
    elif st.session_state.get(page.key("preset_applied")) != preset_name:  # a new preset resets the fields
        st.session_state[page.key("preset_applied")] = preset_name
        for field, value in vars(MNIST_PRESETS[preset_name]).items():
            st.session_state[page.key(field)] = value
    form = SettingsForm(page, ImageConfig, MNIST_PRESETS[preset_name])
    with c1:  # the lab counts iterations (it has no eval_unit)
        form.field("n_epochs", "iterations (batches)" if discriminator_only else None)
    with c3:
        form.field("n_eval")
    with form.panel("More settings: networks, learning rates" + ("" if discriminator_only else ", pixels")):
        c1, c2, c3 = st.columns(3)
        with c1:
            form.fields("networks", *(() if discriminator_only else ("latent_dim", "g_filters")), "d_filters")
        with c2:
            form.fields(*(() if discriminator_only else ("g_lr",)), "d_lr", "beta_1")
            if not discriminator_only:
                form.field("scale")
        with c3:
            form.fields("n_batch", *(() if discriminator_only else ("eval_unit",)))
    return shared(page, form.config())
