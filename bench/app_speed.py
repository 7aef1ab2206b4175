"""Does watching slow training down? A 10,000-iteration run with n_eval 200 (50 check-ins) in
the app vs the same run through gan_core alone (target: app <= 1.2x).

The app trains in a worker thread while its live view redraws. AppTest times the click to the
worker's end (no browser: the view is drawn once); --browser times a real headless Chromium
from the Train click to "Run finished", the view redrawing every 0.4 s meanwhile, and the
click to the first chart.

    python bench/app_speed.py [--repeats 3] [--browser] [--points] [--long N [--long-repeats K]]

--long N times an N-iteration run (engine alone, then watched in Chromium) K times: the click
to "Run finished", and the training time itself (the run's seconds inside compiled steps and
check-ins, which the caption shows), with Chromium's CPU. --repeats 0 skips the 10,000-iteration
runs. A 10,000-iteration run now ends before the first chart is drawn, so the long run is
the one that measures what watching costs.

--points does the same on the 2-D GAN page (ring of 8, its default networks). --pin gives the
browser a core of its own, as a visitor's browser on their own machine: the server and the
engine alone on core 0, Chromium on core 1 (taskset), so the ratio is what watching costs the
training, not what Chromium's drawing takes from a shared 2-core machine.
"""
from __future__ import annotations

import argparse
import os
import re
import pathlib
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PIN = "--pin" in sys.argv
if PIN:  # before TensorFlow starts its threads: they inherit the core
    os.sched_setaffinity(0, {0})
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from gan_core import Config, GanRun  # noqa: E402

SETTINGS = {"n_epochs": 10_000, "n_eval": 200}
WARM_UP_S = 15  # explorer/server.py's background compile of the default steps, done before timing
PAGE = {"path": "gan_training", "key": "gan", "config": {}}  # --points: the 2-D page


ENGINE_CPU = []  # CPU seconds of each engine-alone run (all threads of this process)
ENGINE_TRAINING = []  # its run.seconds: time inside compiled steps and check-ins
APP_TRAINING = []  # the same figure of each run in Chromium, from its "…; N s of training." caption


def engine_alone(seed, n_epochs=SETTINGS["n_epochs"]):
    start, cpu = time.perf_counter(), time.process_time()
    run = GanRun(Config(seed=seed, **{**PAGE["config"], **SETTINGS, "n_epochs": n_epochs}))
    list(run.train())
    ENGINE_CPU.append(time.process_time() - cpu)
    ENGINE_TRAINING.append(run.seconds)
    return time.perf_counter() - start


def app_apptest(seed):
    from streamlit.testing.v1 import AppTest

    # no background warm-up compiles in this process: they would run beside the engine-alone runs
    os.environ["GAN_EXPLORER_WARM"] = "0"

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=600)
    at.session_state["w_seed"] = seed
    if PAGE["key"] == "gan":
        at.run()
        at.switch_page("app_pages/gan_training.py").run()
    else:  # opened by its address, as tests/test_app.py's _open does
        from streamlit.util import calc_hash

        at._page_hash = calc_hash(PAGE["path"])
        at.run()
    key = PAGE["key"]
    for field, value in SETTINGS.items():
        at.text_input(key=f"w_{key}_{field}").set_value(str(value))
    at.run()
    start = time.perf_counter()
    at.button(key=f"btn_{key}_Train").click().run()
    page = at.session_state[f"page_{key}"]
    page.worker.thread.join()
    seconds = time.perf_counter() - start
    assert not at.exception and page.run.done
    return seconds


def chromium_cpu() -> float:
    """CPU seconds of every Chromium process now running."""
    from app_server import cpu_seconds

    total = 0.0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as f:
                if "chrom" in f.read():
                    total += cpu_seconds(int(pid))
        except (OSError, IndexError, ValueError):  # a process that ended meanwhile
            pass
    return total


BROWSER_CPU = []  # Chromium's CPU seconds per app run


def app_browser(repeats, n_epochs=SETTINGS["n_epochs"]):
    sys.path.insert(0, str(ROOT / "tests"))
    from playwright.sync_api import sync_playwright

    from app_server import CHROMIUM, cpu_seconds, launch_chromium, running_app, wait_idle

    times, first_chart, server_cpu = [], [], []
    os.environ.pop("GAN_EXPLORER_WARM", None)  # the server warms up as a deployment does
    wrapper = None
    if PIN:  # Chromium (and every process it starts) on core 1
        wrapper = pathlib.Path(tempfile.mkdtemp()) / "chromium-on-core-1"
        wrapper.write_text(f"#!/bin/sh\nexec taskset -c 1 {CHROMIUM} \"$@\"\n")
        wrapper.chmod(0o755)
    with running_app(prefix=("taskset", "-c", "0") if PIN else ()) as (proc, url), sync_playwright() as p:
        browser = launch_chromium(p, executable=str(wrapper) if wrapper else None)
        page = browser.new_page(viewport={"width": 1400, "height": 1800})
        page.goto(f"{url}/{PAGE['path']}?n_epochs={n_epochs}&n_eval={SETTINGS['n_eval']}")  # a link sets them
        wait_idle(page)
        time.sleep(WARM_UP_S)  # the server compiles its default steps after the first page: a warm server
        for _ in range(repeats):
            start, cpu, browser_cpu = time.perf_counter(), cpu_seconds(proc.pid), chromium_cpu()
            page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Train", exact=True).click()
            page.wait_for_selector("[data-testid=stVegaLiteChart]", timeout=120_000)
            first_chart.append(time.perf_counter() - start)
            caption = page.get_by_text(f"Run finished at {n_epochs:,}")
            caption.wait_for(timeout=600_000)
            times.append(time.perf_counter() - start)
            APP_TRAINING.append(float(re.search(r"; ([0-9.]+) s of training", caption.inner_text())[1]))
            server_cpu.append(cpu_seconds(proc.pid) - cpu)
            BROWSER_CPU.append(chromium_cpu() - browser_cpu)
            wait_idle(page)
            page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Reset", exact=True).click()
            wait_idle(page)
        browser.close()
    print(f"click to first chart in Chromium: {statistics.median(first_chart):.2f} s (median of {len(first_chart)})")
    engine_cpu = statistics.median(ENGINE_CPU[-repeats:])  # the engine-alone runs of the same length
    print(f"server CPU per app run: {statistics.median(server_cpu):.2f} s, engine alone: "
          f"{engine_cpu:.2f} s (ratio {statistics.median(server_cpu) / engine_cpu:.2f}x;"
          f" Chromium shares the same 2 cores, which a visitor's own browser would not); Chromium's CPU "
          f"{statistics.median(BROWSER_CPU[-repeats:]):.2f} s")
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--browser", action="store_true")
    parser.add_argument("--long", type=int, default=0, metavar="N", help="also time one N-iteration run in Chromium")
    parser.add_argument("--long-repeats", type=int, default=1, metavar="K", help="time the long run K times")
    parser.add_argument("--points", action="store_true", help="the 2-D GAN page on the ring of 8")
    parser.add_argument("--pin", action="store_true", help="server and engine on core 0, Chromium on core 1")
    args = parser.parse_args()
    if args.points:
        from explorer.experiments import POINTS_NETWORKS

        PAGE.update(path="points_gan_training", key="points_gan", config=POINTS_NETWORKS)
    engine, app = [], []
    engine_alone(99, 400)  # compile the shape's step first: the app's server warms it in the background too
    ENGINE_CPU.clear()
    for seed in range(args.repeats):  # interleaved
        engine.append(engine_alone(seed))
        app.append(app_apptest(seed))
    if args.repeats:
        e, a = statistics.median(engine), statistics.median(app)
        print(f"10,000 iterations, n_eval 200 (50 check-ins), median of {args.repeats}")
        print(f"gan_core alone:        {e:6.2f} s   {engine}")
        print(f"app (AppTest):         {a:6.2f} s   ratio {a / e:.2f}x (target <= 1.2)")
    if args.browser and args.repeats:  # --repeats 0 --long N: the long run only
        b = statistics.median(app_browser(args.repeats))
        print(f"app (real Chromium):   {b:6.2f} s   ratio {b / e:.2f}x  (click to \"Run finished\", "
              f"server in another process; target <= 1.2)")
        print(f"training time (steps and check-ins, the caption's 'N s of training'): engine alone "
              f"{statistics.median(ENGINE_TRAINING[-args.repeats:]):.2f} s, in Chromium "
              f"{statistics.median(APP_TRAINING):.2f} s")
    for _ in range(args.long_repeats if args.long else 0):  # engine alone, then watched in Chromium
        e = engine_alone(0, args.long)
        b = app_browser(1, args.long)[0]
        print(f"{args.long:,} iterations, n_eval 200 ({args.long // 200:,} check-ins): gan_core alone {e:.2f} s, "
              f"real Chromium {b:.2f} s (click to 'Run finished'), ratio {b / e:.2f}x; training time "
              f"{ENGINE_TRAINING[-1]:.2f} s alone, {APP_TRAINING[-1]:.2f} s watched, ratio "
              f"{APP_TRAINING[-1] / ENGINE_TRAINING[-1]:.2f}x", flush=True)


if __name__ == "__main__":
    main()
