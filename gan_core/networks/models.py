"""Keras builders for the 1-D tutorial's networks.

Defaults are the tutorial's: discriminator Dense(25, relu, he_uniform) -> Dense(1,
sigmoid), 101 parameters; generator (latent_dim 5) Dense(15, relu, he_uniform) ->
Dense(2, linear), 122 parameters. Initializers take explicit seeds, so a run is
reproducible without Keras's thread-local global seed.
"""
from __future__ import annotations

from contextlib import contextmanager

import keras
import numpy as np

OUTPUT_SEED = 100  # the output layer's initializer seed, after the hidden layers' seed + i


def _initializer(activation: str, seed: int):
    # he_uniform as the tutorial (Glorot for tanh, which he_uniform saturates)
    initializer = keras.initializers.GlorotUniform if activation == "tanh" else keras.initializers.HeUniform
    return initializer(seed=seed)

from gan_core.networks import conditional


def _activation(name: str):
    return keras.layers.LeakyReLU(negative_slope=0.2) if name == "leaky_relu" else keras.layers.Activation(name)


def _dense_stack(n_inputs, hidden, activation, seed, name):
    layers = [keras.Input(shape=(n_inputs,))]
    for i, width in enumerate(hidden):
        layers.append(keras.layers.Dense(width, kernel_initializer=_initializer(activation, seed + i),
                                         name=f"{name}_dense_{i + 1}"))
        layers.append(_activation(activation))
    return layers


def define_discriminator(n_inputs: int = 2, hidden=(25,), activation: str = "relu", seed: int = 0,
                         output: str = "sigmoid") -> keras.Model:
    """Real (1) or fake (0): probability that a sample is real; with output "linear", a score (the
    least-squares discriminator and the Wasserstein critic)."""
    layers = _dense_stack(n_inputs, hidden, activation, seed, "d")
    out_init = keras.initializers.GlorotUniform(seed=seed + OUTPUT_SEED)
    layers.append(keras.layers.Dense(1, activation=output, kernel_initializer=out_init, name="d_out"))
    return keras.Sequential(layers, name="discriminator")


def define_generator(latent_dim: int = 5, hidden=(15,), activation: str = "relu", n_outputs: int = 2,
                     seed: int = 0) -> keras.Model:
    """Latent point -> sample (x, y), linear output."""
    layers = _dense_stack(latent_dim, hidden, activation, seed, "g")
    out_init = keras.initializers.GlorotUniform(seed=seed + OUTPUT_SEED)
    layers.append(keras.layers.Dense(n_outputs, activation="linear", kernel_initializer=out_init, name="g_out"))
    return keras.Sequential(layers, name="generator")


def first_weights(n_inputs: int, hidden, activation: str, n_outputs: int, seed: int) -> list[np.ndarray]:
    """The weights that define_discriminator (n_outputs 1) and define_generator start with, in their
    models' order (each layer's kernel, then its zero bias), without building a model: a run's state
    starts from these, and builds its Keras models only when asked for one (16 seeds' models cost
    0.6 s of a sweep's start; their initializers alone 0.04 s)."""
    weights, fan_in = [], n_inputs
    for i, width in enumerate((*hidden, n_outputs)):
        init = _initializer(activation, seed + i) if i < len(hidden) else keras.initializers.GlorotUniform(
            seed=seed + OUTPUT_SEED)
        weights += [np.asarray(init((fan_in, width), dtype="float32")), np.zeros(width, np.float32)]
        fan_in = width
    return weights


def define_gan(generator: keras.Model, discriminator: keras.Model) -> keras.Model:
    """The composite model (generator then discriminator), for inspection and inference.

    Training never uses its `trainable` flags: in Keras 3 freezing the discriminator
    here would freeze it everywhere. `GAN.train_step` updates each network with its own
    optimizer instead.
    """
    return keras.Sequential([keras.Input(shape=generator.input_shape[1:]), generator, discriminator], name="gan")


@contextmanager
def frozen(model: keras.Model):
    """Temporarily mark `model` not trainable (to show the composite's trainable count)."""
    before = model.trainable
    model.trainable = False
    try:
        yield model
    finally:
        model.trainable = before


def param_counts(model: keras.Model) -> tuple[int, int]:
    """(total, trainable) parameter counts."""
    trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
    return model.count_params(), trainable


def summary_text(model: keras.Model, freeze: keras.Model | None = None) -> str:
    """model.summary() as text; `freeze` is shown not trainable, as in the tutorial's composite."""
    lines = []
    if freeze is None:
        model.summary(print_fn=lambda line, **_: lines.append(line))
    else:
        with frozen(freeze):
            model.summary(print_fn=lambda line, **_: lines.append(line))
    return "\n".join(lines)


# ---- MNIST: the DCGAN of the MNIST tutorial (seed 003) --------------------------------------
# Defaults are the tutorial's: discriminator 40,705 parameters, generator (latent_dim 100)
# 1,164,289, composite 1,204,994. Filter counts are parameters, so a narrower model can
# train interactively on a CPU.

def define_image_discriminator(in_shape=(28, 28, 1), filters: int = 64, seed: int = 0) -> keras.Model:
    """Conv(3x3, stride 2) x2 with LeakyReLU(0.2) and Dropout(0.4), then Dense(1, sigmoid)."""
    init = keras.initializers.GlorotUniform
    return keras.Sequential([
        keras.Input(shape=in_shape),
        keras.layers.Conv2D(filters, 3, strides=2, padding="same", kernel_initializer=init(seed)),
        keras.layers.LeakyReLU(negative_slope=0.2),
        keras.layers.Dropout(0.4, seed=seed + 1),
        keras.layers.Conv2D(filters, 3, strides=2, padding="same", kernel_initializer=init(seed + 2)),
        keras.layers.LeakyReLU(negative_slope=0.2),
        keras.layers.Dropout(0.4, seed=seed + 3),
        keras.layers.Flatten(),
        keras.layers.Dense(1, activation="sigmoid", kernel_initializer=init(seed + 4)),
    ], name="discriminator")


def define_image_generator(latent_dim: int = 100, filters: int = 128, output: str = "sigmoid",
                           seed: int = 0) -> keras.Model:
    """Dense to 7x7xfilters, two Conv2DTranspose(4x4, stride 2) up to 28x28, Conv2D(7x7) to one
    channel: sigmoid for pixels in [0, 1] (the tutorial), tanh for [-1, 1]."""
    init = keras.initializers.GlorotUniform
    return keras.Sequential([
        keras.Input(shape=(latent_dim,)),
        keras.layers.Dense(filters * 7 * 7, kernel_initializer=init(seed)),
        keras.layers.LeakyReLU(negative_slope=0.2),
        keras.layers.Reshape((7, 7, filters)),
        keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same", kernel_initializer=init(seed + 1)),
        keras.layers.LeakyReLU(negative_slope=0.2),
        keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same", kernel_initializer=init(seed + 2)),
        keras.layers.LeakyReLU(negative_slope=0.2),
        keras.layers.Conv2D(1, 7, activation=output, padding="same", kernel_initializer=init(seed + 3)),
    ], name="generator")


# ---- MNIST: the DCGAN paper's networks (Radford et al. 2016) ---------------------------------
# Batch norm in both networks, ReLU in the generator and a tanh (or sigmoid) output, LeakyReLU(0.2)
# in the discriminator, no dropout. On the 5,000 shipped digits they pass the tutorial's networks
# (bench/results/train_generator.txt). Batch norm normalizes over a batch: the discriminator must be
# called on real and fake images apart (steps.descend_apart), never on one mixed batch.
BN_MOMENTUM = 0.9  # Keras's 0.99 leaves the check-ins' inference statistics far behind a short run's


def define_dcgan_discriminator(in_shape=(28, 28, 1), filters: int = 64, seed: int = 0) -> keras.Model:
    """Conv(4x4, stride 2, filters) LeakyReLU, Conv(4x4, stride 2, 2 filters) batch norm LeakyReLU,
    then Dense(1, sigmoid)."""
    init = keras.initializers.GlorotUniform
    return keras.Sequential([
        keras.Input(shape=in_shape),
        keras.layers.Conv2D(filters, 4, strides=2, padding="same", kernel_initializer=init(seed)),
        keras.layers.LeakyReLU(negative_slope=0.2),
        keras.layers.Conv2D(filters * 2, 4, strides=2, padding="same", use_bias=False,
                            kernel_initializer=init(seed + 1)),
        keras.layers.BatchNormalization(momentum=BN_MOMENTUM),
        keras.layers.LeakyReLU(negative_slope=0.2),
        keras.layers.Flatten(),
        keras.layers.Dense(1, activation="sigmoid", kernel_initializer=init(seed + 2)),
    ], name="discriminator")


def define_dcgan_generator(latent_dim: int = 64, filters: int = 64, output: str = "tanh",
                           seed: int = 0) -> keras.Model:
    """Dense to 7x7x(2 filters), Conv2DTranspose(4x4, stride 2) to 14x14xfilters, each with batch norm
    and ReLU, then Conv2DTranspose(4x4, stride 2) to one 28x28 channel: tanh for [-1, 1], sigmoid for [0, 1]."""
    init = keras.initializers.GlorotUniform
    return keras.Sequential([
        keras.Input(shape=(latent_dim,)),
        keras.layers.Dense(7 * 7 * filters * 2, use_bias=False, kernel_initializer=init(seed)),
        keras.layers.BatchNormalization(momentum=BN_MOMENTUM),
        keras.layers.ReLU(),
        keras.layers.Reshape((7, 7, filters * 2)),
        keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False,
                                     kernel_initializer=init(seed + 1)),
        keras.layers.BatchNormalization(momentum=BN_MOMENTUM),
        keras.layers.ReLU(),
        keras.layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation=output,
                                     kernel_initializer=init(seed + 2)),
    ], name="generator")


# ---- a user's own pictures: the DCGAN paper's networks for any power-of-two side ---------------
# The side doubles from 4×4 in the generator and halves to 4×4 in the discriminator (16: two steps, 32:
# three, 64: four), the filters halving and doubling with it, as the DCGAN paper's 64×64 networks.

def _steps_from_4(side: int) -> int:
    steps = side.bit_length() - 3
    if side < 8 or side != 4 << steps:
        raise ValueError(f"side must be a power of two of at least 8 (got {side})")
    return steps


def define_sized_discriminator(in_shape=(32, 32, 3), filters: int = 32, seed: int = 0) -> keras.Model:
    """Conv(4x4, stride 2) down to 4×4, filters doubling (LeakyReLU 0.2, batch norm after the first),
    then Dense(1, sigmoid)."""
    init = keras.initializers.GlorotUniform
    layers = [keras.Input(shape=in_shape)]
    for i in range(_steps_from_4(in_shape[0])):
        layers.append(keras.layers.Conv2D(filters << i, 4, strides=2, padding="same", use_bias=i == 0,
                                          kernel_initializer=init(seed + i)))
        if i:
            layers.append(keras.layers.BatchNormalization(momentum=BN_MOMENTUM))
        layers.append(keras.layers.LeakyReLU(negative_slope=0.2))
    layers += [keras.layers.Flatten(), keras.layers.Dense(1, activation="sigmoid", kernel_initializer=init(seed + 20))]
    return keras.Sequential(layers, name="discriminator")


def define_sized_generator(latent_dim: int = 64, filters: int = 32, side: int = 32, channels: int = 3,
                           seed: int = 0) -> keras.Model:
    """Dense to 4×4, Conv2DTranspose(4x4, stride 2) doubling the side with batch norm and ReLU, the filters
    halving down to `filters`, then one Conv2DTranspose to side × side × channels, tanh."""
    init = keras.initializers.GlorotUniform
    steps = _steps_from_4(side)
    widest = filters << (steps - 1)
    layers = [keras.Input(shape=(latent_dim,)),
              keras.layers.Dense(4 * 4 * widest, use_bias=False, kernel_initializer=init(seed)),
              keras.layers.BatchNormalization(momentum=BN_MOMENTUM), keras.layers.ReLU(),
              keras.layers.Reshape((4, 4, widest))]
    for i in range(1, steps):
        layers += [keras.layers.Conv2DTranspose(widest >> i, 4, strides=2, padding="same", use_bias=False,
                                                kernel_initializer=init(seed + i)),
                   keras.layers.BatchNormalization(momentum=BN_MOMENTUM), keras.layers.ReLU()]
    layers.append(keras.layers.Conv2DTranspose(channels, 4, strides=2, padding="same", activation="tanh",
                                               kernel_initializer=init(seed + 20)))
    return keras.Sequential(layers, name="generator")


def define_feature_network(in_shape=(32, 32, 3), seed: int = 2020) -> keras.Model:
    """A fixed, seeded, never trained convolutional network whose pooled activations are the features of
    the images kind's Fréchet distance (judging/metrics.py): Conv(3x3, stride 2) 32, 64, 128 with ReLU,
    each layer's global mean and the last's global max concatenated (352 numbers)."""
    init = keras.initializers.HeNormal
    x = inputs = keras.Input(shape=in_shape)
    pooled = []
    for i, width in enumerate((32, 64, 128)):
        x = keras.layers.Conv2D(width, 3, strides=2, padding="same", activation="relu",
                                kernel_initializer=init(seed + i), bias_initializer="zeros")(x)
        pooled.append(keras.layers.GlobalAveragePooling2D()(x))
    pooled.append(keras.layers.GlobalMaxPooling2D()(x))
    return keras.Model(inputs, keras.layers.Concatenate()(pooled), name="features")


def image_discriminator(config, seed: int = 0, shape=(28, 28, 1)) -> keras.Model:
    """The discriminator of an ImageConfig (its networks' recipe, d_filters wide) or of a YourImagesConfig
    (sized for its pictures' `shape`)."""
    if hasattr(config, "side"):
        return define_sized_discriminator(shape, config.d_filters, seed=seed)
    build = define_dcgan_discriminator if config.networks == "dcgan" else define_image_discriminator
    if conditional.is_on(config):  # the label's 10 channels after the image's (networks/conditional.py)
        return build((*shape[:2], shape[2] + conditional.N_CLASSES), filters=config.d_filters, seed=seed)
    return build(filters=config.d_filters, seed=seed)


def image_generator(config, seed: int = 0, shape=(28, 28, 1)) -> keras.Model:
    """The generator of an ImageConfig (its recipe, g_filters wide, its pixels' output) or of a
    YourImagesConfig (making pictures of `shape`)."""
    if hasattr(config, "side"):
        return define_sized_generator(config.latent_dim, config.g_filters, shape[0], shape[2], seed=seed)
    build = define_dcgan_generator if config.networks == "dcgan" else define_image_generator
    width = config.latent_dim + (conditional.N_CLASSES if conditional.is_on(config) else 0)  # the one-hot after it
    return build(width, config.g_filters, "tanh" if config.scale == "tanh" else "sigmoid", seed=seed)


def define_digit_classifier(seed: int = 0) -> keras.Model:
    """A small CNN that scores generated digits (softmax over 0-9); inputs in [0, 1]."""
    init = keras.initializers.GlorotUniform
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(32, 3, activation="relu", kernel_initializer=init(seed)),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(64, 3, activation="relu", kernel_initializer=init(seed + 1)),
        keras.layers.MaxPooling2D(),
        keras.layers.Flatten(),
        keras.layers.Dropout(0.5, seed=seed + 2),
        keras.layers.Dense(10, activation="softmax", kernel_initializer=init(seed + 3)),
    ], name="digit_classifier")


def without_sigmoid(model: keras.Model) -> keras.Model:
    """The same network (a discriminator) without its output's sigmoid: its logit, what R1 differentiates
    (networks/regularizers.py). A template for stateless calls with the discriminator's own weights: the
    layers and their variables are the same, in the same order; a model whose output is linear already
    (a critic's score) is returned as it is."""
    last = model.layers[-1]
    if getattr(last, "activation", None) is not keras.activations.sigmoid:
        return model

    def clone(layer):
        config = layer.get_config()
        if layer is last:
            config["activation"] = "linear"
        return layer.__class__.from_config(config)

    return keras.models.clone_model(model, clone_function=clone)
