"""The images kind's pages (issue 33) in AppTest: the sidebar's pictures (made-up shapes, or an upload taken
as the uploader takes it), the real set shown before training, the three experiments on tiny runs, the
memorization check, the stored run's address and what a shared link shows. AppTest cannot upload a file:
the uploads' reading is tested here directly (explorer.uploads.read_pictures), the uploader itself in
Chromium (tests/test_browser_images.py)."""

import numpy as np
import pytest
from test_app import _chart_frames, _click, _open, _page, _says, _set, _text
from test_images import encoded, zipped

from explorer import uploads
from gan_core.data.images import MIN_IMAGES, ImagesError, made_up_shapes

TINY = {"n_epochs": 10, "n_eval": 5, "n_batch": 16}
FRECHET = "Fréchet distance: do they look like the set? (lower is better, floor dashed)"
NEAREST = "Memorization: distance to the nearest training picture (far below the floor: copies)"


def _files(n=MIN_IMAGES, side=20, color=False):
    """n small pictures as an upload's (name, bytes): squares and circles, in colour or not."""
    shapes = made_up_shapes(n, side, seed=3, color=color).images
    return [(f"pic_{i:02d}.png", encoded(image)) for i, image in enumerate(shapes)]


# ---- reading an upload: files, a folder's files, one .zip; refused by name -------------------------

def test_an_upload_of_files_or_one_zip_is_prepared_at_the_sidebars_side_and_colour():
    files = _files(color=True)
    images = uploads.read_pictures(files, 16, "as-is")
    assert images.images.shape == (MIN_IMAGES, 16, 16, 3) and images.names[0] == "pic_00.png"
    assert uploads.read_pictures(files, 32, "gray").images.shape == (MIN_IMAGES, 32, 32, 1)
    from_zip = uploads.read_pictures([("mine.zip", zipped([(f"folder/{n}", d) for n, d in files]))], 16, "as-is")
    assert from_zip.images.shape == (MIN_IMAGES, 16, 16, 3) and "mine.zip" in from_zip.source
    np.testing.assert_array_equal(from_zip.images, images.images)


@pytest.mark.parametrize("files, names", [
    (lambda f: f[:-1] + [("notes.png", b"not a picture at all")], "notes.png"),
    (lambda f: f[:3], "your upload: 3 pictures, fewer than the 16 needed"),
    (lambda f: [("set.zip", zipped([("inner.zip", zipped(f))]))], "set.zip/inner.zip"),
    (lambda f: [("set.zip", zipped([("../escape.png", f[0][1])]))], "set.zip/../escape.png"),
    (lambda f: f + [("more.zip", zipped(f))], "more.zip"),  # a zip among pictures
])
def test_a_bad_upload_is_refused_naming_the_file_and_what_is_allowed(files, names):
    with pytest.raises(ImagesError) as err:
        uploads.read_pictures(files(_files()), 16, "as-is")
    message = str(err.value)
    assert message.startswith(names) and "Allowed: 16 to 5,000 pictures" in message and "\n" not in message


# ---- the pages ----------------------------------------------------------------------------------------

def _images_page(address="images_gan_training", query=None):
    at = _open(address, query)
    assert at.radio(key="w_data").value == "Your images"
    at.selectbox(key="w_pictures_side").set_value(16).run()
    assert not at.exception, at.exception
    return at


def _image_captions(at) -> str:
    return " ".join(image.caption for element in at.get("image") for image in element.proto.imgs)


def _uploaded(at, files):
    """The visitor's pictures taken as the uploader takes a good upload (explorer.uploads._take)."""
    at.selectbox(key="w_pictures").set_value(uploads.UPLOAD).run()
    signature = tuple((name, len(data)) for name, data in files)
    at.session_state["pictures_kept"] = (signature, tuple(files))
    at.run()
    assert not at.exception, at.exception


def test_the_pages_offer_the_made_up_shapes_and_show_the_real_set_before_training():
    at = _images_page()
    assert at.title[0].value == "GAN training · Your images"
    real = [e for e in at.expander if e.label.startswith("The real pictures as they will train")]
    assert [e.label for e in real] == ["The real pictures as they will train: 400, 16×16 pixels, 1 channel (grayscale)"]
    assert len(at.get("image")) == 1  # the prepared set's grid, before any training
    assert _says(at.caption, "400 made-up squares and circles") and _says(at.caption, "Your pictures stay with you")
    assert _says(at.caption, "DiffAugment is on:")
    at.selectbox(key="w_pictures_color").set_value("color").run()
    assert any(e.label.endswith("16×16 pixels, 3 channels (colour)") for e in at.expander)


def test_your_own_pictures_must_be_uploaded_first_and_then_train():
    at = _images_page("images_discriminator_lab")
    _set(at, "ilab", TINY)
    at.selectbox(key="w_pictures").set_value(uploads.UPLOAD).run()
    _click(at, "ilab", "Train")
    assert _page(at, "ilab").run is None
    assert _says(at.error, "Upload your pictures in the sidebar first") and _says(at.error, "nothing was started")
    _uploaded(at, _files())
    assert any(e.label.startswith(f"The real pictures as they will train: {MIN_IMAGES},") for e in at.expander)
    assert _says(at.caption, f"Using {MIN_IMAGES} pictures from your upload")
    _click(at, "ilab", "Train")
    run = _page(at, "ilab").run
    assert run.iteration == 10 and run.digits.images.shape == (MIN_IMAGES, 16, 16, 1)
    assert list(at.dataframe[0].value["iteration"]) == [10, 5]
    assert "real pictures: P(real)" in _image_captions(at) and "noise pictures: P(real)" in _image_captions(at)
    assert "Discriminator accuracy" in _chart_frames(at)


@pytest.mark.slow
def test_the_gan_page_trains_charts_the_floors_checks_memorization_and_shares_without_pictures():
    at = _images_page()
    _set(at, "igan", TINY)
    _click(at, "igan", "Train")
    page = _page(at, "igan")
    run, history = page.run, page.run.history_frame()
    assert run.iteration == 10 and run.config.side == 16
    charts = _chart_frames(at)
    assert {"Discriminator accuracy", "Losses per batch", FRECHET, NEAREST} <= set(charts)
    assert charts[FRECHET]["frechet_distance"].tolist() == history["frechet_distance"].tolist()
    assert charts[NEAREST]["nearest_train_distance_floor"].tolist() == history["nearest_train_distance_floor"].tolist()
    assert "frechet_distance" in at.dataframe[0].value.columns and list(at.dataframe[0].value["iteration"]) == [10, 5]
    assert "top: generated (closest to a training picture first); bottom: the nearest training" in _image_captions(at)
    assert _says(at.caption, "The floor: a training picture held out of the set is")
    assert _says(at.markdown, "Memorization check")
    assert "Run finished at 10 of 10 iterations" in _text(at.caption)
    # the store keeps it at its address; someone else's view of it shows the charts, not the owner's pictures
    params = dict(at.query_params)
    assert params["run"] == page.app_run.store_id and "key" in params
    assert at.checkbox(key=f"igan_share_pictures_{id(run)}").value is False
    other = _open("images_gan_training", {"run": params["run"]})
    shown = _page(other, "igan")
    assert shown.run.iteration == 10 and shown.app_run.edit_key is None
    assert {FRECHET, NEAREST} <= set(_chart_frames(other))
    assert "their nearest training pictures are their owner's, not shared" in _image_captions(other)
    # the owner ticks "share my pictures": the stored run says so, and a new visitor sees the pairs
    at.checkbox(key=f"igan_share_pictures_{id(run)}").check().run()
    assert not at.exception and run.pictures_shared
    third = _open("images_gan_training", {"run": params["run"]})
    assert _page(third, "igan").run.pictures_shared
    assert "bottom: the nearest training picture of each" in _image_captions(third)


def test_the_preview_draws_an_untrained_generator_then_the_one_trained_on_the_gan_page():
    at = _images_page("images_generator_preview")
    assert at.title[0].value == "Generator preview · Your images"
    assert at.radio(key="w_mpreview_igan_source").options == ["untrained generator"]
    assert len(at.get("image")) == 3  # grid, zeros + A, the A-to-B strip
    _goto(at, "images_gan_training")
    _set(at, "igan", TINY)
    _click(at, "igan", "Train")
    _goto(at, "images_generator_preview")
    source = at.radio(key="w_mpreview_igan_source")
    assert source.options == ["untrained generator", "the generator trained on the GAN page"]
    source.set_value("the generator trained on the GAN page").run()
    assert not at.exception, at.exception
    assert len(at.get("image")) == 3 and _says(at.caption, "Trained for 10 iterations")


def _goto(at, address):
    """Another page of the same session by its address (AppTest's switch_page picks a file's first: MNIST's)."""
    from streamlit.util import calc_hash

    at._page_hash = calc_hash(address)
    at.run()
    assert not at.exception, at.exception
