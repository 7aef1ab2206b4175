"""One TensorFlow CPU device per training slot, each with a thread pool of its own.

TensorFlow runs a compiled step on its device's intra-op pool while the calling thread waits.
With one pool of two threads for the process (its default on 2 cores), one 1-D run spread each
small step over both threads: no faster than one thread, but 1.3-1.7 cores busy, which the
visitor's browser and the page's check-ins then waited for; and two runs at once shared those
two threads at 1.65x the throughput of one. Here each slot's steps run on their own logical
CPU device with a one-thread pool: one run takes one core, two runs take two (2.0x one alone).
Measured on 2 cores (bench/concurrency.py, bench/app_speed.py; figures in README's table).
MNIST's convolutions used the second thread: its interactive preset alone is 9 % slower, its
tutorial preset 21 %; two MNIST runs at once are not slower.

TensorFlow reads this set-up once, before its first op; `configure` is called on explorer's
import, before anything trains. When TensorFlow has already started (a notebook that trained
before importing explorer) every slot uses the one device there is.
"""
from __future__ import annotations

import contextlib
import os

os.environ.setdefault("TF_OVERRIDE_GLOBAL_THREADPOOL", "1")  # each device gets its own intra-op pool
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")  # of one thread: a step's ops are too small to split

_names: list[str] = []


def configure(slots: int) -> None:
    """One logical CPU device per slot (TensorFlow must not have started yet)."""
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * slots)
    except RuntimeError:  # TensorFlow has started: one device, its pool shared by every slot
        pass


def names() -> list[str]:
    if not _names:
        import tensorflow as tf

        _names.extend(d.name for d in tf.config.list_logical_devices("CPU"))
    return _names


@contextlib.contextmanager
def slot(index: int):
    """TensorFlow ops of this thread run on the slot's device (and its pool)."""
    import tensorflow as tf

    devices = names()
    with tf.device(devices[index % len(devices)]):
        yield
