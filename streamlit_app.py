"""GAN Explorer: train and watch GANs learn, live. Run with `streamlit run streamlit_app.py`."""
import streamlit as st

import ui

st.set_page_config(page_title="GAN Explorer", page_icon=":material/casino:", layout="wide")
ui.keep_widget_state()

pages = st.navigation([
    st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("app_pages/discriminator_lab.py", title="Discriminator lab", icon=":material/search:"),
    st.Page("app_pages/generator_preview.py", title="Generator preview", icon=":material/scatter_plot:"),
    st.Page("app_pages/gan_training.py", title="GAN training", icon=":material/sports_kabaddi:"),
])
ui.settings_from_url(pages.url_path)  # a shared link's settings, before any widget is drawn
ui.sidebar()
pages.run()
