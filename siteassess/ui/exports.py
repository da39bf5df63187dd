"""File ▸ Export: the site report, the comparison, every report, the ranking, from the app.

The work runs in the window's :class:`TaskRunner` (the PDFs take a second or more each)
behind a progress dialog with Cancel; the reports are written in the app's language.
When a PDF (or the folder of all reports) is done it opens in the system viewer through
:attr:`Exporter.viewer`, which tests replace. Nothing here passes ``None`` through Qt's
data conversion (TECH_NOTES, December 2026).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QProgressDialog

from siteassess.errors import CancelledError, SiteAssessError
from siteassess.ui.export_jobs import (
    RANKING_SUFFIXES,
    Exported,
    export_all_reports,
    export_comparison,
    export_ranking,
    export_site_report,
)
from siteassess.ui.i18n_ui import language, tr, trn

if TYPE_CHECKING:
    from siteassess.ui.main_window import MainWindow

log = logging.getLogger(__name__)

# The ranking's file types: filter text (English, translated when shown) → (suffix, dialect).
RANKING_FILTERS: tuple[tuple[str, str, str | None], ...] = (
    ("Excel workbook (*.xlsx)", ".xlsx", None),
    ("CSV for Excel (*.csv)", ".csv", "excel"),
    ("CSV, plain: column keys, comma, decimal point (*.csv)", ".csv", "plain"),
    (
        "CNIG Friches exchange file, the results in siteassess_ columns (*.csv)",
        ".csv",
        "cnig-friches",
    ),
    ("GeoPackage with the outlines (*.gpkg)", ".gpkg", None),
    ("JSON document (*.json)", ".json", None),
)


def open_in_system_viewer(path: Path) -> None:
    """Open a file or folder with the system's viewer (the PDF reader, the file manager)."""
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        log.warning("no viewer opened %s", path)


class Exporter(QObject):
    """The export actions of a main window, with their progress dialog."""

    progressed = Signal(float, str)  # emitted from the worker thread, shown in the dialog
    exported = Signal(object)  # an Exported, once the files are in place
    stopped = Signal(str)  # "cancelled" or "failed"

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.viewer: Callable[[Path], None] | None = open_in_system_viewer
        self.dialog: QProgressDialog | None = None
        self.cancel_event = threading.Event()
        self.last: Exported | None = None
        self.progressed.connect(self._progress)

    # ------------------------------------------------------------- the actions
    def site_report(self, target: Path | None = None) -> bool:
        """Export the current site's report (asks where, unless ``target`` is given)."""
        a, site = self.window.assessment, self.window.current_site()
        if a is None:
            return False
        if site is None:
            self.window.show_error(
                tr("Export site report"), tr("Select a site in the ranking table first.")
            )
            return False
        if target is None:
            from siteassess.reports.pdf.selection import file_name_for

            target = self._ask_file(tr("Export site report"), file_name_for(site, set()), "pdf")
            if target is None:
                return False
        lang = language()
        return self._start(
            tr("Writing the site report…"),
            target,
            lambda p, c: export_site_report(a, site, target, lang, p, c),
        )

    def comparison(self, target: Path | None = None, site_ids: list[str] | None = None) -> bool:
        """Export the comparison of the compared sites (see :meth:`compared_sites`)."""
        a = self.window.assessment
        if a is None:
            return False
        ids = site_ids if site_ids is not None else self.compared_sites()
        if target is None:
            target = self._ask_file(tr("Export comparison"), tr("comparison") + ".pdf", "pdf")
            if target is None:
                return False
        lang = language()
        return self._start(
            tr("Writing the comparison…"),
            target,
            lambda p, c: export_comparison(a, ids, target, lang, p, c),
        )

    def all_reports(self, folder: Path | None = None) -> bool:
        """Export one report per site into a folder (asks which, unless given)."""
        a = self.window.assessment
        if a is None:
            return False
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(
                self.window, tr("Export all reports into a folder"), str(self._folder())
            )
            if not chosen:
                return False
            folder = Path(chosen)
        lang = language()
        return self._start(
            tr("Writing the reports…"),
            folder,
            lambda p, c: export_all_reports(a, folder, lang, p, c),
            determinate=True,
        )

    def ranking(self, target: Path | None = None, csv_dialect: str | None = None) -> bool:
        """Export the ranking as .xlsx, .csv, .gpkg or .json (by the file type chosen)."""
        a = self.window.assessment
        if a is None:
            return False
        if target is None:
            asked = self._ask_ranking_file()
            if asked is None:
                return False
            target, csv_dialect = asked
        lang = language()
        return self._start(
            tr("Writing the ranking…"),
            target,
            lambda p, c: export_ranking(a, target, lang, csv_dialect, p, c),
        )

    def compared_sites(self) -> list[str] | None:
        """The sites of the open comparison, else the 2 to 5 selected rows, else None
        (the comparison report then takes its default: the top sites)."""
        dialog = self.window.compare_dialog
        if dialog is not None and dialog.isVisible():
            chosen = dialog.chosen()
            if 2 <= len(chosen) <= 5:
                return chosen
        selected = self.window.selected_sites()
        return selected if 2 <= len(selected) <= 5 else None

    def cancel(self) -> None:
        """Ask the running export to stop (it writes nothing after that)."""
        self.cancel_event.set()
        if self.dialog is not None:
            self.dialog.setLabelText(tr("Cancelling…"))

    def busy(self) -> bool:
        """True while an export runs."""
        return self.window.runner.busy("export")

    # ------------------------------------------------------------- the work
    def _start(self, label: str, target: Path, job: Any, *, determinate: bool = False) -> bool:
        if self.busy():
            return False
        self.cancel_event = threading.Event()
        event = self.cancel_event
        emit = self.progressed.emit
        self._show_dialog(label, determinate)

        def run(_progress: Any, cancelled: Callable[[], bool]) -> Exported:
            result: Exported = job(
                lambda f, m: emit(float(f), str(m)), lambda: event.is_set() or cancelled()
            )
            return result

        self.window.status_label.setText(label)
        self.window.runner.start(
            "export",
            run,
            self._done,
            lambda exc: self._failed(exc, target),
            show_progress=False,
        )
        return True

    def _show_dialog(self, label: str, determinate: bool) -> None:
        dialog = QProgressDialog(label, tr("Cancel"), 0, 100 if determinate else 0, self.window)
        dialog.setWindowTitle(tr("Export"))
        dialog.setMinimumWidth(460)  # long site names in the label do not make it jump
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(0)
        dialog.canceled.connect(self.cancel)  # the Cancel button, or closing the dialog
        dialog.rejected.connect(self.cancel)  # Escape
        dialog.show()
        self.dialog = dialog

    @Slot(float, str)
    def _progress(self, fraction: float, message: str) -> None:
        dialog = self.dialog
        if dialog is None or self.cancel_event.is_set():
            return
        if message:
            dialog.setLabelText(message)
        if dialog.maximum() > 0:
            # A modal dialog's setValue processes events: the export may end in there.
            dialog.setValue(round(fraction * 100))

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.rejected.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _done(self, result: object) -> None:
        assert isinstance(result, Exported)
        self._close_dialog()
        self.last = result

        def message() -> str:
            if result.kind == "all":
                return trn(
                    "{n} report written in {path}.",
                    "{n} reports written in {path}.",
                    len(result.files),
                ).format(n=len(result.files), path=result.path)
            return tr("Written: {path}").format(path=result.path)

        self.window.status_label.say(message)
        log.info("exported %s in %.1f s", result.path, result.seconds)
        if result.kind != "ranking" and self.viewer is not None:
            self.viewer(result.path)
        self.exported.emit(result)

    def _failed(self, exc: BaseException, target: Path) -> None:
        self._close_dialog()
        if isinstance(exc, CancelledError):
            self.window.status_label.say(lambda: tr("Export cancelled: nothing was written."))
            self.stopped.emit("cancelled")
            return
        if isinstance(exc, SiteAssessError | OSError):
            message = str(exc)
            if str(target) not in message:
                message = f"{target}: {message}"
        else:
            log.error("export to %s failed", target, exc_info=(type(exc), exc, exc.__traceback__))
            message = tr("{path} could not be written: {error}. The details are in the log file.")
            message = message.format(path=target, error=exc)
        self.window.status_label.say(lambda: tr("Export failed."))
        self.window.show_error(tr("Export failed"), message)
        self.stopped.emit("failed")

    # ------------------------------------------------------------- dialogs
    def _folder(self) -> Path:
        w = self.window
        if w.doc.project is not None and w.doc.path is not None:
            return w.doc.project.folder
        return Path.home()

    def _ask_file(self, title: str, name: str, suffix: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            self.window, title, str(self._folder() / name), f"PDF (*.{suffix})"
        )
        if not chosen:
            return None
        path = Path(chosen)
        return (
            path
            if path.suffix.lower() == f".{suffix}"
            else path.with_name(path.name + f".{suffix}")
        )

    def _ask_ranking_file(self) -> tuple[Path, str | None] | None:
        filters = [tr(text) for text, _, _ in RANKING_FILTERS]
        chosen, picked = QFileDialog.getSaveFileName(
            self.window,
            tr("Export the ranking"),
            str(self._folder() / (tr("ranking") + ".xlsx")),
            ";;".join(filters),
        )
        if not chosen:
            return None
        k = filters.index(picked) if picked in filters else 0
        _, suffix, dialect = RANKING_FILTERS[k]
        path = Path(chosen)
        if path.suffix.lower() not in RANKING_SUFFIXES:
            path = path.with_name(path.name + suffix)
        elif path.suffix.lower() != suffix:
            dialect = None  # the name's extension wins; a CSV then takes the default dialect
        return path, dialect


def install(window: MainWindow) -> Exporter:
    """Give ``window`` its exporter and connect the File ▸ Export actions to it."""
    exporter = Exporter(window)
    acts = window.actions_
    acts.export_site.triggered.connect(lambda: exporter.site_report())
    acts.export_compare.triggered.connect(lambda: exporter.comparison())
    acts.export_all.triggered.connect(lambda: exporter.all_reports())
    acts.export_ranking.triggered.connect(lambda: exporter.ranking())
    return exporter
