import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_gan_core_imports_no_streamlit():
    for path in (ROOT / "gan_core").rglob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+streamlit", path.read_text(), re.M), path
    modules = ", ".join(f"gan_core.{p.stem}" for p in (ROOT / "gan_core").glob("*.py") if p.stem != "__init__")
    code = f"import sys, {modules}; print('streamlit' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.stdout.strip() == "False", r.stderr


def test_no_eval_or_exec_where_user_input_goes():
    paths = [*(ROOT / "gan_core").rglob("*.py"), *(ROOT / "pages").rglob("*.py"), ROOT / "streamlit_app.py"]
    for path in paths:
        if path.exists():
            assert not re.search(r"(?<![\w.])(eval|exec)\(", path.read_text()), path
