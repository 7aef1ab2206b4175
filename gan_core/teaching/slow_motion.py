"""Slow motion: one training iteration of a GAN run taken apart, as GAN Lab's slow-motion mode.

The compiled step of a run (plane.gan_steps, images.image_gan_steps) is a list of stages: the discriminator's update
on real samples, on generated ones (or one stacked update, or WGAN-GP's critic updates), then the
generator's update through the discriminator. `take_apart` runs those same stage functions one at
a time, eagerly, from the run's state, and after each one looks at what changed: the
discriminator's P(real) over the plane (or D(x) on a line), where it pushes the fakes, and the
samples (MNIST: the iteration's digits and the generator's, with the discriminator's P(real) of each).
It changes nothing of the run: `step` then trains that iteration with the compiled step,
so the run goes on exactly as if it had never been slowed down.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gan_core.judging import metrics
from gan_core.training.plane import DECISION_GRID, PUSHED, GanRun

SAYS = {
    "start": "Where the iteration starts: the discriminator's verdict (red: real, blue: fake), this iteration's "
             "real samples and the generator's fakes.",
    "d_real": "The discriminator sees n_batch/2 real samples labelled real and takes one step: its verdict "
              "rises around them.",
    "d_fake": "It sees n_batch/2 generated samples labelled fake and takes one step: its verdict falls around "
              "them.",
    "d": "It sees the real and generated samples together (a stacked update) and takes one step toward "
         "telling them apart.",
    "critic": "The critic takes one step: its score rises on real samples, falls on fakes, with its gradient "
              "held near 1 (WGAN-GP's penalty).",
    "g": "The generator takes one step on n_batch fresh latent points, through the unchanged discriminator: "
         "each fake moves along the arrows, where the discriminator says more real.",
}
IMAGE_SAYS = {
    "start": "Where the iteration starts: some of this iteration's real digits and the generator's fakes, each "
             "with the discriminator's P(real).",
    "d": "The discriminator sees n_batch/2 real and n_batch/2 generated digits (the DCGAN: each half normalized by "
         "its own batch) and takes one step: P(real) rises on the real digits and falls on the fakes.",
    "g": "The generator takes one step on n_batch fresh latent points, through the unchanged discriminator: its "
         "digits change toward what the discriminator calls real.",
}
SHOWN = 8  # digits of each kind shown
TITLES = {"start": "Before the iteration", "d_real": "Discriminator on real samples",
          "d_fake": "Discriminator on generated samples", "d": "Discriminator on both (stacked)",
          "critic": "Critic step", "g": "Generator through the discriminator"}


@dataclass
class Part:
    """One stage of the iteration and what the run looks like after it."""

    name: str  # "start", "d_real", "d_fake", "d", "critic" or "g"
    title: str
    says: str
    real: np.ndarray  # the iteration's real samples (its first discriminator update's)
    fake: np.ndarray  # the generator's samples now, of the latent points its fakes come from this iteration
    decision: np.ndarray | None  # the discriminator's P(real) now: a grid (x, y, p) or a line (x, p); MNIST: None
    push: np.ndarray | None  # where it pushes the first PUSHED fakes now; MNIST: None
    state: object  # the run's state after this stage (steps.RunState; its iteration is not yet counted)
    p_real: np.ndarray | None = None  # MNIST: the discriminator's P(real) of each real digit shown, and
    p_fake: np.ndarray | None = None  # of each fake (real and fake: SHOWN digits each, in [0, 1])


def take_apart(run: GanRun) -> list[Part]:
    """The run's next iteration, stage by stage (the run itself does not move)."""
    stages = getattr(run.steps, "stages", None)
    if stages is None:
        raise ValueError("Slow motion takes apart a GAN run on 1-D or 2-D samples.")
    state, data = run.state, run.data
    real = np.asarray(run.steps.samples(state, data, 0)[0])
    z = np.asarray(run.steps.latent_points(state, 1, len(real), 0))  # the latent points of the fakes D sees
    look = _look if hasattr(run, "p_real_at") else _look_images
    parts = [look(run, state, "start", real, z)]
    logs = {"d": [], "g": []}
    for name, part, stage in stages:
        state, logs = stage(state, data, logs)
        parts.append(look(run, state, name, real, z, part))
    return parts


def _look_images(run, state, name: str, real: np.ndarray, z: np.ndarray, part: int = 0) -> Part:
    """An MNIST part: the first SHOWN real digits and fakes, with P(real) judged as in training (the
    DCGAN's batch norm over the whole half batch of each kind)."""
    fake = run.steps.predict("g", state.g, z)
    network = "d_batch" if run.config.networks == "dcgan" else "d"
    seen = np.asarray(run.steps.labelled(fake, z))  # a conditional run's fakes with the digits asked for
    p_real, p_fake = (run.steps.predict(network, state.d, x).reshape(-1)[:SHOWN] for x in (real, seen))
    unit = [run.shown(x[:SHOWN]) for x in (real, fake)]  # in [0, 1]; a user's pictures keep their channels
    title = "Discriminator on real and generated digits" if name == "d" else TITLES[name]
    return Part(name, title, IMAGE_SAYS[name], *unit, None, None, state, p_real, p_fake)


def _look(run: GanRun, state, name: str, real: np.ndarray, z: np.ndarray, part: int = 0) -> Part:
    fake = run.steps.predict("g", state.g, z)
    many = f" (update {part + 1})" if name != "start" and _repeated(run, name) else ""
    return Part(name, TITLES[name] + many, SAYS[name], real, fake,
                metrics.decision_grid(lambda x: run.p_real_at(x, state), *run.target.bounds(), n=DECISION_GRID),
                run.push(fake[:PUSHED], state), state)


def _repeated(run: GanRun, name: str) -> bool:
    return sum(1 for stage, _, _ in run.steps.stages if stage == name) > 1


def step(run: GanRun):
    """Train the iteration slow motion showed, with the compiled step (returns a check-in's
    Evaluation when it reaches one, else None)."""
    return run.advance(1)
