"""2-D point sets: the mixture scores on samples with known answers, every CSV refusal, and a
GAN on the ring of 8 that learns (modes captured above a random generator's)."""
import numpy as np
import pytest

from gan_core import Config, DiscriminatorRun, GanRun
from gan_core.data.points import MAX_ROWS, PointsError, get_point_set, grid25, read_points_csv, ring8
from gan_core.judging.metrics import mixture_scores

RING = ring8()


def _near(centres, per_mode, sigma, seed=0):
    rng = np.random.default_rng(seed)
    return np.concatenate([c + sigma * rng.standard_normal((per_mode, 2)) for c in centres])


def test_all_modes_evenly_score_perfectly():
    scores = mixture_scores(RING.support, RING.support, RING.sigma)  # every centre, exactly
    assert scores == {"modes": 8.0, "high_quality": 1.0, "reverse_kl": pytest.approx(0.0, abs=1e-12)}


def test_one_mode_is_collapse():
    scores = mixture_scores(_near(RING.support[:1], 100, 0.01), RING.support, RING.sigma)
    assert scores["modes"] == 1 and scores["high_quality"] > 0.95
    assert scores["reverse_kl"] == pytest.approx(np.log(8))  # all mass on one mode of 8


def test_off_mode_points_are_low_quality_and_capture_nothing():
    between = (RING.support + np.roll(RING.support, 1, axis=0)) / 2  # midway between neighbours
    scores = mixture_scores(between, RING.support, RING.sigma)
    assert scores["modes"] == 0 and scores["high_quality"] == 0 and np.isnan(scores["reverse_kl"])
    half = mixture_scores(np.concatenate([RING.support[:4], between[:4]]), RING.support, RING.sigma)
    assert half["modes"] == 4 and half["high_quality"] == 0.5
    assert half["reverse_kl"] == pytest.approx(np.log(2))  # 4 modes of 8, evenly


def test_real_samples_reach_the_floor():
    grid = grid25()
    real = grid.sample_real(2500, np.random.default_rng(1))
    scores = mixture_scores(real, grid.support, grid.sigma)
    assert scores["modes"] == 25 and scores["high_quality"] > 0.97 and scores["reverse_kl"] < 0.02


@pytest.mark.parametrize("text, says", [
    (b"", "0 rows"),
    (b"x,y\n1,2\n", "1 rows"),
    (b"1,2,3\n" * 20, "Row 1 has 3 columns, not two (x, y)"),
    (b"1\n" * 20, "Row 1 has 1 column, not two (x, y)"),  # not "1 columns"
    (b"1,2\n" * 20 + b"a,b\n", "not two numbers"),
    (b"1,2\n" * 20 + b"nan,1\n", "holds nan"),
    (b"1,2\n" * 20 + b"1e9,1\n", "holds 1e+09"),
    (b"\xff\xfe\x00\x01" * 10, "not text"),
    (b"__import__('os'),1\n" * 20, "not two numbers"),
])
def test_a_bad_csv_is_refused_with_what_is_allowed(text, says):
    with pytest.raises(PointsError) as err:
        read_points_csv(text)
    assert says in str(err.value) and "two numeric columns" in str(err.value)


def test_too_many_rows_are_refused():
    with pytest.raises(PointsError, match="more than 100,000 rows"):
        read_points_csv(b"1,2\n" * (MAX_ROWS + 1))


@pytest.mark.parametrize("text", [b"x,y\n" + b"1.5,-2\n" * 12, b"1.5;-2\n" * 12, b"1.5\t-2\n" * 12,
                                  b"1.5 -2\n" * 12, b'"x","y"\r\n' + b'"1.5","-2"\r\n' * 12])
def test_csv_dialects_are_read(text):
    points = read_points_csv(text)
    assert points.shape == (12, 2) and (points == [1.5, -2]).all()


@pytest.mark.slow
def test_an_uploaded_set_trains_and_a_missing_one_is_refused():
    points = read_points_csv(b"x,y\n" + b"".join(f"{np.cos(a):.4f},{np.sin(a):.4f}\n".encode()
                                                  for a in np.linspace(0, 6, 50)))
    run = GanRun(Config(target="csv", n_epochs=40, n_eval=20, n_batch=32), points=points)
    run.train_chunk()
    assert run.target.sigma == 0 and len(run.target.support) == 50
    assert {"energy", "energy_floor"} <= set(run.history[-1].metrics) and "modes" not in run.history[-1].metrics
    with pytest.raises(PointsError, match="Upload your points"):
        GanRun(Config(target="csv", n_epochs=40, n_eval=20))


@pytest.mark.slow
def test_every_point_set_shares_one_compiled_step():
    config = dict(n_epochs=40, n_eval=20, n_batch=32)
    runs = [GanRun(Config(target=name, **config)) for name in ("ring8", "grid25", "moons", "spiral")]
    assert all(run.steps is runs[0].steps for run in runs)
    for run in runs:
        run.train_chunk()
        real = run.history[-1].real
        lo, hi = run.target.support.min(0) - 5 * run.target.sigma, run.target.support.max(0) + 5 * run.target.sigma
        assert ((real >= lo) & (real <= hi)).all()


@pytest.mark.slow
def test_real_samples_come_from_the_set():
    # the compiled step's real samples: a support point plus sigma noise (checked through the lab,
    # whose discriminator learns to call exactly those real)
    lab = DiscriminatorRun(Config(target="ring8", d_hidden=(32, 32), n_epochs=1500, n_eval=500, n_batch=64,
                                  noise_low=-1.5, noise_high=1.5))
    list(lab.train())
    ev = lab.history[-1]
    assert ev.acc_real > 0.9 and ev.acc_fake > 0.7
    grid = ev.decision
    centre_cells = np.linalg.norm(grid[:, None, :2] - RING.support[None], axis=-1).min(1) < 0.1
    assert grid[centre_cells, 2].mean() > grid[~centre_cells, 2].mean() + 0.2


@pytest.mark.slow
def test_a_gan_on_the_ring_finds_more_modes_than_a_random_generator():
    run = GanRun(Config(target="ring8", latent_dim=8, g_hidden=(64, 64), d_hidden=(64, 64), n_batch=256,
                        n_epochs=3000, n_eval=1000, seed=1))
    list(run.train())
    learned = run.history[-1].metrics
    untrained = GanRun(Config(target="ring8", latent_dim=8, g_hidden=(64, 64), d_hidden=(64, 64), seed=1))
    before = untrained.score(2500)  # spread wide: it touches a few modes by chance, almost no sample near one
    assert learned["modes"] > before["modes"] and learned["high_quality"] > before["high_quality"] + 0.1
    assert learned["modes_floor"] == 8


def test_unknown_set_is_refused():
    with pytest.raises(PointsError, match="ring8"):
        get_point_set("ring9")
    assert "target" in Config(target="ring9").validate()


@pytest.mark.slow
def test_a_packed_discriminator_judges_groups_and_still_draws_the_plane():
    """PacGAN: with pack 2 the discriminator takes two samples at once (input 4 wide); check-ins
    judge groups, the heat map is its verdict on two copies of each point."""
    run = GanRun(Config(target="ring8", pack=2, latent_dim=8, g_hidden=(32,), d_hidden=(32,), n_epochs=400,
                        n_eval=200, n_batch=64, n_eval_samples=100, seed=3))
    assert run.discriminator.input_shape == (None, 4)
    list(run.train())
    ev = run.history[-1]
    assert len(run.discriminate(ev.real)) == 50 and 0 <= ev.acc_real <= 1
    grid = ev.decision
    np.testing.assert_allclose(grid[:, 2], run.p_real_at(grid[:, :2]), atol=1e-6)
    np.testing.assert_allclose(run.p_real_at(grid[:5, :2]), run.discriminate(np.repeat(grid[:5, :2], 2, axis=0)),
                               atol=1e-6)  # a point's verdict: a group of two copies of it
    assert ev.push.shape == (40, 4) and np.isfinite(ev.push).all()
    assert GanRun(Config(target="ring8", pack=1)).steps is not run.steps
    assert "pack" in Config(pack=9).validate()
