"""A user's own pictures, prepared alike for a GAN: read from (name, bytes) pairs (an upload of many
files or a folder), a folder on disk, or one .zip; each centre-cropped to a square, resized to `side`
and made grayscale or colour; returned as one uint8 array (n, side, side, channels) with their names.

Every refusal is an ImagesError whose one-line message names the file and says what is allowed
(RULES). A zip's members are read from its bytes (zipfile, never extracted by name, so no name can
write anywhere), and a picture's size is read from its header before its pixels are decoded, so a
decompression bomb is refused before it takes the memory. The limits are below and in docs/limits.md.

    images = read_path("my_pictures.zip", side=32, color="as-is")   # or read_folder, read_zip, read_images
    images.images.shape, images.names                               # (n, 32, 32, 1 or 3) uint8
    made_up_shapes(200, side=16)                                     # squares and circles, to try it
"""
from __future__ import annotations

import io
import os
import warnings
import zipfile
from dataclasses import dataclass
from typing import Iterable

import numpy as np

FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "GIF": "GIF", "WEBP": "WebP", "BMP": "BMP"}  # PIL's name -> ours
EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp")  # what an uploader's type= filter offers
MIN_IMAGES = 16  # fewer teach nothing, and the Fréchet distance's two real halves need 8 each
MAX_FILES = 5_000  # files in one set (a folder's, a zip's or an upload's; Streamlit's uploader hangs past ~980)
MAX_BYTES = 50 * 2**20  # the files' total size, as uploaded or as the zip: the app's upload cap
MAX_UNPACKED_BYTES = 200 * 2**20  # a zip's members' total size once unpacked (a zip bomb's is far larger)
MAX_PIXELS = 40_000_000  # pixels of one picture (8,000 × 5,000); a bigger one is refused unread (bomb)
SIDES = (16, 32, 64)  # the networks halve and double the side from 4: a power of two
DEFAULT_SIDE = 32
COLORS = {"as-is": "as the images are", "gray": "grayscale", "color": "colour"}
SKIPPED = ("__MACOSX/", ".")  # a Mac zip's resource forks, hidden files (.DS_Store): not the user's pictures
RULES = (f"{MIN_IMAGES:,} to {MAX_FILES:,} pictures (PNG, JPEG, GIF, WebP or BMP, each at most "
         f"{MAX_PIXELS / 1e6:.0f} megapixels), {MAX_BYTES // 2**20} MB in all, as files, a folder or one .zip "
         "(no zip inside it)")


class ImagesError(ValueError):
    """A set of pictures that cannot be used; the message names the file and says what is allowed."""


@dataclass(frozen=True)
class ImageSet:
    """Pictures prepared alike: what the images kind's runs train on."""

    images: np.ndarray  # (n, side, side, channels) uint8, channels 1 (grayscale) or 3 (RGB)
    names: tuple[str, ...]  # each picture's file name (a zip's member, a folder's relative path)
    source: str = ""  # where they came from, in words ("412 pictures from shapes.zip")
    scale: str = "tanh"  # the runs' pixels in [-1, 1] (a tanh generator), as the DCGAN's

    def __len__(self):
        return len(self.images)

    @property
    def side(self) -> int:
        return int(self.images.shape[1])

    @property
    def channels(self) -> int:
        return int(self.images.shape[3])

    def unit(self) -> np.ndarray:
        """The pictures as float32 in [0, 1], (n, side, side, channels)."""
        return self.images.astype(np.float32) / 255.0

    def pixels(self):
        """The pictures as one uint8 tensor: what the compiled steps sample from (made once per set)."""
        if "_pixels" not in self.__dict__:
            import tensorflow as tf

            self.__dict__["_pixels"] = tf.constant(self.images)
        return self.__dict__["_pixels"]


def _refuse(name: str, why: str):
    raise ImagesError(f"{name}: {why}. Allowed: {RULES}.")


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 1024:.1f} KB"


def _check_settings(side: int, color: str) -> None:
    if side not in SIDES:
        raise ImagesError(f"side must be {', '.join(map(str, SIDES[:-1]))} or {SIDES[-1]} (got {side!r}).")
    if color not in COLORS:
        raise ImagesError(f"color must be one of {', '.join(COLORS)} (got {color!r}).")


def _picture(name: str, data: bytes):
    """The first frame of a picture as RGB (transparency over white), after checking what it is."""
    from PIL import Image

    if data[:4] == b"PK\x03\x04":
        _refuse(name, "a zip inside the set is not read")
    try:
        with warnings.catch_warnings():  # PIL's bomb warning: such a picture is refused below, unread
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))  # reads the header only
    except Image.DecompressionBombError:
        _refuse(name, f"over the limit of {MAX_PIXELS:,} pixels (a decompression bomb?)")
    except Exception:  # PIL raises many kinds on a file that is not a picture (UnidentifiedImageError, ...)
        _refuse(name, "not a picture PIL can read (or one cut short)")
    kind, (width, height) = probe.format, probe.size
    if width * height > MAX_PIXELS:
        _refuse(name, f"{width:,}×{height:,} pixels is over the limit of {MAX_PIXELS:,} (a decompression bomb?)")
    if kind not in FORMATS:
        _refuse(name, f"a {kind} picture")
    if width < 1 or height < 1:
        _refuse(name, "a picture with no pixels")
    try:
        probe.verify()  # the file's structure, without decoding pixels
    except Exception:
        _refuse(name, "a damaged or truncated picture")
    try:
        with Image.open(io.BytesIO(data)) as image:  # verify() leaves the file unusable: opened again
            image.seek(0)  # a GIF's (or animated WebP's) first frame
            image.load()  # a truncated file fails here
            if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
                rgba = image.convert("RGBA")
                white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                return Image.alpha_composite(white, rgba).convert("RGB")
            return image.convert("RGB")
    except Exception:
        _refuse(name, "a damaged or truncated picture")


def _square(image, side: int) -> np.ndarray:
    """Centre-cropped to a square, resized to side × side: (side, side, 3) uint8."""
    from PIL import Image

    width, height = image.size
    edge = min(width, height)
    left, top = (width - edge) // 2, (height - edge) // 2
    square = image.crop((left, top, left + edge, top + edge))
    return np.asarray(square.resize((side, side), Image.Resampling.LANCZOS, reducing_gap=3.0), np.uint8)


def read_images(files: Iterable[tuple[str, bytes]], side: int = DEFAULT_SIDE, color: str = "as-is",
                source: str = "") -> ImageSet:
    """(name, bytes) pairs (an upload of many files or a folder) as an ImageSet; `color`: "as-is" (grayscale
    when every picture is, else colour), "gray" or "color". ImagesError names the first bad file."""
    return _prepare(files, side, color, source, MAX_BYTES)


def _prepare(files, side: int, color: str, source: str, max_bytes: int) -> ImageSet:
    """The pictures of (name, bytes) pairs, prepared alike; their bytes at most max_bytes in all."""
    _check_settings(side, color)
    prepared, names, total = [], [], 0
    for name, data in files:
        if len(names) >= MAX_FILES:
            _refuse(name, f"more than {MAX_FILES:,} files")
        total += len(data)
        if total > max_bytes:
            _refuse(name, f"the files pass {_size(max_bytes)} in all here")
        prepared.append(_square(_picture(name, data), side))
        names.append(name)
    if not prepared:
        _refuse(source or "the set", "no pictures in it")
    if len(prepared) < MIN_IMAGES:
        _refuse(source or names[-1], f"{len(prepared)} pictures, fewer than the {MIN_IMAGES} needed")
    rgb = np.stack(prepared)
    gray = color == "gray" or (color == "as-is" and (rgb == rgb[..., :1]).all())
    if gray:  # ITU-R 601 luma, as PIL's convert("L")
        luma = rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114
        images = np.clip(np.round(luma), 0, 255).astype(np.uint8)[..., None]
    else:
        images = rgb
    return ImageSet(images, tuple(names), f"{len(names):,} pictures" + (f" from {source}" if source else ""))


def _safe_name(name: str) -> bool:
    """A zip member's name that stays inside its folder: relative, no '..', no drive."""
    parts = name.replace("\\", "/").split("/")
    return not (name.startswith(("/", "\\")) or ":" in parts[0] or ".." in parts)


def _skipped(name: str) -> bool:
    return name.startswith(SKIPPED[0]) or os.path.basename(name.rstrip("/")).startswith(SKIPPED[1])


def zip_members(data: bytes, name: str = "images.zip") -> list[tuple[str, bytes]]:
    """A zip's pictures as (member name, bytes), read in memory and checked: names inside the folder, no
    zip inside, at most MAX_FILES members and MAX_UNPACKED_BYTES unpacked."""
    if len(data) > MAX_BYTES:
        _refuse(name, f"{_size(len(data))}, over {_size(MAX_BYTES)}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        _refuse(name, "not a zip archive")
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir() and not _skipped(info.filename)]
        for info in infos:
            if not _safe_name(info.filename):
                _refuse(f"{name}/{info.filename}", "a name that climbs out of the zip's folder")
            if info.filename.lower().endswith(".zip"):
                _refuse(f"{name}/{info.filename}", "a zip inside the zip is not read")
        if len(infos) > MAX_FILES:
            _refuse(name, f"{len(infos):,} files, more than {MAX_FILES:,}")
        unpacked = sum(info.file_size for info in infos)
        if unpacked > MAX_UNPACKED_BYTES:
            _refuse(name, f"it unpacks to {_size(unpacked)}, over {_size(MAX_UNPACKED_BYTES)}")
        members = []
        for info in sorted(infos, key=lambda i: i.filename):
            try:
                members.append((f"{name}/{info.filename}", archive.read(info)))
            except Exception:  # CRC, zlib, an encrypted member, an unknown compression...
                _refuse(f"{name}/{info.filename}", "a damaged (or encrypted) member")
    return members


def read_zip(data: bytes, name: str = "images.zip", side: int = DEFAULT_SIDE, color: str = "as-is") -> ImageSet:
    """One .zip's pictures (its folders' too) as an ImageSet."""
    _check_settings(side, color)  # before any reading
    # the zip's own size was held to MAX_BYTES; its members' total, unpacked, to MAX_UNPACKED_BYTES
    return _prepare(zip_members(data, name), side, color, name, MAX_UNPACKED_BYTES)


def folder_files(path: str) -> list[tuple[str, bytes]]:
    """A folder's files, its subfolders' too (hidden ones skipped), as (relative name, bytes); a link
    pointing out of the folder is refused."""
    root = os.path.realpath(path)
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file in sorted(files):
            full = os.path.join(folder, file)
            relative = os.path.relpath(full, root)
            if _skipped(relative):
                continue
            if not os.path.realpath(full).startswith(root + os.sep):
                _refuse(relative, "a link that points out of the folder")
            if len(found) >= MAX_FILES:
                _refuse(relative, f"more than {MAX_FILES:,} files")
            found.append((relative, full))
    total = 0
    out = []
    for relative, full in found:
        total += os.path.getsize(full)
        if total > MAX_BYTES:
            _refuse(relative, f"the files pass {_size(MAX_BYTES)} in all here")
        with open(full, "rb") as f:
            out.append((relative, f.read()))
    return out


def read_folder(path: str, side: int = DEFAULT_SIDE, color: str = "as-is") -> ImageSet:
    """A folder's pictures (its subfolders' too) as an ImageSet."""
    return read_images(folder_files(path), side, color, source=os.path.basename(os.path.normpath(path)))


def read_path(path: str, side: int = DEFAULT_SIDE, color: str = "as-is") -> ImageSet:
    """A folder or a .zip on disk as an ImageSet (the CLI's --images)."""
    _check_settings(side, color)
    if os.path.isdir(path):
        return read_folder(path, side, color)
    if not os.path.isfile(path):
        _refuse(path, "no such folder or file")
    if os.path.getsize(path) > MAX_BYTES:
        _refuse(os.path.basename(path), f"{_size(os.path.getsize(path))}, over {_size(MAX_BYTES)}")
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"PK\x03\x04" and not path.lower().endswith(".zip"):
        _refuse(os.path.basename(path), "neither a folder nor a .zip")
    return read_zip(data, os.path.basename(path), side, color)


def made_up_shapes(n: int = 200, side: int = 16, seed: int = 0, color: bool = False) -> ImageSet:
    """n pictures of one filled square or circle each, of random size and place (in colour: a random
    hue each), on white: a set to try the kind on, and the tests' and bench's learnable set."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:side, 0:side] + 0.5
    images = np.full((n, side, side, 3 if color else 1), 255, np.uint8)
    names = []
    for i in range(n):
        radius = rng.uniform(0.15, 0.3) * side
        cy, cx = rng.uniform(radius, side - radius, 2)
        circle = rng.random() < 0.5
        inside = ((yy - cy) ** 2 + (xx - cx) ** 2 <= radius ** 2) if circle else (
            (np.abs(yy - cy) <= radius * 0.89) & (np.abs(xx - cx) <= radius * 0.89))  # about a circle's area
        ink = rng.integers(0, 200, 3) if color else np.array([0])
        images[i][inside] = ink
        names.append(f"{'circle' if circle else 'square'}_{i:04d}.png")
    return ImageSet(images, tuple(names), f"{n} made-up squares and circles")
