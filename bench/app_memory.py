"""The server's resident memory as visitors come and go (issue 11: it must come back when their
sessions end, to within 10 % of what one visitor costs; a 1-D visitor at most 1 GB in all, MNIST
at most 1.5 GB, as Community Cloud's smaller apps allow).

Starts `streamlit run` (sessions of closed tabs dropped after 5 s instead of 120 s), drives it in
headless Chromium: one visitor trains the default 1-D GAN and leaves; 4 visitors at once train
1-D runs of 4 seeds and leave; 10 visitors, one after another, train a 1-D run each and leave;
one trains the default MNIST DCGAN and leaves.

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


def arrive(browser, url, path):
    """A visitor opens a page (a link with its settings) and clicks Train; their tab."""
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    page.goto(f"{url}/{path}")
    _idle(page)
    page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Train", exact=True).click()
    return context, page


def trained(page, finished="Run finished"):
    page.get_by_text(finished).wait_for(timeout=600_000)
    _idle(page)


def visit(browser, url, path):
    """One visitor: open a page, train to the end, close the tab."""
    context, page = arrive(browser, url, path)
    trained(page)
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
        row("start (home page, TensorFlow not loaded)")
        page.close()
        context, tab = arrive(browser, url, "gan_training")
        trained(tab)
        one = row("one visitor (tab open) trained the default 1-D run (10,000 iterations)")
        context.close()
        row(f"... and left ({TTL_S} s session TTL + 10 s)", wait=TTL_S + 10)
        tabs = [arrive(browser, url, f"gan_training?seed={50 + i}") for i in range(4)]
        for _, tab in tabs:
            trained(tab)
        row("4 visitors at once (tabs open) trained 10,000 iterations each")
        for context, _ in tabs:
            context.close()
        four_gone = row("... and left", wait=TTL_S + 10)
        for i in range(args.visitors):
            visit(browser, url, f"gan_training?n_epochs=2000&seed={100 + i}")
        many = row(f"{args.visitors} more, one after another, trained 2,000 iterations each, left",
                   wait=TTL_S + 10)
        context, tab = arrive(browser, url, "mnist_gan_training")
        trained(tab)
        mnist = row("one visitor (tab open) trained the default MNIST DCGAN")
        context.close()
        mnist_gone = row("... and left", wait=TTL_S + 10)
        browser.close()
        print(f"\nthe server with one 1-D visitor: {one:.0f} MB (goal at most 1,024); with one MNIST visitor: "
              f"{mnist:.0f} MB (goal at most 1,536)")
        for label, now in [("4 visitors at once came and went", four_gone),
                           (f"{args.visitors} more came and went", many), ("the MNIST visitor went", mnist_gone)]:
            print(f"after {label}: {now:.0f} MB, {now / one - 1:+.0%} against the server with one visitor "
                  f"(goal within 10 %)")

if __name__ == "__main__":
    main()
