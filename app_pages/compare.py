"""Compare runs: the session's runs, stored runs (any visitor's, the command line's) and uploaded
bundles side by side: their curves against iterations or seconds, the settings that differ, their
last scores; a run downloads as one bundle, uploads again, and continues on its GAN page."""
from __future__ import annotations

import datetime

import pandas as pd
import streamlit as st

from explorer import controls, experiments, resources, session, session_runs, state, stored_runs
from explorer.app_run import AppRun
from explorer.charts import specs
from explorer.charts.runs import compare_chart
from explorer.text import literal
from gan_core import kinds
from gan_core.judging import compare
from gan_core.keeping.bundle import RULES, BundleError, from_bundle, to_bundle
from gan_core.keeping.store import StoreError
from gan_core.training.images import ImageGanRun
from gan_core.training.plane import GanRun

st.title("Compare runs")
st.write("Every run you trained on a **GAN training** page this session is kept here: the pages' current runs "
         f"and the {session_runs.MAX_KEPT} latest they replaced; stored runs (anyone's, and the command line's) "
         "join them when picked below. Put them side by side, see which settings differ, download one as a bundle, "
         "or upload a bundle to compare it or continue it.")

upload = st.file_uploader("Add a run bundle (.zip)", type=["zip"], key=session.COMPARE_UPLOAD.name, help=RULES)
if upload is not None and session.COMPARE_UPLOAD_SEEN.get() != (upload.name, upload.size):
    session.COMPARE_UPLOAD_SEEN.set((upload.name, upload.size))  # read each file once
    try:
        run = from_bundle(upload.getvalue(), mnist=lambda scale: (resources.digits(scale), resources.classifier()))
    except BundleError as err:
        session.COMPARE_UPLOAD_ERROR.set(f"{upload.name} was not used: {err}")
    else:
        session.COMPARE_UPLOAD_ERROR.pop()
        page = experiments.of_settings(run.config).states["gan"]
        session_runs.keep(AppRun(run), page, name=f"{upload.name} (uploaded)")
if message := session.COMPARE_UPLOAD_ERROR.get():
    st.error(literal(message))


# ---- the run store: every saved run, this app's (any visitor's) and the command line's ------------
def stored_table() -> None:
    """The store's runs, newest first, filtered by data and owner; the rows picked join the comparison."""
    try:
        listing = stored_runs.store().list()
    except StoreError as err:
        st.warning(literal(str(err)))
        return
    with st.expander(f"Stored runs ({len(listing)}): pick rows to compare them; a run's id opens it on its page",
                     expanded=bool(listing)):
        c1, c2 = st.columns(2)
        shown = {"all": "All data", **{name: kind.title for name, kind in kinds.KINDS.items()}}
        kind = c1.selectbox("Data", list(shown), format_func=shown.get, key=session.STORED_KIND.name)
        whose = c2.radio("Whose", ["all", "mine"], format_func={"all": "Everyone's", "mine": "Mine"}.get,
                         horizontal=True, key=session.STORED_WHOSE.name,
                         help="Mine: the runs this browser session trained, copied, or opened with their edit key.")
        records = [r for r in listing if kind in ("all", r.kind) and (whose == "all" or stored_runs.mine(r))]
        for problem in listing.problems:
            st.caption(literal(problem))
        if not records:
            st.caption("No stored runs here yet: a run is saved once it trains on a GAN training page, or with "
                       "`python -m gan_core train`.")
            return
        frame = pd.DataFrame([{
            "run": stored_runs.link(r), "data": kinds.KINDS[r.kind].title, "settings": r.summary,
            "iterations": f"{r.iteration:,} / {r.n_epochs:,}", "state": r.state,
            "updated": datetime.datetime.fromtimestamp(r.updated), "note": r.note} for r in records])
        picked = st.dataframe(frame, hide_index=True, width="stretch", on_select="rerun", selection_mode="multi-row",
                              key=session.STORED_TABLE.name, column_config={
                                  "run": st.column_config.LinkColumn("run", display_text=r"run=([A-Za-z0-9_-]+)"),
                                  "updated": st.column_config.DatetimeColumn("updated", format="YYYY-MM-DD HH:mm")})
        loaded = session.STORED_COMPARED.setdefault()
        for row in picked.selection.rows:
            record = records[row]
            if record.id in loaded:
                continue
            try:
                with st.spinner(f"Opening run {record.id}…"):
                    app_run = stored_runs.open_for_compare(record.id)
            except StoreError as err:
                st.error(literal(str(err)))
                continue
            loaded.add(record.id)
            session_runs.keep(app_run, stored_runs.gan_state(record), name=f"stored {record.id}")


stored_table()

runs = session_runs.all_runs()
if not runs:
    st.info("No runs yet: train one on a **GAN training** page (any data), pick a stored run, or upload a bundle.")
    st.stop()

by_name = {k.name: k for k in runs}
chosen = st.multiselect("Runs", list(by_name), default=list(by_name)[:4], key=session.COMPARE_RUNS.name)
if not chosen:
    st.stop()
selected = [by_name[name] for name in chosen]
labels = compare.labels([k.name for k in selected], [k.run.config for k in selected])
histories = {label: k.run.view().history_frame() for label, k in zip(labels, selected)}
plotted = {label: specs.plotted(history) for label, history in histories.items()}  # a long run: 200 points
x = st.radio("Against", ["iteration", "seconds"], horizontal=True, key=session.COMPARE_X.name,
             format_func={"iteration": "iterations", "seconds": "seconds of training"}.get)

left, right = st.columns(2)
for i, curve in enumerate(compare.available(histories)):
    _, y_title = compare.CURVES[curve]
    frame = compare.curves(plotted, curve)
    (left if i % 2 == 0 else right).altair_chart(
        compare_chart(frame, x, y_title, curve[0].upper() + curve[1:]), width="stretch")

st.subheader("Settings")
table = compare.settings_table(labels, [k.run.config for k in selected])
differs = table.pop("differs")
n_differ = int(differs.sum())
st.caption("The settings are the same." if not n_differ else
           f"{n_differ} setting{' differs' if n_differ == 1 else 's differ'} (highlighted, at the top). "
           "Seconds of training include the first step's compilation, when a run had to compile.")
st.dataframe(table.style.apply(lambda row: ["background-color: #fff3b0" if differs[row.name] else ""] * len(row),
                               axis=1).format(lambda v: f"{v:.3g}" if isinstance(v, float) else v),  # 15.0004 s: 15
             width="stretch", height=min(36 * (len(table) + 1), 600))
st.subheader("Latest check-in")
finals = compare.finals(histories)
st.dataframe(finals, hide_index=True, width="stretch",
             column_config={c: st.column_config.NumberColumn(format="%.3f") for c in finals.columns
                            if finals[c].dtype.kind == "f"})


# ---- one run: download, continue -------------------------------------------------------------
def continue_run(name: str) -> None:
    """The run becomes its GAN page's (that page's own run is kept here) and the page opens."""
    target = by_name[name]
    session_runs.hand_over(state.page_state(target.page), target.app_run, controls.STOP_WAIT_S)


st.subheader("One run")
c1, c2, c3 = st.columns([2, 1, 1])
name = c1.selectbox("Run", list(by_name), key=session.COMPARE_ONE.name)
one = by_name[name].run
if isinstance(one, (GanRun, ImageGanRun)):
    owner = state.existing(by_name[name].page)
    if owner is not None and owner.run is one and owner.training:
        c2.caption("It is training: stop it on its page to download it.")
    else:
        c2.download_button("Run bundle (.zip)", lambda: to_bundle(one, pictures=stored_runs.pictures_visible(by_name[name].app_run)), f"{name.split(' ·')[0].replace(' ', '_')}.zip",
                           "application/zip", width="stretch", help="Settings, history, generator and state: "
                           "upload it here again to compare or continue it.")
else:
    c2.caption("This run cannot be bundled.")
c3.button("Continue on its GAN page", on_click=continue_run, args=(name,), width="stretch",
          help="It replaces that page's run (which stays here), to replay it or Resume it.")
session_runs.open_page()
