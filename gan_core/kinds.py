"""Kinds of real data: the one place that says which kinds there are and what each is made of.

A kind names its settings class (one base, described._Settings: validation, JSON, links), how its
real data is chosen (a 1-D function, a 2-D point set, 1-D samples, MNIST digits, a user's pictures), the settings
its runs start from, a user's CSV if it takes one, and its two runs, the GAN and the
discriminator alone; the runs bring the kind's sampler, networks, metrics and evaluation, and
all train through run.ChunkedRun and steps.Steps (shared updates, seeding, compiled loops). The
CLI, the bundles and the app's sidebar, pages and run names look kinds up here, so a new kind is
one module with its real data (samples.py) or its runs (training/images.py), an entry in KINDS,
and its pages.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from gan_core.data import points, samples
from gan_core.settings.config import Config, ImageConfig, YourImagesConfig
from gan_core.settings.described import _Settings


@dataclass(frozen=True, eq=False)  # a kind is itself: compared and hashed by identity
class DataKind:
    name: str  # "function", "points", "samples", "digits", "images": the CLI's and a bundle's word for it
    title: str  # the sidebar's "1-D function"
    short: str  # names its runs: "1-D run 3"
    settings: type  # its settings class: Config, ImageConfig or YourImagesConfig
    targets: tuple[str, ...]  # the CLI's --target names that choose it (a 1-D function: all others)
    _gan: Callable
    _lab: Callable
    defaults: dict = field(default_factory=dict)  # settings its runs start from, unless told (pages, CLI)
    point_set: Callable | None = None  # (target, uploaded rows) -> its PointSet; None: not a point set
    upload: str | None = None  # the target of a user's CSV ("csv"), read by read_upload
    read_upload: Callable | None = None  # CSV bytes -> rows, or PointsError saying what is allowed
    upload_rules: str = ""  # what such a CSV may be, in words
    columns: tuple[str, ...] = ("x", "y")  # a sample's coordinates: the CLI's samples.csv columns

    def gan(self, settings: _Settings, points: np.ndarray | None = None, **extra):
        """A GAN run of this kind (points: a user's 2-D points; extra: e.g. MNIST's classifier, a user's
        pictures as `images=`, an ImageSet)."""
        return self._gan(settings.checked(), points, **extra)

    def discriminator(self, settings: _Settings, points: np.ndarray | None = None, **extra):
        """The discriminator alone, on this kind's real data against noise (extra: e.g. MNIST's digits)."""
        return self._lab(settings.checked(), points, **extra)


# The runs are imported when one is built: training starts TensorFlow (seconds), and naming a kind, checking
# settings or reading a command line must not wait for it.

def _plane_gan(config, points):  # a 1-D function's (x, f(x)) or a 2-D point set: one run class
    from gan_core.training.plane import GanRun

    return GanRun(config, points=points)


def _plane_lab(config, points):
    from gan_core.training.plane import DiscriminatorRun

    return DiscriminatorRun(config, points=points)


def _digits(config):
    from gan_core.data.mnist import load_digits

    return load_digits(config.scale)


def _digits_gan(config, points, classifier=None, digits=None):
    from gan_core.training.images import ImageGanRun

    return ImageGanRun(config, digits if digits is not None else _digits(config), classifier=classifier)


def _digits_lab(config, points, digits=None):
    from gan_core.training.images import ImageDiscriminatorRun

    return ImageDiscriminatorRun(config, digits if digits is not None else _digits(config))


def _images(config, images):
    """The pictures a run of the images kind trains on: the user's (an ImageSet, data/images.py), or without
    them the made-up squares and circles (target "shapes") prepared as the settings ask."""
    if images is not None:
        return images
    from gan_core.data.images import made_up_shapes

    return made_up_shapes(SHAPES_COUNT, config.side, color=config.color == "color")


def _images_gan(config, points, images=None):
    from gan_core.training.images import YourImagesGanRun

    return YourImagesGanRun(config, _images(config, images))


def _images_lab(config, points, images=None):
    from gan_core.training.images import YourImagesDiscriminatorRun

    return YourImagesDiscriminatorRun(config, _images(config, images))


SHAPES_COUNT = 400  # the made-up set's pictures: a few hundred, as a user's small set

FUNCTION = DataKind("function", "1-D function", "1-D", Config, (), _plane_gan, _plane_lab)
POINTS = DataKind("points", "2-D points", "2-D", Config, (*points.POINT_SETS, points.UPLOADED), _plane_gan,
                  _plane_lab, points.NETWORKS, points.get_point_set, points.UPLOADED, points.read_points_csv,
                  points.CSV_RULES)
SAMPLES = DataKind("samples", "1-D samples", "samples", Config, (*samples.SAMPLE_SETS, samples.UPLOADED), _plane_gan,
                   _plane_lab, samples.NETWORKS, samples.get_sample_set, samples.UPLOADED, samples.read_samples_csv,
                   samples.CSV_RULES, ("x",))
DIGITS = DataKind("digits", "MNIST digits", "MNIST", ImageConfig, ("mnist",), _digits_gan, _digits_lab)
# a user's pictures: the CLI's --images PATH (a folder or a .zip), or --target shapes (made up)
IMAGES = DataKind("images", "Your images", "images", YourImagesConfig, ("shapes",), _images_gan, _images_lab)
KINDS = {kind.name: kind for kind in (FUNCTION, POINTS, SAMPLES, DIGITS, IMAGES)}


def of_target(target: str) -> DataKind:
    """The kind a --target (or a Config's target) names: a point set, "mnist", else a 1-D function."""
    return next((kind for kind in KINDS.values() if target in kind.targets), FUNCTION)


def of_settings(settings: _Settings) -> DataKind:
    """The kind that settings (a Config, an ImageConfig or a YourImagesConfig) train on."""
    if isinstance(settings, Config):
        return of_target(settings.target)
    return next(kind for kind in KINDS.values() if isinstance(settings, kind.settings))


def of_run(run) -> DataKind:
    """The kind of a run (any of the kinds' GAN or discriminator runs)."""
    return of_settings(run.config)
