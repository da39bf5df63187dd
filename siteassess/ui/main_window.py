"""The main window: layers and weights on the left, the map above, the ranking and the detail.

It owns the :class:`Document` (the project and its unsaved changes) and a
:class:`TaskRunner`. Measuring runs in the worker; a change of weights re-scores at once
on the GUI thread (about a millisecond) and the sensitivity follows in the worker.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from siteassess.errors import CancelledError, SiteAssessError
from siteassess.project import Project
from siteassess.ui import dialogs, exports, menus, none_guard
from siteassess.ui.detail import DETAIL_CSS, separation_text, site_detail_html
from siteassess.ui.document import Document, Recovery
from siteassess.ui.i18n_ui import language, set_language, tr, trn
from siteassess.ui.jobs import (
    LayerStatus,
    Outcome,
    ScreenOutcome,
    ScreenRequest,
    assess_project,
    screen_project,
)
from siteassess.ui.labels import fmt, role_label
from siteassess.ui.layers_panel import AddLayerDialog, CRSDialog, LayersPanel, file_filter
from siteassess.ui.map_view import MapPanel, TilesMenu
from siteassess.ui.models import RankingModel
from siteassess.ui.settings import Settings, icon_path, recovery_dir, sample_project
from siteassess.ui.status_line import StatusLine
from siteassess.ui.weights_panel import ParamsPanel, WeightsPanel
from siteassess.ui.welcome import WelcomePage
from siteassess.ui.worker import TaskRunner

if TYPE_CHECKING:
    from siteassess.assessment import Assessment
    from siteassess.ui.ahp_dialog import AHPDialog
    from siteassess.ui.compare import CompareDialog

log = logging.getLogger(__name__)

AUTOSAVE_MS = 60_000
REMEASURE_DELAY_MS = 600
SENSITIVITY_DELAY_MS = 400


def measure_key(project: Project) -> tuple[Any, ...]:
    """What decides the measurements (not the weights): two projects with the same key
    share their measurements."""
    criteria = tuple((c.name, c.measure, tuple(sorted(c.params.items()))) for c in project.criteria)
    return (
        project.path,
        project.layers,
        project.crs,
        project.demand_mw,
        project.read_margin_m,
        project.repair_geometry,
        criteria,
    )


def progress_text(message: str) -> str:
    """The core's progress messages in the current language."""
    for prefix, text in (("reading ", "reading {x}"), ("measuring ", "measuring {x}")):
        if message.startswith(prefix) and message != "reading the sites":
            return tr(text).format(x=message[len(prefix) :])
    return tr(message)


def _timer(parent: QWidget, msecs: int, *, single: bool = True) -> QTimer:
    timer = QTimer(parent)
    timer.setInterval(msecs)
    timer.setSingleShot(single)
    return timer


class MainWindow(QMainWindow):
    """The siteassess desktop app's window."""

    is_main_window = True  # how siteassess.ui.process finds it without importing it
    ready = Signal()  # the ranking table was filled (for the start-up time)

    def __init__(self, settings: Settings | None = None, *, map_enabled: bool = True) -> None:
        super().__init__()
        none_guard.install()  # Python 3.11 only: see none_guard
        self.settings = settings or Settings()
        self.doc = Document(confirm_network=lambda f: dialogs.ask_open_network_layers(self, f))
        self.runner = TaskRunner(self)
        self.recovery = Recovery(recovery_dir())
        self.outcome: Outcome | None = None
        self.assessment: Assessment | None = None
        self.map_enabled = map_enabled
        self.compare_dialog: CompareDialog | None = None
        self._errors: list[Any] = []
        self.setWindowIcon(QIcon(str(icon_path("siteassess"))))
        self.setAcceptDrops(True)
        self.resize(1500, 950)

        self.actions_, self.menus = menus.build(self)
        self._build_central()
        self._build_status()
        self._connect()
        self.exporter = exports.install(self)  # File ▸ Export…

        self.autosave_timer = _timer(self, AUTOSAVE_MS, single=False)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        self.remeasure_timer = _timer(self, REMEASURE_DELAY_MS)
        self.remeasure_timer.timeout.connect(self.start_assessment)
        self.sensitivity_timer = _timer(self, SENSITIVITY_DELAY_MS)
        self.sensitivity_timer.timeout.connect(self._start_sensitivity)
        # After a re-ranking, the detail panel follows once the table is drawn (its
        # setHtml alone takes about 20 ms); a second weight before then costs one detail.
        self.detail_timer = _timer(self, 0)
        self.detail_timer.timeout.connect(self._show_current_detail)
        # (assessment, site, language) the detail panel shows
        self._detail_shown: tuple[Assessment | None, str | None, str] | None = None
        self.map.set_online(self.settings.online_basemap())
        self.actions_.online.setChecked(self.map.online)
        self.tiles_menu = TilesMenu(self)  # View ▸ Background tiles (offline)
        self.menus.view.insertMenu(self.menus.lang.menuAction(), self.tiles_menu)
        self.tiles_menu.chosen.connect(self.set_map_tiles)
        self._refresh_recent()
        self._update_title()
        self._update_enabled()

    # ------------------------------------------------------------------ layout
    def _build_central(self) -> None:
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background: #fff3cd; color: #5c4000; border-bottom: 1px solid #e0c36a; padding: 6px"
        )
        self.banner.hide()
        self.welcome = WelcomePage(sample_project())
        self.layers_panel = LayersPanel()
        self.weights_panel = WeightsPanel()
        self.params_panel = ParamsPanel()
        side = QWidget()
        side_box = QVBoxLayout(side)
        side_box.addWidget(self.weights_panel)
        side_box.addWidget(self.params_panel)
        side_box.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(side)
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(scroll, "")
        self.side_tabs.addTab(self.layers_panel, "")
        self.side_tabs.setMinimumWidth(370)

        self.map = MapPanel(self.runner)
        self.model = RankingModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)  # the model sorts itself (see models.py)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        # Columns fit the rows on screen, not the whole inventory: the model is virtual,
        # and a cell is made only when it is shown (24,000 sites re-rank at once).
        self.table.horizontalHeader().setResizeContentsPrecision(0)
        self.detail = QTextBrowser()
        self.detail.document().setDefaultStyleSheet(DETAIL_CSS)
        self.detail.setOpenLinks(False)
        # The map beside the detail of the selected site; the ranking across the whole width.
        self.top = QSplitter(Qt.Orientation.Horizontal)
        self.top.addWidget(self.map)
        self.top.addWidget(self.detail)
        self.top.setSizes([740, 390])
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.top)
        ranking = QWidget()
        box = QVBoxLayout(ranking)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.table)
        # Criteria that add about the same points to every site, said under the table.
        self.separation_note = QLabel()
        self.separation_note.setWordWrap(True)
        self.separation_note.setStyleSheet("color: #8a4b00;")
        self.separation_note.setVisible(False)
        box.addWidget(self.separation_note)
        self.right.addWidget(ranking)
        self.right.setSizes([560, 330])
        self.workspace = QSplitter(Qt.Orientation.Horizontal)
        self.workspace.addWidget(self.side_tabs)
        self.workspace.addWidget(self.right)
        self.workspace.setSizes([370, 1130])
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.workspace)
        central = QWidget()
        box = QVBoxLayout(central)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.banner)
        box.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._retranslate_central()

    def _build_status(self) -> None:
        self.status_label = StatusLine()
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(260)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel_work)
        bar = self.statusBar()
        bar.addWidget(self.status_label, 1)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()
        self.cancel_button.setText(tr("Cancel"))

    def _connect(self) -> None:
        a = self.actions_
        a.new.triggered.connect(self.new_project)
        a.open.triggered.connect(self.open_dialog)
        a.sample.triggered.connect(self.open_sample)
        a.save.triggered.connect(self.save)
        a.save_as.triggered.connect(self.save_as)
        a.quit.triggered.connect(self.close)
        a.add_layer.triggered.connect(lambda: self.add_layer_dialog(None))
        a.reassess.triggered.connect(self.start_assessment)
        a.ahp.triggered.connect(self.show_ahp)
        a.compare.triggered.connect(self.show_compare)
        a.screen.triggered.connect(self.show_screen_dialog)
        a.online.toggled.connect(self.set_online_basemap)
        a.french.triggered.connect(lambda: self.switch_language("fr"))
        a.english.triggered.connect(lambda: self.switch_language("en"))
        a.log.triggered.connect(self._show_log_path)
        a.about.triggered.connect(self._about)
        self.welcome.sampleRequested.connect(self.open_sample)
        self.welcome.openRequested.connect(self.open_dialog)
        self.welcome.newRequested.connect(self.new_project)
        self.welcome.recentRequested.connect(self.open_project)
        self.layers_panel.addRequested.connect(lambda: self.add_layer_dialog(None))
        self.layers_panel.removeRequested.connect(self.remove_layer)
        self.layers_panel.crsRequested.connect(self.set_layer_crs_dialog)
        self.weights_panel.weightsChanged.connect(self.set_weights)
        self.weights_panel.ahpRequested.connect(self.show_ahp)
        self.params_panel.paramsChanged.connect(self.set_params)
        self.params_panel.demandChanged.connect(self.set_demand)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.map.siteClicked.connect(self.select_site_from_map)
        self.runner.started.connect(self._work_started)
        self.runner.progress.connect(self._work_progress)
        self.runner.idle.connect(self._work_idle)
        self.runner.failed.connect(lambda kind, exc: self.show_exception(exc))

    # ------------------------------------------------------------ translations
    def switch_language(self, lang: str) -> None:
        """Switch every text of the app to ``lang`` (and remember it)."""
        set_language(lang)
        self.settings.set_language(lang)
        from siteassess.ui.process import apply_locale

        apply_locale(lang)
        menus.retranslate(self.actions_, self.menus)
        self.tiles_menu.retranslate()
        self._retranslate_central()
        self.cancel_button.setText(tr("Cancel"))
        self.status_label.retranslate()
        for panel in (self.welcome, self.layers_panel, self.weights_panel, self.params_panel):
            panel.retranslate()
        self.model.retranslate()
        self._refresh_recent()
        self._update_title()
        self._update_banner()
        self._show_current_detail()
        if self.assessment is not None and self.map.view is not None:
            self.map.show_assessment(self.assessment)
        if self.compare_dialog is not None:
            self.compare_dialog.close()
            self.compare_dialog = None

    def _retranslate_central(self) -> None:
        self.side_tabs.setTabText(0, tr("Weights and parameters"))
        self.side_tabs.setTabText(1, tr("Layers"))

    def _update_title(self) -> None:
        p = self.doc.project
        name = p.name if p is not None else ""
        star = " *" if self.doc.dirty else ""
        self.setWindowTitle(f"siteassess — {name}{star}" if p is not None else "siteassess")

    def _update_enabled(self) -> None:
        has_project = self.doc.project is not None
        has_scores = self.assessment is not None
        a = self.actions_
        for act in (a.save, a.save_as, a.add_layer, a.reassess, a.screen):
            act.setEnabled(has_project)
        exports_ = (a.export_site, a.export_compare, a.export_all, a.export_ranking)
        for act in (a.ahp, a.compare, *exports_):
            act.setEnabled(has_scores)

    def _refresh_recent(self) -> None:
        recent = self.settings.recent()
        self.menus.recent.clear()
        for path in recent:
            act = self.menus.recent.addAction(str(path))
            act.triggered.connect(lambda _=False, p=path: self.open_project(p))
        self.menus.recent.setEnabled(bool(recent))
        self.welcome.set_recent(recent)

    def _update_banner(self) -> None:
        p = self.doc.project
        if p is None:
            self.banner.hide()
            return
        parts = []
        shown = [s for s in p.layers if s.is_illustrative]
        if shown:
            names = ", ".join(f"{role_label(s.role)} ({Path(s.path).name})" for s in shown)
            parts.append(tr("ILLUSTRATIVE layers, not real data: {names}.").format(names=names))
        if self.assessment is not None:
            sites = self.assessment.measurements.sites
            n = int(sites["approximate"].sum()) if "approximate" in sites.columns else 0
            if n:
                parts.append(
                    trn(
                        "{n} site outline is approximate (not surveyed).",
                        "{n} site outlines are approximate (not surveyed).",
                        n,
                    ).format(n=fmt(n, 0))
                )
        self.banner.setText("⚠ " + " ".join(parts) if parts else "")
        self.banner.setVisible(bool(parts))

    # ------------------------------------------------------------ project files
    def maybe_save(self) -> bool:
        """Offer to save unsaved changes; False when the planner cancels."""
        if self.doc.project is None or not self.doc.dirty:
            return True
        answer = dialogs.ask_save_changes(self, self.doc.project.name)
        if answer == dialogs.SAVE:
            return self.save()
        return answer == dialogs.DISCARD

    def open_dialog(self) -> None:
        """Choose a project file and open it."""
        name, _ = QFileDialog.getOpenFileName(
            self, tr("Open a project"), "", f"{tr('siteassess project')} (*.toml)"
        )
        if name:
            self.open_project(name)

    def open_sample(self) -> None:
        """Open the bundled sample project."""
        sample = sample_project()
        if sample is not None:
            self.open_project(sample)

    def open_project(self, path: str | Path, *, ask: bool = True) -> bool:
        """Open a project file (after offering to save the current one)."""
        if ask and not self.maybe_save():
            return False
        try:
            self.doc.load(path)
        except SiteAssessError as exc:
            self.show_error(tr("The project cannot be opened"), str(exc))
            return False
        self.recovery.clear()
        assert self.doc.path is not None
        self.settings.add_recent(self.doc.path)
        self._project_opened()
        return True

    def new_project(self) -> None:
        """Start an empty project (layers to add, default weights)."""
        if not self.maybe_save():
            return
        self.doc.new(tr("New project"))
        self._project_opened()
        self.side_tabs.setCurrentWidget(self.layers_panel)
        self.status_label.say(lambda: tr("Add the layers of the project, starting with the sites."))

    def _project_opened(self) -> None:
        self.assessment = None
        self.outcome = None
        self.model.set_assessment(None)
        self.detail.clear()
        self.stack.setCurrentWidget(self.workspace)
        assert self.doc.project is not None
        self.map.tiles_from_project(self.doc.project)
        self.tiles_menu.set_current(self.map.tiles)
        self.layers_panel.set_statuses(
            [LayerStatus(s, self.doc.project.resolve(s)) for s in self.doc.project.layers]
        )
        self.weights_panel.set_project(self.doc.project)
        self.params_panel.set_project(self.doc.project, {})
        self._refresh_recent()
        self._update_title()
        self._update_banner()
        self._update_enabled()
        self.start_assessment()

    def save(self) -> bool:
        """Save the project (asks for a file name the first time)."""
        if self.doc.project is None:
            return False
        if self.doc.path is None:
            return self.save_as()
        return self._save_to(None)

    def save_as(self) -> bool:
        """Save the project under a new name."""
        if self.doc.project is None:
            return False
        start = str(self.doc.path or Path.home() / f"{self.doc.project.name}.toml")
        name, _ = QFileDialog.getSaveFileName(
            self, tr("Save the project"), start, f"{tr('siteassess project')} (*.toml)"
        )
        if not name:
            return False
        if not name.lower().endswith(".toml"):
            name += ".toml"
        return self._save_to(Path(name))

    def _save_to(self, path: Path | None) -> bool:
        try:
            saved = self.doc.save(path)
        except SiteAssessError as exc:
            self.show_error(tr("The project cannot be saved"), str(exc))
            return False
        self.recovery.clear()
        self.settings.add_recent(saved)
        self._refresh_recent()
        self._update_title()
        self.status_label.say(lambda: tr("Saved {path}").format(path=saved))
        return True

    def autosave(self) -> Path | None:
        """Write the unsaved project to the recovery folder (every minute, and on errors)."""
        if self.doc.project is None or not self.doc.dirty:
            return None
        try:
            return self.recovery.write(self.doc.project)
        except (OSError, SiteAssessError, ValueError, TypeError):
            log.exception("autosave failed")
            return None

    def check_recovery(self) -> bool:
        """Offer to restore projects autosaved by a session that crashed."""
        restored = False
        for entry in self.recovery.pending():
            if not restored and dialogs.ask_restore(self, entry.name, entry.saved):
                try:
                    project = Recovery.restore(entry)
                except SiteAssessError as exc:
                    self.show_error(tr("The project cannot be restored"), str(exc))
                else:
                    self.doc.project = project
                    self.doc.dirty = True
                    restored = True
                    self._project_opened()
            Recovery.discard(entry)
        return restored

    # ----------------------------------------------------------------- layers
    def add_layer_dialog(self, path: Path | None) -> None:
        """Ask for a file and its role, then add it and re-measure."""
        if self.doc.project is None:
            self.new_project()
        if self.doc.project is None:
            return
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, tr("Add a layer"), "", file_filter())
            if not name:
                return
            path = Path(name)
        dialog = AddLayerDialog(path, self.doc.project, self)
        if dialog.exec():
            self.add_layer(dialog.spec())

    def add_layer(self, spec: Any) -> None:
        """Add a layer entry to the project and re-measure."""
        try:
            self.doc.add_layer(spec)
        except SiteAssessError as exc:
            self.show_error(tr("The layer cannot be added"), str(exc))
            return
        self._layers_changed()

    def remove_layer(self, index: int) -> None:
        """Remove a layer and re-measure."""
        self.doc.remove_layer(index)
        self._layers_changed()

    def set_layer_crs_dialog(self, index: int) -> None:
        """Ask for the CRS of a layer."""
        assert self.doc.project is not None
        dialog = CRSDialog(self.doc.project.layers[index], self)
        if dialog.exec():
            self.set_layer_crs(index, dialog.crs())

    def set_layer_crs(self, index: int, crs: str | None) -> None:
        """Give a layer its CRS and re-measure."""
        assert self.doc.project is not None
        self.doc.set_layer(index, replace(self.doc.project.layers[index], crs=crs))
        self._layers_changed()

    def _layers_changed(self) -> None:
        assert self.doc.project is not None
        self.layers_panel.set_statuses(
            [LayerStatus(s, self.doc.project.resolve(s)) for s in self.doc.project.layers]
        )
        self._update_title()
        self._update_banner()
        self.start_assessment()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.drop_files(paths)

    def drop_files(self, paths: list[Path]) -> None:
        """Dropped files: a project file opens; other files are added as layers."""
        projects = [p for p in paths if p.suffix.lower() == ".toml"]
        if projects:
            self.open_project(projects[0])
            return
        for path in paths:
            self.add_layer_dialog(path)

    # ------------------------------------------------------------ measuring
    def start_assessment(self) -> None:
        """Measure and score the project in the worker."""
        project = self.doc.project
        if project is None:
            return
        self.remeasure_timer.stop()
        self.runner.start("assess", lambda p, c: assess_project(project, p, c), self._assessed)

    def _assessed(self, result: object) -> None:
        assert isinstance(result, Outcome)
        current = self.doc.project
        if current is None or measure_key(result.project) != measure_key(current):
            return  # what is measured changed meanwhile; a newer run follows
        if result.project is not current and result.measurements is not None:
            # Only the weights changed while measuring: score again with the new ones.
            from siteassess.assessment import score

            try:
                a = score(result.measurements, current, sensitivity=True)
            except SiteAssessError as exc:
                result = replace(result, project=current, assessment=None, error=str(exc))
            else:
                result = replace(result, project=current, assessment=a)
        self.outcome = result
        self.layers_panel.set_statuses(result.layers)
        if result.assessment is not None:
            self._show_assessment(result.assessment, remeasured=True)
        if result.error is not None and not current.layers_of("sites"):
            # A project still being built (a new one): guidance, not a modal warning.
            self.status_label.setText(result.error)
            if self.assessment is not None:  # the sites layer was removed: no ranking left
                self.assessment = None
                self.model.set_assessment(None)
                self._show_current_detail()
        elif result.error is not None:
            self.status_label.say(lambda: tr("The project cannot be assessed: see the message."))
            self.show_error(tr("The project cannot be assessed"), result.error)
            if result.assessment is None:
                self.side_tabs.setCurrentWidget(self.layers_panel)
        self._update_enabled()

    def _show_assessment(self, a: Assessment, *, remeasured: bool) -> None:
        selected = self.current_site()
        self.assessment = a
        self.model.set_assessment(a)
        note = separation_text(a)
        self.separation_note.setText(note)
        self.separation_note.setVisible(bool(note))
        if remeasured:  # the columns stay as they are while weights change
            self.table.resizeColumnsToContents()
            self.table.setColumnWidth(self.model.column_of("name"), 240)
        else:
            self.detail_timer.start()  # the detail follows the table (see __init__)
        if selected is not None and self.model.row_of(selected) >= 0:
            self.select_site(selected, pan=False)
        elif self.model.rows:
            self.select_site(self.model.rows[0].site_id, pan=False)
        if remeasured:
            self._show_current_detail()
            assert self.doc.project is not None
            self.weights_panel.set_project(
                self.doc.project, a.ahp.consistency_ratio if a.ahp else None
            )
            self.params_panel.set_project(self.doc.project, a.measurements.params)
            self._update_banner()
            n = len(a.site_ids)
            self.status_label.say(
                lambda: trn("{n} site assessed.", "{n} sites assessed.", n).format(n=fmt(n, 0))
            )
            self.ready.emit()
            if self.map_enabled:
                QTimer.singleShot(0, lambda: self.map.show_assessment(a))
        else:
            self.map.update_scores(a)

    def set_weights(self, weights: dict[str, float]) -> None:
        """New direct weights: re-score now (no re-measuring), sensitivity in the worker."""
        if self.doc.project is None:
            return
        self.doc.change(self.doc.project.with_weights(weights))
        self._rescore()

    def apply_ahp(self, dialog: AHPDialog) -> None:
        """Use the weights of an AHP dialog."""
        if self.doc.project is None:
            return
        self.doc.change(replace(self.doc.project, weights=dialog.weight_settings()))
        self._rescore()
        assert self.doc.project is not None
        cr = dialog.ahp.consistency_ratio if dialog.ahp is not None else None
        self.weights_panel.set_project(self.doc.project, cr)

    def _rescore(self) -> None:
        from siteassess.assessment import score

        self._update_title()
        if self.assessment is None or self.doc.project is None:
            return
        try:
            a = score(self.assessment.measurements, self.doc.project, sensitivity=False)
        except SiteAssessError as exc:
            self.status_label.setText(str(exc))
            return
        self._show_assessment(a, remeasured=False)
        self.sensitivity_timer.start()

    def _start_sensitivity(self) -> None:
        from siteassess.assessment import score

        if self.assessment is None or self.doc.project is None:
            return
        m, project = self.assessment.measurements, self.doc.project

        def job(progress: Any, cancelled: Any) -> Assessment:
            return score(m, project, sensitivity=True)

        def done(result: object) -> None:
            if project is self.doc.project:
                self._show_assessment(result, remeasured=False)  # type: ignore[arg-type]

        self.runner.start("sensitivity", job, done, show_progress=False)

    def set_params(self, criterion: str, params: dict[str, Any]) -> None:
        """New criterion parameters: re-measure (after a short pause, in the worker)."""
        if self.doc.project is None or self.doc.project.criterion(criterion) is None:
            return
        self.doc.set_params(criterion, params)
        self._update_title()
        self.remeasure_timer.start()

    def set_demand(self, demand_mw: float) -> None:
        """A new campus demand (MW): re-measure."""
        if self.doc.project is None or demand_mw == self.doc.project.demand_mw:
            return
        self.doc.change(replace(self.doc.project, demand_mw=demand_mw))
        self._update_title()
        self.remeasure_timer.start()

    def cancel_work(self) -> None:
        """Cancel the running measurement."""
        self.runner.cancel()
        self.status_label.say(lambda: tr("Cancelled."))

    def _work_started(self, kind: str) -> None:
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.status_label.say(lambda: tr("Working…"))

    def _work_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(fraction * 100))
        self.status_label.setText(progress_text(message))

    def _work_idle(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()

    # ------------------------------------------------------------- selection
    def current_site(self) -> str | None:
        """The site of the table's current row."""
        index = self.table.currentIndex()
        return self.model.site_at(index.row()) if index.isValid() else None

    def select_site(self, site_id: str, *, pan: bool = True) -> None:
        """Make a site the current row (and highlight it on the map)."""
        row = self.model.row_of(site_id)
        if row < 0:
            return
        index = self.model.index(row, 0)
        self._pan = pan
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        self._pan = True

    def select_site_from_map(self, site_id: str) -> None:
        """A site clicked on the map becomes the table's current row."""
        self.select_site(site_id, pan=False)

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self.detail_timer.isActive():
            self._show_current_detail()
        site = self.current_site()
        if site is not None:
            self.map.select_site(site, pan=getattr(self, "_pan", True))

    def _show_current_detail(self) -> None:
        site = self.current_site()
        # Once per assessment, site and language: a re-ranking moves the current row and
        # then shows the detail, and a detail costs a 20 ms setHtml.
        shown = (self.assessment, site, language())
        last = self._detail_shown
        if last is not None and last[0] is shown[0] and last[1:] == shown[1:]:
            return
        self._detail_shown = shown
        if self.assessment is None or site is None:
            self.detail.setHtml("")
            return
        self.detail.setHtml(site_detail_html(self.assessment, site))

    def selected_sites(self) -> list[str]:
        """The sites of the selected rows, in table order."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [s for s in map(self.model.site_at, rows) if s is not None]

    # -------------------------------------------------------- dialogs, views
    def make_ahp_dialog(self) -> AHPDialog:
        """The AHP dialog for the current criteria and weights."""
        from siteassess.assessment import resolve_weights
        from siteassess.ui.ahp_dialog import AHPDialog

        assert self.doc.project is not None
        p = self.doc.project
        names = [c.name for c in p.criteria]
        matrix = None
        if p.weights is not None and p.weights.method == "ahp":
            order = [p.weights.criteria.index(n) for n in names]
            matrix = [[p.weights.matrix[i][j] for j in order] for i in order]
        try:
            weights, _ = resolve_weights(p)
        except SiteAssessError:
            weights = {c.name: c.weight for c in p.criteria}
        return AHPDialog(names, matrix, weights, self)

    def show_ahp(self) -> None:
        """Open the AHP dialog; use its weights when accepted."""
        if self.doc.project is None:
            return
        dialog = self.make_ahp_dialog()
        if dialog.exec():
            self.apply_ahp(dialog)

    def make_compare_dialog(self, ids: list[str] | None = None) -> CompareDialog | None:
        """The compare view for the selected sites (or the top three, one per land unit)."""
        from siteassess.ui.compare import CompareDialog

        if self.assessment is None or self.doc.project is None:
            return None
        chosen = ids or self.selected_sites()
        if not 2 <= len(chosen) <= 5:
            chosen = self.assessment.best_sites(3)
        self.compare_dialog = CompareDialog(self.assessment, self.doc.project, chosen, self)
        return self.compare_dialog

    def show_compare(self) -> None:
        """Open the compare view (not modal)."""
        dialog = self.make_compare_dialog()
        if dialog is not None:
            dialog.show()

    def show_screen_dialog(self) -> None:
        """Ask for the screening filters and output, then screen in the worker."""
        from siteassess.ui.screen_dialog import ScreenDialog

        if self.doc.project is None:
            return
        folder = self.doc.project.folder if self.doc.path is not None else Path.home()
        dialog = ScreenDialog(folder / "classement.gpkg", self)
        if dialog.exec():
            self.start_screening(dialog.request())

    def start_screening(self, request: ScreenRequest) -> None:
        """Score the whole inventory off the GUI thread and write the ranking."""
        project = self.doc.project
        if project is None:
            return
        self.runner.start(
            "screen",
            lambda p, c: screen_project(project, request, p, c),
            self._screened,
            self.show_exception,
        )

    def _screened(self, result: object) -> None:
        assert isinstance(result, ScreenOutcome)

        def message() -> str:
            text = tr(
                "{ranked} sites ranked, {excluded} excluded by a rule, {left} left out by the "
                "filters. Ranking written to {path}."
            ).format(
                ranked=result.ranked,
                excluded=result.excluded,
                left=result.left_out,
                path=result.output,
            )
            if result.shortlist is not None:
                text += " " + tr("Shortlist project: {path}.").format(path=result.shortlist)
            return text

        if result.shortlist is not None:
            self.settings.add_recent(result.shortlist)
            self._refresh_recent()
        self.status_label.say(message)
        text = message()
        from siteassess.ui.screen_dialog import ScreenDoneBox

        # Shown without blocking, like every message: open the shortlist now or later.
        self.screen_done = ScreenDoneBox(text, result.shortlist, self.open_project, self)
        self.screen_done.open()

    def set_online_basemap(self, on: bool) -> None:
        """Turn the online basemap on or off (it is the only remote request allowed)."""
        self.settings.set_online_basemap(on)
        self.map.set_online(on)
        if self.assessment is not None and self.map.view is not None:
            self.map.show_assessment(self.assessment)

    def set_map_tiles(self, path: str) -> None:
        """Local tiles (an MBTiles file or an XYZ folder) under the map, or none (""); kept
        in the project as ``[map] tiles``."""
        from siteassess.layers.tiles import open_tiles

        project = self.doc.project
        if project is None:
            return
        source = None
        if path:
            try:
                source = open_tiles(path)
            except SiteAssessError as exc:
                self.show_error(tr("The background tiles cannot be used"), str(exc))
                return
        tiles = str(Path(path).resolve()) if path else None
        current = project.tiles_path()
        if tiles != (str(current) if current is not None else None):
            self.doc.change(replace(project, map_tiles=tiles))
            self._update_title()
        self.map.set_tiles(source)
        self.tiles_menu.set_current(source)

    def _show_log_path(self) -> None:
        from siteassess.ui.process import log_file

        dialogs.show_info(self, tr("Log file"), str(log_file()))

    def _about(self) -> None:
        from siteassess import __version__

        dialogs.show_info(
            self,
            tr("About siteassess"),
            tr("siteassess {version}: score candidate brownfields for large data centres.").format(
                version=__version__
            ),
        )

    # -------------------------------------------------------------- errors
    def show_error(self, title: str, message: str) -> None:
        """Show an error message (never a traceback)."""
        self._errors.append(dialogs.show_error(self, title, message))
        self._errors = self._errors[-5:]

    def show_exception(self, exc: BaseException) -> None:
        """An error from the worker: a message naming the file and the fix, or the log."""
        if isinstance(exc, CancelledError):
            self.status_label.say(lambda: tr("Cancelled."))
            return
        if isinstance(exc, SiteAssessError):
            self.show_error(tr("Error"), str(exc))
            return
        from siteassess.ui.process import report_unexpected

        report_unexpected(type(exc), exc, exc.__traceback__)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.maybe_save():
            event.ignore()
            return
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop the work, release the map and remove this session's autosave."""
        self.autosave_timer.stop()
        self.runner.cancel()
        self.runner.wait()
        self.map.shutdown()
        self.recovery.clear()
        self.settings.sync()
