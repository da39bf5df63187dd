"""Warnings of the libraries (GDAL, shapely, pandas…) never reach the user raw.

pyogrio's "More than one layer found", shapely's "overflow encountered" and the like are
printed by Python with the library's source path and line, which tells a planner nothing.
The readers turn the warnings that matter into refusals or data issues; whatever else a
library warns about is recorded here: logged (``siteassess.library``, shown with
``--verbose`` and kept in the app's log), counted, and never printed with a path. Our own
code's warnings keep Python's normal behaviour.
"""

from __future__ import annotations

import logging
import warnings
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

log = logging.getLogger("siteassess.library")

_PACKAGE = Path(__file__).resolve().parent
_seen: Counter[str] = Counter()
_state: dict[str, Any] = {}


def _is_ours(filename: str) -> bool:
    try:
        return Path(filename).resolve().is_relative_to(_PACKAGE)
    except (OSError, ValueError):
        return False


def _library(filename: str) -> str:
    """The top-level package a warning came from (``pyogrio``, ``shapely``), else ``python``."""
    parts = Path(filename).parts
    for marker in ("site-packages", "dist-packages", "_internal"):
        if marker in parts:
            i = parts.index(marker)
            if i + 1 < len(parts):
                return parts[i + 1].removesuffix(".py")
    return "python"


def _show(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    if _is_ours(filename):
        _state["original"](message, category, filename, lineno, file, line)
        return
    text = str(message).strip().splitlines()[0] if str(message).strip() else category.__name__
    fact = f"{_library(filename)} {category.__name__}: {text[:300]}"
    _seen[fact] += 1
    log.info("library warning, recorded and not shown: %s", fact)


def route_library_warnings() -> None:
    """Record the libraries' warnings instead of printing them (idempotent)."""
    if "original" in _state:
        return
    _state["original"] = warnings.showwarning
    warnings.showwarning = _show


def recorded() -> dict[str, int]:
    """The library warnings seen so far in this process, with how many times each."""
    return dict(_seen)


def restore() -> None:
    """Python's own display of warnings again (for tests)."""
    original = _state.pop("original", None)
    if original is not None:
        warnings.showwarning = original


__all__ = ["recorded", "restore", "route_library_warnings"]
