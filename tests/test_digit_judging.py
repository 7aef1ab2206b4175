"""MNIST judged as the field judges it (issue 34): a Fréchet distance on the digit classifier's logits and the
memorization check, each beside its real-vs-real floor; they take no draw of the run's own, so the rest of the
history is what it was without them. And the CLI's time budget, --minutes."""
import numpy as np
import pytest

from gan_core.cli.main import main
from gan_core.data.mnist import Digits, load_classifier, load_subset, to_unit
from gan_core.judging import metrics


@pytest.fixture(scope="module")
def judged():
    digits, classifier = load_subset("tanh"), load_classifier()
    assert classifier is not None
    return digits, classifier, metrics.digit_judge(digits, classifier)


def test_frechet_distance_of_real_digits_is_near_its_floor_and_of_noise_far_above(judged):
    digits, _, judge = judged
    unit = to_unit(digits.images, "tanh")[..., 0]
    order = np.random.default_rng(metrics.JUDGE_SEED).permutation(len(unit))
    third = unit[order[2 * judge.n_fake:3 * judge.n_fake]]  # neither of the floor's two sets
    real = judge.scores(third, third[:100])["scores"]
    noise = np.random.default_rng(1).random((judge.n_fake, 28, 28)).astype(np.float32)
    fake = judge.scores(noise, noise[:100])["scores"]
    floor = real["frechet_distance_floor"]
    assert 0 < floor and real["frechet_distance"] < 3 * floor, real
    assert fake["frechet_distance"] > 30 * floor, fake
    assert fake["nearest_train_distance"] > 2 * fake["nearest_train_distance_floor"], fake


def test_memorization_check_flags_a_generator_that_copies_training_digits(judged):
    digits, classifier, _ = judged
    train, test = digits.images[:4000], digits.images[4000:]  # held-out digits: the floor
    split = Digits(train, digits.labels[:4000], "test", scale="tanh", test_images=test)
    judge = metrics.DigitJudge(split, classifier)
    assert judge.floor_source == "test digits"
    copies = to_unit(train[[5, 50, 500, 3000]], "tanh")[..., 0]
    scores = judge.scores(copies, copies)
    assert np.array_equal(scores["nearest"], [5, 50, 500, 3000])
    copied = scores["scores"]
    assert copied["nearest_train_distance"] < 0.01 and copied["nearest_train_distance_floor"] > 0.1, copied
    held_out = to_unit(test[:100], "tanh")[..., 0]  # real digits not trained on sit near the floor
    real = judge.scores(held_out, held_out)["scores"]
    assert 0.7 < real["nearest_train_distance"] / real["nearest_train_distance_floor"] < 1.3, real


def test_digit_check_ins_add_the_scores_and_leave_every_other_column_as_it_was(monkeypatch):
    from gan_core import kinds
    from gan_core.settings.config import ImageConfig
    from gan_core.training.images import ImageGanRun

    config = ImageConfig(n_epochs=4, n_eval=2, n_batch=16, d_filters=8, g_filters=8, latent_dim=8, n_eval_samples=10)
    digits, classifier = load_subset("tanh"), load_classifier()
    judged_run = kinds.DIGITS.gan(config, digits=digits, classifier=classifier)
    with_scores = list(judged_run.train())
    # the same run as before the new scores: the judge does nothing
    monkeypatch.setattr(ImageGanRun, "judge_digits",
                        lambda self, grid: {"scores": {}, "nearest": None, "nearest_distances": None})
    plain = kinds.DIGITS.gan(config, digits=digits, classifier=classifier)
    without = list(plain.train())
    new = {"frechet_distance", "frechet_distance_floor", "nearest_train_distance", "nearest_train_distance_floor"}
    for a, b in zip(with_scores, without):
        assert new <= set(a.scores)
        assert a.scores["frechet_distance"] > 5 * a.scores["frechet_distance_floor"]  # an untrained generator
        assert a.nearest.shape == a.nearest_distances.shape == (100,)
        assert np.array_equal(a.grid, b.grid)
        row_a, row_b = a.row(), b.row()
        assert set(row_a) - set(row_b) == new
        assert {k: v for k, v in row_a.items() if k not in new and k != "seconds"} == {
            k: v for k, v in row_b.items() if k != "seconds"}
    for w, v in zip(judged_run.generator.get_weights(), plain.generator.get_weights()):
        assert np.array_equal(w, v)
    # and the eval_rng of both runs stands at the same draw
    assert judged_run.eval_rng.bit_generator.state == plain.eval_rng.bit_generator.state


@pytest.mark.parametrize("minutes", ["0", "abc", "-2", "nan"])
def test_minutes_is_refused_in_one_line_naming_the_flag(minutes, tmp_path, capsys):
    assert main(["train", "--minutes", minutes, "--out", str(tmp_path / "x"), "--no-store"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--minutes" in err[0], err
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("command", [["train", "--no-store"], ["discriminator"], ["sweep", "--seeds", "2", "--no-store"]])
def test_minutes_stops_a_long_run_at_a_check_in_and_writes_its_files(command, tmp_path, capsys):
    out = tmp_path / "run"
    assert main([*command, "--n-epochs", "1000000", "--n-eval", "500", "--minutes", "0.02", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "# stopped for the time budget (--minutes 0.02)" in printed, printed
    import pandas as pd

    history = pd.read_csv(out / "history.csv")
    assert 1 <= len(history) and history["iteration"].max() < 1_000_000
    assert (history["iteration"] % 500 == 0).all()  # it stopped at a check-in
    assert (out / "summary.csv" if command[0] == "sweep" else out / "samples.csv").exists()


def test_an_mnist_bundle_keeps_the_memorization_pairs_and_continues_with_the_same_scores():
    from gan_core.keeping.bundle import from_bundle, to_bundle
    from gan_core.settings.config import ImageConfig
    from gan_core.training.images import ImageGanRun

    digits, classifier = load_subset("tanh"), load_classifier()
    config = ImageConfig(n_epochs=6, n_eval=2, n_batch=16, d_filters=4, g_filters=4, latent_dim=8, scale="tanh")
    run = ImageGanRun(config, digits, classifier=classifier)
    run.train_chunk()
    run.train_chunk()
    again = from_bundle(to_bundle(run), mnist=lambda scale: (digits, classifier))
    assert np.array_equal(again.history[-1].nearest, run.history[-1].nearest)
    assert np.array_equal(again.history[-1].nearest_distances, run.history[-1].nearest_distances)
    run.train_chunk()
    again.train_chunk()  # its own seed: the same digits judged, the same scores, however the run was cut
    assert again.history[-1].scores["frechet_distance"] == run.history[-1].scores["frechet_distance"]
