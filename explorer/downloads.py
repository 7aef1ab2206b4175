"""A run's downloads: history CSV, the generator (.keras), the config (JSON), the replay (GIF)."""
from __future__ import annotations

import os
import tempfile

import streamlit as st

from gan_core.teaching.animation import replay_gif

from . import session


def generator_bytes(run, evaluation=None) -> bytes:
    """The generator (or its snapshot at `evaluation`) as .keras bytes. model.save() wants a
    .keras path, not a buffer; the bytes are kept per run and check-in so a rerun does not save
    the model again. OSError (a full disk, a read-only temp folder) goes to the caller."""
    iteration = evaluation.iteration if evaluation is not None else run.iteration
    key = (id(run), iteration)
    cache = session.GENERATOR_BYTES.setdefault()
    if key not in cache:
        cache.clear()  # only the latest choice is kept
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "generator.keras")
            run.save_generator(path, *([evaluation] if evaluation is not None else []))
            with open(path, "rb") as f:
                cache[key] = f.read()
    return cache[key]


def buttons(run, evaluation=None, losses: bool = False) -> None:
    cols = st.columns(5 if losses else 4)
    cols[0].download_button("History (CSV)", run.history_frame().to_csv(index=False), "history.csv", "text/csv",
                            width="stretch")
    label = f"Generator at {evaluation.iteration:,} (.keras)" if evaluation is not None else "Generator (.keras)"
    try:
        cols[1].download_button(label, generator_bytes(run, evaluation), "generator.keras", width="stretch")
    except OSError as err:  # the file is written to a temp folder first: the run itself is untouched
        cols[1].warning(f"The generator file could not be written on the server ({err.strerror or err}); "
                        "the run and its other downloads are kept. Try again later.")
    if losses:
        cols[2].download_button("Losses per batch (CSV)", run.losses_frame().to_csv(index=False), "losses.csv",
                                "text/csv", width="stretch")
    cols[-2].download_button("Config (JSON)", run.config.to_json(), "config.json", "application/json",
                             width="stretch")
    # made when clicked (Streamlit runs the callable then): a few hundred frames take a second or two
    cols[-1].download_button("Replay (GIF)", lambda: replay_gif(run), "replay.gif", "image/gif", width="stretch",
                             help="The stored check-ins as an animation, one frame each.")
