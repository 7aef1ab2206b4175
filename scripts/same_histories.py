"""Trains a short run of every kind and loss (and the discriminator labs, a sweep and a grid) and prints
one fingerprint per run: a SHA-256 of its history's numbers (every float's bits) and of its final
weights. A redesign must leave every line unchanged (the same seeds give the same histories, bit for
bit): run it before and after, and diff the outputs.

    python scripts/same_histories.py > before.txt   # ... change ...
    python scripts/same_histories.py > after.txt && diff before.txt after.txt
"""
from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import replace

os.environ.setdefault("GAN_EXPLORER_CACHE", "off")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

from gan_core import Config, kinds  # noqa: E402
try:  # the engine's layout after and before the redesign
    from gan_core.settings.config import ImageConfig
    from gan_core.training.sweep import Sweep
    from gan_core.training.grid import Grid, parse_axis
except ImportError:
    from gan_core.config import ImageConfig
    from gan_core.sweep import Sweep
    from gan_core.grid import Grid, parse_axis


def fingerprint(history, weights) -> str:
    h = hashlib.sha256()
    for ev in history:
        row = ev.row() if hasattr(ev, "row") else {}
        for key in sorted(k for k in row if "seconds" not in k):  # timings differ run to run
            h.update(key.encode())
            h.update(np.asarray(row[key], dtype=np.float64).tobytes())
        for name in getattr(ev, "payload", ()):
            value = getattr(ev, name, None)
            for part in value if isinstance(value, (list, tuple)) else [value]:
                if part is not None:
                    h.update(np.ascontiguousarray(part).tobytes() if not isinstance(part, str) else part.encode())
    for w in weights:
        h.update(np.ascontiguousarray(w).tobytes())
    return h.hexdigest()[:16]


def weights(run) -> list:
    out = [run.discriminator.get_weights()]
    if getattr(run, "generator_net", None) is not None or run.__class__.__name__.endswith("GanRun"):
        out.append(run.generator.get_weights())
    return [w for ws in out for w in ws]


def trained(run):
    history = list(run.train())
    return fingerprint(history, weights(run))


def plane_cases():
    short = dict(n_epochs=300, n_eval=100, n_batch=32)
    targets = {"x2": Config(**short), "custom": Config(target="custom", expr="0.3*sin(6*x) + x**2", **short),
               "ring8": replace(Config(target="ring8", **short), **kinds.POINTS.defaults, n_epochs=300, n_eval=100),
               "bimodal1d": replace(Config(target="bimodal1d", **short), **kinds.SAMPLES.defaults, n_epochs=300,
                                    n_eval=100)}
    for name, base in targets.items():
        for loss in ("bce", "lsgan", "hinge", "wgan-gp"):
            yield f"gan {name} {loss}", base, loss
        yield f"lab {name}", base, None
    base = targets["ring8"]
    variants = {"stacked": dict(update="stacked"), "pack2": dict(pack=2), "sgd": dict(optimizer="sgd"),
                "g_sgd": dict(g_optimizer="sgd"), "uniform": dict(latent="uniform"), "d2g2": dict(d_steps=2, g_steps=2),
                "beta05": dict(beta_1=0.5), "tanh2": dict(d_hidden=(16, 8), d_activation="tanh",
                                                        g_activation="leaky_relu", latent_dim=3),
                "seed7": dict(seed=7), "critic3": dict(loss="wgan-gp", n_critic=3, gp_weight=5.0)}
    for name, changes in variants.items():
        yield f"gan ring8 {name}", replace(base, **changes), base.loss if "loss" not in changes else changes["loss"]


def main() -> None:
    for label, config, loss in plane_cases():
        if loss is None:
            run = kinds.of_settings(config).discriminator(config)
        else:
            run = kinds.of_settings(config).gan(replace(config, loss=loss))
        print(label, trained(run), flush=True)
    digits = ImageConfig(n_epochs=6, n_eval=3, n_batch=16, d_filters=8, g_filters=8, latent_dim=8, n_eval_samples=10)
    for name, config in {"dcgan": digits, "tutorial": replace(digits, networks="tutorial", scale="unit")}.items():
        print(f"gan digits {name}", trained(kinds.DIGITS.gan(config)), flush=True)
        print(f"lab digits {name}", trained(kinds.DIGITS.discriminator(config)), flush=True)
    sweep_config = Config(target="ring8", n_epochs=200, n_eval=100, n_batch=32, seed=3)
    sweep = Sweep(sweep_config, 3)
    list(sweep.train())
    for seed, run in zip(sweep.seeds, sweep.runs):
        print(f"sweep seed {seed}", fingerprint(run.history, weights(run)), flush=True)
    grid = Grid(Config(n_epochs=200, n_eval=100, n_batch=32), [parse_axis("g_lr=0.001,0.002"),
                                                                parse_axis("pack=1,2")], seeds=2)
    list(grid.train())
    for cell in range(len(grid.cells)):
        for seed in grid.seeds:
            run = grid.run(cell, seed)
            print(f"grid {grid.cell_name(grid.cells[cell])} seed {seed}", fingerprint(run.history, weights(run)),
                  flush=True)
    print("grid summary", hashlib.sha256(grid.summary().drop(columns=[c for c in grid.summary() if "seconds" in c]).to_csv().encode()).hexdigest()[:16])


if __name__ == "__main__":
    main()
