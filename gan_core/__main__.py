"""Command line: `python -m gan_core train ...`, `python -m gan_core discriminator ...` and
`python -m gan_core sweep --seeds 16 ...` (train's settings on many seeds at once).

Prints the tutorial's check-in lines (`1999 0.45 1.0`: loop index, acc_real, acc_fake)
followed by losses and metrics, and writes DIR/history.csv, DIR/samples.csv and, for
`train`, DIR/generator.keras; `sweep` writes DIR/history.csv with a seed column and
DIR/summary.csv (each seed's last check-in, and whether it met the success criterion). The real data: a 1-D function (--target x^2, --expr ...) or a
2-D point set (--target ring8|grid25|moons|spiral, or --points FILE.csv); a point set's
networks default to the 2-D pages' (two layers of 64, latent_dim 8, n_batch 256); or MNIST
digits (--target mnist: the app's default DCGAN, which shows digits within a minute;
--networks/--d-filters/--g-filters/--scale; a sweep takes 1-D and 2-D runs only). Files go
to --out, by default runs/train (runs/discriminator, runs/sweep). The data kinds are gan_core.kinds'.
"""
from __future__ import annotations

import argparse
import os
import sys

from . import kinds
from .config import (ACTIVATIONS, EVAL_UNITS, IMAGE_NETWORKS, OPTIMIZERS, UPDATE_STYLES, Config, ConfigError,
                     ImageConfig, parse_widths)
from .losses import DEFAULT, LOSSES
from .points import NETWORKS, POINT_SETS, UPLOADED, PointsError, read_points_csv
from .targets import BUILTIN_TARGETS


def _widths(text):
    try:
        return parse_widths(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m gan_core", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    default = Config()
    for name, help_text in (("train", "train a GAN on a 1-D target"),
                            ("discriminator", "train the discriminator alone: real samples vs uniform noise"),
                            ("sweep", "train a GAN on many seeds at once: how often does this setting work?")):
        p = sub.add_parser(name, help=help_text)
        target = p.add_mutually_exclusive_group()
        target.add_argument("--target", choices=[*BUILTIN_TARGETS, *POINT_SETS, *kinds.DIGITS.targets],
                            default=default.target,
                            help="built-in 1-D function, 2-D point set or MNIST digits (default: %(default)s)")
        target.add_argument("--expr", help="your own f(x), e.g. '0.3*sin(6*x) + x**2'")
        target.add_argument("--points", metavar="FILE.csv", help="your own 2-D points: a CSV of x, y")
        p.add_argument("--low", type=float, help="domain start (default: the target's own)")
        p.add_argument("--high", type=float, help="domain end (default: the target's own)")
        p.add_argument("--n-epochs", type=int, default=None, help="training iterations (default 10000, lab 1000)")
        p.add_argument("--n-batch", type=int, default=None, help="samples per iteration, half real (default 128, 2-D 256)")
        p.add_argument("--n-eval", type=int, default=None, help="iterations between check-ins (default 2000, lab 100)")
        p.add_argument("--n-eval-samples", type=int, default=None)
        p.add_argument("--d-hidden", type=_widths, default=None, help="discriminator widths, e.g. 25 or 32,16")
        p.add_argument("--d-activation", choices=ACTIVATIONS, default=default.d_activation)
        p.add_argument("--d-lr", type=float, default=None,
                       help=f"default {default.d_lr:g}, MNIST {ImageConfig().d_lr:g}")
        if name != "sweep":  # MNIST's networks and pixels (--target mnist)
            p.add_argument("--networks", choices=IMAGE_NETWORKS, default=None,
                           help="MNIST: the DCGAN paper's networks (batch norm; default) or the MNIST tutorial's")
            p.add_argument("--d-filters", type=int, default=None,
                           help=f"MNIST: discriminator filters (default {ImageConfig().d_filters})")
            p.add_argument("--scale", choices=("unit", "tanh"), default=None,
                           help=f"MNIST: pixels in [0, 1] with a sigmoid generator or [-1, 1] with tanh "
                                f"(default {ImageConfig().scale})")
        if name != "sweep":
            p.add_argument("--eval-unit", choices=EVAL_UNITS, default=None,
                           help="MNIST: n_epochs and n_eval count iterations (default) or epochs (the tutorial's)")
        if name == "train":
            p.add_argument("--g-filters", type=int, default=None,
                           help=f"MNIST: generator filters (default {ImageConfig().g_filters})")
        p.add_argument("--seed", type=int, default=None, help=f"default {default.seed}")
        p.add_argument("--out", default=os.path.join("runs", name), metavar="DIR",
                       help="folder for history.csv, samples.csv (and generator.keras); default %(default)s")
        if name == "sweep":
            p.add_argument("--seeds", type=int, default=16,
                           help="how many seeds: --seed, --seed + 1, ... (2 to 64; default %(default)s)")
        if name in ("train", "sweep"):
            p.add_argument("--latent-dim", type=int, default=None)
            p.add_argument("--g-hidden", type=_widths, default=None)
            p.add_argument("--g-activation", choices=ACTIVATIONS, default=default.g_activation)
            p.add_argument("--g-lr", type=float, default=None,
                           help=f"default {default.g_lr:g}, MNIST {ImageConfig().g_lr:g}")
            p.add_argument("--update", choices=UPDATE_STYLES, default=default.update,
                           help="separate: two discriminator updates per iteration (1-D tutorial); stacked: one")
            p.add_argument("--pack", type=int, default=default.pack,
                           help="samples the discriminator judges at once (PacGAN; default 1, the tutorial's)")
            p.add_argument("--loss", choices=tuple(LOSSES), default=None,
                           help="; ".join(f"{name}: {loss.label}" for name, loss in LOSSES.items())
                           + f" (default {DEFAULT})")
            p.add_argument("--n-critic", type=int, default=None,
                           help=f"wgan-gp: critic steps per generator step (default {default.n_critic})")
            p.add_argument("--gp-weight", type=float, default=None,
                           help=f"wgan-gp: the gradient penalty's weight (default {default.gp_weight:g})")
            p.add_argument("--optimizer", choices=OPTIMIZERS, default=None, help="adam (default) or sgd (plain)")
            p.add_argument("--beta-1", type=float, default=None,
                           help=f"Adam's first-moment decay (default {default.beta_1:g}, "
                                f"MNIST {ImageConfig().beta_1:g})")
        else:
            p.add_argument("--noise-low", type=float, default=default.noise_low)
            p.add_argument("--noise-high", type=float, default=default.noise_high)
    return parser


# flags of some kinds only: dest -> the kinds it applies to
PLANE = (kinds.FUNCTION, kinds.POINTS)
DIGITS = (kinds.DIGITS,)
ONLY = {"networks": DIGITS, "d_filters": DIGITS, "g_filters": DIGITS, "scale": DIGITS, "eval_unit": DIGITS,
        "low": PLANE, "high": PLANE, "d_hidden": PLANE, "g_hidden": PLANE, "loss": PLANE, "n_critic": PLANE,
        "gp_weight": PLANE, "optimizer": PLANE}


def kind_from_args(args) -> kinds.DataKind:
    return kinds.FUNCTION if args.expr is not None else kinds.of_target(UPLOADED if args.points else args.target)


def config_from_args(args):
    """The settings the flags ask for, of the kind --target names; a flag of another kind is
    refused (ConfigError), as is a sweep of MNIST."""
    kind = kind_from_args(args)
    wrong = [k for k, applies in ONLY.items() if getattr(args, k, None) is not None and kind not in applies]
    if wrong:
        raise ConfigError({k: f"--{k.replace('_', '-')} does not apply to {kind.title} (it is for "
                              f"{' and '.join(other.title for other in ONLY[k])})." for k in wrong})
    if kind is kinds.DIGITS:
        return image_config_from_args(args)
    lab = args.command == "discriminator"
    values = {k: v for k, v in vars(args).items() if k not in ("command", "out", "expr", "target", "points", "seeds")}
    values["n_epochs"] = args.n_epochs or (1000 if lab else 10_000)
    values["n_eval"] = args.n_eval or (100 if lab else 2000)
    if args.expr is not None:
        values.update(target="custom", expr=args.expr)
    else:
        values["target"] = UPLOADED if args.points else args.target
    networks = NETWORKS if kind is kinds.POINTS else {}  # a point set's own
    for name, default in {**vars(Config()), **networks}.items():  # what was not given
        if values.get(name, 0) is None:
            values[name] = default
    return Config(**{k: v for k, v in values.items() if k in vars(Config())})


def image_config_from_args(args) -> ImageConfig:
    if args.command == "sweep":
        raise ConfigError({"target": "A sweep trains 1-D functions and 2-D point sets; MNIST has none "
                                     "(a DCGAN per seed takes minutes on a CPU)."})
    default = ImageConfig()
    given = {k: v for k, v in vars(args).items() if v is not None and k in vars(default)}  # what was typed
    return ImageConfig(**{**vars(default), **given})


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = config_from_args(args)
    except ConfigError as err:
        parser.error("\n  ".join(err.errors.values()))  # exits 2
    errors = config.validate()
    if errors:
        parser.error("\n  ".join(errors.values()))  # exits 2
    points = None
    if args.points:
        try:
            with open(args.points, "rb") as f:
                points = read_points_csv(f.read())
        except OSError as err:
            parser.error(f"--points: cannot read {args.points}: {err.strerror}")
        except PointsError as err:
            parser.error(f"--points: {err}")
    if args.command == "sweep":
        return sweep(parser, args, config, points)
    kind = kinds.of_settings(config)
    if kind is kinds.DIGITS:
        return train_digits(args, config)
    import pandas as pd

    run = kind.discriminator(config, points) if args.command == "discriminator" else kind.gan(config, points)
    where = f" on [{run.target.low:g}, {run.target.high:g}]" if hasattr(run.target, "low") else ""
    print(f"# {run.target.label}{where}, {config.n_epochs:,} iterations")
    for ev in run.train():
        line = f"{ev.epoch} {ev.acc_real:g} {ev.acc_fake:g}  d_loss={ev.d_loss:.3f}"
        if args.command == "train":
            m = ev.metrics
            line += f" g_loss={ev.g_loss:.3f}  "
            if "curve_error" in m:
                line += f"curve_error={m['curve_error']:.4f} coverage={m['coverage']:.2f} outside={m['outside']:.2f} "
            if "modes" in m:
                line += (f"modes={m['modes']:.0f}/{m['modes_floor']:.0f} high_quality={m['high_quality']:.2f} "
                         f"reverse_kl={m['reverse_kl']:.3f} ")
            line += f"energy={m['energy']:.4f} (real-vs-real {m['energy_floor']:.4f})"
        print(line, flush=True)
    last = run.history[-1]
    frames = [pd.DataFrame(last.real, columns=["x", "y"]).assign(kind="real"),
              pd.DataFrame(last.fake, columns=["x", "y"]).assign(kind="fake")]
    return write(args, run, pd.concat(frames))


def write(args, run, samples) -> int:
    """DIR/history.csv, DIR/samples.csv and, for `train`, DIR/generator.keras."""
    os.makedirs(args.out, exist_ok=True)
    run.history_frame().to_csv(os.path.join(args.out, "history.csv"), index=False)
    samples.to_csv(os.path.join(args.out, "samples.csv"), index=False)
    written = ["history.csv", "samples.csv"]
    if args.command == "train":
        run.save_generator(os.path.join(args.out, "generator.keras"))
        written.append("generator.keras")
    print(f"# {run.seconds:.1f} s training; wrote {', '.join(written)} to {args.out}")
    return 0


def train_digits(args, config: ImageConfig) -> int:
    """MNIST: the tutorial's check-in lines with the classifier's scores; history.csv, samples.csv
    (the last check-in's 100 digits, 784 pixels in [0, 1] each) and generator.keras."""
    import numpy as np
    import pandas as pd

    from .mnist import load_classifier

    kind = kinds.DIGITS
    lab = args.command == "discriminator"
    run = kind.discriminator(config) if lab else kind.gan(config, classifier=load_classifier())
    print(f"# {run.digits.source}; {run.n_epochs:,} iterations of {config.n_batch}")
    for ev in run.train():
        line = f"{ev.iteration} {ev.acc_real:g} {ev.acc_fake:g}  d_loss={ev.d_loss:.3f}"
        if not lab:
            s = ev.scores
            line += (f" g_loss={ev.g_loss:.3f}  classifier_score={s['classifier_score']:.2f} (real digits "
                     f"{s['classifier_score_real']:.2f}) digits_present={s['digits_present']:.0f}")
        print(line, flush=True)
    grid = run.history[-1].grid.reshape(len(run.history[-1].grid), -1)
    samples = pd.DataFrame(np.round(grid, 4), columns=[f"p{i}" for i in range(grid.shape[1])])
    samples.insert(0, "kind", ["real"] * 10 + ["noise"] * 10 if lab else ["fake"] * len(grid))
    return write(args, run, samples)


def sweep(parser, args, config, points) -> int:
    from .sweep import MAX_SEEDS, Sweep

    if not 2 <= args.seeds <= MAX_SEEDS:
        parser.error(f"--seeds: 2 to {MAX_SEEDS} seeds (got {args.seeds})")
    run = Sweep(config, args.seeds, points=points)
    print(f"# {run.target.label}, {config.n_epochs:,} iterations, seeds {run.seeds[0]} to {run.seeds[-1]}; "
          f"success: {run.criterion}")
    for check in run.train():
        frame = run.summary()
        scores = "  ".join(f"{name} median {frame[name].median():.4f}" for name in ("curve_error", "modes", "energy")
                           if name in frame)
        print(f"{check.iteration} success {int(frame.success.sum())}/{len(frame)}  {scores}", flush=True)
    os.makedirs(args.out, exist_ok=True)
    run.history_frame().to_csv(os.path.join(args.out, "history.csv"), index=False)
    run.summary().to_csv(os.path.join(args.out, "summary.csv"), index=False)
    print(f"# success rate {run.success_rate():.0%} ({run.criterion}); {run.seconds:.1f} s training; "
          f"wrote history.csv, summary.csv to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
