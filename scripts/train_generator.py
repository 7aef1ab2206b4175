"""Train the MNIST generator that the app ships as "pretrained", and report its scores.

    python scripts/train_generator.py [--iterations 4000] [--n-eval 500]

A narrower DCGAN than the tutorial's (see --latent-dim/--g-filters/--d-filters): the full
one takes about 1.3 s per batch of 256 on a 2-core CPU, some 8.6 hours for the tutorial's
100 epochs. Every check-in prints the tutorial's line plus the classifier's scores for
100 generated digits beside 100 real ones; the generator is saved at the end.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from gan_core.config import ImageConfig  # noqa: E402
from gan_core.image_training import ImageGanRun  # noqa: E402
from gan_core.mnist import PRETRAINED_GENERATOR, load_classifier, load_digits  # noqa: E402


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
    parser.add_argument("--out", default=PRETRAINED_GENERATOR)
    args = parser.parse_args()
    config = ImageConfig(latent_dim=args.latent_dim, g_filters=args.g_filters, d_filters=args.d_filters,
                         n_batch=args.n_batch, n_epochs=args.iterations, n_eval=args.n_eval, seed=args.seed,
                         d_lr=args.d_lr, g_lr=args.g_lr, scale=args.scale)
    digits = load_digits(args.scale)
    print(f"{digits.source}. {digits.note}\n{config}", flush=True)
    run = ImageGanRun(config, digits, classifier=load_classifier())
    start = time.perf_counter()
    for ev in run.train():
        s = ev.scores
        print(f"{ev.iteration} (epoch {ev.epoch:.1f}) acc_real={ev.acc_real:.2f} acc_fake={ev.acc_fake:.2f} "
              f"d={ev.d_loss:.3f} g={ev.g_loss:.3f}  confidence={s['confidence']:.3f} (real {s['confidence_real']:.3f})"
              f" entropy={s['entropy']:.2f} (real {s['entropy_real']:.2f}) digits={s['digits_present']:.0f}"
              f" score={s['classifier_score']:.2f} (real {s['classifier_score_real']:.2f})"
              f"  {time.perf_counter() - start:.0f}s", flush=True)
    run.save_generator(args.out)
    print(f"saved {args.out} ({os.path.getsize(args.out) / 1024:.0f} KB); "
          f"{run.seconds / run.iteration:.3f} s per iteration", flush=True)


if __name__ == "__main__":
    main()
