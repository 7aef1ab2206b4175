"""Command line: `python -m gan_core train ...`, `python -m gan_core discriminator ...` and
`python -m gan_core sweep --seeds 16 ...` (train's settings on many seeds at once).

Prints the tutorial's check-in lines (`1999 0.45 1.0`: loop index, acc_real, acc_fake)
followed by losses and metrics, and writes DIR/history.csv, DIR/samples.csv and, for
`train`, DIR/generator.keras; `sweep` writes DIR/history.csv with a seed column and
DIR/summary.csv (each seed's last check-in, and whether it met the success criterion). The real
data: a 1-D function (--target x^2, --expr ...), a 2-D point set (--target ring8|grid25|moons|spiral,
or --points FILE.csv), 1-D samples (--target normal1d|bimodal1d, or --samples FILE.csv of one
column); a point set's networks default to its pages' (kinds.py); or MNIST digits (--target mnist: the app's default DCGAN, which shows digits within a minute;
--networks/--d-filters/--g-filters/--scale; a sweep takes 1-D and 2-D runs only); or your own pictures
(--images FOLDER|FILE.zip, or --target shapes for made-up ones; --side, --color, --augment; also writes
DIR/samples.png, a grid of the last check-in's pictures; a bad picture is refused in one line on stderr,
naming it, exit 2, before anything is written). Files go to --out, by default runs/train
(runs/discriminator, runs/sweep). The data kinds are gan_core.kinds'. --minutes X (any of the three
commands) is a time budget: training stops at the first check-in after X minutes of training, writes
what it trained as it would at the end, and says that it stopped for the budget.

`python -m gan_core dirac --loss minimax --regularizer r1 --update alternating ...` trains the Dirac-GAN
of the "Why GANs circle" lesson (gan_core.teaching.dirac) and writes DIR/trajectory.csv (step, theta, psi).
Every command that writes to --out also writes DIR/settings.json: the command, its arguments, every
setting the run used (defaults included) and the versions it ran with.
"""
from __future__ import annotations

import argparse
import os
import sys

from gan_core import kinds
from gan_core.cli import runs
from gan_core.data.points import PointsError
from gan_core.data.targets import BUILTIN_TARGETS
from gan_core.settings import defaults as target_defaults
from gan_core.settings.config import Config, DiracConfig, ImageConfig
from gan_core.settings.described import ConfigError, Setting, parse_widths
from gan_core.settings.typed import parse_number

UPLOADS = {kind.name: kind for kind in kinds.KINDS.values() if kind.upload}  # --points, --samples: a user's CSV


LAB = {"n_epochs": 1000, "n_eval": 100}  # the discriminator command's own defaults (a 1-D, 2-D or samples lab)
METAVARS = {"whole": "N", "number": "X", "widths": "W[,W...]", "text": None, "choice": None}


def _widths(text):
    try:
        return parse_widths(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _number(described: Setting):
    """An argparse type that reads a number as the app's fields do (gan_core.settings.typed): strictly."""
    def read(text):
        try:
            return parse_number(text, described.kind == "whole", described.label)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None
    read.__name__ = described.kind  # argparse names a type in its messages
    return read


def described() -> dict[str, dict[type, Setting]]:
    """Every setting of every kind's settings class, in field order: name -> {class: its Setting}."""
    out = {}
    for settings in dict.fromkeys(kind.settings for kind in kinds.KINDS.values()):
        for name, setting in settings.settings().items():
            out.setdefault(name, {})[settings] = setting
    return out


def _shown(value) -> str:
    return ",".join(map(str, value)) if isinstance(value, tuple) else f"{value:g}" if isinstance(value, float) else (
        f"{value}")


def flag_help(name: str, by_class: dict[type, Setting], command: str) -> str:
    """A flag's help, from its description: what it is, what it may be (argparse lists a choice's
    names), its default for each kind, what it does."""
    main = next(iter(by_class.values()))
    defaults, titles = {}, []  # each kind's default for this command, the first kind's first
    for kind in kinds.KINDS.values():
        if kind.settings in by_class:
            titles.append(kind.title)
            start = {**vars(kind.settings()), **kind.defaults, **(LAB if command == "discriminator" and
                                                                   kind.settings is Config else {})}
            if start[name] is not None:
                defaults.setdefault(_shown(start[name]), []).append(kind.title)
    only = {kinds.DIGITS.title: "MNIST: ", kinds.IMAGES.title: f"{kinds.IMAGES.title}: "}  # a flag of one kind
    text = (only.get(titles[0], "") if len(titles) == 1 else "") + main.label
    if main.kind != "choice" and main.low is not None:
        text += f": {main.allowed()}"
        for settings, setting in by_class.items():  # another kind's range (MNIST's latent_dim)
            if setting.allowed() != main.allowed():
                whose = " and ".join(k.title for k in kinds.KINDS.values() if k.settings is settings)
                text += f" ({whose}: {setting.allowed()})"
    if defaults:
        (default, _), *others = defaults.items()
        text += f"; default {default}" + "".join(f", {' and '.join(kinds)} {value}" for value, kinds in others)
    if main.kind == "choice" and any(c != words for c, words in main.choices.items()):
        return text + ". " + "; ".join(f"{c}: {words}" for c, words in main.choices.items()) + "."
    return f"{text}. {main.help}" if main.help else text + "."


def build_parser() -> argparse.ArgumentParser:
    """The commands and their flags: a flag per setting, made from its description (config.py)."""
    parser = argparse.ArgumentParser(prog="python -m gan_core", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("train", "train a GAN on a 1-D target"),
                            ("discriminator", "train the discriminator alone: real samples vs uniform noise"),
                            ("sweep", "train a GAN on many seeds at once: how often does this setting work?")):
        p = sub.add_parser(name, help=help_text)
        target = p.add_mutually_exclusive_group()  # the real data: a target, f(x) or a user's CSV
        target.add_argument("--target", choices=[*BUILTIN_TARGETS, *(t for kind in kinds.KINDS.values()
                                                                     for t in kind.targets if t != kind.upload)],
                            default=None, help=f"default {Config().target}: a built-in "
                                                f"{_in_words([kind.title for kind in kinds.KINDS.values()])}"
                                                + ("" if name == "discriminator" else
                                                   f"; {target_defaults.in_words()}".replace("%", "%%")))
        target.add_argument("--expr", help=Config.settings()["expr"].help)
        for flag, kind in UPLOADS.items():
            target.add_argument(f"--{flag}", metavar="FILE.csv", help=f"your own {kind.title}: {kind.upload_rules}")
        target.add_argument("--images", metavar="FOLDER|FILE.zip", help=f"{kinds.IMAGES.title}: {images_rules()}")
        for dest, by_class in described().items():
            setting = next(iter(by_class.values()))
            commands = {c for s in by_class.values() for c in s.commands}
            if dest in ("target", "expr") or name not in commands:
                continue
            typed = {"whole": _number(setting), "number": _number(setting), "widths": _widths}.get(setting.kind)
            switch = setting.kind == "choice" and set(setting.choices) == {"off", "on"}  # `--conditional` alone: on
            p.add_argument(f"--{dest.replace('_', '-')}", type=typed, default=None, metavar=METAVARS[setting.kind],
                           choices=tuple(setting.choices) if setting.kind == "choice" else None,
                           **({"nargs": "?", "const": "on"} if switch else {}),
                           help=(flag_help(dest, by_class, name) + (" Alone: on." if switch else "")).replace("%", "%%"))
        p.add_argument("--out", default=os.path.join("runs", name), metavar="DIR",
                       help="folder for history.csv, samples.csv (and generator.keras); default %(default)s")
        p.add_argument("--minutes", metavar="X", default=None,
                       help="a time budget: stop at the first check-in after X minutes of training (a number above "
                            "0), writing what was trained as at the end; default: train all n_epochs iterations")
        runs.add_flags(p, name)  # --no-store
        if name == "sweep":
            p.add_argument("--seeds", type=int, default=16,
                           help="how many seeds: --seed, --seed + 1, ... (2 to 64, with --grid 1 to 64 per cell; "
                                "default %(default)s)")
            p.add_argument("--grid", action="append", metavar="NAME=VALUES",
                           help="a settings grid: vary a setting over values, like g_lr=0.0005,0.001,0.002, "
                                "g_lr=log:0.0002:0.002:4 or d_hidden=25;32,16 (once or twice); writes grid.csv too")
            p.add_argument("--ray", metavar="local|ADDRESS", default=None,
                           help=f"train a grid's tasks on Ray: a local instance, or the cluster at ADDRESS "
                                f"(default: ${ray_address_variable()}, else in this process)")
    add_dirac_parser(sub)
    runs.add_parser(sub)  # python -m gan_core runs list|show|resume|delete|export-tensorboard
    return parser


def add_dirac_parser(sub) -> None:
    """`dirac`: a flag per DiracConfig setting, made from its description."""
    p = sub.add_parser("dirac", help="the Dirac-GAN lesson: why GANs circle (Mescheder et al. 2018); writes "
                                     "trajectory.csv")
    default = DiracConfig()
    for dest, setting in DiracConfig.settings().items():
        typed = _number(setting) if setting.kind in ("whole", "number") else None
        text = setting.label + ("" if setting.kind == "choice" else f": {setting.allowed()}")
        text += f"; default {_shown(getattr(default, dest))}. {setting.help}"
        if setting.kind == "choice":
            text += " " + "; ".join(f"{c}: {words}" for c, words in setting.choices.items()) + "."
        p.add_argument(f"--{dest.replace('_', '-')}", type=typed, default=None, metavar=METAVARS[setting.kind],
                       choices=tuple(setting.choices) if setting.kind == "choice" else None,
                       help=text.replace("%", "%%"))
    p.add_argument("--out", default=os.path.join("runs", "dirac"), metavar="DIR",
                   help="folder for trajectory.csv and settings.json; default %(default)s")


# a flag of some kinds only (a setting their settings class has): dest -> those kinds
SETTINGS = {kind: {f for f in vars(kind.settings())} for kind in kinds.KINDS.values()}
ONLY = {dest: tuple(k for k in kinds.KINDS.values() if dest in SETTINGS[k]) for dest in set().union(*SETTINGS.values())
        if dest != "target" and not all(dest in fields for fields in SETTINGS.values())}


def uploaded(args):
    """(the kind, the path) of a --points or --samples file, or None."""
    return next(((kind, getattr(args, flag)) for flag, kind in UPLOADS.items() if getattr(args, flag)), None)


def images_rules() -> str:
    from gan_core.data.images import RULES

    return RULES


def kind_from_args(args) -> kinds.DataKind:
    if args.expr is not None:
        return kinds.FUNCTION
    if args.images is not None:
        return kinds.IMAGES
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
    if kind in (kinds.DIGITS, kinds.IMAGES):
        return image_config_from_args(args, kind)
    lab = args.command == "discriminator"
    values = {k: v for k, v in vars(args).items() if k not in ("command", "out", "expr", "target", "points", "seeds",
                                                                "grid", "ray", "images", "minutes")}
    for name, default in (LAB if lab else {}).items():
        values[name] = default if values.get(name) is None else values[name]
    values = {k: v for k, v in values.items() if k not in UPLOADS}
    if args.expr is not None:
        values.update(target="custom", expr=args.expr)
    else:
        values["target"] = kind.upload if uploaded(args) else args.target or Config().target
    # what was not given: the target's own defaults (settings/defaults.py) for a GAN, the kind's for the lab
    start = {**vars(Config()), **kind.defaults} if lab else vars(Config.for_target(values["target"]))
    for name, default in start.items():
        if values.get(name, 0) is None:
            values[name] = default
    return Config(**{k: v for k, v in values.items() if k in vars(Config())})


def _in_words(titles: list[str]) -> str:
    return " or ".join([", ".join(titles[:-1]), titles[-1]] if len(titles) > 1 else titles)


def image_config_from_args(args, kind=kinds.DIGITS) -> ImageConfig:
    """MNIST's or a user's pictures' settings (kind.settings) from the flags typed."""
    if args.command == "sweep" and kind is kinds.DIGITS:  # MNIST's sweep would take an hour on a CPU
        raise ConfigError({"target": sweep_refusal(kind)})
    default = kind.settings()
    given = {k: v for k, v in vars(args).items() if v is not None and k in vars(default)}  # what was typed
    return kind.settings(**{**vars(default), **given})


def sweep_refusal(kind) -> str:
    swept = _in_words([k.title for k in kinds.KINDS.values() if k is not kind])
    return (f"A sweep trains {swept}, not {kind.title}: train its seeds one by one (`train --target mnist "
            f"--seed N`), each judged by the digit classifier.")


class Budget:
    """--minutes: training stops at the first check-in after this many minutes of training (the run's own
    `seconds`, compiling included as the run counts it); None trains every iteration."""

    def __init__(self, text: str | None):
        self.minutes = None if text is None else minutes_allowed(text)
        self.stopped = False

    def over(self, seconds: float) -> bool:
        """At a check-in: whether the budget is spent (and so the training should stop here)."""
        self.stopped = self.minutes is not None and seconds >= self.minutes * 60
        return self.stopped

    def say(self, iteration: int, of: int, seconds: float) -> None:
        print(f"# stopped for the time budget (--minutes {self.minutes:g}): {seconds:.1f} s of training, "
              f"{iteration:,} of {of:,} iterations", flush=True)


def minutes_allowed(text: str) -> float:
    """--minutes as typed: a number above 0 (ValueError naming the flag otherwise)."""
    try:
        value = parse_number(str(text), False, "--minutes")
    except ValueError:
        value = None
    if value is None or not 0 < value < float("inf"):  # (nan fails both)
        raise ValueError(f"--minutes: a time budget in minutes, a number above 0 such as 5 or 0.5 (got {text!r})")
    return float(value)


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # as typed: settings.json keeps it
    if args.command == "runs":
        return runs.main(args)
    if args.command == "dirac":
        return dirac(parser, args)
    try:
        args.budget = Budget(args.minutes)
    except ValueError as err:
        return _refused(str(err))
    try:
        config = config_from_args(args)
    except ConfigError as err:
        parser.error("\n  ".join(err.errors.values()))  # exits 2
    errors = config.validate()
    if errors:  # each message names its flag, then the setting by its label on screen
        parser.error("\n  ".join(f"--{name.replace('_', '-')}: {message}" for name, message in errors.items()))
    if args.command == "sweep" and kinds.of_settings(config) is kinds.IMAGES and (args.grid or args.ray):
        return _refused(f"--grid: a settings grid trains 1-D and 2-D runs, not {kinds.IMAGES.title}: sweep "
                        f"its seeds (without --grid), a sweep per setting")
    pictures = None
    if kinds.of_settings(config) is kinds.IMAGES and args.images is not None:  # before anything is written
        from gan_core.data.images import ImagesError, read_path

        try:
            pictures = read_path(args.images, config.side, config.color)
        except ImagesError as err:
            return _refused(f"--images: {err}")
    runs.check(args)  # a store that cannot be written: said now, and training goes on
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
    if args.command == "sweep" and kinds.of_settings(config) is kinds.IMAGES:
        return image_sweep(parser, args, config, pictures)
    if args.command == "sweep" and (args.grid or args.ray):
        return settings_grid(parser, args, config, points)
    if args.command == "sweep":
        return sweep(parser, args, config, points)
    kind = kinds.of_settings(config)
    if kind is kinds.DIGITS:
        return train_digits(args, config)
    if kind is kinds.IMAGES:
        return train_images(args, config, pictures)
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
        if stop_for_budget(args, run):
            break
    last = run.history[-1]
    frames = [pd.DataFrame(samples, columns=list(kind.columns)).assign(kind=name)
              for name, samples in (("real", last.real), ("fake", last.fake))]
    return write(args, run, pd.concat(frames)[["kind", *kind.columns]])


def stop_for_budget(args, run, seconds: float | None = None) -> bool:
    """At a check-in: whether --minutes is spent (then said, and the caller stops training and writes)."""
    seconds = run.seconds if seconds is None else seconds
    if not args.budget.over(seconds):
        return False
    args.budget.say(run.iteration, run.n_epochs, seconds)
    return True


def _refused(message: str) -> int:
    """A bad input: one line on stderr, exit 2, nothing written."""
    print(f"python -m gan_core: error: {message}", file=sys.stderr)
    return 2


def write(args, run, samples, files: dict | None = None) -> int:
    """DIR/history.csv, DIR/samples.csv, `files` (name -> bytes) and, for `train`, DIR/generator.keras."""
    write_settings(args, run.config)
    run.history_frame().to_csv(os.path.join(args.out, "history.csv"), index=False)
    samples.to_csv(os.path.join(args.out, "samples.csv"), index=False)
    written = ["history.csv", "samples.csv", "settings.json"]
    for name, data in (files or {}).items():
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(data)
        written.append(name)
    if args.command == "train":
        run.save_generator(os.path.join(args.out, "generator.keras"))
        written.append("generator.keras")
    print(f"# {run.seconds:.2f} s training; wrote {', '.join(written)} to {args.out}")
    runs.store_run(args, run)  # into the run store, unless --no-store
    return 0


OPTIONS = ("seeds", "grid", "ray", "minutes", "points", "samples", "images", "no_store")  # flags that are no setting
VERSIONS = ("keras", "tensorflow", "tensorflow-cpu", "numpy", "pandas", "streamlit")


def write_settings(args, config) -> None:
    """DIR/settings.json, before the run's other files: the command and its arguments as typed, every
    setting the run used (the config's fields, defaults included: `config.to_dict()`, which
    `type(config).from_dict` reads back), the flags that are no setting (--seeds, --grid, a file read),
    and the versions it ran with, so a result can be reproduced and read by other tools."""
    import json
    import platform
    from importlib import metadata

    def version(package):
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return None

    import gan_core

    data = {"command": args.command, "argv": getattr(args, "argv", None),
            "settings_class": type(config).__name__, "settings": config.to_dict(),
            "options": {name: getattr(args, name) for name in OPTIONS if getattr(args, name, None) is not None},
            "versions": {"gan_core": getattr(gan_core, "__version__", None), "python": platform.python_version(),
                         **{package: v for package in VERSIONS if (v := version(package))}}}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "settings.json"), "w") as f:
        json.dump(data, f, indent=2, default=str)
        f.write("\n")


def dirac(parser, args) -> int:
    """`dirac`: the Dirac-GAN's path from the start over --steps steps; DIR/trajectory.csv (step, theta,
    psi) and DIR/settings.json. Prints the eigenvalues at the equilibrium and the distance to it."""
    given = {name: getattr(args, name) for name in DiracConfig.settings() if getattr(args, name) is not None}
    config = DiracConfig(**given)
    errors = config.validate()
    if errors:  # each message names its flag, then the setting by its label
        parser.error("\n  ".join(f"--{name.replace('_', '-')}: {message}" for name, message in errors.items()))
    from gan_core.teaching import dirac as lesson

    path = lesson.trajectory(config)
    write_settings(args, config)
    path[["step", "theta", "psi"]].to_csv(os.path.join(args.out, "trajectory.csv"), index=False)
    eigenvalues = ", ".join(f"{z.real:.4g}{z.imag:+.4g}i" for z in lesson.eigenvalues(config))
    d = path.distance
    print(f"# Dirac-GAN: {config.loss} loss, regularizer {config.regularizer}, {config.update} updates, "
          f"{config.steps:,} steps of {config.lr:g}")
    print(f"eigenvalues at (0, 0): {eigenvalues}")
    print(f"distance to (0, 0): start {d.iloc[0]:.4g}, min {d.min():.4g}, max {d.max():.4g}, end {d.iloc[-1]:.4g}")
    print(f"# wrote trajectory.csv, settings.json to {args.out}")
    return 0


def train_digits(args, config: ImageConfig) -> int:
    """MNIST: the tutorial's check-in lines with the classifier's scores; history.csv, samples.csv
    (the last check-in's 100 digits, 784 pixels in [0, 1] each; --conditional: after the kind, a label
    column, the digit asked for, ten of each) and generator.keras."""
    from gan_core.data.mnist import load_classifier

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
            if "frechet_distance" in s:
                line += " " + _judged(s)
            if "label_agreement" in s:
                line += f" label_agreement={s['label_agreement']:.3f}"
        print(line, flush=True)
        if stop_for_budget(args, run):
            break
    samples = _pixel_rows(run.history[-1].grid, lab)
    if getattr(run, "conditional", False):  # the grid's rows by digit: ten of each, the digit asked for
        samples.insert(1, "label", run.grid_digits)
        if "label_agreement" in run.history[-1].scores:
            n = metrics_fakes(run)
            print(f"# label agreement {run.history[-1].scores['label_agreement']:.1%}: of {n} generated digits "
                  f"({n // 10} asked for each digit), the share the digit classifier reads as the digit asked for")
    return write(args, run, samples)


def metrics_fakes(run) -> int:
    """How many generated digits a conditional run's label agreement judges (the digit judge's)."""
    from gan_core.judging.metrics import digit_judge

    return digit_judge(run.digits, run.classifier).n_fake


def train_images(args, config, pictures) -> int:
    """A user's pictures (or the made-up shapes): the check-in lines with the Fréchet distance and the
    memorization check beside their floors; history.csv, samples.csv (the last check-in's pictures, a
    row each: side × side × channels pixels in [0, 1], row-major) and samples.png (those pictures as a
    grid), and generator.keras."""

    from gan_core.teaching.pictures import grid_png

    kind = kinds.IMAGES
    lab = args.command == "discriminator"
    run = kind.discriminator(config, images=pictures) if lab else kind.gan(config, images=pictures)
    c = config
    print(f"# {run.digits.source}, {run.shape[0]}×{run.shape[1]}, {run.shape[2]} channel(s); DiffAugment "
          f"{c.augment}; {run.n_epochs:,} iterations of {c.n_batch}")
    for ev in run.train():
        line = f"{ev.iteration} {ev.acc_real:g} {ev.acc_fake:g}  d_loss={ev.d_loss:.3f}"
        if not lab:
            line += f" g_loss={ev.g_loss:.3f}  {_judged(ev.scores)}"
        print(line, flush=True)
        if stop_for_budget(args, run):
            break
    grid = run.history[-1].grid
    return write(args, run, _pixel_rows(grid, lab), {"samples.png": grid_png(grid)})


def _judged(scores: dict) -> str:
    """A picture run's label-free scores beside their floors, as a check-in line says them."""
    return (f"frechet_distance={scores['frechet_distance']:.4g} (real-vs-real {scores['frechet_distance_floor']:.4g}) "
            f"nearest_train_distance={scores['nearest_train_distance']:.3f} (real-vs-real "
            f"{scores['nearest_train_distance_floor']:.3f})")


def _pixel_rows(grid, lab: bool):
    """samples.csv of an image run: a kind column, then each picture's pixels in [0, 1], row-major
    (height, width, channels): the lab's 10 real then 10 noise pictures, or the GAN's fakes."""
    import numpy as np
    import pandas as pd

    flat = grid.reshape(len(grid), -1)
    samples = pd.DataFrame(np.round(flat, 4), columns=[f"p{i}" for i in range(flat.shape[1])])
    samples.insert(0, "kind", ["real"] * 10 + ["noise"] * 10 if lab else ["fake"] * len(grid))
    return samples


def image_sweep(parser, args, config, pictures) -> int:
    """`sweep --images`: the seeds one after another (a DCGAN does not stack as the small networks do);
    DIR/history.csv (a seed column) and DIR/summary.csv (a row per seed: its last check-in's distances
    and whether it met judgement.PICTURES)."""
    import dataclasses

    import pandas as pd

    from gan_core.judging.judgement import PICTURES, pictures_succeeded
    from gan_core.training.sweep import MAX_SEEDS

    if not 2 <= args.seeds <= MAX_SEEDS:
        parser.error(f"--seeds: 2 to {MAX_SEEDS} seeds (got {args.seeds})")
    seeds = range(config.seed, config.seed + args.seeds)
    print(f"# {kinds.IMAGES.title}, {config.n_epochs:,} iterations, seeds {seeds[0]} to {seeds[-1]}, one after "
          f"another; success: {PICTURES}")
    histories, rows, seconds = [], [], 0.0
    for seed in seeds:
        run = kinds.IMAGES.gan(dataclasses.replace(config, seed=seed), images=pictures)
        for _ in run.train():
            if stop_for_budget(args, run, seconds + run.seconds):  # the seeds' training together
                break
        scores, seconds = run.history[-1].scores, seconds + run.seconds
        histories.append(run.history_frame().assign(seed=seed))
        rows.append({"seed": seed, "iteration": run.iteration, **scores, "success": pictures_succeeded(scores)})
        print(f"seed {seed}: {_judged(scores)}  {'worked' if rows[-1]['success'] else 'did not'}", flush=True)
        runs.store_run(args, run, note=f"seed {seed} of a sweep of {len(seeds)}")
        if args.budget.stopped:  # the seeds after it are not trained
            break
    summary = pd.DataFrame(rows)
    write_settings(args, config)
    pd.concat(histories).to_csv(os.path.join(args.out, "history.csv"), index=False)
    summary.to_csv(os.path.join(args.out, "summary.csv"), index=False)
    print(f"# success rate {summary.success.mean():.0%} ({PICTURES}); {seconds:.2f} s training; "
          f"wrote history.csv, summary.csv, settings.json to {args.out}")
    return 0


def sweep(parser, args, config, points) -> int:
    from gan_core.training.sweep import MAX_SEEDS, Sweep

    if not 2 <= args.seeds <= MAX_SEEDS:
        parser.error(f"--seeds: 2 to {MAX_SEEDS} seeds (got {args.seeds})")
    run = Sweep(config, args.seeds, points=points)
    print(f"# {run.target.label}, {config.n_epochs:,} iterations, seeds {run.seeds[0]} to {run.seeds[-1]}; "
          f"success: {run.criterion}")
    for check in run.train():
        frame = run.summary()
        scores = "  ".join(f"{name} median {frame[name].median():.4f}" for name in run.target.scores)
        print(f"{check.iteration} success {int(frame.success.sum())}/{len(frame)}  {scores}", flush=True)
        if stop_for_budget(args, run):
            break
    write_settings(args, config)
    run.history_frame().to_csv(os.path.join(args.out, "history.csv"), index=False)
    run.summary().to_csv(os.path.join(args.out, "summary.csv"), index=False)
    print(f"# success rate {run.success_rate():.0%} ({run.criterion}); {run.seconds:.2f} s training; "
          f"wrote history.csv, summary.csv, settings.json to {args.out}")
    runs.store_sweep(args, run)  # each seed's run, unless --no-store
    return 0


def ray_address_variable() -> str:
    from gan_core.training.ray_grid import ADDRESS_VARIABLE

    return ADDRESS_VARIABLE


def settings_grid(parser, args, config, points) -> int:
    """`sweep --grid ...`: every cell of the grid on --seeds seeds; DIR/history.csv, DIR/summary.csv
    (a row per cell and seed) and DIR/grid.csv (a row per cell)."""
    from gan_core.training import ray_grid
    from gan_core.training.grid import Grid, GridError, parse_axis

    if not args.grid:
        parser.error("--ray: trains a settings grid: add --grid NAME=VALUES (a seed sweep runs in this process)")
    try:
        axes = [parse_axis(text) for text in args.grid]
        both = [a.name for a in axes if getattr(args, a.name, None) is not None]
        if both:
            raise GridError(f"--{both[0].replace('_', '-')} and --grid {both[0]}=... both set it: give one.")
        address = args.ray or ray_grid.configured_address()
        cluster = None
        if address:
            ray_grid.require(f"--ray {address}")
        grid = Grid(config, axes, args.seeds, points)  # checked before Ray starts
        if address:
            cluster = grid.ray = ray_grid.RayCluster(address)
    except (GridError, ray_grid.RayMissing) as err:
        parser.error(f"--grid: {err}" if isinstance(err, GridError) else str(err))
    where = f"on Ray ({address}: {cluster.describe()['cpus']} CPUs)" if cluster else "in this process"
    print(f"# {grid.target.label}: {len(grid.cells)} cells ({' × '.join(a.name for a in grid.axes)}) × "
          f"{len(grid.seeds)} seeds = {grid.runs} runs of {config.n_epochs:,} iterations, in {len(grid.groups)} "
          f"group(s) of one shape, {len(grid.tasks)} task(s), {where}; success: {grid.criterion}", flush=True)
    while not grid.done:  # grid.train(), with a look at the budget at each check-in
        checked = len(grid.history)
        for g in grid.advance():
            print(f"group {g + 1} of {len(grid.groups)} done: {len(grid.groups[g])} runs, {grid.seconds:.1f} s",
                  flush=True)
        if len(grid.history) > checked and stop_for_budget(args, grid):
            grid.pause()  # on Ray: the tasks still out are cancelled
            break
    summary = grid.summary()
    cells = grid.cell_frame(summary).rename(columns={"worked": "share_worked", "median": f"median_{grid.main_score}"})
    write_settings(args, config)  # the settings every cell shares; the axes are in options.grid
    grid.history_frame().to_csv(os.path.join(args.out, "history.csv"), index=False)
    summary.to_csv(os.path.join(args.out, "summary.csv"), index=False)
    cells.to_csv(os.path.join(args.out, "grid.csv"), index=False)
    print(cells.drop(columns=["cell"]).to_string(index=False))
    print(f"# {grid.seconds:.2f} s training; wrote history.csv, summary.csv, grid.csv, settings.json to {args.out}")
    runs.store_grid(args, grid)  # each cell's seeds' runs, unless --no-store
    return 0
