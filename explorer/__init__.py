"""What the pages share, one job per module: page state (state), shared links (links),
settings forms (forms), run controls (controls), the live view (live), the visitor's
presence (lifecycle), training workers (worker), cached read-only data (resources).
gan_core does the training and the charts; this package only wires them to Streamlit."""
import os

from .worker import default_slots

# TensorFlow sizes its thread pools when it starts: give each of the concurrent runs (one
# per training slot) its share of the cores, instead of every run asking for all of them.
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", str(max(1, (os.cpu_count() or 1) // default_slots())))
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")
