"""A restarted app server and the persistent compile cache (issue 24): a fresh `streamlit run`
whose first visitor opens the 1-D GAN page and presses Train at once (before the server's
background warm-up could finish), timed from the click (its event in the page) to the first live chart
in Chromium. Three
servers in turn: the cache off, a new cache folder (this server fills it), and a restart on
that filled folder. Repeated --repeats times, interleaved; medians reported.

    python bench/cache_server.py [--repeats 3] [--page seed_sweep]

Each figure comes with its breakdown: when the page first showed the progress line (the click's
script run and the worker's start), a trained iteration (the first compiled step: tracing, compiling
or loading from the cache), the first check-in's iteration (n_eval 200), and the first chart.
"""
from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from app_server import launch_chromium, running_app, wait_idle  # noqa: E402


# what the page shows after the click, in order (polled every 20 ms; the progress line redraws every 0.4 s)
STAGES = ("progress line", "first step done", "first check-in in", "first chart")
LIVE = "'[data-testid=stVegaLiteChart]:not(.st-key-real_data *)'"  # not the real data's chart before a run
WATCH = """() => {
  const bar = document.querySelector('[data-testid=stProgress]');
  const text = bar ? bar.innerText : null;
  const done = text ? parseInt((text.match(/^([\\d,]+) \\//) || ['', '0'])[1].replace(/,/g, '')) : null;
  return [text !== null, done !== null && done > 0, done !== null && done >= 200,
          document.querySelectorAll(LIVE).length > 0];
}""".replace("LIVE", LIVE)


def first_chart(playwright, cache: str, stages: dict | None = None, address: str = "gan_training") -> float:
    """Seconds from the click to the first chart; `stages` gets the second at which each of STAGES was
    first seen (a breakdown: the click's script run, the first compiled step, the first check-in, the
    charts' drawing)."""
    os.environ["GAN_EXPLORER_CACHE"] = cache
    with running_app() as (_, url):
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"{url}/{address}", timeout=600_000)
        wait_idle(page, timeout=600_000)  # a loaded machine's first page
        seen = {}
        # timed from the click's own event in the page: Playwright's click() waits first while the browser is
        # busy (still drawing the page just loaded), which no visitor's click waits for
        page.evaluate("() => document.addEventListener('pointerdown', () => window.clickedAt = "
                      "performance.timeOrigin + performance.now(), {capture: true, once: true})")
        page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Train", exact=True).click()
        start = time.perf_counter() - (time.time() - page.evaluate("() => window.clickedAt") / 1000)
        while len(seen) < len(STAGES) and time.perf_counter() - start < 180:
            shown_now = page.evaluate(WATCH)  # (a busy page answers late: the time is taken after its answer)
            now = time.perf_counter() - start
            for stage, shown in zip(STAGES, shown_now):
                if shown:
                    seen.setdefault(stage, now)
            page.wait_for_timeout(20)
        page.wait_for_function(f"() => document.querySelectorAll({LIVE}).length > 0", timeout=180_000)
        seconds = time.perf_counter() - start
        browser.close()
    if stages is not None:
        for stage in STAGES:  # a stage passed between two polls: the next one's time
            stages.setdefault(stage, []).append(min([seen.get(s, seconds) for s in STAGES[STAGES.index(stage):]]))
    return seconds


def main():
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--page", default="gan_training", help="its address: seed_sweep, points_gan_training, ...")
    args = parser.parse_args()
    figures = {"cache off": [], "new cache (fills it)": [], "restarted, cache filled": []}
    stages = {name: {} for name in figures}
    with sync_playwright() as p:
        for _ in range(args.repeats):
            with tempfile.TemporaryDirectory() as folder:  # off, then a new cache, then a restart on it
                for name, cache in zip(figures, ("off", folder, folder)):
                    figures[name].append(first_chart(p, cache, stages[name], args.page))
    off = statistics.median(figures["cache off"])
    print(f"first visitor's click to first chart on a fresh server ({args.page}, median of {args.repeats}; "
          f"load average {os.getloadavg()[0]:.1f}):")
    for name, values in figures.items():
        median = statistics.median(values)
        print(f"  {name:24s} {median:5.2f} s ({median / off:.2f}x the cache off)  {[round(v, 2) for v in values]}")
    print("where the time goes (median second at which the page first showed each stage; its share of the whole):")
    for name, seen in stages.items():
        at = [statistics.median(seen[stage]) for stage in STAGES]
        parts = [b - a for a, b in zip([0.0, *at], at)]
        print(f"  {name:24s} " + "; ".join(f"{stage} {t:.2f} s (+{part:.2f}, {part / at[-1]:.0%})"
                                            for stage, t, part in zip(STAGES, at, parts)))


if __name__ == "__main__":
    main()
