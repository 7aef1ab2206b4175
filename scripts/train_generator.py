"""Train the MNIST generator that the app ships as "pretrained", and report its scores.

    python scripts/train_generator.py [--iterations 4000] [--n-eval 500] [--ema 0.999]

A narrower DCGAN than the tutorial's (see --latent-dim/--g-filters/--d-filters): the full
one takes about 1.3 s per batch of 256 on a 2-core CPU, some 8.6 hours for the tutorial's
100 epochs. Every check-in prints the tutorial's line plus the classifier's scores for
100 generated digits beside 100 real ones; the generator is saved at the end.

--ema keeps an exponential moving average of the generator's weights over the batches (Yazici et
al. 2019, "The Unusual Effectiveness of Averaging in GAN Training"): the average of a generator
that circles around a good one is often better than where it stands. Each check-in also scores
the average, and the average is what is saved (0 turns it off). At the end both are scored on
1,000 digits.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from gan_core import metrics  # noqa: E402
from gan_core.config import ImageConfig  # noqa: E402
from gan_core.latent import sample_latent  # noqa: E402
from gan_core.models import define_image_generator  # noqa: E402
from gan_core.image_training import ImageGanRun  # noqa: E402
from gan_core.mnist import PRETRAINED_GENERATOR, load_classifier, load_digits, to_unit  # noqa: E402


def score(model, config, classifier, digits, n, seed):
    """Classifier scores of n digits from `model` beside n real ones."""
    rng = np.random.default_rng(seed)
    fake = to_unit(np.asarray(model(sample_latent(n, config.latent_dim, rng), training=False)), config.scale)[..., 0]
    real = to_unit(digits.images[rng.integers(0, len(digits), n)], config.scale)[..., 0]
    return metrics.digit_scores_pair(classifier, fake, real)[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=4000)
    parser.add_argument("--n-eval", type=int, default=500)
    parser.add_argument("--n-batch", type=int, default=128)
    parser.add_argument("--latent-dim", type=int, default=32)
    parser.add_argument("--g-filters", type=int, default=64)
    parser.add_argument("--d-filters", type=int, default=32)
    parser.add_argument("--d-lr", type=float, default=0.0002)
    parser.add_argument("--g-lr", type=float, default=0.0002)
    parser.add_argument("--scale", choices=["unit", "tanh"], default="unit")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ema", type=float, default=0.999, help="average the generator's weights (0: off)")
    parser.add_argument("--out", default=PRETRAINED_GENERATOR)
    args = parser.parse_args()
    config = ImageConfig(latent_dim=args.latent_dim, g_filters=args.g_filters, d_filters=args.d_filters,
                         n_batch=args.n_batch, n_epochs=args.iterations, n_eval=args.n_eval, seed=args.seed,
                         d_lr=args.d_lr, g_lr=args.g_lr, scale=args.scale)
    digits = load_digits(args.scale)
    print(f"{digits.source}. {digits.note}\n{config}", flush=True)
    classifier = load_classifier()
    run = ImageGanRun(config, digits, classifier=classifier)
    average = define_image_generator(config.latent_dim, config.g_filters,
                                     "tanh" if config.scale == "tanh" else "sigmoid")
    ema = None
    start = time.perf_counter()
    while not run.done:
        ev = run.advance()
        if args.ema:
            weights = [np.asarray(w) for w in run.state.g.weights]
            ema = weights if ema is None else [args.ema * e + (1 - args.ema) * w for e, w in zip(ema, weights)]
        if ev is None:
            continue
        s = ev.scores
        line = (f"{ev.iteration} (epoch {ev.epoch:.1f}) acc_real={ev.acc_real:.2f} acc_fake={ev.acc_fake:.2f} "
                f"d={ev.d_loss:.3f} g={ev.g_loss:.3f}  confidence={s['confidence']:.3f} (real {s['confidence_real']:.3f})"
                f" entropy={s['entropy']:.2f} (real {s['entropy_real']:.2f}) digits={s['digits_present']:.0f}"
                f" score={s['classifier_score']:.2f} (real {s['classifier_score_real']:.2f})")
        if ema is not None:
            for variable, value in zip(average.trainable_variables, ema):
                variable.assign(value)
            a = score(average, config, classifier, digits, 100, ev.iteration)
            line += f"  average: score={a['classifier_score']:.2f} digits={a['digits_present']:.0f}"
        print(f"{line}  {time.perf_counter() - start:.0f}s", flush=True)
    for name, model in (("last", run.generator), ("average", average if ema is not None else None)):
        if model is not None:
            for seed in (1, 2):
                s = score(model, config, classifier, digits, 1000, seed)
                print(f"{name} generator, 1,000 digits (seed {seed}): score {s['classifier_score']:.2f} "
                      f"(real {s['classifier_score_real']:.2f}), digits present {s['digits_present']:.0f}, "
                      f"confidence {s['confidence']:.3f}, entropy {s['entropy']:.2f}", flush=True)
    (average if ema is not None else run.generator).save(args.out)
    print(f"saved {args.out} ({os.path.getsize(args.out) / 1024:.0f} KB, the {'average' if ema is not None else 'last'}"
          f" generator); {run.seconds / run.iteration:.3f} s per iteration", flush=True)

if __name__ == "__main__":
    main()
