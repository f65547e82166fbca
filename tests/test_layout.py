"""The house a new maintainer walks into: folders as the README describes them, each saying what lives there."""
from __future__ import annotations

import ast
import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
TOP_LEVEL = ("flows", "tasks", "schemas", "tests", "data", "pyproject.toml")


def _packages() -> list[Path]:
    """Every folder that the wheel installs as a package (it has an __init__.py)."""
    found = []
    for top in ("flows", "tasks", "schemas", "data"):
        found += sorted(p.parent for p in (REPO_ROOT / top).rglob("__init__.py"))
    return found


def _layout_rows() -> list[str]:
    """Folder names in the first column of the README's Layout table."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)/` \|", section, re.M)


def test_top_level_layout_is_the_specified_one():
    missing = [name for name in TOP_LEVEL if not (REPO_ROOT / name).exists()]
    assert not missing, f"top-level entries missing: {missing}"


def test_every_package_says_in_one_line_what_lives_there():
    for package in _packages():
        docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8")))
        assert docstring, f"{package.relative_to(REPO_ROOT)}/__init__.py has no docstring"
        assert "\n" not in docstring.strip(), f"{package.relative_to(REPO_ROOT)}/__init__.py: docstring not one line"


def test_readme_layout_matches_the_folders():
    rows = _layout_rows()
    for row in rows:
        assert (REPO_ROOT / row).is_dir(), f"README's Layout names {row}/, which does not exist"
    for package in _packages():
        relative = package.relative_to(REPO_ROOT).as_posix()
        if relative.count("/") <= 1:  # the README lists top-level packages and the stages of tasks/
            assert relative in rows or relative == "tasks", f"{relative}/ is missing from the README's Layout"


def test_python_modules_live_only_in_packages():
    for top in ("flows", "tasks", "schemas"):
        for module in (REPO_ROOT / top).rglob("*.py"):
            assert (module.parent / "__init__.py").is_file(), f"{module.relative_to(REPO_ROOT)} is outside a package"


def test_configuration_doc_names_every_key_of_the_schema():
    from critics.schemas.config import config_json_schema

    schema = config_json_schema()
    doc = (REPO_ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    keys = set(schema["properties"])
    for definition in schema.get("$defs", {}).values():
        keys |= set(definition.get("properties", {}))
    missing = sorted(k for k in keys if not re.search(rf"\b{k}[`\]]", doc))
    assert not missing, f"docs/configuration.md does not describe: {missing}"
