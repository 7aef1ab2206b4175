"""What every chart shares, each said once: the colours by name and what each colours (red is real,
blue is fake, everywhere), the names of the series the charts draw, their height, the iteration
axis, the log axis's ticks and the legends' scales."""
from __future__ import annotations

import altair as alt

# Tableau 10, Vega's own category colours, each named once
BLUE, ORANGE, GREEN, RED, PURPLE, BROWN, PINK, GREY, OLIVE, CYAN = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
BLACK, INK, CHARCOAL, DARK_GREY, MID_GREY, LIGHT_GREY, WHITE = (
    "#000000", "#111111", "#333333", "#555555", "#888888", "#999999", "#ffffff")
REAL, FAKE = RED, BLUE  # real samples and generated ones, everywhere
D_COLOR = GREEN  # the discriminator's D(x) (the model overview's D too)

# a sample frame's rows by kind (explorer/charts/plane.py), and their colours
KIND_COLORS = {"real": REAL, "fake": FAKE, "f(x)": LIGHT_GREY, "path": GREEN, "point": BLACK, "push": INK}

# the history's series the charts draw, and their colours (the model overview's losses and updates too)
ACCURACY_SERIES = ("acc_real", "acc_fake")  # the discriminator's accuracy on real and on fake samples
LOSS_SERIES = ("d_loss", "g_loss")
SCORE_SERIES = ("classifier_score", "classifier_score_real")  # MNIST: the generated digits', the real ones'
MODE_SERIES = ("modes", "modes_floor")
FLOOR = "_floor"  # a score's real-vs-real floor is its name and this
SERIES_COLORS = {"acc_real": REAL, "acc_fake": FAKE, "d_loss": ORANGE, "g_loss": GREEN,
                 "curve_error": PURPLE, "energy": BROWN, "wasserstein": PINK}
# a pair's lines where they coincide (acc_real on acc_fake while the discriminator tells nothing apart, as on
# MNIST's lab): the first series wide beneath, the second narrow on top, so the first shows as its edges
PAIR_WIDTHS = [5, 2]
SOLID, DASHED = [1, 0], [4, 3]  # a line's dash: a fake sample's score solid, the real-vs-real floor dashed
RUN_COLORS = [ORANGE, GREEN, PURPLE, BROWN, PINK, CYAN, OLIVE, GREY]  # runs' colours: neither red nor blue

ACC_SCALE = alt.Scale(domain=list(ACCURACY_SERIES), range=[SERIES_COLORS[s] for s in ACCURACY_SERIES])
LOSS_SCALE = alt.Scale(domain=list(LOSS_SERIES), range=[SERIES_COLORS[s] for s in LOSS_SERIES])
HEIGHT = 300

LOG_TICKS = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100]  # a symlog axis's ticks: no "0" (it read as a distance reached)

# slow motion's "what this part changed": P(real) drawn as 0.5 + half its change over the largest (slow_view.change)
CHANGE_LABELS = "datum.value < 0.25 ? 'fell most' : datum.value > 0.75 ? 'rose most' : 'no change'"


def iteration_axis(title: str = "iteration") -> alt.X:
    """Whole iterations: with one check-in the default format would label it 50.000000."""
    return alt.X("iteration:Q", title=title, axis=alt.Axis(format=",.0f", tickMinStep=1))


def kind_scale(kinds=("real", "fake")) -> alt.Scale:
    """Red real, blue fake (and the other kinds' colours); the legend lists just these kinds."""
    return alt.Scale(domain=list(kinds), range=[KIND_COLORS[k] for k in kinds])
