"""GAN Explorer: train and watch GANs learn, live. Run with `streamlit run streamlit_app.py`.

Every page has its own address; the sidebar's data kind picks which three are listed, and
switching it moves to the same experiment on the other data."""
import streamlit as st

from explorer import forms, links, server
from explorer.lifecycle import visitor

server.host_training_threads()  # Streamlit would clear Keras after every rerun, stalling the workers

st.set_page_config(page_title="GAN Explorer", page_icon=":material/casino:", layout="wide")
visitor()  # this session's browser is here now

HOME = st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True)
EXPERIMENTS = {  # data kind -> the same three experiments, in the same order
    forms.DATA_KINDS[0]: [
        st.Page("app_pages/discriminator_lab.py", title="Discriminator lab", icon=":material/search:"),
        st.Page("app_pages/generator_preview.py", title="Generator preview", icon=":material/scatter_plot:"),
        st.Page("app_pages/gan_training.py", title="GAN training", icon=":material/sports_kabaddi:"),
    ],
    forms.DATA_KINDS[1]: [  # the same pages as 1-D, on a point set (each its own address and run)
        st.Page("app_pages/discriminator_lab.py", title="Discriminator lab", icon=":material/search:",
                url_path="points_discriminator_lab"),
        st.Page("app_pages/generator_preview.py", title="Generator preview", icon=":material/scatter_plot:",
                url_path="points_generator_preview"),
        st.Page("app_pages/gan_training.py", title="GAN training", icon=":material/sports_kabaddi:",
                url_path="points_gan_training"),
    ],
    forms.DATA_KINDS[2]: [
        st.Page("app_pages/mnist_lab.py", title="Discriminator lab", icon=":material/search:",
                url_path="mnist_discriminator_lab"),
        st.Page("app_pages/mnist_preview.py", title="Generator preview", icon=":material/grid_view:",
                url_path="mnist_generator_preview"),
        st.Page("app_pages/mnist_gan.py", title="GAN training", icon=":material/sports_kabaddi:",
                url_path="mnist_gan_training"),
    ],
}
KIND_OF = {p.url_path: kind for kind, pages in EXPERIMENTS.items() for p in pages}

current = st.navigation([HOME, *(p for pages in EXPERIMENTS.values() for p in pages)], position="hidden")
page_kind = KIND_OF.get(current.url_path)
if st.session_state.pop("kind_switched", False) and page_kind and page_kind != st.session_state.get("w_data"):
    # the visitor switched the data kind on an experiment page: the same experiment on the new data
    index = [p.url_path for p in EXPERIMENTS[page_kind]].index(current.url_path)
    st.switch_page(EXPERIMENTS[st.session_state["w_data"]][index])
if page_kind:  # an address names its data kind (a link, the back button)
    st.session_state["w_data"] = page_kind

links.settings_from_url(current.url_path)  # a shared link's settings, before any widget is drawn
with st.sidebar:
    st.page_link(HOME)
    for experiment in EXPERIMENTS[st.session_state.get("w_data", forms.DATA_KINDS[0])]:
        st.page_link(experiment)
kind = forms.data_kind_radio(on_change=lambda: st.session_state.update(kind_switched=True))
if kind == forms.DATA_KINDS[0]:
    forms.target_settings()
elif kind == forms.DATA_KINDS[1]:
    forms.points_settings()
else:
    forms.mnist_settings()
try:
    current.run()
finally:  # (a page may end with st.stop()) compile the default steps once the first page is drawn
    server.warm_default_steps()
