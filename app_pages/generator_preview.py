"""Generator preview: what a generator makes of latent points, and a walk through its latent space."""
from __future__ import annotations

import numpy as np
import streamlit as st

from explorer import fields, forms, session, sidebar, state
from explorer.charts import line, plane, specs
from explorer.forms import SettingsForm
from gan_core.networks import latent
from gan_core.networks.latent import generate, interpolate, sample_latent

MAX_SLIDERS = 6
page = state.page_state(sidebar.page_name("preview"))
defaults = forms.page_defaults(sidebar.page_name("gan"))

on_line = sidebar.chosen().on_line  # a sample is one number (experiments.py)
st.title(sidebar.chosen().heading("preview"))
st.write("The generator maps points of a *latent space* (latent_dim numbers drawn from a standard Gaussian) "
         f"to samples {'x' if on_line else '(x, y)'}. Untrained, it makes a small blob that has nothing to do "
         "with the real data; trained on the **GAN training** page, it draws the real data.")

trained = state.page_state(sidebar.page_name("gan")).run
sources = ["untrained generator"] + (["the generator trained on the GAN page"] if trained is not None and
                                     trained.history else [])
if page.widget("source").get() not in sources:
    page.widget("source").set(sources[0])
source = st.radio("Generator", sources, horizontal=True, **page.widget("source").kept(sources[0]))
if len(sources) == 1:
    st.caption("Train a GAN on the **GAN training** page and it will appear here too.")

form = SettingsForm(page, defaults=defaults)
if source == sources[0]:
    c1, c2, c3, c4 = st.columns(4)
    for column, name in zip((c1, c2, c3), ("latent_dim", "g_hidden", "g_activation")):
        with column:
            form.field(name)
    n_points = fields.count_input("points", page.widget("n"), 100, 10, 5000, c4)
    config = form.config()
    if config is None or n_points is None:
        st.stop()
    key = (config.latent_dim, config.g_hidden, config.g_activation, config.seed)
    built, made = session.PREVIEW_SETTINGS(page.name), session.PREVIEW_GENERATOR(page.name)
    if built.get() != key:  # build once per setting, kept for this visitor
        from gan_core.networks.models import define_generator
        from gan_core.training.seeds import network_seed

        made.set(define_generator(config.latent_dim, config.g_hidden, config.g_activation,
                                  seed=network_seed(config.seed, "g")))
        built.set(key)
    generator, latent_dim = made.get(), config.latent_dim
    target = config.make_target(sidebar.uploaded_points())
    label = f"untrained generator (seed {config.seed})"
else:
    n_points = fields.count_input("points", page.widget("n"), 100, 10, 5000)
    if n_points is None:
        st.stop()
    generator, target, latent_dim = forms.trained_generator(page.widget("generator"), trained), trained.target, trained.config.latent_dim
    label = f"generator trained for {trained.iteration:,} iterations"
    if state.page_state(sidebar.page_name("gan")).training:
        st.caption("That run is still training: this shows its generator as it is now; rerun to see it move on.")

rng = np.random.default_rng(sidebar.seed())
fake = generate(generator, sample_latent(int(n_points), latent_dim, rng))
real = target.sample_real(int(n_points), rng)

st.subheader("Latent explorer")
shown = min(latent_dim, MAX_SLIDERS)
st.write(f"Move a latent point (the first {shown} of its {latent_dim} dimensions"
         f"{'; the rest stay 0' if latent_dim > shown else ''}): the black diamond marks where it lands. "
         "The green path is the straight line from it to a second latent point B.")
cols = st.columns(shown)
point_a = np.zeros(latent_dim, np.float32)
for i, col in enumerate(cols):
    point_a[i] = col.slider(f"z[{i}]", -3.0, 3.0, step=0.1, **page.widget(f"z{i}").kept(0.0))
c1, c2 = st.columns(2)
b_seed = fields.count_input("B: random latent point, seed", page.widget("bseed"), 7, 0, 10_000, c1)
steps = c2.slider("steps on the path", 2, 50, **page.widget("steps").kept(15))
if b_seed is None:
    st.stop()
point_b = sample_latent(1, latent_dim, np.random.default_rng(int(b_seed)))[0]
path = generate(generator, interpolate(point_a, point_b, steps))

if on_line:  # numbers: their densities, and the generator's map from z to x (Goodfellow et al. 2014, Figure 1)
    x_dom = (min(target.bounds()[0][0], float(fake.min())), max(target.bounds()[0][1], float(fake.max())))
    left, right = st.columns(2)
    left.altair_chart(line.line_chart(line.line_frame(None, real, fake, x_dom), x_dom,
                                        f"Real (red) vs {label} (blue)"), width="stretch")
    z = latent.line(60, latent_dim)
    right.altair_chart(line.map_chart(line.map_frame(np.column_stack([z[:, 0], generate(generator, z)[:, 0]])),
                                        x_dom), width="stretch")
    path_map = np.column_stack([interpolate(point_a, point_b, steps)[:, 0], path[:, 0]])
    st.altair_chart(line.map_chart(line.map_frame(path_map), x_dom, "The path from A to B: z[0] (below) to x "
                                     "(above)"), width="stretch")
    st.caption(f"Point A lands at x = {path[0, 0]:.3f}; B at x = {path[-1, 0]:.3f}.")
    st.stop()
frame = plane.points_frame(real=real, fake=fake, curve=target.curve(200), path=path, point=path[:1])
x_dom, y_dom = specs.axes_for(target, extra_points=(fake, path))
chart = plane.samples_chart(frame, f"Real (red) vs {label} (blue)", x_dom, y_dom,
                             kinds=("real", "fake", "f(x)", "path", "point"))
st.altair_chart(chart, width="stretch")
st.caption(f"Point A lands at ({path[0, 0]:.3f}, {path[0, 1]:.3f}); B at ({path[-1, 0]:.3f}, {path[-1, 1]:.3f}).")
