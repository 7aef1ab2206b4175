"""The digits' charts (MNIST): what the classifier makes of the generated digits and of real ones,
their counts per predicted digit and their classifier score against iteration."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from .style import FAKE, HEIGHT, REAL, SCORE_SERIES, kind_scale
from .training import pair_chart

def histogram_frame(fake: np.ndarray, real: np.ndarray) -> pd.DataFrame:
    """Predicted-digit counts of fake and real images, long format (digit, kind, count)."""
    return pd.DataFrame({"digit": list(range(10)) * 2, "kind": ["fake"] * 10 + ["real"] * 10,
                         "count": np.concatenate([fake, real]).astype(int)})


def digit_histogram_chart(frame: pd.DataFrame) -> alt.Chart:
    """Bars per digit 0-9 of what the classifier sees in fake (blue) and real (red) images."""
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("digit:O", title="predicted digit"),
        xOffset=alt.XOffset("kind:N", sort=["real", "fake"]),
        y=alt.Y("count:Q", title="images"),
        color=alt.Color("kind:N", title="images", scale=kind_scale()),
        tooltip=[alt.Tooltip("digit:O"), alt.Tooltip("kind:N"), alt.Tooltip("count:Q")],
    ).properties(title="Digits made (the classifier's verdicts)", height=HEIGHT)


SCORE_NAMES = ("generated digits", "real digits")  # the score series' names in the legend (SCORE_SERIES)
SCORE_SCALE = alt.Scale(domain=list(SCORE_NAMES), range=[FAKE, REAL])


def score_chart(history: pd.DataFrame) -> alt.Chart:
    """The classifier score of the grid's digits (blue) and of as many real ones (red) against iteration."""
    generated, real = SCORE_NAMES
    return pair_chart(history, list(SCORE_SERIES), "score", "classifier score (10 at best)",
                      10, "score of", SCORE_SCALE, "Classifier score: readable digits?",
                      names=f"datum.series == '{SCORE_SERIES[0]}' ? '{generated}' : '{real}'")
