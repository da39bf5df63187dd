"""Screening an inventory (Cartofriches, thousands of sites) from the app.

The dialog asks for the filters and the output file; the work runs in the worker with a
progress bar and Cancel, like any measurement. When it is done, a message says what was
written and offers to open the shortlist project.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from siteassess.ui.i18n_ui import tr
from siteassess.ui.jobs import ScreenRequest

OUTPUT_FILTER = "GeoPackage (*.gpkg);;Excel (*.xlsx);;CSV (*.csv);;JSON (*.json)"


class ScreenDialog(QDialog):
    """Filters, output file and shortlist size of a screening."""

    def __init__(self, default_output: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Screen the whole inventory"))
        intro = QLabel(
            tr(
                "Scores every site of the sites layer with the project's criteria and weights, "
                "and writes the ranking to a file."
            )
        )
        intro.setWordWrap(True)
        self.use_area = QCheckBox(tr("Leave out sites smaller than"))
        self.min_area = QDoubleSpinBox()
        self.min_area.setRange(0, 100_000)
        self.min_area.setDecimals(1)
        self.min_area.setValue(10)
        self.min_area.setSuffix(" ha")
        area = QHBoxLayout()
        area.addWidget(self.use_area)
        area.addWidget(self.min_area)
        self.statuses = QLineEdit()
        self.statuses.setPlaceholderText(tr("e.g. friche sans projet; friche potentielle"))
        self.output = QLineEdit(str(default_output))
        browse = QPushButton(tr("Browse…"))
        browse.clicked.connect(self._browse)
        out = QHBoxLayout()
        out.addWidget(self.output, 1)
        out.addWidget(browse)
        self.top = QSpinBox()
        self.top.setRange(0, 1000)
        self.top.setValue(10)
        self.top.setSpecialValueText(tr("no shortlist"))
        form = QFormLayout()
        form.addRow(tr("Area"), area)
        form.addRow(tr("Keep only the statuses (separated by ;)"), self.statuses)
        form.addRow(tr("Ranking file"), out)
        form.addRow(tr("Shortlist project of the best sites"), self.top)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Screen"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(620, 260)

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, tr("Ranking file"), self.output.text(), OUTPUT_FILTER
        )
        if name:
            self.output.setText(name)

    def request(self) -> ScreenRequest:
        """The screening asked for."""
        statuses = tuple(s.strip() for s in self.statuses.text().split(";") if s.strip())
        return ScreenRequest(
            output=Path(self.output.text()).expanduser(),
            min_area_ha=self.min_area.value() if self.use_area.isChecked() else None,
            statuses=statuses,
            top=self.top.value(),
        )


class ScreenDoneBox(QMessageBox):
    """What a screening wrote; "Open the shortlist" opens its shortlist project, if any."""

    def __init__(
        self,
        text: str,
        shortlist: Path | None,
        open_project: Callable[[Path], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Information)
        self.setWindowTitle(tr("Screening done"))
        self.setText(text)
        self.shortlist = shortlist
        self._open_project = open_project
        self.open_button: QAbstractButton | None = None
        if shortlist is not None:
            self.open_button = self.addButton(
                tr("Open the shortlist"), QMessageBox.ButtonRole.AcceptRole
            )
            self.setDefaultButton(self.open_button)
        close = self.addButton(tr("Close"), QMessageBox.ButtonRole.RejectRole)
        if shortlist is None:
            self.setDefaultButton(close)
        self.buttonClicked.connect(self._clicked)

    def _clicked(self, button: QAbstractButton) -> None:
        if button is self.open_button and self.shortlist is not None:
            self._open_project(self.shortlist)
