"""The three pages on MNIST digits: the same experiments as 1-D, with image grids in place
of scatters. Called by the page files when the sidebar's data is "MNIST digits".

The digits, the digit classifier and the shipped generator are read-only, so
st.cache_resource shares them between visitors; every run lives in st.session_state.
"""
from __future__ import annotations

import numpy as np
import streamlit as st

import ui
from gan_core import charts
from gan_core.config import EVAL_UNITS, ImageConfig
from gan_core.metrics import DIGIT_SCORE_LABELS

PRESETS = {"interactive (narrow, fast on a CPU)": ImageConfig(),
           "the tutorial's networks (slow on a CPU)": ImageConfig.tutorial()}


@st.cache_resource(show_spinner="Loading MNIST…")
def digits(scale: str = "unit"):
    from gan_core.mnist import load_digits

    return load_digits(scale)


@st.cache_resource(show_spinner=False)
def classifier():
    from gan_core.mnist import load_classifier

    return load_classifier()


@st.cache_resource(show_spinner=False)
def pretrained_generator():
    from gan_core.mnist import load_pretrained_generator

    return load_pretrained_generator()


def data_caption(data) -> None:
    st.caption(f"Data: {data.source}." + (f" {data.note}" if data.note else ""))


def show_grid(slot, images, caption, columns=10):
    slot.image(charts.image_grid(images, columns), caption=caption, clamp=True)


def image_form(page: str, discriminator_only: bool = False) -> ImageConfig | None:
    """The MNIST settings, starting from a preset."""
    form = ui.SettingsForm(page, ImageConfig)
    preset_name = st.selectbox("Start from", list(PRESETS), key=ui.widget_key(f"w_{page}_preset", list(PRESETS)[0]),
                               help="The tutorial's full model needs about 1.3 s per batch of 256 on a 2-core CPU.")
    if st.session_state.get(f"{page}_preset_applied") != preset_name:  # a new preset resets the fields
        st.session_state[f"{page}_preset_applied"] = preset_name
        for field, value in vars(PRESETS[preset_name]).items():
            st.session_state[f"w_{page}_{field}"] = value
    preset = PRESETS[preset_name]
    with st.expander("Settings", expanded=page + "_run" not in st.session_state):
        c1, c2, c3 = st.columns(3)
        with c1:
            if not discriminator_only:
                form.number("latent_dim", "latent_dim", preset.latent_dim)
                form.number("g_filters", "generator filters", preset.g_filters)
            form.number("d_filters", "discriminator filters", preset.d_filters)
        with c2:
            if not discriminator_only:
                form.number("g_lr", "generator learning rate", preset.g_lr, step=0.0001, fmt="%.5f")
            form.number("d_lr", "discriminator learning rate", preset.d_lr, step=0.0001, fmt="%.5f")
            form.number("beta_1", "Adam beta_1", preset.beta_1, step=0.1, fmt="%.2f")
            if not discriminator_only:
                form.choice("scale", "pixels", ["unit", "tanh"], preset.scale)
        with c3:
            form.number("n_epochs", "iterations (batches)" if discriminator_only else "n_epochs", preset.n_epochs,
                        step=10)
            form.number("n_batch", "n_batch", preset.n_batch, step=2)
            form.number("n_eval", "n_eval", preset.n_eval, step=10)
            if not discriminator_only:
                form.choice("eval_unit", "n_epochs and n_eval count", list(EVAL_UNITS), preset.eval_unit)
    return form.config()


def progress_bar(run):
    return st.progress(min(run.iteration / run.n_epochs, 1.0), text=ui.progress_text(run) if run.iteration else
                       "Starting: the first chunk also builds the training graph…")



def instead(page) -> None:
    """When the sidebar says MNIST digits, draw the page's MNIST version and stop the 1-D page."""
    if ui.using_mnist():
        page()
        st.stop()

# ---- Discriminator lab ---------------------------------------------------------------------

def lab_page():
    page = "mlab"
    st.title("Discriminator lab · MNIST")
    st.write("The tutorial's convolutional discriminator alone: each iteration one update on n_batch/2 real "
             "digits (label 1) and one on n_batch/2 images of uniform noise (label 0). The tutorial reaches "
             "100 % on both within about 50 batches.")
    data = digits("unit")
    data_caption(data)
    config = image_form(page, discriminator_only=True)
    if config is not None:
        config = ImageConfig(**{**vars(config), "eval_unit": "iterations", "scale": "unit"})
    from gan_core.image_training import ImageDiscriminatorRun

    run, action = ui.apply_action(page, config, lambda c: ImageDiscriminatorRun(c, data))
    ui.controls(page, run)
    if run is None or (not run.history and action is None):
        st.info("Press **Train** (or **Step** for one check-in).")
        return
    progress = progress_bar(run)
    left, right = st.columns([2, 3])
    grid_ph, accuracy_ph, table_ph = left.empty(), right.empty(), right.empty()

    def draw(run):
        ev = run.history[-1]
        progress.progress(min(run.iteration / run.n_epochs, 1.0), text=ui.progress_text(run))
        real, noise = run.sample_real(10), run.sample_noise(10)
        p_real, p_noise = run.discriminate(real), run.discriminate(noise)
        with grid_ph.container():
            show_grid(st, real[..., 0], f"real digits: P(real) {p_real.mean():.2f} on average")
            show_grid(st, noise[..., 0], f"noise images: P(real) {p_noise.mean():.2f} on average")
        history = run.history_frame()
        accuracy_ph.vega_lite_chart(ui.plotted(history)[["iteration", "acc_real", "acc_fake"]],
                                    ui.chart_spec("accuracy"), width="stretch")
        table_ph.dataframe(history[["iteration", "acc_real", "acc_fake", "d_loss"]][::-1], hide_index=True,
                           width="stretch", height=250)

    ui.act(page, run, action, draw)
    if run.history:
        draw(run)
        st.caption(f"{'Finished' if run.done else 'Stopped'} at {run.iteration:,} of {run.n_epochs:,} iterations.")


# ---- GAN training --------------------------------------------------------------------------

def gan_page():
    page = "mgan"
    st.title("GAN training · MNIST")
    st.write("The MNIST tutorial's DCGAN: each iteration one discriminator update on n_batch/2 real and "
             "n_batch/2 generated digits, then the generator on n_batch latent points labelled real. Every "
             "n_eval: accuracy on 100 real and 100 fake digits, a 10×10 grid (the same latent points each "
             "time), and what a digit classifier makes of them.")
    config = image_form(page)
    scale = config.scale if config is not None else st.session_state.get(f"w_{page}_scale", "unit")
    data = digits(scale)
    data_caption(data)
    from gan_core.image_training import ImageGanRun

    run, action = ui.apply_action(page, config, lambda c: ImageGanRun(c, data, classifier()))
    ui.controls(page, run)
    if run is None or (not run.history and action is None):
        if run is None:
            st.info("Press **Train** (or **Step** for one check-in). The interactive preset trains 600 "
                    "iterations in about a minute.")
        return
    progress = progress_bar(run)
    left, right = st.columns(2)
    grid_ph, accuracy_ph, hist_ph, loss_ph = left.empty(), right.empty(), left.empty(), right.empty()
    scores_ph, table_ph = st.empty(), st.empty()

    def draw(run, evaluation=None):
        ev = evaluation or run.history[-1]
        progress.progress(min(run.iteration / run.n_epochs, 1.0), text=ui.progress_text(run))
        show_grid(grid_ph, ev.grid, f"generated at iteration {ev.iteration:,} (epoch {ev.epoch:.1f})")
        history = run.history_frame()
        accuracy_ph.vega_lite_chart(ui.plotted(history)[["iteration", "acc_real", "acc_fake"]],
                                    ui.chart_spec("accuracy"), width="stretch")
        losses = run.losses_frame()
        step = max(len(losses) // 1500, 1)  # keep the plotted history small
        loss_ph.vega_lite_chart(losses.iloc[::step], ui.chart_spec("batch_loss"), width="stretch")
        if ev.histogram is not None:
            hist_ph.vega_lite_chart(charts.histogram_frame(ev.histogram, ev.real_histogram),
                                    ui.chart_spec("digit_histogram"), width="stretch")
            with scores_ph.container():
                for col, name in zip(st.columns(4), DIGIT_SCORE_LABELS):
                    col.metric(DIGIT_SCORE_LABELS[name], f"{ev.scores[name]:.2f}",
                               help="Scored by the shipped digit classifier on the 100 grid digits.")
                    col.caption(f"real digits: {ev.scores[name + '_real']:.2f}")
        columns = ["iteration", "epoch", "acc_real", "acc_fake", "d_loss", "g_loss"] + (
            ["confidence", "classifier_score"] if ev.scores else [])
        table_ph.dataframe(history[columns][::-1], hide_index=True, width="stretch", height=250)

    ui.act(page, run, action, draw)
    if not run.history:
        return
    chosen = ui.replay_choice(page, run, "grid")
    draw(run, chosen)
    ui.run_caption(run)
    d1, d2, d3, d4 = st.columns(4)
    d1.download_button("History (CSV)", run.history_frame().to_csv(index=False), "history.csv", width="stretch")
    d2.download_button("Losses per batch (CSV)", run.losses_frame().to_csv(index=False), "losses.csv",
                       width="stretch")
    d4.download_button("Config (JSON)", run.config.to_json(), "config.json", width="stretch")
    ui.generator_download(d3, run, chosen, f"Generator at {chosen.iteration:,} (.keras)")


# ---- Generator preview ---------------------------------------------------------------------

def preview_page():
    page = "mpreview"
    st.title("Generator preview · MNIST")
    st.write("What a generator makes of latent points: a 10×10 grid from random points, the all-zeros "
             "vector (the tutorial's shows a 9 or an 8), and a straight walk between two points.")
    from gan_core.latent import generate, interpolate, sample_latent
    from gan_core.mnist import load_generator_file

    trained = st.session_state.get("mgan_run")
    sources = ["untrained generator"]
    if pretrained_generator() is not None:
        sources.append("pretrained generator shipped with the app")
    if trained is not None and trained.history:
        sources.append("the generator trained on the GAN page")
    sources.append("upload a generator (.keras)")
    if st.session_state.get(f"w_{page}_source") not in sources:
        st.session_state[f"w_{page}_source"] = sources[1] if len(sources) > 2 else sources[0]
    source = st.radio("Generator", sources, key=f"w_{page}_source", horizontal=True)

    seed = int(st.session_state.get("w_seed", 1))
    scale = "unit"
    if source == "untrained generator":
        c1, c2 = st.columns(2)
        latent_dim = c1.number_input("latent_dim", 1, 512, key=ui.widget_key(f"w_{page}_latent_dim", 100))
        filters = c2.number_input("filters", 1, 256, key=ui.widget_key(f"w_{page}_filters", 128))
        key = (int(latent_dim), int(filters), seed)
        if st.session_state.get(page + "_key") != key:
            from gan_core.models import define_image_generator

            st.session_state[page + "_generator"] = define_image_generator(*key[:2], seed=seed * 100 + 50)
            st.session_state[page + "_key"] = key
        generator = st.session_state[page + "_generator"]
    elif source.startswith("pretrained"):
        generator = pretrained_generator()
        st.caption("Trained by `scripts/train_generator.py` on the shipped digits (see the README for its "
                   "command and scores).")
    elif source.startswith("the generator trained"):
        generator, scale = trained.generator, trained.config.scale
        st.caption(f"Trained for {trained.iteration:,} iterations in this session.")
    else:
        upload = st.file_uploader("A generator saved with model.save('….keras')", type=["keras"],
                                  key=f"{page}_upload")
        if upload is not None and st.session_state.get(page + "_upload_name") != (upload.name, upload.size):
            try:
                st.session_state[page + "_uploaded"] = load_generator_file(upload.getvalue(), upload.name)
                st.session_state[page + "_upload_name"] = (upload.name, upload.size)
            except ValueError as err:
                st.error(str(err))
        generator = st.session_state.get(page + "_uploaded")
        if generator is None:
            st.info("Upload a Keras generator that maps (None, latent_dim) to (None, 28, 28, 1); it is loaded "
                    "in safe mode.")
            return
        if generator.layers and getattr(generator.layers[-1], "activation", None) is not None and \
                getattr(generator.layers[-1].activation, "__name__", "") == "tanh":
            scale = "tanh"
    latent_dim = int(generator.input_shape[1])

    def images(points):
        from gan_core.mnist import to_unit

        return to_unit(generate(generator, points), scale)[..., 0]

    rng = np.random.default_rng(seed)
    show_grid(st, images(sample_latent(100, latent_dim, rng)), f"100 random latent points (seed {seed})")
    st.subheader("Latent explorer")
    c1, c2, c3 = st.columns(3)
    a_seed = c1.number_input("point A: seed", 0, 10_000, key=ui.widget_key(f"w_{page}_a", 1))
    b_seed = c2.number_input("point B: seed", 0, 10_000, key=ui.widget_key(f"w_{page}_b", 2))
    steps = c3.slider("steps", 2, 20, key=ui.widget_key(f"w_{page}_steps", 10))
    a = sample_latent(1, latent_dim, np.random.default_rng(int(a_seed)))[0]
    b = sample_latent(1, latent_dim, np.random.default_rng(int(b_seed)))[0]
    zeros = np.zeros((1, latent_dim), np.float32)
    left, right = st.columns([1, 4])
    show_grid(left, images(np.concatenate([zeros, a[None]])), "all zeros · point A", columns=1)
    show_grid(right, images(interpolate(a, b, int(steps))), f"from A to B in {int(steps)} steps",
              columns=int(steps))
