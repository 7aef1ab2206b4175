"""Generator preview on MNIST digits: what a generator makes of latent points."""
from __future__ import annotations

import numpy as np
import streamlit as st

from explorer import forms, resources, state
from explorer.state import kept
from explorer.text import literal
from gan_core.data.mnist import load_generator_file, to_unit
from gan_core.networks.latent import generate, interpolate, sample_latent
from gan_core.teaching import pictures


def show_grid(slot, images, caption, columns=10):
    slot.image(pictures.image_grid(images, columns), caption=caption, clamp=True)


st.title("Generator preview · MNIST")
st.write("What a generator makes of latent points: a 10×10 grid from random points, the all-zeros "
         "vector (the tutorial's shows a 9 or an 8), and a straight walk between two points.")
trained = state.page_state(forms.page_name("gan")).run
sources = ["untrained generator"]
if resources.pretrained_generator() is not None:
    sources.append("pretrained generator shipped with the app")
if trained is not None and trained.history:
    sources.append("the generator trained on the GAN page")
sources.append("upload a generator (.keras)")
if st.session_state.get("w_mpreview_source") not in sources:
    st.session_state["w_mpreview_source"] = sources[1] if len(sources) > 2 else sources[0]
source = st.radio("Generator", sources, horizontal=True, **kept("w_mpreview_source", sources[0]))

seed = forms.seed()
scale = "unit"
if source == "untrained generator":
    c1, c2 = st.columns(2)
    latent_dim = forms.count_input("latent_dim", "w_mpreview_latent_dim", 100, 1, 512, c1)
    filters = forms.count_input("filters", "w_mpreview_filters", 128, 1, 256, c2)
    if latent_dim is None or filters is None:
        st.stop()
    key = (int(latent_dim), int(filters), seed)
    if st.session_state.get("mpreview_key") != key:
        from gan_core.networks.models import define_image_generator
        from gan_core.training.seeds import network_seed

        st.session_state["mpreview_generator"] = define_image_generator(*key[:2], seed=network_seed(seed, "g"))
        st.session_state["mpreview_key"] = key
    generator = st.session_state["mpreview_generator"]
elif source.startswith("pretrained"):
    generator = resources.pretrained_generator()
    st.caption("The DCGAN paper's networks (with batch norm), not the tutorial's: trained by "
               "`scripts/train_generator.py` on the shipped digits, 18 minutes on a 2-core CPU, for a classifier "
               "score of 6.6–6.7 (real digits: 9.2; the tutorial's networks levelled off at 5.5–5.7).")
elif source.startswith("the generator trained"):
    generator, scale = trained.generator, trained.config.scale
    st.caption(f"Trained for {trained.iteration:,} iterations in this session"
               f"{' (still training: rerun to see it move on)' if state.page_state('mgan').training else ''}.")
else:
    upload = st.file_uploader("A generator saved with model.save('….keras')", type=["keras"],
                              key="mpreview_upload")
    if upload is not None and st.session_state.get("mpreview_upload_name") != (upload.name, upload.size):
        try:
            st.session_state["mpreview_uploaded"] = load_generator_file(upload.getvalue(), upload.name)
            st.session_state["mpreview_upload_name"] = (upload.name, upload.size)
        except ValueError as err:
            st.error(literal(err))
    generator = st.session_state.get("mpreview_uploaded")
    if generator is None:
        st.info("Upload a Keras generator that maps (None, latent_dim) to (None, 28, 28, 1); it is loaded "
                "in safe mode.")
        st.stop()
    if generator.layers and getattr(generator.layers[-1], "activation", None) is not None and \
            getattr(generator.layers[-1].activation, "__name__", "") == "tanh":
        scale = "tanh"
latent_dim = int(generator.input_shape[1])


def images(points):
    return to_unit(generate(generator, points), scale)[..., 0]


rng = np.random.default_rng(seed)
show_grid(st, images(sample_latent(100, latent_dim, rng)), f"100 random latent points (seed {seed})")
st.subheader("Latent explorer")
c1, c2, c3 = st.columns(3)
a_seed = forms.count_input("point A: seed", "w_mpreview_a", 1, 0, 10_000, c1)
b_seed = forms.count_input("point B: seed", "w_mpreview_b", 2, 0, 10_000, c2)
steps = c3.slider("steps", 2, 20, **kept("w_mpreview_steps", 10))
if a_seed is None or b_seed is None:
    st.stop()
a = sample_latent(1, latent_dim, np.random.default_rng(int(a_seed)))[0]
b = sample_latent(1, latent_dim, np.random.default_rng(int(b_seed)))[0]
zeros = np.zeros((1, latent_dim), np.float32)
left, right = st.columns([1, 4])
show_grid(left, images(np.concatenate([zeros, a[None]])), "all zeros · point A", columns=1)
show_grid(right, images(interpolate(a, b, int(steps))), f"from A to B in {int(steps)} steps",
          columns=int(steps))
