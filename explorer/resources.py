"""Read-only things every visitor shares (st.cache_resource): the MNIST digits, the digit
classifier and the shipped generator. Nothing a visitor trains is cached here."""
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
