"""Slow motion (gan_core/teaching/slow_motion.py): one iteration taken apart by the compiled step's own stages,
with the run going on exactly as if it had not been slowed down."""
import numpy as np
import pytest
import tensorflow as tf

from gan_core import Config, GanRun, kinds
from gan_core.teaching.slow_motion import step, take_apart

TINY = dict(n_epochs=60, n_eval=20, n_batch=32, n_eval_samples=40)


def _state(state):
    return [np.asarray(leaf) for leaf in tf.nest.flatten(state) if np.asarray(leaf).dtype.kind == "f"]


@pytest.mark.slow
def test_a_slow_motion_iteration_leaves_the_history_bit_identical():
    slowed, plain = GanRun(Config(**TINY)), GanRun(Config(**TINY))
    slowed.train_chunk()
    take_apart(slowed)
    assert slowed.iteration == 20  # looking moves nothing
    step(slowed)
    assert slowed.iteration == 21
    list(slowed.train())
    list(plain.train())
    for mine, theirs in zip(_state(slowed.state), _state(plain.state)):  # the weights, bit for bit
        assert np.array_equal(mine, theirs)
    columns = ["iteration", "acc_real", "acc_fake", "curve_error", "energy"]
    assert slowed.history_frame()[columns].equals(plain.history_frame()[columns])
    # a check-in's mean loss is summed in float32 within each compiled step: its last bits depend on
    # where the steps break, as after any pause
    losses = ["d_loss", "g_loss"]
    np.testing.assert_allclose(slowed.history_frame()[losses], plain.history_frame()[losses], rtol=1e-6)


@pytest.mark.parametrize("settings, names", [
    ({}, ["start", "d_real", "d_fake", "g"]),
    ({"update": "stacked", "d_steps": 2, "g_steps": 2}, ["start", "d", "d", "g", "g"]),
    ({"loss": "wgan-gp", "n_critic": 2}, ["start", "critic", "critic", "g"]),
])
@pytest.mark.slow
def test_the_parts_are_the_compiled_steps_math(settings, names):
    """The stages run one at a time end where the compiled iteration ends (to float rounding)."""
    run = GanRun(Config(**TINY, **settings))
    parts = take_apart(run)
    assert [p.name for p in parts] == names
    step(run)
    for mine, compiled in zip(_state(parts[-1].state), _state(run.state)):
        np.testing.assert_allclose(mine, compiled, rtol=1e-4, atol=1e-5)


@pytest.mark.slow
def test_each_part_does_what_it_says():
    """On the ring, after some training: the discriminator's step on real raises its P(real) at the
    real samples, its step on fakes lowers it at the fakes, the generator's step raises it at the
    (moved) fakes; the grid and arrows are drawn at every stage."""
    run = kinds.POINTS.gan(Config(target="ring8", **{**kinds.POINTS.defaults, **TINY}))
    run.train_chunk()
    start, on_real, on_fake, generator = take_apart(run)

    def p(part, samples):
        return run.p_real_at(samples, part.state).mean()

    assert p(on_real, start.real) > p(start, start.real)
    assert p(on_fake, on_real.fake) < p(on_real, on_real.fake)
    assert p(generator, generator.fake) > p(on_fake, on_fake.fake)
    assert np.array_equal(on_fake.fake, start.fake) and not np.array_equal(generator.fake, start.fake)
    for part in (start, on_real, on_fake, generator):
        assert part.decision.shape == (1600, 3) and part.push.shape == (16, 4) and part.says  # n_batch/2 fakes


def test_slow_motion_on_a_line_and_its_new_knobs_refused_when_bad():
    run = kinds.SAMPLES.gan(Config(target="bimodal1d", **{**kinds.SAMPLES.defaults, **TINY}, latent="uniform"))
    parts = take_apart(run)
    assert parts[0].decision.shape[1] == 2 and parts[-1].push.shape == (16, 2)
    errors = Config(d_steps=0, g_steps=11, latent="cauchy").validate()
    assert "from 1 to 10" in errors["d_steps"] and "from 1 to 10" in errors["g_steps"] and "gaussian" in errors["latent"]
    assert "n_critic" in Config(loss="wgan-gp", d_steps=2).validate()["d_steps"]


@pytest.mark.slow
def test_the_manifold_is_the_generator_of_a_latent_grid():
    """GAN Lab's manifold at each check-in: G of a 15x15 grid of equally likely latent steps (z[0]
    fastest); with latent_dim 1 a line; drawn as the grid's rows and columns."""
    from explorer.charts.plane import mesh_frame
    from gan_core.networks import latent

    run = kinds.POINTS.gan(Config(target="ring8", **{**kinds.POINTS.defaults, **TINY, "latent_dim": 2}))
    manifold = run.train_chunk().manifold
    z = latent.grid(15, 2)
    assert manifold.shape == (225, 2) and np.allclose(manifold, run.generate(z), atol=1e-6)
    assert z[1, 0] > z[0, 0] and z[1, 1] == z[0, 1]  # z[0] fastest
    mesh = mesh_frame(manifold)
    assert mesh.line.nunique() == 30 and (mesh.groupby("line").size() == 15).all()
    line = kinds.POINTS.gan(Config(target="ring8", **{**kinds.POINTS.defaults, **TINY, "latent_dim": 1}))
    assert line.train_chunk().manifold.shape == (60, 2) and mesh_frame(line.history[-1].manifold).line.nunique() == 1


def test_the_overview_graph_carries_the_numbers_and_lights_the_stage():
    from explorer import overview

    graph = overview.dot({"acc_real": 0.8, "acc_fake": 0.25, "d_loss": 0.6, "g_loss": 0.9}, stage="d_real")
    assert "acc_real 0.80" in graph and "acc_fake 0.25" in graph and "g_loss 0.900" in graph
    lit = [line.split()[0] for line in graph.splitlines() if "penwidth=2.5" in line]
    assert lit == ["real", "D", "d_loss", "update_d"]  # the discriminator's step on real samples
    assert overview.dot().count("penwidth=2.5") == len(overview.PARTS)  # no stage: every part lit
    assert all(f"  {name} [" in overview.dot() for name in overview.PARTS)  # every part is drawn


@pytest.mark.parametrize("networks", ["dcgan", "tutorial"])
def test_mnist_slow_motion_is_the_compiled_iteration_and_does_what_it_says(networks):
    """MNIST: the parts are the discriminator's update and the generator's; each does what its sentence
    says to the discriminator's P(real) of the digits shown; after a slow-motion iteration the run
    goes on bit for bit as one never slowed down."""
    from gan_core.data.mnist import load_digits
    from gan_core.settings.config import ImageConfig
    from gan_core.training.images import ImageGanRun

    config = ImageConfig(networks=networks, latent_dim=8, d_filters=4, g_filters=4, n_batch=16, n_epochs=6,
                         n_eval=3, n_eval_samples=10, scale="tanh")
    digits = load_digits("tanh", use_keras=False)
    slowed, plain = ImageGanRun(config, digits), ImageGanRun(config, digits)
    slowed.train_chunk()
    start, on_both, generator = parts = take_apart(slowed)
    assert [p.name for p in parts] == ["start", "d", "g"] and slowed.iteration == 3
    assert start.real.shape == (8, 28, 28) and 0 <= start.fake.min() and start.fake.max() <= 1 and start.says
    assert on_both.p_real.mean() > start.p_real.mean() and on_both.p_fake.mean() < start.p_fake.mean()
    assert generator.p_fake.mean() > on_both.p_fake.mean() and np.array_equal(generator.p_real, on_both.p_real)
    assert not np.array_equal(generator.fake, on_both.fake)
    step(slowed)
    for mine, compiled in zip(_state(parts[-1].state), _state(slowed.state)):  # the same math as compiled
        np.testing.assert_allclose(mine, compiled, rtol=1e-4, atol=1e-5)
    list(slowed.train())
    list(plain.train())
    for mine, theirs in zip(_state(slowed.state), _state(plain.state)):
        assert np.array_equal(mine, theirs)
    assert slowed.d_losses == plain.d_losses and slowed.g_losses == plain.g_losses


def test_the_manifold_is_shaded_by_density():
    """GAN Lab's shading: a warped grid whose left half is squeezed into a fifth of the width is
    drawn darker there (each cell holds the same share of the latent distribution); a line has none."""
    import base64
    import io

    from PIL import Image

    from explorer.charts.plane import density_image, plane_frame

    u = np.linspace(-1, 1, 15)
    x, y = np.meshgrid(u, u)
    squeezed = np.column_stack([np.where(x < 0, 0.2 * x - 0.8, x).ravel(), y.ravel()])
    url = density_image(squeezed, (-1.5, 1.5), (-1.5, 1.5))
    alpha = np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))))[..., 3].astype(float)
    packed, spread, outside = alpha[60:100, 30:38].mean(), alpha[60:100, 100:120].mean(), alpha[:10, :10].mean()
    assert packed > 2.5 * spread > 0 and outside == 0
    assert density_image(squeezed[:15], (-1, 1), (-1, 1)) is None  # one line of latent points: no cells
    grid = np.column_stack([np.repeat(0.0, 4), np.repeat(0.0, 4), np.full(4, 0.5)])
    grid[:, 0], grid[:, 1] = [-1.5, 1.5, -1.5, 1.5], [-1.5, -1.5, 1.5, 1.5]
    frame = plane_frame(grid, squeezed[:3], squeezed[:3], manifold=squeezed)
    assert (frame.kind == "density").sum() == 1 and (frame.kind == "mesh").sum() == 2 * 15 * 15
