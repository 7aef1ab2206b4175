"""A run as TensorBoard event files, written with TensorFlow's own `tf.summary` (no TensorBoard
package needed to write them; `tensorboard --logdir DIR` shows them).

Scalars, step = iteration, one per check-in: acc_real, acc_fake, d_loss, g_loss, then the run's
scores (curve_error, modes, classifier_score, ...) and the learning rates, under `scores/` and
`rates/`. Images: the picture of each check-in whose arrays the run holds (the 2-D plane, the
1-D line or the MNIST digit grid, as gan_core/teaching/animation.py draws them). A run from a bundle or the
store holds its latest check-in's arrays and up to bundle.PAST earlier ones', so it gets as many images.

The summaries carry the same plugin metadata as TensorBoard's own `tf.summary.scalar` and
`tf.summary.image` (plugin "scalars": a float32 scalar; "images": width, height, PNG bytes), which
TensorFlow routes to the TensorBoard package only when it is installed.
"""
from __future__ import annotations

import io
import math
import os

import numpy as np

MAIN = ("acc_real", "acc_fake", "d_loss", "g_loss")
SKIP = ("iteration", "seconds", "epoch")


def _metadata(plugin: str, data_class: int):
    from tensorflow.core.framework import summary_pb2

    return summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name=plugin),
                                       data_class=data_class)


def tag_of(column: str) -> str:
    if column in MAIN:
        return column
    return f"rates/{column}" if column in ("d_lr", "g_lr") else f"scores/{column}"


def export_tensorboard(run, folder: str) -> dict:
    """Write the run's check-ins into `folder` (made if missing) as one event file; returns what was
    written: {"file": path, "scalars": [tags], "steps": n, "images": n}."""
    import tensorflow as tf
    from tensorflow.core.framework import summary_pb2

    from gan_core.teaching.animation import frames_of
    from gan_core.training.run import has_payload

    os.makedirs(folder, exist_ok=True)
    frame = run.history_frame()
    columns = [c for c in frame.columns if c not in SKIP]
    scalar = _metadata("scalars", summary_pb2.DATA_CLASS_SCALAR)
    image = _metadata("images", summary_pb2.DATA_CLASS_BLOB_SEQUENCE)
    stored = [e for e in run.view().history if has_payload(e)]
    pictures = frames_of(run, stored)
    before = set(os.listdir(folder))
    writer = tf.summary.create_file_writer(folder)
    with writer.as_default():
        for row in frame.to_dict("records"):
            step = int(row["iteration"])
            for column in columns:
                value = row[column]
                if isinstance(value, (int, float, np.number)) and not math.isnan(value):
                    tf.summary.write(tag_of(column), tf.constant(float(value), tf.float32), step=step, metadata=scalar)
        for evaluation, picture in zip(stored, pictures):
            png = io.BytesIO()
            picture.save(png, format="PNG")
            tensor = tf.constant([str(picture.width), str(picture.height), png.getvalue()], tf.string)
            tf.summary.write("check_in", tensor, step=int(evaluation.iteration), metadata=image)
    writer.flush()
    writer.close()
    new = sorted(set(os.listdir(folder)) - before)
    return {"file": os.path.join(folder, new[-1]) if new else None, "scalars": [tag_of(c) for c in columns],
            "steps": len(frame), "images": len(pictures)}
