"""GAN Explorer: train and watch GANs learn, live. Run with `streamlit run streamlit_app.py`.

Every page has its own address; the sidebar's data kind picks which experiments are listed, and
switching it moves to the same experiment on the other data."""
import pathlib

import streamlit as st

from explorer import experiments, links, server, session, sidebar
from explorer.lifecycle import visitor

server.host_training_threads()  # Streamlit would clear Keras after every rerun, stalling the workers
server.script_began()  # the server's warm-up waits for this run (a Train click starts a run in it)

# a local picture: a :material/...: or emoji icon is fetched from a font or emoji server, which fails offline
FAVICON = str(pathlib.Path(__file__).resolve().parent / "explorer" / "favicon.png")
st.set_page_config(page_title="GAN Explorer", page_icon=FAVICON, layout="wide")
visitor()  # this session's browser is here now

HOME = st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True)


def pages(entry: experiments.Experiments) -> dict:
    """A data kind's experiment pages by role, in the sidebar's order, at its own addresses."""
    return {role: st.Page(f"app_pages/{file}.py", title=experiments.ROLES[role][1],
                          icon=experiments.ROLES[role][2] or entry.preview_icon, url_path=entry.address(role))
            for role, file in entry.files.items()}


EXPERIMENTS = {entry.kind.title: pages(entry) for entry in experiments.ALL}  # kind title -> role -> page
SIDEBAR_SETTINGS = {entry.kind.title: getattr(sidebar, entry.sidebar) for entry in experiments.ALL}
KIND_OF = {p.url_path: kind for kind, by_role in EXPERIMENTS.items() for p in by_role.values()}

COMPARE = st.Page("app_pages/compare.py", title="Compare runs", icon=":material/compare_arrows:", url_path="compare")
# a lesson on no data kind: the Dirac-GAN (gan_core.teaching.dirac)
DIRAC = st.Page("app_pages/dirac.py", title="Why GANs circle", icon=":material/cyclone:", url_path=server.DIRAC)
current = st.navigation([HOME, *(p for by_role in EXPERIMENTS.values() for p in by_role.values()), COMPARE, DIRAC],
                        position="hidden")
page_kind = KIND_OF.get(current.url_path)
if session.KIND_SWITCHED.pop() and page_kind and page_kind != session.DATA.get(None):
    # the visitor switched the data kind on an experiment page: the same experiment on the new data
    role = next(role for role, p in EXPERIMENTS[page_kind].items() if p.url_path == current.url_path)
    other = EXPERIMENTS[session.DATA.get()]
    st.switch_page(other.get(role, other["gan"]))  # a role the kind lacks (MNIST's sweep): its GAN page
if page_kind:  # an address names its data kind (a link, the back button)
    session.DATA.set(page_kind)

# the sweep and Compare pages open a run on the GAN page of its kind (explorer.session_runs.open_page)
session.GAN_PAGES.set({name: EXPERIMENTS[kind.title]["gan"] for name, kind in experiments.GAN_STATES.items()})
session.EXPERIMENT_PAGES.set({**EXPERIMENTS, "compare": COMPARE, "dirac": DIRAC})  # the home page links to each
session.ADDRESS_NOW.set(current.url_path)  # the page this run draws (links.share_settings)
links.settings_from_url(current.url_path)  # a shared link's settings, before any widget is drawn
with st.sidebar:
    st.page_link(HOME)
    experiment_links = st.container()  # filled below, once the sidebar's settings are read
    st.page_link(COMPARE)
    st.page_link(DIRAC)
title = sidebar.data_kind_radio(on_change=lambda: session.KIND_SWITCHED.set(True))
SIDEBAR_SETTINGS[title]()
# the sidebar's values, read once for this run (the seed parsed once), for its links and the page
now = session.SIDEBAR.set(sidebar.read())
sidebar.show_seed_message(now)
with experiment_links:
    for experiment in EXPERIMENTS[session.DATA.get()].values():
        st.page_link(experiment, query_params=links.link_params(experiment.url_path, now))
try:
    current.run()
finally:  # (a page may end with st.stop()) compile the default steps once the first page is drawn
    server.script_ended(current.url_path)
