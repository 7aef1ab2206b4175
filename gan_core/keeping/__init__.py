"""Keeping runs: the run store (SQLite), a run as one zip (bundle), TensorBoard event files (events)."""
