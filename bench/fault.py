"""The fault test: kill -9 the app server while its runs are being saved, start it again.

Each cycle starts `streamlit run` on one run store (GAN_EXPLORER_STORE), opens two tabs in Chromium
(a long 1-D GAN and a long MNIST GAN, whose 3 MB bundles take the longest to write), presses Train in
both, waits until both have been saved at least once, then kills the server with SIGKILL at a random
moment (the Autosaver saves every ~10 s: some kills land mid-save). After each kill the store is opened
in this process: it must list every run that ever had a save seen, each bundle must load, and each
run must keep at least the iteration last seen in the index (a kill loses at most the iterations since
the last save). The last cycle's restarted server must list the runs on its Compare page.

    python bench/fault.py --cycles 6 > bench/results/fault.txt
"""
from __future__ import annotations

import argparse
import os
import pathlib
import random
import re
import signal
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from app_server import launch_chromium, running_app, wait_idle  # noqa: E402

PAGES = ("gan_training?n_epochs=1000000&n_eval=200", "mnist_gan_training?n_epochs=1000000&n_eval=100")


def seen(store) -> dict:
    """id -> iteration of every run the index lists now."""
    return {r.id: r.iteration for r in store.list()}


def cycle(store, folder, rng, last: dict, log, pages=PAGES) -> dict:
    """One server life: two runs train and save, then kill -9 at a random moment. Returns what the index
    listed just before the kill."""
    from playwright.sync_api import sync_playwright

    os.environ["GAN_EXPLORER_STORE"] = folder
    with running_app(log) as (proc, url), sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for page in pages:
            p = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
            p.goto(f"{url}/{page}")
            p.get_by_role("button", name="Train").first.wait_for(timeout=120_000)
            wait_idle(p)
            p.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Train").click()
        before = set(last)
        t0 = time.monotonic()
        while len(set(seen(store)) - before) < len(pages):  # both new runs saved once
            if time.monotonic() - t0 > 240:
                raise RuntimeError("the runs were not saved within 240 s")
            time.sleep(0.5)
        time.sleep(rng.uniform(0, 12))  # anywhere in the next save's period
        listed = seen(store)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        browser.close()
    return listed


def check(store, expected: dict) -> list[str]:
    """What the store lost: runs not listed, bundles that do not load, iterations gone back."""
    from gan_core.keeping.store import StoreError

    listing = store.list()
    now = {r.id: r for r in listing}
    problems = list(listing.problems)
    for run_id, iteration in expected.items():
        if run_id not in now:
            problems.append(f"run {run_id} lost")
            continue
        if now[run_id].iteration < iteration:
            problems.append(f"run {run_id} went back from {iteration} to {now[run_id].iteration}")
        try:
            run = store.load(run_id)
        except StoreError as err:
            problems.append(str(err))
            continue
        if run.iteration != now[run_id].iteration:
            problems.append(f"run {run_id}: bundle at {run.iteration}, index at {now[run_id].iteration}")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=6)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    from gan_core.keeping.store import Store

    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        store, expected, failures = Store(folder), {}, 0
        for i in range(args.cycles):
            t0 = time.monotonic()
            listed = cycle(store, folder, rng, expected, os.path.join(folder, f"server{i}.log"))
            expected.update(listed)
            problems = check(store, expected)
            failures += bool(problems)
            print(f"cycle {i + 1}: killed after {time.monotonic() - t0:.0f} s; runs listed {len(store.list())} "
                  f"(expected {len(expected)}); problems: {'; '.join(problems) or 'none'}", flush=True)
        # the restarted server's Compare page lists them all
        from playwright.sync_api import sync_playwright

        with running_app(os.path.join(folder, "last.log")) as (_, url), sync_playwright() as playwright:
            p = launch_chromium(playwright).new_page()
            p.goto(f"{url}/compare")
            wait_idle(p)
            text = p.get_by_text(re.compile(r"^Stored runs \(\d+\)")).first.inner_text()
        print(f"restarted server's Compare page: {text.split(':')[0]} (expected {len(expected)}); states: "
              f"{', '.join(sorted(r.state for r in store.list()))}")
        failures += f"Stored runs ({len(expected)})" not in text
        print(f"{args.cycles} kills, {len(expected)} runs: {'nothing lost' if not failures else f'{failures} failures'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
