"""What a GAN check-in costs on the server: the whole evaluation, and within it the
discriminator's heat map (P(real) on a 40x40 grid), the arrows (gradients at 40 fake samples)
and the objective scores; for the 1-D page's and the 2-D page's default networks. Then what
the page sends the browser for the plane each redraw: the heat map as one image (the app)
against 1,600 rect rows (how it was drawn before), built and turned into Arrow as Streamlit does.

    python bench/check_in.py [--repeats 200]
    python bench/check_in.py --digits [--repeats 30]

`--digits`: an MNIST GAN check-in (the default DCGAN, its classifier) with the digit judge (the Fréchet
distance on 500 generated digits and the memorization check, judging/metrics.py DigitJudge) and without it,
taking turns, `--repeats` of each; the medians and their ratio.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import pandas as pd
import pyarrow as pa

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from explorer.charts import plane  # noqa: E402
from explorer.experiments import POINTS_NETWORKS  # noqa: E402
from gan_core import Config, GanRun
from gan_core.judging import metrics  # noqa: E402
from gan_core.training.plane import DECISION_GRID, PUSHED  # noqa: E402


def milliseconds(call, repeats):
    call()  # traced first
    start = time.perf_counter()
    for _ in range(repeats):
        call()
    return (time.perf_counter() - start) / repeats * 1000


def digits(repeats: int) -> None:
    """An MNIST check-in with the digit judge and without, alternating; medians in ms and their ratio."""
    import statistics

    from gan_core.data.mnist import load_classifier, load_subset
    from gan_core.settings.config import ImageConfig
    from gan_core.training.images import ImageGanRun

    run = ImageGanRun(ImageConfig(n_eval=100), load_subset("tanh"), load_classifier())
    run.train_chunk()  # trained a little, the judge built, every check-in path traced
    judged = run.judge_digits
    unjudged = lambda grid: {"scores": {}, "nearest": None, "nearest_distances": None}  # noqa: E731
    times = {"without": [], "with": []}
    for _ in range(repeats):
        for name, judge in (("without", unjudged), ("with", judged)):
            run.judge_digits = judge
            start = time.perf_counter()
            run.evaluate()
            times[name].append((time.perf_counter() - start) * 1000)
    without, with_judge = (statistics.median(times[k]) for k in ("without", "with"))
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print(f"MNIST default DCGAN check-in (median of {repeats}, alternating): without the digit judge "
          f"{without:.0f} ms, with it {with_judge:.0f} ms ({with_judge / without:.2f}x); load average {load}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--digits", action="store_true", help="the MNIST check-in, with and without the digit judge")
    args = parser.parse_args()
    if args.digits:
        return digits(args.repeats)
    for name, settings in (("1-D x² page", {"n_eval": 200}), ("2-D ring-8 page", {**POINTS_NETWORKS, "n_eval": 200})):
        run = GanRun(Config(**settings))
        run.train_chunk()
        fake, real = run.generate(100), run.sample_real(100)
        whole = milliseconds(run.evaluate, args.repeats)
        heat = milliseconds(lambda: metrics.decision_grid(run.discriminate, *run.target.bounds(), n=DECISION_GRID),
                            args.repeats)
        arrows = milliseconds(lambda: run.push(fake[:PUSHED]), args.repeats)
        scores = milliseconds(lambda: run.distances(fake, real, run.sample_real(100)), args.repeats)
        print(f"{name}: a check-in {whole:.2f} ms, of which the heat map {heat:.2f} ms, the arrows {arrows:.2f} ms, "
              f"the scores {scores:.2f} ms")
        ev = run.evaluate()
        sizes = {}

        def sent(build, key):
            sink = pa.BufferOutputStream()
            table = pa.Table.from_pandas(build())
            with pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
            sizes[key] = sink.getvalue().size

        def rects():  # before: a row per grid cell
            grid = pd.DataFrame(ev.decision, columns=["x", "y", "p_real"]).assign(kind="grid", order=0)
            return pd.concat([grid, plane.points_frame(real=ev.real, fake=ev.fake)], ignore_index=True)

        image = milliseconds(lambda: sent(lambda: plane.plane_frame(ev.decision, ev.real, ev.fake), "image"),
                             args.repeats)
        cells = milliseconds(lambda: sent(rects, "rects"), args.repeats)
        print(f"  the plane for the browser: the heat map as an image {image:.2f} ms, {sizes['image'] / 1024:.1f} KB; "
              f"as {len(ev.decision):,} rects {cells:.2f} ms, {sizes['rects'] / 1024:.1f} KB")


if __name__ == "__main__":
    main()
