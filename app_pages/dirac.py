"""Why GANs circle: the Dirac-GAN lesson (Mescheder, Geiger & Nowozin, ICML 2018), on no data kind. The
settings as widgets (DiracConfig's descriptions), the (θ, ψ) plane with the gradient field and the paths
of simultaneous and alternating updates, their distance to the equilibrium, and what it shows in words."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import streamlit as st

from explorer import resources, session
from explorer.charts import dirac as charts
from explorer.fields import field_help, on_screen, typed_input
from explorer.text import literal
from gan_core.settings.config import DIRAC_LOSSES, REGULARIZERS, DiracConfig
from gan_core.settings.typed import parse_number
from gan_core.teaching.dirac import in_words, verdict

DESCRIBED, DEFAULTS = DiracConfig.settings(), DiracConfig()
MAIN = ("loss", "regularizer", "steps", "lr")  # the row a visitor changes first
MORE = ("gamma", "sigma", "theta0", "psi0", "seed")

st.title("Why GANs circle", help="The Dirac-GAN of Mescheder, Geiger & Nowozin, \"Which Training Methods for "
         "GANs do actually Converge?\" (ICML 2018). The same thing with the command line: `python -m gan_core "
         "dirac --loss minimax --regularizer r1 --update alternating --out DIR`.")
st.caption("The smallest GAN there is. The real data is one point at 0; the generator is one point θ; the "
           "discriminator is D(x) = ψx. The only equilibrium is (θ, ψ) = (0, 0): the generator on the data, "
           "the discriminator unable to tell. Does training get there?")

values, errors, typed, slots = {}, {}, {}, {}


def field(name: str) -> None:
    """A setting's widget from its description: a number typed as text and read strictly, or a choice."""
    described, key, default = DESCRIBED[name], session.DIRAC(name), getattr(DEFAULTS, name)
    if described.kind in ("whole", "number"):
        typed[name] = text = typed_input(described.label, key, default, help=field_help(described))
        try:
            values[name] = parse_number(text, described.kind == "whole", described.label)
        except ValueError as err:
            errors[name] = str(err)
    else:
        values[name] = st.selectbox(described.label, list(described.choices), format_func=described.choices.get,
                                    help=field_help(described), **key.kept(default))
    slots[name] = st.empty()


for names in (MAIN, MORE):
    row = st.container(horizontal=True, gap="small", vertical_alignment="bottom")
    for name in names:
        with row.container(width="stretch"):
            field(name)

config = replace(DEFAULTS, **{k: v for k, v in values.items() if k not in errors})
errors = {**errors, **config.validate()}
for name, message in errors.items():
    label = DESCRIBED[name].label
    slots[name].error(literal(on_screen(message, label, label, typed.get(name))))
if errors:
    st.info("Fix the settings marked in red to see the picture.")
    st.stop()

paths, eigenvalues = resources.dirac_lesson(config.to_json())
extent = charts.view_extent(paths)
field_frame = resources.dirac_field(config.to_json(), round(extent, 6))
left, right = st.columns([3, 2], gap="medium")
left.altair_chart(charts.plane_chart(field_frame, paths, extent), width="content")
left.altair_chart(charts.distance_chart(paths), width="stretch")

SAYS = {"converges": "**converge** to the equilibrium", "spirals out": "**spiral out**, away from it",
        "closes in": "**close in** without reaching it", "circles": "**circle** around it, never arriving"}


def outcome(update: str) -> str:
    d = paths[update].distance
    return (f"{update} updates {SAYS[verdict(paths[update])]} (distance {d.iloc[0]:.3g} at the start, "
            f"{d.iloc[-1]:.3g} after {config.steps:,} steps)")


def eigen_sentence() -> str:
    real = eigenvalues.real
    said = f"The field's Jacobian at (0, 0) has eigenvalues **{in_words(eigenvalues)}**"
    if np.all(np.abs(real) < 1e-6) and np.any(np.abs(eigenvalues.imag) > 1e-6):
        return (said + ": purely imaginary, so near the equilibrium the field only turns around it. A simultaneous "
                f"step of size h goes off along the tangent, multiplying the squared distance by 1 + h²|λ|² "
                f"(here {1 + config.lr ** 2 * float(np.abs(eigenvalues).max()) ** 2:.4g} per step); an "
                "alternating step turns back in and keeps it on a loop.")
    if np.all(real < -1e-6):
        return (said + ": their real parts are negative, so the field pulls towards the equilibrium and small "
                "enough steps converge.")
    if np.any(real > 1e-6):
        extra = (" The gradient penalty pulls |ψ| to 1, so the discriminator does not rest at ψ = 0." if
                 config.regularizer == "gradient-penalty" else "")
        return said + ": one has a positive real part, so the equilibrium pushes training away." + extra
    return (said + ": a real part of 0 with no turning (this loss's field near (0, 0) moves θ with ψ, and "
            "hardly moves ψ), so nothing pulls training back to the equilibrium.")


with right:
    st.markdown(f"**Here** ({DIRAC_LOSSES[config.loss]}, regularizer {REGULARIZERS[config.regularizer]}, step "
                f"size {config.lr:g}): {outcome('simultaneous')}; {outcome('alternating')}.")
    st.markdown(eigen_sentence())
    st.markdown(
        "**What it shows.** The grey arrows are where plain gradient descent moves (θ, ψ): the generator follows "
        "the discriminator's slope, the discriminator turns with the generator, and the arrows go *around* the "
        "equilibrium, not into it. With the log loss and no regularizer, **simultaneous** updates (both players "
        "step from the same point) **spiral out**; **alternating** ones (the discriminator first, then the "
        "generator against it) **circle forever**. **R1** (γ/2·ψ² here: the discriminator's gradient at the "
        "real data) and **instance noise** (σ) add negative real parts to the eigenvalues: both "
        "**converge**.")
    st.caption("Try: regularizer R1 or instance noise; a larger step size; the non-saturating log loss (the app's "
               "default), whose own damping holds simultaneous steps on a circle; Wasserstein, which spirals out "
               "fast unless regularized.")
