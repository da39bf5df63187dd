"""Architecture contracts: the core never imports Qt (only siteassess/ui may)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "siteassess"
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def _qt_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found += [f"{path.name}:{node.lineno} {n}" for n in names if n.split(".")[0] in QT_MODULES]
    return found


def test_no_qt_import_outside_ui() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts[:1]:
            continue
        offenders += _qt_imports(path)
    assert offenders == [], f"Qt imported outside siteassess/ui: {offenders}"


def test_the_ast_check_catches_a_qt_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom PySide6.QtCore import QObject\n")
    assert _qt_imports(bad) == ["bad.py:2 PySide6.QtCore"]


def test_core_and_cli_run_without_loading_qt() -> None:
    code = (
        "import sys, siteassess.cli, siteassess.assessment, siteassess.reports.tables;"
        "qt = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')];"
        "print(qt); sys.exit(1 if qt else 0)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stdout + res.stderr


# import-linter's command (the dev extra), run by this interpreter on any platform.
LINT_IMPORTS = (
    sys.executable,
    "-c",
    "import sys; from importlinter.cli import lint_imports_command; "
    "sys.exit(lint_imports_command())",
)


def _contracts() -> list[dict[str, object]]:
    import tomllib

    doc = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    return list(doc["tool"]["importlinter"]["contracts"])


def test_the_layering_contracts_hold() -> None:
    """import-linter checks the contracts of pyproject.toml (STYLE.md, "Checked layering")."""
    res = subprocess.run(
        [*LINT_IMPORTS, "--config", str(PACKAGE.parent / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
        cwd=PACKAGE.parent,
    )
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in res.stdout


def test_the_qt_contract_lists_every_module_outside_ui() -> None:
    """A new top-level module is covered by the Qt contract, or this test names it."""
    qt = next(c for c in _contracts() if "Qt" in str(c["name"]))
    listed = set(qt["source_modules"])  # type: ignore[call-overload]
    exempt = {"siteassess.ui", "siteassess.__main__", "siteassess.selftest"}
    found = {
        f"siteassess.{p.stem if p.is_file() else p.name}"
        for p in PACKAGE.iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").exists()
    }
    assert found - exempt - listed == set(), "add them to the Qt contract in pyproject.toml"
    assert listed <= found


def test_the_contracts_can_fail(tmp_path: Path) -> None:
    """The cli-never-imports-ui contract breaks on a package that does it."""
    pkg = tmp_path / "toy"
    (pkg / "ui").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "ui" / "__init__.py").write_text("")
    (pkg / "cli.py").write_text("import toy.ui\n")
    (tmp_path / "setup.cfg").write_text(
        "[importlinter]\nroot_package = toy\n\n[importlinter:contract:1]\nname = cli never "
        "imports ui\ntype = forbidden\nsource_modules = toy.cli\nforbidden_modules = toy.ui\n"
    )
    res = subprocess.run(
        [*LINT_IMPORTS, "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert res.returncode == 1 and "BROKEN" in res.stdout, res.stdout + res.stderr
