"""Infrastructure guarantees: the import-linter contract, the console script, production settings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        found = shutil.which(name)
        assert found, f"{name} is not installed (run make setup)"
        return found
    return str(path)


def _env(**changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def test_import_contract_holds():
    result = subprocess.run(
        [_tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True, env=_env(), timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Pure computation never imports Django KEPT" in result.stdout


def _copy_python_tree(src: Path, dst: Path) -> None:
    """Copy the package's Python files (the import graph is all import-linter needs)."""

    def ignore(directory: str, names: list[str]) -> list[str]:
        return [n for n in names if n == "__pycache__" or (not n.endswith(".py") and not Path(directory, n).is_dir())]

    shutil.copytree(src, dst, ignore=ignore)


def test_import_contract_catches_django_in_pure_package(tmp_path):
    """A module under qualityplan/standards that imports Django breaks the contract (checked on a copy of the tree
    with the real pyproject.toml, so the repository is never touched)."""
    _copy_python_tree(ROOT / "qualityplan", tmp_path / "qualityplan")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    probe = tmp_path / "qualityplan" / "standards" / "_infra_probe.py"
    probe.write_text("import django.db.models  # noqa: F401 - must break the contract\n")

    result = subprocess.run(
        [_tool("lint-imports"), "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=_env(PYTHONPATH=str(tmp_path)),
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "BROKEN" in output
    assert "qualityplan.standards._infra_probe" in output
    assert "django" in output


def test_console_script_help():
    script = _tool("qualityplan")
    result = subprocess.run([script, "--help"], cwd=ROOT, capture_output=True, text=True, env=_env(), timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "bootstrap" in result.stdout


def test_production_settings_fail_fast_without_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=_env(DJANGO_SETTINGS_MODULE="qualityplan.config.django.production", SECRET_KEY=None),
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_start_with_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=_env(DJANGO_SETTINGS_MODULE="qualityplan.config.django.production", SECRET_KEY="x" * 50, DATABASE_URL=None),
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


MAX_MODULE_LINES = 600  # issue 14: small modules with one job (migrations and tests aside)


def test_no_source_module_is_over_600_lines():
    too_long = {}
    for path in sorted((ROOT / "qualityplan").rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or "tests" in parts:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            too_long[str(path.relative_to(ROOT))] = lines
    assert too_long == {}, f"split these modules (limit {MAX_MODULE_LINES} lines): {too_long}"
