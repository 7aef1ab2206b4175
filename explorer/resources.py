"""Read-only things every visitor shares (st.cache_resource): the MNIST digits, the digit
classifier, the shipped generator and the made-up shapes. Nothing a visitor trains or uploads is
cached here."""
from __future__ import annotations

import streamlit as st


@st.cache_resource(show_spinner="Loading MNIST…")
def digits(scale: str = "unit"):
    from gan_core.data.mnist import load_digits

    return load_digits(scale)


@st.cache_resource(show_spinner=False)
def classifier():
    from gan_core.data.mnist import load_classifier

    return load_classifier()


@st.cache_resource(show_spinner=False)
def pretrained_generator():
    from gan_core.data.mnist import load_pretrained_generator

    return load_pretrained_generator()


def data_caption(data) -> None:
    st.caption(f"Data: {data.source}." + (f" {data.note}" if data.note else ""))


@st.cache_resource(show_spinner=False)
def made_up_shapes(side: int, color: str):
    """The images kind's example: the made-up squares and circles its runs train on without an upload."""
    from gan_core import kinds
    from gan_core.data.images import made_up_shapes as make

    return make(kinds.SHAPES_COUNT, side, color=color == "color")

