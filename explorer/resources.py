"""Read-only things every visitor shares (st.cache_resource): the MNIST digits, the digit
classifier, the shipped generator and the made-up shapes; and (st.cache_data) the Dirac-GAN lesson's
paths and field, pure functions of its settings. Nothing a visitor trains or uploads is
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
def pretrained_generator(conditional: bool = False):
    from gan_core.data.mnist import load_pretrained_generator

    return load_pretrained_generator(conditional)


def data_caption(data) -> None:
    st.caption(f"Data: {data.source}." + (f" {data.note}" if data.note else ""))


@st.cache_resource(show_spinner=False)
def made_up_shapes(side: int, color: str):
    """The images kind's example: the made-up squares and circles its runs train on without an upload."""
    from gan_core import kinds
    from gan_core.data.images import made_up_shapes as make

    return make(kinds.SHAPES_COUNT, side, color=color == "color")



@st.cache_data(max_entries=128, show_spinner=False)
def dirac_lesson(settings: str) -> tuple[dict, object]:
    """The Dirac-GAN lesson for settings (DiracConfig's JSON): each update's path and the eigenvalues at
    the equilibrium. Pure functions of the settings: every visitor may share them."""
    import json
    from dataclasses import replace

    from gan_core.settings.config import DIRAC_UPDATES, DiracConfig
    from gan_core.teaching import dirac

    config = DiracConfig.from_dict(json.loads(settings))
    paths = {update: dirac.trajectory(replace(config, update=update)) for update in DIRAC_UPDATES}
    return paths, dirac.eigenvalues(config)


@st.cache_data(max_entries=128, show_spinner=False)
def dirac_field(settings: str, extent: float):
    """The lesson's gradient field on a grid over [−extent, extent]²."""
    import json

    from gan_core.settings.config import DiracConfig
    from gan_core.teaching import dirac

    return dirac.field(DiracConfig.from_dict(json.loads(settings)), extent=extent, n=15)
