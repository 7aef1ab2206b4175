"""Validated, serialisable run configs.

Every number a user types goes through `validate()`, which returns one message per bad
field saying what is allowed; a run is only built from a config with no errors.
Configs round-trip through dicts, JSON and URL query parameters (all values as strings).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace

from gan_core.data import sources
from gan_core.data.targets import BUILTIN_TARGETS, DEFAULT_TARGET, ExpressionError
from gan_core.networks.losses import DEFAULT as DEFAULT_LOSS
from gan_core.networks.losses import LOSSES

ACTIVATIONS = ("relu", "leaky_relu", "tanh")
UPDATE_STYLES = ("separate", "stacked")
OPTIMIZERS = {"adam": "Adam", "sgd": "SGD (plain)"}
LATENTS = ("gaussian", "uniform")  # the latent points' distribution: N(0, 1) (the tutorials') or U(-1, 1) (GAN Lab's)
MAX_STEPS = 10  # discriminator or generator updates per iteration
MAX_WIDTH = 512
MAX_DEPTH = 4
MAX_ITERATIONS = 1_000_000
MAX_BATCH = 8192
MAX_PACK = 4
WIDTHS_HELP = "Units per hidden layer, comma separated: 25, or 32,16 for two layers."
ACTIVATION_HELP = "The hidden layers' activation."
NOISE_HELP = "The discriminator lab's fake samples: uniform noise in the box [noise low, noise high]²."
BETA_1_HELP = ("The first moment's decay: 0.9 is Keras's default (the tutorial); WGAN-GP and DCGAN papers use 0 "
               "or 0.5.")


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
    commands: tuple[str, ...] = ("train", "discriminator", "sweep")  # the CLI commands that take it

    def __post_init__(self):
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
    """A dataclass field with its description (Setting) in its metadata."""
    return field(default=default, metadata={"setting": Setting(kind, label, help, **described)})


_CHECKED: dict[str, dict[str, str]] = {}  # repr(config) -> its messages (validate() hands out copies)


GAN_ONLY = ("train", "sweep")  # the CLI commands of a setting of the generator's
LAB_ONLY = ("discriminator",)


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


@dataclass(frozen=True)
class Config(_Settings):
    """One experiment on samples of a few numbers: a 1-D function's (x, f(x)), a 2-D point set or 1-D
    samples (kinds.py: the target names the kind); both networks, and the training loop.

    The discriminator lab uses the target, the discriminator fields, the noise box and
    the loop fields; the GAN uses everything but the noise box.
    """

    target: str = setting(DEFAULT_TARGET, "text", "target", "A built-in 1-D function, 2-D point set, 1-D samples "
                          "or MNIST digits (kinds.py).")
    expr: str = setting("", "text", "f(x)", "Your own f(x) when target is custom, e.g. '0.3*sin(6*x) + x**2'.")
    low: float | None = setting(None, "number", "low", "The domain's start (None: the built-in target's own).")
    high: float | None = setting(None, "number", "high", "The domain's end (None: the built-in target's own).")
    latent_dim: int = setting(5, "whole", "latent_dim", "Numbers per latent point: the generator's input.",
                              low=1, high=256, commands=GAN_ONLY)
    g_hidden: tuple[int, ...] = setting((15,), "widths", "generator hidden units", WIDTHS_HELP, short="hidden units",
                                        commands=GAN_ONLY)
    d_hidden: tuple[int, ...] = setting((25,), "widths", "discriminator hidden units", WIDTHS_HELP,
                                        short="hidden units")
    g_activation: str = setting("relu", "choice", "generator activation", ACTIVATION_HELP, choices=ACTIVATIONS,
                                short="activation", commands=GAN_ONLY)
    d_activation: str = setting("relu", "choice", "discriminator activation", ACTIVATION_HELP, choices=ACTIVATIONS,
                                short="activation")
    g_lr: float = setting(0.001, "number", "generator learning rate", "Adam's default, as the tutorial's "
                          "optimizer='adam'.", low=0, high=1, above=True, commands=GAN_ONLY)
    d_lr: float = setting(0.001, "number", "discriminator learning rate", "", low=0, high=1, above=True)
    n_epochs: int = setting(10_000, "whole", "n_epochs (iterations)", "Training iterations (the tutorial's word).",
                            low=1, high=MAX_ITERATIONS)
    n_batch: int = setting(128, "whole", "n_batch", "Samples per iteration: half real, half fake for the "
                           "discriminator.", low=2, high=MAX_BATCH, even=True)
    n_eval: int = setting(2_000, "whole", "n_eval (iterations per check-in)", "Iterations between check-ins: the "
                          "charts and tables update at each.", low=1, high=MAX_ITERATIONS)
    n_eval_samples: int = setting(100, "whole", "samples per check-in", "Real and fake samples drawn and scored at "
                                  "each check-in.", low=10, high=10_000)
    update: str = setting("separate", "choice", "discriminator update", "separate: two discriminator updates per "
                          "iteration, real then fake (the 1-D tutorial); stacked: one on both.",
                          choices=UPDATE_STYLES, commands=GAN_ONLY)
    pack: int = setting(1, "whole", "samples per verdict (PacGAN packing)", "The discriminator judges this many "
                        "samples at once, all real or all fake: PacGAN's remedy for mode collapse. 1 is the "
                        "tutorial's.", low=1, high=MAX_PACK, commands=GAN_ONLY)
    noise_low: float = setting(-1.0, "number", "noise box low", NOISE_HELP, low=-100, high=100, commands=LAB_ONLY)
    noise_high: float = setting(1.0, "number", "noise box high", NOISE_HELP, low=-100, high=100, commands=LAB_ONLY)
    seed: int = setting(1, "whole", "Seed", "The same seed gives the same run.", low=0, high=2**31 - 1)
    loss: str = setting(DEFAULT_LOSS, "choice", "loss", " ".join(loss.help for loss in LOSSES.values()),
                        choices={name: loss.label for name, loss in LOSSES.items()}, commands=GAN_ONLY)
    n_critic: int = setting(5, "whole", "critic steps per generator step", "WGAN-GP: the critic's "
                            "(discriminator's) updates per generator update.", low=1, high=10, commands=GAN_ONLY)
    gp_weight: float = setting(10.0, "number", "gradient penalty weight", "WGAN-GP: the gradient penalty's weight "
                               "(lambda).", low=0, high=100, above=True, commands=GAN_ONLY)
    optimizer: str = setting("adam", "choice", "optimizer", "Adam, or plain gradient descent: the discriminator's, "
                             "and the generator's unless its own is chosen.", choices=OPTIMIZERS,
                             short="discriminator's", commands=GAN_ONLY)
    g_optimizer: str = setting("same", "choice", "generator optimizer", "The generator's optimizer: the same as the "
                               "discriminator's (the tutorials'), or its own.",
                               choices={"same": "the discriminator's", **OPTIMIZERS}, short="generator's",
                               commands=GAN_ONLY)
    beta_1: float = setting(0.9, "number", "Adam beta_1", BETA_1_HELP, low=0, high=1, below=True, commands=GAN_ONLY)
    d_steps: int = setting(1, "whole", "discriminator steps per iteration", "Discriminator updates per iteration, "
                           "each on fresh samples (WGAN-GP: critic steps per generator step instead).",
                           low=1, high=MAX_STEPS, commands=GAN_ONLY)
    g_steps: int = setting(1, "whole", "generator steps per iteration", "Generator updates per iteration, each on "
                           "fresh latent points.", low=1, high=MAX_STEPS, commands=GAN_ONLY)
    latent: str = setting("gaussian", "choice", "latent points", "Where the generator's latent points come from: "
                          "N(0, 1) as the tutorials, or U(−1, 1) as GAN Lab.",
                          choices={"gaussian": "Gaussian N(0, 1)", "uniform": "uniform U(−1, 1)"}, commands=GAN_ONLY)

    # ---- validation (each field against its description: _Settings.validate) ------
    def related(self, errors: dict) -> None:
        """The target or f(x) and its domain, and what relates two fields."""
        label = self.label
        if self.is_points:
            pass  # a built-in set is always valid; an upload is checked when it is read
        elif self.target != "custom" and self.target not in BUILTIN_TARGETS:
            errors["target"] = f"target must be one of {', '.join(sources.TARGETS)} (got {self.target!r})."
        elif any(v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))) for v in (self.low, self.high)):
            errors["low"] = f"The domain's low and high must be numbers (got {self.low!r} and {self.high!r})."
        else:
            try:
                self.make_target()
            except ExpressionError as err:
                errors["expr" if self.target == "custom" else "low"] = str(err)
        super().related(errors)
        if "d_steps" not in errors and self.d_steps > 1 and LOSSES.get(self.loss) and LOSSES[self.loss].critic:
            errors["d_steps"] = (f"{label('d_steps')} must be 1 with {LOSSES[self.loss].label}: set its critic's "
                                 f"steps in {label('n_critic')} (n_critic) instead (got {self.d_steps}).")
        if not errors.keys() & {"noise_low", "noise_high"} and self.noise_low >= self.noise_high:
            errors["noise_high"] = (f"{label('noise_high')} ({self.noise_high}) must be above {label('noise_low')} "
                                    f"({self.noise_low}).")

    @property
    def is_points(self) -> bool:
        """A point set (2-D points or 1-D samples) rather than a 1-D function."""
        return sources.point_set(self.target) is not None

    def make_target(self, points=None):
        """The real data: a Target (1-D function) or a PointSet (`points`: an uploaded set's rows)."""
        return sources.real_data(self.target, self.expr, self.low, self.high, points)

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


EVAL_UNITS = ("iterations", "epochs")
# the DCGAN paper's networks (batch norm), or the MNIST tutorial's
IMAGE_NETWORKS = {"dcgan": "DCGAN paper (batch norm)", "tutorial": "the MNIST tutorial's (dropout)"}
IMAGE_COMMANDS = ("train", "discriminator")  # a sweep trains no MNIST


@dataclass(frozen=True)
class ImageConfig(_Settings):
    """One MNIST experiment. The defaults are the DCGAN paper's networks, narrow enough to show
    digits within a minute on a laptop CPU (bench/mnist_recipes.py chose them);
    `ImageConfig.tutorial()` gives the MNIST tutorial's own networks and settings."""

    networks: str = setting("dcgan", "choice", "networks", "The DCGAN paper's: batch norm in both networks, ReLU in "
                            "the generator, no dropout (real and fake digits reach the discriminator in batches of "
                            "their own). The tutorial's: dropout in the discriminator, LeakyReLU in both.",
                            choices=IMAGE_NETWORKS, commands=IMAGE_COMMANDS)
    latent_dim: int = setting(32, "whole", "latent_dim", "Numbers per latent point: the generator's input.",
                              low=1, high=512, commands=("train",))
    d_filters: int = setting(32, "whole", "discriminator filters", "Convolution filters of the discriminator's "
                             "first layer.", low=1, high=256, commands=IMAGE_COMMANDS)
    g_filters: int = setting(32, "whole", "generator filters", "Convolution filters of the generator's widest "
                             "layer.", low=1, high=256, commands=("train",))
    # Adam, beta_1 0.5 as the DCGAN paper; the generator's rate twice the discriminator's
    d_lr: float = setting(0.0005, "number", "discriminator learning rate", "", low=0, high=1, above=True)
    g_lr: float = setting(0.001, "number", "generator learning rate", "", low=0, high=1, above=True,
                          commands=("train",))
    beta_1: float = setting(0.5, "number", "Adam beta_1", BETA_1_HELP, low=0, high=1, below=True, commands=("train",))
    # training iterations (batches), whatever eval_unit says: about a minute on a laptop CPU
    n_epochs: int = setting(2_000, "whole", "n_epochs", "Training iterations (batches), or epochs when n_epochs and "
                            "n_eval count epochs.", low=1, high=MAX_ITERATIONS)
    # half real, half generated for the discriminator; all latent for the generator
    n_batch: int = setting(64, "whole", "n_batch", "Digits per iteration: half real, half fake for the "
                           "discriminator.", low=2, high=1024, even=True)
    n_eval: int = setting(100, "whole", "n_eval", "Iterations (or epochs) between check-ins.", low=1,
                          high=MAX_ITERATIONS)
    eval_unit: str = setting("iterations", "choice", "n_epochs and n_eval count", "iterations, or epochs: passes "
                             "over the data (the tutorial's).", choices=EVAL_UNITS, commands=IMAGE_COMMANDS)
    n_eval_samples: int = setting(100, "whole", "samples per check-in", "Digits generated and scored at each "
                                  "check-in.", low=10, high=1000)
    scale: str = setting("tanh", "choice", "pixels", "unit: pixels in [0, 1] with a sigmoid generator (the "
                         "tutorial's); tanh: [-1, 1] with a tanh generator (DCGAN).", choices=("unit", "tanh"),
                         commands=IMAGE_COMMANDS)
    seed: int = setting(1, "whole", "Seed", "The same seed gives the same run.", low=0, high=2**31 - 1)

    @classmethod
    def tutorial(cls, **changes) -> "ImageConfig":
        """The MNIST tutorial: its networks, latent_dim 100, 64/128 filters, Adam(0.0002, beta_1 0.5), pixels in
        [0, 1], n_batch 256, 100 epochs, a check-in every 10."""
        values = dict(networks="tutorial", latent_dim=100, d_filters=64, g_filters=128, d_lr=0.0002, g_lr=0.0002,
                      n_batch=256, n_epochs=100, n_eval=10, eval_unit="epochs", scale="unit")
        return replace(cls(), **{**values, **changes})

    def iterations(self, n_images: int) -> tuple[int, int]:
        """(total iterations, iterations between check-ins) for a dataset of n_images."""
        if self.eval_unit == "epochs":
            per_epoch = max(n_images // self.n_batch, 1)  # the tutorial's bat_per_epo
            return self.n_epochs * per_epoch, self.n_eval * per_epoch
        return self.n_epochs, self.n_eval
