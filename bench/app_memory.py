"""Peak memory of the app's server process with MNIST loaded and training (target: under
1.5 GB, to fit Streamlit Community Cloud).

Starts `streamlit run`, drives it in headless Chromium: 1-D GAN training, then MNIST GAN
training with the interactive preset (600 iterations), then one check-in of the
tutorial's full model; reads the process's peak resident memory (VmHWM) after each.

    python bench/app_memory.py
"""
from __future__ import annotations

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402

from app_server import launch_chromium, running_app  # noqa: E402
from app_server import wait_idle as _idle  # noqa: E402


def peak_mb(pid: int) -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status") if ":" in line)
    return int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024


def main():
    with running_app() as (proc, url), sync_playwright() as p:
        print(f"{'after':<52}{'peak MB':>9}{'now MB':>9}")

        def row(label):
            peak, now = peak_mb(proc.pid)
            print(f"{label:<52}{peak:>9.0f}{now:>9.0f}")

        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        page.goto(f"{url}/gan_training")
        _idle(page)
        row("start (home, no TensorFlow run yet)")
        page.get_by_role("button", name="Train", exact=True).click()
        page.get_by_text("Run finished").wait_for(timeout=300_000)
        _idle(page)
        row("1-D GAN, 10,000 iterations")
        page.get_by_text("MNIST digits").click()
        _idle(page)
        page.get_by_role("button", name="Train", exact=True).click()
        page.get_by_text("Run finished").wait_for(timeout=600_000)
        _idle(page)
        row("MNIST loaded, interactive DCGAN, 600 iterations")
        page.wait_for_timeout(500)
        page.get_by_role("combobox", name="Start from").click()
        page.get_by_text("the tutorial's networks").click()
        _idle(page)
        page.locator("[data-testid=stExpander] summary").first.click()  # the settings fold once a run exists
        page.wait_for_timeout(500)
        page.get_by_role("combobox", name="n_epochs and n_eval count").click()
        page.get_by_role("option", name="iterations").click()
        _idle(page)
        for label, value in (("n_epochs", "4"), ("n_eval", "2")):
            box = page.get_by_label(label, exact=True)
            box.fill(value)
            box.press("Enter")
            _idle(page)
        page.get_by_role("button", name="Train", exact=True).click()
        page.get_by_text("Run finished at 4 of 4").wait_for(timeout=600_000)
        _idle(page)
        row("+ the tutorial DCGAN (1.2M params), 4 batches of 256")
        browser.close()


if __name__ == "__main__":
    main()
