"""Each built-in target's own defaults: the settings a run on it starts from when nobody says otherwise
(`Config.for_target`: the CLI's train and sweep, the app's GAN pages), over Config's field defaults and
its kind's networks. Chosen with the engine's Settings sweep on tuned-on seeds and measured on fresh ones
(bench/defaults.py, bench/results/defaults.txt); MEASURED is what that bench found, declared here and
shown beside Train where a default still fails on more than 1 seed in 10. A run built with Config()
directly (a sweep, a grid, a test) keeps the plain defaults."""
from __future__ import annotations

from dataclasses import dataclass

from gan_core.data import points, samples

# a point-set kind's networks (wider than the 1-D tutorial's), for its sets and its upload
KIND_DEFAULTS = {(*points.POINT_SETS, points.UPLOADED): points.NETWORKS,
                 (*samples.SAMPLE_SETS, samples.UPLOADED): samples.NETWORKS}

# target -> its own settings over its kind's (bench/defaults.py chose them: bench/README.md)
TARGET_DEFAULTS = {
    "x^2": {"n_epochs": 20_000, "pack": 4},
    "ring8": {"pack": 2},
    "grid25": {"pack": 4},
}


@dataclass(frozen=True)
class Measured:
    """A target's defaults on fresh seeds (bench/defaults.py fresh): how many met the criterion of how many."""

    met: int
    seeds: int

    @property
    def fails_often(self) -> bool:
        """More than 1 seed in 10 failed: the page says so beside Train."""
        return (self.seeds - self.met) * 10 > self.seeds

    def note(self) -> str:
        return f"On {self.seeds} fresh seeds this default met its criterion on {self.met}."


# seeds 1000..1009 (bench/results/defaults.txt): x² 9 of 10; ring8 10 of 10 (8.0 modes, 90 % high quality);
# grid25 0 of 10 (15.7 of 25 modes, 1.7 % high quality): the page says so beside Train
MEASURED: dict[str, Measured] = {"x^2": Measured(9, 10), "ring8": Measured(10, 10), "grid25": Measured(0, 10)}


def of_target(target: str) -> dict:
    """The settings a run on `target` starts from, over Config's field defaults (the target included)."""
    kind = next((networks for targets, networks in KIND_DEFAULTS.items() if target in targets), {})
    return {**kind, **TARGET_DEFAULTS.get(target, {}), "target": target}


def in_words() -> str:
    """Each target's own defaults, as the CLI's help says them."""
    own = "; ".join(f"{target} {', '.join(f'{k} {_shown(v)}' for k, v in settings.items())}"
                    for target, settings in TARGET_DEFAULTS.items() if settings)
    return f"a target's own defaults, under any flag given: {own}" if own else ""


def _shown(value) -> str:
    return ",".join(map(str, value)) if isinstance(value, tuple) else f"{value:g}" if isinstance(value, float) else (
        str(value))
