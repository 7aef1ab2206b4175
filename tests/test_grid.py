"""Settings grids (gan_core/training/grid.py), locally and on a local Ray (gan_core/training/ray_grid.py), the CLI's
`sweep --grid`, and the Settings sweep page."""
import dataclasses
import sys
import time

import numpy as np
import pandas as pd
import pytest
import tensorflow as tf

from gan_core import Config
from gan_core.cli.main import main
from gan_core.judging.judgement import succeeded
from gan_core.training.grid import MAX_RUNS, Grid, GridError, log_range, parse_axis

TINY = Config(n_epochs=200, n_eval=100, n_batch=32, seed=3)


@pytest.fixture(scope="module")
def ray_cluster():
    """One local Ray for the module (it takes several seconds to start on 2 cores)."""
    from gan_core.training.ray_grid import RayCluster

    cluster = RayCluster("local")
    yield cluster
    cluster.shutdown()


def _rows(checkpoint):
    return [{k: v for k, v in e.row().items() if k != "seconds"} for e in checkpoint.fields["history"]]


@pytest.mark.slow
def test_a_grid_on_a_local_ray_is_the_local_grid_bit_for_bit(ray_cluster, tmp_path, capsys):
    axes = [parse_axis("g_lr=0.0005,0.002"), parse_axis("d_hidden=8;16,8")]  # a learning rate and a shape
    local = Grid(TINY, axes, 2)
    on_ray = Grid(TINY, axes, 2, ray=ray_cluster)
    assert len(local.groups) == 2 and len(local.tasks) == 2  # d_hidden makes the groups; g_lr shares a step
    for grid in (local, on_ray):
        for _ in grid.train():
            pass
    assert local.runs == on_ray.runs == 8
    for m in range(local.runs):
        a, b = local.checkpoint(m), on_ray.checkpoint(m)
        assert all(np.array_equal(x, y) for x, y in zip(tf.nest.flatten(a.state), tf.nest.flatten(b.state)))
        assert _rows(a) == _rows(b) and len(_rows(a)) == 2
    pd.testing.assert_frame_equal(local.summary().drop(columns="seconds"), on_ray.summary().drop(columns="seconds"))
    # the CLI: the same summary in this process and on the (running) local Ray; the same shapes (compiled)
    flags = ["sweep", "--grid", "g_lr=0.001,0.002", "--grid", "d_hidden=8;16,8", "--seeds", "2", "--seed", "3",
             "--n-epochs", "200", "--n-eval", "100", "--n-batch", "32"]
    assert main([*flags, "--out", str(tmp_path / "here")]) == 0
    assert main([*flags, "--ray", "local", "--out", str(tmp_path / "ray")]) == 0
    assert "on Ray (local" in capsys.readouterr().out
    here, there = (pd.read_csv(tmp_path / where / "summary.csv").drop(columns="seconds") for where in ("here", "ray"))
    pd.testing.assert_frame_equal(here, there)


@pytest.mark.slow
def test_the_cli_writes_a_row_per_cell_and_seed_and_a_row_per_cell(tmp_path, monkeypatch):
    from gan_core.keeping.store import Store

    monkeypatch.setenv("GAN_EXPLORER_STORE", str(tmp_path / "store"))
    assert main(["sweep", "--grid", "g_lr=log:0.0005:0.002:3", "--grid", "d_hidden=8;16,8", "--seeds", "2",
                 "--n-epochs", "200", "--n-eval", "100", "--n-batch", "32", "--out", str(tmp_path)]) == 0
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert list(summary.columns[:4]) == ["cell", "g_lr", "d_hidden", "seed"] and {"success", "alarms"} <= set(summary)
    assert len(summary) == 12 and set(summary.g_lr) == {0.0005, 0.001, 0.002} and set(summary.seed) == {1, 2}
    assert set(summary.iteration) == {200}
    grid = pd.read_csv(tmp_path / "grid.csv")
    assert len(grid) == 6 and list(grid.columns[1:3]) == ["g_lr", "d_hidden"] and grid.best.sum() == 1
    share = summary.groupby("cell").success.mean()
    np.testing.assert_allclose(grid.share_worked, share.loc[grid.cell])
    np.testing.assert_allclose(grid.median_curve_error, summary.groupby("cell").curve_error.median().loc[grid.cell])
    history = pd.read_csv(tmp_path / "history.csv")
    assert len(history) == 24 and set(history.iteration) == {100, 200}
    stored = Store().list()  # each cell's seeds' runs are in the run store, as a seed sweep's
    assert len(stored) == 12 and all(r.note.startswith("seed ") and "of a grid" in r.note for r in stored)
    run = Store().load(next(r.id for r in stored if r.note == "seed 2 of cell g_lr 0.002, d_hidden 16,8 of a grid"))
    row = summary[(summary.g_lr == 0.002) & (summary.d_hidden == "16,8") & (summary.seed == 2)]
    assert run.config.g_lr == 0.002 and run.config.d_hidden == (16, 8) and run.iteration == 200
    assert run.history[-1].acc_real == pytest.approx(float(row.acc_real.iloc[0]), abs=1e-9)


@pytest.mark.slow
def test_a_learning_rate_grid_shares_one_step_and_learns():
    from gan_core.training import steps

    steps._kept.clear()  # a step of its own: earlier tests traced this shape's sweep for other numbers of seeds
    config = Config(n_epochs=6000, n_eval=3000, seed=1)
    grid = Grid(config, [parse_axis("g_lr=0.001,0.02")], 4)  # the tutorial's rate, and 20x it (collapse)
    assert len(grid.groups) == 1 and len(grid.tasks) == 1  # run state only: one stacked sweep
    for _ in grid.train():
        pass
    sweep = grid._sweeps[0]
    assert sweep.steps._sweep_loop.experimental_get_tracing_count() == 1  # one compiled step for the 8 runs
    summary = grid.summary()
    assert [summary.g_lr[summary.cell == c].iloc[0] for c in (0, 1)] == [0.001, 0.02]
    for m, (c, seed) in enumerate(grid.members):  # each run trained on its cell's learning rate
        history, _ = grid.member_history(m)
        assert history[-1].rates["g_lr"] == pytest.approx(grid.cells[c]["g_lr"])
        assert summary.success[m] == succeeded(grid.target, history[-1].metrics)
    cells = grid.cell_frame(summary)
    assert cells.worked[0] > 0 and cells.worked[1] == 0, cells  # the tutorial's rate works on some seeds; 20x never
    assert cells.best[0] and cells["median"][0] < cells["median"][1]


@pytest.mark.slow
def test_a_cells_seed_opens_as_a_run_that_continues():
    grid = Grid(TINY, [parse_axis("g_lr=0.0005,0.002"), parse_axis("n_batch=32,64")], 2)
    while not grid.group_done(0):  # Stop after the first group: it is kept, the second not begun
        grid.advance()
    assert [grid.group_state(g) for g in (0, 1)] == ["done", "waiting"] and not grid.done
    assert len(grid.summary()) == 4 and grid.history[-1].group == 0
    run = grid.run(2, 4)  # g_lr 0.002, n_batch 32, seed 4 (cells: g_lr first, n_batch fastest)
    assert run.config.g_lr == 0.002 and run.config.seed == 4 and run.done
    assert [e.iteration for e in run.history] == [100, 200] and run.history[-1].decision is not None
    assert run.learning_rates()["g_lr"] == pytest.approx(0.002)
    run.n_epochs = 400  # it trains on as an ordinary run, and the same twice over
    again = grid.run(2, 4)
    again.n_epochs = 400
    for each in (run, again):
        for _ in each.train():
            pass
    assert [e.iteration for e in run.history] == [100, 200, 300, 400]
    assert [e.metrics for e in run.history] == [e.metrics for e in again.history]
    for _ in grid.train():  # the grid itself goes on untouched
        pass
    assert grid.done and len(grid.summary()) == 8


def test_bad_grids_are_refused_saying_what_is_allowed(tmp_path, monkeypatch, capsys):
    for text, said in [("bogus=1,2", "may vary latent_dim, g_hidden"),
                       ("seed=1,2", "cannot vary 'seed'"),
                       ("g_lr=0,0.001", "generator learning rate must be a number above 0"),
                       ("g_lr=abc", "must be a number, like 0.001"),
                       ("n_batch=10,000", "write 10000, not 10,000"),
                       ("loss=hinge,nope", "one of bce, lsgan"),
                       ("g_lr=log:0.002:0.0002:4", "0 < LOW < HIGH"),
                       ("d_hidden=25;0", "1 to 4 layer widths"),
                       ("g_lr", "NAME=VALUES")]:
        with pytest.raises(GridError, match=said):
            parse_axis(text)
    with pytest.raises(GridError, match="at most 1,024 runs: 32 cells × 64 seeds is 2,048"):
        Grid(TINY, [parse_axis(f"g_lr=log:0.0001:0.01:{16}"), parse_axis("d_lr=0.001,0.002")], 64)
    assert MAX_RUNS == 1024
    with pytest.raises(GridError, match="The cell n_batch 33 is not a valid setting: n_batch must be even"):
        Grid(TINY, [parse_axis("n_batch=32,33")], 2)
    with pytest.raises(GridError, match="d_steps=2 is not a valid setting|must be 1 with"):
        Grid(Config(loss="wgan-gp"), [parse_axis("d_steps=1,2")], 2)
    assert log_range(0.0002, 0.002, 4) == (0.0002, 0.000431, 0.000928, 0.002)

    def refused(*flags):
        with pytest.raises(SystemExit) as exit_:
            main(["sweep", *flags, "--n-epochs", "20", "--n-eval", "10", "--out", str(tmp_path)])
        assert exit_.value.code == 2
        return capsys.readouterr().err

    assert "may vary" in refused("--grid", "width=1,2")
    assert "both set it" in refused("--grid", "g_lr=0.001,0.002", "--g-lr", "0.001")
    monkeypatch.setitem(sys.modules, "ray", None)  # Ray not installed: a shape-changing grid on Ray is refused
    said = refused("--grid", "d_hidden=8;16", "--ray", "local")
    assert "needs Ray, which is not installed: pip install -r requirements-ray.txt" in said


@pytest.mark.slow
def test_the_settings_sweep_page_trains_a_grid_and_opens_a_cells_seed():
    from test_app import _chart_frames, _click, _open, _page, _says, _set

    at = _open("settings_sweep")
    assert at.selectbox(key="w_grid_axis1").value == "g_lr" and at.selectbox(key="w_grid_axis2").value == "d_lr"
    assert at.text_input(key="w_grid_values1").value == "log:0.0002:0.002:4"
    _set(at, "gan", {"n_epochs": 200, "n_eval": 100, "n_batch": 32})  # the GAN page's widgets, on this page
    at.text_input(key="w_grid_values1").set_value("0.0005,bad").run()
    assert _says(at.error, "g_lr: generator learning rate must be a number, like 0.001 or 1e-3 (got bad).")
    at.selectbox(key="w_grid_axis2").set_value("d_hidden").run()  # a shape: two groups
    assert at.text_input(key="w_grid_values2").value == "25;50"  # suggested from the GAN page's 25
    at.text_input(key="w_grid_values1").set_value("0.0005,0.002")
    at.text_input(key="w_grid_seeds").set_value("2").run()
    assert _says(at.info, "This grid: 4 cells × 2 seeds = **8 runs**, in 2 group(s)")
    _click(at, "grid", "Train")
    grid = _page(at, "grid").run
    assert grid.done and grid.runs == 8 and grid.config.n_batch == 32
    heat = _chart_frames(at)["Share of seeds that worked, per cell"]
    cells = grid.cell_frame()
    assert sorted(heat.x) == ["0.0005", "0.0005", "0.002", "0.002"] and set(heat.y) == {"25", "50"}
    np.testing.assert_allclose(heat.sort_values("cell").worked, cells.worked)
    assert heat.label.str.startswith("★").sum() == 1 and heat.best.sum() == 1
    assert at.metric[0].label == "Runs that worked"
    best = int(cells.cell[cells.best].iloc[0])
    assert at.subheader[0].value == f"The cell {grid.cell_name(grid.cells[best])}"  # the best, until one is clicked
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Grid summary, a row per cell and seed (CSV)", "A row per cell (CSV)"]
    at.selectbox(key="grid_open_seed").set_value(2).run()
    at.button[[b.label for b in at.button].index("Open this seed's run")].click().run()
    assert not at.exception, at.exception
    gan = _page(at, "gan").run
    assert gan.config.seed == 2 and gan.config == grid._config(grid.index(best, 2))
    assert [e.iteration for e in gan.history] == [100, 200]


@pytest.mark.slow
def test_a_grid_in_chromium_draws_its_heat_map_and_a_clicked_cells_seed_opens(tmp_path):
    """In a real browser: a 4×4 learning-rate grid (the page's default cells, one seed each, short runs)
    trains in the server's worker; the heat map is drawn, a click on a cell shows that cell's seeds,
    and a seed opens on the GAN page."""
    from app_server import CHROMIUM, launch_chromium, running_app, wait_idle

    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import expect, sync_playwright

    with running_app(tmp_path / "server.log") as (_, url), sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        p = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        p.goto(url + "/settings_sweep?n_epochs=1000&n_eval=500&n_batch=64")
        p.get_by_role("heading", name="Settings sweep · 1-D function").wait_for(timeout=120_000)
        wait_idle(p)
        seeds = p.locator("input[aria-label='Seeds per cell (1 to 64)']")
        seeds.fill("1")
        seeds.press("Enter")
        wait_idle(p)
        p.get_by_text("16 cells × 1 seed = 16 runs").wait_for(timeout=30_000)
        main = p.get_by_test_id("stMainBlockContainer")
        main.get_by_role("button", name="Train").click()
        p.get_by_text("Run finished at 16,000 of 16,000 iterations").wait_for(timeout=180_000)
        wait_idle(p)
        heat = p.get_by_test_id("stVegaLiteChart").first
        heat.scroll_into_view_if_needed()
        p.mouse.wheel(0, -120)  # clear of the app's header
        heat.screenshot(path=str(tmp_path / "heat.png"))
        cell = p.get_by_role("heading", name="The cell")
        before = cell.inner_text()
        box = heat.bounding_box()
        for fx, fy in ((0.25, 0.5), (0.6, 0.7)):  # two cells far apart: one of them is not the best
            p.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
            # The selection reaches the server a moment after the click: wait for the heading to
            # change, not for the page to be idle (it still is, before the rerun starts).
            try:
                expect(cell).not_to_have_text(before, timeout=20_000)
                break
            except AssertionError:
                continue  # that click hit the best cell
        expect(cell).not_to_have_text(before, timeout=1_000)  # the clicked cell's seeds
        wait_idle(p)
        assert not p.get_by_test_id("stException").count()
        main.get_by_role("button", name="Open this seed's run").click()
        p.wait_for_function("() => location.pathname.endsWith('/gan_training')", timeout=60_000)
        wait_idle(p)
        p.get_by_text("Run finished at 1,000 of 1,000 iterations").wait_for(timeout=60_000)
        assert not p.get_by_test_id("stException").count()
        browser.close()


@pytest.mark.slow
def test_a_stop_on_the_page_keeps_the_finished_groups():
    from test_app import _chart_frames, _click, _open, _page, _set, _until

    at = _open("settings_sweep")
    _set(at, "gan", {"n_epochs": 3000, "n_eval": 1000, "n_batch": 32})
    at.selectbox(key="w_grid_axis1").set_value("d_hidden").run()  # two shapes: two groups, one after the other
    at.text_input(key="w_grid_values1").set_value("8;16")
    at.selectbox(key="w_grid_axis2").set_value("(none)")
    at.text_input(key="w_grid_seeds").set_value("2").run()
    _click(at, "grid", "Train", wait=False)
    grid = _page(at, "grid").run
    _until(lambda: grid.group_done(0), timeout=120)
    _click(at, "grid", "Stop")
    _page(at, "grid").worker.thread.join(120)  # the step under way may be the next group's compile
    at.run()
    assert not _page(at, "grid").training and grid.group_state(0) == "done" and not grid.done
    heat = _chart_frames(at)["Share of seeds that worked, per cell"]
    assert "8" in set(heat.x)  # the finished group's cell is kept and drawn
    assert len(grid.summary()) >= 2 and set(grid.summary().loc[lambda s: s.cell == 0].iteration) == {3000}
    _click(at, "grid", "Resume")  # and the grid goes on to the end
    assert grid.done and len(grid.summary()) == 4


@pytest.mark.slow
def test_a_stopped_grid_on_ray_cancels_its_tasks_and_resumes_them(ray_cluster):
    """Issue 32: Stop on a grid on Ray left its tasks running on the cluster. A pause cancels the tasks
    still out; the next step sends them again and the grid ends as one never stopped."""
    import ray

    from explorer.worker import Worker

    grid = Grid(dataclasses.replace(TINY, n_epochs=4000, n_eval=2000), [parse_axis("g_lr=0.0005,0.002")], 2,
                ray=ray_cluster)
    worker = Worker(grid)
    while not grid._pending:
        time.sleep(0.05)
    out = list(grid._pending)
    worker.stop(wait=30)
    assert worker.state == "stopped" and not grid._pending and not grid.done
    for ref in out:
        with pytest.raises((ray.exceptions.TaskCancelledError, ray.exceptions.WorkerCrashedError)):
            ray.get(ref, timeout=60)
    for _ in grid.train():
        pass
    assert grid.done and len(grid.summary()) == grid.runs == 4
