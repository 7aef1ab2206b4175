import numpy as np
import pytest

from gan_core.data.targets import BUILTIN_TARGETS, MAX_ABS_VALUE, ExpressionError, Target, get_target, sample_noise


def test_default_target_is_the_tutorials_x_squared():
    t = get_target()
    assert (t.expression, t.low, t.high) == ("x**2", -0.5, 0.5)
    pts = t.sample_real(500, np.random.default_rng(0))
    assert pts.shape == (500, 2)
    assert pts[:, 0].min() >= -0.5 and pts[:, 0].max() <= 0.5
    np.testing.assert_allclose(pts[:, 1], pts[:, 0] ** 2, rtol=1e-6)


@pytest.mark.parametrize("name", list(BUILTIN_TARGETS))
def test_builtin_targets_are_finite_and_numpy_matches_tensorflow(name):
    import tensorflow as tf

    t = get_target(name)
    x = np.linspace(t.low, t.high, 101)
    y = t.f(x)
    assert np.isfinite(y).all()
    np.testing.assert_allclose(t.tf_f(tf.constant(x, tf.float32)).numpy(), y, atol=1e-5)


@pytest.mark.parametrize("text, x, expected", [
    ("0.3*sin(6*x) + x**2", 0.2, 0.3 * np.sin(1.2) + 0.04),
    ("x^2", 0.3, 0.09),
    ("-x + 2*pi - e", 1.0, -1 + 2 * np.pi - np.e),
    ("exp(-x**2/(2*0.2**2))", 0.1, np.exp(-0.125)),
    ("abs(x)/(1+x*x)", -0.5, 0.4),
    ("3", 0.1, 3.0),
])
def test_valid_expressions(text, x, expected):
    assert Target(text).f(np.array([x]))[0] == pytest.approx(expected)


@pytest.mark.parametrize("text, says", [
    ("__import__('os').system('echo hacked')", "not an allowed function"),
    ("os.system('ls')", "not an allowed function"),
    ("x.__class__", "not allowed"),
    ("[c for c in ()]", "not allowed"),
    ("lambda: 1", "not allowed"),
    ("open('/etc/passwd')", "not an allowed function"),
    ("y + 1", "Unknown name 'y'"),
    ("'abc'", "is not a number"),
    ("x if x else 1", "not allowed"),
    ("x == 1", "not allowed"),
    ("sin(x, 2)", "exactly one argument"),
    ("1/x", "not finite"),
    ("log(x)", "not finite"),
    ("9**9999999", "not finite"),
    ("1" + "0" * 30 + "*x", "too large"),
    ("x +", "Could not read"),
    ("", "Type an expression"),
    ("x" * 300, "at most 200"),
    ("(" * 40 + "x" + ")" * 40, "parentheses"),
])
def test_hostile_or_bad_expressions_are_refused_with_a_message(text, says):
    with pytest.raises(ExpressionError) as err:
        Target(text)
    assert says in str(err.value)
    if "allowed" in says or "Unknown" in says:
        assert "Allowed:" in str(err.value)


def test_no_eval_or_exec_in_the_parser():
    import inspect

    import gan_core.data.targets as targets

    source = inspect.getsource(targets)
    assert "eval(" not in source.replace("_evaluate(", "") and "exec(" not in source


@pytest.mark.parametrize("name", list(BUILTIN_TARGETS))
def test_builtin_targets_and_the_default_custom_expression_stay_within_the_bound(name):
    assert MAX_ABS_VALUE == 100
    t = get_target(name)
    assert np.abs(t.f(np.linspace(t.low, t.high, 2001))).max() <= MAX_ABS_VALUE
    get_target("custom", "0.3*sin(6*x) + x**2", -1.0, 1.0)
    get_target("custom", "0.3*sin(6*x) + x**2")


@pytest.mark.parametrize("text, low, high, says", [
    ("x**99999", -1.0, 1.0, "reaches 8.79e+302 at x = -1.007, just outside [-1, 1]"),  # 1 on [-1, 1] itself
    ("x**99999", -1.5, 1.5, "is not finite on [-1.5, 1.5]"),
    ("200*x", -1.0, 1.0, "reaches 200 on [-1, 1]"),
    ("1/(x - 1.05)", -1.0, 1.0, "just outside [-1, 1]"),
    ("exp(100*x)/exp(100*x)", -1.0, 1.0, "is not finite"),  # 1 in float64, nan in the float32 training loop
    ("1e39*x/1e39", -1.0, 1.0, "is not finite"),
])
def test_targets_that_blow_up_are_refused_saying_the_bound(text, low, high, says):
    with pytest.raises(ExpressionError) as err:
        Target(text, low, high)
    assert says in str(err.value) and "|f(x)| at most 100" in str(err.value)


def test_targets_undefined_just_outside_the_domain_are_accepted():
    # curve_error measures points whose f(x) is not finite against the nearest end
    for text, low, high in (("sqrt(x)", 0.0, 1.0), ("log(x)", 0.05, 1.0), ("x**99999", -0.5, 0.5)):
        Target(text, low, high)


@pytest.mark.parametrize("low, high", [(-1e9, 1e9), (-1001.0, 0.0), (0.0, 1e4)])
def test_domains_beyond_a_thousand_are_refused(low, high):
    with pytest.raises(ExpressionError, match="keep low and high from -1000 to 1000"):
        Target("sin(x)", low, high)
    Target("sin(x)", -1000.0, 1000.0)


def test_empty_domain_and_unknown_target_are_refused():
    with pytest.raises(ExpressionError, match="empty"):
        Target("x", 1.0, 0.0)
    with pytest.raises(ExpressionError, match="Choose one of"):
        get_target("nope")


def test_noise_box_is_a_parameter():
    pts = sample_noise(1000, np.random.default_rng(0), -2.0, 3.0)
    assert pts.min() >= -2 and pts.max() <= 3 and pts.min() < -1.5 and pts.max() > 2.5
