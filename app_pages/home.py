"""Home: start here, and what each page shows, with a link to it on each kind of data."""
import pathlib

import streamlit as st

from explorer import experiments, links, session, sidebar

PICTURE = pathlib.Path(__file__).resolve().parents[1] / "docs" / "gan_page.png"
# role -> what its page shows, in one line
SHOWS = {
    "lab": "The discriminator alone, real samples against noise: watch its decision boundary form.",
    "preview": "What an untrained (or your trained) generator makes of latent points; walk through latent space.",
    "gan": "The full adversarial loop, live: fakes over the discriminator's verdict, accuracy, losses, "
           "scores and alarms. Stop, resume, replay, download.",
    "sweep": "The same settings on many seeds at once: did it work, or was the seed lucky?",
    "grid": "Which settings work? One or two settings over a few values, each cell on several seeds: a heat map.",
}

pages = session.EXPERIMENT_PAGES.get()
st.title("GAN Explorer")
st.markdown("**Start here:** open **GAN training** and press **Train**: a generator learns to fake x² in "
            "about ten seconds, while a discriminator learns to catch it.")
first = pages[experiments.ALL[0].kind.title]["gan"]
st.page_link(first, label="GAN training on x² (the tutorial's)", icon=":material/play_circle:",
             query_params=links.link_params(first.url_path, sidebar.current()))
left, right = st.columns([3, 2], vertical_alignment="center")
left.markdown(
    "A **generative adversarial network** (GAN) is two neural networks in a contest. The **generator** turns "
    "random *latent points* into samples; the **discriminator** says how likely a sample is to be *real*. "
    "Each learns from the other; neither sees a formula for the data. **Red is real, blue is fake**, everywhere.")
if PICTURE.exists():
    right.image(str(PICTURE), caption="The GAN training page after a run on x²", width="stretch")

for entry in experiments.ALL:
    st.subheader(entry.kind.title)
    st.caption(entry.about)
    for role, page in pages[entry.kind.title].items():
        link, shows = st.columns([1, 3], vertical_alignment="center")
        link.page_link(page, query_params=links.link_params(page.url_path, sidebar.current()))
        shows.caption(SHOWS.get(role, ""))

st.subheader("Lessons")
st.caption("Links that open a page set up to show one idea; press **Train** there.")
for lesson in links.LESSONS:
    link, shows = st.columns([1, 3], vertical_alignment="center")
    link.page_link(pages[experiments.BY_KIND[lesson.kind].kind.title][lesson.role], label=lesson.title,
                   icon=":material/school:", query_params=lesson.params)
    shows.caption(lesson.shows)
link, shows = st.columns([1, 3], vertical_alignment="center")
link.page_link(pages["dirac"])
shows.caption("The smallest GAN there is, and why plain training circles around its equilibrium instead "
              "of reaching it (and what makes it converge).")

st.subheader("All kinds")
link, shows = st.columns([1, 3], vertical_alignment="center")
link.page_link(pages["compare"])
shows.caption("The runs of this visit side by side: their settings, what differs, and their charts together.")
with st.expander("Reading the charts"):
    st.markdown("""
A discriminator that cannot tell real from fake scores about **0.5** accuracy on each and a loss near
**ln 2 ≈ 0.69**. The distances to the real data (curve error, domain coverage, energy distance) are shown
beside their *real-vs-real floor*: what a second real sample scores, i.e. what a perfect generator would. On a
mixture of Gaussians: **modes captured** (a mode counts when a sample lies within 3σ of its centre), the share
of **high-quality** samples (within 3σ of some centre) and the **reverse KL** divergence of the mode histogram
from the uniform one (0 when the fakes spread evenly over all modes).
""")
