"""AppTest of the lesson page "Why GANs circle" (app_pages/dirac.py): the plane with the field, both
updates' paths and the equilibrium; the distance chart; the words quoting the computed eigenvalues and
what each path did; a setting changed; a bad value refused at its field; every session key declared."""
import json
import pathlib

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from explorer.text import literal

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def lesson():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    at.switch_page("app_pages/dirac.py").run()
    assert not at.exception, at.exception
    return at


def _charts(at):
    """Each chart on the page as (spec, its datasets' rows together), by its title."""
    import pyarrow as pa

    out = {}
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        frames = [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets]
        if chart.proto.data.data:
            frames.append(pa.ipc.open_stream(chart.proto.data.data).read_all().to_pandas())
        title = spec["title"]["text"] if isinstance(spec["title"], dict) else spec["title"]
        out[title] = (spec, pd.concat(frames, ignore_index=True))
    return out


def _words(at) -> str:
    return " ".join(m.value for m in at.markdown)


def test_the_plane_shows_the_field_both_paths_and_the_equilibrium(lesson):
    charts = _charts(lesson)
    spec, rows = charts["Training's path in the (θ, ψ) plane"]
    assert spec["width"] == spec["height"]  # square
    layers = spec["layer"]
    titles = {layer["encoding"]["x"].get("title") for layer in layers if "title" in layer["encoding"].get("x", {})}
    assert "θ (the generator's point)" in titles
    assert set(rows["update"].dropna()) == {"simultaneous", "alternating"}
    assert "equilibrium (0, 0)" in set(rows["label"].dropna())
    arrows = rows.dropna(subset=["theta2"])
    assert len(arrows.drop_duplicates(["theta", "psi"])) == 15 * 15  # an arrow (and its head) per grid point
    _, distance = charts["Distance to the equilibrium"]
    simultaneous = distance[distance["update"] == "simultaneous"].sort_values("step").distance.to_numpy()
    alternating = distance[distance["update"] == "alternating"].sort_values("step").distance.to_numpy()
    assert simultaneous[-1] > 1.5 * simultaneous[0] and 0.8 < alternating[-1] / alternating[0] < 1.25


def test_the_words_quote_the_computed_eigenvalues(lesson):
    words = _words(lesson)
    assert "**±0.5i**" in words and "purely imaginary" in words
    assert "simultaneous updates **spiral out**" in words and "alternating updates **circle**" in words


def test_r1_converges_and_a_bad_value_is_refused_at_its_field(lesson):
    lesson.selectbox(key="dirac_regularizer").set_value("r1").run()
    assert not lesson.exception
    words = _words(lesson)
    assert "**−0.5 (twice)**" in words and "simultaneous updates **converge**" in words, words
    lesson.text_input(key="dirac_lr").set_value("0").run()
    assert [e.value for e in lesson.error] == [literal("step size (learning rate) must be a number above 0 and at "
                                                       "most 10 (got 0).")]
    assert not _charts(lesson)
    lesson.text_input(key="dirac_lr").set_value("0.2").run()
    lesson.selectbox(key="dirac_regularizer").set_value("none").run()
    assert _charts(lesson) and not lesson.error


def test_every_session_key_of_the_lesson_is_declared(lesson):
    from explorer import session

    for name in lesson.session_state.to_dict():
        if name.startswith("dirac_"):
            assert session.declared(name) == [session.DIRAC], name
