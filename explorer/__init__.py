"""What the pages share, one job per module: a visitor's run as the app holds it (app_run), every
session-state key (session), page state (state), shared links (links), the sidebar (sidebar), numbers
typed as text (fields), the visitor's own rows (uploads), settings forms (forms), run controls
(controls), the live view (live), the visitor's presence (lifecycle), training workers (worker) and
their TensorFlow devices (devices), cached read-only data (resources). gan_core does the training
and the charts; this package only wires them to Streamlit."""
import os

import gan_core  # noqa: F401  (its compile cache is set before TensorFlow starts: devices.configure starts it)

from . import devices
from .worker import default_slots

# TensorFlow's pools: one intra-op pool of one thread per training slot (devices.py says why and
# what it measured); the inter-op pool, which runs a graph's independent ops, one thread per slot.
os.environ.setdefault("TF_NUM_INTEROP_THREADS", str(min(default_slots(), os.cpu_count() or 1)))
devices.configure(default_slots())
