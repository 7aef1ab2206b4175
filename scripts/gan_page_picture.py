"""The README's and the home page's picture of the GAN training page: start the app, train x² with the
page's defaults in Debian's Chromium, and save the main area after the run as docs/gan_page.png
(a 128-colour PNG, about 100 KB). Run from the repository root: python scripts/gan_page_picture.py"""
from __future__ import annotations

import io
import sys
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from app_server import launch_chromium, running_app, wait_idle  # noqa: E402


def main(out: pathlib.Path = ROOT / "docs" / "gan_page.png") -> None:
    from PIL import Image, ImageChops
    from playwright.sync_api import sync_playwright

    with running_app() as (_, url), sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 1480})
        page.goto(url + "/gan_training")
        wait_idle(page)
        page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Train", exact=True).click()
        page.get_by_text("Run finished at 10,000 of 10,000 iterations").wait_for(timeout=300_000)
        wait_idle(page)
        page.wait_for_function("() => document.querySelectorAll('[data-testid=stVegaLiteChart]').length >= 4")
        page.mouse.move(0, 0)
        shot = page.get_by_test_id("stMainBlockContainer").screenshot()
        browser.close()
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    ink = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()  # no white margins
    image = image.crop((max(ink[0] - 16, 0), max(ink[1] - 16, 0), min(ink[2] + 16, image.width),
                        min(ink[3] + 16, image.height)))
    image = image.resize((image.width * 3 // 4, image.height * 3 // 4), Image.LANCZOS)
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(out, optimize=True)
    print(f"{out}: {image.width}x{image.height}, {out.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
