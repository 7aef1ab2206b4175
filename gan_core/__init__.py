"""gan_core: the GAN Explorer's engine, a plain library with no Streamlit in it.

    from gan_core import Config, GanRun
    run = GanRun(Config(n_epochs=10_000, n_eval=2_000))
    for evaluation in run.train():
        print(evaluation.epoch, evaluation.acc_real, evaluation.acc_fake)
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's start-up chatter out of the app and CLI

from gan_core.training import cache  # noqa: E402

cache.configure()  # before TensorFlow starts: it reads its XLA flags once

from gan_core.settings.config import Config  # noqa: E402
from gan_core.settings.described import ConfigError  # noqa: E402
from gan_core.data.targets import BUILTIN_TARGETS, ExpressionError, Target, get_target  # noqa: E402


def __getattr__(name):
    # training imports TensorFlow (seconds): load it only when a run is asked for,
    # so validating a config or a command line stays instant
    if name in ("DiscriminatorRun", "Evaluation", "GanRun"):
        from gan_core.training import plane

        return getattr(plane, name)
    raise AttributeError(f"module 'gan_core' has no attribute {name!r}")

__all__ = ["Config", "ConfigError", "BUILTIN_TARGETS", "ExpressionError", "Target", "get_target",
           "DiscriminatorRun", "Evaluation", "GanRun"]
