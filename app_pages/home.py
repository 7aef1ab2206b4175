"""Home: what a GAN is and what each page shows."""
import streamlit as st

st.title("GAN Explorer")
st.markdown("""
A **generative adversarial network** (GAN) is two neural networks in a contest. The
**generator** turns random *latent points* into samples; the **discriminator** looks at a
sample and says how likely it is to be *real*. The discriminator learns to tell real samples
from generated (*fake*) ones; the generator learns, through the discriminator's verdicts, to
make samples the discriminator calls real. Neither ever sees a formula for the data.

Here the real data are points **(x, f(x))** of a 1-D function, x² on [-0.5, 0.5] to start
with, as in Jason Brownlee's tutorial *How to Develop a 1D GAN From Scratch in Keras*. Pick
another function, or type your own, in the sidebar. Switch the data to **2-D points** for the
sets where GANs famously *collapse*: a ring of 8 and a grid of 25 Gaussians (as in the PacGAN,
VEEGAN and Unrolled GAN papers), two moons, a spiral, or your own CSV, scored by how many modes
the generator finds. Or switch to **MNIST digits** and run the same three experiments (no sweep) with the
DCGAN paper's networks, which draw readable digits within about a minute on a laptop CPU, or
the MNIST tutorial's own. **Red is real, blue is fake**, everywhere.

| page | what you do there |
|---|---|
| **Discriminator lab** | Train the discriminator alone on real samples vs uniform noise and watch its decision boundary form. |
| **Generator preview** | See what an untrained (or your trained) generator makes of latent points; move through the latent space. |
| **GAN training** | Run the full adversarial loop with every parameter; charts and the accuracy table update every *n_eval* iterations, the samples drawn over the discriminator's verdict on the whole plane (as in GAN Lab), with arrows where it pushes the fakes. Stop, resume, replay, download. |
| **Seed sweep** | Is this setting good, or was the seed lucky? The GAN page's settings on 16 (2 to 64) seeds at once: every seed's curve, the median and the middle half, how many seeds worked; open any seed as an ordinary run. (1-D and 2-D.) |

Reading the charts: a discriminator that cannot tell real from fake scores about **0.5**
accuracy on each and a loss near **ln 2 ≈ 0.69**. The objective distances (curve error,
domain coverage, energy distance) are shown beside their *real-vs-real floor*: what a second
real sample scores, i.e. what a perfect generator would. On a mixture of Gaussians: **modes
captured** (a mode counts when a sample lies within 3σ of its centre), the share of
**high-quality** samples (within 3σ of some centre) and the **reverse KL** divergence of the
mode histogram from the uniform one (0 when the fakes spread evenly over all modes).
""")
