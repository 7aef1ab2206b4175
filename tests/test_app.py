"""AppTest per page: set widgets, train tiny configs, read the charts' data and the tables.

Training runs in a worker thread, not in the script run: after a click, `_click` waits for the
page's worker to end and reruns the script to draw the final state (AppTest cannot fire the
live fragment's run_every timer)."""
import base64
import io
import json
import pathlib
import sys
import time

import numpy as np
import pyarrow as pa
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from explorer.real_data import TITLE as REAL_DATA  # the chart before a run
from explorer.text import literal
from gan_core.teaching.pictures import heat_colors

ROOT = pathlib.Path(__file__).resolve().parents[1]
# pack 1: x²'s page starts at its own pack 4 (settings/defaults.py); these tests compare with runs of Config(**TINY)
TINY = {"n_epochs": 60, "n_eval": 20, "n_batch": 32, "pack": 1}
LONG = {"n_epochs": 200_000, "n_eval": 200, "n_batch": 32}  # far longer than any test waits
WAIT_S = 240
PLANE = "Samples over the discriminator's P(real)"


def _heat(plane):
    """The heat map's grid points (n*n, 2; x fastest, y rising) and their colours (n*n, 3), read
    back from the plane's image: each point's cell is two pixels a side, one at the borders."""
    heat = plane[plane.kind == "heat"]
    assert len(heat) == 1
    row = heat.iloc[0]
    image = np.asarray(Image.open(io.BytesIO(base64.b64decode(row.url.split(",", 1)[1]))).convert("RGB"))
    n = (image.shape[0] + 2) // 2
    at = np.maximum(2 * np.arange(n) - 1, 0)
    colours = image[::-1][at][:, at].reshape(-1, 3).astype(int)
    gx, gy = np.meshgrid(np.linspace(row.x, row.x2, n), np.linspace(row.y, row.y2, n))
    return np.column_stack([gx.ravel(), gy.ravel()]).astype(np.float32), colours


def _app(page=None):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    assert not at.exception
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, at.exception
    return at


def _number(at, key):
    """The number a settings field shows (its text, read as the app reads it)."""
    return float(at.text_input(key=key).value.replace(",", ""))


def _page(at, name):
    return at.session_state[f"page_{name}"]


def _set(at, prefix, values):
    for field, value in values.items():
        at.text_input(key=f"w_{prefix}_{field}").set_value(str(value))
    at.run()
    assert not at.exception, at.exception


def _finish(at, name, timeout=WAIT_S):
    """Wait for the page's worker thread to end, then rerun the script to draw the final state."""
    worker = _page(at, name).worker
    if worker is not None:
        worker.thread.join(timeout)
        assert not worker.active, f"the {name} worker still trains after {timeout} s"
    at.run()
    assert not at.exception, at.exception


def _click(at, name, button, wait=True):
    """Click a page's button; when it started a worker (and `wait`), wait for it and redraw."""
    before = _page(at, name).worker if f"page_{name}" in at.session_state else None
    at.button(key=f"btn_{name}_{button}").click().run()
    assert not at.exception, at.exception
    if wait and _page(at, name).worker not in (None, before):
        _finish(at, name)


def _stop(at, name):
    """Stop the page's run (ending its thread whatever a test asserted before)."""
    page = _page(at, name)
    if page.worker is not None and page.worker.active:
        _click(at, name, "Stop", wait=False)


def _until(predicate, timeout=60.0):
    end = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def _disabled(at, name):
    """The page's buttons that are disabled now."""
    return {b for b in ("Train", "Step", "Stop", "Resume", "Reset") if at.button(key=f"btn_{name}_{b}").disabled}


def _charts(at):
    """Each chart on the page as (spec dict, data frame)."""
    out = []
    for chart in at.get("vega_lite_chart"):
        data = chart.proto.data.data or (chart.proto.datasets[0].data.data if chart.proto.datasets else b"")
        frame = pa.ipc.open_stream(data).read_all().to_pandas() if data else None
        out.append((json.loads(chart.proto.spec), frame))
    return out


def _chart_frames(at):
    return {spec["title"]["text"] if isinstance(spec["title"], dict) else spec["title"]: frame
            for spec, frame in _charts(at)}


def _text(elements):
    return " ".join(e.value for e in elements)


def _run_charts(at) -> list[str]:
    """The titles of the page's charts of a run (not the real data's, drawn before a run)."""
    titles = [json.loads(c.proto.spec).get("title") for c in at.get("vega_lite_chart")]
    return [t for t in titles if t != REAL_DATA]


def _says(elements, words):
    """Whether an element shows `words`: messages are escaped for Markdown (explorer.text.literal), so
    `n_batch` is n\\_batch in the element's value."""
    return any(words in e.value or literal(words) in e.value for e in elements)


def test_gan_page_trains_and_charts_carry_the_data():
    at = _app("gan_training")
    _set(at, "gan", {**TINY, "pack": 1})  # one verdict per point: run.discriminate gives the heat map's values
    _click(at, "gan", "Train")
    charts = _chart_frames(at)
    assert set(charts) == {PLANE, "Discriminator accuracy", "Losses (dotted: ln 2, a coin toss)",
                           "Distances to the real data"}
    samples = charts[PLANE]
    assert samples["kind"].value_counts()[["real", "fake", "heat"]].tolist() == [100, 100, 1]
    # the heat map behind the samples is the discriminator's output on its 40x40 grid
    run = _page(at, "gan").run
    points, colours = _heat(samples)
    assert len(points) == 40 * 40
    np.testing.assert_allclose(points, run.history[-1].decision[:, :2], atol=1e-5)
    np.testing.assert_allclose(colours, heat_colors(run.discriminate(points)), atol=1)  # bytes round
    assert np.ptp(colours, axis=0).max() > 20  # it learned something to show
    assert list(charts["Discriminator accuracy"]["iteration"]) == [20, 40, 60]
    assert list(charts["Losses (dotted: ln 2, a coin toss)"].columns) == ["iteration", "d_loss", "g_loss"]
    assert charts["Distances to the real data"]["curve_error"].notna().all()
    table = at.dataframe[0].value
    assert list(table["iteration"]) == [60, 40, 20]  # newest first
    assert {"acc_real", "acc_fake", "d_loss", "g_loss"} <= set(table.columns)
    assert "Run finished at 60 of 60 iterations" in _text(at.caption)
    assert at.get("progress")[0].proto.value == 100
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["History (CSV)", "Generator (.keras)", "Config (JSON)", "Replay (GIF)"]
    # the replay slider shows any stored check-in
    run = _page(at, "gan").run
    at.select_slider[0].set_value(20).run()
    replayed = _chart_frames(at)[PLANE]
    np.testing.assert_allclose(replayed[replayed.kind == "fake"][["x", "y"]].to_numpy(), run.history[0].fake,
                               rtol=1e-6)


def test_step_stop_and_resume_continue_the_same_run():
    at = _app("gan_training")
    _set(at, "gan", TINY)
    assert _disabled(at, "gan") == {"Stop", "Resume", "Reset"}  # no run yet
    _click(at, "gan", "Step")
    _click(at, "gan", "Step")
    page = _page(at, "gan")
    run = page.run
    assert [e.iteration for e in run.history] == [20, 40]  # exactly one check-in per Step
    assert page.worker.state == "stopped"
    assert "Run stopped at 40 of 60 iterations" in _text(at.caption)
    assert _disabled(at, "gan") == {"Stop"}  # Stop only while training
    _click(at, "gan", "Resume")
    assert _page(at, "gan").run is run and [e.iteration for e in run.history] == [20, 40, 60]
    assert list(at.dataframe[0].value["iteration"]) == [60, 40, 20]
    assert "Run finished at 60 of 60 iterations" in _text(at.caption)
    assert _disabled(at, "gan") == {"Step", "Stop", "Resume"}  # done: nothing to continue
    _click(at, "gan", "Reset")
    assert _page(at, "gan").run is None and _page(at, "gan").worker is None
    assert not _run_charts(at) and len(at.get("vega_lite_chart")) == 1  # the real data's chart alone
    assert "press **Train**" in _text(at.info)


def test_a_run_trains_on_through_other_clicks_and_page_switches_until_stopped():
    at = _app("gan_training")
    _set(at, "gan", LONG)
    _click(at, "gan", "Train", wait=False)
    page = _page(at, "gan")
    run, worker = page.run, page.worker
    try:
        assert worker.active
        _until(lambda: run.iteration > 0)
        at.run()  # the page only watches: the script run ends while the worker trains
        assert _disabled(at, "gan") == {"Step", "Resume"}
        assert at.get("progress")  # the live view's progress bar
        # another setting (the sidebar's seed) does not touch the run
        seen = run.iteration
        at.text_input(key="w_seed").set_value("2").run()
        assert not at.exception, at.exception
        assert "apply to the next" in _text(at.info)
        assert page.run is run and page.worker is worker and worker.active
        _until(lambda: run.iteration > seen)
        # nor does a visit to another page
        seen = run.iteration
        at.switch_page("app_pages/generator_preview.py").run()
        assert not at.exception, at.exception
        at.switch_page("app_pages/gan_training.py").run()
        assert not at.exception, at.exception
        assert page.run is run and page.worker is worker and worker.active
        _until(lambda: run.iteration > seen)
        # Stop: taken at once, mid-run; the run keeps what it trained
        _click(at, "gan", "Stop", wait=False)
        assert not worker.active and worker.state == "stopped"
        assert not run.done and page.run is run
        stopped_at = run.iteration
        assert f"Run stopped at {stopped_at:,} of 200,000 iterations" in _text(at.caption)
        assert _disabled(at, "gan") == {"Stop"}
        # Resume continues the same run with a new worker
        _click(at, "gan", "Resume", wait=False)
        assert page.run is run and page.worker is not worker and page.worker.active
        _until(lambda: run.iteration > stopped_at)
        _click(at, "gan", "Stop", wait=False)
        assert not page.worker.active and not run.done
        _click(at, "gan", "Reset", wait=False)
        assert page.run is None and page.worker is None
    finally:
        worker.stop(10)
        if page.worker is not None:
            page.worker.stop(10)


def test_step_adds_one_check_in_and_is_disabled_while_training():
    at = _app("gan_training")
    _set(at, "gan", {**LONG, "n_eval": 1000})  # compiled steps of 512 iterations: a Stop may land between check-ins
    _click(at, "gan", "Train", wait=False)
    page = _page(at, "gan")
    try:
        _until(lambda: len(page.run.history) >= 1)
        at.run()
        assert at.button(key="btn_gan_Step").disabled and not at.button(key="btn_gan_Stop").disabled
        _click(at, "gan", "Stop", wait=False)
        run, before = page.run, len(page.run.history)
        assert not at.button(key="btn_gan_Step").disabled and at.button(key="btn_gan_Stop").disabled
        last = run.history[-1].iteration
        where = f"{run.iteration:,} of 200,000 iterations" + (
            f" (last check-in at {last:,})" if run.iteration != last else "")
        assert f"Run stopped at {where}; " in _text(at.caption)
        _click(at, "gan", "Step")
        assert page.run is run and len(run.history) == before + 1
        assert run.iteration == run.history[-1].iteration == (last // 1000 + 1) * 1000 and not run.done
        assert f"Run stopped at {run.iteration:,} of 200,000 iterations; " in _text(at.caption)
    finally:
        _stop(at, "gan")


@pytest.mark.parametrize("field, value, says", [
    ("n_batch", 7, "n_batch must be even"),
    ("n_eval", 100, "must not exceed n_epochs"),
])
def test_a_bad_setting_shows_an_error_and_trains_nothing(field, value, says):
    at = _app("gan_training")
    _set(at, "gan", {**TINY, field: value})
    assert _says(at.error, says)
    _click(at, "gan", "Train")
    assert _page(at, "gan").run is None and _page(at, "gan").worker is None
    assert _says(at.error, "nothing was started")


def test_the_main_settings_stand_in_a_row_and_the_rest_open_on_an_error():
    """The loop's fields above Train; the rest one click away, in a panel that opens by itself when
    a field in it holds an error (an error never hides in a closed panel)."""
    at = _app("gan_training")
    panel = at.expander[0]
    assert panel.label.startswith("More settings") and not panel.proto.expanded
    assert [t.key for t in at.main.text_input][:3] == ["w_gan_n_epochs", "w_gan_n_batch", "w_gan_n_eval"]
    _set(at, "gan", {"n_batch": 7})  # in the row: the panel stays closed
    assert not at.expander[0].proto.expanded and _says(at.error, "n_batch must be even")
    _set(at, "gan", {"n_batch": 8, "pack": 9})
    at.run()  # the panel learns of the error in this run and opens in the next one
    panel = at.expander[0]
    assert panel.proto.expanded  # the error is in view
    assert _says(panel.error, "samples per verdict (PacGAN packing) must be a whole number from 1 to 4 (got 9).")
    _click(at, "gan", "Train")
    assert _says(at.error, "Fix samples per verdict (PacGAN packing) in More settings (marked in red above) first")


def test_a_hostile_expression_is_refused_shown_literally_and_loses_no_run():
    at = _app("gan_training")
    _set(at, "gan", TINY)
    _click(at, "gan", "Train")
    run = _page(at, "gan").run
    at.selectbox(key="w_target").set_value("custom").run()
    at.text_input(key="w_expr").set_value("__import__('os').system('echo hi')").run()
    errors = [e.value for e in at.error if "not an allowed function" in e.value]
    assert errors, [e.value for e in at.error]
    # escaped for Markdown: the underscores show as typed, not as bold
    assert errors[0].startswith(literal("'__import__('os').system'"))
    assert "apply to the next" not in _text(at.info)  # nothing valid to apply
    _click(at, "gan", "Train")
    assert _page(at, "gan").run is run  # the finished run is still there
    assert _says(at.error, "nothing was started")
    assert "Run finished at 60 of 60 iterations" in _text(at.caption)


def test_settings_persist_across_page_switches():
    at = _app("gan_training")
    _set(at, "gan", {"n_epochs": 1234})
    at.text_input(key="w_seed").set_value("5").run()
    at.switch_page("app_pages/home.py").run()
    at.switch_page("app_pages/discriminator_lab.py").run()
    at.switch_page("app_pages/gan_training.py").run()
    assert _number(at, "w_gan_n_epochs") == 1234
    assert _number(at, "w_seed") == 5


def test_discriminator_lab_trains_and_draws_the_decision_map():
    at = _app("discriminator_lab")
    _set(at, "lab", {"n_epochs": 40, "n_eval": 20})
    _click(at, "lab", "Train")
    plane, accuracy = _charts(at)
    assert plane[0]["title"] == "Discriminator's P(real) over the plane"
    kinds = plane[1]["kind"].value_counts()
    assert kinds["heat"] == 1 and kinds["real"] == 100 and kinds["fake"] == 100
    points, colours = _heat(plane[1])
    np.testing.assert_allclose(colours, heat_colors(_page(at, "lab").run.discriminate(points)), atol=1)  # bytes round
    assert accuracy[0]["title"] == "Discriminator accuracy"
    assert list(accuracy[1]["iteration"]) == [20, 40]
    assert list(at.dataframe[0].value.columns) == ["iteration", "acc_real", "acc_fake", "loss"]
    assert "Run finished at 40 of 40 iterations" in _text(at.caption)
    # the lab's run is its own: the GAN page has none
    assert _page(at, "lab").run is not None and "page_gan" not in at.session_state


def test_generator_preview_untrained_then_trained():
    at = _app("generator_preview")
    assert at.radio(key="w_preview_source").options == ["untrained generator"]
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
    assert not at.exception, at.exception
    (spec, _), = _charts(at)
    assert "trained for 60 iterations" in spec["title"]


def test_a_shared_link_sets_the_widgets_and_the_address_follows_the_settings():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.query_params.update({"n_epochs": "500", "g_hidden": "32,16", "update": "stacked", "target": "sine",
                            "seed": "9", "n_eval": "100"})
    at.switch_page("app_pages/gan_training.py").run()
    assert not at.exception
    assert not at.warning
    assert _number(at, "w_gan_n_epochs") == 500
    assert _number(at, "w_gan_n_eval") == 100
    assert at.text_input(key="w_gan_g_hidden").value == "32,16"
    assert at.selectbox(key="w_gan_update").value == "stacked"
    assert at.selectbox(key="w_target").value == "sine" and _number(at, "w_seed") == 9
    at.text_input(key="w_gan_n_eval").set_value("50").run()
    assert at.query_params["n_eval"] == "50" and at.query_params["n_epochs"] == "500"
    # the page starts at n_eval 200, not the engine's 2,000: a link names 2,000 and omits 200
    at.text_input(key="w_gan_n_epochs").set_value("10000")
    at.text_input(key="w_gan_n_eval").set_value("2000").run()
    assert at.query_params["n_eval"] == "2000" and "n_epochs" not in at.query_params
    at.text_input(key="w_gan_n_eval").set_value("200").run()
    assert "n_eval" not in at.query_params


def test_a_link_with_the_engines_n_eval_keeps_it():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.query_params.update({"n_eval": "2000"})
    at.switch_page("app_pages/gan_training.py").run()
    assert _number(at, "w_gan_n_eval") == 2000


def test_a_link_to_the_lab_sets_the_lab_widgets():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.query_params.update({"n_epochs": "300", "noise_low": "-2"})
    at.switch_page("app_pages/discriminator_lab.py").run()
    assert not at.exception and not at.warning
    assert _number(at, "w_lab_n_epochs") == 300
    assert _number(at, "w_lab_noise_low") == -2.0


def test_a_bad_link_is_refused_with_a_message():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.query_params.update({"n_batch": "7"})
    at.switch_page("app_pages/gan_training.py").run()
    assert any(literal("settings in this link were not used") in w.value and "even" in w.value for w in at.warning)
    assert _number(at, "w_gan_n_batch") == 128


def test_a_links_unknown_setting_is_ignored_and_named():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.query_params.update({"n_epochs": "700", "foo": "1"})
    at.switch_page("app_pages/gan_training.py").run()
    assert not at.exception, at.exception
    warnings = _text(at.warning)
    assert "unknown settings were ignored" in warnings and "foo" in warnings
    assert "not used" not in warnings
    assert _number(at, "w_gan_n_epochs") == 700  # the known settings still apply
    assert "foo" not in at.query_params  # the address follows the settings
    at.run()
    assert not at.warning  # said once


def _mnist(page):
    """An MNIST page, reached by its address (which picks the data kind)."""
    at = _app()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    assert at.radio(key="w_data").value == "MNIST digits"
    return at


def test_the_data_kind_switch_moves_to_the_same_experiment_on_mnist():
    at = _app("gan_training")
    at.radio(key="w_data").set_value("MNIST digits").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "GAN training · MNIST digits"
    at.radio(key="w_data").set_value("1-D function").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "GAN training · 1-D function"


def test_each_kinds_page_heading_names_its_data():
    """The kinds share a page's file and its sidebar link's name: the heading says which data it is
    (three pages all read "GAN training")."""
    at = _app("discriminator_lab")
    headings = [at.title[0].value]
    for kind in ("2-D points", "1-D samples", "MNIST digits"):
        at.radio(key="w_data").set_value(kind).run()
        assert not at.exception, at.exception
        headings.append(at.title[0].value)
    assert headings == ["Discriminator lab · 1-D function", "Discriminator lab · 2-D points",
                        "Discriminator lab · 1-D samples", "Discriminator lab · MNIST digits"]


@pytest.mark.slow
def test_mnist_gan_page_trains_and_shows_grid_scores_and_table():
    at = _mnist("image_gan")
    assert any("5,000 real MNIST digits" in c.value or "MNIST training digits" in c.value for c in at.caption)
    _set(at, "mgan", {"n_epochs": 20, "n_eval": 10})
    _click(at, "mgan", "Train")
    assert len(at.get("image")) >= 1  # the 10x10 grid of generated digits
    charts = _chart_frames(at)
    made = "Digits made (the classifier's verdicts)"
    score = "Classifier score: readable digits?"
    frechet = "Fréchet distance: do they look like the set? (lower is better, floor dashed)"
    assert {"Discriminator accuracy", "Losses per batch", made, score, frechet} <= set(charts)
    assert len(charts["Losses per batch"]) == 20  # every batch's d and g loss
    assert charts[made].groupby("kind")["count"].sum().to_dict() == {"fake": 100, "real": 100}
    history = _page(at, "mgan").run.history_frame()
    assert charts[made].query("kind == 'fake'")["count"].tolist() == \
        history.iloc[-1][[f"made_{d}" for d in range(10)]].astype(int).tolist()  # the grid's own verdicts
    assert charts[score]["classifier_score"].tolist() == history["classifier_score"].tolist()
    assert charts[frechet]["frechet_distance"].tolist() == history["frechet_distance"].tolist()  # issue 34
    assert _says(at.markdown, "Memorization check") and _says(at.caption, "from their nearest training picture")
    assert list(at.dataframe[0].value["iteration"]) == [20, 10]
    assert [m.label for m in at.metric][:2] == ["mean classifier confidence", "entropy of predicted digits (bits)"]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Generator at 20 (.keras)" in labels and "Losses per batch (CSV)" in labels
    assert "Run finished at 20 of 20 iterations" in _text(at.caption)
    # the 1-D GAN page keeps its own (empty) state
    assert "page_gan" not in at.session_state or _page(at, "gan").run is None


def test_mnist_bad_setting_trains_nothing():
    at = _mnist("image_gan")
    _set(at, "mgan", {"n_batch": 7})
    assert _says(at.error, "n_batch must be even")
    _click(at, "mgan", "Train")
    assert _page(at, "mgan").run is None
    assert _says(at.error, "nothing was started")


def test_mnist_discriminator_lab():
    at = _mnist("image_lab")
    _set(at, "mlab", {"n_epochs": 20, "n_eval": 10})
    _click(at, "mlab", "Train")
    assert list(at.dataframe[0].value["iteration"]) == [20, 10]
    assert len(at.get("image")) >= 2  # real digits and noise images
    assert "Run finished at 20 of 20 iterations" in _text(at.caption)


def test_mnist_preview_offers_pretrained_and_explores_the_latent_space():
    at = _mnist("image_preview")
    source = at.radio(key="w_mpreview_source")
    assert "pretrained generator shipped with the app" in source.options
    assert source.value == "pretrained generator shipped with the app"
    assert len(at.get("image")) == 3  # grid, zeros + A, the A-to-B strip
    at.radio(key="w_mpreview_source").set_value("untrained generator").run()
    assert not at.exception and _number(at, "w_mpreview_latent_dim") == 100
    assert len(at.get("image")) == 3


# ---- 2-D points: the plane pages on a point set, at their own addresses ----------------------------

def _open(url_path, query=None):
    """A page opened by its address, as a browser does (AppTest's switch_page picks a file's first
    address, and the 2-D pages share their files with the 1-D ones)."""
    from streamlit.util import calc_hash

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.query_params.update(query or {})
    at._page_hash = calc_hash(url_path)  # st.Page's own hash of its url_path
    at.run()
    assert not at.exception, at.exception
    return at


POINTS_TINY = {"n_epochs": 60, "n_eval": 20, "n_batch": 32}


@pytest.mark.slow
def test_points_gan_page_trains_over_the_heat_map_with_mode_scores():
    at = _open("points_gan_training")
    assert at.radio(key="w_data").value == "2-D points" and at.selectbox(key="w_points").value == "ring8"
    assert at.text_input(key="w_points_gan_g_hidden").value == "64,64"  # the 2-D networks
    _set(at, "points_gan", POINTS_TINY)
    _click(at, "points_gan", "Train")
    charts = _chart_frames(at)
    assert set(charts) == {PLANE, "Discriminator accuracy", "Losses (dotted: ln 2, a coin toss)",
                           "Modes captured (a mode: a sample within 3σ of its centre)"}
    plane = charts[PLANE]
    assert plane["kind"].value_counts()[["heat", "real", "fake"]].tolist() == [1, 100, 100]
    assert len(_heat(plane)[0]) == 1600
    assert "push" not in set(plane["kind"])  # arrows are off until asked for
    modes = charts["Modes captured (a mode: a sample within 3σ of its centre)"]
    assert list(modes["iteration"]) == [20, 40, 60] and (modes["modes_floor"] == 8).all()
    assert [m.label for m in at.metric] == ["modes captured", "high-quality samples (within 3σ)",
                                           "reverse KL of the mode histogram", "energy distance to real"]
    assert {"modes", "high_quality", "reverse_kl"} <= set(at.dataframe[0].value.columns)
    at.toggle(key="w_points_gan_arrows").set_value(True).run()
    plane = _chart_frames(at)[PLANE]
    arrows = plane[plane.kind == "push"]
    assert len(arrows) == 40 and arrows[["x2", "y2"]].notna().all().all()
    # where an arrow points is the gradient of log D at its fake sample
    run = _page(at, "points_gan").run
    push = run.history[-1].push
    np.testing.assert_allclose(np.arctan2(arrows.y2 - arrows.y, arrows.x2 - arrows.x),
                               np.arctan2(push[:, 3], push[:, 2]), atol=1e-4)
    assert "page_gan" not in at.session_state  # the 1-D GAN page has a run of its own (none yet)


def test_a_missing_csv_is_blamed_on_the_kinds_own_chooser():
    """Issue 32: on 1-D samples a missing CSV was blamed on "Point set"; the chooser there reads
    "Distribution of x"."""
    at = _open("samples_gan_training")
    at.selectbox(key="w_samples").set_value("csv1d").run()
    _click(at, "samples_gan", "Train")
    assert _page(at, "samples_gan").run is None
    assert _says(at.error, "Upload your numbers in the sidebar first")
    assert _says(at.error, "Fix Distribution of x in the sidebar first: nothing was started."), _text(at.error)


@pytest.mark.slow
def test_points_csv_upload_trains_and_a_bad_file_loses_nothing():
    at = _open("points_gan_training")
    at.selectbox(key="w_points").set_value("csv").run()
    _set(at, "points_gan", POINTS_TINY)
    _click(at, "points_gan", "Train")
    assert _page(at, "points_gan").run is None
    assert _says(at.error, "Upload your points in the sidebar first")
    rows = "".join(f"{np.cos(a):.3f},{np.sin(a):.3f}\n" for a in np.linspace(0, 6, 30))
    assert at.file_uploader(key="points_file").proto.max_upload_size_mb == 8  # the CSV rule, not the app's 50 MB
    at.file_uploader(key="points_file").set_value(("circle.csv", ("x,y\n" + rows).encode(), "text/csv")).run()
    assert not at.exception, at.exception
    assert _says(at.caption, "circle.csv: 30 points")
    _click(at, "points_gan", "Train")
    run = _page(at, "points_gan").run
    assert run is not None and run.done and len(run.target.support) == 30
    at.file_uploader(key="points_file").set_value(("bad.csv", b"1,2,3\n" * 20, "text/csv")).run()
    assert _says(at.error, "bad.csv was not used") and _says(at.error, "two numeric columns")
    assert _page(at, "points_gan").run is run and run.done  # the run trained before is kept
    assert _says(at.caption, "circle.csv: 30 points")  # and the points uploaded before


LINE = "Samples and the discriminator's D(x)"
MAP = "The generator's map: z below, x = G(z) above"


@pytest.mark.slow
def test_samples_gan_page_draws_the_densities_d_of_x_and_the_map():
    """1-D samples: Goodfellow et al.'s Figure 1 live (densities, D(x), the map z -> x), its scores
    (modes of the bimodal set, Wasserstein-1), and arrows along the line."""
    at = _open("samples_gan_training")
    assert at.radio(key="w_data").value == "1-D samples" and at.selectbox(key="w_samples").value == "bimodal1d"
    assert at.text_input(key="w_samples_gan_latent_dim").value == "1"  # the kind's own networks
    _set(at, "samples_gan", POINTS_TINY)
    _click(at, "samples_gan", "Train")
    charts = _chart_frames(at)
    assert {LINE, MAP, "Discriminator accuracy", "Modes captured (a mode: a sample within 3σ of its centre)"} <= set(charts)
    line = charts[LINE]
    assert set(line.kind) == {"real", "fake", "D(x)"} and line[line.kind == "D(x)"].p_real.between(0, 1).all()
    run = _page(at, "samples_gan").run
    assert len(charts[MAP]) == 60 and np.allclose(charts[MAP].x, run.history[-1].mapping[:, 1])
    assert [m.label for m in at.metric] == ["modes captured", "high-quality samples (within 3σ)",
                                           "reverse KL of the mode histogram", "Wasserstein-1 distance to real"]
    at.toggle(key="w_samples_gan_arrows").set_value(True).run()
    arrows = _chart_frames(at)[LINE].query("kind == 'push'")
    assert len(arrows) == 40 and (np.sign(arrows.x2 - arrows.x) == np.sign(run.history[-1].push[:, 1])).all()
    _stop(at, "samples_gan")


def test_samples_lab_and_preview_draw_on_a_line():
    at = _open("samples_discriminator_lab")  # the discriminator alone: real samples vs noise on a line
    assert not at.query_params  # the generator's settings it does not draw are the kind's: none in its address
    _set(at, "samples_lab", {"n_epochs": 40, "n_eval": 20})
    _click(at, "samples_lab", "Train")
    lab = _chart_frames(at)["Real samples, noise and the discriminator's D(x)"]
    noise = _page(at, "samples_lab").run.history[-1].fake  # the noise interval [-4, 4] of the 1-D samples' lab
    assert set(lab.kind) == {"real", "noise", "D(x)"} and noise.shape[1] == 1 and (np.abs(noise) <= 4).all()
    at = _open("samples_generator_preview")
    titles = [chart.spec for chart in at.get("vega_lite_chart") + at.get("arrow_vega_lite_chart")]
    assert any("The path from A to B" in spec for spec in titles) and any("G(z)" in spec for spec in titles)


@pytest.mark.slow
def test_samples_csv_upload_takes_one_column():
    at = _open("samples_gan_training")
    at.selectbox(key="w_samples").set_value("csv1d").run()
    rows = "".join(f"{v:.3f}\n" for v in np.linspace(-1, 1, 25))
    at.file_uploader(key="samples_file").set_value(("mine.csv", ("x\n" + rows).encode(), "text/csv")).run()
    assert not at.exception, at.exception
    assert _says(at.caption, "mine.csv: 25 numbers")
    _set(at, "samples_gan", POINTS_TINY)
    _click(at, "samples_gan", "Train")
    run = _page(at, "samples_gan").run
    assert run is not None and run.done and run.target.support.shape == (25, 1)
    at.file_uploader(key="samples_file").set_value(("two.csv", b"1,2\n" * 20, "text/csv")).run()
    assert _says(at.error, "two.csv was not used") and _says(at.error, "one numeric column")


@pytest.mark.slow
def test_slow_motion_takes_an_iteration_apart_on_a_new_run_and_goes_on():
    """Slow motion on a page with no run starts one and shows its first iteration's parts (before and
    after, a sentence each, the graph with the part lit); taking the iteration trains exactly one."""
    at = _open("points_gan_training")
    _set(at, "points_gan", POINTS_TINY)
    at.button(key="btn_points_gan_Slow motion").click().run()
    assert not at.exception, at.exception
    page = _page(at, "points_gan")
    assert page.run is not None and page.run.iteration == 0 and page.worker is None
    assert [p.name for p in page.parts] == ["start", "d_real", "d_fake", "g"]
    at.radio(key="w_points_gan_slow_part").set_value(2).run()
    assert _says(at.markdown, "Discriminator on generated samples.") and _says(at.caption, "Before this part")
    graph = at.get("graphviz_chart")[0].proto.spec
    assert 'fake [label="fake samples G(z)"' in graph and "penwidth=2.5" in graph.split("fake [", 1)[1].split("\n")[0]
    assert len(_charts(at)) == 3  # before, after, and what the part changed
    assert _says(at.caption, "What this part changed")
    at.button(key="btn_points_gan_slow_take").click().run()
    assert not at.exception, at.exception
    assert page.run.iteration == 1 and len(page.parts) == 4 and at.radio(key="w_points_gan_slow_part").value == 0
    at.button(key="btn_points_gan_slow_close").click().run()
    assert page.parts is None
    _click(at, "points_gan", "Resume")  # the run goes on to its end as any run
    assert page.run.done and len(page.run.history) == 3


def test_mnist_slow_motion_shows_the_digits_and_their_verdicts():
    at = _mnist("image_gan")
    _set(at, "mgan", {"n_epochs": 4, "n_eval": 2, "n_batch": 16})
    at.button(key="btn_mgan_Slow motion").click().run()
    assert not at.exception, at.exception
    page = _page(at, "mgan")
    assert [p.name for p in page.parts] == ["start", "d", "g"] and page.run.iteration == 0
    at.radio(key="w_mgan_slow_part").set_value(1).run()
    assert _says(at.markdown, "The discriminator sees n_batch/2 real and n_batch/2 generated digits")
    assert len(at.get("image")) >= 4  # real and fake digits, before and after
    assert [m.label for m in at.metric][:2] == ["on the real digits", "on the fakes"]
    at.button(key="btn_mgan_slow_take").click().run()
    assert not at.exception, at.exception
    assert page.run.iteration == 1 and len(page.parts) == 3


@pytest.mark.slow
def test_drawn_points_train_and_download_as_a_csv():
    """The drawing's points (a click's blobs; AppTest cannot click a chart, so put there as a click
    would) are the run's real data, and the drawing downloads (tests/test_drawing.py: as a CSV that reads
    back the same)."""
    at = _open("points_gan_training")
    at.selectbox(key="w_points").set_value("csv").run()
    assert not at.exception, at.exception
    assert [b.proto.disabled for b in at.get("download_button") if b.proto.label == "Download as CSV"] == [True]
    drawn = np.random.default_rng(0).normal(size=(60, 2)).astype(np.float32)
    at.session_state["points_uploaded"] = ("drawn points", drawn)
    at.run()
    assert _says(at.caption, "60 points drawn; they train as your own points")
    button = next(b for b in at.get("download_button") if b.proto.label == "Download as CSV")
    assert not button.proto.disabled
    _set(at, "points_gan", POINTS_TINY)
    _click(at, "points_gan", "Train")
    run = _page(at, "points_gan").run
    assert np.array_equal(run.target.support, drawn)  # its real data: the drawn points


def test_a_trained_example_opens_on_the_gan_page():
    at = _open("points_gan_training")
    at.button(key="btn_points_gan_example").click().run()
    assert not at.exception, at.exception
    run = _page(at, "points_gan").run
    assert run.config.target == "ring8" and run.iteration == 10_000 and run.done
    assert run.history[-1].metrics["modes"] == 8  # the example met its criterion: every mode
    assert PLANE in _chart_frames(at)


@pytest.mark.slow
def test_the_manifold_toggle_draws_the_warped_grid():
    at = _open("points_gan_training")
    _set(at, "points_gan", {**POINTS_TINY, "latent_dim": 2})
    _click(at, "points_gan", "Train")
    assert "mesh" not in set(_chart_frames(at)[PLANE]["kind"])
    at.toggle(key="w_points_gan_manifold").set_value(True).run()
    mesh = _chart_frames(at)[PLANE].query("kind == 'mesh'")
    assert mesh.line.nunique() == 30 and len(mesh) == 450
    assert at.get("graphviz_chart")  # the model overview, with the latest numbers
    assert "acc_real" in at.get("graphviz_chart")[0].proto.spec


def test_a_typed_domain_is_taken_exactly_or_refused_at_the_sidebar():
    at = _app("gan_training")
    at.checkbox(key="w_own_domain").set_value(True).run()
    at.text_input(key="w_low").set_value("-2e-1").run()
    _set(at, "gan", TINY)
    _click(at, "gan", "Train")
    assert _page(at, "gan").run.target.low == -0.2  # as typed, never rounded to the field's format
    at.text_input(key="w_low").set_value("-0.2.1").run()
    assert _says(at.sidebar.error, "The domain's low must be a number")
    _click(at, "gan", "Train")
    assert _page(at, "gan").run.target.low == -0.2  # nothing new was started


@pytest.mark.slow
def test_a_lesson_link_hides_its_controls_and_keeps_their_values():
    at = _open("gan_training", {"loss": "hinge", "pack": "2", "n_epochs": "60", "n_eval": "20", "n_batch": "32",
                                "hide": "loss,optimizer,pack,bogus,seed"})
    assert not [w for w in at.selectbox if w.key == "w_gan_loss"]  # hidden: not drawn
    assert not [w for w in at.text_input if w.key in ("w_gan_pack", "w_gan_beta_1")]
    # the optimizer is its choice, the generator's own and beta_1 (issue 32: beta_1 stayed on the page)
    assert not [w for w in at.selectbox if w.key in ("w_gan_optimizer", "w_gan_g_optimizer")]
    assert _says(at.info, "This lesson link hides 5 settings: loss, optimizer, generator optimizer, Adam beta_1, "
                          "samples per verdict")
    assert _says(at.warning, "ignored: bogus, seed. A hide list names the settings as the link's other parameters "
                             "do: ")  # what cannot be hidden is said, not hidden, and never cut mid-word
    assert at.query_params["hide"] == "loss,optimizer,pack"  # the address keeps the lesson
    _click(at, "gan", "Train")
    run = _page(at, "gan").run
    assert run.config.loss == "hinge" and run.config.pack == 2 and run.done  # the link's values train
    at.button(key="btn_gan_show_all").click().run()
    assert at.selectbox(key="w_gan_loss").value == "hinge" and "hide" not in at.query_params


def test_a_link_to_a_points_page_sets_its_widgets():
    at = _open("points_gan_training", {"target": "grid25", "n_epochs": "700", "d_hidden": "32,32", "seed": "4"})
    assert not at.warning, _text(at.warning)
    assert at.selectbox(key="w_points").value == "grid25" and _number(at, "w_seed") == 4
    assert _number(at, "w_points_gan_n_epochs") == 700
    assert at.text_input(key="w_points_gan_d_hidden").value == "32,32"
    at.text_input(key="w_points_gan_n_eval").set_value("100").run()
    assert at.query_params["target"] == "grid25" and at.query_params["n_eval"] == "100"
    assert "g_hidden" not in at.query_params  # the 2-D page's own default is left out


def test_a_points_link_on_a_1d_page_is_refused():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.query_params.update({"target": "ring8"})
    at.switch_page("app_pages/gan_training.py").run()
    assert _says(at.warning, "its target is 2-D points, not this page's 1-D function")
    assert at.selectbox(key="w_target").value == "x^2"


@pytest.mark.slow
def test_points_lab_trains_on_the_set():
    at = _open("points_discriminator_lab")
    _set(at, "points_lab", {"n_epochs": 40, "n_eval": 20})
    _click(at, "points_lab", "Train")
    plane, accuracy = _charts(at)
    kinds = plane[1]["kind"].value_counts()
    assert kinds["heat"] == 1 and kinds["real"] == 100
    real = plane[1][plane[1].kind == "real"][["x", "y"]].to_numpy()
    assert np.abs(np.linalg.norm(real, axis=1) - 1).max() < 0.06  # the ring of radius 1, sigma 0.01


def test_a_link_to_an_mnist_page_sets_its_widgets_and_follows_them():
    at = _open("mnist_gan_training", {"latent_dim": "16", "n_eval": "25", "seed": "3", "scale": "tanh"})
    assert not at.warning, _text(at.warning)
    assert _number(at, "w_mgan_latent_dim") == 16 and _number(at, "w_mgan_n_eval") == 25
    assert at.selectbox(key="w_mgan_scale").value == "tanh" and _number(at, "w_seed") == 3
    at.text_input(key="w_mgan_g_filters").set_value("8").run()
    assert at.query_params["g_filters"] == "8" and at.query_params["latent_dim"] == "16"
    assert "n_batch" not in at.query_params  # left at the default: not in the link
    at = _open("mnist_discriminator_lab", {"d_filters": "8", "bogus": "1"})
    assert _number(at, "w_mlab_d_filters") == 8
    assert _says(at.warning, "unknown settings were ignored: bogus")


SWEEP = "Curve error mean |y − f(x)|, every seed"


@pytest.mark.slow
def test_seed_sweep_trains_the_gan_pages_settings_on_many_seeds_and_opens_one():
    at = _open("seed_sweep")
    _set(at, "gan", {**TINY, "n_epochs": 400, "n_eval": 200})  # the GAN page's widgets, on this page
    at.text_input(key="w_sweep_seeds").set_value("1e12").run()
    assert _says(at.error, "Seeds (2 to 64) must be a whole number from 2 to 64 (got 1e12).")
    at.text_input(key="w_sweep_seeds").set_value("4").run()
    _click(at, "sweep", "Train")
    sweep = _page(at, "sweep").run
    assert sweep.seeds == [1, 2, 3, 4] and sweep.done and len(sweep.history) == 2
    assert sweep.config.n_batch == 32  # the settings typed for the GAN page
    charts = _chart_frames(at)
    assert SWEEP in charts, list(charts)
    lines = charts[SWEEP]
    assert sorted(set(lines.seed)) == [1, 2, 3, 4] and set(lines.iteration) == {200, 400}
    final = sweep.summary()
    np.testing.assert_allclose(lines[lines.iteration == 400].sort_values("seed")["value"], final.curve_error)
    assert set(lines.outcome) <= {"worked", "did not"}
    bars = charts["Curve error mean |y − f(x)| at the latest check-in, per seed"]
    assert list(bars.seed) == [1, 2, 3, 4] and list(bars.outcome) == [
        "worked" if ok else "did not" for ok in final.success]
    worked = int(final.success.sum())
    assert at.metric[0].label == "Seeds that worked" and at.metric[0].value == f"{worked} of 4"
    table = at.dataframe[0].value
    assert list(table.seed) == [1, 2, 3, 4] and "worked" in table
    assert "Run finished at 400 of 400 iterations" in _text(at.caption)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["History, every seed (CSV)", "Summary per seed (CSV)"]
    # open seed 3 on the GAN page: its history, and it continues there as an ordinary run
    at.selectbox(key="sweep_open_seed").set_value(3).run()
    at.button[[b.label for b in at.button].index("Open this seed's run")].click().run()
    assert not at.exception, at.exception
    gan = _page(at, "gan").run
    assert gan is not None and gan.config.seed == 3 and [e.iteration for e in gan.history] == [200, 400]
    assert _number(at, "w_seed") == 3
    assert gan.history[-1].metrics["curve_error"] == final.curve_error[2]


@pytest.mark.slow
def test_the_gan_page_raises_a_collapse_alarm_and_a_paused_runs_rates_change():
    at = _app("gan_training")
    _set(at, "gan", {"n_epochs": 2000, "n_eval": 500, "g_lr": 0.02, "pack": 1})  # g_lr 20x the tutorial's: collapse
    for _ in range(3):  # seed 1: coverage 0.35, 0.10, then 0.05
        _click(at, "gan", "Step")
    # a red callout with an icon, above the charts (it was an easily missed grey caption below them)
    assert _says(at.error, "Mode collapse since iteration 1,000") and _says(at.error, "What usually helps")
    assert [e for e in at.error if "Mode collapse" in e.value][0].icon == ":material/error:"
    run = _page(at, "gan").run
    for typed in ("5", "1e-3x"):  # refused at once, the run's rate untouched
        at.text_input(key=f"gan_g_lr_{id(run)}").set_value(typed).run()
        at.button(key=f"gan_set_rates_{id(run)}").click().run()
        assert _says(at.error, "generator learning rate must be") and run.learning_rates()["g_lr"] == pytest.approx(0.02)
    at.text_input(key=f"gan_g_lr_{id(run)}").set_value("1e-3").run()
    at.button(key=f"gan_set_rates_{id(run)}").click().run()
    assert _says(at.success, "g_lr 0.02 → 0.001")
    assert run.learning_rates()["g_lr"] == pytest.approx(0.001)
    _click(at, "gan", "Resume")
    assert run.done and _says(at.caption, "At iteration 1,500 the learning rates changed: g_lr 0.02 → 0.001")
    history = run.history_frame()
    assert list(history.g_lr.round(4)) == [0.02, 0.02, 0.02, 0.001]


def test_compare_keeps_replaced_runs_shows_what_differs_and_a_bundle_round_trips():
    from gan_core.keeping.bundle import from_bundle, to_bundle

    at = _app("gan_training")
    _set(at, "gan", TINY)
    _click(at, "gan", "Train")
    first = _page(at, "gan").run
    _set(at, "gan", {"g_lr": 0.002})
    _click(at, "gan", "Train")  # the first run is kept for Compare
    second = _page(at, "gan").run
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception, at.exception
    names = at.multiselect(key="compare_runs").value
    assert names == ["1-D run 2", "1-D run 1"]  # the page's current run first, then the kept one
    titles = {json.loads(c.proto.spec)["title"] for c in at.get("arrow_vega_lite_chart")} | {
        json.loads(c.proto.spec)["title"] for c in at.get("vega_lite_chart")}
    assert {"Accuracy", "Losses", "Curve error", "Energy distance"} <= titles, titles
    settings = at.dataframe[-2].value  # the last two tables (the stored runs' comes first)
    assert list(settings.columns) == ["1-D run 2 · g_lr 0.002", "1-D run 1 · g_lr 0.001"]
    assert settings.loc["g_lr"].tolist() == ["0.002", "0.001"] and _says(at.caption, "1 setting differs")
    assert settings.index[0] == "g_lr"  # what differs comes first
    finals = at.dataframe[-1].value
    assert list(finals.iteration) == [60, 60] and finals.curve_error.tolist() == pytest.approx(
        [second.history[-1].metrics["curve_error"], first.history[-1].metrics["curve_error"]])
    # the kept run's bundle (its button's bytes are in Streamlit's media store: rebuilt here) uploads
    # again, and continues on the GAN page; a bad file loses nothing
    at.selectbox(key="compare_one").set_value("1-D run 1").run()
    assert [b.proto.label for b in at.get("download_button")] == ["Run bundle (.zip)"]
    assert from_bundle(to_bundle(first)).history_frame().iteration.tolist() == [20, 40, 60]
    at.file_uploader(key="compare_upload").set_value(("bad.zip", b"not a zip", "application/zip")).run()
    assert _says(at.error, "bad.zip was not used") and _says(at.error, "Allowed:")
    assert at.multiselect(key="compare_runs").value == ["1-D run 2", "1-D run 1"]  # nothing lost
    at.file_uploader(key="compare_upload").set_value(("run1.zip", to_bundle(first), "application/zip")).run()
    assert not at.exception, at.exception
    assert "run1.zip (uploaded)" in at.multiselect(key="compare_runs").options
    at.selectbox(key="compare_one").set_value("run1.zip (uploaded)").run()
    at.button[[b.label for b in at.button].index("Continue on its GAN page")].click().run()
    assert not at.exception, at.exception
    page = _page(at, "gan")
    assert page.run is not second and page.run.history_frame().iteration.tolist() == [20, 40, 60]


@pytest.mark.slow
def test_the_loss_and_optimizer_settings_reach_the_run():
    at = _app("gan_training")
    assert at.selectbox(key="w_gan_loss").value == "bce" and not [
        n for n in at.text_input if n.key == "w_gan_n_critic"]  # WGAN-GP's settings only with WGAN-GP
    at.selectbox(key="w_gan_loss").set_value("wgan-gp").run()
    at.selectbox(key="w_gan_optimizer").set_value("adam").run()
    _set(at, "gan", {**TINY, "n_critic": 2, "beta_1": 0.0})
    _click(at, "gan", "Train")
    run = _page(at, "gan").run
    assert (run.config.loss, run.config.n_critic, run.config.beta_1) == ("wgan-gp", 2, 0.0)
    assert int(run.state.d.updates) == 2 * 60 and run.done
    plane = _chart_frames(at)[PLANE]
    points, colours = _heat(plane)  # the critic's score as P(real)
    np.testing.assert_allclose(colours, heat_colors(run.discriminate(points)), atol=1)  # bytes round
    assert at.query_params["loss"] == "wgan-gp" and at.query_params["n_critic"] == "2"  # the link carries them


@pytest.mark.slow
def test_compare_puts_an_mnist_run_beside_a_1d_run_and_bundles_it():
    from gan_core.keeping.bundle import from_bundle, to_bundle

    at = _mnist("image_gan")
    _set(at, "mgan", {"n_epochs": 20, "n_eval": 10})
    _click(at, "mgan", "Train")
    mnist_run = _page(at, "mgan").run
    at.switch_page("app_pages/gan_training.py").run()
    _set(at, "gan", TINY)
    _click(at, "gan", "Train")
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception, at.exception
    assert set(at.multiselect(key="compare_runs").value) == {"1-D run 2", "MNIST run 1"}
    settings = at.dataframe[-2].value
    assert settings.loc["d_filters"].tolist().count("—") == 1  # a setting only one kind has
    titles = {json.loads(c.proto.spec)["title"] for c in at.get("arrow_vega_lite_chart")} | {
        json.loads(c.proto.spec)["title"] for c in at.get("vega_lite_chart")}
    assert {"Accuracy", "Classifier score", "Curve error"} <= titles, titles
    at.selectbox(key="compare_one").set_value("MNIST run 1").run()
    assert [b.proto.label for b in at.get("download_button")] == ["Run bundle (.zip)"]
    digits = mnist_run.digits
    again = from_bundle(to_bundle(mnist_run), mnist=lambda scale: (digits, mnist_run.classifier))
    assert again.history_frame().iteration.tolist() == [10, 20]


@pytest.mark.parametrize("field, label, typed, says", [
    ("n_epochs", "n_epochs (iterations)", "1e12",
     "n_epochs (iterations) must be a whole number from 1 to 1,000,000 (got 1e12)."),
    ("n_eval", "n_eval (iterations per check-in)", "1e12",
     "n_eval (iterations per check-in) must be a whole number from 1 to 1,000,000 (got 1e12)."),
    ("latent_dim", "latent_dim", "1e12", "latent_dim must be a whole number from 1 to 256 (got 1e12)."),
    ("pack", "samples per verdict (PacGAN packing)", "2.5",
     "samples per verdict (PacGAN packing) must be a whole number from 1 to 4 (got 2.5)."),
    ("n_eval_samples", "samples per check-in", "5", "samples per check-in must be a whole number from 10 to 10,000"),
    ("g_lr", "generator learning rate", "abc", "generator learning rate must be a number above 0 and at most 1 (got abc)."),
    ("d_lr", "discriminator learning rate", "2", "discriminator learning rate must be a number above 0 and at most 1"),
])
def test_a_typed_number_is_taken_exactly_or_refused_at_its_field(field, label, typed, says):
    """Issue 21: `1e12` typed into a count became 1 and trained. Now the text stays as typed, its field
    says what is allowed in the words on screen, and Train starts nothing; the address keeps no 1."""
    at = _app("gan_training")
    at.text_input(key=f"w_gan_{field}").set_value(typed).run()
    assert not at.exception, at.exception
    assert at.text_input(key=f"w_gan_{field}").value == typed  # not changed
    assert at.text_input(key=f"w_gan_{field}").label == label
    assert _says(at.error, says), _text(at.error)
    assert label == field or not _says(at.error, f"{field} must")  # the screen's words, not the code's
    assert field not in at.query_params
    _click(at, "gan", "Train")
    assert _page(at, "gan").run is None
    where = "" if field in ("n_epochs", "n_eval") else " in More settings"  # the row above Train, or the panel
    assert _says(at.error, f"Fix {label}{where} (marked in red above) first: nothing was started.")


@pytest.mark.parametrize("typed, got", [("0", "got 0"), ("32,abc", "got 32,abc"), ("", "the field is empty")])
def test_refused_layer_widths_are_quoted_as_typed_and_named_by_their_field(typed, got):
    """Issue 32: hidden units 0 read "... (got (0,))", a parse error named no field, and an empty field
    read "(got )"."""
    at = _app("gan_training")
    at.text_input(key="w_gan_d_hidden").set_value(typed).run()
    assert not at.exception, at.exception
    assert _says(at.error, "discriminator hidden units must be 1 to 4 layer widths, each a whole number from 1 to "
                           f"512, like 25 or 32,16 ({got})."), _text(at.error)
    assert at.text_input(key="w_gan_d_hidden").value == typed


def test_a_huge_seed_is_refused_under_the_sidebars_seed():
    at = _app("gan_training")
    at.text_input(key="w_seed").set_value("99999999999999999999").run()
    assert not at.exception, at.exception
    assert _says(at.sidebar.error, "Seed must be a whole number from 0 to 2,147,483,647 (got 99999999999999999999).")
    # said beside Train before any click: a phone's sidebar is closed, and the main area showed nothing
    note = "Seed in the sidebar is refused (the message is there): Train starts nothing until it is fixed."
    assert _says(at.main.warning, note)
    _click(at, "gan", "Train")
    assert _page(at, "gan").run is None
    assert _says(at.error, "Fix Seed in the sidebar first: nothing was started.")
    assert not _says(at.main.warning, note)  # the click's own message says it: not twice
    at.text_input(key="w_seed").set_value("10,000").run()  # a typed separator is fine: taken as 10000
    assert not at.sidebar.error and at.query_params["seed"] == "10000"
    assert not _says(at.main.warning, note)


def test_a_bad_f_of_x_is_shown_at_the_field_and_the_main_area_points_there():
    at = _app("gan_training")
    at.selectbox(key="w_target").set_value("custom").run()
    at.text_input(key="w_expr").set_value("x +* 2").run()
    assert not at.exception, at.exception
    assert at.sidebar.error  # at the f(x) field, in the sidebar
    assert _says(at.main.warning, "f(x) in the sidebar is refused (the message is there)")
    _click(at, "gan", "Train")
    assert _says(at.error, "Fix f(x) in the sidebar first: nothing was started.")


def test_the_home_page_starts_here_and_links_every_experiment():
    """A one-line start, what a GAN is, and a link to each experiment of each kind with what it shows."""
    at = _app()
    assert not at.exception, at.exception
    main = " ".join(m.value for m in at.main.markdown)
    assert "Start here:" in main and "generator" in main and "discriminator" in main
    assert "decision boundary" in _text(at.main.caption)
    links = [(link.proto.label, link.proto.page) for link in at.main.get("page_link")]
    labels = [label for label, _ in links]
    assert labels[0] == "GAN training on x² (the tutorial's)"
    assert labels.count("GAN training") == 5 and labels.count("Discriminator lab") == 5  # each kind of data
    assert labels.count("Seed sweep") == 3 and "Compare runs" in labels
    assert {page for _, page in links} >= {"gan_training", "points_gan_training", "mnist_gan_training", "compare"}


def test_the_favicon_is_a_local_picture_and_a_log_axis_has_no_zero_tick():
    """Nothing is fetched from a font server for the tab's icon (it failed offline); a symlog axis
    labels no "0" (it read as a distance reached)."""
    source = (ROOT / "streamlit_app.py").read_text()
    assert 'page_icon=FAVICON' in source and (ROOT / "explorer" / "favicon.png").stat().st_size < 4096
    from explorer.charts import specs

    for spec in (specs.chart_spec("distance"), specs.chart_spec("sweep", "curve error", True)):
        text = json.dumps(spec)
        assert '"values": [0.01, 0.03' in text and '"values": [0, ' not in text


def test_acc_real_stays_visible_where_it_coincides_with_acc_fake():
    """On MNIST's lab both accuracies sit at 1 together: acc_real (red) hid under acc_fake (blue). The
    first series is drawn first (beneath) and wider, so its edges show around the second, on every page."""
    from explorer.charts import specs

    for name, first in (("accuracy", "acc_real"), ("score", "generated digits")):
        spec = specs.chart_spec(name)
        width = spec["encoding"]["strokeWidth"]["scale"]
        widths = dict(zip(width["domain"], width["range"]))
        assert width["domain"][0] == first and widths[first] > max(widths.values()) - 0.5 > min(widths.values())
        assert spec["encoding"]["strokeWidth"]["legend"] is None  # the colour's legend names them
    assert specs.chart_spec("accuracy")["transform"][0]["fold"] == ["acc_real", "acc_fake"]  # drawn in this order


def test_the_live_charts_specs_are_valid_vega_lite():
    """specs.spec skips Altair's validation (it was most of a first chart's drawing): each live chart's
    spec, as the pages ask for it, is the one Altair makes and validates."""
    import pandas as pd

    from explorer.charts import plane, specs

    asked = [("accuracy",), ("loss", "bce"), ("loss", "wgan-gp"), ("distance",), ("modes", 8), ("batch_loss",),
             ("plane", (-1.0, 2.0), (-0.5, 1.0), plane.PLANE_TITLE, True), ("plane", (-0.85, 0.85), (-0.05, 0.4)),
             ("samples", (-0.5, 0.5), (0.0, 0.25)), ("line", (-3.0, 3.0), "title"), ("map", (-3.0, 3.0)),
             ("digit_histogram",), ("score",), ("picture_score", "frechet_distance"), ("sweep", "curve error", True),
             ("sweep_outcome", "curve_error", "curve error"), ("real_plane", (-1.0, 2.0), (-0.5, 1.0), "t", True),
             ("real_line", (-3.0, 3.0), "title")]
    assert {name for name, *_ in asked} == set(specs.BUILDERS)
    for name, *args in asked:
        validated = specs.BUILDERS[name](pd.DataFrame(), *args).to_dict()  # raises on a spec that is not valid
        for part in (validated, *validated.get("layer", [])):
            part.pop("data", None)
        validated.pop("datasets", None)
        assert specs.chart_spec(name, *args) == validated, name


def test_a_point_sets_plane_is_square_with_equal_spans_and_a_functions_is_not():
    from explorer.charts import plane, specs
    from gan_core.data.points import get_point_set

    for name in ("ring8", "grid25", "moons", "spiral"):
        (x0, x1), (y0, y1) = get_point_set(name).bounds()
        assert x1 - x0 == pytest.approx(y1 - y0, abs=0.002), name  # a square around the support
    spec = specs.chart_spec("plane", (-1.0, 2.0), (-0.5, 1.0), plane.PLANE_TITLE, True)
    assert spec["width"] == spec["height"] == plane.PLANE_SIZE and spec["autosize"]["type"] == "pad"
    domains = {tuple(layer["encoding"][axis]["scale"]["domain"]) for layer in spec["layer"]
               for axis in ("x", "y") if "scale" in layer["encoding"].get(axis, {})}
    assert domains == {(-1.0, 2.0), (-1.25, 1.75)}  # both spans 3: equal units
    assert "width" not in specs.chart_spec("plane", (-0.85, 0.85), (-0.05, 0.4))  # a function: column-wide


def test_a_previews_typed_count_is_refused_at_its_field_not_clipped():
    at = _app("generator_preview")
    at.text_input(key="w_preview_n").set_value("1e12").run()
    assert not at.exception, at.exception
    assert _says(at.error, "points must be a whole number from 10 to 5,000 (got 1e12).")
    assert at.text_input(key="w_preview_n").value == "1e12"
    at.text_input(key="w_preview_n").set_value("200").run()
    assert not at.error and (_charts(at)[0][1]["kind"] == "fake").sum() == 200


def test_the_sidebar_is_read_once_per_script_run_and_handed_to_the_page(monkeypatch):
    from explorer import sidebar

    reads, seeds = [], []
    read, parse = sidebar.read, sidebar.parse_number
    monkeypatch.setattr(sidebar, "read", lambda: reads.append(1) or read())
    monkeypatch.setattr(sidebar, "parse_number", lambda text, *a, **k: (
        seeds.append(text) if sys._getframe(1).f_code.co_name == "read_seed" else None) or parse(text, *a, **k))
    for page in ("points_gan_training", "gan_training", "seed_sweep", "mnist_preview", ""):  # "": the home page
        at = _open(page)
        reads.clear(), seeds.clear()
        at.run()  # a rerun: the sidebar read once, the seed parsed once, however many pages and links ask
        assert not at.exception and (len(reads), len(seeds)) == (1, 1), (page, len(reads), len(seeds))
    at = _open("points_gan_training")
    sidebar = at.session_state["sidebar_now"]
    assert sidebar.entry.kind.name == "points" and sidebar.settings == {"target": "ring8", "seed": 1}
    at.text_input(key="w_seed").set_value("5").run()
    assert at.session_state["sidebar_now"].seed == 5 and at.session_state["sidebar_now"] is not sidebar
    at.text_input(key="w_seed").set_value("1e12").run()  # refused at the Seed: the page trains on nothing
    assert at.session_state["sidebar_now"].seed == 1 and _says(at.sidebar.error, "Seed must be a whole number")


def _declared_type(value, declared) -> bool:
    """Whether `value` is of a session key's declared type (a type, a class's name, or a tuple of them)."""
    kinds = declared if isinstance(declared, tuple) else (declared,)
    names = {c.__name__ for c in type(value).__mro__}
    return any(k in names if isinstance(k, str) else isinstance(value, k) for k in kinds)


def _undeclared(at) -> dict:
    """The session keys an app holds that explorer/session.py does not declare, or not with their value's type."""
    from explorer import session

    out = {}
    for name, value in at.session_state.to_dict().items():
        declared = session.declared(name)
        if not any(_declared_type(value, d.type) for d in declared):
            out[name] = (type(value).__name__, [d.type for d in declared])
    return out


def test_every_session_key_is_declared_in_one_module_with_its_type():
    """explorer/session.py declares every key the app keeps (its name, type and default): a walk through
    the pages, a run, an upload, finds no other key and no value of another type."""
    at = _app("gan_training")
    _set(at, "gan", TINY)
    _click(at, "gan", "Step")
    seen, wrong = set(), {}
    for page in ("gan_training", "compare", "discriminator_lab", "generator_preview", "seed_sweep", "settings_sweep",
                 "home"):
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        seen |= set(at.session_state.to_dict())
        wrong.update(_undeclared(at))
    points = _open("points_gan_training")
    points.selectbox(key="w_points").set_value("csv").run()
    points.file_uploader(key="points_file").set_value(("p.csv", b"x,y\n" + b"1,2\n" * 30, "text/csv")).run()
    seen |= set(points.session_state.to_dict())
    wrong.update(_undeclared(points))
    points.switch_page("app_pages/image_preview.py").run()
    assert not points.exception, points.exception
    seen |= set(points.session_state.to_dict())
    wrong.update(_undeclared(points))
    assert {"page_gan", "w_gan_n_epochs", "btn_gan_Step", "sidebar_now", "kept_runs", "w_seed", "points_uploaded",
            "w_mpreview_source", "compare_runs", "store_keys"} <= seen
    assert wrong == {}
