"""End to end in a real headless Chromium (Debian's package, driven by Playwright; never a
browser download): start `streamlit run`, open the pages, click the buttons, and watch the
background worker's run through the page's live view (a fragment rerun every 0.4 s).

What the page shows is timed in the page itself (a MutationObserver logs every progress text
and run caption with performance.now()), and Stop is clicked from JavaScript in the same call
that reads the progress bar, so the figures carry no Playwright round trip."""
import io
import os
import re
import time

import numpy as np
import pandas as pd
import pytest

from app_server import CHROMIUM, ROOT, cpu_share, launch_chromium, running_app
from app_server import wait_idle as _idle
from gan_core.settings.config import Config

ARTIFACTS = ROOT / "tests" / "artifacts"
LIVE_INTERVAL_S = 0.4  # explorer.live.LIVE_INTERVAL_S: the live view's redraw interval
STOP_LATENCY_S = 0.5  # the issue: a Stop is taken within half a second
# On these 2 shared cores (Chromium, the server and the test) a redraw reaches the screen late;
# seen in full test runs: up to 1.24 s of training between the number shown and the stop (0.4 s
# interval + 0.5 s stop + this slack = 1.7 s; the bug this guards against was 2-5 s)
DISPLAY_SLACK_S = 0.8
WINDOW_S = 3.0  # the server's CPU share is measured over windows this long
HISTORY_COLUMNS = ["acc_real", "acc_fake", "d_loss", "g_loss", "curve_error"]

pytestmark = [pytest.mark.slow,  # a real browser: minutes
              pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                 reason="Debian's chromium is not installed (.ci/run installs it)")]


def _report(**figures):
    """Measured figures, printed (pytest -s shows them) and kept in tests/artifacts/figures.txt."""
    line = " ".join(f"{k}={v}" for k, v in figures.items())
    print(line)
    with open(ARTIFACTS / "figures.txt", "a") as f:
        f.write(line + "\n")


@pytest.fixture(scope="module")
def app():
    """(server process, url): one server for the module."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with running_app(ARTIFACTS / "server.log") as (proc, url):
        yield proc, url


@pytest.fixture(scope="module")
def app_url(app):
    return app[1]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "chromium is missing: .ci/run installs Debian's chromium"
    with sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    yield context.new_page()
    context.close()


# ---- the page's own record of what it showed, and when ------------------------------------
WATCH = """() => {
  if (window.gx) return;
  const gx = window.gx = {log: [], iterations: [], captions: {}};
  const look = () => {
    const now = performance.now();
    for (const e of document.querySelectorAll('[data-testid=stProgress]')) {
      const text = e.innerText.trim(), m = text.match(/^([0-9,]+) \\//);
      if (!m) continue;
      const n = Number(m[1].replace(/,/g, '')), last = gx.log[gx.log.length - 1];
      if (!last || last[2] !== text) gx.log.push([now, n, text]);
      if (!gx.iterations.includes(n)) gx.iterations.push(n);
    }
    const main = document.querySelector('[data-testid=stMain]');
    for (const m of (main ? main.textContent : '').matchAll(/Run (stopped|finished|paused) at ([0-9,]+)/g))
      if (!(m[0] in gx.captions)) gx.captions[m[0]] = now;
  };
  new MutationObserver(look).observe(document.body, {subtree: true, childList: true, characterData: true});
  look();
}"""

# click one of the app's buttons (not Streamlit's own Stop in its header) and say what the
# progress bar showed at that moment, and when
CLICK = """name => {
  const main = document.querySelector('[data-testid=stMainBlockContainer]');
  const button = [...main.querySelectorAll('button')].find(b => b.innerText.trim() === name);
  const bar = main.querySelector('[data-testid=stProgress]');
  const shown = bar ? bar.innerText.trim() : '';
  const last = window.gx.log[window.gx.log.length - 1];
  const at = performance.now();
  const disabled = button.disabled;
  button.click();
  return {shown, at, disabled, shown_since: last ? last[0] : null};
}"""


def _open(page, url, path):
    page.goto(url + path)
    _idle(page)
    page.evaluate(WATCH)


def _has_value(locator, value):
    """An input shows `value`. Retried: the page reports its script run finished before the
    browser has drawn every widget, and a number input first shows 0 for a few milliseconds."""
    from playwright.sync_api import expect

    expect(locator).to_have_value(value, timeout=30_000)


def _shot(page, name):
    page.mouse.move(0, 0)  # no button tooltip in the picture
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def _button(page, name):
    return page.get_by_test_id("stMainBlockContainer").get_by_role("button", name=name, exact=True)


def _progress(text):
    """(iteration, n_epochs, iterations/s or None) from the progress bar's text."""
    m = re.match(r"([0-9,]+) / ([0-9,]+) iterations", text)
    assert m, text
    rate = re.search(r"· ([0-9,]+) iterations/s", text)
    return int(m[1].replace(",", "")), int(m[2].replace(",", "")), (
        int(rate[1].replace(",", "")) if rate else None)


def _shown(page) -> str:
    return page.get_by_test_id("stMainBlockContainer").get_by_test_id("stProgress").inner_text().strip()


def _progress_past(page, iteration, timeout=120_000):
    page.wait_for_function(
        "n => [...document.querySelectorAll('[data-testid=stProgress]')].some(e => {"
        " const m = e.innerText.match(/^([0-9,]+) \\//); return m && Number(m[1].replace(/,/g, '')) > n })",
        arg=iteration, timeout=timeout)


def _caption_time(page, pattern, after, timeout=30_000):
    """performance.now() when a run caption matching `pattern` (a JS regex) first showed after `after`."""
    return page.wait_for_function(
        "([p, after]) => { const r = new RegExp(p); const k = Object.keys(window.gx.captions).find("
        " c => r.test(c) && window.gx.captions[c] >= after); return k ? window.gx.captions[k] : null }",
        arg=[pattern, after], timeout=timeout).json_value()


def _stopped_caption(page):
    """(iteration, last check-in) from the 'Run stopped at ...' caption."""
    text = page.inner_text("[data-testid=stMain]")
    m = re.search(r"Run stopped at ([0-9,]+) of ([0-9,]+) iterations"
                  r"( \((last check-in at ([0-9,]+)|before its first check-in)\))?;", text)
    assert m, text[-2000:]
    stopped = int(m[1].replace(",", ""))
    if m[3] is None:
        return stopped, stopped
    return stopped, int(m[5].replace(",", "")) if m[5] else 0


def _stop_now(page, label):
    """Click Stop from JavaScript; wait for the caption; return the figures of this Stop."""
    click = page.evaluate(CLICK, "Stop")
    assert not click["disabled"], "Stop was disabled while the run trained"
    shown, n_epochs, rate = _progress(click["shown"])
    assert rate, f"no rate in the progress text at the Stop: {click['shown']!r}"
    caption_at = _caption_time(page, "^Run stopped at", click["at"], timeout=30_000)
    _idle(page)
    stopped, last = _stopped_caption(page)
    figures = dict(shown=shown, rate=rate, stopped=stopped, overshoot=stopped - shown,
                   overshoot_s=round((stopped - shown) / rate, 3),
                   shown_for_s=round((click["at"] - click["shown_since"]) / 1000, 3),
                   caption_after_s=round((caption_at - click["at"]) / 1000, 3), last_check_in=last)
    _report(test=label, **figures)
    return figures


def _history_csv(page) -> pd.DataFrame:
    """The run's history as the page's 'History (CSV)' download gives it."""
    try:
        with page.expect_download(timeout=60_000) as download:
            page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="History (CSV)").click()
    except Exception:  # the evidence: what the page showed instead
        page.screenshot(path=str(ARTIFACTS / "history_csv_missing.png"))
        (ARTIFACTS / "history_csv_missing.txt").write_text(page.inner_text("[data-testid=stMain]"))
        raise
    with open(download.value.path(), "rb") as f:
        frame = pd.read_csv(io.BytesIO(f.read()), float_precision="round_trip")
    _idle(page)
    return frame


def _no_exception(page):
    assert page.locator("[data-testid=stException]").count() == 0, page.locator(
        "[data-testid=stException]").first.inner_text()


# ---- tests --------------------------------------------------------------------------------------
def test_gan_page_trains_live_in_a_browser(app_url, browser, page):
    _open(page, app_url, "/gan_training?n_epochs=30000")  # long enough for several redraws
    _button(page, "Train").click()
    # live: the progress text and the charts appear while the worker trains
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stProgress]')].some(e =>"
        " / \\/ 30,000 iterations · [0-9,]+ iterations\\/s/.test(e.innerText))", timeout=120_000)
    page.wait_for_function("() => document.querySelectorAll('[data-testid=stVegaLiteChart]').length >= 4",
                           timeout=120_000)
    page.wait_for_function(
        "() => { const g = document.querySelector('[data-testid=stDataFrame] [aria-rowcount]');"
        " return g && Number(g.getAttribute('aria-rowcount')) >= 3 }", timeout=120_000)  # header + 2 check-ins
    # a second visitor, opening the page while the first one trains, sees nothing of that run
    other_context = browser.new_context()
    other = other_context.new_page()
    other.goto(app_url + "/gan_training")
    _idle(other)
    assert "press Train" in other.inner_text("[data-testid=stMain]")
    other.locator(".st-key-real_data [data-testid=stVegaLiteChart]").wait_for(timeout=30_000)  # the real data's,
    assert other.locator("[data-testid=stVegaLiteChart]:not(.st-key-real_data *)").count() == 0  # and no run's
    assert other.locator("[data-testid=stProgress]").count() == 0
    other_context.close()
    page.get_by_text("Run finished at 30,000 of 30,000 iterations").wait_for(timeout=120_000)
    _idle(page)
    assert "30,000 / 30,000 iterations" in _shown(page)
    seen = page.evaluate("() => window.gx.iterations")
    assert len([n for n in seen if 0 < n < 30_000]) >= 3, seen  # the view followed the run
    _no_exception(page)
    _shot(page, "gan_training_done.png")
    # the generator downloads as a .keras archive
    import io
    import zipfile

    with page.expect_download(timeout=60_000) as download:
        _button(page, "Generator (.keras)").click()
    with zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read())) as archive:
        assert "config.json" in archive.namelist()


def test_stop_is_taken_at_once_and_resume_continues_the_same_run(app_url, page):
    """The issue's Stop: a 200,000-iteration run stopped mid-run stops within 0.5 s of the
    click. Measured on the server's side: the iteration the stopped caption names is at most
    what the bar showed at the click plus (0.4 s redraw + 0.5 s + 0.8 s for a loaded machine's
    late display) of training at the shown rate."""
    _open(page, app_url, "/gan_training?n_epochs=200000")  # a shared link: long enough to stop mid-run
    _has_value(page.locator("input[aria-label='n_epochs (iterations)']"), "200000")
    _button(page, "Train").click()
    _progress_past(page, 30_000)
    _shot(page, "gan_training_live.png")
    first = _stop_now(page, "stop")
    _shot(page, "gan_training_stopped.png")
    assert 30_000 < first["stopped"] < 200_000
    assert first["overshoot"] <= first["rate"] * (LIVE_INTERVAL_S + STOP_LATENCY_S + DISPLAY_SLACK_S), first
    # how soon the caption shows is reported (a loaded machine delays any page): bench/, not a test
    # every check-in so far is in the table and in the history (header + rows)
    assert page.locator("[data-testid=stDataFrame] [aria-rowcount]").get_attribute("aria-rowcount") == str(
        first["last_check_in"] // 200 + 1)
    before = _history_csv(page)
    assert list(before["iteration"]) == list(range(200, first["last_check_in"] + 1, 200))
    _no_exception(page)

    # Resume: the same run goes on from where it stopped
    _button(page, "Resume").click()
    page.wait_for_function(
        "() => / iterations · [0-9,]+ iterations\\/s/.test(document.querySelector("
        "'[data-testid=stMainBlockContainer] [data-testid=stProgress]')?.innerText || '')", timeout=60_000)
    resumed_from, _, _ = _progress(_shown(page))
    assert resumed_from >= first["stopped"]  # never from 0
    _progress_past(page, first["stopped"] + 2000, timeout=60_000)
    rows = int(page.locator("[data-testid=stDataFrame] [aria-rowcount]").get_attribute("aria-rowcount")) - 1
    assert rows >= min(first["last_check_in"] // 200, 200), rows  # the live table (newest 200) kept the earlier rows
    page.wait_for_function("() => document.querySelectorAll('[data-testid=stVegaLiteChart]').length >= 4")
    _shot(page, "gan_training_resumed.png")
    second = _stop_now(page, "stop after resume")
    assert first["stopped"] + 2000 < second["stopped"] < 200_000
    after = _history_csv(page)
    assert list(after["iteration"]) == list(range(200, second["last_check_in"] + 1, 200))
    pd.testing.assert_frame_equal(after.iloc[:len(before)], before)  # the earlier rows, unchanged
    _no_exception(page)


def test_seed_change_and_page_switch_leave_the_run_training(app_url, page):
    """Mid-run: a new seed in the sidebar, a new n_batch, a visit to Generator preview and back;
    the run trains on, no 'Run stopped' caption shows at any moment, and the settings typed
    are still there (keeping them by re-assigning session_state lost them while a run trained)."""
    _open(page, app_url, "/gan_training?n_epochs=200000&seed=3")
    _button(page, "Train").click()
    _progress_past(page, 5000)
    sidebar = page.get_by_test_id("stSidebar")
    seed = sidebar.get_by_label("Seed", exact=True)
    _has_value(seed, "3")
    seed.fill("8")
    seed.press("Enter")
    page.get_by_text("The run below keeps the settings it started with").wait_for(timeout=60_000)
    n_batch = page.get_by_label("n_batch", exact=True)
    n_batch.fill("64")
    n_batch.press("Enter")
    # the server has it once the address does (an idle page right after Enter may be before the rerun:
    # under load the page switch below went first, and n_batch came back 128)
    page.wait_for_function("() => location.search.includes('n_batch=64')", timeout=60_000)
    _idle(page)
    before, _, rate = _progress(_shown(page))
    assert rate, _shown(page)
    page.evaluate("() => { window.sameDocument = true }")
    sidebar.get_by_role("link", name="Generator preview").click()
    page.get_by_role("heading", name=HEADINGS["/generator_preview"]).wait_for(timeout=60_000)
    _idle(page)
    _no_exception(page)
    time.sleep(2)  # away from the page a while
    sidebar.get_by_role("link", name="GAN training").click()
    page.get_by_role("heading", name=HEADINGS["/gan_training"], exact=True).wait_for(timeout=60_000)
    _progress_past(page, before + 2000, timeout=60_000)
    after, _, rate = _progress(_shown(page))
    assert rate, _shown(page)  # still training: the bar shows its speed
    _has_value(seed, "8")
    _has_value(page.get_by_label("n_batch", exact=True), "64")
    _has_value(page.get_by_label("n_epochs (iterations)", exact=True), "200000")
    assert page.evaluate("() => window.sameDocument === true"), "the sidebar link reloaded the page"
    captions = page.evaluate("() => window.gx.captions")
    assert not [c for c in captions if c.startswith("Run stopped") or c.startswith("Run paused")], captions
    assert "Run stopped" not in page.inner_text("[data-testid=stMain]")
    _no_exception(page)
    _report(test="seed and page switch", before=before, after=after, rate=rate)
    stopped = _stop_now(page, "stop after page switch")  # do not leave it training for the next tests
    assert stopped["stopped"] > after


def test_discriminator_lab_and_preview_render(app_url, page):
    _open(page, app_url, "/discriminator_lab")
    _button(page, "Train").click()
    page.get_by_text("Run finished at 1,000 of 1,000 iterations").wait_for(timeout=120_000)
    _idle(page)
    assert page.locator("[data-testid=stVegaLiteChart]").count() >= 2
    _no_exception(page)
    _shot(page, "discriminator_lab.png")
    _open(page, app_url, "/generator_preview")
    page.wait_for_selector("[data-testid=stVegaLiteChart]", timeout=30_000)  # drawn a moment after the run ends
    _no_exception(page)
    _shot(page, "generator_preview.png")


def test_a_seed_sweep_opens_a_seed_and_compare_shows_the_runs(app_url, browser):
    """A sweep of 4 seeds trains in the server's worker (its seed groups on the cores), a seed opens
    on the GAN page, and Compare puts that run and the GAN page's earlier one side by side."""
    context = browser.new_context(viewport={"width": 1400, "height": 2000})
    p = context.new_page()
    try:
        _open(p, app_url, "/gan_training?n_epochs=2000&n_eval=500")
        _button(p, "Train").click()
        p.get_by_text("Run finished at 2,000 of 2,000 iterations").wait_for(timeout=120_000)
        _idle(p)
        p.get_by_test_id("stSidebar").get_by_role("link", name="Seed sweep").click()
        p.get_by_role("heading", name=HEADINGS["/seed_sweep"]).wait_for(timeout=60_000)
        _idle(p)
        seeds = p.locator("input[aria-label='Seeds (2 to 64)']")
        seeds.fill("4")
        seeds.press("Enter")
        _idle(p)
        _button(p, "Train").click()
        p.get_by_text("Run finished at 2,000 of 2,000 iterations").wait_for(timeout=120_000)
        _idle(p)
        p.get_by_text("Seeds that worked").wait_for(timeout=30_000)
        assert p.locator("[data-testid=stVegaLiteChart]").count() >= 3
        _no_exception(p)
        _shot(p, "seed_sweep.png")
        p.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Open this seed's run").click()
        # exact: the sweep page's own "Open a seed on the GAN training page" heading matched at once, and
        # on a loaded machine the test went on to Compare before the click had opened the seed's run
        p.get_by_role("heading", name=HEADINGS["/gan_training"], exact=True).wait_for(timeout=60_000)
        p.wait_for_function("() => location.pathname.endsWith('/gan_training')", timeout=60_000)
        _idle(p)
        p.get_by_text("Run finished at 2,000 of 2,000 iterations").wait_for(timeout=30_000)
        _no_exception(p)
        p.get_by_test_id("stSidebar").get_by_role("link", name="Compare runs").click()
        p.get_by_role("heading", name="Compare runs").wait_for(timeout=60_000)
        _idle(p)
        # the GAN page's first run (kept) and the sweep's seed 1 opened there: the same settings
        from playwright.sync_api import expect

        try:
            p.get_by_text("The settings are the same.").wait_for(timeout=30_000)
            # retried: on a loaded machine the chips were read once before the browser had drawn both
            expect(p.get_by_test_id("stMultiSelect")).to_contain_text("1-D run 2", timeout=30_000)
            assert p.get_by_test_id("stMultiSelect").inner_text().count("1-D run") == 2
        except Exception:  # seen rarely on a loaded machine, never reproduced: keep what the page showed
            p.screenshot(path=str(ARTIFACTS / "compare_runs_missing.png"), full_page=True)
            (ARTIFACTS / "compare_runs_missing.txt").write_text(p.inner_text("[data-testid=stMain]"))
            raise
        _no_exception(p)
        _shot(p, "compare.png")
    finally:
        context.close()


def test_points_pages_train_a_ring_over_the_heat_map(app_url, page):
    """The data kind switch to 2-D points keeps the experiment; the GAN trains on the ring of 8
    and draws its samples over the discriminator's view, with arrows on request."""
    _open(page, app_url, "/gan_training")
    page.get_by_test_id("stSidebar").get_by_text("2-D points").click()
    page.get_by_text("ring of 8 Gaussians (radius 1").wait_for(timeout=60_000)
    _idle(page)
    assert page.evaluate("() => location.href").split("?")[0].endswith("/points_gan_training")
    _open(page, app_url, "/points_gan_training?n_epochs=4000")
    _button(page, "Train").click()
    page.get_by_text("Run finished at 4,000 of 4,000 iterations").wait_for(timeout=120_000)
    _idle(page)
    page.get_by_test_id("stMainBlockContainer").get_by_text("Arrows", exact=True).click()
    _idle(page)
    page.get_by_text("Modes captured (a mode").first.wait_for(timeout=30_000)
    assert page.locator("[data-testid=stVegaLiteChart]").count() == 4
    assert "modes captured" in page.inner_text("[data-testid=stMain]")
    _no_exception(page)
    _shot(page, "points_gan_training.png")


def test_mnist_gan_page_steps_in_a_browser(app_url, page):
    _open(page, app_url, "/gan_training")
    page.get_by_test_id("stSidebar").get_by_text("MNIST digits").click()
    page.get_by_text("GAN training · MNIST digits").wait_for(timeout=60_000)
    _idle(page)
    assert page.url.endswith("/mnist_gan_training")
    _button(page, "Step").click()
    page.get_by_text("Run stopped at 100 of 2,000").wait_for(timeout=180_000)
    _idle(page)
    page.wait_for_selector("[data-testid=stImage] img", timeout=30_000)  # the 10x10 grid of generated digits
    assert page.locator("[data-testid=stVegaLiteChart]").count() >= 3
    _no_exception(page)
    _shot(page, "mnist_gan_step.png")


def test_mnist_tutorial_networks_show_progress_and_stop_within_a_batch(app_url, page):
    """The tutorial's networks (about 1.3 s a batch on a 2-core CPU): the bar moves mid-run, batch
    by batch, and a Stop is taken within one batch (the seconds to the first move and to the
    stopped caption are reported, not asserted)."""
    _open(page, app_url, "/mnist_gan_training")
    page.get_by_role("combobox", name="Start from").click()
    page.get_by_role("option", name="the tutorial's networks (slow on a CPU)").click()
    _idle(page)
    page.wait_for_function("() => document.querySelector('input[aria-label=\"n_batch\"]')?.value === '256'",
                           timeout=30_000)
    click = page.evaluate(CLICK, "Train")
    assert not click["disabled"]
    moved_at = page.wait_for_function(
        "() => { const e = window.gx.log.find(([t, n]) => n > 0); return e ? e[0] : null }",
        timeout=120_000).json_value()
    first_progress_s = (moved_at - click["at"]) / 1000
    first_text = next(text for t, n, text in page.evaluate("() => window.gx.log") if n > 0)
    shown, n_epochs, _ = _progress(first_text)
    assert 0 < shown < n_epochs
    _progress_past(page, shown, timeout=60_000)  # a second batch: it trains on
    _shot(page, "mnist_tutorial_live.png")
    stop = page.evaluate(CLICK, "Stop")
    assert not stop["disabled"]
    caption_at = _caption_time(page, "^Run stopped at", stop["at"], timeout=60_000)
    _idle(page)
    stop_caption_s = (caption_at - stop["at"]) / 1000
    stopped, _ = _stopped_caption(page)
    _shot(page, "mnist_tutorial_stopped.png")
    shown_at_stop, _, _ = _progress(stop["shown"])
    _report(test="mnist tutorial", first_progress_s=round(first_progress_s, 2), first_text=repr(first_text),
            stop_caption_s=round(stop_caption_s, 2), shown_at_stop=shown_at_stop, stopped=stopped)
    # the seconds are reported, never asserted (a loaded machine delays them); what is tested is in
    # batches: progress showed mid-run (0 < shown < n_epochs, above), and Stop ended within a batch:
    # the batch under way at the click, and the one the view may not have shown yet
    assert shown_at_stop <= stopped <= shown_at_stop + 2
    _no_exception(page)


def test_four_visitors_train_four_seeds_each_as_gan_core_alone(app_url, browser):
    """Four browser contexts train seeds 2-5 at once on the server's training slots: each run
    finishes, and each page's history is exactly what gan_core gives for its seed alone."""
    seeds = [2, 3, 4, 5]
    contexts = [browser.new_context(viewport={"width": 1200, "height": 1500}) for _ in seeds]
    try:
        pages = [c.new_page() for c in contexts]
        for p, seed in zip(pages, seeds):
            _open(p, app_url, f"/gan_training?n_epochs=4000&seed={seed}")
            _has_value(p.get_by_test_id("stSidebar").get_by_label("Seed", exact=True), str(seed))
        start = time.monotonic()
        for p in pages:
            _button(p, "Train").click()
        for p in pages:
            p.get_by_text("Run finished at 4,000 of 4,000 iterations").wait_for(timeout=240_000)
        wall = time.monotonic() - start
        queued = [any("waiting for a free training slot" in t for _, _, t in p.evaluate("() => window.gx.log"))
                  for p in pages]
        shots = []
        for p in pages:
            _idle(p)
            _no_exception(p)
            # waited for, not counted at once: with four runs on 2 cores Chromium draws the charts a
            # moment after the script run ends (the lab test waits the same way)
            p.wait_for_function("() => document.querySelectorAll('[data-testid=stVegaLiteChart]').length >= 4",
                                timeout=30_000)
            p.mouse.move(0, 0)
            shots.append(p.screenshot())
        _four_in_one(shots, ARTIFACTS / "four_visitors.png")
        histories = [_history_csv(p) for p in pages]
        for p in pages:
            _no_exception(p)
    finally:
        for c in contexts:
            c.close()
    from gan_core import Config, GanRun

    exact = []
    for seed, got in zip(seeds, histories):
        run = GanRun(Config.for_target(n_epochs=4000, n_eval=200, seed=seed))  # the page: x²'s own defaults
        list(run.train())
        want = run.history_frame()
        assert list(got["iteration"]) == list(want["iteration"]) == list(range(200, 4001, 200))
        for column in HISTORY_COLUMNS:
            np.testing.assert_allclose(got[column].to_numpy(), want[column].to_numpy(), rtol=0, atol=1e-12,
                                       err_msg=f"seed {seed}: {column}")
        exact.append(all(np.array_equal(got[c].to_numpy(), want[c].to_numpy()) for c in HISTORY_COLUMNS))
    # the seeds are really different runs
    assert len({round(h["g_loss"].iloc[-1], 12) for h in histories}) == len(seeds)
    _report(test="four visitors", wall_s=round(wall, 1), bit_exact=exact, saw_a_wait_for_a_slot=queued)


def _four_in_one(shots, path):
    from PIL import Image

    images = [Image.open(io.BytesIO(s)) for s in shots]
    w, h = images[0].size
    sheet = Image.new("RGB", (w, h), "white")
    for i, image in enumerate(images):
        sheet.paste(image.resize((w // 2, h // 2)), ((i % 2) * (w // 2), (i // 2) * (h // 2)))
    sheet.save(path)


def test_a_reload_mid_run_keeps_the_links_settings_and_the_old_run_pauses(browser):
    """A visitor reloads the page mid-run: a new session, whose page has the settings typed before
    (the address follows them) and the run back from the run store, paused (the old session's worker
    is stopped when the address is opened); the server's CPU falls from training to idle (how soon is
    reported). A closed tab is the same to the server. Its own server, so that no other visitor's run is counted."""
    with running_app(ARTIFACTS / "server_pause.log") as (proc, url):
        context = browser.new_context(viewport={"width": 1200, "height": 1500})
        p = context.new_page()
        _open(p, url, "/gan_training?n_epochs=1000000")
        seed = p.get_by_test_id("stSidebar").get_by_label("Seed", exact=True)
        seed.fill("7")
        seed.press("Enter")
        p.wait_for_function("() => location.search.includes('seed=7')", timeout=30_000)
        _button(p, "Train").click()
        p.wait_for_function(
            "() => / iterations · [0-9,]+ iterations\\/s/.test(document.querySelector("
            "'[data-testid=stMainBlockContainer] [data-testid=stProgress]')?.innerText || '')", timeout=120_000)
        training = cpu_share(proc.pid)
        shown, _, rate = _progress(_shown(p))
        # idle, whatever share of the cores training got (on a loaded machine 0.2 of a core, not 1)
        idle = min(0.2, training / 3)
        p.reload()
        closed = time.monotonic()
        _idle(p)
        _has_value(p.get_by_test_id("stSidebar").get_by_label("Seed", exact=True), "7")
        _has_value(p.get_by_label("n_epochs (iterations)", exact=True), "1000000")
        # a new session: the run is back from the store, paused (its old tab's worker stopped: explorer/stored_runs.py)
        p.get_by_text(re.compile("is back at iteration")).first.wait_for(timeout=60_000)
        _no_exception(p)
        shares = []
        while True:
            window = time.monotonic()
            share = cpu_share(proc.pid, WINDOW_S)
            shares.append(round(share, 2))
            if share < idle or time.monotonic() - closed > 120:
                break
        paused_after = time.monotonic() - closed
        # the training (about `training` cores) ended early in the last window
        paused_estimate = window - closed + WINDOW_S * min(share / max(training, 0.01), 1.0)
        settled = cpu_share(proc.pid)  # and it stays idle
        context.close()
        _report(test="pause on reload", cpu_training=round(training, 2), shown_at_reload=shown, rate=rate,
                cpu_after_reload=shares, idle_after_s=round(paused_after, 1),
                paused_after_s_estimate=round(paused_estimate, 1), cpu_settled=round(settled, 2))
        assert shares[-1] < idle, (training, shares)  # the old run paused: the server went idle
        assert settled < idle, (training, settled)


# ---- a newcomer's first five minutes (issue 21), at a laptop's 1280x720 and a phone's 390x844 ----
EXPERIMENT_PAGES = ["/discriminator_lab", "/gan_training", "/seed_sweep", "/settings_sweep", "/points_discriminator_lab",
                    "/points_gan_training", "/points_seed_sweep", "/points_settings_sweep", "/mnist_discriminator_lab",
                    "/mnist_gan_training", "/samples_gan_training", "/images_discriminator_lab", "/images_gan_training"]
LINKS = {"/discriminator_lab": "Discriminator lab", "/gan_training": "GAN training", "/seed_sweep": "Seed sweep",
         "/generator_preview": "Generator preview", "/compare": "Compare runs", "/": "Home",
         "/samples_discriminator_lab": "Discriminator lab", "/samples_gan_training": "GAN training"}
# a page's heading names its data: the kinds share a link's name, not a heading
HEADINGS = {"/discriminator_lab": "Discriminator lab · 1-D function", "/gan_training": "GAN training · 1-D function",
            "/seed_sweep": "Seed sweep · 1-D function", "/generator_preview": "Generator preview · 1-D function",
            "/compare": "Compare runs", "/": "GAN Explorer",
            "/samples_discriminator_lab": "Discriminator lab · 1-D samples",
            "/samples_gan_training": "GAN training · 1-D samples"}
# every heading the page shows, with the address at that moment, and every address change (the page's own record)
NAV_WATCH = """() => {
  if (window.nav) return;
  const nav = window.nav = {headings: [], addresses: []};
  for (const name of ['pushState', 'replaceState']) {
    const original = history[name].bind(history);
    history[name] = (...args) => { original(...args); nav.addresses.push([performance.now(), location.pathname, location.search]); };
  }
  const look = () => {
    const h = document.querySelector('[data-testid=stMain] h1');
    const text = h ? h.innerText.trim() : '', last = nav.headings[nav.headings.length - 1];
    if (text && (!last || last[0] !== text)) nav.headings.push([text, location.pathname, performance.now()]);
  };
  new MutationObserver(look).observe(document.body, {subtree: true, childList: true, characterData: true});
  look();
}"""


@pytest.fixture(scope="module")
def laptop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    yield context.new_page()
    context.close()


def _bottom(locator) -> float:
    box = locator.bounding_box()
    return box["y"] + box["height"]


def test_train_and_what_it_draws_are_on_the_first_screen(app_url, browser, laptop):
    """Every experiment page at 1280x720: the Train button and the note on what Train draws lie
    within the first screen; on a phone (390x844) Train does too."""
    bottoms = {}
    for path in EXPERIMENT_PAGES:
        _open(laptop, app_url, path)
        train = _button(laptop, "Train")
        train.wait_for(timeout=60_000)
        bottoms[path] = round(_bottom(train))
        assert bottoms[path] <= 720, (path, bottoms[path])
        hint = laptop.get_by_test_id("stMainBlockContainer").get_by_test_id("stAlert").first
        assert hint.bounding_box()["y"] < 720, path  # "Set the parameters and press Train to see ..."
        _no_exception(laptop)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    try:
        for path in EXPERIMENT_PAGES:
            _open(phone, app_url, path)
            train = _button(phone, "Train")
            train.wait_for(timeout=60_000)
            bottoms["phone " + path] = round(_bottom(train))
            assert bottoms["phone " + path] <= 844, (path, bottoms["phone " + path])
    finally:
        context.close()
    _report(test="train above the fold", **{k.replace(" ", "_"): v for k, v in bottoms.items()})


@pytest.mark.parametrize("label", ["n_epochs (iterations)", "n_eval (iterations per check-in)"])
def test_1e12_typed_into_a_count_is_refused_at_the_field_and_trains_nothing(app_url, laptop, label):
    """A browser's number field read 1e12 as 1 and Train started a 1-iteration run. Now the text
    stays as typed, the field says what is allowed, the address keeps no 1 and Train starts nothing."""
    _open(laptop, app_url, "/gan_training")
    field = laptop.get_by_label(label, exact=True)
    field.fill("1e12")
    field.press("Enter")
    _idle(laptop)
    says = f"{label} must be a whole number from 1 to 1,000,000 (got 1e12)."
    laptop.get_by_text(says, exact=True).wait_for(timeout=30_000)
    _has_value(field, "1e12")
    assert "=1&" not in laptop.evaluate("() => location.search + '&'")
    _button(laptop, "Train").click()
    laptop.get_by_text(f"Fix {label} (marked in red above) first: nothing was started.").wait_for(timeout=30_000)
    _idle(laptop)
    assert laptop.get_by_test_id("stMainBlockContainer").get_by_test_id("stProgress").count() == 0
    _has_value(field, "1e12")
    field.fill("10,000")  # a separator typed is read as the number it means
    field.press("Enter")
    # the rerun may begin after an idle check: wait for the message to go (a bug leaves it, and times out)
    laptop.get_by_text(says, exact=True).wait_for(state="detached", timeout=30_000)
    _has_value(field, "10,000")
    _no_exception(laptop)


def _click_through(page, paths):
    """Click each page's sidebar link; after each, the address names it and the page shows it.
    Returns the milliseconds from each click to the address change (measured in the page)."""
    page.evaluate(NAV_WATCH)
    delays = []
    for path in paths:
        link = page.get_by_test_id("stSidebar").get_by_role("link", name=LINKS[path], exact=True)
        clicked = page.evaluate("() => performance.now()")
        link.click()
        page.wait_for_function("p => location.pathname.replace(/\\/$/, '') === p.replace(/\\/$/, '')", arg=path,
                               timeout=60_000)
        page.get_by_test_id("stMain").get_by_role("heading", name=HEADINGS[path], exact=True).wait_for(timeout=60_000)
        _idle(page)
        changed = page.evaluate("t => window.nav.addresses.filter(a => a[0] >= t)", clicked)
        delays.append(round(changed[0][0] - clicked) if changed else None)
        assert page.evaluate("() => location.pathname").rstrip("/") == path.rstrip("/")  # still, once it settled
        # and never, not for a moment, the page left (with the new page's query: it did in 4 of 15 clicks measured)
        assert all(a[1].rstrip("/") == path.rstrip("/") for a in changed), (path, changed)
    # whenever a heading was shown, the address named its page
    for heading, address, _ in page.evaluate("() => window.nav.headings"):
        if want := [p.rstrip("/") for p in paths if HEADINGS[p] == heading]:
            assert address.rstrip("/") in want, (heading, address)
    return delays


def test_the_address_names_the_page_shown_also_while_a_run_trains(app_url, laptop):
    """Ten sidebar clicks on an idle page, ten while a run trains: each time the address bar names
    the page shown (it once stayed on /gan_training after a click on Discriminator lab)."""
    _open(laptop, app_url, "/gan_training")
    idle = _click_through(laptop, ["/discriminator_lab", "/gan_training", "/seed_sweep", "/generator_preview",
                                   "/compare", "/discriminator_lab", "/", "/gan_training", "/seed_sweep",
                                   "/gan_training"])
    _open(laptop, app_url, "/gan_training?n_epochs=1000000")
    _button(laptop, "Train").click()
    _progress_past(laptop, 1000)
    training = _click_through(laptop, ["/discriminator_lab", "/gan_training"] * 5)
    _progress_past(laptop, 1000)
    assert "iterations/s" in _shown(laptop)  # it trained all along
    _stop_now(laptop, "stop after the address test")
    _no_exception(laptop)
    # pages whose addresses carry settings: a seed typed in the sidebar (every page's), a batch on one
    _open(laptop, app_url, "/samples_gan_training?n_epochs=1000000")
    seed = laptop.get_by_test_id("stSidebar").get_by_role("textbox", name="Seed", exact=True)
    seed.fill("7")
    seed.press("Enter")
    laptop.wait_for_function("() => location.search.includes('seed=7')", timeout=60_000)
    batch = laptop.get_by_role("textbox", name="n_batch", exact=True)
    batch.fill("64")
    batch.press("Enter")
    laptop.wait_for_function("() => location.search.includes('n_batch=64')", timeout=60_000)
    _button(laptop, "Train").click()
    _progress_past(laptop, 1000)
    with_settings = _click_through(laptop, ["/samples_discriminator_lab", "/samples_gan_training"] * 3)
    assert "n_batch=64" in laptop.evaluate("() => location.search")
    _stop_now(laptop, "stop after the address test, with settings")
    _report(test="address follows the page", idle_ms=idle, training_ms=training, with_settings_ms=with_settings)


def test_a_ring_is_drawn_round_on_a_square_plane(app_url, browser, laptop):
    """The ring of 8 (radius 1) after a short run: the plane's plot area is square (it was 2:1) with
    equal spans on both axes. Screenshots of the GAN page at 1280x720 and on a phone."""
    _open(laptop, app_url, "/points_gan_training?n_epochs=1000&n_eval=500")
    _button(laptop, "Train").click()
    laptop.get_by_text("Run finished at 1,000 of 1,000 iterations").wait_for(timeout=120_000)
    _idle(laptop)
    plane = laptop.get_by_test_id("stVegaLiteChart").first
    plane.wait_for(timeout=30_000)
    plane.scroll_into_view_if_needed()
    width, height = laptop.evaluate(
        "e => { const r = e.querySelector('path.background').getBoundingClientRect(); return [r.width, r.height] }",
        plane.element_handle())
    assert width > 200 and abs(width / height - 1) <= 0.1, (width, height)
    # the same domain on both axes (the ring is centred): the same tick labels, -1.0 to 1.0 among them
    x_ticks, y_ticks = laptop.evaluate("e => [...e.querySelectorAll('g.role-axis-label')].slice(0, 2).map("
                                       "a => [...a.querySelectorAll('text')].map(t => t.textContent))",
                                       plane.element_handle())
    assert sorted(x_ticks) == sorted(y_ticks) and "1.0" in x_ticks, (x_ticks, y_ticks)
    _report(test="square plane", width=round(width), height=round(height))
    laptop.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
    laptop.mouse.move(0, 0)  # no tooltip in the picture
    laptop.screenshot(path=str(ARTIFACTS / "gan_page_1280x720.png"))
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    try:
        _open(phone, app_url, "/gan_training")
        _button(phone, "Train").wait_for(timeout=60_000)  # drawn, not a widget's grey placeholder
        _has_value(phone.get_by_label("n_epochs (iterations)", exact=True),  # x²'s own default
                   str(Config.for_target("x^2").n_epochs))
        phone.screenshot(path=str(ARTIFACTS / "gan_page_phone.png"))
    finally:
        context.close()


def test_one_iteration_taught_graph_slow_motion_manifold_and_drawing(app_url, laptop):
    """Issue 22 in Chromium on the 2-D GAN page with latent_dim 2: the model graph shows; Slow motion
    walks an iteration through its parts with charts and words; the Manifold toggle draws the warped
    grid; a click on the drawing plane drops a blob of points that trains as your own."""
    _open(laptop, app_url, "/points_gan_training?latent_dim=2&n_epochs=1000&n_eval=500")
    _button(laptop, "Train").click()
    laptop.get_by_text("Run finished at 1,000 of 1,000 iterations").wait_for(timeout=120_000)
    _idle(laptop)
    laptop.get_by_test_id("stGraphVizChart").first.wait_for(timeout=30_000)  # the model overview
    assert "acc_real" in laptop.get_by_test_id("stGraphVizChart").first.inner_text()
    plane = laptop.get_by_test_id("stVegaLiteChart").first

    def lines():
        return laptop.evaluate("e => e.querySelectorAll('g.mark-line path').length", plane.element_handle())

    before = lines()
    laptop.get_by_text("Manifold", exact=True).click()
    laptop.wait_for_function("([e, n]) => e.querySelectorAll('g.mark-line path').length >= n + 30",
                             arg=[plane.element_handle(), before], timeout=30_000)  # 15 rows and 15 columns
    _button(laptop, "Slow motion").click()
    laptop.get_by_text("Slow motion: iteration 1", exact=False).wait_for(timeout=30_000)
    for part, words in (("1. Discriminator on real samples", "labelled real"),
                        ("2. Discriminator on generated samples", "labelled fake"),
                        ("3. Generator through the discriminator", "through the unchanged discriminator")):
        laptop.get_by_text(part, exact=True).click()
        laptop.get_by_text(words, exact=False).first.wait_for(timeout=30_000)
        laptop.get_by_text("What this part changed: red where P(real) rose", exact=False).wait_for(timeout=30_000)
        laptop.get_by_text("change of P(real)", exact=True).wait_for(timeout=30_000)  # the change chart's legend
    _button(laptop, "Take this iteration (train it)").click()
    laptop.get_by_text("Slow motion: iteration 2", exact=False).wait_for(timeout=30_000)
    _no_exception(laptop)
    _open(laptop, app_url, "/points_gan_training?target=csv")
    canvas = laptop.get_by_test_id("stVegaLiteChart").first
    canvas.scroll_into_view_if_needed()
    box = laptop.evaluate("e => { const r = e.querySelector('path.background').getBoundingClientRect(); "
                          "return [r.x, r.y, r.width, r.height] }", canvas.element_handle())
    laptop.mouse.click(box[0] + 0.3 * box[2], box[1] + 0.3 * box[3])
    laptop.get_by_text("40 points drawn; they train as your own points").wait_for(timeout=30_000)
    _button(laptop, "Train").click()
    laptop.get_by_text("Run finished at", exact=False).wait_for(timeout=120_000)
    _no_exception(laptop)


def test_a_lesson_link_hides_the_named_controls(app_url, laptop):
    _open(laptop, app_url, "/gan_training?hide=loss,n_batch")
    laptop.get_by_text("This lesson link hides 2 settings: loss, n_batch", exact=False).wait_for(timeout=30_000)
    main = laptop.get_by_test_id("stMainBlockContainer")
    # the page draws as it runs: wait for the row's first field and Train, then the hidden are not there
    main.get_by_label("n_epochs (iterations)", exact=True).wait_for(timeout=30_000)
    _button(laptop, "Train").wait_for(timeout=30_000)
    _idle(laptop)
    assert main.get_by_label("n_batch", exact=True).count() == 0 and main.get_by_label("loss", exact=True).count() == 0
    _button(laptop, "Show all settings").click()
    main.get_by_label("n_batch", exact=True).wait_for(timeout=30_000)
    _no_exception(laptop)


# ---- runs that outlive the tab and the server (issue 25): the run store, run addresses -------------
SAVED_AT = """() => { const bar = document.querySelector('[data-testid=stMainBlockContainer] [data-testid=stProgress]');
  const m = bar && bar.innerText.match(/saved at ([0-9,]+)/); return m ? Number(m[1].replace(/,/g, '')) : null }"""


def _saved_at(p, past=0):
    """The iteration of a save the progress line reports, once one past `past` is reported."""
    return p.wait_for_function(f"() => {{ const n = ({SAVED_AT})(); return n !== null && n > {past} ? n : null }}",
                               timeout=120_000).json_value()


def _notice(p, pattern):
    """The first number after `pattern` (a regular expression) in the page's notices, once shown."""
    main = p.get_by_test_id("stMainBlockContainer")
    main.get_by_text(re.compile(pattern)).first.wait_for(timeout=120_000)
    m = re.search(pattern + r"[^0-9]*([0-9,]+)", main.inner_text())
    assert m, main.inner_text()[:2000]
    return int(m[1].replace(",", ""))


def _screen(p, name):
    p.get_by_test_id("stMainBlockContainer").get_by_test_id("stAlert").first.scroll_into_view_if_needed()
    p.mouse.move(0, 0)
    p.screenshot(path=str(ARTIFACTS / name))  # the first screen, as the visitor sees it


def test_a_run_outlives_a_reload_and_a_server_restart_and_its_shared_address_is_read_only(browser):
    """Train; reload mid-run: the run is back paused where its old tab's worker stopped and saved it,
    and Resume continues; kill -9 the server while it trains, start another on the same store and open
    the owner's address: the run is back at its last saved check-in, saying it was training, and
    Resume continues. A second browser context opens the shared address (no key): read-only, and
    Continue as my own run trains a copy. Each server its own (one is killed)."""
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    owner = browser.new_context(viewport={"width": 1280, "height": 720})
    p = owner.new_page()
    with running_app(ARTIFACTS / "server_store.log") as (proc, url):
        _open(p, url, "/gan_training?n_epochs=1000000")
        _button(p, "Train").click()
        _saved_at(p)
        assert re.search(r"[?&]run=[A-Za-z0-9_-]{12}&key=[A-Za-z0-9_-]{32}", p.url), p.url
        address = p.url.split(url, 1)[1]
        p.reload()
        _idle(p)
        back_at = _notice(p, r"is back at iteration")
        _no_exception(p)
        expect(_button(p, "Resume")).to_be_enabled()
        assert p.url == url + address  # still the owner's address, key and all
        _button(p, "Resume").click()
        _progress_past(p, back_at)
        saved = _saved_at(p, back_at)
        proc.kill()  # kill -9, while the run trains
        proc.wait(timeout=30)
    with running_app(ARTIFACTS / "server_store_restarted.log") as (proc, url):
        p.goto(url + address)
        _idle(p)
        restored = _notice(p, r"This run was training when the server stopped")
        assert restored >= saved, (restored, saved)  # nothing before its last save was lost
        _no_exception(p)
        expect(_button(p, "Resume")).to_be_enabled()
        _screen(p, "store_restored_1280.png")
        p.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Share this run").click()
        shared = p.get_by_test_id("stCode").last.inner_text().strip()
        assert shared == url + address.split("&key=")[0], (shared, address)  # the owner's address less its key
        p.keyboard.press("Escape")
        _button(p, "Resume").click()
        _progress_past(p, restored)
        _button(p, "Stop").click()  # (two runs training and drawing would crowd these 2 cores)
        p.get_by_text(re.compile("^Run stopped at")).wait_for(timeout=60_000)

        friend = browser.new_context(viewport={"width": 1280, "height": 720})
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        try:
            f = friend.new_page()
            _open(f, url, shared.split(url, 1)[1])
            seen = _notice(f, r"This is someone else's run, read-only at iteration")
            assert seen >= restored
            _no_exception(f)
            expect(_button(f, "Resume")).to_be_disabled()
            expect(_button(f, "Step")).to_be_disabled()
            f.get_by_test_id("stVegaLiteChart").first.wait_for(timeout=60_000)  # its charts are shown
            _screen(f, "store_shared_1280.png")
            ph = phone.new_page()
            _open(ph, url, shared.split(url, 1)[1])
            _notice(ph, r"This is someone else's run, read-only at iteration")
            _screen(ph, "store_shared_390.png")
            _button(f, "Continue as my own run").click()
            _idle(f)
            _notice(f, r"This is your own copy now")
            assert re.search(r"[?&]key=", f.url) and shared.split("run=")[1][:12] not in f.url
            _button(f, "Resume").click()
            _progress_past(f, seen)
            _no_exception(f)
            # the owner's address on a phone: the run moves there (the laptop's worker stops and saves)
            _open(ph, url, address)
            _notice(ph, r"is back at iteration")
            _screen(ph, "store_restored_390.png")
        finally:
            friend.close()
            phone.close()
            owner.close()


def test_the_settings_panel_stays_open_while_a_field_in_it_is_refused_and_fixed(app_url, laptop):
    """A refused layer width typed into More settings (Enter reruns the page): the panel stays open with
    the message at the field, through another rerun, and after the fix (the visitor is working in it)."""
    from playwright.sync_api import expect

    _open(laptop, app_url, "/gan_training")
    panel = laptop.get_by_test_id("stExpander").filter(has_text="More settings")
    details = panel.locator("details")
    panel.get_by_text("More settings").first.click()
    laptop.wait_for_function("el => el.open", arg=details.element_handle(), timeout=10_000)
    d_hidden = panel.get_by_label("hidden units", exact=True).nth(1)  # the Discriminator's column
    for typed, refused in (("0", True), (None, True), ("25", False)):
        message = panel.get_by_text("Discriminator hidden units must be")
        if typed is None:  # another rerun: a main-row field outside the panel
            n_batch = laptop.get_by_label("n_batch", exact=True)
            # the rerun is seen by the app's script state turning "running" (a refused config keeps the
            # address as it was, so the address cannot tell)
            laptop.evaluate("""() => { window.sawRun = false; const app = document.querySelector('[data-testid=stApp]');
                new MutationObserver(() => { if (app.dataset.testScriptState === 'running') window.sawRun = true; })
                    .observe(app, {attributes: true}); }""")
            n_batch.fill("64")
            n_batch.press("Enter")
            laptop.wait_for_function("() => window.sawRun", timeout=60_000)
        else:
            d_hidden.fill(typed)
            d_hidden.press("Enter")
        # the rerun starts a moment after Enter: wait for what it shows, not for an idle page
        expect(message).to_have_count(1 if refused else 0, timeout=30_000)
        _idle(laptop)
        time.sleep(1)  # the expander's own animation, had it closed
        assert details.evaluate("el => el.open"), (typed, "the panel closed")
        if refused:
            assert message.first.is_visible()
    _no_exception(laptop)


def test_on_a_phone_the_buttons_keep_to_a_row_and_the_chart_starts_within_a_screen_of_train(app_url, browser):
    """At 390x844 the six buttons stacked one under another (st.columns stack on a phone) and the first
    chart began two screens below Train: now they wrap in a row, and the chart begins within a screen."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    try:
        _open(phone, app_url, "/points_gan_training?n_epochs=1000&n_eval=500")
        tops = {name: _button(phone, name).bounding_box()["y"] for name in ("Train", "Step", "Stop", "Resume")}
        assert max(tops.values()) - min(tops.values()) < 5, tops  # one row
        _button(phone, "Train").click()
        phone.get_by_text("Run finished at 1,000 of 1,000 iterations").wait_for(timeout=120_000)
        _idle(phone)
        train = _button(phone, "Train").bounding_box()["y"]
        chart = phone.locator("[data-testid=stVegaLiteChart]").first.bounding_box()["y"]
        assert chart - train < 844, (train, chart)
        _no_exception(phone)
    finally:
        context.close()
