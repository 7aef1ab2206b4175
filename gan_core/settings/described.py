"""Each setting described once, beside its field: what it may be (validation that says what is
allowed), its words on screen, the CLI commands that take it, and what it is to the compiled training
step (`step`: the step cache, grids and sweeps derive what they share from it). `_Settings` is what
every kind's settings class shares (config.py holds the classes): validation, and round trips through
dicts, JSON and URL query parameters (all values as strings).
"""
from __future__ import annotations

import json
from dataclasses import KW_ONLY, asdict, dataclass, field, fields, replace

MAX_WIDTH = 512
MAX_DEPTH = 4
MAX_ITERATIONS = 1_000_000
BETA_1_HELP = ("The first moment's decay: 0.9 is Keras's default (the tutorial); WGAN-GP and DCGAN papers use 0 "
               "or 0.5.")
COMMANDS = ("train", "discriminator", "sweep")  # the CLI's training commands; a setting names those that take it
GAN_ONLY = ("train", "sweep")  # the CLI commands of a setting of the generator's
LAB_ONLY = ("discriminator",)

# What a setting is to the compiled step (training/steps.py shares one step per key). Every setting
# declares one: a forgotten one is an error, never silently a wrong key.
STEP_ROLES = {
    "graph": "shapes the compiled graph (widths, batch size, loss...): in the step's key, so runs that differ "
             "in it never share a step",
    "state": "held in the run's state (steps.RunState, adam.Net: learning rates, beta_1, the seed): runs that "
             "differ only here share a step, and stack into one sweep",
    "data": "the real data and the noise box, whose numbers go into the step as data tensors; what shapes the "
            "real-data sampler (a function's expression, a point set's dims) enters the key from the real data "
            "itself (plane.real_source), so point sets of one dimension share a step",
    "loop": "only guides the loop around the step: its length, its check-ins",
}


class ConfigError(ValueError):
    """Raised by `checked()`; `errors` maps field name -> message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        # a message that names its field already is not prefixed again ("n_epochs: n_epochs could not...")
        super().__init__("; ".join(v if v.startswith(k) else f"{k}: {v}" for k, v in errors.items()))


@dataclass(frozen=True)
class Setting:
    """One setting, described once, beside its field (`setting()`): validation, the pages' widgets
    (explorer/forms.py), shared links and the CLI's flags (cli/main.py) all read it."""

    kind: str  # "whole", "number", "choice", "widths" (layer widths) or "text" (checked by validate() itself)
    label: str  # its name on screen, and in every message about it
    help: str = ""  # what it does: the widget's help, the flag's help
    low: float | None = None  # a number's range; None: no range (checked elsewhere: the domain)
    high: float | None = None
    above: bool = False  # low itself is refused ("above 0")
    below: bool = False  # high itself is refused ("up to (not including) 1")
    even: bool = False  # a whole number that must be even (n_batch: half real, half fake)
    choices: dict | None = None  # a choice's names -> their words on screen
    short: str | None = None  # its label under its network's heading on a page ("hidden units")
    commands: tuple[str, ...] = COMMANDS  # the CLI commands that take it
    _: KW_ONLY
    step: str  # its role towards the compiled step: one of STEP_ROLES, declared by every setting
    # a "graph" setting added after others, off by default: at its default it stays out of the step's key,
    # so the steps (and runs) built before it keep theirs
    keyed_at_default: bool = True

    def __post_init__(self):
        if self.step not in STEP_ROLES:
            raise ValueError(f"{self.label}: step must be one of {', '.join(STEP_ROLES)} (got {self.step!r}).")
        if self.choices is not None and not isinstance(self.choices, dict):  # names alone: shown as they are
            object.__setattr__(self, "choices", {name: name for name in self.choices})

    def allowed(self) -> str:
        """What it may be, in words: "a whole number from 1 to 10"."""
        if self.kind == "whole":
            return f"a whole number from {self.low:,} to {self.high:,}" + (
                ", and even (half real, half fake)" if self.even else "")
        if self.kind == "number":
            if self.low is None:
                return "a number"
            if self.above:
                return f"a number above {self.low:g} and at most {self.high:g}"
            if self.below:
                return f"a number from {self.low:g} up to (not including) {self.high:g}"
            return f"a number from {self.low:g} to {self.high:g}"
        if self.kind == "choice":
            return f"one of {', '.join(self.choices)}"
        if self.kind == "widths":
            return (f"1 to {MAX_DEPTH} layer widths, each a whole number from 1 to {MAX_WIDTH}, "
                    "like 25 or 32,16")
        return "text"

    def problem(self, value) -> str | None:
        """The message for a value it does not allow, naming it by its label (None: allowed)."""
        if self.kind == "whole":
            ok = _whole(value) and self.low <= value <= self.high
        elif self.kind == "number":
            if self.low is None:
                return None
            ok = (isinstance(value, (int, float)) and not isinstance(value, bool)
                  and (self.low < value if self.above else self.low <= value)
                  and (value < self.high if self.below else value <= self.high))
        elif self.kind == "choice":
            ok = value in self.choices
        elif self.kind == "widths":
            ok = (isinstance(value, tuple) and 1 <= len(value) <= MAX_DEPTH
                  and all(_whole(w) and 1 <= w <= MAX_WIDTH for w in value))
        else:
            return None
        return None if ok else f"{self.label} must be {self.allowed()} (got {value!r})."


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def setting(default, kind: str, label: str, help: str = "", **described):
    """A dataclass field with its description (Setting) in its metadata; `step=` (its role towards the
    compiled step, STEP_ROLES) is required."""
    return field(default=default, metadata={"setting": Setting(kind, label, help, **described)})


_CHECKED: dict[str, dict[str, str]] = {}  # repr(config) -> its messages (validate() hands out copies)


class _Settings:
    """What every experiment's config shares: validation that says what is allowed, and round
    trips through dicts, JSON and URL query parameters (a shared link works for every kind)."""

    @classmethod
    def settings(cls) -> dict[str, Setting]:
        """Each field's description, in field order."""
        return {f.name: f.metadata["setting"] for f in fields(cls)}

    @classmethod
    def label(cls, name: str) -> str:
        return cls.settings()[name].label

    def graph_key(self, command: str) -> tuple:
        """The settings' part of a compiled step's key: each "graph" setting that `command`'s step uses
        (its `commands` name it: "train" for the GAN's step, "discriminator" for the lab's), with its
        value. Derived from the declarations, never listed. A setting a step reads only sometimes
        (n_critic, gp_weight without WGAN-GP) is in it always: that costs sharing, never correctness."""
        return (type(self).__name__, command, *((name, getattr(self, name)) for name, s in self.settings().items()
                                                if s.step == "graph" and command in s.commands
                                                and (s.keyed_at_default or getattr(self, name) != self._default(name))))

    @classmethod
    def _default(cls, name: str):
        return next(f.default for f in fields(cls) if f.name == name)

    @classmethod
    def role_names(cls, step: str) -> tuple[str, ...]:
        """The names of the settings of one role towards the compiled step (STEP_ROLES), in field order."""
        return tuple(name for name, s in cls.settings().items() if s.step == step)

    def validate(self) -> dict[str, str]:
        """Field -> message for each bad setting; empty when the config is usable. Each field is
        checked against its description; a class adds what relates two fields (`related`). Configs
        are frozen values, so each is checked once: the form, the run and a sweep ask again for free."""
        key = repr(self)  # repr tells 1 from 1.0 and True, which == (and a hash) would not
        if (known := _CHECKED.get(key)) is None:
            if len(_CHECKED) >= 512:
                _CHECKED.clear()
            known = _CHECKED[key] = self._check()
        return dict(known)

    def _check(self) -> dict[str, str]:
        errors = {}
        for name, described in self.settings().items():
            if (message := described.problem(getattr(self, name))) is not None:
                errors[name] = message
        self.related(errors)
        return errors

    def related(self, errors: dict) -> None:
        """What no single field's description says: n_batch even, n_eval <= n_epochs (every kind)."""
        label = self.label
        if "n_batch" not in errors and self.n_batch % 2:
            errors["n_batch"] = f"{label('n_batch')} must be even: half real, half fake samples (got {self.n_batch})."
        if "n_eval" not in errors and "n_epochs" not in errors and self.n_eval > self.n_epochs:
            errors["n_eval"] = (f"{label('n_eval')} must not exceed {label('n_epochs')}: {self.n_eval:,} is more "
                                f"than {self.n_epochs:,}.")

    def checked(self):
        """self, or ConfigError listing every bad field."""
        errors = self.validate()
        if errors:
            raise ConfigError(errors)
        return self

    # ---- serialisation -----------------------------------------------------------
    def to_dict(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def unknown_settings(cls, data: dict) -> list[str]:
        """Sorted names in `data` that are not settings."""
        return sorted(set(data) - {f.name for f in fields(cls)})

    @classmethod
    def from_dict(cls, data: dict, ignore_unknown: bool = False):
        """Build from a dict (JSON or query params: strings are parsed). Unknown keys are refused,
        or dropped with ignore_unknown (a shared link with one stray parameter keeps its settings)."""
        unknown = cls.unknown_settings(data)
        if unknown and not ignore_unknown:
            known = ", ".join(f.name for f in fields(cls))
            raise ConfigError({k: f"unknown setting {k!r}; known: {known}." for k in unknown})
        values, errors = {}, {}
        for key, raw in data.items():
            if key in unknown:
                continue
            kind = cls.settings()[key].kind
            try:
                values[key] = _coerce(cls.settings()[key], raw)
            except ValueError:  # named as the link or the JSON names it
                what = {"widths": "layer widths like 32,16", "whole": "a whole number"}.get(kind, "a number")
                errors[key] = f"{key} could not be read as {what} from {raw!r}."
        if errors:
            raise ConfigError(errors)
        return replace(cls(), **values)

    def to_query_params(self, baseline: dict | None = None) -> dict[str, str]:
        """Only the settings that differ from the defaults (the class's, with `baseline`'s changes:
        a page whose widgets start elsewhere), as strings."""
        default = replace(type(self)(), **(baseline or {}))
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value != getattr(default, f.name):
                out[f.name] = ",".join(map(str, value)) if isinstance(value, tuple) else str(value)
        return out


def _coerce(described: Setting, raw):
    """A value of a setting's kind from raw (a JSON value or a query-param string)."""
    kind = described.kind
    if kind == "widths":
        if isinstance(raw, str):
            raw = [part for part in raw.replace(" ", "").split(",") if part]
        return tuple(int(str(w)) for w in raw)
    if kind == "whole":
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        return int(str(raw).replace("_", "").replace(",", ""))
    if kind == "number":  # a number without a range (the domain's low and high) may be None: the target's own
        return None if described.low is None and raw in (None, "", "None") else float(raw)
    return str(raw)


def parse_widths(text: str) -> tuple[int, ...]:
    """'32, 16' -> (32, 16); raises ValueError with a message for anything else."""
    parts = [p for p in text.replace(" ", "").split(",") if p]
    if not parts or not all(p.isdigit() for p in parts):
        raise ValueError(f"Layer widths are whole numbers separated by commas, like 25 or 32,16 (got {text!r}).")
    return tuple(int(p) for p in parts)
