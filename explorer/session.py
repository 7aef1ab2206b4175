"""Every key the app keeps in st.session_state, declared once: its name, what its value is and its
default, with typed access. Nothing else in the app spells a key: the pages and the other explorer
modules name these declarations, and a widget's `key=` comes from one (`Key.name`, or `Key.kept()`).

A `Key` is one entry; a `Keys` is a family of them, one per page, kind or run (`PAGE("gan")` is the key
"page_gan"). The names are the app's addresses into a visitor's state (tests, links and the widgets'
persisted values use them): a new one is declared here, never spelled where it is used.

Streamlit's semantics stay as they are: a widget's value is st.session_state[its key], put there by
the browser before the script runs; a link, a preset or a callback may put a value there before the
widget is drawn, never after it in the same run. `Key.kept` gives a widget persist_state="session", so
that its value outlives a page switch."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any, Callable, Generic, TypeVar

import streamlit as st

from .experiments import ALL

T = TypeVar("T")
NoneType = type(None)
_DECLARED = object()  # "the declared default"
_ABSENT = object()


@dataclass(frozen=True)
class Key(Generic[T]):
    """One session-state entry. `type`: what its value is (a type, a tuple of them, or a class's name
    where importing the class here would make an import circle)."""

    name: str
    type: Any
    default: Any = None  # its value while absent
    factory: Callable[[], T] | None = None  # or: a fresh default each time (a dict, a list)
    about: str = ""

    def _default(self, default=_DECLARED):
        if default is not _DECLARED:
            return default
        return self.factory() if self.factory is not None else self.default

    def get(self, default=_DECLARED) -> T:
        """Its value, or the default (the declared one unless given) while absent; nothing is written."""
        value = st.session_state.get(self.name, _ABSENT)
        return self._default(default) if value is _ABSENT else value

    def set(self, value: T) -> T:
        st.session_state[self.name] = value
        return value

    def setdefault(self, default=_DECLARED) -> T:
        """Its value, the default put in first while absent."""
        return st.session_state.setdefault(self.name, self._default(default))

    def pop(self, default=_DECLARED) -> T:
        """Its value (the default while absent), taken out."""
        return st.session_state.pop(self.name, self._default(default))

    def present(self) -> bool:
        return self.name in st.session_state

    def kept(self, default=_DECLARED) -> dict:
        """A widget's key and options so that its value lives for the whole session, across pages
        (Streamlit's persist_state="session"; re-assigning session_state at the top of each run lost
        the values of a page left while its run trained). The default goes into session_state first: a
        link or a preset may have put a value there already."""
        self.setdefault(default)
        return {"key": self.name, "persist_state": "session"}


@dataclass(frozen=True)
class Keys(Generic[T]):
    """A family of keys: `template` has a {} for each part that names one (a page, a kind, a run);
    `parts`, what each part looks like (regular expressions; any text where not given)."""

    template: str
    type: Any
    default: Any = None
    factory: Callable[[], T] | None = None
    about: str = ""
    parts: tuple = ()

    def __call__(self, *parts) -> Key[T]:
        return Key(self.template.format(*parts), self.type, self.default, self.factory, self.about)

    def matches(self, name: str) -> bool:
        """Whether `name` is one of this family's keys."""
        pieces = re.escape(self.template).split(re.escape("{}"))
        shapes = [*self.parts, *[".+"] * (len(pieces) - 1 - len(self.parts))]
        pattern = pieces[0] + "".join(f"(?:{shape}){piece}" for shape, piece in zip(shapes, pieces[1:]))
        return re.fullmatch(pattern, name) is not None


WIDGET = (str, int, float, bool, tuple, list, NoneType)  # a widget's value (a link may put a number in a text field)

# ---- the app: navigation, addresses, the visitor ---------------------------------------------------
KIND_SWITCHED: Key[bool] = Key("kind_switched", bool, False,
                               about="the visitor switched the data kind: the next run shows the same experiment on it")
GAN_PAGES: Key[dict] = Key("gan_pages", dict, factory=dict, about="GAN state name -> its st.Page (opening a run there)")
EXPERIMENT_PAGES: Key[dict] = Key("experiment_pages", dict, factory=dict,
                                  about="kind title -> role -> st.Page, and 'compare' (the home page links to each)")
ADDRESS_NOW: Key[str | None] = Key("address_now", (str, NoneType), about="the url_path of the page this run draws")
ADDRESSES: Key[dict] = Key("addresses", dict, factory=dict, about="url_path -> the query that page wrote last")
OPEN_GAN_PAGE: Key[str | None] = Key("open_gan_page", (str, NoneType),
                                     about="the GAN page (state name) a hand-over named: the script switches to it")
SETTINGS_ERRORS_AT: Key[list] = Key("settings_errors_at", list, factory=list,
                                    about="where this run's settings messages are, for 'Fix ... first'")
SIDEBAR_ERRORS_AT: Key[list] = Key("sidebar_errors_at", list, factory=list,
                                   about="the sidebar fields this run's settings refused, named in the main area")
VISITOR: Key[Any] = Key("visitor", "Visitor", about="explorer.lifecycle.Visitor: is this session's browser there")

# ---- shared links (explorer/links.py) ----------------------------------------------------------
URL_LOADED: Key[bool] = Key("url_loaded", bool, False, about="the address the visit opened with was read")
URL_NOTES: Key[list] = Key("url_notes", list, factory=list, about="what a link's settings could not set")
HIDE: Keys[tuple] = Keys("hide_{}", tuple, (), about="page state -> the settings a lesson link hides")

# ---- the sidebar (explorer/sidebar.py) ---------------------------------------------------------
DATA: Key[str] = Key("w_data", str, ALL[0].kind.title, about="the sidebar's data kind (its title)")
TARGET: Key[str] = Key("w_target", str, "x^2", about="the 1-D function's target")
TARGETS: dict[str, Key[str]] = {  # kind name -> the sidebar widget of its target ("w_points" for the 2-D points)
    entry.kind.name: Key("w_" + entry.prefix.rstrip("_"), str, entry.default_target, about="a point set")
    if entry.chooses_set else TARGET for entry in ALL}
EXPR: Key[str] = Key("w_expr", str, "0.3*sin(6*x) + x**2", about="the user's own f(x)")
OWN_DOMAIN: Key[bool] = Key("w_own_domain", bool, False, about="Set the domain myself")
LOW: Key[str] = Key("w_low", (str, int, float), about="the domain's start, typed (its default: the target's)")
HIGH: Key[str] = Key("w_high", (str, int, float), about="the domain's end, typed")
SEED: Key[str] = Key("w_seed", (str, int), 1, about="the seed, typed")
# the visitor's own pictures (explorer/uploads.py): made-up shapes or an upload, prepared at a side and colour
PICTURES: Key[str] = Key("w_pictures", str, "shapes", about="the sidebar's pictures: made-up shapes or the visitor's")
PICTURES_SIDE: Key[int] = Key("w_pictures_side", int, 32, about="the side the pictures are prepared at")
PICTURES_COLOR: Key[str] = Key("w_pictures_color", str, "as-is", about="as the pictures are, grayscale or colour")
PICTURES_FILES: Key[Any] = Key("pictures_files", (list, NoneType), about="the uploader of pictures or one .zip")
PICTURES_FOLDER: Key[Any] = Key("pictures_folder", (list, NoneType), about="the uploader of a whole folder")
PICTURES_SEEN: Key[dict] = Key("pictures_seen", dict, factory=dict,
                               about="uploader -> its files' (name, size) read last: each upload is read once")
PICTURES_KEPT: Key[tuple] = Key("pictures_kept", tuple, about="(upload id, ((file name, bytes), ...)) of the last good upload")
PICTURES_PREPARED: Key[tuple] = Key("pictures_prepared", tuple,
                                    about="((upload id, side, colour), ImageSet): the kept upload, prepared")
PICTURES_ERROR: Key[str] = Key("pictures_error", str, about="why the last upload was not used (its ImagesError)")
SIDEBAR_FIELDS: dict[str, Key] = {"target": TARGET, "expr": EXPR, "seed": SEED, "low": LOW, "high": HIGH,
                                  "side": PICTURES_SIDE, "color": PICTURES_COLOR}
SIDEBAR: Key[Any] = Key("sidebar_now", "Sidebar", about="this script run's sidebar.Sidebar, read once when drawn")
SLOT: Keys[Any] = Keys("slot_{}", "DeltaGenerator", about="field -> the place under a sidebar field for its message")

# the visitor's own rows for a point-set kind (its prefix names them: "points_uploaded")
UPLOADER: Keys[Any] = Keys("{}file", ("UploadedFile", NoneType), about="the CSV uploader")
UPLOAD_SEEN: Keys[tuple] = Keys("{}file_id", tuple, about="(name, size) of the CSV read last: each file is read once")
UPLOADED: Keys[tuple] = Keys("{}uploaded", tuple, about="(file name, rows) of the CSV uploaded or the points drawn")
UPLOAD_ERROR: Keys[str] = Keys("{}error", str, about="why the last CSV was not used")
DRAW_SPREAD: Keys[float] = Keys("{}draw_spread", float, about="the drawing's blob spread (a slider)")
DRAW_CHART: Keys[Any] = Keys("{}draw_chart", object, about="the drawing plane's selection")
DRAW_SEEN: Keys[str] = Keys("{}draw_seen", str, about="the drawing selection taken last: each click is taken once")
DRAW_DOWNLOAD: Keys[bool] = Keys("{}draw_download", bool, about="Download as CSV (a button)")
DRAW_CLEAR: Keys[bool] = Keys("{}draw_clear", bool, about="Clear the drawing (a button)")

# ---- a page's state and widgets ------------------------------------------------------------------
PAGE: Keys[Any] = Keys("page_{}", "PageState", about="page state name -> its explorer.state.PageState")
FIELD: Keys[Any] = Keys("w_{}_{}", WIDGET, about="(page state, field) -> the page's widget for it")
BUTTON: Keys[bool] = Keys("btn_{}_{}", bool, False, about="(page state, button) -> a page's button")
FORM_TARGET: Keys[str] = Keys("{}_form_target", str, about="page state -> the target whose defaults its widgets hold")
TARGET_NOTE: Keys[str] = Keys("{}_target_note", str, about="page state -> what the latest target switch did to its form")
PANEL_ERRORS: Keys[bool] = Keys("{}_panel_errors", bool, False, about="a page's settings panel holds an error")
STORE_OPENED: Keys[str | None] = Keys("store_opened_{}", (str, NoneType),
                                      about="page state -> the stored run its address opened (said once)")
ID = r"\d+"  # id(run): a key per run object
REPLAY: Keys[int] = Keys("{}_replay_{}", int, about="(page state, id(run)) -> the replay slider's check-in",
                         parts=(".+", ID))
RATE: Keys[str] = Keys("{}_{}_{}", (str, int, float), parts=(".+", "[gd]_lr", ID),
                       about="(page state, g_lr or d_lr, id(run)) -> a paused run's new learning rate, typed")
SET_RATES: Keys[bool] = Keys("{}_set_rates_{}", bool, about="(page state, id(run)) -> Set (the learning rates)",
                             parts=(".+", ID))
SHARE_PICTURES: Keys[bool] = Keys("{}_share_pictures_{}", bool, parts=(".+", ID),
                                  about="(page state, id(run)) -> 'share my pictures' (the run's pictures_shared)")
OPEN_SEED: Keys[int] = Keys("{}_open_seed", int, about="a sweep's seed to open on the GAN page")
HEAT: Keys[Any] = Keys("{}_heat_{}", object, about="(page state, id(grid)) -> the grid's heat-map selection",
                       parts=(".+", ID))
REAL_DATA: Key[Any] = Key("real_data", object, about="the GAN page's real data before a run (a container: its "
                          "CSS class st-key-real_data tells its chart from a run's)")
PREVIEW_SETTINGS: Keys[tuple] = Keys("{}_key", tuple, about="a preview: what its untrained generator was built for")
PREVIEW_GENERATOR: Keys[Any] = Keys("{}_generator", object, about="a preview: its untrained generator")
MNIST_PREVIEW = "mpreview"  # the MNIST preview's keys' prefix (it keeps no PageState)
GENERATOR_UPLOAD: Key[Any] = Key(MNIST_PREVIEW + "_upload", ("UploadedFile", NoneType), about="a .keras uploader")
GENERATOR_UPLOAD_SEEN: Key[tuple] = Key(MNIST_PREVIEW + "_upload_name", tuple, about="(name, size) read last")
GENERATOR_UPLOADED: Key[Any] = Key(MNIST_PREVIEW + "_uploaded", object, about="the generator uploaded last")

# ---- the Dirac-GAN lesson (app_pages/dirac.py) ------------------------------------------------------
DIRAC: Keys[Any] = Keys("dirac_{}", WIDGET, about="setting (a DiracConfig field) -> the lesson's widget for it")

# ---- the run store (explorer/stored_runs.py) ---------------------------------------------------
STORE_OWNER: Key[str] = Key("store_owner", str, factory=lambda: "app-" + secrets.token_urlsafe(9),
                            about="this session's name in the store's index")
STORE_KEYS: Key[dict] = Key("store_keys", dict, factory=dict, about="run id -> edit key, of the runs this session owns")
STORE_NOTICES: Key[dict] = Key("store_notices", dict, factory=dict,
                               about="page state -> (run id, level, text): what its address opened")

# ---- Compare and downloads -------------------------------------------------------------------------
KEPT_RUNS: Key[dict] = Key("kept_runs", dict, factory=lambda: {"runs": [], "count": 0},
                           about="the runs kept for Compare (explorer/session_runs.py) and how many were named")
GENERATOR_BYTES: Key[dict] = Key("generator_bytes", dict, factory=dict, about="(id(run), iteration) -> .keras bytes")
COMPARE_UPLOAD: Key[Any] = Key("compare_upload", ("UploadedFile", NoneType), about="the run bundle uploader")
COMPARE_UPLOAD_SEEN: Key[tuple] = Key("compare_upload_id", tuple, about="(name, size) of the bundle read last")
COMPARE_UPLOAD_ERROR: Key[str] = Key("compare_upload_error", str, about="why the last bundle was not used")
STORED_KIND: Key[str] = Key("stored_kind", str, about="the stored runs' data filter")
STORED_WHOSE: Key[str] = Key("stored_whose", str, about="the stored runs' owner filter")
STORED_TABLE: Key[Any] = Key("stored_table", object, about="the stored runs' table selection")
STORED_COMPARED: Key[set] = Key("stored_compared", set, factory=set, about="stored run ids loaded for Compare")
COMPARE_RUNS: Key[list] = Key("compare_runs", list, about="the runs compared")
COMPARE_X: Key[str] = Key("compare_x", str, about="iterations or seconds")
COMPARE_ONE: Key[str] = Key("compare_one", str, about="the run to download or continue")


def declarations() -> list[Key | Keys]:
    """Every declared key and family, the literal keys first."""
    found = [v for v in globals().values() if isinstance(v, (Key, Keys))]
    found += [k for k in TARGETS.values() if k not in found]
    return sorted(found, key=lambda d: isinstance(d, Keys))


def declared(name: str) -> list[Key | Keys]:
    """The declarations a session-state name can be: its own Key, else the families it fits."""
    literal = [d for d in declarations() if isinstance(d, Key) and d.name == name]
    return literal or [d for d in declarations() if isinstance(d, Keys) and d.matches(name)]
