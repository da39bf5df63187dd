"""A hard crash (a fault in a C extension, an abort) leaves a trace in the log file.

Python's :mod:`faulthandler` writes the stack of every thread to the log file when the
process receives a fatal signal, such as the abort of ``Fatal Python error:
none_dealloc``. The file stays open for the life of the process: faulthandler writes to
its descriptor from the signal handler, where nothing can be opened.
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import os
from pathlib import Path
from typing import IO

from siteassess import __version__

_open: dict[str, IO[str]] = {}


def log_path() -> Path:
    """The log file of unexpected errors and crashes (per-user log folder).

    The app writes to the state folder's log instead when ``SITEASSESS_STATE_DIR`` is set
    (tests); see ``siteassess.ui.app.log_file``.
    """
    from platformdirs import user_log_dir

    return Path(user_log_dir("siteassess", appauthor=False)) / "siteassess.log"


def enable(path: Path, what: str) -> bool:
    """Write fatal-error tracebacks of this process to ``path``; False if it cannot be opened."""
    if "fh" in _open:
        return True
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = path.open("a", encoding="utf-8")
        fh.write(
            f"--- {dt.datetime.now().isoformat(timespec='seconds')} siteassess {__version__} "
            f"({what}, pid {os.getpid()}): a fatal error below this line is a crash\n"
        )
        fh.flush()
    except OSError:
        return False
    faulthandler.enable(file=fh, all_threads=True)
    _open["fh"] = fh
    return True
