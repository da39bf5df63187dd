"""Starting the desktop app: ``siteassess gui [PROJECT]`` or ``python -m siteassess``.

The window shows first; the project is read and measured in the worker, and QtWebEngine,
folium and the map page come after the ranking is filled. An exception that escapes a
slot is logged, the project autosaved and a message shown: never a traceback dialog.

``SITEASSESS_EXIT_WHEN_READY=1`` prints the time from start to a filled ranking table and
quits (used to measure the start-up time).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

from siteassess import __version__
from siteassess.ui.process import _state, apply_locale, log_file, report_unexpected

log = logging.getLogger(__name__)

__all__ = ["apply_locale", "log_file", "report_unexpected", "run"]
# Loaded only when needed (the map, reports): never before the first window is usable.
HEAVY_MODULES = ("folium", "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "matplotlib")


def _preload_core() -> None:
    try:
        import siteassess.assessment  # noqa: F401
    except Exception:  # the worker imports it again and reports the error
        log.debug("preloading the core failed", exc_info=True)


def run(project: str | Path | None = None, *, t0: float | None = None) -> int:
    """Open the app (on ``project`` if given); return the exit code."""
    start = time.perf_counter() if t0 is None else t0
    # The core (geopandas, pandas, scipy) takes about a second to import: start it now, so it
    # overlaps with Qt's start-up instead of following it in the first measurement.
    threading.Thread(target=_preload_core, name="siteassess-preload", daemon=True).start()
    from PySide6.QtCore import QCoreApplication, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from siteassess.ui.i18n_ui import set_language
    from siteassess.ui.main_window import MainWindow
    from siteassess.ui.settings import Settings

    # QtWebEngine is imported later, when the map is first shown: it needs this first.
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("siteassess")
    app.setApplicationVersion(__version__)
    settings = Settings()
    from siteassess.i18n import default_language

    chosen = settings.language()
    lang = chosen if chosen and not os.environ.get("SITEASSESS_LANG") else default_language()
    set_language(lang)
    apply_locale(lang)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    sys.excepthook = report_unexpected
    from siteassess import crashlog
    from siteassess.libwarnings import route_library_warnings

    route_library_warnings()

    crashlog.enable(log_file(), "app")

    exit_when_ready = os.environ.get("SITEASSESS_EXIT_WHEN_READY") == "1"
    window = MainWindow(settings, map_enabled=not exit_when_ready)
    _state["window"] = window
    window.show()
    if exit_when_ready:
        _exit_when_ready(window, app, start)
    if project is not None:
        path = Path(project)
        QTimer.singleShot(0, lambda: window.open_project(path, ask=False))
    elif not exit_when_ready:
        QTimer.singleShot(0, window.check_recovery)
    code = int(app.exec())
    _state["window"] = None
    return code


def _exit_when_ready(window: Any, app: Any, start: float) -> None:
    from PySide6.QtCore import QTimer

    def ready() -> None:
        elapsed = time.perf_counter() - start
        rows = window.model.rowCount()
        heavy = [m for m in HEAVY_MODULES if m in sys.modules]
        print(
            f"siteassess ready: {rows} sites in the table after {elapsed:.2f} s; "
            f"heavy modules loaded: {', '.join(heavy) or 'none'}",
            flush=True,
        )
        window.shutdown()
        app.exit(0)

    def too_slow() -> None:
        print("siteassess: not ready after 60 s", flush=True)
        window.shutdown()
        app.exit(3)

    window.ready.connect(ready)
    QTimer.singleShot(60_000, too_slow)
