"""The Dirac-GAN lesson's engine (gan_core/teaching/dirac.py): the three behaviours of Mescheder et al.
(2018) checked numerically (plain simultaneous steps spiral out, alternating ones circle, R1 and instance
noise converge), the Jacobian's eigenvalues at the equilibrium, every loss and regularizer runs, and the
settings refuse bad values by their field."""
from dataclasses import replace

import numpy as np
import pytest

from gan_core.settings.config import DIRAC_LOSSES, DIRAC_UPDATES, REGULARIZERS, DiracConfig
from gan_core.settings.described import ConfigError
from gan_core.teaching import dirac

PLAIN = DiracConfig(loss="minimax", regularizer="none", steps=300, lr=0.2, theta0=1.0, psi0=1.0)


def _distance(config):
    path = dirac.trajectory(config)
    assert list(path.columns) == ["step", "theta", "psi", "distance"] and len(path) == config.steps + 1
    assert (path.theta[0], path.psi[0]) == (config.theta0, config.psi0)
    return path.distance.to_numpy()


def test_plain_simultaneous_steps_spiral_out():
    d = _distance(PLAIN)
    # each step multiplies the squared distance by about 1 + lr² f'(0)² near the equilibrium
    assert d[100] > d[0] * 1.3 and d[300] > d[100] and np.all(np.diff(d[::50]) > 0), d[::50]


def test_non_saturating_simultaneous_steps_spiral_out_from_near_the_equilibrium():
    """The non-saturating loss has the same Jacobian at (0, 0): near it, simultaneous steps spiral out
    (farther away its own damping holds them on a circle: they never reach the equilibrium)."""
    d = _distance(replace(PLAIN, loss="bce", theta0=0.1, psi0=0.1, steps=600))
    assert d[600] > 3 * d[0] and d[300] > d[0], d[::100]


def test_plain_alternating_steps_circle():
    d = _distance(replace(PLAIN, update="alternating", steps=600))
    assert d.min() > 0.8 * d[0] and d.max() < 1.25 * d[0], (d.min(), d.max())


@pytest.mark.parametrize("regularizer", ["r1", "instance-noise"])
def test_r1_and_instance_noise_converge(regularizer):
    d = _distance(replace(PLAIN, regularizer=regularizer, gamma=1.0, sigma=1.0))
    assert d[-1] < 0.1 * d[0] and d[-30:].max() < 0.15, d[::50]


def test_eigenvalues_at_the_equilibrium():
    plain = dirac.eigenvalues(PLAIN)
    assert np.allclose(plain.real, 0, atol=1e-6) and np.allclose(sorted(plain.imag), [-0.5, 0.5], atol=1e-5), plain
    # R1: -γ/2 ± sqrt(γ²/4 - f'(0)²), f'(0) = 1/2 (the paper's)
    for gamma in (0.5, 1.0, 3.0):
        r1 = dirac.eigenvalues(replace(PLAIN, regularizer="r1", gamma=gamma))
        expected = -gamma / 2 + np.array([1, -1]) * np.emath.sqrt(gamma ** 2 / 4 - 0.25)
        assert np.all(r1.real < 0) and np.allclose(sorted(r1, key=lambda z: (z.real, z.imag)),
                                                   sorted(expected, key=lambda z: (z.real, z.imag)), atol=1e-4), r1
    noisy = dirac.eigenvalues(replace(PLAIN, regularizer="instance-noise", sigma=1.0))
    assert np.all(noisy.real < -0.1), noisy
    assert np.allclose(dirac.eigenvalues(replace(PLAIN, loss="hinge")).real, 0, atol=1e-6)


def test_the_field_points_along_the_gradients():
    field = dirac.field(PLAIN, extent=2.0, n=5)
    assert len(field) == 25 and set(field) == {"theta", "psi", "d_theta", "d_psi"}
    # the zero-sum log loss: θ' = ψ σ(−θψ)... at ψ = 0 nothing moves θ, and at θ = 0 nothing moves ψ
    assert np.allclose(field.query("psi == 0").d_theta, 0, atol=1e-6)
    assert np.allclose(field.query("theta == 0").d_psi, 0, atol=1e-6)
    one = field.query("theta == 1 and psi == 1").iloc[0]
    assert one.d_theta > 0 and one.d_psi < 0  # a rotation: the generator follows ψ, the discriminator turns


@pytest.mark.slow
def test_every_loss_regularizer_and_update_runs():
    for loss in DIRAC_LOSSES:
        for regularizer in REGULARIZERS:
            for update in DIRAC_UPDATES:
                path = dirac.trajectory(replace(PLAIN, loss=loss, regularizer=regularizer, update=update, steps=50))
                assert np.isfinite(path[["theta", "psi"]].to_numpy()).all(), (loss, regularizer, update)


def test_the_same_seed_gives_the_same_noisy_path():
    noisy = replace(PLAIN, regularizer="instance-noise", steps=40)
    a, b = dirac.trajectory(noisy), dirac.trajectory(noisy)
    assert a.equals(b) and not a.equals(dirac.trajectory(replace(noisy, seed=2)))


def test_bad_settings_are_refused_by_their_field():
    for field, value, says in [("lr", 0.0, "step size"), ("steps", 0, "steps"), ("loss", "x", "loss must be one"),
                               ("update", "both", "updates must be one"), ("sigma", -1.0, "instance noise σ")]:
        errors = replace(PLAIN, **{field: value}).validate()
        assert list(errors) == [field] and says in errors[field], errors
    with pytest.raises(ConfigError):
        dirac.trajectory(replace(PLAIN, steps=0))
