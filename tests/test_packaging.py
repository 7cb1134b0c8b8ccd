"""The wheel installs one namespace, ``hoidap``: no generic top-level names (app, eval, ...) in site-packages."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("app", "ingest", "vectorstore", "eval")


def test_every_package_folder_is_installed_under_the_namespace():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    on_disk = {
        "hoidap." + ".".join(init.parent.relative_to(ROOT).parts)
        for folder in FOLDERS for init in (ROOT / folder).rglob("__init__.py")
    }
    assert on_disk == listed
    assert config["package-dir"] == {f"hoidap.{folder}": folder for folder in FOLDERS}


def test_code_imports_the_packages_by_their_installed_names():
    """A bare ``from app...`` would load a second copy of a module beside ``hoidap.app...``."""
    bare = re.compile(rf"^\s*(?:from|import) (?:{'|'.join(FOLDERS)})(?:[\s.])", re.M)
    offenders = [
        str(path.relative_to(ROOT))
        for folder in (*FOLDERS, "tests", "scripts") for path in (ROOT / folder).rglob("*.py")
        if bare.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.slow
def test_the_wheel_adds_only_hoidap_at_the_top_level(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, timeout=600,
    )
    (wheel,) = tmp_path.glob("hoidap-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {"hoidap", wheel.name.split("-py")[0] + ".dist-info"}
    assert "hoidap/app/cli.py" in names and "hoidap/eval/ablation_tried.md" in names
    assert not any(name.startswith("hoidap/__init__") for name in names)  # a namespace, open to plugins
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "hoidap = hoidap.app.cli:main" in entry_points
