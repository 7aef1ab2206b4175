"""The data kinds as the app shows them, one entry each: its addresses' prefix, its page files by
role, its pages' state names, where their widgets start, its preview's icon, its sidebar settings
and its targets' names on screen, and what its pages show (its view: a curve, a plane, a line, digits;
its target chooser's label, its visitor's rows, its examples, its drawing). The navigation, the sidebar,
the pages, shared links, Compare and the sweep's "open as a run" read it: no page tells kinds apart by
their data's shape, so a new kind is one entry here (beside its gan_core.kinds entry) plus its page views."""
from __future__ import annotations

from dataclasses import dataclass

from gan_core import kinds
from gan_core.settings import defaults as target_defaults

# the experiments, in the sidebar's order: role -> (address, title, icon); the preview's icon is the kind's
ROLES = {"lab": ("discriminator_lab", "Discriminator lab", ":material/search:"),
         "preview": ("generator_preview", "Generator preview", None),
         "gan": ("gan_training", "GAN training", ":material/sports_kabaddi:"),
         "sweep": ("seed_sweep", "Seed sweep", ":material/stacked_line_chart:"),
         "grid": ("settings_sweep", "Settings sweep", ":material/grid_on:")}
SETTINGS_OF_GAN = ("sweep", "grid")  # roles whose page trains the GAN page's settings
# what a kind's pages draw of its samples and check-ins (explorer/charts: a module per view)
VIEWS = {"curve": "samples (x, f(x)) over the discriminator's plane, the function's curve dashed",
         "plane": "2-D points over the discriminator's plane, equal units on both axes",
         "line": "numbers on a line: the real and fake densities, D(x), the generator's map from z to x",
         "digits": "images: a grid of digits and what a classifier makes of them: its scores, a Fréchet distance "
                   "on its logits and the nearest training digit of each (the memorization check), beside their floors",
         "pictures": "a visitor's own pictures: a grid of them, a Fréchet distance and the nearest training picture "
                     "of each (the memorization check), each beside its real-vs-real floor"}


@dataclass(frozen=True)
class Experiments:
    kind: kinds.DataKind
    prefix: str  # its pages' addresses: prefix + the role's address (and its session keys': explorer/session.py)
    files: dict  # role -> its page file in app_pages/ (a kind may lack a role: MNIST has no sweep)
    states: dict  # "lab" and "gan" -> the page's state name (its run, its widgets' keys)
    defaults: dict  # state name -> where that page's widgets start away from the settings' defaults
    preview_icon: str
    sidebar: str  # the explorer.sidebar function that draws its sidebar settings
    labels: dict  # its targets as the sidebar names them
    about: str  # what its data is, in a line (the home page)
    view: str  # what its pages draw (VIEWS)
    target_label: str = ""  # the sidebar's chooser of its target ("Point set")
    rows: str = ""  # what a visitor's own rows are, in words ("points", "numbers"): "" where it takes none
    examples: bool = False  # its GAN page offers a trained example of each built-in set (explorer/examples.py)
    drawable: bool = False  # its GAN page draws the visitor's own points (explorer/drawing.py) for its upload target
    presets: bool = False  # its forms start from a preset (forms.image_form): a link's values stand over it
    form: str = "gan_form"  # the explorer.forms function that draws its image pages' settings (image_form, pictures_form)
    data_arg: str = ""  # the keyword its kind's runs take its real data by ("digits", "images"; "" for the plane kinds)
    frechet: bool = False  # its GAN page charts a Fréchet distance and shows the memorization check's pairs, with floors
    conditional: bool = False  # its pictures have labels: a conditional GAN is a setting (pick the digit), its preview walks labels

    @property
    def default_target(self) -> str:
        return self.defaults[self.states["gan"]].get("target", "x^2")

    @property
    def chooses_set(self) -> bool:
        """Its sidebar chooses a named set of real data (or the visitor's rows), in a widget of its own."""
        return self.sidebar == "point_set_settings"

    @property
    def chooses_function(self) -> bool:
        """Its sidebar chooses a 1-D function: f(x) and its domain."""
        return self.sidebar == "target_settings"

    @property
    def chooses_target(self) -> bool:
        """Its sidebar chooses a target by name (a set or a function): its GAN page starts from that target's own
        defaults (gan_core/settings/defaults.py)."""
        return self.chooses_set or self.chooses_function

    @property
    def on_line(self) -> bool:
        """A sample is one number: densities and D(x) on a line, and the generator's map from z to x."""
        return self.view == "line"

    @property
    def square(self) -> bool:
        """Its plane has equal units on both axes (a ring is round), a square; else as wide as its column."""
        return self.view == "plane"

    @property
    def manifold(self) -> bool:
        """Its GAN page offers GAN Lab's manifold: the generator's warped latent grid over the plane."""
        return self.view in ("curve", "plane")

    @property
    def warmed(self) -> bool:
        """The server compiles its default steps as it starts (the image kinds' are shaped by their pictures: not)."""
        return self.view not in ("digits", "pictures")

    @property
    def classified(self) -> bool:
        """A shipped classifier scores its pictures (MNIST's digits: scores, histograms, a pretrained generator)."""
        return self.view == "digits"

    @property
    def own_pictures(self) -> bool:
        """Its real data are the visitor's pictures (or made-up shapes): shown before training, judged without
        labels (a Fréchet distance and the memorization check), and kept from others unless the owner shares them."""
        return self.view == "pictures"

    def address(self, role: str) -> str:
        return self.prefix + ROLES[role][0]

    def heading(self, role: str) -> str:
        """The role's page heading, naming the data ("GAN training · 2-D points"): the kinds share a page's
        file and its sidebar link's name, and a heading alone told a visitor (and a test) nothing of which."""
        return f"{ROLES[role][1]} · {self.kind.title}"

    def page_state(self, role: str) -> str:
        """The state name of the role's page: its run and its widgets' keys ("points_sweep")."""
        return self.states.get(role, self.prefix + role)

    def state(self, role: str) -> str | None:
        """The state name whose settings the role's page uses (a sweep, a grid: its GAN page's)."""
        return self.states.get("gan" if role in SETTINGS_OF_GAN else role)


IMAGE_FILES = {"lab": "image_lab", "preview": "image_preview", "gan": "image_gan"}  # MNIST and your images share them
PLANE_FILES = {role: address for role, (address, _, _) in ROLES.items()}  # the 1-D and 2-D kinds share the files
POINTS_NETWORKS = {"target": "ring8", **kinds.POINTS.defaults}
SAMPLES_NETWORKS = {"target": "bimodal1d", **kinds.SAMPLES.defaults}
LAB = {"n_epochs": 1000, "n_eval": 50}
ALL = (
    Experiments(kinds.FUNCTION, "", PLANE_FILES, {"lab": "lab", "gan": "gan"},
                {"gan": {"n_eval": 200}, "lab": LAB}, ":material/scatter_plot:", "target_settings",
                {"x^2": "x² (the tutorial's)", "sine": "sine", "gaussian": "Gaussian bump",
                 "multimodal": "multimodal polynomial", "abs": "|x|", "x^3": "x³", "custom": "your own f(x)"},
                "Points (x, f(x)) of a 1-D function, x² as in Jason Brownlee's tutorial *How to Develop a 1D GAN "
                "From Scratch in Keras*; another function, or your own, in the sidebar.",
                "curve", target_label="Target function y = f(x)"),
    Experiments(kinds.POINTS, "points_", PLANE_FILES, {"lab": "points_lab", "gan": "points_gan"},
                {"points_gan": {**POINTS_NETWORKS, "n_eval": 500},
                 "points_lab": {**POINTS_NETWORKS, **LAB, "noise_low": -1.5, "noise_high": 1.5}},
                ":material/scatter_plot:", "point_set_settings",
                {"ring8": "ring of 8 Gaussians", "grid25": "grid of 25 Gaussians", "moons": "two moons",
                 "spiral": "spiral", "csv": "your own points (CSV)"},
                "Sets where GANs famously collapse: a ring of 8 and a grid of 25 Gaussians (PacGAN, VEEGAN, "
                "Unrolled GAN), two moons, a spiral, or your own CSV, scored by the modes found.",
                "plane", target_label="Point set", rows="points", examples=True, drawable=True),
    Experiments(kinds.SAMPLES, "samples_", PLANE_FILES, {"lab": "samples_lab", "gan": "samples_gan"},
                {"samples_gan": {**SAMPLES_NETWORKS, "n_epochs": 5000, "n_eval": 250},
                 "samples_lab": {**SAMPLES_NETWORKS, **LAB, "noise_low": -4.0, "noise_high": 4.0}},
                ":material/bar_chart:", "point_set_settings",
                {"bimodal1d": "two Gaussians (−2 and 2)", "normal1d": "one Gaussian N(0, 1)",
                 "csv1d": "your own numbers (CSV)"},
                "Numbers x from a distribution, the picture of Goodfellow et al. 2014 (Figure 1): the real and "
                "generated densities, the discriminator's D(x) and the generator's map from z to x.",
                "line", target_label="Distribution of x", rows="numbers", examples=True),
    Experiments(kinds.DIGITS, "mnist_", IMAGE_FILES,
                {"lab": "mlab", "gan": "mgan"}, {"mlab": {}, "mgan": {}}, ":material/grid_view:", "mnist_settings", {},
                "28×28 handwritten digits: the DCGAN paper's networks draw readable digits within about a minute "
                "on a laptop CPU, or the MNIST tutorial's own.",
                "digits", presets=True, form="image_form", data_arg="digits", frechet=True,
                conditional=True),
    Experiments(kinds.IMAGES, "images_", IMAGE_FILES,
                {"lab": "ilab", "gan": "igan"}, {"ilab": {"n_epochs": 300, "n_eval": 25}, "igan": {}},
                ":material/photo_library:", "pictures_settings",
                {"shapes": "made-up squares and circles (an example)", "upload": "your own pictures (files, a folder or a .zip)"},
                "Your own pictures: drop in files, a folder or a .zip (PNG, JPEG, GIF, WebP, BMP), made square and "
                "16, 32 or 64 pixels a side; a DCGAN with DiffAugment learns them, judged by a Fréchet distance and "
                "a memorization check. Made-up squares and circles until you upload.",
                "pictures", target_label="Pictures", form="pictures_form", data_arg="images", frechet=True),
)
BY_KIND = {e.kind.name: e for e in ALL}
BY_TITLE = {e.kind.title: e for e in ALL}  # the sidebar's choice


def of_settings(settings) -> Experiments:
    """The entry of the kind that settings (a Config or an ImageConfig) train on."""
    return BY_KIND[kinds.of_settings(settings).name]


# what the links, Compare and the sweep look up, derived
STATE_OF_ADDRESS = {e.address(role): e.state(role) for e in ALL for role in e.files if e.state(role)}
ROLE_OF_ADDRESS = {e.address(role): role for e in ALL for role in e.files}
ENTRY_OF_STATE = {state: e for e in ALL for state in e.states.values()}
KIND_OF_STATE = {state: e.kind for state, e in ENTRY_OF_STATE.items()}
PAGE_DEFAULTS = {state: defaults for e in ALL for state, defaults in e.defaults.items()}
GAN_STATES = {e.states["gan"]: e.kind for e in ALL}



def page_defaults(state: str, target: str | None = None) -> dict:
    """Where a page's widgets start: its own (PAGE_DEFAULTS); on a plane kind's GAN page (and its sweeps, which
    draw its widgets) the target's own defaults stand over them (gan_core/settings/defaults.py), so the form
    starts where `python -m gan_core train --target T` does. `target`: the sidebar's (default: the page's)."""
    own, entry = PAGE_DEFAULTS[state], ENTRY_OF_STATE[state]
    if state != entry.states["gan"] or not entry.chooses_target:
        return own
    return {**own, **target_defaults.of_target(target or entry.default_target)}
