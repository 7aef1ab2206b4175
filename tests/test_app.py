"""AppTest per page: set widgets, train tiny configs, read the charts' data and the tables."""
import json
import pathlib

import numpy as np
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

ROOT = pathlib.Path(__file__).resolve().parents[1]
TINY = {"n_epochs": 60, "n_eval": 20, "n_batch": 32}


def _app(page=None):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    assert not at.exception
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, at.exception
    return at


def _set(at, prefix, values):
    for field, value in values.items():
        at.number_input(key=f"w_{prefix}_{field}").set_value(value)
    at.run()


def _click(at, page, name):
    at.button(key=f"btn_{page}_{name}").click().run()
    assert not at.exception, at.exception


def _charts(at):
    """Each chart on the page as (spec dict, data frame)."""
    out = []
    for chart in at.get("vega_lite_chart"):
        data = chart.proto.data.data or (chart.proto.datasets[0].data.data if chart.proto.datasets else b"")
        frame = pa.ipc.open_stream(data).read_all().to_pandas() if data else None
        out.append((json.loads(chart.proto.spec), frame))
    return out


def _titles(at):
    return [spec.get("title") for spec, _ in _charts(at)]


def test_home_explains_and_links_every_page():
    at = _app()
    text = " ".join(m.value for m in at.markdown)
    for words in ("generator", "discriminator", "Discriminator lab", "Generator preview", "GAN training"):
        assert words in text


def test_gan_page_trains_and_charts_carry_the_data():
    at = _app("gan_training")
    _set(at, "gan", TINY)
    _click(at, "gan", "Train")
    charts = dict((spec["title"], frame) for spec, frame in _charts(at))
    assert set(charts) == {"Real (red) vs fake (blue) samples", "Discriminator accuracy",
                           "Losses (dotted: ln 2, a coin toss)", "Distances to the real data"}
    samples = charts["Real (red) vs fake (blue) samples"]
    assert samples["kind"].value_counts()[["real", "fake"]].tolist() == [100, 100]
    assert list(charts["Discriminator accuracy"]["iteration"]) == [20, 40, 60]
    table = at.dataframe[0].value
    assert list(table["iteration"]) == [60, 40, 20]  # newest first
    assert {"acc_real", "acc_fake", "d_loss", "g_loss"} <= set(table.columns)
    assert "Run finished at 60 of 60 iterations" in " ".join(c.value for c in at.caption)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["History (CSV)", "Generator (.keras)", "Config (JSON)"]
    # the replay slider shows any stored check-in
    at.select_slider[0].set_value(20).run()
    first = at.session_state["gan_run"].history[0].fake
    replayed = dict((spec["title"], frame) for spec, frame in _charts(at))["Real (red) vs fake (blue) samples"]
    np.testing.assert_allclose(replayed[replayed.kind == "fake"][["x", "y"]].to_numpy(), first, rtol=1e-6)


def test_stop_keeps_the_history_and_resume_continues_the_same_run():
    at = _app("gan_training")
    _set(at, "gan", TINY)
    _click(at, "gan", "Step")
    _click(at, "gan", "Step")
    run = at.session_state["gan_run"]
    assert [e.iteration for e in run.history] == [20, 40]
    _click(at, "gan", "Stop")
    assert at.session_state["gan_run"] is run and len(run.history) == 2
    assert "Run stopped at 40 of 60" in " ".join(c.value for c in at.caption)
    _click(at, "gan", "Resume")
    assert at.session_state["gan_run"] is run and [e.iteration for e in run.history] == [20, 40, 60]
    assert list(at.dataframe[0].value["iteration"]) == [60, 40, 20]
    _click(at, "gan", "Reset")
    assert "gan_run" not in at.session_state


@pytest.mark.parametrize("field, value, says", [
    ("n_batch", 7, "n_batch must be even"),
    ("n_eval", 100, "must not exceed n_epochs"),
])
def test_a_bad_setting_shows_an_error_and_trains_nothing(field, value, says):
    at = _app("gan_training")
    _set(at, "gan", {**TINY, field: value})
    assert any(says in e.value for e in at.error)
    _click(at, "gan", "Train")
    assert "gan_run" not in at.session_state
    assert any("nothing was started" in e.value for e in at.error)


def test_a_hostile_expression_is_refused_and_loses_no_run():
    at = _app("gan_training")
    _set(at, "gan", TINY)
    _click(at, "gan", "Train")
    run = at.session_state["gan_run"]
    at.selectbox(key="w_target").set_value("custom").run()
    at.text_input(key="w_expr").set_value("__import__('os').system('echo hi')").run()
    assert any("not an allowed function" in e.value for e in at.error)
    _click(at, "gan", "Train")
    assert at.session_state["gan_run"] is run  # the finished run is still there


def test_settings_persist_across_page_switches():
    at = _app("gan_training")
    _set(at, "gan", {"n_epochs": 1234})
    at.switch_page("app_pages/home.py").run()
    at.switch_page("app_pages/gan_training.py").run()
    assert at.number_input(key="w_gan_n_epochs").value == 1234


def test_discriminator_lab_trains_and_draws_the_decision_map():
    at = _app("discriminator_lab")
    _set(at, "lab", {"n_epochs": 40, "n_eval": 20})
    _click(at, "lab", "Train")
    plane, accuracy = _charts(at)
    assert plane[0]["title"] == "Discriminator's P(real) over the plane"
    kinds = plane[1]["kind"].value_counts()
    assert kinds["grid"] == 40 * 40 and kinds["real"] == 100 and kinds["fake"] == 100
    assert plane[1]["p_real"].dropna().between(0, 1).all()
    assert list(accuracy[1]["iteration"]) == [20, 40]
    assert list(at.dataframe[0].value.columns) == ["iteration", "acc_real", "acc_fake", "loss"]


def test_generator_preview_untrained_then_trained():
    at = _app("generator_preview")
    (spec, frame), = _charts(at)
    assert "untrained generator" in spec["title"]
    assert (frame["kind"] == "fake").sum() == 100 and (frame["kind"] == "path").sum() == 15
    at.slider(key="w_preview_z0").set_value(2.0).run()
    (_, moved), = _charts(at)
    assert not moved[moved.kind == "point"][["x", "y"]].equals(frame[frame.kind == "point"][["x", "y"]])
    # train a GAN in this session: the preview offers it
    at.switch_page("app_pages/gan_training.py").run()
    _set(at, "gan", TINY)
    _click(at, "gan", "Train")
    at.switch_page("app_pages/generator_preview.py").run()
    at.radio(key="w_preview_source").set_value("the generator trained on the GAN page").run()
    (spec, _), = _charts(at)
    assert "trained for 60 iterations" in spec["title"]


def test_a_shared_link_sets_the_widgets_and_the_address_follows_the_settings():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.query_params.update({"n_epochs": "500", "g_hidden": "32,16", "update": "stacked", "target": "sine",
                            "seed": "9", "n_eval": "100"})
    at.switch_page("app_pages/gan_training.py").run()
    assert not at.exception
    assert at.number_input(key="w_gan_n_epochs").value == 500
    assert at.number_input(key="w_gan_n_eval").value == 100
    assert at.text_input(key="w_gan_g_hidden").value == "32,16"
    assert at.selectbox(key="w_gan_update").value == "stacked"
    assert at.selectbox(key="w_target").value == "sine" and at.number_input(key="w_seed").value == 9
    at.number_input(key="w_gan_n_eval").set_value(50).run()
    assert at.query_params["n_eval"] == "50" and at.query_params["n_epochs"] == "500"
    # the page starts at n_eval 200, not the engine's 2,000: a link names 2,000 and omits 200
    at.number_input(key="w_gan_n_epochs").set_value(10_000)
    at.number_input(key="w_gan_n_eval").set_value(2000).run()
    assert at.query_params["n_eval"] == "2000" and "n_epochs" not in at.query_params
    at.number_input(key="w_gan_n_eval").set_value(200).run()
    assert "n_eval" not in at.query_params


def test_a_link_with_the_engines_n_eval_keeps_it():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.query_params.update({"n_eval": "2000"})
    at.switch_page("app_pages/gan_training.py").run()
    assert at.number_input(key="w_gan_n_eval").value == 2000


def test_a_bad_link_is_refused_with_a_message():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.query_params.update({"n_batch": "7"})
    at.switch_page("app_pages/gan_training.py").run()
    assert any("settings in this link were not used" in w.value and "even" in w.value for w in at.warning)
    assert at.number_input(key="w_gan_n_batch").value == 128


def _mnist(page):
    at = _app()
    at.radio(key="w_data").set_value("MNIST digits").run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def test_mnist_gan_page_trains_and_shows_grid_scores_and_table():
    at = _mnist("gan_training")
    assert any("5,000 real MNIST digits" in c.value or "MNIST training digits" in c.value for c in at.caption)
    _set(at, "mgan", {"n_epochs": 20, "n_eval": 10})
    _click(at, "mgan", "Train")
    assert len(at.get("image")) >= 1  # the 10x10 grid of generated digits
    titles = _titles(at)
    assert {"Discriminator accuracy", "Losses per batch", "Which digits? (classifier's verdicts)"} <= set(titles)
    charts = dict((spec["title"], frame) for spec, frame in _charts(at))
    assert len(charts["Losses per batch"]) == 20  # every batch's d and g loss
    assert charts["Which digits? (classifier's verdicts)"].groupby("kind")["count"].sum().to_dict() == \
        {"fake": 100, "real": 100}
    assert list(at.dataframe[0].value["iteration"]) == [20, 10]
    assert [m.label for m in at.metric][:2] == ["mean classifier confidence", "entropy of predicted digits (bits)"]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Generator at 20 (.keras)" in labels and "Losses per batch (CSV)" in labels


def test_mnist_bad_setting_trains_nothing():
    at = _mnist("gan_training")
    _set(at, "mgan", {"n_batch": 7})
    _click(at, "mgan", "Train")
    assert "mgan_run" not in at.session_state and any("n_batch must be even" in e.value for e in at.error)


def test_mnist_discriminator_lab():
    at = _mnist("discriminator_lab")
    _set(at, "mlab", {"n_epochs": 20, "n_eval": 10})
    _click(at, "mlab", "Train")
    assert list(at.dataframe[0].value["iteration"]) == [20, 10]
    assert len(at.get("image")) >= 2  # real digits and noise images


def test_mnist_preview_offers_pretrained_and_explores_the_latent_space():
    at = _mnist("generator_preview")
    source = at.radio(key="w_mpreview_source")
    assert "pretrained generator shipped with the app" in source.options
    assert source.value == "pretrained generator shipped with the app"
    assert len(at.get("image")) == 3  # grid, zeros + A, the A-to-B strip
    at.radio(key="w_mpreview_source").set_value("untrained generator").run()
    assert not at.exception and at.number_input(key="w_mpreview_latent_dim").value == 100
