"""Your images end to end in a real headless Chromium (issue 33): the sidebar's uploaders take pictures the
way a visitor gives them (Playwright's set_input_files: a bad upload, then a whole folder of PNGs made
here), refuse the bad one at the uploader naming its file, show the prepared set before training, and a
tiny GAN run trains through to a grid of generated pictures with its charts."""
import os

import numpy as np
import pytest
from PIL import Image

from app_server import CHROMIUM, ROOT, launch_chromium, running_app
from app_server import wait_idle as _idle

ARTIFACTS = ROOT / "tests" / "artifacts"
N = 20  # pictures in the folder (MIN_IMAGES is 16)

pytestmark = [pytest.mark.slow,  # a real browser: minutes
              pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                 reason="Debian's chromium is not installed (.ci/run installs it)")]


def _folder(path, n=N, side=24):
    """n PNGs of a dark disc or square on white, of random size and place, in a folder of their own."""
    path.mkdir()
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:side, 0:side] + 0.5
    for i in range(n):
        r = rng.uniform(4, 8)
        cy, cx = rng.uniform(r, side - r, 2)
        inside = ((yy - cy) ** 2 + (xx - cx) ** 2 <= r * r) if i % 2 else (abs(yy - cy) <= r) & (abs(xx - cx) <= r)
        Image.fromarray(np.where(inside, 30, 255).astype(np.uint8)).save(path / f"shape_{i:02d}.png")
    return path


def _main(page):
    return page.get_by_test_id("stMainBlockContainer")


def test_a_folder_of_pngs_uploads_and_trains_to_a_grid_and_a_bad_file_is_refused_at_the_uploader(tmp_path):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    folder = _folder(tmp_path / "my_shapes")
    bad = tmp_path / "notes.png"
    bad.write_bytes(b"these are notes, not a picture")
    with running_app(ARTIFACTS / "server_images.log") as (_, url), sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "/images_gan_training?n_epochs=20&n_eval=10&n_batch=16&side=16")
        _idle(page)
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name="your own pictures (files, a folder or a .zip)").click()
        _idle(page)
        # a bad upload: refused at the uploader, naming the file and what is allowed
        files_input = sidebar.locator("[data-testid=stFileUploader] input[type=file]").first
        files_input.set_input_files([*sorted(folder.iterdir())[:N - 1], bad])
        sidebar.get_by_text("notes.png: not a picture PIL can read").wait_for(timeout=60_000)
        assert "Allowed: 16 to 5,000 pictures" in sidebar.inner_text()
        # a whole folder: taken, the prepared set shown before training
        folder_input = sidebar.locator("[data-testid=stFileUploader] input[type=file]").nth(1)
        folder_input.set_input_files(folder)
        sidebar.get_by_text(f"Using {N} pictures from your upload").wait_for(timeout=60_000)
        _idle(page)
        assert sidebar.get_by_text("not a picture PIL can read").count() == 0  # no refusal now: the folder is in use
        _main(page).get_by_text(f"The real pictures as they will train: {N}, 16×16 pixels, 1 channel").wait_for()
        _main(page).get_by_role("button", name="Train", exact=True).click()
        page.get_by_text("Run finished at 20 of 20 iterations").wait_for(timeout=240_000)
        _idle(page)
        assert page.locator("[data-testid=stException]").count() == 0
        assert page.locator("[data-testid=stImage] img").count() >= 3  # the real set, the grid, the memorization pairs
        # the charts mount a moment after the page's last rerun: wait for them, not for an idle page
        page.wait_for_function("() => document.querySelectorAll('[data-testid=stVegaLiteChart]').length >= 4",
                               timeout=60_000)
        assert _main(page).get_by_text("Memorization check: does the GAN copy its training pictures?").count() >= 1
        assert "run=" in page.url and "key=" in page.url
        page.screenshot(path=str(ARTIFACTS / "images_gan_upload.png"), full_page=True)
        browser.close()
