"""The visitor's own data, uploaded in the sidebar: a point-set kind's rows (a CSV, read once per file: its
rows, or why it was not used, the rows uploaded before kept; or points drawn on the plane,
explorer/drawing.py, kept under the same key, so that they train, bundle and download as one), and the
images kind's pictures (files, a folder or one .zip: read once per upload, prepared at the sidebar's side
and colour; a refused upload says why at the uploader and the pictures uploaded before stay in use)."""
from __future__ import annotations

import streamlit as st

from gan_core.data import images as pictures_data
from gan_core.data.points import MAX_BYTES as CSV_MAX_BYTES
from gan_core.data.points import PointsError

from . import resources, session
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


# ---- the images kind: the visitor's pictures ------------------------------------------------------
PICTURE_TYPES = [ext.lstrip(".") for ext in pictures_data.EXTENSIONS]
UPLOAD = "upload"  # the sidebar's choice of the visitor's own pictures (experiments.py's labels); else made-up shapes


def read_pictures(files, side: int, color: str):
    """An upload's pictures prepared alike (data/images.py), from (name, bytes) pairs: one .zip (its folders'
    pictures), or many files (a folder's); ImagesError names the bad file and says what is allowed."""
    files = list(files)
    if len(files) > pictures_data.MAX_FILES:  # before any reading (Streamlit's uploader hangs long before)
        raise pictures_data.ImagesError(f"the upload: {len(files):,} files, more than {pictures_data.MAX_FILES:,}. "
                                        f"Allowed: {pictures_data.RULES}.")
    if len(files) == 1 and files[0][0].lower().endswith(".zip"):
        return pictures_data.read_zip(files[0][1], files[0][0], side, color)
    return pictures_data.read_images(files, side, color, source="your upload")


def _signature(upload) -> tuple:
    return tuple((f.name, f.size) for f in upload or ())


def pictures_upload() -> None:
    """The images kind's uploaders (in the sidebar): many pictures or one .zip, or a whole folder; each upload
    read once at the sidebar's side and colour. A refused one says why here (its ImagesError: the file, what
    is allowed) and the pictures in use stay; which pictures are in use."""
    rules = pictures_data.RULES
    limit = pictures_data.MAX_BYTES // 2**20
    seen = session.PICTURES_SEEN.setdefault()
    for key, label, accept in (
            (session.PICTURES_FILES, "Your pictures, or one .zip of them", True),
            (session.PICTURES_FOLDER, "…or a whole folder", "directory")):
        upload = st.file_uploader(label, type=[*PICTURE_TYPES, *(["zip"] if accept is True else [])],
                                  accept_multiple_files=accept, key=key.name, help=rules, max_upload_size=limit)
        signature = _signature(upload)
        if signature and seen.get(key.name) != signature:
            seen[key.name] = signature  # read each upload once
            _take([(f.name, f.getvalue()) for f in upload], signature)
    if message := session.PICTURES_ERROR.get():
        st.error(literal(message), icon=":material/error:")
    if (images := pictures()) is not None:
        st.caption(literal(f"Using {images.source}."))


def _take(files, signature) -> None:
    """An upload, prepared at the sidebar's side and colour: kept in use, or refused (the last good one stays)."""
    side, color = session.PICTURES_SIDE.get(), session.PICTURES_COLOR.get()
    try:
        prepared = read_pictures(files, side, color)
    except pictures_data.ImagesError as err:
        session.PICTURES_ERROR.set(f"Not used: {err}")
        return
    session.PICTURES_ERROR.pop()
    session.PICTURES_KEPT.set((signature, tuple(files)))
    session.PICTURES_PREPARED.set(((signature, side, color), prepared))


def pictures():
    """The pictures the images kind's pages train on now: the made-up shapes, or the visitor's last good upload
    prepared at the sidebar's side and colour (prepared again only when those change); None while the
    visitor's own are chosen and none were taken yet."""
    side, color = session.PICTURES_SIDE.get(), session.PICTURES_COLOR.get()
    if session.PICTURES.get() != UPLOAD:
        return resources.made_up_shapes(side, color)
    kept = session.PICTURES_KEPT.get()
    if kept is None:
        return None
    signature, files = kept
    prepared = session.PICTURES_PREPARED.get()
    if prepared is not None and prepared[0] == (signature, side, color):
        return prepared[1]
    try:  # another side or colour of pictures read before: nothing in them changes what is refused
        images = read_pictures(files, side, color)
    except pictures_data.ImagesError as err:
        session.PICTURES_ERROR.set(f"Not used: {err}")
        return None
    session.PICTURES_PREPARED.set(((signature, side, color), images))
    return images


def real_images(entry, scale: str = "unit"):
    """The pictures an image kind's pages train on: MNIST's digits (at `scale`), or the sidebar's pictures
    (None while the visitor's own are chosen and none were uploaded)."""
    return resources.digits(scale) if entry.classified else pictures()
