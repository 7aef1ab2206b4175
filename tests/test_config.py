import pytest

from gan_core.settings.config import Config
from gan_core.settings.described import ConfigError


def test_defaults_are_the_tutorials_and_valid():
    c = Config()
    assert c.validate() == {}
    assert (c.latent_dim, c.g_hidden, c.d_hidden, c.n_epochs, c.n_batch, c.n_eval) == (5, (15,), (25,), 10000, 128, 2000)


@pytest.mark.parametrize("changes, field, says", [
    ({"n_batch": 7}, "n_batch", "even"),
    ({"n_batch": 0}, "n_batch", "from 2"),
    ({"n_eval": 20000}, "n_eval", "must not exceed n_epochs"),
    ({"n_epochs": 0}, "n_epochs", "from 1"),
    ({"latent_dim": 0}, "latent_dim", "from 1 to 256"),
    ({"g_hidden": ()}, "g_hidden", "layer widths"),
    ({"d_hidden": (25, 0)}, "d_hidden", "layer widths"),
    ({"d_activation": "softmax"}, "d_activation", "relu, leaky_relu, tanh"),
    ({"g_lr": 0.0}, "g_lr", "above 0"),
    ({"update": "both"}, "update", "separate, stacked"),
    ({"target": "custom", "expr": "__import__('os')"}, "expr", "not an allowed function"),
    ({"target": "nope"}, "target", "one of"),
    ({"low": 1.0, "high": 0.0}, "low", "empty"),
    ({"target": "custom", "expr": "x**99999", "low": -1.0, "high": 1.0}, "expr", "|f(x)| at most 100"),
    ({"low": -1e9, "high": 1e9}, "low", "from -1000 to 1000"),
    ({"noise_low": 1.0, "noise_high": 1.0}, "noise_high", "above noise box low"),
    ({"seed": -1}, "seed", "from 0"),
])
def test_bad_settings_say_what_is_allowed(changes, field, says):
    errors = Config(**changes).validate()
    assert field in errors and says in errors[field], errors
    with pytest.raises(ConfigError):
        Config(**changes).checked()


def test_round_trips_through_json_and_query_params():
    c = Config(target="custom", expr="0.3*sin(6*x) + x**2", low=-1.0, high=1.0, g_hidden=(32, 16),
               n_epochs=500, n_eval=50, update="stacked", seed=9)
    assert Config.from_dict(__import__("json").loads(c.to_json())) == c
    params = c.to_query_params()
    assert all(isinstance(v, str) for v in params.values())
    assert params["g_hidden"] == "32,16" and "latent_dim" not in params
    assert Config.from_dict(params) == c


def test_unreadable_and_unknown_params_are_refused():
    with pytest.raises(ConfigError, match="could not be read"):
        Config.from_dict({"n_batch": "lots"})
    with pytest.raises(ConfigError, match="unknown setting"):
        Config.from_dict({"hack": "1"})


def test_unknown_settings_are_listed_and_dropped_when_asked():
    params = Config(n_epochs=500, n_eval=50, seed=9).to_query_params()
    assert Config.unknown_settings({**params, "foo": "1", "bar": ""}) == ["bar", "foo"]
    assert Config.unknown_settings(params) == []
    assert Config.from_dict({**params, "foo": "1"}, ignore_unknown=True) == Config(n_epochs=500, n_eval=50, seed=9)
    with pytest.raises(ConfigError, match="unknown setting 'foo'"):  # still refused by default (JSON configs)
        Config.from_dict({**params, "foo": "1"})
    with pytest.raises(ConfigError, match="could not be read"):  # known settings are still checked
        Config.from_dict({"n_batch": "lots", "foo": "1"}, ignore_unknown=True)


def test_steps_per_iteration_and_the_latent_distribution_round_trip_through_a_link():
    config = Config(d_steps=2, g_steps=3, latent="uniform")
    params = config.to_query_params()
    assert params == {"d_steps": "2", "g_steps": "3", "latent": "uniform"}
    assert Config.from_dict(params) == config


def test_a_config_is_checked_once_and_its_answer_never_confused_with_an_equal_ones(monkeypatch):
    """validate() remembers each config's messages (the form, the run and a sweep ask the same
    config), keyed so that 1, 1.0 and True, equal to ==, are never mixed up."""
    from gan_core.settings import described

    calls = []
    check = Config._check
    monkeypatch.setattr(Config, "_check", lambda self: calls.append(1) or check(self))
    monkeypatch.setattr(described, "_CHECKED", {})
    one = Config(pack=1, seed=7)
    assert one.validate() == {} and one.checked() is one and Config(pack=1, seed=7).validate() == {}
    assert len(calls) == 1
    assert "pack" in Config(pack=True, seed=7).validate() and "seed" in Config(pack=1, seed=7.0).validate()
    errors = Config(n_epochs=0).validate()
    errors.clear()  # a caller's copy: the remembered answer stays
    assert "n_epochs" in Config(n_epochs=0).validate()
