"""The 1-D tutorial's own training loop (seed 000), ported to Keras 3 as the reference.

train_on_batch + generator.predict per iteration, NumPy sampling, exactly as the tutorial.
Keras 3 only reads `trainable` when a model's train function is first traced, and the
flag is shared by every model holding the discriminator: the tutorial's single
`discriminator.trainable = False` before compiling the composite would freeze it for its
own train_on_batch too. So the freeze is toggled around each model's first call, which
is what makes this port really train both networks (checked in tests/test_reference.py).
"""
from __future__ import annotations

import keras
import numpy as np


def define_discriminator(n_inputs=2):
    model = keras.Sequential([
        keras.Input(shape=(n_inputs,)),
        keras.layers.Dense(25, activation="relu", kernel_initializer="he_uniform"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def define_generator(latent_dim, n_outputs=2):
    return keras.Sequential([
        keras.Input(shape=(latent_dim,)),
        keras.layers.Dense(15, activation="relu", kernel_initializer="he_uniform"),
        keras.layers.Dense(n_outputs, activation="linear"),
    ])


def define_gan(generator, discriminator):
    discriminator.trainable = False
    model = keras.Sequential([generator, discriminator])
    model.compile(loss="binary_crossentropy", optimizer="adam")
    discriminator.trainable = True
    return model


def generate_real_samples(n, rng):
    x1 = rng.random(n) - 0.5
    x = np.hstack((x1.reshape(n, 1), (x1 * x1).reshape(n, 1)))
    return x, np.ones((n, 1))


def generate_latent_points(latent_dim, n, rng):
    return rng.standard_normal(latent_dim * n).reshape(n, latent_dim)


def generate_fake_samples(generator, latent_dim, n, rng):
    x = generator.predict(generate_latent_points(latent_dim, n, rng), verbose=0)
    return x, np.zeros((n, 1))


class TutorialGAN:
    """The three tutorial models and its `train()` loop, runnable a few iterations at a time."""

    def __init__(self, latent_dim=5, seed=1):
        keras.utils.set_random_seed(seed)
        self.rng = np.random.default_rng(seed)
        self.latent_dim = latent_dim
        self.d_model = define_discriminator()
        self.g_model = define_generator(latent_dim)
        self.gan_model = define_gan(self.g_model, self.d_model)
        self.iteration = 0

    def train(self, n_iterations, n_batch=128):
        half_batch = n_batch // 2
        for _ in range(n_iterations):
            x_real, y_real = generate_real_samples(half_batch, self.rng)
            x_fake, y_fake = generate_fake_samples(self.g_model, self.latent_dim, half_batch, self.rng)
            self.d_model.trainable = True  # matters only for the first (tracing) call
            self.d_model.train_on_batch(x_real, y_real)
            self.d_model.train_on_batch(x_fake, y_fake)
            x_gan = generate_latent_points(self.latent_dim, n_batch, self.rng)
            self.d_model.trainable = False
            self.gan_model.train_on_batch(x_gan, np.ones((n_batch, 1)))
            self.d_model.trainable = True
            self.iteration += 1

    def generate(self, n):
        return self.g_model.predict(generate_latent_points(self.latent_dim, n, self.rng), verbose=0)
