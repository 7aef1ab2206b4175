"""Train the small digit classifier that scores generated digits, and ship it.

    python scripts/train_classifier.py [--epochs 12] [--out gan_core/assets/digit_classifier.keras]

Trains on the MNIST digits that gan_core.data.mnist.load_digits() finds (the Keras download, or
the 5,000 shipped ones), holding out 20 % of them (stratified, seeded) to report accuracy;
with the Keras download it also reports accuracy on the 10,000 MNIST test digits.
"""
from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from gan_core.data.mnist import load_digits  # noqa: E402
from gan_core.networks.models import define_digit_classifier  # noqa: E402

DEFAULT_OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "gan_core", "assets",
                           "digit_classifier.keras")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    keras.utils.set_random_seed(args.seed)
    digits = load_digits()
    print(digits.source, digits.note)
    rng = np.random.default_rng(args.seed)
    held = np.concatenate([rng.permutation(np.flatnonzero(digits.labels == d))[: (digits.labels == d).sum() // 5]
                           for d in range(10)])
    train = np.setdiff1d(np.arange(len(digits)), held)
    model = define_digit_classifier(seed=args.seed)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(digits.images[train], digits.labels[train], epochs=args.epochs, batch_size=64, verbose=2,
              validation_data=(digits.images[held], digits.labels[held]))
    _, accuracy = model.evaluate(digits.images[held], digits.labels[held], verbose=0)
    print(f"held-out accuracy: {accuracy:.4f} on {len(held):,} digits (trained on {len(train):,})")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    model.save(args.out)
    print(f"saved {args.out} ({os.path.getsize(args.out) / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
