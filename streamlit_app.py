"""GAN Explorer: train and watch GANs learn, live. Run with `streamlit run streamlit_app.py`.

Every page has its own address; the sidebar's data kind picks which experiments are listed, and
switching it moves to the same experiment on the other data."""
import streamlit as st

from explorer import forms, links, server, session_runs
from gan_core import kinds
from explorer.lifecycle import visitor

server.host_training_threads()  # Streamlit would clear Keras after every rerun, stalling the workers

st.set_page_config(page_title="GAN Explorer", page_icon=":material/casino:", layout="wide")
visitor()  # this session's browser is here now

HOME = st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True)


def experiments(prefix: str, files: tuple[str, ...], preview_icon: str) -> list:
    """The experiments of a data kind, in the same order, at addresses `prefix` + name."""
    return [st.Page(f"app_pages/{file}.py", title=title, icon=icon, url_path=f"{prefix}{name}")
            for file, (name, title, icon) in zip(files, [
                ("discriminator_lab", "Discriminator lab", ":material/search:"),
                ("generator_preview", "Generator preview", preview_icon),
                ("gan_training", "GAN training", ":material/sports_kabaddi:"),
                ("seed_sweep", "Seed sweep", ":material/stacked_line_chart:")])]


# 1-D and 2-D share these files; MNIST has no sweep (a DCGAN per seed is minutes on a CPU)
PLANE = ("discriminator_lab", "generator_preview", "gan_training", "seed_sweep")
PAGES = {  # data kind -> its addresses' prefix, its page files, the preview's icon; sidebar settings
    kinds.FUNCTION: ("", PLANE, ":material/scatter_plot:", forms.target_settings),
    kinds.POINTS: ("points_", PLANE, ":material/scatter_plot:", forms.points_settings),
    kinds.DIGITS: ("mnist_", ("mnist_lab", "mnist_preview", "mnist_gan"), ":material/grid_view:", forms.mnist_settings),
}
EXPERIMENTS = {kind.title: experiments(prefix, files, icon) for kind, (prefix, files, icon, _) in PAGES.items()}
SIDEBAR_SETTINGS = {kind.title: settings for kind, (*_, settings) in PAGES.items()}
KIND_OF = {p.url_path: kind for kind, pages in EXPERIMENTS.items() for p in pages}

COMPARE = st.Page("app_pages/compare.py", title="Compare runs", icon=":material/compare_arrows:", url_path="compare")
current = st.navigation([HOME, *(p for pages in EXPERIMENTS.values() for p in pages), COMPARE], position="hidden")
page_kind = KIND_OF.get(current.url_path)
if st.session_state.pop("kind_switched", False) and page_kind and page_kind != st.session_state.get("w_data"):
    # the visitor switched the data kind on an experiment page: the same experiment on the new data
    index = [p.url_path for p in EXPERIMENTS[page_kind]].index(current.url_path)
    pages = EXPERIMENTS[st.session_state["w_data"]]
    st.switch_page(pages[index] if index < len(pages) else pages[2])  # MNIST has no sweep: its GAN page
if page_kind:  # an address names its data kind (a link, the back button)
    st.session_state["w_data"] = page_kind

# the sweep and Compare pages open a run on the GAN page of its kind (explorer.session_runs.open_page)
st.session_state["gan_pages"] = {name: EXPERIMENTS[kind.title][2] for name, kind in session_runs.GAN_PAGES.items()}
links.settings_from_url(current.url_path)  # a shared link's settings, before any widget is drawn
with st.sidebar:
    st.page_link(HOME)
    for experiment in EXPERIMENTS[st.session_state.get("w_data", forms.DATA_KINDS[0])]:
        st.page_link(experiment)
    st.page_link(COMPARE)
title = forms.data_kind_radio(on_change=lambda: st.session_state.update(kind_switched=True))
SIDEBAR_SETTINGS[title]()
try:
    current.run()
finally:  # (a page may end with st.stop()) compile the default steps once the first page is drawn
    server.warm_default_steps()
