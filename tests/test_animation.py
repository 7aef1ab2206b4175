"""The replay as an animated GIF (gan_core/teaching/animation.py): one frame per stored check-in, drawn
without a browser, with the check-in's samples where they are on the plane."""
import io

import numpy as np
from PIL import Image

from gan_core import Config, GanRun
from gan_core.data.mnist import load_digits
from gan_core.settings.config import ImageConfig
from gan_core.teaching.animation import BAR, FAKE, REAL, SIZE, replay_gif
from gan_core.training.images import ImageGanRun


def _frames(data: bytes) -> list[np.ndarray]:
    gif = Image.open(io.BytesIO(data))
    frames = []
    for i in range(gif.n_frames):
        gif.seek(i)
        frames.append(np.asarray(gif.convert("RGB")))
    return frames


def test_a_gif_has_one_frame_per_check_in_with_its_samples():
    run = GanRun(Config(n_epochs=100, n_eval=20, n_batch=32))
    for _ in run.train():
        pass
    frames = _frames(replay_gif(run))
    assert len(frames) == len(run.history) == 5 and frames[0].shape == (SIZE + BAR, SIZE, 3)
    assert not np.array_equal(frames[0], frames[-1])  # the fakes moved
    # a real sample is drawn red at its place on the plane
    (x0, x1), (y0, y1) = run.target.bounds()
    x, y = run.history[-1].real[0]
    col, row = int((x - x0) / (x1 - x0) * (SIZE - 1)), int((1 - (y - y0) / (y1 - y0)) * (SIZE - 1)) + BAR
    pixel = frames[-1][row, col].astype(int)
    assert np.abs(pixel - REAL).max() < 40 or np.abs(pixel - FAKE).max() < 40, pixel  # (a fake may lie on top)


def test_an_mnist_gif_shows_the_digit_grids():
    digits = load_digits("tanh", use_keras=False)  # the shipped 5,000, scaled for the default DCGAN
    run = ImageGanRun(ImageConfig(n_epochs=4, n_eval=2, n_batch=16, d_filters=4, g_filters=4, latent_dim=8), digits)
    for _ in run.train():
        pass
    assert len(_frames(replay_gif(run))) == len(run.history) == 2
