"""Set up and run siteassess from a fresh checkout, on Linux and on Windows.

    python dev.py app    open the app on the bundled sample project
    python dev.py test   run the whole test suite: ruff, mypy, the no-Qt-outside-ui check
                         and pytest

Both create the virtual environment ``.venv`` when it is missing and (re)install the
project into it whenever ``pyproject.toml`` has changed. Extra arguments after ``test``
go to pytest (``python dev.py test -k project``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
SAMPLE = ROOT / "sample_sites" / "hauts-de-france" / "project.toml"
STAMP = VENV / ".siteassess-install"


def venv_python() -> Path:
    """The virtual environment's interpreter."""
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def ensure_venv() -> Path:
    """Create ``.venv`` if needed and install the project with its dev extra."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may run on an older Python
        sys.exit(f"siteassess needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    py = venv_python()
    if not py.exists():
        print(f"creating the virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != want:
        print("installing siteassess and its pinned dependencies", flush=True)
        run([py, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        run([py, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[dev]"])
        STAMP.write_text(want)
    return py


def run(cmd: list[str | Path], **kw: object) -> None:
    """Run a command; stop with its exit code if it fails."""
    print("$ " + " ".join(str(c) for c in cmd), flush=True)
    code = subprocess.call([str(c) for c in cmd], cwd=ROOT, **kw)  # type: ignore[call-overload]
    if code != 0:
        sys.exit(code)


def cmd_app(py: Path, args: list[str]) -> None:
    """Open the desktop app on the sample project (the ranking, until the app exists)."""
    has_ui = (ROOT / "siteassess" / "ui" / "__init__.py").exists()
    if has_ui:
        run([py, "-m", "siteassess", "gui", *(args or [str(SAMPLE)])])
    else:
        run([py, "-m", "siteassess", "score", *(args or [str(SAMPLE)])])


def cmd_test(py: Path, args: list[str]) -> None:
    """Lint, type-check and run every test."""
    code = [p for p in ("siteassess", "tests", "benchmarks", "dev.py") if (ROOT / p).exists()]
    run([py, "-m", "ruff", "check", *code])
    run([py, "-m", "ruff", "format", "--check", *code])
    run([py, "-m", "mypy"])
    run([py, "-m", "pytest", *args])


def main() -> None:
    """Entry point: ``python dev.py app|test [args]``."""
    if len(sys.argv) < 2 or sys.argv[1] not in ("app", "test"):
        sys.exit(__doc__)
    py = ensure_venv()
    {"app": cmd_app, "test": cmd_test}[sys.argv[1]](py, sys.argv[2:])


if __name__ == "__main__":
    main()
