import os
import sys

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
