import os
import sys

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# No background compile in this process (AppTest runs the app in it): a short test run would end
# while TensorFlow compiles in that daemon thread, and the process would abort at exit (status 134).
# The servers that tests/app_server.py starts get it back: they warm up as a deployment does.
os.environ["GAN_EXPLORER_WARM"] = "0"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

# A freshly booted machine (a new CI container) has a small time.monotonic(): code must not
# assume a large clock. GAN_EXPLORER_UPTIME=60 makes this process's clock read about 60 s.
if os.environ.get("GAN_EXPLORER_UPTIME"):
    import time

    _real_monotonic = time.monotonic
    _offset = _real_monotonic() - float(os.environ["GAN_EXPLORER_UPTIME"])
    time.monotonic = lambda: _real_monotonic() - _offset

# TensorFlow set up as the app does it (a device per training slot), before any test starts it
import explorer  # noqa: E402,F401


@pytest.fixture(autouse=True, scope="session")
def _run_store(tmp_path_factory):
    """The run store (gan_core/keeping/store.py) in a temporary folder, for this process and the CLI and app
    servers it starts: no test writes runs/store into the repository."""
    os.environ["GAN_EXPLORER_STORE"] = str(tmp_path_factory.mktemp("store"))
