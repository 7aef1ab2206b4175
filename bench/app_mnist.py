"""What a visitor sees on the MNIST GAN training page (default settings) in a real headless
Chromium at 1280x720, on a warm server (its background compile of the default steps done).

Default run (2,000 iterations, a check-in every 100), from the main block's Train click:
the seconds to the first generated digit grid ([data-testid=stImage] img); the classifier
score and the iteration shown, sampled every ~2 s, read at 30 s, 60 s and at "Run finished"
(with its time; a run that ended sooner shows its final score at 60 s); whether all ten digits
are present at the end. Screenshots at ~15, ~30 and ~60 s (if still training) and at the end
(the whole page) under bench/results/app_mnist/.

--long S: a second visit opened with ?n_epochs=8000 (a link sets it): the score shown at
30, 60, 120 and 180 s (those of them <= S) after Train, then Stop at S + 5 s (unless it
finished); a screenshot at S s.

    python bench/app_mnist.py [--long 180] [--n-epochs N]

--n-epochs opens the default run with ?n_epochs=N (a quick smoke test: --n-epochs 300 --long 0).
The table is printed and appended to bench/results/app_mnist.txt.
"""
from __future__ import annotations

import argparse
import datetime
import pathlib
import re
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from app_server import launch_chromium, running_app, wait_idle  # noqa: E402

from gan_core.judging.metrics import DIGIT_SCORE_LABELS  # noqa: E402

RESULTS = ROOT / "bench" / "results"
SHOTS = RESULTS / "app_mnist"
WARM_UP_S = 20  # explorer/server.py compiles the default 1-D/2-D steps after the first page
SAMPLE_S = 2.0

# everything a visitor reads off the page at one moment, in one round trip
READ = """labels => {
  const main = document.querySelector('[data-testid=stMainBlockContainer]');
  const metric = label => { const m = [...main.querySelectorAll('[data-testid=stMetric]')].find(
      e => e.querySelector('[data-testid=stMetricLabel]')?.innerText.trim() === label);
    return m ? m.querySelector('[data-testid=stMetricValue]').innerText.trim() : null };
  const bar = main.querySelector('[data-testid=stProgress]');
  const grid = main.querySelector('[data-testid=stImage]');
  const finished = (main.innerText.match(/Run finished at [^;\\n]*/) || [null])[0];
  return {score: metric(labels[0]), present: metric(labels[1]), progress: bar ? bar.innerText.trim() : null,
          grid: grid ? grid.innerText.trim() : null, finished,
          errors: main.querySelectorAll('[data-testid=stException]').length};
}"""
LABELS = [DIGIT_SCORE_LABELS["classifier_score"], DIGIT_SCORE_LABELS["digits_present"]]


def iteration(sample) -> str:
    """The iteration the page shows: the progress bar's, else the grid caption's."""
    for text in (sample["progress"], sample["grid"], sample["finished"]):
        if text and (m := re.search(r"([0-9][0-9,]*)", text)):
            return m[1]
    return "-"


def open_page(browser, url, query=""):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{url}/mnist_gan_training{query}")
    wait_idle(page)
    page.get_by_text("GAN training · MNIST digits").wait_for(timeout=60_000)
    return page


def shot(page, name, full=False):
    """The viewport with the digit grid in its middle; `full`: the whole page (Streamlit scrolls
    inside stMain, so a full_page screenshot is one viewport: make the viewport as tall as the page)."""
    page.mouse.move(640, 710)  # off the buttons: no tooltip in the picture
    if full:
        height = page.evaluate("() => document.querySelector('[data-testid=stMainBlockContainer]').scrollHeight")
        page.set_viewport_size({"width": 1280, "height": min(height + 150, 6000)})
        page.wait_for_timeout(1500)  # the charts redraw at the new size
        page.screenshot(path=str(SHOTS / name))
        page.set_viewport_size({"width": 1280, "height": 720})
    else:
        page.locator("[data-testid=stImage]").first.evaluate("e => e.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(SHOTS / name))


def watch(page, stop_after=None, shots=None):
    """Click Train; sample every ~2 s until "Run finished" (or Stop at `stop_after` s).
    Returns (seconds to the first grid, samples as (t, dict))."""
    shots = dict(shots or {})
    page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Train", exact=True).click()
    start = time.perf_counter()
    page.mouse.move(640, 710)  # off the button: its tooltip would cover the page
    page.wait_for_selector("[data-testid=stMainBlockContainer] [data-testid=stImage] img", timeout=300_000)
    first_grid = time.perf_counter() - start
    samples = []
    while True:
        t = time.perf_counter() - start
        sample = page.evaluate(READ, LABELS)
        samples.append((t, sample))
        print(f"  {t:6.1f} s  iteration {iteration(sample):>6}  score {sample['score']}  "
              f"present {sample['present']}", flush=True)
        for due in sorted(shots):
            if t >= due:
                shot(page, shots.pop(due))
        if sample["finished"]:
            break
        if stop_after is not None and t >= stop_after:
            sample["stopped"] = True
            page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Stop", exact=True).click()
            break
        time.sleep(max(0.0, SAMPLE_S - (time.perf_counter() - start - t)))
    return first_grid, samples


def shown_at(samples, seconds):
    """The last sample at or before `seconds` after the click."""
    before = [(t, s) for t, s in samples if t <= seconds]
    return before[-1] if before else None


def row(samples, seconds):
    end_t, end = samples[-1]
    if seconds > end_t + SAMPLE_S:  # the run ended (or was stopped) before: the page still shows its end
        if not end["finished"]:
            return f"  {seconds:>4} s: (not reached)"
        t, s = end_t, end
        note = f"run finished at {end_t:.1f} s: its final score"
    else:
        t, s = shown_at(samples, seconds)
        note = f"read at {t:.1f} s"
    return f"  {seconds:>4} s: score {s['score'] or '-':>5}  at iteration {iteration(s):>6}  ({note})"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--long", type=int, default=180, metavar="S", help="seconds of the ?n_epochs=8000 run (0: none)")
    parser.add_argument("--n-epochs", type=int, default=0, help="open the default run with ?n_epochs=N")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    query = f"?n_epochs={args.n_epochs}" if args.n_epochs else ""
    lines = []
    with running_app() as (proc, url), sync_playwright() as p:
        browser = launch_chromium(p)
        page = open_page(browser, url, query)
        time.sleep(WARM_UP_S)  # a warm server, as a visitor finds a deployed one
        print(f"default run /mnist_gan_training{query}:", flush=True)
        first_grid, samples = watch(page, shots={15: "default_15s.png", 30: "default_30s.png", 60: "default_60s.png"})
        wait_idle(page, timeout=60_000)
        shot(page, "default_end.png", full=True)
        end_t, end = samples[-1]
        lines += [f"default run (/mnist_gan_training{query}), 1280x720",
                  f"  click to first digit grid: {first_grid:.1f} s",
                  row(samples, 30), row(samples, 60),
                  f"   end: score {end['score']}  digits present {end['present']}  {end['finished']} "
                  f"(seen at {end_t:.1f} s after the click)",
                  f"  exceptions on the page: {end['errors']}"]
        page.close()
        if args.long:
            page = open_page(browser, url, "?n_epochs=8000")
            print("long run /mnist_gan_training?n_epochs=8000:", flush=True)
            first_grid, samples = watch(page, stop_after=args.long + 5,
                                        shots={args.long: f"long_{args.long}s.png"})
            lines += ["long run (/mnist_gan_training?n_epochs=8000)",
                      f"  click to first digit grid: {first_grid:.1f} s",
                      *(row(samples, s) for s in (30, 60, 120, 180) if s <= args.long + 5),
                      f"  last read at {samples[-1][0]:.1f} s: score {samples[-1][1]['score']}, digits present "
                      f"{samples[-1][1]['present']}, iteration {iteration(samples[-1][1])}; "
                      + ("then Stop" if samples[-1][1].get("stopped") else samples[-1][1]["finished"])]
        browser.close()
    table = "\n".join(lines)
    print(table)
    command = "python bench/app_mnist.py " + " ".join(sys.argv[1:])
    with open(RESULTS / "app_mnist.txt", "a") as f:
        f.write(f"\n## {datetime.date.today().isoformat()}  `{command.strip()}`\n{table}\n")


if __name__ == "__main__":
    main()
