"""Command line: `python -m gan_core train ...`, `python -m gan_core discriminator ...` and
`python -m gan_core sweep --seeds 16 ...` (train's settings on many seeds at once).

Prints the tutorial's check-in lines (`1999 0.45 1.0`: loop index, acc_real, acc_fake)
followed by losses and metrics, and writes DIR/history.csv, DIR/samples.csv and, for
`train`, DIR/generator.keras; `sweep` writes DIR/history.csv with a seed column and
DIR/summary.csv (each seed's last check-in, and whether it met the success criterion). The real
data: a 1-D function (--target x^2, --expr ...), a 2-D point set (--target ring8|grid25|moons|spiral,
or --points FILE.csv), 1-D samples (--target normal1d|bimodal1d, or --samples FILE.csv of one
column); a point set's networks default to its pages' (kinds.py); or MNIST digits (--target mnist: the app's default DCGAN, which shows digits within a minute;
--networks/--d-filters/--g-filters/--scale; a sweep takes 1-D and 2-D runs only). Files go
to --out, by default runs/train (runs/discriminator, runs/sweep). The data kinds are gan_core.kinds'.
"""
from __future__ import annotations

import argparse
import os
import sys

from . import kinds, runs_cli
from .config import (ACTIVATIONS, EVAL_UNITS, IMAGE_NETWORKS, LATENTS, MAX_STEPS, OPTIMIZERS, UPDATE_STYLES, Config,
                     ConfigError, ImageConfig, parse_widths)
from .losses import DEFAULT, LOSSES
from .points import PointsError
from .targets import BUILTIN_TARGETS

UPLOADS = {kind.name: kind for kind in kinds.KINDS.values() if kind.upload}  # --points, --samples: a user's CSV


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
        target.add_argument("--target", choices=[*BUILTIN_TARGETS, *(t for kind in kinds.KINDS.values()
                                                                     for t in kind.targets if t != kind.upload)],
                            default=None, help=f"default {default.target}: built-in 1-D function, 2-D point set, 1-D samples or "
                                                         "MNIST digits")
        target.add_argument("--expr", help="your own f(x), e.g. '0.3*sin(6*x) + x**2'")
        for flag, kind in UPLOADS.items():
            target.add_argument(f"--{flag}", metavar="FILE.csv", help=f"your own {kind.title}: {kind.upload_rules}")
        p.add_argument("--low", type=float, help="domain start (default: the target's own)")
        p.add_argument("--high", type=float, help="domain end (default: the target's own)")
        p.add_argument("--n-epochs", type=int, default=None, help="training iterations (default 10000, lab 1000)")
        p.add_argument("--n-batch", type=int, default=None, help="samples per iteration, half real (default 128, 2-D 256)")
        p.add_argument("--n-eval", type=int, default=None, help="iterations between check-ins (default 2000, lab 100)")
        p.add_argument("--n-eval-samples", type=int, default=None)
        p.add_argument("--d-hidden", type=_widths, default=None, help="discriminator widths, e.g. 25 or 32,16")
        p.add_argument("--d-activation", choices=ACTIVATIONS, default=None,
                       help=f"default {default.d_activation}")
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
        runs_cli.add_flags(p, name)  # --no-store
        if name == "sweep":
            p.add_argument("--seeds", type=int, default=16,
                           help="how many seeds: --seed, --seed + 1, ... (2 to 64; default %(default)s)")
        if name in ("train", "sweep"):
            p.add_argument("--latent-dim", type=int, default=None)
            p.add_argument("--g-hidden", type=_widths, default=None)
            p.add_argument("--g-activation", choices=ACTIVATIONS, default=None,
                           help=f"default {default.g_activation}")
            p.add_argument("--g-lr", type=float, default=None,
                           help=f"default {default.g_lr:g}, MNIST {ImageConfig().g_lr:g}")
            p.add_argument("--update", choices=UPDATE_STYLES, default=None,
                           help="separate: two discriminator updates per iteration (1-D tutorial); stacked: one")
            p.add_argument("--pack", type=int, default=None,
                           help="samples the discriminator judges at once (PacGAN; default 1, the tutorial's)")
            p.add_argument("--loss", choices=tuple(LOSSES), default=None,
                           help="; ".join(f"{name}: {loss.label}" for name, loss in LOSSES.items())
                           + f" (default {DEFAULT})")
            p.add_argument("--n-critic", type=int, default=None,
                           help=f"wgan-gp: critic steps per generator step (default {default.n_critic})")
            p.add_argument("--gp-weight", type=float, default=None,
                           help=f"wgan-gp: the gradient penalty's weight (default {default.gp_weight:g})")
            p.add_argument("--optimizer", choices=OPTIMIZERS, default=None, help="adam (default) or sgd (plain)")
            p.add_argument("--d-steps", type=int, default=None,
                           help=f"discriminator updates per iteration, 1 to {MAX_STEPS} (default {default.d_steps})")
            p.add_argument("--g-steps", type=int, default=None,
                           help=f"generator updates per iteration, 1 to {MAX_STEPS} (default {default.g_steps})")
            p.add_argument("--latent", choices=LATENTS, default=None,
                           help="latent points: gaussian N(0, 1) (default, the tutorials') or uniform U(-1, 1)")
            p.add_argument("--beta-1", type=float, default=None,
                           help=f"Adam's first-moment decay (default {default.beta_1:g}, "
                                f"MNIST {ImageConfig().beta_1:g})")
        else:
            p.add_argument("--noise-low", type=float, default=None, help=f"default {default.noise_low:g}")
            p.add_argument("--noise-high", type=float, default=None, help=f"default {default.noise_high:g}")
    runs_cli.add_parser(sub)  # python -m gan_core runs list|show|resume|delete|export-tensorboard
    return parser


# a flag of some kinds only (a setting their settings class has): dest -> those kinds
SETTINGS = {kind: {f for f in vars(kind.settings())} for kind in kinds.KINDS.values()}
ONLY = {dest: tuple(k for k in kinds.KINDS.values() if dest in SETTINGS[k]) for dest in set().union(*SETTINGS.values())
        if dest != "target" and not all(dest in fields for fields in SETTINGS.values())}


def uploaded(args):
    """(the kind, the path) of a --points or --samples file, or None."""
    return next(((kind, getattr(args, flag)) for flag, kind in UPLOADS.items() if getattr(args, flag)), None)


def kind_from_args(args) -> kinds.DataKind:
    if args.expr is not None:
        return kinds.FUNCTION
    upload = uploaded(args)
    return upload[0] if upload else kinds.of_target(args.target or Config().target)


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
    values = {k: v for k, v in values.items() if k not in UPLOADS}
    if args.expr is not None:
        values.update(target="custom", expr=args.expr)
    else:
        values["target"] = kind.upload if uploaded(args) else args.target or Config().target
    for name, default in {**vars(Config()), **kind.defaults}.items():  # what was not given
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
    if args.command == "runs":
        return runs_cli.main(args)
    try:
        config = config_from_args(args)
    except ConfigError as err:
        parser.error("\n  ".join(err.errors.values()))  # exits 2
    errors = config.validate()
    if errors:
        parser.error("\n  ".join(errors.values()))  # exits 2
    runs_cli.check(args)  # a store that cannot be written: said now, and training goes on
    points, upload = None, uploaded(args)
    if upload:
        kind, path = upload
        try:
            with open(path, "rb") as f:
                points = kind.read_upload(f.read())
        except OSError as err:
            parser.error(f"--{kind.name}: cannot read {path}: {err.strerror}")
        except PointsError as err:
            parser.error(f"--{kind.name}: {err}")
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
            line += f" g_loss={ev.g_loss:.3f}  " + " ".join(
                f"{name}={m[name]:.4g} (real-vs-real {m[name + '_floor']:.4g})" for name in run.target.scores)
        print(line, flush=True)
    last = run.history[-1]
    frames = [pd.DataFrame(samples, columns=list(kind.columns)).assign(kind=name)
              for name, samples in (("real", last.real), ("fake", last.fake))]
    return write(args, run, pd.concat(frames)[["kind", *kind.columns]])


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
    runs_cli.store_run(args, run)  # into the run store, unless --no-store
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
        scores = "  ".join(f"{name} median {frame[name].median():.4f}" for name in run.target.scores)
        print(f"{check.iteration} success {int(frame.success.sum())}/{len(frame)}  {scores}", flush=True)
    os.makedirs(args.out, exist_ok=True)
    run.history_frame().to_csv(os.path.join(args.out, "history.csv"), index=False)
    run.summary().to_csv(os.path.join(args.out, "summary.csv"), index=False)
    print(f"# success rate {run.success_rate():.0%} ({run.criterion}); {run.seconds:.1f} s training; "
          f"wrote history.csv, summary.csv to {args.out}")
    runs_cli.store_sweep(args, run)  # each seed's run, unless --no-store
    return 0


if __name__ == "__main__":
    sys.exit(main())
