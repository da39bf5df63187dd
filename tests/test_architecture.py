"""Architecture contracts: the core never imports Qt (only siteassess/ui may)."""

from __future__ import annotations

import ast
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
