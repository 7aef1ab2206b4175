"""What the pages share, one job per module: page state (state), shared links (links),
settings forms (forms), run controls (controls), the live view (live), the visitor's
presence (lifecycle), training workers (worker), cached read-only data (resources).
gan_core does the training and the charts; this package only wires them to Streamlit."""
import os

from .worker import default_slots

# TensorFlow sizes its thread pools when it starts. Measured on 2 cores (bench/concurrency.py):
# the slots alone keep concurrent runs from thrashing (8 1-D runs at once: 1.7x the throughput of
# one), and an MNIST run needs every core for its convolutions (14.4 iterations/s with 2
# intra-op threads, 8.9 with cores / slots = 1; two runs at once: 0.92x and 1.00x of one alone).
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", str(os.cpu_count() or 1))
os.environ.setdefault("TF_NUM_INTEROP_THREADS", str(min(default_slots(), os.cpu_count() or 1)))
