"""The app's process: its log file, its last-chance error handler and its locale.

Apart from :mod:`siteassess.ui.app` (which starts the app) so that the main window can
use them without importing the module that imports it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from siteassess import __version__

log = logging.getLogger(__name__)

# The open main window (set by siteassess.ui.app.run) and Qt's installed translator.
_state: dict[str, Any] = {"window": None, "translator": None}


def log_file() -> Path:
    """Where unexpected errors are written (the command line's log file, unless the state
    folder is overridden with ``SITEASSESS_STATE_DIR``)."""
    if os.environ.get("SITEASSESS_STATE_DIR"):
        from siteassess.ui.settings import state_dir

        return state_dir() / "log" / "siteassess.log"
    from siteassess.crashlog import log_path

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

    app = QApplication.instance()
    widgets = app.topLevelWidgets() if isinstance(app, QApplication) else []
    # Recognised by a class attribute, not by importing main_window (which imports this).
    return next((w for w in widgets if getattr(w, "is_main_window", False) and w.isVisible()), None)


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
    # siteassess text comes from siteassess's gettext catalogue (siteassess.i18n).
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
