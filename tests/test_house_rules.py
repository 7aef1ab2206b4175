import ast
import os
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_gan_core_imports_no_streamlit():
    for path in (ROOT / "gan_core").rglob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+streamlit", path.read_text(), re.M), path
    modules = ", ".join(".".join(p.relative_to(ROOT).with_suffix("").parts) for p in (ROOT / "gan_core").rglob("*.py")
                        if p.stem not in ("__init__", "__main__"))
    code = f"import sys, {modules}; print('streamlit' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.stdout.strip() == "False", r.stderr


NOT_APP = {"tests", "bench", "scripts"}  # top-level folders that are not the app
NEVER = {"site-packages", "node_modules", "__pycache__"}


def app_sources(root: pathlib.Path = ROOT) -> list[pathlib.Path]:
    """Every .py file of the app: the repo but tests/, bench/, scripts/, hidden folders (.git, .venv)
    and virtualenvs (any folder with a pyvenv.cfg)."""
    def skip(folder, name):
        return (name.startswith(".") or name in NEVER or (folder == str(root) and name in NOT_APP)
                or os.path.exists(os.path.join(folder, name, "pyvenv.cfg")))

    out = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not skip(folder, d))
        out += [pathlib.Path(folder, f) for f in sorted(files) if f.endswith(".py")]
    return out


def test_no_eval_or_exec_where_user_input_goes():
    paths = app_sources()
    names = {p.relative_to(ROOT).as_posix() for p in paths}
    # never vacuous: the entry point, the pages and the engine are all scanned
    assert "streamlit_app.py" in names and "gan_core/data/targets.py" in names, names
    assert any(n.startswith("app_pages/") for n in names), names
    assert not any(n.split("/")[0] in NOT_APP for n in names), names
    for path in paths:
        assert not re.search(r"(?<![\w.])(eval|exec)\(", path.read_text()), path


def test_app_sources_cover_new_packages_but_not_tests_or_virtualenvs(tmp_path):
    for name in ("streamlit_app.py", "explorer/views/chart.py", "app_pages/home.py", "tools/scripts/x.py",
                 "tests/test_a.py", "bench/b.py", "scripts/c.py", ".git/d.py", ".venv/e.py", "env/pyvenv.cfg",
                 "env/lib/f.py", "lib/site-packages/g.py", "gan_core/__pycache__/h.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    found = sorted(p.relative_to(tmp_path).as_posix() for p in app_sources(tmp_path))
    assert found == ["app_pages/home.py", "explorer/views/chart.py", "streamlit_app.py", "tools/scripts/x.py"]


def test_a_loss_and_a_kinds_addresses_are_spelled_in_one_place():
    """One place per idea: a loss's name as a string in at most two app files (losses.py, and a
    default), a kind's address prefix only in explorer/experiments.py."""
    from explorer.experiments import ALL
    from gan_core.networks.losses import LOSSES

    sources = {path: path.read_text() for path in app_sources()}
    for name in LOSSES:
        spelled = [p.name for p, text in sources.items() if f'"{name}"' in text]
        assert len(spelled) <= 2, (name, spelled)
    for entry in ALL:
        if entry.prefix:  # its addresses and page states ("points_gan_training", "points_gan") are derived
            names = {entry.address(role) for role in entry.files} | {entry.page_state(role) for role in entry.files}
            spelled = [p.name for p, text in sources.items() if any(f'"{name}' in text for name in names)]
            assert spelled == ["experiments.py"], (entry.prefix, spelled)


def test_a_kinds_entry_says_what_its_pages_show():
    """No page or explorer module tells data kinds apart by their data's shape or settings class (a
    sample's columns, a point set or not, Config or ImageConfig): the kind's entry in
    explorer/experiments.py says what its pages show (its view, its chooser, its rows, examples, drawing)."""
    shape = re.compile(r"\.columns\s*==|\.dims\b|\.point_set\b(?!\()|\bis_points\b|\bis (not )?(Image)?Config\b"
                       r"|isinstance\([^)]*Config\b|\bis (not )?kinds\.[A-Z]")
    explorer_side = [p for p in app_sources() if p.relative_to(ROOT).parts[0] in ("explorer", "app_pages", "streamlit_app.py")]
    assert len(explorer_side) > 20, explorer_side  # never vacuous
    for path in explorer_side:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            assert not shape.search(line), (path.relative_to(ROOT).as_posix(), number, line)
    assert shape.search('if kind.columns == ("x",):') and shape.search("square = kind.point_set is not None")


def test_the_readme_is_short_shows_the_app_and_cites_the_tutorials_by_title_and_address():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.encode()) <= 12 * 1024
    assert "../shared" not in readme  # a folder of this machine, not the reader's
    assert "![" in readme and (ROOT / "docs" / "gan_page.png").stat().st_size <= 150 * 1024
    for title in ("How to Develop a 1D Generative Adversarial Network From Scratch in Keras",
                  "How to Develop a GAN for Generating MNIST Handwritten Digits"):
        assert f"[{title}](https://machinelearningmastery.com/" in readme


def test_session_keys_are_spelled_in_one_module():
    """explorer/session.py declares every session-state key: no other app file touches st.session_state,
    and no widget's key= is a string spelled where the widget is drawn (it is a declaration's name)."""
    declaring = ROOT / "explorer" / "session.py"
    assert "session_state" in declaring.read_text()
    for path in app_sources():
        if path == declaring:
            continue
        text = path.read_text()
        assert "session_state" not in text, path
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.keyword) and node.arg == "key":
                assert not isinstance(node.value, (ast.Constant, ast.JoinedStr, ast.BinOp)), (
                    path.relative_to(ROOT).as_posix(), node.value.lineno, ast.unparse(node.value))


# Which part of gan_core may import which (lower may not import higher): each part names the ones
# below it that it builds on. A module at gan_core's top is a part of its own (kinds); the package's
# __init__ hands on the names a notebook wants (settings, data; the runs of training, loaded when asked).
LAYERS = {
    "data": set(),
    "networks": set(),
    "settings": {"data", "networks"},
    "judging": {"data", "networks", "settings"},
    "training": {"data", "networks", "settings", "judging"},
    "kinds": {"data", "networks", "settings", "judging", "training"},
    "teaching": {"data", "networks", "settings", "judging", "training", "kinds"},
    "keeping": {"data", "networks", "settings", "judging", "training", "kinds", "teaching"},
    "cli": {"data", "networks", "settings", "judging", "training", "kinds", "teaching", "keeping"},
    "__init__": {"data", "settings", "training"},
    "__main__": {"cli"},
}


def gan_core_imports(root: pathlib.Path = ROOT) -> dict[str, set[tuple[str, str]]]:
    """For each module of gan_core: (the part it imports, the module's path) for every import of another
    part of gan_core, at its top or inside a function."""
    import ast

    out = {}
    for path in sorted((root / "gan_core").rglob("*.py")):
        parts = path.relative_to(root / "gan_core").with_suffix("").parts
        package = ("gan_core", *parts[:-1])  # what a relative import starts from
        names = []
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = ".".join(package[:len(package) - node.level + 1] if node.level else ())
                module = ".".join(p for p in (base, node.module or "") if p)
                # `from gan_core import kinds` names a part; `from gan_core.data import points` names its own
                names += [f"{module}.{a.name}" for a in node.names] if module == "gan_core" else [module]
        out[path.relative_to(root).as_posix()] = {
            name.split(".")[1] for name in names if name.startswith("gan_core.") and name.split(".")[1] != parts[0]}
    return out


def test_each_part_of_gan_core_imports_only_the_parts_below_it():
    found = gan_core_imports()
    assert len(found) > 40 and "gan_core/kinds.py" in found, sorted(found)  # never vacuous
    wrong = []
    for path, imported in found.items():
        part = pathlib.PurePosixPath(path).relative_to("gan_core").parts[0].removesuffix(".py")
        assert part in LAYERS, f"{path}: a new part of gan_core: place it in LAYERS"
        wrong += [f"{path} imports gan_core.{other}" for other in sorted(imported - LAYERS[part])]
    assert not wrong, "\n".join(wrong)
    for part, below in LAYERS.items():  # an order, so no circle: nothing a part builds on builds on it
        assert all(part not in LAYERS[other] for other in below), part
