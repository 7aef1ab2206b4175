"""Many runs at once: a seed sweep's curves per seed (under their median and middle half) and its
outcomes, a settings grid's cells as a heat map of the share of seeds that worked, and Compare's runs'
curves on one axis."""
from __future__ import annotations

import altair as alt
import pandas as pd

from .style import BLACK, DARK_GREY, GREEN, HEIGHT, LOG_TICKS, MID_GREY, RED, RUN_COLORS, WHITE, iteration_axis

WORKED, DID_NOT = "worked", "did not"  # a seed's outcome: whether it met the success criterion in the end
SUCCESS_SCALE = alt.Scale(domain=[WORKED, DID_NOT], range=[GREEN, RED])


def sweep_frame(history: pd.DataFrame, summary: pd.DataFrame, metric: str) -> pd.DataFrame:
    """A sweep's metric per seed and check-in (iteration, seed, value, outcome: whether the seed
    worked in the end, as its summary row says)."""
    worked = dict(zip(summary.seed, summary.success))
    frame = history[["iteration", "seed", metric]].rename(columns={metric: "value"})
    return frame.assign(outcome=frame.seed.map(lambda s: WORKED if worked.get(s) else DID_NOT))


def sweep_chart(frame: pd.DataFrame, label: str, log: bool = False) -> alt.LayerChart:
    """Every seed's curve of one metric, coloured by whether the seed worked in the end, under the
    median over the seeds (black) and the band between the 25th and 75th percentiles (grey)."""
    label = " ".join(label.split())
    y_scale = alt.Scale(type="symlog", constant=0.01) if log else alt.Scale()
    y_axis = alt.Axis(values=LOG_TICKS, format="~g") if log else alt.Axis()
    base = alt.Chart(frame)
    band = base.mark_area(opacity=0.25, color=MID_GREY).encode(
        x=iteration_axis(), y=alt.Y("q25:Q", title=label, scale=y_scale, axis=y_axis), y2=alt.Y2("q75:Q"),
    ).transform_aggregate(q25="q1(value)", q75="q3(value)", groupby=["iteration"])
    seeds = base.mark_line(opacity=0.45, strokeWidth=1).encode(
        x=iteration_axis(), y=alt.Y("value:Q", title=label, scale=y_scale), detail=alt.Detail("seed:N"),
        color=alt.Color("outcome:N", title="seed", scale=SUCCESS_SCALE),
        tooltip=[alt.Tooltip("seed:N"), alt.Tooltip("iteration:Q"), alt.Tooltip("value:Q", format=".4f"),
                 alt.Tooltip("outcome:N")])
    median = base.mark_line(color=BLACK, strokeWidth=2.5).encode(
        x=iteration_axis(), y=alt.Y("median:Q", title=label, scale=y_scale),
    ).transform_aggregate(median="median(value)", groupby=["iteration"])
    return alt.layer(band, seeds, median).properties(
        title=alt.TitleParams(f"{label[0].upper()}{label[1:]}, every seed",
                              subtitle="black: the median over the seeds; grey: their middle half"), height=HEIGHT)


def sweep_outcome_frame(summary: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Each seed's latest score (seed, value, outcome)."""
    return pd.DataFrame({"seed": summary.seed, metric: summary[metric],
                         "outcome": [WORKED if ok else DID_NOT for ok in summary.success]})


def sweep_outcome_chart(frame: pd.DataFrame, metric: str, label: str) -> alt.Chart:
    """Each seed's final score, one bar a seed, coloured by whether it worked."""
    label = " ".join(label.split())
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("seed:O", title="seed"), y=alt.Y(f"{metric}:Q", title=label),
        color=alt.Color("outcome:N", title="seed", scale=SUCCESS_SCALE),
        tooltip=[alt.Tooltip("seed:O"), alt.Tooltip(f"{metric}:Q", format=".4f"), alt.Tooltip("outcome:N")],
    ).properties(title=f"{label[0].upper()}{label[1:]} at the latest check-in, per seed", height=HEIGHT)


def compare_chart(frame: pd.DataFrame, x: str, y_title: str, title: str) -> alt.Chart:
    """Runs' curves on one axis: a colour per run, a dash per series (acc_real solid, acc_fake
    dashed; d_loss solid, g_loss dashed); x is "iteration" or "seconds"."""
    x_axis = iteration_axis() if x == "iteration" else alt.X("seconds:Q", title="seconds of training")
    return alt.Chart(frame).mark_line().encode(  # no points: the legend then shows each series' dash
        x=x_axis, y=alt.Y("value:Q", title=y_title),
        color=alt.Color("run:N", title="run", legend=alt.Legend(labelLimit=260), scale=alt.Scale(range=RUN_COLORS)),
        strokeDash=alt.StrokeDash("series:N", title="series", legend=alt.Legend(
            symbolType="stroke", symbolStrokeColor=DARK_GREY, symbolStrokeWidth=2)),
        tooltip=[alt.Tooltip("run:N"), alt.Tooltip("series:N"), alt.Tooltip("iteration:Q"),
                 alt.Tooltip("seconds:Q", format=".2f"), alt.Tooltip("value:Q", format=".4f")],
    ).properties(title=title, height=HEIGHT)


def grid_frame(cells: pd.DataFrame, names: list[str], score: str) -> pd.DataFrame:
    """A grid's cells for the heat map: cell, x and y (the settings' values as text; y "all" for a
    one-setting grid), worked (share), median (the main score), seeds, label ("3/4", ★ for the best)."""
    y = cells[names[1]].astype(str) if len(names) > 1 else "all"
    worked = (cells.worked * cells.seeds).round().astype(int)
    return pd.DataFrame({"cell": cells.cell, "x": cells[names[0]].astype(str), "y": y, "worked": cells.worked,
                         "median": cells["median"], "seeds": cells.seeds,
                         "label": [f"{'★ ' if best else ''}{w}/{n}" for w, n, best in zip(worked, cells.seeds, cells.best)],
                         "best": cells.best}).rename(columns={"median": score})


def grid_chart(frame: pd.DataFrame, x_title: str, y_title: str, score: str, score_label: str,
               x_order: list[str], y_order: list[str], selectable: bool = True) -> alt.LayerChart:
    """The share of seeds that worked per cell (green: all, red: none), the count in each cell and
    a ★ and a black frame on the best; the median score on hover; a click selects a cell."""
    base = alt.Chart(frame).encode(x=alt.X("x:O", title=x_title, sort=x_order, axis=alt.Axis(labelAngle=0)),
                                   y=alt.Y("y:O", title=y_title, sort=y_order[::-1]))
    tooltip = [alt.Tooltip("x:N", title=x_title), alt.Tooltip("y:N", title=y_title),
               alt.Tooltip("worked:Q", title="share of seeds that worked", format=".0%"),
               alt.Tooltip(f"{score}:Q", title=f"median {score_label}", format=".4g"), alt.Tooltip("seeds:Q")]
    pick = alt.selection_point(name="cell", fields=["cell"], on="click", clear=False)
    rect = base.mark_rect(stroke=WHITE, strokeWidth=2).encode(
        color=alt.Color("worked:Q", title="worked", scale=alt.Scale(domain=[0, 1], scheme="redyellowgreen"),
                        legend=alt.Legend(format=".0%")),
        tooltip=tooltip)
    best = base.mark_rect(fill=None, stroke=BLACK, strokeWidth=3).encode(tooltip=tooltip).transform_filter(
        alt.datum.best)
    text = base.mark_text(fontSize=14, fontWeight="bold").encode(
        text=alt.Text("label:N"), tooltip=tooltip,  # white on the scheme's dark ends, where black could not be read
        color=alt.condition((alt.datum.worked < 0.2) | (alt.datum.worked > 0.85), alt.value("white"),
                            alt.value("black")))
    if selectable:
        rect = rect.add_params(pick).encode(opacity=alt.condition(pick, alt.value(1.0), alt.value(0.55)))
    return alt.layer(rect, best, text).properties(
        title=alt.TitleParams("Share of seeds that worked, per cell",
                              subtitle="★ the best cell (most seeds worked, then the best median); hover for the "
                                       "median score; click a cell for its seeds"),
        height=alt.Step(44 if len(y_order) > 1 else 60))
