"""The project's layers: role, CRS, feature count and problems; add, remove, set a CRS.

Layers come in through a file dialog or by dropping files on the window; the planner
chooses the role. A layer whose CRS is missing (or wrong) gets one from a short list of
the CRSs used in France, or any ``EPSG:`` code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from html import escape
from pathlib import Path

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from siteassess.project import ROLES, LayerSpec, Project
from siteassess.reports.messages import issue_action, issue_message
from siteassess.roles import REGISTRY
from siteassess.ui.detail import source_text
from siteassess.ui.i18n_ui import language, tr, trn
from siteassess.ui.jobs import LayerStatus
from siteassess.ui.labels import role_label
from siteassess.ui.value_combo import ValueCombo
from siteassess.vocabulary import layer_phrase

LAYER_SUFFIXES = (
    ".gpkg",
    ".shp",
    ".zip",
    ".geojson",
    ".json",
    ".fgb",
    ".parquet",
    ".csv",
    ".txt",
    ".tif",
    ".tiff",
)
COMMON_CRS = (
    ("EPSG:2154", "RGF93 v1 / Lambert-93"),
    ("EPSG:4326", "WGS 84 (longitude, latitude)"),
    ("EPSG:27572", "NTF (Paris) / Lambert zone II étendu"),
    ("EPSG:3949", "RGF93 v1 / CC49"),
    ("EPSG:3950", "RGF93 v1 / CC50"),
    ("EPSG:3857", "WGS 84 / Pseudo-Mercator"),
)


def guess_role(path: Path) -> str:
    """The role a file name suggests (``context`` when nothing matches)."""
    name = path.name.lower()
    # Registry order, sites last: "postes_sites.csv" is a substations file.
    ordered = [r for r in REGISTRY if r.name != "sites"] + [
        r for r in REGISTRY if r.name == "sites"
    ]
    # The longest word met wins, then that order: "reseaux_de_chaleur" names heat
    # networks ("chaleur"), not power lines ("reseau").
    found = [
        (max(len(w) for w in r.hints if w in name), -k, r.name)
        for k, r in enumerate(ordered)
        if any(w in name for w in r.hints)
    ]
    return max(found)[2] if found else "context"


def file_filter() -> str:
    """The file dialog filter of the layer formats siteassess reads."""
    pattern = " ".join(f"*{s}" for s in LAYER_SUFFIXES)
    return f"{tr('Layers')} ({pattern});;{tr('All files')} (*)"


class LayersPanel(QWidget):
    """A list of the project's layers with what opening each one gave."""

    addRequested = Signal()  # noqa: N815
    removeRequested = Signal(int)  # noqa: N815
    crsRequested = Signal(int)  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.details = QTextBrowser()
        self.details.setMaximumHeight(170)
        self.details.setOpenLinks(False)
        self.add_button = QPushButton()
        self.remove_button = QPushButton()
        self.crs_button = QPushButton()
        self.add_button.clicked.connect(self.addRequested.emit)
        self.remove_button.clicked.connect(lambda: self._emit(self.removeRequested))
        self.crs_button.clicked.connect(lambda: self._emit(self.crsRequested))
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.crs_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.details)
        self.statuses: list[LayerStatus] = []
        self.tree.currentItemChanged.connect(self._show_details)
        self.retranslate()

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.tree.setHeaderLabels([tr("Layer"), tr("CRS"), tr("Feature count"), tr("State")])
        self.add_button.setText(tr("Add…"))
        self.remove_button.setText(tr("Remove"))
        self.crs_button.setText(tr("Set the CRS…"))
        self.set_statuses(self.statuses)

    def current_index(self) -> int:
        """The selected layer's index in the project (-1 when none)."""
        item = self.tree.currentItem()
        return self.tree.indexOfTopLevelItem(item) if item is not None else -1

    def _emit(self, signal: SignalInstance) -> None:
        index = self.current_index()
        if index >= 0:
            signal.emit(index)

    def set_statuses(self, statuses: Sequence[LayerStatus]) -> None:
        """Show the layers (keeping the selection)."""
        current = self.current_index()
        self.statuses = list(statuses)
        self.tree.clear()
        for st in self.statuses:
            spec = st.spec
            name = f"{role_label(spec.role)} — {spec.name or Path(spec.path).name}"
            if spec.is_illustrative:
                name = f"⚠ {tr('ILLUSTRATIVE')} — {name}"
            if st.error is not None:
                state = tr("error")
            elif not st.checked:
                state = tr("not read")
            else:
                warnings = [i for i in st.issues if i.severity != "info"]
                state = trn("{n} problem", "{n} problems", len(warnings)).format(n=len(warnings))
                state = state if warnings else tr("OK")
            count = (
                tr("raster") if st.raster else ("" if st.features is None else f"{st.features:,}")
            )
            count = count.replace(",", "\u202f")
            item = QTreeWidgetItem([name, _short_crs(st.crs), count, state])
            item.setToolTip(0, f"{spec.path}\n{source_text(spec)}")
            if st.error is not None:
                item.setForeground(3, QBrush(QColor("#a01010")))
            elif spec.is_illustrative:
                item.setForeground(0, QBrush(QColor("#8a4b00")))
            self.tree.addTopLevelItem(item)
        for col in (1, 2, 3):
            self.tree.resizeColumnToContents(col)
        total = self.tree.topLevelItemCount()
        chosen = self.tree.topLevelItem(current if 0 <= current < total else 0) if total else None
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        self._show_details()

    def _show_details(self, *_args: object) -> None:
        index = self.current_index()
        self.crs_button.setEnabled(index >= 0)
        self.remove_button.setEnabled(index >= 0)
        if not 0 <= index < len(self.statuses):
            hint = tr(
                "No layers yet. Use “Add…” or drop files on the window, starting with the "
                "sites (brownfields)."
            )
            self.details.setHtml("" if self.statuses else f"<p>{escape(hint)}</p>")
            return
        st = self.statuses[index]
        rows = [
            (tr("File"), str(st.path)),
            (tr("Role"), role_label(st.spec.role)),
            (tr("Format"), st.format or "—"),
            (tr("CRS of the file"), st.crs or "—"),
            (tr("Source"), source_text(st.spec)),
        ]
        if st.windowed:
            rows.append((tr("Read"), tr("only near the sites (read window)")))
        colon = "\u00a0: " if language() == "fr" else ": "  # French: a space before « : »
        html = "".join(f"<b>{escape(k)}</b>{colon}{escape(v)}<br>" for k, v in rows)
        if st.error is not None:
            html += f'<p style="color:#a01010"><b>{escape(tr("Error"))}:</b> {escape(st.error)}</p>'
            if st.crs_problem:
                html += f"<p>{escape(tr('Use “Set the CRS…” to give this layer its CRS.'))}</p>"
        lang = language()
        items = "".join(
            f"<li>{escape(issue_message(i, lang))}"
            f"{(' — ' + escape(issue_action(i, lang))) if i.action else ''}</li>"
            for i in st.issues
        )
        if items:
            html += f"<b>{escape(tr('Problems and notes'))}</b><ul>{items}</ul>"
        self.details.setHtml(html)


def _short_crs(label: str | None) -> str:
    if not label:
        return "—"
    return label.split(" (")[0]


class AddLayerDialog(QDialog):
    """Choose a file and its role (and for a CSV, its coordinate columns and CRS)."""

    def __init__(self, path: Path | None, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Add a layer"))
        self.project = project
        self.path_edit = QLineEdit(str(path) if path else "")
        browse = QPushButton(tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.role = ValueCombo()
        for role in ROLES:
            self.role.add(role_label(role), role)
        self.name = QLineEdit()
        self.x_field = QLineEdit()
        self.y_field = QLineEdit()
        self.crs = ValueCombo()
        self.crs.setEditable(True)
        self.crs.add(tr("from the file"), None)
        for code, label in COMMON_CRS:
            self.crs.add(f"{code} — {label}", code)
        self.source = QLineEdit()
        form = QFormLayout()
        form.addRow(tr("File"), row)
        form.addRow(tr("Role"), self.role)
        form.addRow(tr("Name (optional)"), self.name)
        form.addRow(tr("CSV: x or longitude column"), self.x_field)
        form.addRow(tr("CSV: y or latitude column"), self.y_field)
        form.addRow(tr("CRS"), self.crs)
        form.addRow(tr("Source (provenance)"), self.source)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Add"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.path_edit.textChanged.connect(self._path_changed)
        self._path_changed(self.path_edit.text())
        self.resize(560, 300)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("Add a layer"), "", file_filter())
        if name:
            self.path_edit.setText(name)

    def _path_changed(self, text: str) -> None:
        path = Path(text)
        if text:
            self.role.setCurrentIndex(max(0, self.role.index_of(guess_role(path))))
        is_csv = path.suffix.lower() in (".csv", ".txt")
        for w in (self.x_field, self.y_field):
            w.setEnabled(is_csv)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(text))

    def spec(self) -> LayerSpec:
        """The new ``[[layers]]`` entry."""
        path = Path(self.path_edit.text()).expanduser().resolve()
        crs = _crs_choice(self.crs)
        spec = LayerSpec(role=str(self.role.value()), path=str(path))
        return replace(
            spec,
            name=self.name.text().strip() or None,
            x_field=self.x_field.text().strip() or None if self.x_field.isEnabled() else None,
            y_field=self.y_field.text().strip() or None if self.y_field.isEnabled() else None,
            crs=crs,
            source=self.source.text().strip() or None,
        )


def _crs_choice(combo: ValueCombo) -> str | None:
    data = combo.value()
    text = combo.currentText().strip()
    if combo.currentIndex() >= 0 and combo.itemText(combo.currentIndex()) == text:
        return str(data) if data else None
    return text.split(" ")[0] or None


class CRSDialog(QDialog):
    """Give a layer its CRS (checked with pyproj before it is accepted)."""

    def __init__(self, spec: LayerSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Set the CRS of a layer"))
        self.combo = ValueCombo()
        self.combo.setEditable(True)
        for code, label in COMMON_CRS:
            self.combo.add(f"{code} — {label}", code)
        if spec.crs:
            self.combo.setEditText(spec.crs)
        self.error = QLabel()
        self.error.setStyleSheet("color: #a01010")
        self.error.setWordWrap(True)
        intro = QLabel(
            tr(
                "The CRS tells how to read the coordinates of {layer}. Longitude and latitude "
                "in degrees: EPSG:4326. Lambert-93 in metres: EPSG:2154."
            ).format(layer=layer_phrase(spec.role, spec.name, language()))  # never a role key
        )
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Use this CRS"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (intro, self.combo, self.error, buttons):
            layout.addWidget(w)
        self.resize(520, 200)

    def crs(self) -> str | None:
        """The CRS chosen, as ``EPSG:xxxx`` (or the text typed)."""
        return _crs_choice(self.combo)

    def _check(self) -> None:
        from pyproj import CRS
        from pyproj.exceptions import CRSError

        text = self.crs()
        try:
            CRS.from_user_input(text)
        except (CRSError, TypeError):
            self.error.setText(
                tr("{crs} is not a CRS pyproj knows; write it as EPSG:2154").format(crs=text)
            )
            return
        self.accept()
