"""Slow motion on the GAN pages (gan_core.teaching.slow_motion): the next iteration's parts one at a time,
the run before and after each part side by side, one sentence each, and the model overview with
that part lit. Taking the iteration trains it with the compiled step and takes the next one apart."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import streamlit as st

from . import overview


def _take(page) -> None:
    from gan_core.teaching.slow_motion import step, take_apart

    step(page.run)
    page.parts = None if page.run.done else take_apart(page.run)
    page.widget("slow_part").set(0)


def _close(page) -> None:
    page.parts = None


def change(before, after):
    """What a part changed, drawn as a check-in: P(real) as 0.5 + half the change scaled to the largest
    (red: rose, blue: fell), and the fakes' moves as arrows; and that largest change of P(real)."""
    decision = np.array(after.decision, dtype=np.float32)
    delta = decision[:, -1] - np.asarray(before.decision)[:, -1]
    largest = float(np.abs(delta).max())
    decision[:, -1] = 0.5 + 0.5 * delta / max(largest, 1e-12)
    moved = (after.fake - before.fake)[:len(after.push)]
    push = np.column_stack([before.fake[:len(moved)], moved]) if np.abs(moved).max() > 0 else None
    return SimpleNamespace(decision=decision, real=after.real, fake=after.fake, push=push, manifold=None,
                           change=True), largest


def panel(page, view, arrows: bool = False, changed=None) -> None:
    """The slow-motion panel while page.parts holds an iteration; `view(container, part, push)` draws
    the page's picture of a part in a container (`arrows`: with the discriminator's push);
    `changed(container, before, after, view)` what a part changed (`plane_changed` unless given)."""
    parts, run = page.parts, page.run
    if not parts or run is None:
        return
    st.subheader(f"Slow motion: iteration {run.iteration + 1:,}, part by part")
    part_key = page.widget("slow_part")
    if part_key.get(0) >= len(parts):
        part_key.set(0)
    i = st.radio("Part", range(len(parts)), format_func=lambda j: f"{j}. {parts[j].title}", horizontal=True,
                 key=part_key.name)
    part = parts[i]
    st.markdown(f"**{part.title}.** {part.says}")
    shown = [("Before this part", parts[i - 1]), ("After it", part)] if i else [("Now", part)]
    for column, (caption, what) in zip(st.columns(2), shown):
        column.caption(caption)
        view(column, what, what.push if arrows else None)
    left, right = st.columns(2)
    if i:
        (changed or plane_changed)(left, parts[i - 1], part, view)
    latest = run.history[-1].row() if run.history else None
    right.caption("The parts this step works with")
    right.graphviz_chart(overview.dot(latest, part.name))
    c1, c2 = st.columns(2)
    c1.button("Take this iteration (train it)", key=page.button("slow_take"), on_click=_take, args=(page,),
              width="stretch", help="Train this iteration with the compiled step (exactly as Train would) and "
                                    "take the next one apart.")
    c2.button("Close slow motion", key=page.button("slow_close"), on_click=_close, args=(page,), width="stretch")


def plane_changed(container, before, after, view) -> None:
    """What a part changed on the plane (or the line): P(real) rose or fell, and how the fakes moved."""
    what, largest = change(before, after)
    container.caption(f"What this part changed: red where P(real) rose, blue where it fell (the largest change: "
                      f"{largest:.2g}); arrows: how the fakes moved, magnified.")
    view(container, what, what.push)


def verdicts_changed(container, before, after, view=None) -> None:
    """What a part changed on digits: how the discriminator's mean verdicts moved."""
    container.caption("What this part changed: the discriminator's mean P(real)")
    for column, label, was, now in zip(container.columns(2), ("on the real digits", "on the fakes"),
                                       (before.p_real, before.p_fake), (after.p_real, after.p_fake)):
        column.metric(label, f"{now.mean():.3f}", f"{now.mean() - was.mean():+.3f}")


def digits(container, part, push=None) -> None:
    """An image part (MNIST's digits, a visitor's pictures): its real pictures and fakes, each captioned with
    the discriminator's P(real)."""
    for label, images, p in (("real pictures", part.real, part.p_real), ("fakes", part.fake, part.p_fake)):
        container.caption(f"The {label}, each with the discriminator's P(real)")
        shown = [image[..., 0] if image.ndim == 3 and image.shape[-1] == 1 else image for image in images]
        container.image(shown, width=42, clamp=True, caption=[f"{v:.2f}" for v in p])  # 8 in a row, on a phone too
