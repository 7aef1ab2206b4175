"""GAN Explorer: train and watch GANs learn, live. Run with `streamlit run streamlit_app.py`."""
import streamlit as st

import ui

st.set_page_config(page_title="GAN Explorer", page_icon="🎲", layout="wide")
ui.keep_widget_state()

pages = st.navigation([
    st.Page("pages/home.py", title="Home", icon="🏠", default=True),
    st.Page("pages/discriminator_lab.py", title="Discriminator lab", icon="🔍"),
    st.Page("pages/generator_preview.py", title="Generator preview", icon="🎨"),
    st.Page("pages/gan_training.py", title="GAN training", icon="⚔️"),
])
ui.sidebar()
pages.run()
