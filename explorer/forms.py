"""Each page's validated settings form: the fields a page names, drawn from their settings'
descriptions (gan_core/settings/config.py), with the sidebar's settings joined in (explorer/sidebar.py);
the GAN pages' form and MNIST's. Every message is shown where its widget is, literally (a user's text
is never read as Markdown)."""
from __future__ import annotations

import contextlib
from dataclasses import replace

import streamlit as st

from gan_core import Config
from gan_core.networks.losses import LOSSES
from gan_core.data import sources
from gan_core.data.images import RULES
from gan_core.settings.config import AUGMENT_ON, STABILIZERS, ImageConfig, YourImagesConfig
from gan_core.settings.described import parse_widths
from gan_core.settings.typed import parse_number

from . import experiments, links, session, sidebar, uploads
from .fields import field_help, on_screen, typed_input
from .text import literal

MNIST_PRESETS = {"digits within a minute (DCGAN, the default)": ImageConfig(),
                 "the tutorial's networks (slow on a CPU)": ImageConfig.tutorial()}


def page_defaults(name: str) -> Config:
    """The settings a page's widgets start from: Config's, with the page's own changes and, on a GAN page,
    the sidebar's target's own defaults (experiments.page_defaults)."""
    if name not in links.PAGE_DEFAULTS:
        return Config()
    target = sidebar.shared_settings().get("target")
    return Config(**experiments.page_defaults(name, target if target in sources.TARGETS else None))


def _reads(described, value):
    """A widget's value as the setting's value (None where it does not read as one)."""
    try:
        if described.kind in ("whole", "number"):
            return parse_number(value, described.kind == "whole", described.label) if isinstance(value, str) else value
        if described.kind == "widths":
            return parse_widths(value) if isinstance(value, str) else tuple(value)
    except (TypeError, ValueError):
        return None
    return value


def follow_target(page, defaults: Config) -> None:
    """A switch of the sidebar's target fills the form with the new target's defaults (gan_core/settings/
    defaults.py): a field still at the old target's default moves to the new one's; a value the visitor
    changed stays as typed. Either is said once, above the form (never silently)."""
    key = session.FORM_TARGET(page.name)
    before, key_note = key.get(), session.TARGET_NOTE(page.name)
    key.set(defaults.target)
    if before is None or before == defaults.target:
        key_note.pop()  # said once
        return
    old = Config(**experiments.page_defaults(page.name, before if before in sources.TARGETS else None))
    moved, kept = [], []
    for name, described in Config.settings().items():
        was, now = getattr(old, name), getattr(defaults, name)
        if name in links.SIDEBAR_FIELDS or was == now:
            continue
        widget = page.widget(name)
        if widget.present() and _reads(described, widget.get()) != was:  # the visitor's own value: it stays
            kept.append(f"{described.label} {widget.get()}")
            continue
        if widget.present():
            widget.set(",".join(map(str, now)) if described.kind == "widths" else now)
        moved.append(f"{described.label} {show_value(now)}")
    words = [f"{defaults.target}'s own defaults filled in: {', '.join(moved)}." if moved else "",
             f"Your own values stay: {', '.join(kept)}." if kept else ""]
    key_note.set(" ".join(w for w in words if w))


def target_note(page) -> None:
    """What the latest target switch did to the form, in its run."""
    if note := session.TARGET_NOTE(page.name).get():
        st.info(literal(note), icon=":material/tune:")


def show_value(value) -> str:
    return ",".join(map(str, value)) if isinstance(value, tuple) else f"{value:g}" if isinstance(value, float) else (
        f"{value:,}" if isinstance(value, int) else str(value))


def settings_panel(page, label: str = "More settings"):
    """The rest of a page's settings, one click away (the main ones stand in a row above it):
    collapsed until the visitor opens it, and open whenever a field in it holds an error."""
    return st.expander(label, expanded=session.PANEL_ERRORS(page.name).get())


def main_row(count: int = 4):
    """The main settings' row: the fields a newcomer changes first, above the Train button. A row that
    wraps (two to a line on a phone), not columns: a phone stacks columns one under another, and the
    four fields pushed Train off its first screen."""
    row = st.container(horizontal=True, gap="small", vertical_alignment="bottom")
    return [row.container(width="stretch") for _ in range(count)]


class SettingsForm:
    """A page's settings: the page names the fields it shows and where; each widget is drawn from
    the setting's description (gan_core/settings/config.py: label, help, range or choices) and starts at
    `defaults` (the page's); the fields a page does not draw stay at `base` (its defaults unless given).
    Each gets a slot under it for its message."""

    def __init__(self, page, config_class=Config, defaults=None, base=None):
        self.page, self.config_class = page, config_class
        self.defaults = config_class() if defaults is None else defaults
        self.base = self.defaults if base is None else base
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
        default, key = getattr(self.defaults, name), self.page.widget(name)
        if name in self.hidden:  # the lesson's value: the link put it where the widget would keep it
            value = key.get(default)
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
            text = st.text_input(shown, **key.kept(",".join(map(str, default))), help=field_help(described))
            self.typed[name] = text  # its messages quote it as typed ("got 0", not "got (0,)")
            try:
                self.values[name] = parse_widths(text)
            except ValueError:  # said at the field, by its label, with what is allowed
                self.errors[name] = f"{described.label} must be {described.allowed()} (got {text})."
        elif described.kind == "choice":
            self.values[name] = st.selectbox(shown, list(described.choices), help=field_help(described),
                                             format_func=described.choices.get, **key.kept(default))
        else:
            raise ValueError(f"{name} is a {described.kind} setting: the sidebar draws it")
        self.slots[name] = st.empty()
        if self.in_panel:
            self.panel_fields.add(name)

    def config(self):
        """The validated config, or None with each message shown at its widget (the address bar is
        the page's to keep: `shared`)."""
        shared = sidebar.shared_settings()  # the sidebar's settings for its kind (MNIST's: the seed)
        refused = [shared.pop(side) for side in ("low", "high") if isinstance(shared.get(side), ValueError)]
        unread = {"low": " ".join(map(str, refused))} if refused else {}  # the sidebar's domain, typed and refused
        # fields a page does not draw stay at its base (the lab's generator: the kind's)
        config = replace(self.base, **{**shared, **self.values})
        errors = {**config.validate(), **unread}  # a refused text's message is validate()'s: it says the range
        errors = {**{f: m for f, m in self.errors.items() if f not in errors}, **errors}
        errors = {f: on_screen(m, self.described[f].label, self.labels.get(f, self.described[f].label),
                               self.typed.get(f)) for f, m in errors.items()}
        if sidebar.current().seed_message:
            errors["seed"] = None  # shown under the sidebar's Seed
        entry = sidebar.chosen()
        if entry.kind.upload and config.target == entry.kind.upload and sidebar.uploaded_points() is None:
            errors["target"] = f"Upload your {entry.rows} in the sidebar first: {entry.kind.upload_rules}."
        if entry.own_pictures and uploads.pictures() is None:
            errors["target"] = f"Upload your pictures in the sidebar first: {RULES}."
        for field, message in errors.items():
            if message is not None:
                slot = self.slots.get(field) or session.SLOT(field).pop()
                (slot.error if slot else st.sidebar.error)(literal(message))
        # where the messages are, for the main area's "nothing was started" (explorer/controls.py)
        session.PANEL_ERRORS(self.page.name).set(bool(errors.keys() & self.panel_fields))
        here = list(dict.fromkeys(self.labels[f] + (" in More settings" if f in self.panel_fields else "")
                                  for f in errors if f in self.labels))
        labels = {**sidebar.LABELS, "target": entry.target_label}  # "Distribution of x" on 1-D samples
        in_sidebar = list(dict.fromkeys(labels.get(f, f) for f in errors if f not in self.labels))
        session.SIDEBAR_ERRORS_AT.set(in_sidebar)  # said beside Train too: a phone's sidebar is closed
        session.SETTINGS_ERRORS_AT.set(
            ([f"{', '.join(here)} (marked in red above)"] if here else [])
            + ([f"{', '.join(in_sidebar)} in the sidebar"] if in_sidebar else []))
        return None if errors else config


def shared(page, config):
    """`config`, with the address bar kept in step with it on a page with shared links (so that the
    link reproduces the run)."""
    if config is not None and page.name in links.PAGE_DEFAULTS:
        links.share_settings(config, page.name)
    return config


def stabilizer_fields(form: SettingsForm) -> None:
    """The stabilizers (R1, instance noise, the generator's moving average), a row under their heading:
    every kind's GAN form has them, each off at 0."""
    st.markdown("**Stabilizers** (0: off)")
    for column, name in zip(st.columns(len(STABILIZERS)), STABILIZERS):
        with column:
            form.field(name)


GENERATORS = {"ema": "EMA generator (what the check-ins judge)", "raw": "raw generator (as trained)"}


def trained_generator(key: session.Key, run):
    """A trained run's generator for a preview: with the ema setting on, the visitor picks its moving
    average (the default: what the run's check-ins judged) or the raw generator (`key`: the page's widget
    for the choice); else the one there is."""
    if getattr(run, "ema_generator", None) is None:
        return run.generator
    which = st.radio("Which generator", list(GENERATORS), format_func=GENERATORS.get, horizontal=True,
                     help="The run keeps a moving average of its generator's weights (generator EMA decay): "
                          "compare it with the generator as trained.", **key.kept("ema"))
    return run.ema_generator if which == "ema" else run.generator


def gan_form(page, defaults: Config, label: str = "More settings: networks, learning rates, optimizer",
             row: bool = True) -> Config | None:
    """The GAN page's settings (the sweep pages draw the same widgets: the same settings): the loop's in
    a row, the networks, learning rates and the rest in the panel below it (`row` False: the loop's in
    the panel too, where the page's own fields stand in the row above its Train)."""
    follow_target(page, defaults)
    target_note(page)
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
            if LOSSES[page.widget("loss").get(defaults.loss)].critic:
                form.fields("n_critic", "gp_weight")  # a critic's steps are n_critic, not d_steps
            else:
                form.field("d_steps")
            form.field("g_steps")
        with c4, form.heading("Optimizer"):
            form.fields("optimizer", "g_optimizer")
            if "adam" in {page.widget(name).get(getattr(defaults, name))
                          for name in ("optimizer", "g_optimizer")}:
                form.field("beta_1")
        stabilizer_fields(form)
    return shared(page, form.config())


def image_form(page, discriminator_only: bool = False) -> ImageConfig | None:
    """The MNIST settings, starting from a preset."""
    names = list(MNIST_PRESETS)
    c0, c1, c3 = main_row(3)  # three: the row fits a phone's first screen too
    preset_name = c0.selectbox("Start from", names, **page.widget("preset").kept(names[0]),
                               help="The tutorial's full model needs about 1.3 s per batch of 256 on a 2-core CPU.")
    applied = page.widget("preset_applied")
    if applied.get() == "link":  # a shared link's settings stand
        applied.set(preset_name)
    elif applied.get() != preset_name:  # a new preset resets the fields
        applied.set(preset_name)
        for field, value in vars(MNIST_PRESETS[preset_name]).items():
            page.widget(field).set(value)
    # the fields it does not draw at the class's defaults, not the preset's (the lab counts iterations
    # whatever the preset's eval_unit)
    form = SettingsForm(page, ImageConfig, MNIST_PRESETS[preset_name], base=ImageConfig())
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
            form.fields("n_batch", *(() if discriminator_only else ("eval_unit", "conditional")))
        if not discriminator_only:
            stabilizer_fields(form)
    return shared(page, form.config())


def pictures_form(page, discriminator_only: bool = False) -> YourImagesConfig | None:
    """The settings of a run on the visitor's pictures (their side and colour are the sidebar's, with the
    upload): the loop and DiffAugment in a row, the networks and learning rates in the panel below."""
    form = SettingsForm(page, YourImagesConfig, YourImagesConfig(**links.PAGE_DEFAULTS.get(page.name, {})))
    c1, c2, c3 = main_row(3)
    with c1:
        form.field("n_epochs", "iterations (batches)" if discriminator_only else None)
    with c2:
        form.field("n_eval")
    with c3:
        form.field("augment")
    if page.widget("augment").get(form.defaults.augment) == "on":
        st.caption(AUGMENT_ON)
    with form.panel("More settings: networks, learning rates"):
        c1, c2, c3 = st.columns(3)
        with c1:
            form.fields(*(() if discriminator_only else ("latent_dim", "g_filters")), "d_filters")
        with c2:
            form.fields(*(() if discriminator_only else ("g_lr",)), "d_lr", "beta_1")
        with c3:
            form.fields("n_batch", *(() if discriminator_only else ("n_eval_samples",)))
        if not discriminator_only:
            stabilizer_fields(form)
    return shared(page, form.config())
