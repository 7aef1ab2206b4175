"""Train the MNIST generator that the app ships as "pretrained", and report its scores.

    python scripts/train_generator.py [--iterations 16000] [--n-eval 1000] [--augment translation,cutout]

The DCGAN paper's networks (Radford et al. 2016; gan_core.networks.models.define_dcgan_*), not the tutorial's:
batch norm in both networks, ReLU in the generator, a tanh output, no dropout. On the 5,000 digits
this machine has, the tutorial's networks levelled off at a classifier score of 5.5-5.7 whatever
the training time (bench/results/train_generator.txt); these reach over 6 in 6,000 batches of 64
(8 minutes on 2 cores). `--augment` shows the discriminator every image, real and generated, through
DiffAugment (gan_core/networks/augment.py), against its overfitting the 5,000 digits. Trained on pixels in
[-1, 1]; the shipped model ends with a Rescaling layer, so that it makes pixels in [0, 1] as the
preview expects (the augmentation is training's only, never saved). Every check-in prints the losses
and the classifier's scores on 1,000 generated digits (the same latent points each time); at the end,
two fresh sets of 1,000 beside 1,000 real digits.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from gan_core.data.mnist import PRETRAINED_GENERATOR, load_classifier, load_digits  # noqa: E402
from gan_core.judging.metrics import digit_scores_pair  # noqa: E402
from gan_core.networks.augment import POLICIES, diff_augment  # noqa: E402
from gan_core.networks.models import define_dcgan_discriminator, define_dcgan_generator  # noqa: E402

L = keras.layers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=16000)
    parser.add_argument("--n-eval", type=int, default=1000)
    parser.add_argument("--n-batch", type=int, default=64, help="real and generated images per update, each")
    parser.add_argument("--latent-dim", type=int, default=64)
    parser.add_argument("--g-filters", type=int, default=64)
    parser.add_argument("--d-filters", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.0002, help="Adam's, both networks (beta_1 0.5)")
    parser.add_argument("--smooth", type=float, default=1.0,
                        help="the real images' label for the discriminator (one-sided label smoothing: 0.9)")
    parser.add_argument("--decay-from", type=int, default=0,
                        help="from this iteration on, both learning rates fall linearly to 0 at the end (0: constant)")
    parser.add_argument("--ema", type=float, default=0.0,
                        help="ship a moving average of the generator's weights with this decay per batch (0: off)")
    parser.add_argument("--augment", default="",
                        help=f"DiffAugment for the discriminator, comma-separated from {', '.join(POLICIES)} "
                             "(gan_core/networks/augment.py; '' off)")
    parser.add_argument("--keep-best", action="store_true",
                        help="ship the generator of the check-in with the best score, not the last (saved at "
                             "each new best, so a stopped run leaves it)")
    parser.add_argument("--threads", type=int, default=0, help="TensorFlow's threads per pool (0: its default)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=PRETRAINED_GENERATOR)
    args = parser.parse_args()
    if args.threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    keras.utils.set_random_seed(args.seed)
    digits = load_digits("tanh")
    print(f"{digits.source}. {digits.note}\n{args}", flush=True)
    generator = define_dcgan_generator(args.latent_dim, args.g_filters, "tanh", seed=args.seed)
    discriminator = define_dcgan_discriminator(filters=args.d_filters, seed=args.seed + 10)
    g_opt, d_opt = (keras.optimizers.Adam(args.lr, beta_1=0.5) for _ in range(2))
    # on the discriminator's sigmoid probabilities: Keras 3 takes the logits behind a sigmoid output, so
    # the loss stays exact when the discriminator is sure
    bce = keras.losses.BinaryCrossentropy()
    # everything the discriminator sees, real and generated, in both updates (tanh's background is -1)
    augment = diff_augment(args.augment, background=-1.0)
    real_images, n = tf.constant(digits.images), args.n_batch
    # the generator shipped and scored: the trained one, or a copy holding its weights' moving average
    shipped = define_dcgan_generator(args.latent_dim, args.g_filters, "tanh") if args.ema else generator
    for average, weight in zip(shipped.weights, generator.weights):
        average.assign(weight)

    @tf.function
    def train_step():
        real = tf.gather(real_images, tf.random.uniform([n], 0, real_images.shape[0], tf.int32))
        with tf.GradientTape() as tape:
            # real and generated images in separate calls: batch norm must never mix their statistics
            on_real = discriminator(augment(real), training=True)
            fake = generator(tf.random.normal([n, args.latent_dim]), training=True)
            on_fake = discriminator(augment(fake), training=True)
            d_loss = bce(tf.fill(tf.shape(on_real), args.smooth), on_real) + bce(tf.zeros_like(on_fake), on_fake)
        d_opt.apply_gradients(zip(tape.gradient(d_loss, discriminator.trainable_variables),
                                  discriminator.trainable_variables))
        with tf.GradientTape() as tape:
            fake = generator(tf.random.normal([n, args.latent_dim]), training=True)
            on_fake = discriminator(augment(fake), training=True)
            g_loss = bce(tf.ones_like(on_fake), on_fake)
        g_opt.apply_gradients(zip(tape.gradient(g_loss, generator.trainable_variables), generator.trainable_variables))
        if args.ema:
            for average, weight in zip(shipped.weights, generator.weights):
                average.assign(args.ema * average + (1 - args.ema) * weight)
        return d_loss, g_loss

    classifier = load_classifier()
    real_unit = (digits.images[np.random.default_rng(0).permutation(len(digits))[:1000], ..., 0] + 1) / 2

    def scores(z):
        fake = (np.asarray(shipped(z, training=False))[..., 0] + 1) / 2
        return digit_scores_pair(classifier, fake, real_unit)[0]

    def save():
        # the preview shows pixels in [0, 1]: the shipped model maps tanh's [-1, 1] there
        keras.Sequential([keras.Input((args.latent_dim,)), shipped, L.Rescaling(0.5, offset=0.5)],
                         name="generator_unit").save(args.out)

    def fresh_scores(label=""):
        for seed in (1, 2):  # fresh latent points, as the preview draws them
            s = scores(np.random.default_rng(seed).standard_normal((1000, args.latent_dim)).astype(np.float32))
            print(f"1,000 fresh digits{label} (seed {seed}): score {s['classifier_score']:.2f} (real "
                  f"{s['classifier_score_real']:.2f}), confidence {s['confidence']:.3f}, "
                  f"digits {s['digits_present']:.0f}", flush=True)

    best = (-1.0, 0, None)  # score, iteration, the shipped generator's weights
    watched = np.random.default_rng(0).standard_normal((1000, args.latent_dim)).astype(np.float32)
    start = time.perf_counter()
    for i in range(1, args.iterations + 1):
        if args.decay_from and i > args.decay_from:
            for optimizer in (g_opt, d_opt):
                optimizer.learning_rate = args.lr * (args.iterations - i + 1) / (args.iterations - args.decay_from)
        d_loss, g_loss = train_step()
        if i % args.n_eval == 0 or i == args.iterations:
            s = scores(watched)
            print(f"{i} d={float(d_loss):.3f} g={float(g_loss):.3f}  confidence={s['confidence']:.3f} "
                  f"digits={s['digits_present']:.0f} score={s['classifier_score']:.2f} "
                  f"(real {s['classifier_score_real']:.2f})  {time.perf_counter() - start:.0f}s", flush=True)
            if args.keep_best and s["classifier_score"] > best[0] and s["digits_present"] == 10:
                best = (s["classifier_score"], i, shipped.get_weights())
                save()
    seconds = time.perf_counter() - start
    fresh_scores()
    if args.keep_best and best[2] is not None and best[1] != args.iterations:
        shipped.set_weights(best[2])
        fresh_scores(f" from the best check-in ({best[1]}, {best[0]:.2f})")
    save()
    print(f"saved {args.out} ({os.path.getsize(args.out) / 1024:.0f} KB); {args.iterations:,} iterations in "
          f"{seconds / 60:.1f} min ({seconds / args.iterations:.3f} s each)", flush=True)


if __name__ == "__main__":
    main()
