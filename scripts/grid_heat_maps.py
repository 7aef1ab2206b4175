"""The Settings sweep page's heat map for the default 1-D grid (x²) and the ring-8 grid: each page's
default cells (g_lr × d_lr over 0.0002-0.002, 4 seeds per cell) with its kind's GAN page defaults,
trained in a fresh server and photographed in Chromium at 1280×720 (Playwright element screenshots).

    python scripts/grid_heat_maps.py [--out bench/results] [--only 1d|ring8]

Writes grid_heat_1d.png, grid_heat_ring8.png and each grid's cells (grid_heat_*.csv, from the page's
download) to --out."""
from __future__ import annotations

import argparse
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from app_server import launch_chromium, running_app, wait_idle  # noqa: E402

PAGES = {"1d": "/settings_sweep", "ring8": "/points_settings_sweep"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--only", choices=tuple(PAGES))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = pathlib.Path(args.out)
    with running_app() as (_, url), sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for name, address in PAGES.items():
            if args.only and name != args.only:
                continue
            p = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True).new_page()
            p.goto(url + address)
            p.get_by_role("heading", name="Settings sweep").wait_for(timeout=120_000)
            wait_idle(p)
            start = time.monotonic()
            p.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Train").click()
            p.get_by_text("Run finished at").wait_for(timeout=3_600_000)
            wait_idle(p)
            print(f"{name}: trained in {time.monotonic() - start:.0f} s (click to 'Run finished')", flush=True)
            heat = p.get_by_test_id("stVegaLiteChart").first
            heat.scroll_into_view_if_needed()
            p.mouse.wheel(0, -120)  # clear of the app's header
            heat.screenshot(path=str(out / f"grid_heat_{name}.png"))
            with p.expect_download() as download:
                p.get_by_role("button", name="A row per cell (CSV)").click()
            download.value.save_as(str(out / f"grid_heat_{name}.csv"))
            print((out / f"grid_heat_{name}.csv").read_text(), flush=True)
            p.context.close()
        browser.close()


if __name__ == "__main__":
    main()
