import os
import re
import subprocess
import sys

import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "gan_core", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_train_prints_check_ins_and_writes_files(tmp_path):
    out = tmp_path / "run"
    r = _cli("train", "--n-epochs", "60", "--n-eval", "30", "--n-batch", "32", "--seed", "3", "--out", str(out))
    assert r.returncode == 0, r.stderr
    lines = [l for l in r.stdout.splitlines() if not l.startswith("#")]
    assert [l.split()[0] for l in lines] == ["29", "59"]  # the tutorial's loop index
    assert all(re.match(r"^\d+ [01](\.\d+)? [01](\.\d+)?  d_loss=", l) for l in lines), lines
    history = pd.read_csv(out / "history.csv")
    assert list(history["iteration"]) == [30, 60]
    assert {"acc_real", "acc_fake", "d_loss", "g_loss", "curve_error", "energy_floor"} <= set(history.columns)
    samples = pd.read_csv(out / "samples.csv")
    assert samples["kind"].value_counts().to_dict() == {"real": 100, "fake": 100}
    import keras

    generator = keras.models.load_model(out / "generator.keras", safe_mode=True)
    assert generator.input_shape == (None, 5) and generator.output_shape == (None, 2)


def test_discriminator_with_expression(tmp_path):
    r = _cli("discriminator", "--expr", "abs(x)", "--n-epochs", "40", "--n-eval", "20", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert len(pd.read_csv(tmp_path / "history.csv")) == 2
    assert not (tmp_path / "generator.keras").exists()


def test_bad_flags_exit_2_with_a_message(tmp_path):
    for args, says in [
        (["--n-batch", "7"], "n_batch must be even"),
        (["--n-eval", "20000"], "must not exceed n_epochs"),
        (["--expr", "__import__('os').system('true')"], "not an allowed function"),
        (["--d-hidden", "a,b"], "Layer widths are whole numbers"),
        (["--target", "cosine"], "invalid choice"),
    ]:
        r = _cli("train", *args, "--out", str(tmp_path / "x"))
        assert r.returncode == 2 and says in r.stderr, (args, r.stderr)
        assert not (tmp_path / "x").exists()
