"""The MNIST DCGAN step's arithmetic rate against the machine's (issue 34): the step's floating-point
operations counted from the layer shapes, over its time, beside a large matrix product's rate
(2048 x 2048 float32, about 295 GFLOP/s on this CPU when quiet) measured in the same process.

The count: a convolution's multiply-adds are (output pixels x kernel area x input channels x output
channels), a transposed convolution's (input pixels x kernel area x input x output channels), a dense
layer's (inputs x outputs); twice that in operations; batch norm and activations are left out (a few
per cent). An iteration of the default settings (training/images.py) is

- the discriminator's update: the generator forward on n_batch/2 latent points (no gradient), then the
  discriminator forward and backward on n_batch/2 real and n_batch/2 generated digits;
- the generator's update: generator and discriminator forward and backward on n_batch latent points;

with backward counted as twice the forward (forward + backward = 3x forward).

Each variant runs in a process of its own (threads and oneDNN are fixed when TensorFlow starts):
TensorFlow's default threads; one inter-op thread; one intra-op thread; oneDNN off
(TF_ENABLE_ONEDNN_OPTS=0); with `--xla`, the default process also times the step with XLA
(jit_compile=True). The step is timed two ways: as the app and the CLI run it (one iteration per
compiled call, ImageGanRun.advance) and as a compiled loop of 50 iterations (Steps.train), which leaves
out Python's per-call cost. The matrix product and the step take turns, `--repeats` rounds, so that
other processes' load falls on both alike; the ratios are each round's, their median.

    python bench/dcgan_rate.py [--variants default,inter1,intra1,onednn_off] [--repeats 5] [--xla]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
VARIANTS = {
    "default": {},
    "inter1": {"TF_NUM_INTEROP_THREADS": "1"},
    "intra1": {"TF_NUM_INTRAOP_THREADS": "1"},
    "onednn_off": {"TF_ENABLE_ONEDNN_OPTS": "0"},
}


def forward_flops(model) -> int:
    """Floating-point operations of one sample's forward pass through a Keras model's conv and dense layers."""
    import keras

    total = 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2DTranspose):
            _, h, w, c_in = layer.input.shape
            total += 2 * h * w * c_in * layer.kernel_size[0] * layer.kernel_size[1] * layer.filters
        elif isinstance(layer, keras.layers.Conv2D):
            _, h, w, c_out = layer.output.shape
            c_in = layer.input.shape[-1]
            total += 2 * h * w * c_out * layer.kernel_size[0] * layer.kernel_size[1] * c_in
        elif isinstance(layer, keras.layers.Dense):
            total += 2 * layer.input.shape[-1] * layer.units
    return total


def iteration_flops(config, discriminator, generator) -> dict:
    half, n = config.n_batch // 2, config.n_batch
    d, g = forward_flops(discriminator), forward_flops(generator)
    d_update = g * half + 3 * d * 2 * half
    g_update = 3 * (g + d) * n
    return {"d_forward": d, "g_forward": g, "d_update": d_update, "g_update": g_update, "total": d_update + g_update}


def seconds(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def measure(repeats: int, jit: bool) -> dict:
    """In this process, taking turns (so that other processes' load falls on both alike): the matrix
    product's rate, then the step's, per iteration and as a loop; each round's ratio, and their medians."""
    import tensorflow as tf

    from gan_core.data.mnist import load_subset
    from gan_core.settings.config import ImageConfig
    from gan_core.training.images import ImageGanRun

    a = tf.random.uniform([2048, 2048])
    matmul = tf.function(lambda x: tf.reduce_sum(tf.matmul(x, x)))
    matmul_flops = 2 * 2048 ** 3
    config = ImageConfig(n_epochs=10 ** 6, n_eval=10 ** 6)
    digits = load_subset("tanh")
    runs = {"step": ImageGanRun(config, digits)}
    if jit:
        runs["step_xla"] = ImageGanRun(config, digits, jit_compile=True)
    out = {"threads": [tf.config.threading.get_inter_op_parallelism_threads(),
                       tf.config.threading.get_intra_op_parallelism_threads()]}
    timings = {"matmul": []}
    matmul(a).numpy()
    for name, run in runs.items():  # compiled, warm
        [run.advance() for _ in range(3)]
        run.steps.train(run.state, run.data, 10 if name == "step_xla" else 50)[1]["d_loss"]
        timings[name], timings[name + "_loop"] = [], []
    for _ in range(repeats):
        timings["matmul"].append(seconds(lambda: [matmul(a).numpy() for _ in range(5)]) / 5)
        for name, run in runs.items():
            n = 10 if name == "step_xla" else 50  # XLA's convolutions are slow on this CPU
            timings[name].append(seconds(lambda: [run.advance() for _ in range(n)]) / n)
            timings[name + "_loop"].append(
                seconds(lambda: run.steps.train(run.state, run.data, n)[1]["d_loss"]) / n)
    matmul_rate = [matmul_flops / t / 1e9 for t in timings["matmul"]]
    out["matmul_gflops"] = round(statistics.median(matmul_rate), 1)
    for name, run in runs.items():
        flops = iteration_flops(config, run.discriminator, run.generator)
        out["flops"] = flops
        rate = [flops["total"] / t / 1e9 for t in timings[name]]
        loop = [flops["total"] / t / 1e9 for t in timings[name + "_loop"]]
        out[name] = {"mflop_per_iteration": round(flops["total"] / 1e6, 1),
                     "ms_per_iteration": round(statistics.median(timings[name]) * 1000, 2),
                     "ms_per_iteration_in_loop": round(statistics.median(timings[name + "_loop"]) * 1000, 2),
                     "gflops": round(statistics.median(rate), 1),
                     "ratio_to_matmul": round(statistics.median([r / m for r, m in zip(rate, matmul_rate)]), 3),
                     "ratio_in_loop": round(statistics.median([r / m for r, m in zip(loop, matmul_rate)]), 3)}
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--xla", action="store_true", help="also the step with jit_compile=True (default variant)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps({"variant": args.one, **measure(args.repeats, jit=args.xla and args.one == "default")}), flush=True)
        return
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    lines = [f"# {time.strftime('%Y-%m-%d %H:%M')}, load average {load} at the start"]
    for variant in args.variants.split(","):
        env = {**os.environ, **VARIANTS[variant]}
        got = subprocess.run([sys.executable, __file__, "--one", variant, "--repeats", str(args.repeats)]
                             + (["--xla"] if args.xla else []), env=env,
                             capture_output=True, text=True)
        line = next((x for x in got.stdout.splitlines() if x.startswith("{")), got.stderr[-500:])
        print(line, flush=True)
        lines.append(line)
    with open("/proc/loadavg") as f:
        lines.append(f"# load average {' '.join(f.read().split()[:3])} at the end")
    with open(os.path.join(RESULTS, "dcgan_rate.txt"), "a") as f:
        f.write("\n".join(lines) + "\n\n")


if __name__ == "__main__":
    main()
