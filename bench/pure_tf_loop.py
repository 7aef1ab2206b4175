"""The fastest plain-TensorFlow loop I could write for the tutorial's GAN step.

No Keras at all: weights are tf.Variables, layers are matmuls, Adam is written out, and
N iterations run in one XLA-compiled tf.function (a tf.range loop) with samples drawn
by a tf.random.Generator. Same algorithm as gan_core's default (two discriminator
updates on half batches, then the generator on a full batch); it is the yardstick
gan_core's speed is held to.
"""
from __future__ import annotations

import math

import tensorflow as tf


def _he_uniform(rng, fan_in, fan_out):
    limit = math.sqrt(6 / fan_in)
    return tf.Variable(rng.uniform([fan_in, fan_out], -limit, limit))


def _glorot_uniform(rng, fan_in, fan_out):
    limit = math.sqrt(6 / (fan_in + fan_out))
    return tf.Variable(rng.uniform([fan_in, fan_out], -limit, limit))


class _Adam:
    def __init__(self, variables, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        self.variables = variables
        self.lr, self.beta_1, self.beta_2, self.epsilon = lr, beta_1, beta_2, epsilon
        self.m = [tf.Variable(tf.zeros_like(v)) for v in variables]
        self.v = [tf.Variable(tf.zeros_like(v)) for v in variables]
        self.t = tf.Variable(0.0)

    def apply(self, grads):
        self.t.assign_add(1.0)
        alpha = self.lr * tf.sqrt(1 - self.beta_2**self.t) / (1 - self.beta_1**self.t)
        for var, g, m, v in zip(self.variables, grads, self.m, self.v):
            m.assign_add((g - m) * (1 - self.beta_1))
            v.assign_add((g * g - v) * (1 - self.beta_2))
            var.assign_sub(alpha * m / (tf.sqrt(v) + self.epsilon))


class PureTFGAN:
    def __init__(self, latent_dim=5, n_batch=128, seed=1):
        self.rng = tf.random.Generator.from_seed(seed)
        self.latent_dim, self.n_batch = latent_dim, n_batch
        self.d = [_he_uniform(self.rng, 2, 25), tf.Variable(tf.zeros([25])),
                  _glorot_uniform(self.rng, 25, 1), tf.Variable(tf.zeros([1]))]
        self.g = [_he_uniform(self.rng, latent_dim, 15), tf.Variable(tf.zeros([15])),
                  _glorot_uniform(self.rng, 15, 2), tf.Variable(tf.zeros([2]))]
        self.d_adam, self.g_adam = _Adam(self.d), _Adam(self.g)
        self.train = tf.function(self._train, jit_compile=True)

    def d_logits(self, x):
        w1, b1, w2, b2 = self.d
        return tf.nn.relu(x @ w1 + b1) @ w2 + b2

    def generate(self, z):
        w1, b1, w2, b2 = self.g
        return tf.nn.relu(z @ w1 + b1) @ w2 + b2

    def _d_update(self, x, label):
        with tf.GradientTape() as tape:
            logits = self.d_logits(x)
            loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(tf.fill(tf.shape(logits), label), logits))
        self.d_adam.apply(tape.gradient(loss, self.d))
        return loss

    def _train(self, n):
        half = self.n_batch // 2
        for _ in tf.range(n):
            x = self.rng.uniform([half, 1], -0.5, 0.5)
            x_real = tf.concat([x, x * x], axis=1)
            x_fake = self.generate(self.rng.normal([half, self.latent_dim]))
            self._d_update(x_real, 1.0)
            self._d_update(x_fake, 0.0)
            z = self.rng.normal([self.n_batch, self.latent_dim])
            with tf.GradientTape() as tape:
                logits = self.d_logits(self.generate(z))
                g_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(tf.ones_like(logits), logits))
            self.g_adam.apply(tape.gradient(g_loss, self.g))
        return g_loss
