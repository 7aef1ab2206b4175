"""Property-based tests (hypothesis): whatever a visitor types, links or uploads, the engine
either accepts it or refuses it with a message that says what is allowed. No input raises
anything else, reaches eval/exec or imports a module, and a refused input changes no run.

How many inputs each property tried is written to tests/artifacts/fuzz.txt."""
import builtins
import encodings.utf_8_sig  # noqa: F401  (a codec is imported on first use, through exec: import it first)
import pathlib
import string
from contextlib import contextmanager

import numpy as np
import pandas.core.methods.to_dict  # noqa: F401  (the same: pandas imports it on first DataFrame.to_dict)
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gan_core.kinds  # noqa: F401  (config.py imports it on first use: load it first, as the app has)
from gan_core.data.points import PointsError, read_points_csv
from gan_core.data.targets import FUNCTIONS, ExpressionError, Target, parse_expression
from gan_core.settings.config import Config, ImageConfig
from gan_core.settings.described import ConfigError
from gan_core.training.plane import GanRun

ARTIFACTS = pathlib.Path(__file__).resolve().parent / "artifacts"
SAYS_WHAT_IS_ALLOWED = ("Allowed", "allowed", "at most", "must", "keep", "Choose", "one of", "Type an expression",
                        "could not be read", "known:")
FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TRIED: dict[str, int] = {}


def _count(name):
    TRIED[name] = TRIED.get(name, 0) + 1


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / "fuzz.txt", "w") as f:
        for name, n in sorted(TRIED.items()):
            f.write(f"{name}: {n} inputs\n")


@contextmanager
def nothing_evaluated():
    """Inside: any eval or exec, or an import of a module that reaches the system, fails the property
    (only around the engine's call: hypothesis itself execs code to build its wrappers)."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"reached eval/exec with {args[:1]!r}")

    real = builtins.eval, builtins.exec, builtins.__import__

    def guarded_import(name, *args, **kwargs):
        if name.split(".")[0] in ("subprocess", "shutil", "socket", "ctypes", "importlib", "pickle"):
            raise AssertionError(f"imported {name}")
        return real[2](name, *args, **kwargs)

    builtins.eval, builtins.exec, builtins.__import__ = refuse, refuse, guarded_import
    try:
        yield
    finally:
        builtins.eval, builtins.exec, builtins.__import__ = real


def _says_what_is_allowed(message: str) -> bool:
    return bool(message) and any(words in message for words in SAYS_WHAT_IS_ALLOWED)


# ---- expressions ----------------------------------------------------------------------------
ATOMS = st.one_of(st.just("x"), st.sampled_from(["pi", "e"]),
                  st.integers(-1000, 1000).map(str), st.floats(-100, 100, allow_nan=False).map(repr))


def _expressions():
    return st.recursive(ATOMS, lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**", "^"]), inner).map(lambda t: f"({t[0]}{t[1]}{t[2]})"),
        st.tuples(st.sampled_from(sorted(FUNCTIONS) + ["eval", "__import__", "open", "exp"]), inner).map(
            lambda t: f"{t[0]}({t[1]})"),
        inner.map(lambda e: f"-{e}"),
    ), max_leaves=12)


@FAST
@given(st.text(alphabet=string.printable, max_size=120))
def test_any_text_is_parsed_or_refused_with_what_is_allowed(text):
    _count("expression: any printable text")
    try:
        with nothing_evaluated():
            parse_expression(text)
    except ExpressionError as err:
        assert _says_what_is_allowed(str(err)), str(err)


@FAST
@given(_expressions(), st.floats(-5, 5), st.floats(0.01, 5))
def test_a_grammar_expression_makes_a_finite_bounded_target_or_is_refused(expression, low, width):
    _count("expression: grammar of numbers, x, operators and functions, any domain")
    try:
        with nothing_evaluated():
            target = Target(expression, low, low + width)
    except ExpressionError as err:
        assert _says_what_is_allowed(str(err)), str(err)
        return
    y = target.f(np.linspace(target.low, target.high, 101))
    assert np.isfinite(y).all() and np.abs(y).max() <= 100


# ---- configs and links ----------------------------------------------------------------------
VALUES = st.one_of(st.text(max_size=12), st.integers(-10**12, 10**12).map(str),
                   st.floats(allow_nan=True, allow_infinity=True).map(str), st.just(""), st.just("32,16"),
                   st.sampled_from(["ring8", "csv", "custom", "x^2", "relu", "stacked", "tanh", "epochs"]))


def _settings_of(config_class):
    keys = st.sampled_from(sorted(config_class.__dataclass_fields__) + ["foo", "__class__", "n_epochs "])
    return st.dictionaries(keys, VALUES, max_size=6)


@pytest.mark.parametrize("config_class", [Config, ImageConfig])
@FAST
@given(data=st.data())
def test_any_link_builds_a_valid_config_or_is_refused_with_what_is_allowed(config_class, data):
    params = data.draw(_settings_of(config_class))
    _count(f"link parameters: {config_class.__name__}")
    try:
        with nothing_evaluated():
            config = config_class.from_dict(params, ignore_unknown=True)
    except ConfigError as err:
        assert all(_says_what_is_allowed(m) for m in err.errors.values()), err.errors
        return
    with nothing_evaluated():
        errors = config.validate()  # never raises
    assert all(_says_what_is_allowed(m) for m in errors.values()), errors
    if not errors:
        assert config_class.from_dict(config.to_query_params()) == config  # a valid link round-trips


# ---- uploaded points ----------------------------------------------------------------------
ROWS = st.lists(st.tuples(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=4)),
                          st.one_of(st.floats(-1e5, 1e5), st.text(max_size=4))), max_size=40)


@pytest.mark.slow
@FAST
@given(st.one_of(st.binary(max_size=400), ROWS.map(lambda rows: "\n".join(f"{a},{b}" for a, b in rows).encode())))
def test_any_upload_is_read_as_points_or_refused_with_what_is_allowed(data):
    _count("points CSV: any bytes, and rows of numbers and text")
    try:
        with nothing_evaluated():
            points = read_points_csv(data)
    except PointsError as err:
        assert "two numeric columns" in str(err), str(err)
        return
    assert points.ndim == 2 and points.shape[1] == 2 and 10 <= len(points) <= 100_000
    assert np.isfinite(points).all() and np.abs(points).max() <= 10_000


# ---- a refused input changes nothing ----------------------------------------------------------
TRAINED: dict = {}  # one run, trained once, that every example tries to overwrite
@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(st.sampled_from(["g_hidden", "d_hidden", "latent_dim"]), st.integers(1, 9))
def test_a_refused_checkpoint_changes_no_run(field, value):
    _count("checkpoint of other networks")
    trained_run = TRAINED
    if not trained_run:
        run = GanRun(Config(n_epochs=40, n_eval=20, n_batch=16, n_eval_samples=10))
        run.train_chunk()
        trained_run["run"], trained_run["before"] = run, run.checkpoint()
    run, before = trained_run["run"], trained_run["before"]
    changes = {"g_hidden": (15 + value,), "d_hidden": (25, value), "latent_dim": 5 + value}
    other = GanRun(Config(n_epochs=40, n_eval=20, **{"n_batch": 16, field: changes[field]}))
    with pytest.raises(ValueError, match="same layers"):
        run.restore(other.checkpoint())
    after = run.checkpoint()
    assert after.fields["iteration"] == before.fields["iteration"] == 20
    for a, b in zip(after.state.g.weights + after.state.d.weights, before.state.g.weights + before.state.d.weights):
        np.testing.assert_array_equal(a, b)


# ---- uploaded generators (MNIST preview) ------------------------------------------------------
GENERATOR_BYTES: dict = {}


def _saved_generator() -> bytes:
    """A real generator's .keras bytes, saved once: the inputs below are broken copies of it."""
    if not GENERATOR_BYTES:
        import tempfile

        from gan_core.networks.models import define_image_generator

        with tempfile.TemporaryDirectory() as folder:
            path = f"{folder}/generator.keras"
            define_image_generator(latent_dim=4, filters=4).save(path)
            GENERATOR_BYTES["ok"] = pathlib.Path(path).read_bytes()
    return GENERATOR_BYTES["ok"]


def _zip_with_config(text: str) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("config.json", text)
        archive.writestr("metadata.json", '{"keras_version": "3.15.0"}')
    return buffer.getvalue()


UPLOADS = st.one_of(
    st.binary(max_size=300),  # anything
    st.text(max_size=200).map(_zip_with_config),  # a zip with any config.json
    st.sampled_from(['{"class_name": "Lambda", "config": {"function": "print"}}',
                     '{"module": "os", "class_name": "system", "config": {"command": "true"}}',
                     '{"class_name": "Sequential", "config": {"layers": 7}}']).map(_zip_with_config),
    st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 255)), min_size=1, max_size=8).map(  # flipped bytes
        lambda flips: bytes(b if i not in {p % len(_saved_generator()) for p, _ in flips} else
                            dict((p % len(_saved_generator()), v) for p, v in flips)[i]
                            for i, b in enumerate(_saved_generator()))),
)


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(UPLOADS, st.sampled_from(["generator.keras", "g.h5", "weights.keras", "x"]))
def test_any_uploaded_generator_loads_safely_or_is_refused_with_what_is_allowed(data, name):
    from gan_core.data.mnist import load_generator_file

    _count("generator .keras upload: any bytes, zips with any config, real files with flipped bytes")
    try:
        with nothing_evaluated():
            model = load_generator_file(data, name)
    except ValueError as err:
        message = str(err)
        assert "model.save('generator.keras')" in message or "The generator must" in message, message
        assert "/tmp" not in message  # no path on the server
        return
    assert name.endswith(".keras") and model.output_shape == (None, 28, 28, 1)


# ---- run bundles (Compare page uploads) --------------------------------------------------------
BUNDLE_BYTES: dict = {}


def _bundle() -> bytes:
    if not BUNDLE_BYTES:
        from gan_core.keeping.bundle import to_bundle

        run = GanRun(Config(n_epochs=200, n_eval=100, n_batch=32))
        run.train_chunk()
        BUNDLE_BYTES["ok"] = to_bundle(run)
    return BUNDLE_BYTES["ok"]


def _flipped(flips) -> bytes:
    data = bytearray(_bundle())
    for position, value in flips:
        data[position % len(data)] = value
    return bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300),
                 st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 255)), min_size=1, max_size=6).map(_flipped)))
@pytest.mark.slow
def test_any_uploaded_bundle_is_a_run_or_refused_with_what_is_allowed(data):
    from gan_core.keeping.bundle import BundleError, from_bundle

    _count("run bundle upload: any bytes, real bundles with flipped bytes")
    try:
        with nothing_evaluated():
            run = from_bundle(data)
    except BundleError as err:
        assert "Allowed:" in str(err), str(err)
        return
    assert run.iteration == 100 and len(run.history) == 1  # a flip that changed nothing that matters
