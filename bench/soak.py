"""The soak test: several scripted visitors in Chromium for minutes over every page, on one server.

Each visitor (a process of its own, its own browser) does, at random: trains on a page of every kind
(1-D, 2-D, 1-D samples, MNIST; GAN and discriminator lab), lets it finish or stops it, reloads in the
middle of a run, switches pages by the sidebar, closes its tab and opens a new one, runs a seed sweep
and a settings grid, opens previews and Compare, uploads a good and a bad CSV, and types bad input
(refused settings in links and fields). Then, with every tab closed:

- tracebacks in the server's log (goal 0) and exceptions shown on a page (goal 0);
- runs lost: every run a visitor saw saved (its address's ?run=) must be listed by the store (goal 0);
- the server's memory (RSS) at the start, its peak and at the end;
- the server's CPU use a minute after the last tab closed (goal: idle).

    python bench/soak.py --visitors 4 --minutes 10 > bench/results/soak.txt
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from app_server import cpu_share, launch_chromium, running_app, wait_idle  # noqa: E402

TRAIN = {  # a page and the settings that keep a run short on a loaded machine
    "gan_training": "n_epochs=4000&n_eval=500",
    "discriminator_lab": "n_epochs=1000&n_eval=100",
    "points_gan_training": "n_epochs=4000&n_eval=500",
    "points_discriminator_lab": "n_epochs=1000&n_eval=100",
    "samples_gan_training": "n_epochs=3000&n_eval=500",
    "samples_discriminator_lab": "n_epochs=1000&n_eval=100",
    "mnist_gan_training": "n_epochs=300&n_eval=100",
    "mnist_discriminator_lab": "n_epochs=200&n_eval=50",
}
LOOK = ("", "generator_preview", "points_generator_preview", "samples_generator_preview", "mnist_generator_preview",
        "compare")
BAD_LINKS = ("gan_training?n_batch=abc", "points_gan_training?d_hidden=0", "gan_training?expr=__import__('os')",
             "gan_training?hide=nothing,at,all", "seed_sweep?n_epochs=-5", "gan_training?run=doesnotexist")
GOOD_CSV = "x,y\n" + "\n".join(f"{random.Random(i).gauss(0, 1):.3f},{random.Random(-i).gauss(0, 1):.3f}"
                               for i in range(1, 200))
BAD_CSV = "x,y\n1,2\nthree,4\n"


# ---- one visitor ----------------------------------------------------------------------------------
class Visitor:
    def __init__(self, browser, url, rng, folder):
        self.browser, self.url, self.rng, self.folder = browser, url, rng, folder
        self.runs, self.exceptions, self.timeouts, self.actions, self.errors = set(), 0, 0, {}, []
        self.page = None
        self.new_tab()

    def new_tab(self):
        if self.page is not None:
            self.page.context.close()
        size = self.rng.choice(({"width": 1280, "height": 720}, {"width": 390, "height": 844}))
        self.page = self.browser.new_context(viewport=size).new_page()

    def open(self, path):
        self.page.goto(f"{self.url}/{path}")
        self.page.locator("[data-testid='stApp']").wait_for(timeout=120_000)
        wait_idle(self.page)

    def main(self):
        return self.page.get_by_test_id("stMainBlockContainer")

    def note(self):
        """Keep the run id the address names; count the exceptions the page shows."""
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.page.evaluate("location.href")).query)
        self.runs.update(query.get("run", []))
        self.exceptions += self.page.get_by_test_id("stException").count()

    # the actions
    def train(self):
        page = self.rng.choice(list(TRAIN))
        self.open(f"{page}?{TRAIN[page]}")
        self.main().get_by_role("button", name="Train", exact=True).click()
        time.sleep(self.rng.uniform(2, 20))
        self.note()
        then = self.rng.choice(("wait", "stop", "reload", "switch", "close"))
        if then == "wait":
            self.page.get_by_text("Run finished at").first.wait_for(timeout=240_000)
        elif then == "stop":
            stop = self.main().get_by_role("button", name="Stop", exact=True)
            if stop.count():
                stop.first.click()
        elif then == "reload":
            self.page.reload()
        elif then == "switch":
            self.page.get_by_test_id("stSidebar").get_by_role("link").nth(self.rng.randrange(3)).click()
        else:
            self.new_tab()
            return
        wait_idle(self.page, timeout=240_000)
        self.note()

    def seeds_and_train(self, path, label, seeds):
        """A sweep's page: its seeds typed into the field named `label`, then Train, and a while watching."""
        self.open(path)
        field = self.page.locator(f"input[aria-label='{label}']")
        field.fill(str(seeds))
        field.press("Enter")
        wait_idle(self.page)
        self.main().get_by_role("button", name="Train", exact=True).click()
        time.sleep(self.rng.uniform(5, 30))
        self.note()

    def sweep(self):  # 999 and x: refused at the field
        self.seeds_and_train("seed_sweep?n_epochs=2000&n_eval=500", "Seeds (2 to 64)",
                             self.rng.choice((2, 4, 8, 999, "x")))

    def grid(self):
        self.seeds_and_train("settings_sweep?n_epochs=1000&n_eval=500&n_batch=64", "Seeds per cell (1 to 64)", 1)

    def look(self):
        self.open(self.rng.choice(LOOK))
        self.note()

    def bad_link(self):
        self.open(self.rng.choice(BAD_LINKS))
        self.note()

    def upload(self):
        self.open("points_gan_training?target=csv")
        path = os.path.join(self.folder, f"points{self.rng.randrange(10**6)}.csv")
        with open(path, "w") as f:
            f.write(self.rng.choice((GOOD_CSV, BAD_CSV)))
        uploader = self.page.locator("input[type=file]")
        if uploader.count():
            uploader.first.set_input_files(path)
            wait_idle(self.page)
        self.note()

    def run(self, seconds):
        actions = {self.train: 5, self.sweep: 1, self.grid: 1, self.look: 2, self.bad_link: 1, self.upload: 1}
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            action = self.rng.choices(list(actions), weights=list(actions.values()))[0]
            name = action.__name__
            self.actions[name] = self.actions.get(name, 0) + 1
            try:
                action()
            except Exception as err:  # a timeout on a loaded machine: counted, and the visitor goes on
                if "Timeout" in type(err).__name__:
                    self.timeouts += 1
                else:  # the script's own mistake, or the page went away under it: said, and on
                    self.errors.append(f"{name}: {str(err).splitlines()[0][:200]}")
                self.new_tab()
        self.page.context.close()


def visit(url, seconds, seed, out):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as folder:
        browser = launch_chromium(playwright)
        visitor = Visitor(browser, url, random.Random(seed), folder)
        visitor.run(seconds)
        browser.close()
    with open(out, "w") as f:
        json.dump({"runs": sorted(visitor.runs), "exceptions": visitor.exceptions, "timeouts": visitor.timeouts,
                   "actions": visitor.actions, "errors": visitor.errors}, f)


# ---- the server and its visitors ----------------------------------------------------------------------
def rss_mb(pid) -> float:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=4)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--visit", nargs=4, metavar=("URL", "SECONDS", "SEED", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.visit:
        url, seconds, seed, out = args.visit
        visit(url, float(seconds), int(seed), out)
        return 0
    from gan_core.keeping.store import Store

    with tempfile.TemporaryDirectory() as folder:
        os.environ["GAN_EXPLORER_STORE"] = store_folder = os.path.join(folder, "store")
        log = os.path.join(folder, "server.log")
        with running_app(log) as (proc, url):
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:  # the first page: the server's memory as a visitor finds it
                browser = launch_chromium(playwright)
                page = browser.new_page()
                page.goto(url)
                wait_idle(page)
                browser.close()
            start_mb, peak_mb, t0 = rss_mb(proc.pid), 0.0, time.monotonic()
            outs = [os.path.join(folder, f"visitor{i}.json") for i in range(args.visitors)]
            visitors = [subprocess.Popen([sys.executable, __file__, "--visit", url, str(args.minutes * 60), str(i), out],
                                         cwd=ROOT) for i, out in enumerate(outs)]
            while any(v.poll() is None for v in visitors):
                peak_mb = max(peak_mb, rss_mb(proc.pid))
                time.sleep(5)
            closed_after = time.monotonic() - t0
            end_mb = rss_mb(proc.pid)
            time.sleep(60)
            idle_cores = cpu_share(proc.pid, 10)
            after_mb = rss_mb(proc.pid)
        results = [json.load(open(out)) if os.path.exists(out) else None for out in outs]
        with open(log, errors="replace") as f:
            text = f.read()
        tracebacks = text.count("Traceback (most recent call last)")
        listed = {r.id for r in Store(store_folder).list()}
        seen = set().union(*(r["runs"] for r in results if r))
        lost = sorted(seen - listed)
        actions = {}
        for r in results:
            for name, n in (r or {}).get("actions", {}).items():
                actions[name] = actions.get(name, 0) + n
        print(f"{args.visitors} visitors × {args.minutes:g} min; all tabs closed after {closed_after:.0f} s")
        print(f"visitors that failed: {sum(r is None for r in results)}; actions: {actions}")
        print(f"timeouts (visitor waits past their limit on this machine): {sum(r['timeouts'] for r in results if r)}")
        errors = [e for r in results if r for e in r["errors"]]
        print(f"visitor script errors: {len(errors)} {errors[:5] or ''}")
        print(f"tracebacks in the server's log: {tracebacks}")
        print(f"exceptions shown on pages: {sum(r['exceptions'] for r in results if r)}")
        print(f"runs seen saved: {len(seen)}; listed by the store: {len(listed)}; lost: {len(lost)} {lost or ''}")
        print(f"server memory: {start_mb:.0f} MB at the start, peak {peak_mb:.0f} MB, {end_mb:.0f} MB when the last "
              f"tab closed, {after_mb:.0f} MB a minute later")
        print(f"server CPU a minute after the last tab closed: {idle_cores:.3f} cores")
        if tracebacks:
            at = text.index("Traceback (most recent call last)")
            print("first traceback:\n" + text[at:at + 3000])
        return 1 if tracebacks or lost or any(r is None for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
