"""A restarted app server and the persistent compile cache (issue 24): a fresh `streamlit run`
whose first visitor opens the 1-D GAN page and presses Train at once (before the server's
background warm-up could finish), timed from the click to the first chart in Chromium. Three
servers in turn: the cache off, a new cache folder (this server fills it), and a restart on
that filled folder. Repeated --repeats times, interleaved; medians reported.

    python bench/cache_server.py [--repeats 3]
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


def first_chart(playwright, cache: str) -> float:
    os.environ["GAN_EXPLORER_CACHE"] = cache
    with running_app() as (_, url):
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"{url}/gan_training")
        wait_idle(page)
        start = time.perf_counter()
        page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Train", exact=True).click()
        page.wait_for_selector("[data-testid=stVegaLiteChart]", timeout=180_000)
        seconds = time.perf_counter() - start
        browser.close()
    return seconds


def main():
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    figures = {"cache off": [], "new cache (fills it)": [], "restarted, cache filled": []}
    with sync_playwright() as p:
        for _ in range(args.repeats):
            figures["cache off"].append(first_chart(p, "off"))
            with tempfile.TemporaryDirectory() as folder:
                figures["new cache (fills it)"].append(first_chart(p, folder))
                figures["restarted, cache filled"].append(first_chart(p, folder))
    off = statistics.median(figures["cache off"])
    print(f"first visitor's click to first chart on a fresh server (1-D GAN page, median of {args.repeats}):")
    for name, values in figures.items():
        median = statistics.median(values)
        print(f"  {name:24s} {median:5.2f} s ({median / off:.2f}x the cache off)  {[round(v, 2) for v in values]}")


if __name__ == "__main__":
    main()
