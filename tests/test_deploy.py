"""The repository deploys as is: a fresh Python 3.12 virtual environment built from
requirements.txt alone (what Streamlit Community Cloud does) runs `streamlit run
streamlit_app.py` with the repository's .streamlit/config.toml, and a real browser trains the
default 1-D run in it. The time from nothing to a trained run is reported
(tests/artifacts/figures.txt)."""
import glob
import os
import shutil
import subprocess
import time

import pytest

from app_server import CHROMIUM, ROOT, launch_chromium, running_app
from app_server import wait_idle as _idle
from test_browser import _report
from gan_core.settings.config import Config

pytestmark = [pytest.mark.slow,  # a real browser: minutes
              pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                 reason="Debian's chromium is not installed (.ci/run installs it)")]
DEV_ONLY = ("pytest", "hypothesis", "playwright")  # in requirements-dev.txt, not in the deployment


def _python312():
    """A working Python 3.12: GAN_EXPLORER_PYTHON312, python3.12 on PATH, or pyenv's."""
    candidates = [os.environ.get("GAN_EXPLORER_PYTHON312"), shutil.which("python3.12"),
                  *sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.12*/bin/python3.12")))]
    for python in filter(None, candidates):
        try:
            out = subprocess.run([python, "--version"], capture_output=True, text=True, timeout=30)
        except OSError:
            continue
        if out.returncode == 0 and out.stdout.startswith("Python 3.12"):
            return python
    return None


def test_a_fresh_python_312_environment_from_requirements_txt_trains_the_default_run(tmp_path):
    from playwright.sync_api import sync_playwright

    python = _python312()
    if python is None:
        pytest.skip("no Python 3.12 on this machine (set GAN_EXPLORER_PYTHON312)")
    start = time.monotonic()
    venv = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=300)
    venv_python = str(venv / "bin" / "python")
    install = subprocess.run([venv_python, "-m", "pip", "install", "--quiet", "-r", str(ROOT / "requirements.txt")],
                             capture_output=True, text=True, timeout=1200)
    assert install.returncode == 0, install.stderr[-3000:]
    installed = time.monotonic()
    frozen = subprocess.run([venv_python, "-m", "pip", "freeze"], capture_output=True, text=True, check=True).stdout
    assert "streamlit==" in frozen and "keras==" in frozen
    assert not [p for p in DEV_ONLY if f"\n{p}==" in "\n" + frozen.lower()], "a dev-only package came with it"

    with running_app(ROOT / "tests" / "artifacts" / "server_deploy.log", python=venv_python,
                     start_timeout_s=300) as (proc, url), sync_playwright() as p:
        serving = time.monotonic()
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        page.goto(url + "/gan_training")
        _idle(page)
        page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Train", exact=True).click()
        n = Config.for_target().n_epochs  # the page's default run: x²'s own defaults (settings/defaults.py)
        page.get_by_text(f"Run finished at {n:,} of {n:,} iterations").wait_for(timeout=600_000)
        trained = time.monotonic()
        assert page.locator("[data-testid=stException]").count() == 0
        assert page.locator("[data-testid=stVegaLiteChart]").count() >= 4
        version = subprocess.run([venv_python, "--version"], capture_output=True, text=True).stdout.strip()
        browser.close()
    _report(test="deploy", python=version.replace(" ", "_"), venv_and_install_s=round(installed - start, 1),
            server_up_s=round(serving - installed, 1), page_to_trained_run_s=round(trained - serving, 1),
            clean_to_trained_s=round(trained - start, 1))
