"""Generator preview on pictures (MNIST's digits or the visitor's own): what a generator makes of latent points."""
from __future__ import annotations

import numpy as np
import streamlit as st

from explorer import fields, forms, pictures, resources, session, sidebar, state, uploads
from explorer.text import literal
from gan_core.data.mnist import load_generator_file, to_unit
from gan_core.networks import conditional
from gan_core.networks.latent import generate, interpolate, sample_latent
from gan_core.settings.config import ImageConfig


entry = sidebar.chosen()
PRETRAINED_CONDITIONAL = ("A conditional GAN (the DCGAN paper's networks, the digit's one-hot code after the latent "
                          "point and as 10 extra channels of the discriminator's input) with a moving average of its "
                          "weights: trained by `python -m gan_core train --target mnist --conditional --ema 0.999` on "
                          "the shipped digits. Its measured scores: docs/models.md.")
PREFIX = session.MNIST_PREVIEW + ("" if entry.classified else "_" + entry.states["gan"])  # a kind's own widgets


def widget(field: str) -> session.Key:
    """The session key of this page's widget for `field` (the preview keeps no PageState)."""
    return session.FIELD(PREFIX, field)


def show_grid(slot, images, caption, columns=10):
    pictures.show(slot, images, caption, columns)


st.title(entry.heading("preview"))
st.write("What a generator makes of latent points: a 10×10 grid from random points, the all-zeros "
         "vector" + (" (the tutorial's shows a 9 or an 8)" if entry.classified else "")
         + ", and a straight walk between two points" + (" (a conditional generator's asked for the digit you "
                                                         "choose, and a walk from one digit to another)"
                                                         if entry.conditional else "") + ".")
gan_page = state.page_state(sidebar.page_name("gan"))
trained = gan_page.run
sources = ["untrained generator"]
if entry.classified and resources.pretrained_generator() is not None:
    sources.append("pretrained generator shipped with the app")
if entry.conditional and resources.pretrained_generator(conditional=True) is not None:
    sources.append("pretrained conditional generator (pick the digit)")
if trained is not None and trained.history:
    sources.append("the generator trained on the GAN page")
if entry.classified:
    sources.append("upload a generator (.keras)")
if widget("source").get() not in sources:
    # the pretrained digits' generator, else the one trained on the GAN page, else an untrained one
    widget("source").set(sources[1] if len(sources) > 2 or (not entry.classified and len(sources) > 1) else sources[0])
source = st.radio("Generator", sources, horizontal=True, **widget("source").kept(sources[0]))

seed = sidebar.seed()
scale = "unit"
shape = None  # a visitor's pictures: (side, side, channels) of an untrained generator's
asks = False  # a conditional generator: it takes the digit asked for after the latent point (networks/conditional.py)
if source == "untrained generator":
    defaults = (100, 128) if entry.classified else (entry.kind.settings().latent_dim, entry.kind.settings().g_filters)
    c1, c2 = st.columns(2)
    latent_dim = fields.count_input("latent_dim", widget("latent_dim"), defaults[0], 1, 512, c1)
    filters = fields.count_input("filters", widget("filters"), defaults[1], 1, 256, c2)
    if latent_dim is None or filters is None:
        st.stop()
    if entry.conditional:
        asks = st.toggle("conditional (pick the digit)", help=ImageConfig.settings()["conditional"].help,
                         **widget("conditional").kept(False))
    if not entry.classified:  # pictures of the side and colour the sidebar prepares
        real = uploads.real_images(entry)
        settings = sidebar.shared_settings()
        shape = (settings["side"], settings["side"],
                 real.channels if real is not None else 3 if settings["color"] == "color" else 1)
        scale = entry.kind.settings().scale
    key = (int(latent_dim), int(filters), seed, shape, asks)
    built, made = session.PREVIEW_SETTINGS(PREFIX), session.PREVIEW_GENERATOR(PREFIX)
    if built.get() != key:
        from gan_core.networks.models import define_image_generator, image_generator
        from gan_core.training.seeds import network_seed

        width = key[0] + (conditional.N_CLASSES if asks else 0)  # the one-hot digit after the latent point
        made.set(define_image_generator(width, key[1], seed=network_seed(seed, "g")) if shape is None else
                 image_generator(entry.kind.settings(latent_dim=key[0], g_filters=key[1]),
                                 seed=network_seed(seed, "g"), shape=shape))
        built.set(key)
    generator = made.get()
elif source.startswith("pretrained conditional"):
    generator, asks = resources.pretrained_generator(conditional=True), True
    st.caption(PRETRAINED_CONDITIONAL)
elif source.startswith("pretrained"):
    generator = resources.pretrained_generator()
    st.caption("The DCGAN paper's networks (with batch norm), not the tutorial's: trained by "
               "`scripts/train_generator.py` on the shipped digits, 18 minutes on a 2-core CPU, for a classifier "
               "score of 6.6–6.7 (real digits: 9.2; the tutorial's networks levelled off at 5.5–5.7).")
elif source.startswith("the generator trained"):
    generator, scale, shape = (forms.trained_generator(widget("generator"), trained), trained.config.scale,
                               getattr(trained, "shape", None))
    asks = conditional.is_on(trained.config)
    st.caption(f"Trained for {trained.iteration:,} iterations in this session"
               f"{' (still training: rerun to see it move on)' if gan_page.training else ''}.")
else:
    upload = st.file_uploader("A generator saved with model.save('….keras')", type=["keras"],
                              key=session.GENERATOR_UPLOAD.name)
    if upload is not None and session.GENERATOR_UPLOAD_SEEN.get() != (upload.name, upload.size):
        try:
            session.GENERATOR_UPLOADED.set(load_generator_file(upload.getvalue(), upload.name))
            session.GENERATOR_UPLOAD_SEEN.set((upload.name, upload.size))
        except ValueError as err:
            st.error(literal(err))
    generator = session.GENERATOR_UPLOADED.get()
    if generator is None:
        st.info("Upload a Keras generator that maps (None, latent_dim) to (None, 28, 28, 1); it is loaded "
                "in safe mode.")
        st.stop()
    if generator.layers and getattr(generator.layers[-1], "activation", None) is not None and \
            getattr(generator.layers[-1].activation, "__name__", "") == "tanh":
        scale = "tanh"
latent_dim = int(generator.input_shape[1]) - (conditional.N_CLASSES if asks else 0)
digit = None  # a conditional generator's: the digit asked for
if asks:
    digit = st.segmented_control("Digit", list(range(conditional.N_CLASSES)), help="The digit the generator is "
                                 "asked for: its one-hot code goes in after each latent point.",
                                 **widget("digit").kept(0))
    if digit is None:
        st.info("Choose a digit.")
        st.stop()


def images(points, digits=None):
    """Pictures in [0, 1] for latent points; a conditional generator's asked for `digits` (by default the one
    chosen above): a digit for each, or label vectors (a walk between two digits)."""
    if asks:
        points = conditional.latent_with(points, np.full(len(points), digit) if digits is None else digits)
    unit = to_unit(generate(generator, points), scale)
    return unit if not entry.classified else unit[..., 0]


rng = np.random.default_rng(seed)
show_grid(st, images(sample_latent(100, latent_dim, rng)), f"100 random latent points (seed {seed})"
          + (f", each asked for a {digit}" if asks else ""))
st.subheader("Latent explorer")
c1, c2, c3 = st.columns(3)
a_seed = fields.count_input("point A: seed", widget("a"), 1, 0, 10_000, c1)
b_seed = fields.count_input("point B: seed", widget("b"), 2, 0, 10_000, c2)
steps = c3.slider("steps", 2, 20, **widget("steps").kept(10))
if a_seed is None or b_seed is None:
    st.stop()
a = sample_latent(1, latent_dim, np.random.default_rng(int(a_seed)))[0]
b = sample_latent(1, latent_dim, np.random.default_rng(int(b_seed)))[0]
zeros = np.zeros((1, latent_dim), np.float32)
left, right = st.columns([1, 4])
show_grid(left, images(np.concatenate([zeros, a[None]])), "all zeros · point A", columns=1)
show_grid(right, images(interpolate(a, b, int(steps))), f"from A to B in {int(steps)} steps"
          + (f", each asked for a {digit}" if asks else ""), columns=int(steps))
if asks:  # keras.io's interpolation: the latent point held, the label moving from one digit's code to another's
    st.subheader("From one digit to another")
    c1, c2 = st.columns(2)
    digits = list(range(conditional.N_CLASSES))
    start = c1.selectbox("from digit", digits, **widget("from_digit").kept(1))
    end = c2.selectbox("to digit", digits, **widget("to_digit").kept(7))
    show_grid(st, images(np.repeat(a[None], int(steps), axis=0), conditional.walk(start, end, int(steps))),
              f"point A held, its label from {start} to {end} in {int(steps)} steps", columns=int(steps))
