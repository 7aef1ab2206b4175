"""Settings sweep: which settings work? The GAN page's settings over one or two settings' values,
each cell on several seeds (gan_core.training.grid): a heat map of the share of seeds that worked per cell;
a cell's seeds' curves; any seed opens on the GAN page as an ordinary run."""
from __future__ import annotations

import os

import streamlit as st

from explorer import controls, fields, forms, links, live, session, session_runs, sidebar, state
from explorer.app_run import AppRun
from explorer.charts import runs, specs
from explorer.text import literal
from gan_core.judging.metrics import METRIC_LABELS
from gan_core.training import grid as grids
from gan_core.training import ray_grid

page = state.page_state(sidebar.page_name("grid"))
gan_page = state.page_state(sidebar.page_name("gan"))
st.title(sidebar.chosen().heading("grid"), help="Each cell of the grid trains on several seeds (the sidebar's seed first). Cells "
         "that differ only in learning rates or Adam's beta_1 train together in one compiled step.")
st.caption("Which settings work? One or two of the **GAN training** page's settings over a few values, each cell "
           "on several seeds.")  # short: on a phone, Train stays on the first screen
links.show_link_notes()
# the GAN page's settings are the grid's starting point, in the panel: the grid's own fields stand above Train
config = forms.gan_form(gan_page, forms.page_defaults(gan_page.name), row=False,
                        label="The GAN page's settings")  # short: one line on a phone
SETTINGS = grids.settings()
NONE, LR_RANGE, STARTS = links.NONE, links.LR_RANGE, links.PAGE_FIELDS["grid"]  # where its own fields start


def suggested(name: str) -> str:
    """Values to start from when a setting is chosen: a log range for a rate, every choice, else the
    GAN page's value and its double."""
    described = SETTINGS[name]
    if described.step == "state" and name != "beta_1":  # a learning rate
        return LR_RANGE
    if described.kind == "choice":
        return ",".join(described.choices)
    if name == "beta_1":
        return "0,0.5,0.9"
    value = getattr(config or forms.page_defaults(gan_page.name), name)
    if described.kind == "widths":
        return f"{','.join(map(str, value))};{','.join(str(2 * w) for w in value)}"
    return f"{value},{2 * value}" if described.kind == "whole" else f"{value:g},{2 * value:g}"


def on_setting(i: int) -> None:
    name = page.widget(f"axis{i}").get()
    if name != NONE:
        page.widget(f"values{i}").set(suggested(name))


def label(name: str) -> str:
    return name if name == NONE else f"{SETTINGS[name].label} ({name})"


axes, problems = [], []
columns = st.columns([2, 3, 2, 3, 2])
for i, default in ((1, STARTS["axis1"]), (2, STARTS["axis2"])):
    options = list(SETTINGS) if i == 1 else [NONE, *SETTINGS]
    with columns[2 * i - 2]:
        name = st.selectbox(f"Setting {i}", options, format_func=label, on_change=on_setting, args=(i,),
                            **page.widget(f"axis{i}").kept(default))
    if name == NONE:
        continue
    with columns[2 * i - 1]:
        values = fields.typed_input(
            f"Values of setting {i}", page.widget(f"values{i}"), STARTS[f"values{i}"],
            help="Comma separated (layer widths apart by ';': 25;32,16), or for a number log:LOW:HIGH:N, N values "
                 "evenly spread on a log scale.")
        try:
            axes.append(grids.parse_axis(f"{name}={values}"))
        except grids.GridError as err:
            st.error(literal(str(err)))
            problems.append(f"Values of setting {i}")
SEEDS_LABEL = f"Seeds per cell (1 to {grids.MAX_SEEDS})"
seeds = fields.count_input(SEEDS_LABEL, page.widget("seeds"), int(STARTS["seeds"]), 1, grids.MAX_SEEDS, columns[4],
                          help="Seeds seed, seed + 1, ... in every cell: each is the run the GAN page would train "
                               "on that seed with the cell's settings.")
if seeds is None:  # refused at the field, never clipped
    problems.append(SEEDS_LABEL)
    seeds = grids.DEFAULT_SEEDS


@st.cache_resource(show_spinner="Connecting to the Ray cluster…")
def cluster(address: str):
    """The server's Ray connection (one per process, read-only to a visitor: it only sends tasks)."""
    return ray_grid.RayCluster(address)


address, ray = ray_grid.configured_address(), None
if address:
    try:
        ray = cluster(address)
        where = ray.describe()
        st.info(f"This server sends grids to the Ray cluster at `{address}`: {where['nodes']} node(s), "
                f"{where['cpus']} CPUs, so up to {where['cpus']} tasks (of at most {grids.TASK_RUNS} runs each) "
                "train at once.", icon=":material/hub:")
    except Exception as err:  # no Ray, or the cluster cannot be reached: this server trains the grid
        st.warning(literal(f"This server is configured with the Ray cluster {address}, but it cannot be used "
                           f"({type(err).__name__}: {str(err)[:200]}): grids train on this server."))
        ray = None
where = "" if address else (  # said with the hint below Train: the row above it stays on a phone's first screen
    f" Grids train on this server ({os.cpu_count()} cores, a group's tasks side by side); a server started with "
    f"{ray_grid.ADDRESS_VARIABLE} set sends each task to a Ray cluster instead.")

if config is not None and not problems and len({a.name for a in axes}) != len(axes):
    st.error("Choose two different settings, or (none) for the second.")
    problems.append("Setting 2")
grid_error, size = None, ""
if config is not None and not problems:
    try:  # checked now (runs, each cell's settings), so that a Train never starts a bad grid
        planned = grids.Grid(config, axes, seeds, sidebar.uploaded_points())
        size = (f" This grid: {len(planned.cells)} cells × {seeds} seed{'s' * (seeds != 1)} = **{planned.runs} runs**, in "
                f"{len(planned.groups)} group(s) of one shape and {len(planned.tasks)} task(s).")
    except grids.GridError as err:
        grid_error = str(err)
        st.error(literal(grid_error))
if problems or grid_error:
    session.SETTINGS_ERRORS_AT.set([f"{p} (marked in red above)" for p in problems] or ["the grid"])
    config = None

controls.show(page, config, lambda c: grids.Grid(c, axes, seeds, sidebar.uploaded_points(), ray=ray),
              "Press **Train** to train every cell of this grid on its seeds." + size + where)
grid = page.run
MAIN = grid.main_score
SCORE_LABEL = " ".join(METRIC_LABELS[MAIN].split())
NAMES = [a.name for a in grid.axes]
ORDERS = [[str(grids.shown(v)) for v in a.values] for a in grid.axes]  # the heat map's axes in the values' order
HEAT_KEY = session.HEAT(page.name, id(grid))
st.caption(f"A seed worked when its latest check-in has {grid.criterion}. A **Stop** keeps every finished group "
           "(and the group under way at its latest check-in); **Resume** goes on.")


def draw(view, check, training):
    summary = grid.summary()
    if summary.empty:
        return
    cells = grid.cell_frame(summary)
    best = cells[cells.best].iloc[0]
    cols = st.columns([1, 1, 2])
    cols[0].metric("Runs that worked", f"{int(summary.success.sum())} of {len(summary)}",
                   help=f"Of the runs trained so far ({grid.runs} in the grid).")
    cols[1].metric("Best cell", f"{best.worked:.0%} worked",
                   help=f"{grid.cell_name({n: best[n] for n in NAMES})}: median {SCORE_LABEL} {best['median']:.4g}.")
    groups = [{"group": g + 1, "cells": grid.group_name(g), "runs": len(grid.groups[g]), "state": grid.group_state(g),
               "progress": grid.group_progress(g)} for g in range(len(grid.groups))]
    cols[2].dataframe(groups, hide_index=True, width="stretch", height=min(38 + 35 * len(groups), 180),
                      column_config={"progress": st.column_config.ProgressColumn("progress", min_value=0, max_value=1)})
    st.caption(f"Best: **{grid.cell_name({n: best[n] for n in NAMES})}**: {best.worked:.0%} of its seeds worked, "
               f"median {SCORE_LABEL} {best['median']:.4g}.")
    frame = runs.grid_frame(cells, NAMES, MAIN)
    chart = runs.grid_chart(frame, label(NAMES[0]), label(NAMES[1]) if len(NAMES) > 1 else "",
                              MAIN, SCORE_LABEL, ORDERS[0], ORDERS[1] if len(NAMES) > 1 else ["all"],
                              selectable=not training)
    if training:
        st.altair_chart(chart, width="stretch")
    else:
        st.altair_chart(chart, width="stretch", on_select="rerun", selection_mode="cell", key=HEAT_KEY.name)


live.watch(page, draw, "grid")
if page.training or not grid.history:
    st.stop()

# ---- after (or stopped): a cell's seeds, open a seed as a run, downloads ------------------------
summary = grid.summary()
cells = grid.cell_frame(summary)
picked = (HEAT_KEY.get() or {}).get("selection", {}).get("cell") or []
cell = int(picked[0]["cell"]) if picked and int(picked[0]["cell"]) in set(cells.cell) else int(cells.cell[cells.best].iloc[0])
name = grid.cell_name(grid.cells[cell])
st.subheader(f"The cell {name}")
mine = summary[summary.cell == cell]
history = grid.history_frame()
history = history[history.cell == cell]
left, right = st.columns(2)
left.vega_lite_chart(runs.sweep_frame(history, mine, MAIN), specs.chart_spec("sweep", SCORE_LABEL, MAIN != "modes"),
                     width="stretch")
table = mine[["seed", "success", *list(grid.target.scores)[:3], "acc_real", "acc_fake", "alarms"]].rename(
    columns={"success": "worked", "alarms": "what went wrong (alarms)"})
right.dataframe(table, hide_index=True, width="stretch", height=300)


def open_seed():
    """The chosen seed's run becomes the GAN page's (its own run there is stopped and kept for Compare)."""
    seed = int(session.OPEN_SEED(page.name).get())
    session_runs.hand_over(gan_page, AppRun(grid.run(cell, seed)), controls.STOP_WAIT_S)
    session.SEED.set(seed)  # the sidebar shows the run's seed (a callback may set a widget)


c1, c2 = st.columns([1, 2])
c1.selectbox("Seed", list(mine.seed), key=session.OPEN_SEED(page.name).name)
c2.button("Open this seed's run", on_click=open_seed,
          help="Its history and networks, with this cell's settings, on the GAN training page, replacing that "
               "page's run: look at its samples, replay it, or continue it (Resume) as an ordinary run.")
session_runs.open_page()
c1, c2 = st.columns(2)
c1.download_button("Grid summary, a row per cell and seed (CSV)", summary.to_csv(index=False), "grid_summary.csv",
                   "text/csv", width="stretch")
c2.download_button("A row per cell (CSV)", cells.to_csv(index=False), "grid.csv", "text/csv", width="stretch")
