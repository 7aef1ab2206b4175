"""The visitor's own rows for a point-set kind: a CSV uploaded in the sidebar, read once per file (its
rows, or why it was not used: the rows uploaded before are kept), or points drawn on the plane
(explorer/drawing.py), kept under the same key, so that they train, bundle and download as one."""
from __future__ import annotations

import streamlit as st

from gan_core.data.points import MAX_BYTES as CSV_MAX_BYTES
from gan_core.data.points import PointsError

from . import session
from .text import literal


def csv_upload(entry) -> None:
    """The kind's CSV uploader (in the sidebar), each file read once: its rows, or why it was not used
    (the rows uploaded before are kept); and which rows are in use."""
    kind, prefix, what = entry.kind, entry.prefix, entry.rows
    seen, uploaded_key, error = session.UPLOAD_SEEN(prefix), session.UPLOADED(prefix), session.UPLOAD_ERROR(prefix)
    upload = st.file_uploader(f"Your {what}: a CSV of {', '.join(kind.columns)}", type=["csv", "txt"],
                              key=session.UPLOADER(prefix).name, help=kind.upload_rules,
                              max_upload_size=CSV_MAX_BYTES // 2**20)  # it says "8MB", not the app's 50
    if upload is not None and seen.get() != (upload.name, upload.size):
        seen.set((upload.name, upload.size))  # read each file once
        try:
            uploaded_key.set((upload.name, kind.read_upload(upload.getvalue())))
            error.pop()
        except PointsError as err:
            error.set(f"{upload.name} was not used: {err}")
    if message := error.get():
        st.error(literal(message))
    if uploaded := uploaded_key.get():
        st.caption(literal(f"Using {uploaded[0]}: {len(uploaded[1]):,} {what}."))
