"""Drawing your own points (explorer/drawing.py): a click on the plane drops a blob there."""
import numpy as np
import pytest

from explorer.drawing import PER_CLICK, add


def test_a_click_drops_a_blob_of_points_around_it():
    rng = np.random.default_rng(0)
    points = add(np.zeros((0, 2), np.float32), {"place": [{"x": 1.0, "y": -0.5}]}, 0.05, rng)
    assert points.shape == (PER_CLICK, 2) and np.allclose(points.mean(axis=0), [1.0, -0.5], atol=0.05)
    assert 0.02 < points.std(axis=0).mean() < 0.08
    more = add(points, {"place": [{"x": -1.0, "y": 1.0}]}, 0.2, rng)
    assert len(more) == 2 * PER_CLICK and np.array_equal(more[:PER_CLICK], points)
    assert add(more, {}, 0.2, rng) is more  # no selection: nothing drawn


@pytest.mark.parametrize("spread", [0, -1, 2, float("nan"), "0.1"])
def test_a_bad_spread_is_refused(spread):
    with pytest.raises(ValueError, match="spread must be a number above 0 and at most 1"):
        add(np.zeros((0, 2), np.float32), {"place": [{"x": 0, "y": 0}]}, spread, np.random.default_rng(0))


def test_drawn_points_download_as_a_csv_that_reads_back_exactly():
    from gan_core.data.points import points_csv, read_points_csv

    points = add(np.zeros((0, 2), np.float32), {"place": [{"x": 0.3, "y": -1.2}]}, 0.1, np.random.default_rng(4))
    data = points_csv(points)
    assert data.startswith(b"x,y\n") and np.array_equal(read_points_csv(data), points)
    line = np.linspace(-1, 1, 40, dtype=np.float32)[:, None]
    assert np.array_equal(read_points_csv(points_csv(line), columns=1), line)
