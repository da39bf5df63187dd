"""Set up and run siteassess from a fresh checkout, on Linux and on Windows.

    python dev.py app    open the app on the bundled sample project
    python dev.py test   run the whole test suite: ruff, mypy, the no-Qt-outside-ui check
                         and pytest
    python dev.py build  build the frozen bundle (and installer) with build_installer.py,
                         in ``.venv-build`` on Python 3.12 or newer
    python dev.py texts  extract the texts of the code (siteassess/locale/siteassess.pot)
                         and list those the French catalogue lacks

``app`` and ``test`` compile the message catalogues (``pybabel compile``: the ``.po`` files
of ``siteassess/locale`` into the ``.mo`` that gettext reads; the ``.mo`` are not committed).

``app`` and ``test`` create the virtual environment ``.venv`` when it is missing and
(re)install the project into it whenever ``pyproject.toml`` has changed. ``build`` does the
same with ``.venv-build``, made from a Python 3.12 or newer found on PATH or under pyenv
(or the one named by ``SITEASSESS_BUILD_PYTHON``): PySide6 6.12 on Python 3.11 drops
references to ``None`` and the frozen app would crash. Extra arguments go to pytest
(``python dev.py test -k project``) or to build_installer.py (``python dev.py build
--bundle-only``).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCALE = ROOT / "siteassess" / "locale"
POT = LOCALE / "siteassess.pot"
SAMPLE = ROOT / "sample_sites" / "hauts-de-france" / "project.toml"
# The frozen app is built in its own environment on Python 3.12 or newer: PySide6 6.12 on
# 3.11 drops references to None (fatal "none_dealloc"); 3.12 made None immortal (PEP 683).
BUILD_VENV = ROOT / ".venv-build"
BUILD_PYTHON_MIN = (3, 12)
_PROBE = "import sys; print(sys.version_info >= {min!r}); print(sys.executable)"


def venv_python(venv_dir: Path = VENV) -> Path:
    """The interpreter of a virtual environment (``.venv`` unless told)."""
    if os.name == "nt":
        return venv_dir / "Scripts" / "python.exe"
    return venv_dir / "bin" / "python"


def ensure_venv(venv_dir: Path = VENV, base: Path | None = None) -> Path:
    """Create ``venv_dir`` if needed and install the project with its dev extra.

    ``base`` is the interpreter the environment is made from (default: this one).
    """
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may run on an older Python
        sys.exit(f"siteassess needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    py = venv_python(venv_dir)
    stamp = venv_dir / ".siteassess-install"
    if py.exists() and base is not None and _probe([str(py)], BUILD_PYTHON_MIN) is None:
        print(f"{venv_dir} is on an older Python: making it again from {base}", flush=True)
        shutil.rmtree(venv_dir)
    if not py.exists():
        print(f"creating the virtual environment in {venv_dir}", flush=True)
        if base is None:
            venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
        else:
            run([base, "-m", "venv", "--clear", venv_dir])
        (venv_dir / ".gitignore").write_text("*\n")  # as Python 3.13's venv does
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text().strip() != want:
        print("installing siteassess and its pinned dependencies", flush=True)
        run([py, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        run([py, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[dev]"])
        stamp.write_text(want)
    return py


def _probe(cmd: list[str], minimum: tuple[int, int]) -> Path | None:
    """The interpreter ``cmd`` runs if it works and is at least ``minimum``, else None."""
    try:
        out = subprocess.run(
            [*cmd, "-c", _PROBE.format(min=minimum)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = out.stdout.split()
    if out.returncode != 0 or len(lines) < 2 or lines[0] != "True":
        return None  # e.g. a pyenv shim of a version that is not selected
    return Path(out.stdout.splitlines()[1])


def _version_key(exe: Path) -> tuple[int, ...]:
    """Sort key of a pyenv interpreter by its version folder (3.12.10 after 3.12.9)."""
    return tuple(int(part) for part in re.findall(r"\d+", exe.parents[1].name))


def find_build_python() -> Path | None:
    """A Python 3.12 or newer to build the frozen app with, or None if there is none.

    Tried in order: ``SITEASSESS_BUILD_PYTHON``; this interpreter; ``python3.12`` …
    ``python3.15`` on PATH; the Windows ``py`` launcher; pyenv's versions (``pyenv root``,
    else ``PYENV_ROOT`` or ``~/.pyenv``). 3.12 comes first, as on the Windows runner.
    """
    minors = range(BUILD_PYTHON_MIN[1], 16)
    cands: list[list[str]] = []
    if os.environ.get("SITEASSESS_BUILD_PYTHON"):
        cands.append([os.environ["SITEASSESS_BUILD_PYTHON"]])
    cands.append([sys.executable])
    cands += [[exe] for m in minors if (exe := shutil.which(f"python3.{m}"))]
    if os.name == "nt" and (launcher := shutil.which("py")):
        cands += [[launcher, f"-3.{m}"] for m in minors]
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    if pyenv := shutil.which("pyenv"):
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True, check=False)
        pyenv_root = root.stdout.strip() or pyenv_root
    for m in minors:
        exes = Path(pyenv_root, "versions").glob(f"3.{m}*/bin/python3.{m}")
        cands += [[str(exe)] for exe in sorted(exes, key=_version_key, reverse=True)]
    for cmd in cands:
        if (found := _probe(cmd, BUILD_PYTHON_MIN)) is not None:
            return found
    return None


def run(cmd: list[str | Path], **kw: Any) -> None:
    """Run a command; stop with its exit code if it fails."""
    print("$ " + " ".join(str(c) for c in cmd), flush=True)
    code = subprocess.call([str(c) for c in cmd], cwd=ROOT, **kw)
    if code != 0:
        sys.exit(code)


def compile_catalogues(py: Path) -> None:
    """Compile every ``siteassess/locale/*/LC_MESSAGES/siteassess.po`` into its ``.mo``."""
    run([py, "-m", "babel.messages.frontend", "compile", "-d", LOCALE, "-D", "siteassess"])


def cmd_texts(py: Path, args: list[str]) -> None:
    """Extract the texts into the .pot and name the French catalogue's missing ones."""
    extract = [py, "-m", "babel.messages.frontend", "extract", "-F", "pyproject.toml"]
    run([*extract, "-o", POT, "--no-wrap", "--sort-by-file", "siteassess"])
    run([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_i18n.py", *args])


def cmd_app(py: Path, args: list[str]) -> None:
    """Open the desktop app on the sample project (the ranking, until the app exists)."""
    compile_catalogues(py)
    has_ui = (ROOT / "siteassess" / "ui" / "__init__.py").exists()
    if has_ui:
        run([py, "-m", "siteassess", "gui", *(args or [str(SAMPLE)])])
    else:
        run([py, "-m", "siteassess", "score", *(args or [str(SAMPLE)])])


def cmd_test(py: Path, args: list[str]) -> None:
    """Lint, type-check and run every test."""
    code = [
        p
        for p in ("siteassess", "tests", "benchmarks", "dev.py", "build_installer.py")
        if (ROOT / p).exists()
    ]
    compile_catalogues(py)
    run([py, "-m", "ruff", "check", *code])
    run([py, "-m", "ruff", "format", "--check", *code])
    run([py, "-m", "mypy"])
    if args:
        run([py, "-m", "pytest", *args])
        return
    # The app's tests run one file per process: QtWebEngine's state is per process, and
    # after a thousand tests in one process Chromium once stopped on a failed check
    # (SIGTRAP) in a test that passes alone; a file's own process starts it clean.
    ui = sorted((ROOT / "tests" / "ui").glob("test_*.py"))
    run([py, "-m", "pytest", "--ignore=tests/ui"])
    for path in ui:
        run([py, "-m", "pytest", "-p", "no:cacheprovider", str(path.relative_to(ROOT))])


def cmd_build(args: list[str]) -> None:
    """Build the frozen app with build_installer.py in ``.venv-build`` (Python 3.12+)."""
    base = find_build_python()
    if base is None:
        want = ".".join(map(str, BUILD_PYTHON_MIN))
        sys.exit(
            f"building the frozen app needs Python {want} or newer, and none was found "
            f"(tried python3.12+ on PATH, the py launcher and pyenv): install one, or name "
            f"it with SITEASSESS_BUILD_PYTHON"
        )
    py = ensure_venv(BUILD_VENV, base=base)
    compile_catalogues(py)
    run([py, ROOT / "build_installer.py", *args])


def main() -> None:
    """Entry point: ``python dev.py app|test|build|texts [args]``."""
    if len(sys.argv) < 2 or sys.argv[1] not in ("app", "test", "build", "texts"):
        sys.exit(__doc__)
    if sys.argv[1] == "build":
        cmd_build(sys.argv[2:])
        return
    py = ensure_venv()
    {"app": cmd_app, "test": cmd_test, "texts": cmd_texts}[sys.argv[1]](py, sys.argv[2:])


if __name__ == "__main__":
    main()
