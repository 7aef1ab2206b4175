"""The compiled step's key is derived from each setting's declared role (gan_core/settings/described.py,
`step`), never listed: a "graph" setting is in the key of every step that uses it; "state", "loop" and
"data" settings never are (runs that differ only there share one step). The slow test trains a run
for a changed value of every setting after other runs in one process (whose steps it may reuse) and
again with nothing to reuse (a fresh process, the step cache emptied before each), and asks for the
same numbers: a setting that a step reads but its key leaves out would make the two differ."""
import dataclasses
import hashlib
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from gan_core import kinds
from gan_core.settings.config import Config, ImageConfig, YourImagesConfig
from gan_core.settings.described import STEP_ROLES, Setting

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMANDS = ("train", "discriminator")  # the GAN's step, the discriminator lab's
TINY = {Config: dict(n_epochs=20, n_eval=10, n_batch=8, n_eval_samples=10, latent_dim=2, g_hidden=(4,), d_hidden=(5,)),
        ImageConfig: dict(d_filters=4, g_filters=4, latent_dim=4, n_batch=8, n_epochs=4, n_eval=2, n_eval_samples=10),
        YourImagesConfig: dict(side=16, d_filters=4, g_filters=4, latent_dim=4, n_batch=8, n_epochs=4, n_eval=2,
                               n_eval_samples=10)}
# per settings class, changes of the tiny config, each a valid config: every setting at least once
CHANGES = {
    Config: [dict(target="ring8"), dict(target="grid25"), dict(target="normal1d"),
             dict(target="custom", expr="x**3"), dict(target="custom", expr="0.5*x"), dict(low=-0.25),
             dict(high=0.75), dict(latent_dim=3), dict(g_hidden=(4, 3)), dict(d_hidden=(6,)),
             dict(g_activation="tanh"), dict(d_activation="leaky_relu"), dict(g_lr=0.002), dict(d_lr=0.003),
             dict(n_epochs=30), dict(n_batch=10), dict(n_eval=5), dict(n_eval_samples=12), dict(update="stacked"),
             dict(pack=2), dict(noise_low=-2.0), dict(noise_high=2.0), dict(seed=2), dict(loss="lsgan"),
             dict(loss="hinge"), dict(loss="wgan-gp"), dict(loss="wgan-gp", n_critic=2),
             dict(loss="wgan-gp", gp_weight=5.0), dict(optimizer="sgd"),
             dict(g_optimizer="sgd"), dict(g_optimizer="adam"), dict(beta_1=0.5), dict(d_steps=2), dict(g_steps=2),
             dict(latent="uniform"), dict(r1_gamma=1.0), dict(instance_noise=0.5), dict(ema=0.9)],
    ImageConfig: [dict(networks="tutorial"), dict(latent_dim=5), dict(d_filters=5), dict(g_filters=5),
                  dict(d_lr=0.001), dict(g_lr=0.002), dict(beta_1=0.9), dict(n_epochs=6), dict(n_batch=10),
                  dict(n_eval=1), dict(eval_unit="epochs", n_epochs=2, n_eval=1, n_batch=1000),
                  dict(n_eval_samples=12), dict(scale="unit"), dict(seed=2), dict(r1_gamma=1.0),
                  dict(instance_noise=0.5), dict(ema=0.9), dict(conditional="on"), dict(real_label=0.9),
                  dict(conditional="on", instance_noise=0.5, ema=0.9)],
    YourImagesConfig: [dict(side=32), dict(color="color"), dict(color="gray"), dict(augment="off"), dict(latent_dim=5),
                       dict(d_filters=5), dict(g_filters=5), dict(d_lr=0.001), dict(g_lr=0.002), dict(beta_1=0.9),
                       dict(n_epochs=6), dict(n_batch=10), dict(n_eval=1), dict(n_eval_samples=12), dict(seed=2),
                       dict(r1_gamma=1.0), dict(instance_noise=0.5), dict(ema=0.9)],
}


def _configs(cls) -> list:
    """The tiny config first, then each change of it."""
    base = cls(**TINY[cls])
    return [base] + [dataclasses.replace(base, **change) for change in CHANGES[cls]]


# ---- fast: the keys alone ----------------------------------------------------------------------------

def test_every_setting_of_every_settings_class_declares_its_role():
    classes = {kind.settings for kind in kinds.KINDS.values()}
    assert classes == {Config, ImageConfig, YourImagesConfig}
    for cls in classes:
        for name, described in cls.settings().items():
            assert described.step in STEP_ROLES, (cls.__name__, name, described.step)
    with pytest.raises(TypeError, match="step"):  # no default hides a forgotten role
        Setting("whole", "a count")
    with pytest.raises(ValueError, match="step must be one of"):
        Setting("whole", "a count", step="shape")


@pytest.mark.parametrize("cls", [Config, ImageConfig, YourImagesConfig])
def test_the_key_changes_with_each_graph_setting_its_step_uses_and_with_nothing_else(cls):
    base = cls(**TINY[cls])
    changed = {name for change in CHANGES[cls] for name in change}
    assert changed == set(cls.settings()), set(cls.settings()) - changed  # every setting tried
    for config, change in zip(_configs(cls)[1:], CHANGES[cls]):
        assert config.validate() == {}, (change, config.validate())
        for command in COMMANDS:
            shaping = [name for name in change if cls.settings()[name].step == "graph"
                       and command in cls.settings()[name].commands]
            assert (config.graph_key(command) != base.graph_key(command)) == bool(shaping), (command, change)
    assert base.graph_key("train") != base.graph_key("discriminator")
    assert Config(**TINY[Config]).graph_key("train") != ImageConfig(**TINY[ImageConfig]).graph_key("train")


def test_point_sets_of_one_dimension_share_a_step_and_their_support_goes_in_as_data():
    from gan_core import GanRun

    ring, grid = (GanRun(Config(target=target, **TINY[Config])) for target in ("ring8", "grid25"))
    assert ring.steps is grid.steps
    assert not np.array_equal(ring.data[0], grid.data[0])  # each run's own support points
    assert GanRun(Config(target="normal1d", **TINY[Config])).steps is not ring.steps  # another dimension


# ---- slow: the numbers of every changed setting, shared steps or not ---------------------------------

def _fingerprint(run) -> dict:
    """Every number of every check-in's row but the timings, as exact hex, and a hash of the final state
    (both networks' weights, optimizer slots, seed and iteration)."""
    import tensorflow as tf

    rows = [{k: float(v).hex() for k, v in e.row().items() if "seconds" not in k} for e in run.history]
    state = hashlib.sha256()
    for part in tf.nest.flatten(run.state):
        state.update(np.ascontiguousarray(np.asarray(part)).tobytes())
    return {"rows": rows, "state": state.hexdigest()}


def trained(cls_name: str, fresh: bool) -> list:
    """Fingerprints of every changed config's GAN and lab runs (a fresh step each when `fresh`, else in
    this process after the tiny config's, each run free to reuse any earlier one's step)."""
    from gan_core.data.mnist import load_subset
    from gan_core.training import steps

    from gan_core.data.images import made_up_shapes

    cls = {"Config": Config, "ImageConfig": ImageConfig, "YourImagesConfig": YourImagesConfig}[cls_name]
    configs = _configs(cls)
    out = []
    for i, config in enumerate(configs):
        if fresh and i == 0:
            continue
        if fresh:
            steps._kept.clear()  # nothing to reuse: the step is built from this config alone
        kind = kinds.of_settings(config)
        extra = ({"digits": load_subset(config.scale)} if cls is ImageConfig else  # a user's: made-up pictures
                 {"images": made_up_shapes(40, config.side, color=config.color == "color")} if cls is YourImagesConfig
                 else {})
        runs = (kind.gan(config, **extra), kind.discriminator(config, **extra))
        for run in runs:
            list(run.train())
        out.append([_fingerprint(run) for run in runs])
    return out if fresh else out[1:]


FRESH = """
import json, sys
sys.path.insert(0, {tests!r})
sys.path.insert(0, {root!r})
import test_step_keys
print(json.dumps(test_step_keys.trained({cls!r}, fresh=True)))
"""


@pytest.mark.slow
@pytest.mark.timeout(1500)
@pytest.mark.parametrize("cls", [Config, ImageConfig, YourImagesConfig])
def test_every_changed_setting_trains_the_same_after_other_runs_as_in_a_fresh_process(cls):
    code = FRESH.format(tests=os.path.join(ROOT, "tests"), root=ROOT, cls=cls.__name__)
    fresh = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "GAN_EXPLORER_CACHE": "off"})
    try:
        after_others = trained(cls.__name__, fresh=False)  # meanwhile, on the other core
        out, err = fresh.communicate(timeout=1200)
    finally:
        fresh.kill()
    assert fresh.returncode == 0, err[-3000:]
    alone = json.loads(out.strip().splitlines()[-1])
    assert len(alone) == len(after_others) == len(CHANGES[cls])
    for change, a, b in zip(CHANGES[cls], alone, after_others):
        assert a == b, change
