"""Validated, serialisable run configs.

Every number a user types goes through `validate()`, which returns one message per bad
field saying what is allowed; a run is only built from a config with no errors.
Configs round-trip through dicts, JSON and URL query parameters (all values as strings).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace

from .losses import DEFAULT as DEFAULT_LOSS, LOSSES
from .targets import BUILTIN_TARGETS, DEFAULT_TARGET, ExpressionError, get_target

ACTIVATIONS = ("relu", "leaky_relu", "tanh")
UPDATE_STYLES = ("separate", "stacked")
OPTIMIZERS = ("adam", "sgd")
LATENTS = ("gaussian", "uniform")  # the latent points' distribution: N(0, 1) (the tutorials') or U(-1, 1) (GAN Lab's)
MAX_STEPS = 10  # discriminator or generator updates per iteration
MAX_WIDTH = 512
MAX_DEPTH = 4
MAX_ITERATIONS = 1_000_000
MAX_BATCH = 8192
MAX_PACK = 4


class ConfigError(ValueError):
    """Raised by `checked()`; `errors` maps field name -> message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        # a message that names its field already is not prefixed again ("n_epochs: n_epochs could not...")
        super().__init__("; ".join(v if v.startswith(k) else f"{k}: {v}" for k, v in errors.items()))


class _Checks:
    """Collects one message per bad field of `config`, each saying what is allowed."""

    def __init__(self, config):
        self.config, self.errors = config, {}

    def integer(self, name, low, high, extra=""):
        value = getattr(self.config, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.errors[name] = f"{name} must be a whole number from {low:,} to {high:,}{extra} (got {value!r})."

    def number(self, name, low, high):
        value = getattr(self.config, name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low < value <= high:
            self.errors[name] = f"{name} must be a number above {low:g} and at most {high:g} (got {value!r})."

    def choice(self, name, options):
        if getattr(self.config, name) not in options:
            self.errors[name] = f"{name} must be one of {', '.join(options)} (got {getattr(self.config, name)!r})."

    def beta_1(self):
        value = self.config.beta_1
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
            self.errors["beta_1"] = f"beta_1 must be a number from 0 up to (not including) 1 (got {value!r})."

    def loop(self, max_batch):
        """n_epochs, an even n_batch, n_eval <= n_epochs, seed: what every experiment has."""
        c = self.config
        self.integer("n_epochs", 1, MAX_ITERATIONS)
        self.integer("n_batch", 2, max_batch, ", and even (half real, half fake)")
        if "n_batch" not in self.errors and c.n_batch % 2:
            self.errors["n_batch"] = f"n_batch must be even: half real, half fake samples (got {c.n_batch})."
        self.integer("n_eval", 1, MAX_ITERATIONS)
        if "n_eval" not in self.errors and "n_epochs" not in self.errors and c.n_eval > c.n_epochs:
            self.errors["n_eval"] = f"n_eval ({c.n_eval:,}) must not exceed n_epochs ({c.n_epochs:,})."
        self.integer("seed", 0, 2**31 - 1)


class _Settings:
    """What every experiment's config shares: validation that says what is allowed, and round
    trips through dicts, JSON and URL query parameters (a shared link works for every kind)."""

    def validate(self) -> dict[str, str]:
        raise NotImplementedError

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
            try:
                values[key] = _coerce(key, raw, cls.__dataclass_fields__[key].default)
            except ValueError:
                default = cls.__dataclass_fields__[key].default
                kind = ("layer widths like 32,16" if isinstance(default, tuple) else "a whole number"
                        if isinstance(default, int) and not isinstance(default, bool) else "a number")
                errors[key] = f"{key} could not be read as {kind} from {raw!r}."
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

    target: str = DEFAULT_TARGET  # a BUILTIN_TARGETS name, "custom", or a target of another kind (kinds.py)
    expr: str = ""  # the user's f(x) when target is "custom"
    low: float | None = None  # domain; None means the built-in target's own
    high: float | None = None
    latent_dim: int = 5
    g_hidden: tuple[int, ...] = (15,)
    d_hidden: tuple[int, ...] = (25,)
    g_activation: str = "relu"
    d_activation: str = "relu"
    g_lr: float = 0.001  # Adam's default, as the tutorial's optimizer='adam'
    d_lr: float = 0.001
    n_epochs: int = 10_000  # the tutorial's word for training iterations
    n_batch: int = 128
    n_eval: int = 2_000
    n_eval_samples: int = 100
    update: str = "separate"  # "separate": two discriminator updates as the 1-D tutorial
    pack: int = 1  # PacGAN: the discriminator judges `pack` samples at once (all real or all fake)
    noise_low: float = -1.0  # the discriminator lab's fake box [noise_low, noise_high]²
    noise_high: float = 1.0
    seed: int = 1
    loss: str = DEFAULT_LOSS  # a losses.LOSSES name: the tutorial's log loss
    n_critic: int = 5  # WGAN-GP: critic (discriminator) steps per generator step
    gp_weight: float = 10.0  # WGAN-GP: the gradient penalty's weight (lambda)
    optimizer: str = "adam"  # or "sgd" (plain gradient descent)
    beta_1: float = 0.9  # Adam's first-moment decay (the tutorial: Keras's default 0.9)
    d_steps: int = 1  # discriminator updates per iteration, each on fresh samples (WGAN-GP: n_critic instead)
    g_steps: int = 1  # generator updates per iteration, each on fresh latent points
    latent: str = "gaussian"  # a LATENTS name

    # ---- validation -------------------------------------------------------------
    def validate(self) -> dict[str, str]:
        """Field -> message for each bad setting; empty when the config is usable."""
        check = _Checks(self)
        errors = check.errors
        from .kinds import TARGETS

        if self.is_points:
            pass  # a built-in set is always valid; an upload is checked when it is read
        elif self.target != "custom" and self.target not in BUILTIN_TARGETS:
            errors["target"] = f"target must be one of {', '.join(TARGETS)} (got {self.target!r})."
        else:
            try:
                self.make_target()
            except ExpressionError as err:
                errors["expr" if self.target == "custom" else "low"] = str(err)
        check.integer("latent_dim", 1, 256)
        for name in ("g_hidden", "d_hidden"):
            widths = getattr(self, name)
            if (not isinstance(widths, tuple) or not 1 <= len(widths) <= MAX_DEPTH
                    or not all(isinstance(w, int) and not isinstance(w, bool) and 1 <= w <= MAX_WIDTH for w in widths)):
                errors[name] = (f"{name} must be 1 to {MAX_DEPTH} layer widths, each a whole number "
                                f"from 1 to {MAX_WIDTH}, like 25 or 32,16 (got {widths!r}).")
        check.choice("g_activation", ACTIVATIONS)
        check.choice("d_activation", ACTIVATIONS)
        check.number("g_lr", 0, 1)
        check.number("d_lr", 0, 1)
        check.loop(MAX_BATCH)
        check.integer("n_eval_samples", 10, 10_000)
        check.choice("update", UPDATE_STYLES)
        check.integer("pack", 1, MAX_PACK)
        check.choice("loss", tuple(LOSSES))
        check.integer("n_critic", 1, 10)
        check.number("gp_weight", 0, 100)
        check.choice("optimizer", OPTIMIZERS)
        check.beta_1()
        check.integer("d_steps", 1, MAX_STEPS)
        check.integer("g_steps", 1, MAX_STEPS)
        if "d_steps" not in errors and self.d_steps > 1 and LOSSES.get(self.loss) and LOSSES[self.loss].critic:
            errors["d_steps"] = (f"d_steps must be 1 with {LOSSES[self.loss].label}: its critic steps are n_critic "
                                 f"(got {self.d_steps}).")
        check.choice("latent", LATENTS)
        for name in ("noise_low", "noise_high"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not -100 <= value <= 100:
                errors[name] = f"{name} must be a number from -100 to 100 (got {value!r})."
        if not errors.keys() & {"noise_low", "noise_high"} and self.noise_low >= self.noise_high:
            errors["noise_high"] = f"noise_high ({self.noise_high}) must be above noise_low ({self.noise_low})."
        return errors

    @property
    def is_points(self) -> bool:
        """A point set (2-D points or 1-D samples) rather than a 1-D function."""
        from .kinds import of_target

        return of_target(self.target).point_set is not None

    def make_target(self, points=None):
        """The real data: a Target (1-D function) or a PointSet (`points`: an uploaded set's rows)."""
        from .kinds import of_target

        kind = of_target(self.target)
        if kind.point_set is not None:
            return kind.point_set(self.target, points)
        return get_target(self.target, self.expr, self.low, self.high)

def _coerce(key: str, raw, default):
    """A value of the field's type from raw (a JSON value or a query-param string)."""
    if isinstance(default, tuple):  # layer widths
        if isinstance(raw, str):
            raw = [part for part in raw.replace(" ", "").split(",") if part]
        return tuple(int(str(w)) for w in raw)
    if key in ("low", "high"):
        return None if raw in (None, "", "None") else float(raw)
    if isinstance(default, bool):
        return raw in (True, "true", "True", "1")
    if isinstance(default, int):
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        return int(str(raw).replace("_", "").replace(",", ""))
    if isinstance(default, float):
        return float(raw)
    return str(raw)


def parse_widths(text: str) -> tuple[int, ...]:
    """'32, 16' -> (32, 16); raises ValueError with a message for anything else."""
    parts = [p for p in text.replace(" ", "").split(",") if p]
    if not parts or not all(p.isdigit() for p in parts):
        raise ValueError(f"Layer widths are whole numbers separated by commas, like 25 or 32,16 (got {text!r}).")
    return tuple(int(p) for p in parts)


EVAL_UNITS = ("iterations", "epochs")
IMAGE_NETWORKS = ("dcgan", "tutorial")  # the DCGAN paper's networks (batch norm), or the MNIST tutorial's


@dataclass(frozen=True)
class ImageConfig(_Settings):
    """One MNIST experiment. The defaults are the DCGAN paper's networks, narrow enough to show
    digits within a minute on a laptop CPU (bench/mnist_recipes.py chose them);
    `ImageConfig.tutorial()` gives the MNIST tutorial's own networks and settings."""

    networks: str = "dcgan"  # an IMAGE_NETWORKS name
    latent_dim: int = 32
    d_filters: int = 32
    g_filters: int = 32
    d_lr: float = 0.0005  # Adam, beta_1 0.5 as the DCGAN paper; the generator's rate twice the discriminator's
    g_lr: float = 0.001
    beta_1: float = 0.5
    n_epochs: int = 2_000  # training iterations (batches), whatever eval_unit says: about a minute on a laptop CPU
    n_batch: int = 64  # half real, half generated for the discriminator; all latent for the generator
    n_eval: int = 100
    eval_unit: str = "iterations"  # or "epochs": n_eval passes over the data between check-ins
    n_eval_samples: int = 100
    scale: str = "tanh"  # pixels in [-1, 1] with a tanh generator (DCGAN), or "unit": [0, 1], sigmoid (tutorial)
    seed: int = 1

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

    def validate(self) -> dict[str, str]:
        check = _Checks(self)
        check.choice("networks", IMAGE_NETWORKS)
        check.integer("latent_dim", 1, 512)
        check.integer("d_filters", 1, 256)
        check.integer("g_filters", 1, 256)
        check.number("d_lr", 0, 1)
        check.number("g_lr", 0, 1)
        check.beta_1()
        check.loop(1024)
        check.choice("eval_unit", EVAL_UNITS)
        check.integer("n_eval_samples", 10, 1000)
        check.choice("scale", ("unit", "tanh"))
        return check.errors
