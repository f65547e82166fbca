"""One installable distribution: a wheel installed into a fresh virtualenv runs the demo from any folder."""
from __future__ import annotations

import ast
import importlib.metadata as metadata
import os
import re
import shutil
import site
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIRS = ("flows", "tasks", "schemas", "data")
# Imported only by optional extras (dask runner, offline training) or lazily behind them.
OPTIONAL = {"prefect_dask", "distributed", "dask", "sklearn", "numpy"}


def _declared() -> set[str]:
    """Distribution names declared as runtime dependencies in pyproject.toml, normalised."""
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    return {re.split(r"[=<>\[; ]", dep, maxsplit=1)[0].lower().replace("_", "-") for dep in project["dependencies"]}


def _imported_top_level(folder: Path) -> set[str]:
    """Top-level module names imported anywhere under folder (absolute imports only)."""
    names = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def test_every_third_party_import_is_a_declared_dependency():
    distributions = metadata.packages_distributions()
    declared = _declared()
    missing = {}
    for folder in ("flows", "tasks", "schemas"):
        for name in _imported_top_level(REPO_ROOT / folder) - set(sys.stdlib_module_names) - OPTIONAL - {"critics"}:
            owners = {d.lower().replace("_", "-") for d in distributions.get(name, [name])}
            if not owners & declared:
                missing[name] = sorted(owners)
    assert not missing, f"imported but not declared in pyproject.toml dependencies: {missing}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    shutil.rmtree(REPO_ROOT / "build", ignore_errors=True)  # setuptools' scratch folder: stale modules would ship
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(REPO_ROOT)],
                   check=True, capture_output=True, text=True)
    return next(out.glob("critics-*.whl"))


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory, wheel) -> Path:
    """A new virtualenv with the wheel installed; its dependencies come from this environment (no downloads)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True, text=True)
    # Only the dependencies are borrowed: a path added by a .pth file is not scanned for .pth files itself, so this
    # environment's editable `critics` finder stays out of the new one.
    (_site_packages(python) / "_critics_test_deps.pth").write_text(site.getsitepackages()[0] + "\n")
    return venv


def _site_packages(python: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return Path(subprocess.run([str(python), "-c", code], check=True, capture_output=True, text=True).stdout.strip())


def test_wheel_ships_one_import_name_with_its_package_data(wheel):
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"critics"}, f"the wheel installs more than the `critics` import name: {sorted(top)}"
    for required in ("critics/data/models/verdict_text.json.gz", "critics/data/demo_site/truth.json",
                     "critics/data/demo_site/site/index.html", "critics/flows/cli.py"):
        assert required in names, f"{required} missing from the wheel"
    assert any(n.startswith("critics/schemas/") and n.endswith(".sql") for n in names), "no SQL models in the wheel"
    assert not [n for n in names if n.endswith((".duckdb", ".warc.gz", ".pyc"))], "generated files inside the wheel"


def test_installed_wheel_runs_the_demo_from_another_folder(fresh_venv, tmp_path):
    python = fresh_venv / "bin" / "python"
    site_packages = _site_packages(python)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "CRITICS_"))}
    located = subprocess.run([str(python), "-c", "import critics.flows.cli as m; print(m.__file__)"], cwd=elsewhere,
                             env=env, check=True, capture_output=True, text=True).stdout.strip()
    assert Path(located).is_relative_to(site_packages), f"critics imported from {located}, not the fresh install"

    shipped = sorted(p for p in (site_packages / "critics").rglob("*") if "__pycache__" not in p.parts)
    done = subprocess.run([str(fresh_venv / "bin" / "critics"), "run", "--db", str(tmp_path / "out" / "critics.duckdb")],
                          cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "tomatometer" in done.stdout.lower()
    assert (tmp_path / "out" / "critics.duckdb").is_file()
    assert (elsewhere / "data" / "prefect").is_dir(), "Prefect state should go to ./data of the working folder"
    after = sorted(p for p in (site_packages / "critics").rglob("*") if "__pycache__" not in p.parts)
    assert after == shipped, f"files written inside the installed package: {sorted(set(after) - set(shipped))[:5]}"
    assert not {d for d in PACKAGE_DIRS if (site_packages / d).exists()}, "generic top-level folders in site-packages"
