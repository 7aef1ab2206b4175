"""The server's resident memory as visitors come and go (issue: it must come back when their
sessions end, to within 15 % of what one visitor costs), and its peak with MNIST.

Starts `streamlit run` (sessions of closed tabs dropped after 5 s instead of 120 s), drives it in
headless Chromium: one visitor trains the default 1-D GAN and leaves; then 10 visitors, one
after another, each train a 1-D run and leave; then one trains the interactive MNIST DCGAN.

    python bench/app_memory.py [--visitors 10]
"""
from __future__ import annotations

import argparse
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402

from app_server import launch_chromium, running_app  # noqa: E402
from app_server import wait_idle as _idle  # noqa: E402

TTL_S = 5


def memory_mb(pid: int) -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status") if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def visit(browser, url, path, finished="Run finished"):
    """One visitor: open a page (a link with its settings), train to the end, close the tab."""
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    page.goto(f"{url}/{path}")
    _idle(page)
    page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Train", exact=True).click()
    page.get_by_text(finished).wait_for(timeout=600_000)
    _idle(page)
    context.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--visitors", type=int, default=10)
    args = parser.parse_args()
    with running_app(options=("--server.disconnectedSessionTTL", str(TTL_S))) as (proc, url), sync_playwright() as p:
        print(f"{'after':<64}{'now MB':>8}{'peak MB':>9}")

        def row(label, wait=0):
            time.sleep(wait)
            now, peak = memory_mb(proc.pid)
            print(f"{label:<64}{now:>8.0f}{peak:>9.0f}", flush=True)
            return now

        browser = launch_chromium(p)
        page = browser.new_page()
        page.goto(url)
        _idle(page)
        start = row("start (home page, TensorFlow not loaded)")
        page.close()
        visit(browser, url, "gan_training")
        one = row("one visitor trained the default 1-D run (10,000 iterations)")
        gone = row(f"... and left ({TTL_S} s session TTL + 10 s)", wait=TTL_S + 10)
        for i in range(args.visitors):
            visit(browser, url, f"gan_training?n_epochs=2000&seed={100 + i}")
        many = row(f"{args.visitors} more visitors came, trained 2,000 iterations each, left", wait=TTL_S + 10)
        cost = one - start
        print(f"one visitor's session: {cost:.0f} MB; after {args.visitors} more came and went: "
              f"{many - gone:+.0f} MB ({(many - gone) / cost:+.0%} of one visitor's cost; goal within 15 %)")
        visit(browser, url, "mnist_gan_training")
        row("one visitor trained the interactive MNIST DCGAN (600 iterations)", wait=TTL_S + 10)
        browser.close()


if __name__ == "__main__":
    main()
