"""Start `streamlit run` on a free port and drive it with Debian's chromium (Playwright):
shared by the real-browser tests and the benchmarks that need a browser."""
from __future__ import annotations

import contextlib
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(log_path=None, options=(), prefix=(), python=sys.executable, start_timeout_s=120):
    """(process, url) of a fresh `streamlit run streamlit_app.py`, stopped on exit. The server's
    output goes to `log_path` when given (a failing browser test's evidence), else nowhere.
    `prefix` goes before the command (bench/app_speed.py --pin: taskset); `python` runs it
    (tests/test_deploy.py: a fresh virtual environment's)."""
    port = free_port()
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL
    proc = subprocess.Popen(
        [*prefix, python, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         *options],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT if log_path else subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if k != "GAN_EXPLORER_WARM"})  # a server warms up as deployed
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(2 * start_timeout_s):
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("streamlit did not start")
        yield proc, url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)
        if log_path:
            log.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads (psutil when installed, else /proc)."""
    try:
        import psutil
    except ImportError:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()  # the name in (...) may hold spaces
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def cpu_share(pid: int, seconds: float = 3.0) -> float:
    """Cores a process kept busy over the next `seconds` (1.0: one core all the time)."""
    start, t0 = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return (cpu_seconds(pid) - start) / (time.monotonic() - t0)


def launch_chromium(playwright, executable=None):
    return playwright.chromium.launch(executable_path=executable or CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def wait_idle(page, timeout=120_000):
    """Wait until the app's script run has finished."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
