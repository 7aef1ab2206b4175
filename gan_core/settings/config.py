"""The settings classes of the kinds: Config (samples of a few numbers: a 1-D function's (x, f(x)), a
point set), ImageConfig (MNIST) and YourImagesConfig (a user's own pictures). Each field is described once beside it (described.py: what it may
be, its words, its CLI commands, its role towards the compiled step); a run is only built from a
config whose `validate()` returns no messages.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from gan_core.data import images, sources
from gan_core.data.targets import BUILTIN_TARGETS, DEFAULT_TARGET, ExpressionError
from gan_core.networks.losses import DEFAULT as DEFAULT_LOSS
from gan_core.networks.losses import LOSSES
from gan_core.settings import defaults
from gan_core.settings.described import BETA_1_HELP, COMMANDS, GAN_ONLY, LAB_ONLY, MAX_ITERATIONS, _Settings, setting

ACTIVATIONS = ("relu", "leaky_relu", "tanh")
UPDATE_STYLES = ("separate", "stacked")
OPTIMIZERS = {"adam": "Adam", "sgd": "SGD (plain)"}
MAX_STEPS = 10  # discriminator or generator updates per iteration
MAX_BATCH = 8192
MAX_PACK = 4
WIDTHS_HELP = "Units per hidden layer, comma separated: 25, or 32,16 for two layers."
ACTIVATION_HELP = "The hidden layers' activation."
NOISE_HELP = "The discriminator lab's fake samples: uniform noise in the box [noise low, noise high]²."
# the stabilizers (networks/regularizers.py, adam.average), each off at 0: off, a run is what it was without them
R1_HELP = ("R1 (Mescheder et al. 2018): the discriminator's loss gains γ/2 times the mean squared length of its "
           "gradient at the real samples (of its logit or score, as the loss reads it), so it cannot grow steep "
           "where the data is and push the generator past it. γ here; 0: off. With WGAN-GP it comes on top of the "
           "gradient penalty. The loss charts show the loss without it.")
INSTANCE_NOISE_HELP = ("Instance noise (Sønderby et al. 2016): Gaussian noise added to every sample the "
                       "discriminator sees, real and generated, in both networks' updates, so the two sets overlap "
                       "and the discriminator cannot separate them perfectly. Its σ, this value at the first "
                       "iteration, goes down in a straight line to 0 at the last one (n_epochs). 0: off.")
EMA_HELP = ("An exponential moving average of the generator's weights (Yazıcı et al. 2019), updated after each "
            "generator update with this decay (at update t, min(decay, (1 + t)/(10 + t)), as TensorFlow's "
            "ExponentialMovingAverage, so a short run is not held back by its first weights). The check-ins, "
            "charts and previews show the averaged generator; the history adds the raw generator's main score "
            "(a column ending in _raw) to compare. 0: off; 0.999 is usual.")
# every kind's GAN has them, described alike: each "graph" (a value baked into the step), and at 0 out of its key
STABILIZERS = {
    "r1_gamma": {"label": "R1 penalty γ", "help": R1_HELP, "low": 0, "high": 100},
    "instance_noise": {"label": "instance noise σ (annealed)", "help": INSTANCE_NOISE_HELP, "low": 0, "high": 10},
    "ema": {"label": "generator EMA decay", "help": EMA_HELP, "low": 0, "high": 1, "below": True},
}


def stabilizer(name: str, commands: tuple[str, ...]):
    """The field of the stabilizer `name` (STABILIZERS) for a kind whose GAN's CLI commands are `commands`:
    off (0) by default, when it adds nothing to the compiled step."""
    return setting(0.0, "number", commands=commands, step="graph", off=0.0, **STABILIZERS[name])


@dataclass(frozen=True)
class Config(_Settings):
    """One experiment on samples of a few numbers: a 1-D function's (x, f(x)), a 2-D point set or 1-D
    samples (kinds.py: the target names the kind); both networks, and the training loop.

    The discriminator lab uses the target, the discriminator fields, the noise box and
    the loop fields; the GAN uses everything but the noise box.
    """

    target: str = setting(DEFAULT_TARGET, "text", "target", "A built-in 1-D function, 2-D point set, 1-D samples "
                          "or MNIST digits (kinds.py).", step="data")
    expr: str = setting("", "text", "f(x)", "Your own f(x) when target is custom, e.g. '0.3*sin(6*x) + x**2'.",
                        step="data")
    low: float | None = setting(None, "number", "low", "The domain's start (None: the built-in target's own).",
                                step="data")
    high: float | None = setting(None, "number", "high", "The domain's end (None: the built-in target's own).",
                                 step="data")
    latent_dim: int = setting(5, "whole", "latent_dim", "Numbers per latent point: the generator's input.",
                              low=1, high=256, commands=GAN_ONLY, step="graph")
    g_hidden: tuple[int, ...] = setting((15,), "widths", "generator hidden units", WIDTHS_HELP, short="hidden units",
                                        commands=GAN_ONLY, step="graph")
    d_hidden: tuple[int, ...] = setting((25,), "widths", "discriminator hidden units", WIDTHS_HELP,
                                        short="hidden units", step="graph")
    g_activation: str = setting("relu", "choice", "generator activation", ACTIVATION_HELP, choices=ACTIVATIONS,
                                short="activation", commands=GAN_ONLY, step="graph")
    d_activation: str = setting("relu", "choice", "discriminator activation", ACTIVATION_HELP, choices=ACTIVATIONS,
                                short="activation", step="graph")
    g_lr: float = setting(0.001, "number", "generator learning rate", "Adam's default, as the tutorial's "
                          "optimizer='adam'.", low=0, high=1, above=True, commands=GAN_ONLY, step="state")
    d_lr: float = setting(0.001, "number", "discriminator learning rate", "", low=0, high=1, above=True, step="state")
    n_epochs: int = setting(10_000, "whole", "n_epochs (iterations)", "Training iterations (the tutorial's word).",
                            low=1, high=MAX_ITERATIONS, step="loop")
    n_batch: int = setting(128, "whole", "n_batch", "Samples per iteration: half real, half fake for the "
                           "discriminator.", low=2, high=MAX_BATCH, even=True, step="graph")
    n_eval: int = setting(2_000, "whole", "n_eval (iterations per check-in)", "Iterations between check-ins: the "
                          "charts and tables update at each.", low=1, high=MAX_ITERATIONS, step="loop")
    n_eval_samples: int = setting(100, "whole", "samples per check-in", "Real and fake samples drawn and scored at "
                                  "each check-in.", low=10, high=10_000, step="loop")
    update: str = setting("separate", "choice", "discriminator update", "separate: two discriminator updates per "
                          "iteration, real then fake (the 1-D tutorial); stacked: one on both.",
                          choices=UPDATE_STYLES, commands=GAN_ONLY, step="graph")
    pack: int = setting(1, "whole", "samples per verdict (PacGAN packing)", "The discriminator judges this many "
                        "samples at once, all real or all fake: PacGAN's remedy for mode collapse. 1 is the "
                        "tutorial's.", low=1, high=MAX_PACK, commands=GAN_ONLY, step="graph")
    noise_low: float = setting(-1.0, "number", "noise box low", NOISE_HELP, low=-100, high=100, commands=LAB_ONLY,
                               step="data")
    noise_high: float = setting(1.0, "number", "noise box high", NOISE_HELP, low=-100, high=100, commands=LAB_ONLY,
                                step="data")
    seed: int = setting(1, "whole", "Seed", "The same seed gives the same run.", low=0, high=2**31 - 1, step="state")
    loss: str = setting(DEFAULT_LOSS, "choice", "loss", " ".join(loss.help for loss in LOSSES.values()),
                        choices={name: loss.label for name, loss in LOSSES.items()}, commands=GAN_ONLY, step="graph")
    n_critic: int = setting(5, "whole", "critic steps per generator step", "WGAN-GP: the critic's "
                            "(discriminator's) updates per generator update.", low=1, high=10, commands=GAN_ONLY,
                            step="graph")
    gp_weight: float = setting(10.0, "number", "gradient penalty weight", "WGAN-GP: the gradient penalty's weight "
                               "(lambda).", low=0, high=100, above=True, commands=GAN_ONLY, step="graph")
    optimizer: str = setting("adam", "choice", "optimizer", "Adam, or plain gradient descent: the discriminator's, "
                             "and the generator's unless its own is chosen.", choices=OPTIMIZERS,
                             short="discriminator's", commands=GAN_ONLY, step="graph")
    g_optimizer: str = setting("same", "choice", "generator optimizer", "The generator's optimizer: the same as the "
                               "discriminator's (the tutorials'), or its own.",
                               choices={"same": "the discriminator's", **OPTIMIZERS}, short="generator's",
                               commands=GAN_ONLY, step="graph")
    beta_1: float = setting(0.9, "number", "Adam beta_1", BETA_1_HELP, low=0, high=1, below=True, commands=GAN_ONLY,
                            step="state")
    d_steps: int = setting(1, "whole", "discriminator steps per iteration", "Discriminator updates per iteration, "
                           "each on fresh samples (WGAN-GP: critic steps per generator step instead).",
                           low=1, high=MAX_STEPS, commands=GAN_ONLY, step="graph")
    g_steps: int = setting(1, "whole", "generator steps per iteration", "Generator updates per iteration, each on "
                           "fresh latent points.", low=1, high=MAX_STEPS, commands=GAN_ONLY, step="graph")
    latent: str = setting("gaussian", "choice", "latent points", "Where the generator's latent points come from: "
                          "N(0, 1) as the tutorials, or U(−1, 1) as GAN Lab.",
                          choices={"gaussian": "Gaussian N(0, 1)", "uniform": "uniform U(−1, 1)"}, commands=GAN_ONLY,
                          step="graph")
    # the stabilizers, described once (STABILIZERS, stabilizer()); off at 0
    r1_gamma: float = stabilizer("r1_gamma", GAN_ONLY)
    instance_noise: float = stabilizer("instance_noise", GAN_ONLY)
    ema: float = stabilizer("ema", GAN_ONLY)

    @classmethod
    def for_target(cls, target: str = DEFAULT_TARGET, **changes) -> "Config":
        """The settings a run on `target` starts from (settings/defaults.py: its kind's networks and its own
        defaults over the field defaults), with `changes` over them."""
        return cls(**{**defaults.of_target(target), **changes})

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


EVAL_UNITS = ("iterations", "epochs")
# the DCGAN paper's networks (batch norm), or the MNIST tutorial's
IMAGE_NETWORKS = {"dcgan": "DCGAN paper (batch norm)", "tutorial": "the MNIST tutorial's (dropout)"}
IMAGE_COMMANDS = ("train", "discriminator")  # a sweep trains no MNIST
CONDITIONAL = {"off": "any digit", "on": "ask for a digit"}


@dataclass(frozen=True)
class ImageConfig(_Settings):
    """One MNIST experiment. The defaults are the DCGAN paper's networks, narrow enough to show
    digits within a minute on a laptop CPU (bench/mnist_recipes.py chose them);
    `ImageConfig.tutorial()` gives the MNIST tutorial's own networks and settings."""

    networks: str = setting("dcgan", "choice", "networks", "The DCGAN paper's: batch norm in both networks, ReLU in "
                            "the generator, no dropout (real and fake digits reach the discriminator in batches of "
                            "their own). The tutorial's: dropout in the discriminator, LeakyReLU in both.",
                            choices=IMAGE_NETWORKS, commands=IMAGE_COMMANDS, step="graph")
    latent_dim: int = setting(32, "whole", "latent_dim", "Numbers per latent point: the generator's input.",
                              low=1, high=512, commands=("train",), step="graph")
    d_filters: int = setting(32, "whole", "discriminator filters", "Convolution filters of the discriminator's "
                             "first layer.", low=1, high=256, commands=IMAGE_COMMANDS, step="graph")
    g_filters: int = setting(32, "whole", "generator filters", "Convolution filters of the generator's widest "
                             "layer.", low=1, high=256, commands=("train",), step="graph")
    # Adam, beta_1 0.5 as the DCGAN paper; the generator's rate twice the discriminator's
    d_lr: float = setting(0.0005, "number", "discriminator learning rate", "", low=0, high=1, above=True, step="state")
    g_lr: float = setting(0.001, "number", "generator learning rate", "", low=0, high=1, above=True,
                          commands=("train",), step="state")
    beta_1: float = setting(0.5, "number", "Adam beta_1", BETA_1_HELP, low=0, high=1, below=True, commands=("train",),
                            step="state")
    # training iterations (batches), whatever eval_unit says: about a minute on a laptop CPU
    n_epochs: int = setting(2_000, "whole", "n_epochs", "Training iterations (batches), or epochs when n_epochs and "
                            "n_eval count epochs.", low=1, high=MAX_ITERATIONS, step="loop")
    # half real, half generated for the discriminator; all latent for the generator
    n_batch: int = setting(64, "whole", "n_batch", "Digits per iteration: half real, half fake for the "
                           "discriminator.", low=2, high=1024, even=True, step="graph")
    n_eval: int = setting(100, "whole", "n_eval", "Iterations (or epochs) between check-ins.", low=1,
                          high=MAX_ITERATIONS, step="loop")
    eval_unit: str = setting("iterations", "choice", "n_epochs and n_eval count", "iterations, or epochs: passes "
                             "over the data (the tutorial's).", choices=EVAL_UNITS, commands=IMAGE_COMMANDS,
                             step="loop")
    n_eval_samples: int = setting(100, "whole", "samples per check-in", "Digits generated and scored at each "
                                  "check-in.", low=10, high=1000, step="loop")
    scale: str = setting("tanh", "choice", "pixels", "unit: pixels in [0, 1] with a sigmoid generator (the "
                         "tutorial's); tanh: [-1, 1] with a tanh generator (DCGAN).", choices=("unit", "tanh"),
                         commands=IMAGE_COMMANDS, step="graph")
    # the stabilizers, described once (STABILIZERS, stabilizer()); off at 0
    r1_gamma: float = stabilizer("r1_gamma", ("train",))
    instance_noise: float = stabilizer("instance_noise", ("train",))
    ema: float = stabilizer("ema", ("train",))
    seed: int = setting(1, "whole", "Seed", "The same seed gives the same run.", low=0, high=2**31 - 1, step="state")
    conditional: str = setting("off", "choice", "pick the digit (conditional GAN)", "on: both networks are told "
                               "the digit (keras.io's Conditional GAN: the one-hot label joins the generator's latent "
                               "point and is 10 extra channels of the discriminator's input), so you can ask the "
                               "generator for a 7; off: any digit.", choices=CONDITIONAL, commands=("train",),
                               step="graph", off="off")
    # a constant of the discriminator's loss, so "graph"; at 1.0 (off) the very graph there was before it
    real_label: float = setting(1.0, "number", "real label (label smoothing)", "The label the discriminator learns "
                                "for real digits: 1 (no smoothing), or less, e.g. 0.9 (one-sided label smoothing, "
                                "Salimans et al. 2016: a discriminator never pushed to certainty on real digits). "
                                "Generated digits keep label 0.", low=0.5, high=1, above=True,
                                commands=("train",), step="graph", off=1.0)

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


AUGMENTS = {"on": "DiffAugment: colour, translation and cutout", "off": "none"}
AUGMENT_WHY = ("On a small set the discriminator soon knows every real picture by heart and stops teaching the "
               "generator; DiffAugment shows it every picture, real and generated alike, with random colour, shift "
               "and a square cut out, so it cannot (Zhao et al. 2020 trained GANs on 100 pictures this way).")
AUGMENT_HELP = AUGMENT_WHY + " Off: the pictures as they are."
AUGMENT_ON = ("**DiffAugment is on:** it keeps the discriminator of a small set from learning every real picture by "
              "heart (Zhao et al. 2020; the setting's help says how).")  # the page's one sentence on why


@dataclass(frozen=True)
class YourImagesConfig(_Settings):
    """One experiment on a user's own pictures (data/images.py prepares them: side × side, grayscale or
    colour): the DCGAN paper's networks sized for the side, DiffAugment on by default. The pictures'
    channel count comes from the prepared set (with color "as-is", from the pictures themselves), and
    enters the compiled step's key from the data, as a point set's dimension does."""

    side: int = setting(images.DEFAULT_SIDE, "whole", "side (pixels)", "Each picture is centre-cropped to a "
                        "square and resized to side × side: 16, 32 or 64 (the networks halve and double it from "
                        "4). Larger sides train slower.", low=images.SIDES[0], high=images.SIDES[-1],
                        commands=COMMANDS, step="graph")
    color: str = setting("as-is", "choice", "colour", "as the images are (grayscale when every picture is), "
                         "grayscale or colour.", choices=images.COLORS, commands=COMMANDS, step="data")
    augment: str = setting("on", "choice", "DiffAugment", AUGMENT_HELP, choices=AUGMENTS, commands=COMMANDS,
                           step="graph")
    latent_dim: int = setting(64, "whole", "latent_dim", "Numbers per latent point: the generator's input.",
                              low=1, high=512, commands=GAN_ONLY, step="graph")
    d_filters: int = setting(32, "whole", "discriminator filters", "Convolution filters of the discriminator's "
                             "first layer; each next layer has twice as many.", low=1, high=256,
                             commands=COMMANDS, step="graph")
    g_filters: int = setting(32, "whole", "generator filters", "Filters of the generator's last hidden layer; "
                             "each layer before it has twice as many.", low=1, high=256, commands=GAN_ONLY,
                             step="graph")
    d_lr: float = setting(0.0005, "number", "discriminator learning rate", "", low=0, high=1, above=True, step="state")
    g_lr: float = setting(0.001, "number", "generator learning rate", "", low=0, high=1, above=True,
                          commands=GAN_ONLY, step="state")
    beta_1: float = setting(0.5, "number", "Adam beta_1", BETA_1_HELP, low=0, high=1, below=True, commands=GAN_ONLY,
                            step="state")
    n_epochs: int = setting(2_000, "whole", "n_epochs", "Training iterations (batches).", low=1, high=MAX_ITERATIONS,
                            step="loop")
    n_batch: int = setting(64, "whole", "n_batch", "Pictures per iteration: half real, half fake for the "
                           "discriminator.", low=2, high=1024, even=True, step="graph")
    n_eval: int = setting(100, "whole", "n_eval", "Iterations between check-ins.", low=1, high=MAX_ITERATIONS,
                          step="loop")
    n_eval_samples: int = setting(100, "whole", "samples per check-in", "Pictures generated and judged by the "
                                  "discriminator at each check-in.", low=10, high=1000, step="loop")
    # the stabilizers, described once (STABILIZERS, stabilizer()); off at 0
    r1_gamma: float = stabilizer("r1_gamma", GAN_ONLY)
    instance_noise: float = stabilizer("instance_noise", GAN_ONLY)
    ema: float = stabilizer("ema", GAN_ONLY)
    seed: int = setting(1, "whole", "Seed", "The same seed gives the same run.", low=0, high=2**31 - 1, step="state")

    networks = "dcgan"  # not settings: the DCGAN paper's networks, pixels in [-1, 1] (a tanh generator)
    scale = "tanh"

    def related(self, errors: dict) -> None:
        super().related(errors)
        if "side" not in errors and self.side not in images.SIDES:
            errors["side"] = (f"{self.label('side')} must be {', '.join(map(str, images.SIDES[:-1]))} or "
                              f"{images.SIDES[-1]}: the networks halve and double it from 4 (got {self.side}).")

    def iterations(self, n_images: int) -> tuple[int, int]:
        """(total iterations, iterations between check-ins), as ImageConfig's (always iterations here)."""
        return self.n_epochs, self.n_eval


DIRAC = ("dirac",)  # the CLI command of the Dirac-GAN lesson's settings
DIRAC_LOSSES = {  # the Dirac-GAN's losses: the engine's (losses.LOSSES), and the paper's zero-sum game
    DEFAULT_LOSS: "log loss, non-saturating",  # the app's: the generator's loss is −log D(G(z))
    "minimax": "log loss, minimax",  # the original zero-sum game: the generator raises D's loss
    "lsgan": "least squares",
    "hinge": "hinge",
    "wgan-gp": "Wasserstein",  # WGAN-GP's critic loss; its penalty is the gradient-penalty regularizer
}
REGULARIZERS = {"none": "none", "r1": "R1 (γ/2·‖∇D(x_real)‖²)", "instance-noise": "instance noise (σ)",
                "gradient-penalty": "gradient penalty (WGAN-GP's, weight γ)"}
DIRAC_UPDATES = {"simultaneous": "simultaneous (both at the same point)",
                 "alternating": "alternating (ψ first, then θ at the new ψ)"}
START_HELP = "Where training starts: the generator's point θ and the discriminator's slope ψ."


@dataclass(frozen=True)
class DiracConfig(_Settings):
    """The Dirac-GAN (Mescheder, Geiger & Nowozin, ICML 2018): the real data a point at 0, the generator a
    point θ, the discriminator D(x) = ψx; each player takes plain gradient steps (teaching/dirac.py)."""

    loss: str = setting("minimax", "choice", "loss", "The engine's losses on D's outputs (a sigmoid of ψx for the log "
                        "losses, ψx itself for the others). Log loss, minimax: the original zero-sum game, the "
                        "generator raises the discriminator's loss; non-saturating: the app's, the generator lowers "
                        "−log D(θ); Wasserstein: WGAN-GP's critic loss (its penalty is the gradient-penalty "
                        "regularizer).", choices=DIRAC_LOSSES, commands=DIRAC, step="graph")
    regularizer: str = setting("none", "choice", "regularizer", "What the discriminator's loss adds: nothing, R1 "
                               "(γ/2 times the squared gradient at the real point), Gaussian instance noise of scale "
                               "σ on real and fake points, or WGAN-GP's gradient penalty (weight γ).",
                               choices=REGULARIZERS, commands=DIRAC, step="graph")
    update: str = setting("simultaneous", "choice", "updates", "Simultaneous: both players step from the same "
                          "(θ, ψ); alternating: the discriminator first, then the generator against the new ψ.",
                          choices=DIRAC_UPDATES, commands=DIRAC, step="graph")
    steps: int = setting(300, "whole", "steps", "Gradient steps of each player.", low=1, high=100_000,
                         commands=DIRAC, step="loop")
    lr: float = setting(0.2, "number", "step size (learning rate)", "Both players' plain gradient step size.",
                        low=0, high=10, above=True, commands=DIRAC, step="state")
    gamma: float = setting(1.0, "number", "regularizer weight γ", "R1's γ, or the gradient penalty's weight λ.",
                           low=0, high=100, commands=DIRAC, step="state")
    sigma: float = setting(1.0, "number", "instance noise σ", "The instance noise's standard deviation.",
                           low=0, high=10, commands=DIRAC, step="state")
    theta0: float = setting(1.0, "number", "start θ", START_HELP, low=-10, high=10, commands=DIRAC, step="state")
    psi0: float = setting(1.0, "number", "start ψ", START_HELP, low=-10, high=10, commands=DIRAC, step="state")
    seed: int = setting(1, "whole", "Seed", "The instance noise's and the gradient penalty's draws.", low=0,
                        high=2**31 - 1, commands=DIRAC, step="state")

    def related(self, errors: dict) -> None:
        """Each field stands alone (no batch, no check-ins)."""
