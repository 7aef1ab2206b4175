"""How good are the fake samples? Accuracy of the discriminator, and objective distances
that the tutorial says could be computed but did not.

Each distance comes with its real-vs-real floor: the same figure for a second,
independent real sample of the same size, which is what a perfect generator would score.
"""
from __future__ import annotations

import numpy as np

from gan_core.data.targets import Target

COVERAGE_BINS = 20


def accuracy(probabilities: np.ndarray, real: bool) -> float:
    """Share classified correctly at threshold 0.5, as Keras's binary accuracy."""
    p = np.asarray(probabilities).reshape(-1)
    return float(np.mean(p > 0.5) if real else np.mean(p <= 0.5))


def curve_error(points: np.ndarray, target: Target) -> float:
    """Mean |y - f(x)| over the points: 0 when every point lies on the curve."""
    x, y = points[:, 0], points[:, 1]
    fx = target.f(x)
    # a user's f may be undefined outside the domain: measure against the nearest end
    bad = ~np.isfinite(fx)
    if bad.any():
        fx[bad] = target.f(np.clip(x[bad], target.low, target.high))
    return float(np.mean(np.abs(y - fx)))


def coverage(points: np.ndarray, target: Target, bins: int = COVERAGE_BINS) -> float:
    """Share of the domain's `bins` equal slices of [low, high] that hold at least one x."""
    x = points[:, 0]
    inside = x[(x >= target.low) & (x <= target.high)]
    index = np.clip(((inside - target.low) / (target.high - target.low) * bins).astype(int), 0, bins - 1)
    return float(np.unique(index).size / bins)


def outside(points: np.ndarray, target: Target) -> float:
    """Share of points whose x falls outside [low, high]."""
    x = points[:, 0]
    return float(np.mean((x < target.low) | (x > target.high)))


def outside_distance(points: np.ndarray, target: Target) -> float:
    """Mean distance in x by which points fall outside the domain (0 for points inside)."""
    x = points[:, 0]
    return float(np.mean(np.maximum(target.low - x, 0) + np.maximum(x - target.high, 0)))


def energy_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Energy distance between two point clouds: 2E|A-B| - E|A-A'| - E|B-B'| (0 when alike)."""

    def mean_dist(p, q):
        return float(np.mean(np.linalg.norm(p[:, None, :] - q[None, :, :], axis=-1)))

    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return max(2 * mean_dist(a, b) - mean_dist(a, a) - mean_dist(b, b), 0.0)


def wasserstein_1d(a: np.ndarray, b: np.ndarray) -> float:
    """Wasserstein-1 (earth mover's) distance between two samples of numbers: the area between their
    empirical CDFs, in the units of x."""
    a, b = np.sort(np.asarray(a, np.float64).ravel()), np.sort(np.asarray(b, np.float64).ravel())
    both = np.concatenate([a, b])
    both.sort()
    widths = np.diff(both)
    cdf_a = np.searchsorted(a, both[:-1], side="right") / len(a)
    cdf_b = np.searchsorted(b, both[:-1], side="right") / len(b)
    return float(np.sum(np.abs(cdf_a - cdf_b) * widths))


METRIC_LABELS = {
    "curve_error": "curve error  mean |y − f(x)|",
    "coverage": "domain coverage",
    "outside": "share outside the domain",
    "outside_distance": "mean distance outside",
    "energy": "energy distance to real",
    "modes": "modes captured",
    "high_quality": "high-quality samples (within 3σ)",
    "reverse_kl": "reverse KL of the mode histogram",
    "spread": "spread of the samples (real: 1)",
    "wasserstein": "Wasserstein-1 distance to real",
}


def sample_metrics(fake: np.ndarray, real: np.ndarray, real_other: np.ndarray, target: Target) -> dict[str, float]:
    """The distances of `fake` and, as `<name>_floor`, of a second real sample `real_other`."""
    out = {}
    for suffix, points in (("", fake), ("_floor", real_other)):
        out["curve_error" + suffix] = curve_error(points, target)
        out["coverage" + suffix] = coverage(points, target)
        out["outside" + suffix] = outside(points, target)
        out["outside_distance" + suffix] = outside_distance(points, target)
        out["energy" + suffix] = energy_distance(points, real)
    return out


# ---- 2-D point sets: the mode-collapse literature's scores -------------------------------------

MIXTURE_SAMPLES = 2500  # as PacGAN and VEEGAN score their ring and grid experiments


def mixture_scores(samples: np.ndarray, centres: np.ndarray, sigma: float) -> dict[str, float]:
    """Scores of samples from an equal-weight Gaussian mixture (PacGAN, VEEGAN): `modes`, how many
    centres have at least one sample within 3 sigma; `high_quality`, the share of samples within 3
    sigma of some centre; `reverse_kl`, KL(q || uniform) where q is the histogram of the high-quality
    samples' nearest centres (0 when they spread evenly over all modes, log(modes) on one; nan with
    no high-quality sample)."""
    samples = np.asarray(samples, np.float64)
    distances = np.linalg.norm(samples[:, None, :] - np.asarray(centres, np.float64)[None], axis=-1)
    nearest = distances.argmin(axis=1)
    close = distances[np.arange(len(samples)), nearest] <= 3 * sigma
    counts = np.bincount(nearest[close], minlength=len(centres))
    q = counts[counts > 0] / max(counts.sum(), 1)
    return {"modes": float((counts > 0).sum()), "high_quality": float(close.mean()),
            "reverse_kl": float(np.sum(q * np.log(q * len(centres)))) if counts.sum() else float("nan")}


def spread(points: np.ndarray, real: np.ndarray) -> float:
    """How spread out the points are against the real ones: the ratio of their mean distances to
    their own centroid (1 for another real sample, near 0 when they collapse onto a point)."""
    def radius(p):
        p = np.asarray(p, np.float64)
        return float(np.linalg.norm(p - p.mean(axis=0), axis=1).mean())

    return radius(points) / max(radius(real), 1e-12)


def point_metrics(fake: np.ndarray, real: np.ndarray, real_other: np.ndarray, point_set,
                  fake_many: np.ndarray | None = None, real_many: np.ndarray | None = None) -> dict[str, float]:
    """Energy distance of the fake samples to the real ones and, for a mixture, its scores on
    MIXTURE_SAMPLES more (fake_many); `<name>_floor` is the same for a second real sample."""
    out = {"energy": energy_distance(fake, real), "energy_floor": energy_distance(real_other, real),
           "spread": spread(fake, real), "spread_floor": spread(real_other, real)}
    if point_set.dims == 1:
        out.update(wasserstein=wasserstein_1d(fake, real), wasserstein_floor=wasserstein_1d(real_other, real))
    if point_set.mixture and fake_many is not None:
        out.update(mixture_scores(fake_many, point_set.support, point_set.sigma))
        out.update({k + "_floor": v for k, v in mixture_scores(real_many, point_set.support, point_set.sigma).items()})
    return out


def decision_grid(p_real, xlim: tuple[float, float], ylim: tuple[float, float] | None = None,
                  n: int = 40) -> np.ndarray:
    """The discriminator's P(real) (p_real: points (m, 2) -> (m,)) on an n×n grid: rows (x, y,
    p_real), for a heat map; on a line (no ylim), its D(x) curve at 4n points: rows (x, p_real)."""
    if ylim is None:
        points = np.linspace(*xlim, 4 * n, dtype=np.float32)[:, None]
        return np.column_stack([points, np.asarray(p_real(points), np.float32).reshape(-1)])
    xs = np.linspace(*xlim, n)
    ys = np.linspace(*ylim, n)
    gx, gy = np.meshgrid(xs, ys)
    points = np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)
    p = np.asarray(p_real(points), np.float32).reshape(-1)
    return np.column_stack([points, p])  # float32: a long run keeps one grid per check-in


# ---- MNIST: a digit classifier's view of generated images ----------------------------------

def digit_scores(probabilities: np.ndarray) -> tuple[dict[str, float], np.ndarray]:
    """From classifier softmax outputs (n, 10): mean confidence, the histogram of predicted
    digits, its entropy in bits (log2 10 = 3.32 when all ten are equally present, 0 for a
    collapse onto one digit), and the classifier score exp(E[KL(p(y|x) || p(y))]) (the
    'inception score' with a digit classifier: 10 at best)."""
    p = np.clip(np.asarray(probabilities, np.float64), 1e-12, 1.0)
    histogram = np.bincount(p.argmax(axis=1), minlength=10)
    share = histogram / histogram.sum()
    nonzero = share[share > 0]
    marginal = p.mean(axis=0)
    kl = np.sum(p * (np.log(p) - np.log(marginal)), axis=1)
    return {
        "confidence": float(p.max(axis=1).mean()),
        "entropy": float(0.0 - (nonzero * np.log2(nonzero)).sum()),  # 0.0 - : never "-0.00"
        "digits_present": float((histogram > 0).sum()),
        "classifier_score": float(np.exp(kl.mean())),
    }, histogram


MADE = tuple(f"made_{digit}" for digit in range(10))  # history columns: how many of each digit a grid shows


def digit_scores_pair(classifier, fake: np.ndarray, real: np.ndarray):
    """Scores of fake images (n, 28, 28) in [0, 1], and as `<name>_real` the same for real ones."""
    def predict(images):
        return np.asarray(classifier(np.asarray(images, np.float32)[..., None], training=False))

    fake_scores, fake_hist = digit_scores(predict(fake))
    real_scores, real_hist = digit_scores(predict(real))
    return {**fake_scores, **{k + "_real": v for k, v in real_scores.items()}}, fake_hist, real_hist


DIGIT_SCORE_LABELS = {
    "confidence": "mean classifier confidence",
    "entropy": "entropy of predicted digits (bits)",
    "digits_present": "digits present (of 10)",
    "classifier_score": "classifier score (max 10)",
}


# ---- a user's pictures: judged without labels ---------------------------------------------------
# No classifier knows a user's pictures, and no pretrained network (Inception's FID) can be fetched
# offline or shipped small, so the Fréchet distance is taken on the features of a fixed, seeded,
# never trained convolutional network (networks/models.py: define_feature_network). Random features
# still separate image statistics (edges, blobs, colour) well enough to rank sets and to fall as a GAN
# learns (Naeem et al. 2020 used random embeddings for their fidelity and diversity metrics); the
# numbers are comparable only between runs on the same side and channels, and only against the floor.

FRECHET_MAX = 500  # real pictures per half of the set (and generated pictures) in the Fréchet distance
NEAREST_FLOOR_MAX = 200  # real pictures whose nearest other picture gives the memorization floor
JUDGE_SEED = 2020  # the feature network's and the halves' seed: the same for every run on a set
PICTURE_LABELS = {
    "frechet_distance": "Fréchet distance (random-network features)",
    "nearest_train_distance": "distance to the nearest training picture",
}


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets (rows): |m_a − m_b|² +
    Tr(C_a + C_b − 2 (C_a C_b)^½), with Tr((C_a C_b)^½) from the symmetric C_a^½ C_b C_a^½ (exact for
    positive semi-definite C, as sample covariances are, even singular ones)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    values, vectors = np.linalg.eigh(ca)
    root_a = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
    cross = np.sqrt(np.clip(np.linalg.eigvalsh(root_a @ cb @ root_a), 0, None)).sum()
    return float(max(np.sum((a.mean(0) - b.mean(0)) ** 2) + np.trace(ca) + np.trace(cb) - 2 * cross, 0.0))


def nearest(queries: np.ndarray, pictures: np.ndarray, exclude: np.ndarray | None = None,
            chunk: int = 512) -> tuple[np.ndarray, np.ndarray]:
    """For each query picture (in [0, 1]), the index of its nearest picture in `pictures` (uint8 or
    [0, 1]) and their distance: the root mean square of the pixels' differences (0 for a copy, 1 for black
    against white). `exclude[i]`: an index query i may not match (itself: a leave-one-out distance).
    Chunked: a set of thousands of 64×64 pictures is never held as floats at once."""
    q = np.asarray(queries, np.float32).reshape(len(queries), -1)
    q_norms = (q ** 2).sum(1)
    best = np.full(len(q), np.inf, np.float32)
    index = np.zeros(len(q), np.int64)
    for start in range(0, len(pictures), chunk):
        p = np.asarray(pictures[start:start + chunk], np.float32).reshape(-1, q.shape[1])
        if pictures.dtype == np.uint8:
            p = p / 255.0
        squared = q_norms[:, None] + (p ** 2).sum(1)[None] - 2 * q @ p.T
        if exclude is not None:
            own = exclude - start
            rows = np.flatnonzero((own >= 0) & (own < len(p)))
            squared[rows, own[rows]] = np.inf
        found = squared.argmin(1)
        value = squared[np.arange(len(q)), found]
        better = value < best
        best[better], index[better] = value[better], found[better] + start
    return index, np.sqrt(np.clip(best, 0, None) / q.shape[1])


class PictureJudge:
    """The label-free scores of generated pictures against a set (data/images.py's ImageSet), each with
    its real-vs-real floor, what a generator that draws from the set itself would score:

    - `frechet_distance`: the set is split once (seeded) into two halves of up to FRECHET_MAX pictures; the
      floor is the distance between the halves' features, the score that of as many generated pictures
      to the second half (the same sizes, so the same small-sample bias);
    - `nearest_train_distance`: the mean distance of the grid's pictures to their nearest training picture;
      its floor, the mean distance of up to NEAREST_FLOOR_MAX real pictures to their nearest other one
      (leave-one-out: each held out of the set in turn, so no picture is taken from training). Far below
      the floor, the generator copies its training pictures; far above, it has not learned them yet.
    """

    def __init__(self, images):
        from gan_core.networks.models import define_feature_network

        self.images = images.images  # uint8 (n, side, side, channels)
        self.network = define_feature_network(self.images.shape[1:], seed=JUDGE_SEED)
        order = np.random.default_rng(JUDGE_SEED).permutation(len(self.images))
        self.n_fake = min(len(order) // 2, FRECHET_MAX)
        first, second = order[:self.n_fake], order[self.n_fake:2 * self.n_fake]
        self.reference = self.features(self.images[second] / 255.0)
        self.frechet_floor = frechet_distance(self.features(self.images[first] / 255.0), self.reference)
        held = order[:NEAREST_FLOOR_MAX]
        _, distances = nearest(self.images[held] / 255.0, self.images, exclude=held)
        self.nearest_floor = float(distances.mean())

    def features(self, pictures: np.ndarray) -> np.ndarray:
        """The feature network's numbers for pictures in [0, 1] (it sees them in [-1, 1], as the GAN does)."""
        x = np.asarray(pictures, np.float32) * 2 - 1
        return np.concatenate([np.asarray(self.network(x[i:i + 256], training=False)) for i in range(0, len(x), 256)])

    def scores(self, many: np.ndarray, grid: np.ndarray) -> dict:
        """Scores of generated pictures in [0, 1]: `many` (n_fake of them) for the Fréchet distance, the
        `grid` for the memorization check. Returns the history's scores and the grid's nearest pictures."""
        index, distances = nearest(grid, self.images)
        return {"scores": {"frechet_distance": frechet_distance(self.features(many), self.reference),
                           "frechet_distance_floor": self.frechet_floor,
                           "nearest_train_distance": float(distances.mean()),
                           "nearest_train_distance_floor": self.nearest_floor},
                "nearest": index, "nearest_distances": distances}


_judges: list = []  # (set, its judge): the latest few, so the runs on one set build it once


def picture_judge(images) -> PictureJudge:
    """The PictureJudge of an ImageSet, made once for the last few sets judged (it computes the real
    pictures' features and nearest neighbours: up to a second for thousands of 64×64 pictures)."""
    for known, judge in _judges:
        if known is images:
            return judge
    judge = PictureJudge(images)
    _judges.insert(0, (images, judge))
    del _judges[4:]
    return judge


# ---- MNIST: the same two checks, on the digit classifier's view ------------------------------------
# TF-GAN's MNIST evaluation takes its Fréchet distance on the classifier's logits; so does this one, on the
# shipped classifier's 10 logits (the last Dense layer before its softmax). Not the penultimate layer: its
# 1,600 numbers would need thousands of digits per check-in for a covariance that is not singular, and a
# 1,600² matrix square root at every check-in; 10 logits are estimated well from a few hundred digits, cost
# nothing, and are the field's choice, so the numbers mean what TF-GAN's do (on another classifier).

# digits per matrix product in the memorization check: right after TensorFlow's work at a check-in, its threads
# still spin, and 10 small products of 512 took 240 ms where one of 5,000 took 35 (a 60,000-digit set: 8 of 25 MB)
NEAREST_CHUNK = 8192
DIGIT_FRECHET = 500  # real digits in each of the two disjoint seeded sets, and generated digits per check-in


class DigitJudge:
    """MNIST's Fréchet distance (on the classifier's logits) and memorization check, each beside its
    real-vs-real floor, in the history's columns of a user's pictures (PictureJudge):

    - `frechet_distance`: two disjoint seeded sets of DIGIT_FRECHET training digits; the floor is the
      distance between their logits, the score that of as many generated digits to the second set;
    - `nearest_train_distance`: the grid's mean distance to its nearest training digit; its floor, the
      same for up to NEAREST_FLOOR_MAX real test digits (held out of training) when the data has them
      (Keras' download), else leave-one-out over training digits (the shipped subset has no test digits).
    """

    def __init__(self, digits, classifier):
        from gan_core.data.mnist import to_unit

        self.classifier = classifier
        unit = to_unit(np.asarray(digits.images, np.float32), digits.scale)[..., 0]
        self.images = np.round(unit * 255).astype(np.uint8)  # (n, 28, 28), what nearest() searches
        order = np.random.default_rng(JUDGE_SEED).permutation(len(self.images))
        self.n_fake = min(len(order) // 2, DIGIT_FRECHET)
        first, second = order[:self.n_fake], order[self.n_fake:2 * self.n_fake]
        self.reference = self.logits(unit[second])
        self.frechet_floor = frechet_distance(self.logits(unit[first]), self.reference)
        test = getattr(digits, "test_images", None)
        if test is not None and len(test):
            test_unit = to_unit(np.asarray(test, np.float32), digits.scale)[..., 0]
            held = np.random.default_rng(JUDGE_SEED).permutation(len(test_unit))[:NEAREST_FLOOR_MAX]
            _, distances = nearest(test_unit[held], self.images, chunk=NEAREST_CHUNK)
            self.floor_source = "test digits"
        else:
            held = order[:NEAREST_FLOOR_MAX]
            _, distances = nearest(self.images[held] / 255.0, self.images, exclude=held, chunk=NEAREST_CHUNK)
            self.floor_source = "training digits, each held out in turn"
        self.nearest_floor = float(distances.mean())

    def logits(self, digits: np.ndarray) -> np.ndarray:
        """The classifier's logits for digits (n, 28, 28) in [0, 1]: every layer but the last in inference
        mode (dropout off), then the last Dense layer's kernel and bias without its softmax."""
        if "_body" not in self.__dict__:  # compiled once per judge: an eager call took 3× as long
            import tensorflow as tf

            *body, last = self.classifier.layers
            self._kernel, self._bias = (np.asarray(w, np.float64) for w in last.get_weights())

            @tf.function(reduce_retracing=True)
            def features(x):
                for layer in body:
                    x = layer(x, training=False)
                return x

            self._body = features
        x = np.asarray(digits, np.float32)[..., None]
        return np.concatenate([np.asarray(self._body(x[start:start + 500]), np.float64) @ self._kernel + self._bias
                               for start in range(0, len(x), 500)])

    def scores(self, many: np.ndarray, grid: np.ndarray, asked: np.ndarray | None = None) -> dict:
        """As PictureJudge.scores: `many` (n_fake generated digits in [0, 1], (n, 28, 28)) for the Fréchet
        distance, the `grid` for the memorization check. `asked`: a conditional run's digits asked for
        of `many`; `label_agreement` is the share the classifier reads as the digit asked for."""
        index, distances = nearest(grid, self.images, chunk=NEAREST_CHUNK)
        logits = self.logits(many)
        scores = {"frechet_distance": frechet_distance(logits, self.reference),
                  "frechet_distance_floor": self.frechet_floor,
                  "nearest_train_distance": float(distances.mean()),
                  "nearest_train_distance_floor": self.nearest_floor}
        if asked is not None:
            scores["label_agreement"] = float(np.mean(logits.argmax(axis=1) == np.asarray(asked)))
        return {"scores": scores, "nearest": index, "nearest_distances": distances}


_digit_judges: list = []  # ((digits, classifier), its judge): the latest few


def digit_judge(digits, classifier) -> DigitJudge:
    """The DigitJudge of a set of digits and a classifier, made once for the last few pairs judged."""
    for (known, known_classifier), judge in _digit_judges:
        if known is digits and known_classifier is classifier:
            return judge
    judge = DigitJudge(digits, classifier)
    _digit_judges.insert(0, ((digits, classifier), judge))
    del _digit_judges[4:]
    return judge
