"""The start page: open the bundled sample, a project file, a recent one, or a new project."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from siteassess.errors import SiteAssessError
from siteassess.ui.i18n_ui import tr
from siteassess.ui.labels import fmt


def project_demand(path: Path | None) -> float | None:
    """The campus demand (MW) a project file states, or None (no file, none stated, unreadable)."""
    if path is None:
        return None
    from siteassess.project import load_project

    try:
        return load_project(path).demand_mw
    except SiteAssessError:
        return None


class WelcomePage(QWidget):
    """Shown when no project is open."""

    sampleRequested = Signal()  # noqa: N815
    openRequested = Signal()  # noqa: N815
    newRequested = Signal()  # noqa: N815
    recentRequested = Signal(str)  # noqa: N815

    def __init__(self, sample: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The title states the demand the sample is assessed for, never a figure of its own.
        self.demand_mw = project_demand(sample)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 22px; font-weight: bold")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.sample = QPushButton()
        self.sample.setVisible(sample is not None)
        self.open = QPushButton()
        self.new = QPushButton()
        for b in (self.sample, self.open, self.new):
            b.setMinimumHeight(34)
        self.sample.clicked.connect(self.sampleRequested.emit)
        self.open.clicked.connect(self.openRequested.emit)
        self.new.clicked.connect(self.newRequested.emit)
        self.recent_title = QLabel()
        self.recent = QListWidget()
        self.recent_paths: list[str] = []
        self.recent.itemActivated.connect(
            lambda item: self.recentRequested.emit(self.recent_paths[self.recent.row(item)])
        )
        buttons = QHBoxLayout()
        for b in (self.sample, self.open, self.new):
            buttons.addWidget(b)
        buttons.addStretch(1)
        box = QVBoxLayout()
        box.setAlignment(Qt.AlignmentFlag.AlignTop)
        box.addSpacing(60)
        box.addWidget(self.title)
        box.addWidget(self.intro)
        box.addSpacing(12)
        box.addLayout(buttons)
        box.addSpacing(12)
        box.addWidget(self.recent_title)
        box.addWidget(self.recent, 1)
        box.addStretch(1)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        inner = QWidget()
        inner.setLayout(box)
        inner.setMaximumWidth(760)
        outer.addWidget(inner, 4)
        outer.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        """Texts in the current language."""
        if self.demand_mw:
            power = fmt(self.demand_mw, 0, "MW")
            self.title.setText(tr("Where can a {power} data centre go?").format(power=power))
        else:
            self.title.setText(tr("Where can a large data centre go?"))
        self.intro.setText(
            tr(
                "siteassess scores candidate brownfields on power supply, flood risk, "
                "connectivity and land, and explains every score from measured values. "
                "It works without internet."
            )
        )
        self.sample.setText(tr("Open the Hauts-de-France sample"))
        self.open.setText(tr("Open a project…"))
        self.new.setText(tr("New project"))
        self.recent_title.setText(tr("Recent projects (double-click to open)"))

    def set_recent(self, paths: list[Path]) -> None:
        """List the recent projects."""
        self.recent.clear()
        self.recent_paths = [str(p) for p in paths]  # row k of the list
        for p in paths:
            self.recent.addItem(QListWidgetItem(f"{p.name} — {p.parent}"))
        self.recent_title.setVisible(bool(paths))
        self.recent.setVisible(bool(paths))
