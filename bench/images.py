"""Your images (issue 33): does the default GAN learn a few hundred 32×32 pictures of simple shapes within
3 minutes of training on this CPU, and what does an iteration cost at sides 16, 32 and 64?

1. Learning: 400 made-up squares and circles (data/images.py's made_up_shapes, grayscale, 32×32), the
   kind's default settings (DiffAugment on), trained until 180 s of training; at every check-in the
   Fréchet distance (random-network features) and the distance to the nearest training picture, each
   beside its real-vs-real floor. A grid of the last check-in's pictures goes to bench/results/images.png.
2. Speed: seconds per iteration (after the first, compiling, chunk) at sides 16, 32 and 64, colour, the
   defaults otherwise, as ratios against a reference run in the same process: the MNIST page's default
   DCGAN (28×28 digits).

    python bench/images.py [--seconds 180] [--iterations 40]   # writes bench/results/images.txt
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from gan_core import kinds  # noqa: E402
from gan_core.data.images import made_up_shapes  # noqa: E402
from gan_core.data.mnist import load_subset  # noqa: E402
from gan_core.settings.config import ImageConfig, YourImagesConfig  # noqa: E402
from gan_core.teaching.pictures import grid_png  # noqa: E402

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def learning(seconds: float, lines: list) -> None:
    shapes = made_up_shapes(400, 32, seed=3)
    run = kinds.IMAGES.gan(YourImagesConfig(n_epochs=100_000), images=shapes)
    lines.append(f"## learning: {shapes.source}, 32×32 grayscale, the defaults ({run.config.n_batch} a batch, "
                 f"DiffAugment {run.config.augment}), until {seconds:.0f} s of training")
    lines.append("iteration  seconds  frechet_distance (floor)  nearest_train_distance (floor)  acc_real acc_fake")
    while run.seconds < seconds:
        ev = run.train_chunk()
        s = ev.scores
        lines.append(f"{ev.iteration:9d}  {ev.seconds:7.1f}  {s['frechet_distance']:9.2f} ({s['frechet_distance_floor']:.2f})"
                     f"  {s['nearest_train_distance']:8.3f} ({s['nearest_train_distance_floor']:.3f})"
                     f"  {ev.acc_real:.2f} {ev.acc_fake:.2f}")
        print(lines[-1], flush=True)
    with open(os.path.join(RESULTS, "images.png"), "wb") as f:
        f.write(grid_png(run.history[-1].grid))
    lines.append(f"(the first check-in's {run.compile_seconds:.1f} s include compiling; last grid: "
                 "bench/results/images.png)")


def per_iteration(run, iterations: int) -> float:
    run.advance(most=1)  # compiles
    start, first = time.perf_counter(), run.iteration
    while run.iteration < first + iterations:
        run.advance(most=iterations - (run.iteration - first))
    return (time.perf_counter() - start) / iterations


def speed(iterations: int, lines: list) -> None:
    reference = kinds.DIGITS.gan(ImageConfig(n_epochs=10_000, n_eval=10_000), digits=load_subset("tanh"))
    reference.step_length = iterations  # one compiled call for the timed iterations
    base = per_iteration(reference, iterations)
    lines.append(f"## seconds per iteration ({iterations} iterations after the compiling one), colour, the defaults")
    lines.append(f"reference: the MNIST page's default DCGAN (28×28×1): {base * 1000:.1f} ms (ratio 1.00)")
    for side in (16, 32, 64):
        run = kinds.IMAGES.gan(YourImagesConfig(side=side, color="color", n_epochs=10_000, n_eval=10_000),
                               images=made_up_shapes(100, side, color=True))
        run.step_length = iterations
        seconds = per_iteration(run, iterations)
        lines.append(f"side {side}: {seconds * 1000:.1f} ms, ratio {seconds / base:.2f}")
        print(lines[-1], flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--iterations", type=int, default=40)
    args = parser.parse_args()
    os.makedirs(RESULTS, exist_ok=True)
    lines = [f"# python bench/images.py --seconds {args.seconds:g} --iterations {args.iterations} "
             f"({os.cpu_count()} cores, {time.strftime('%Y-%m-%d')})"]
    speed(args.iterations, lines)
    learning(args.seconds, lines)
    with open(os.path.join(RESULTS, "images.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
