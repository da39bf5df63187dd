"""Starting the desktop app: ``siteassess gui [PROJECT]`` or ``python -m siteassess``.

The window shows first; the project is read and measured in the worker, and QtWebEngine,
folium and the map page come after the ranking is filled. An exception that escapes a
slot is logged, the project autosaved and a message shown: never a traceback dialog.

``SITEASSESS_EXIT_WHEN_READY=1`` prints the time from start to a filled ranking table and
quits (used to measure the start-up time).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import threading
import time
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from siteassess import __version__

log = logging.getLogger(__name__)

_state: dict[str, Any] = {"window": None, "translator": None}
# Loaded only when needed (the map, reports): never before the first window is usable.
HEAVY_MODULES = ("folium", "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "matplotlib")


def log_file() -> Path:
    """Where unexpected errors are written (the command line's log file, unless the state
    folder is overridden with ``SITEASSESS_STATE_DIR``)."""
    if os.environ.get("SITEASSESS_STATE_DIR"):
        from siteassess.ui.settings import state_dir

        return state_dir() / "log" / "siteassess.log"
    from siteassess.cli import log_path

    return log_path()


def _write_log(text: str) -> Path | None:
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {dt.datetime.now().isoformat()} siteassess {__version__} (app)\n")
            fh.write(text + "\n")
    except OSError:
        return None
    return path


def report_unexpected(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    """``sys.excepthook`` of the app: log, autosave, and show a plain message."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    from siteassess.errors import SiteAssessError
    from siteassess.ui import dialogs
    from siteassess.ui.i18n_ui import tr

    window = _state["window"] or _main_window()
    if isinstance(exc, SiteAssessError):
        if window is not None:
            window.show_error(tr("Error"), str(exc))
        return
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("unexpected error\n%s", text)
    path = _write_log(text)
    saved = None
    if window is not None:
        try:
            saved = window.autosave()
        except Exception:  # the hook must never raise
            log.exception("autosave after an error failed")
    message = tr("Something unexpected went wrong ({error}).").format(error=f"{exc_type.__name__}")
    if saved is not None:
        message += " " + tr("Your project was saved automatically to {path}.").format(path=saved)
    elif window is not None and window.doc.project is not None:
        message += " " + tr("Your project is unchanged.")
    if path is not None:
        message += " " + tr(
            "Details are in {path}; please send that file with your report."
        ).format(path=path)
    dialogs.show_error(window, tr("Unexpected error"), message)


def _main_window() -> Any:
    """The open main window (when the app was not started by :func:`run`)."""
    from PySide6.QtWidgets import QApplication

    from siteassess.ui.main_window import MainWindow

    app = QApplication.instance()
    widgets = app.topLevelWidgets() if isinstance(app, QApplication) else []
    return next((w for w in widgets if isinstance(w, MainWindow) and w.isVisible()), None)


def apply_locale(lang: str) -> None:
    """Number widgets and Qt's own texts in ``lang`` (decimal comma in French)."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
    from PySide6.QtWidgets import QAbstractSpinBox, QApplication

    locale = (
        QLocale(QLocale.Language.French, QLocale.Country.France)
        if lang == "fr"
        else QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    )
    QLocale.setDefault(locale)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    for widget in app.allWidgets():
        if isinstance(widget, QAbstractSpinBox):
            widget.setLocale(locale)
    # Qt's built-in texts (context menus, colour dialogs) from Qt's own catalogue; every
    # siteassess text comes from siteassess.ui.catalogue_fr.
    old = _state["translator"]
    if old is not None:
        app.removeTranslator(old)
        _state["translator"] = None
    if lang == "fr":
        translator = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load("qtbase_fr", folder):
            app.installTranslator(translator)
            _state["translator"] = translator


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
