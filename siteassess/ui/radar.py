"""A radar chart of criterion values (0 to 1), one polygon per site, drawn with QPainter."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

# Distinct colours for up to five sites (colour-blind safe, Okabe-Ito).
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00")


@dataclass(frozen=True)
class Series:
    """One site on the chart: its name, values 0..1 per axis (NaN: not measured), colour."""

    name: str
    values: tuple[float, ...]
    colour: str


class RadarChart(QWidget):
    """Axes are criteria; rings at 0.25, 0.5, 0.75 and 1; a legend below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.axes: list[str] = []
        self.series: list[Series] = []
        self.title = ""
        self.setMinimumSize(320, 300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, title: str, axes: Sequence[str], series: Sequence[Series]) -> None:
        """Show new data."""
        self.title = title
        self.axes = list(axes)
        self.series = list(series)
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        n = len(self.axes)
        font = QFont(self.font())
        p.setFont(font)
        metrics = p.fontMetrics()
        line = metrics.height()
        legend_rows = len(self.series)
        top = line * 1.6
        bottom = self.height() - legend_rows * (line + 4) - 8
        labels = [_wrap(a) for a in self.axes]
        sizes = [
            (
                max(metrics.horizontalAdvance(part) for part in lab.split("\n")) + 4,
                line * (lab.count("\n") + 1),
            )
            for lab in labels
        ]
        cx, cy = self.width() / 2, top + (bottom - top) / 2
        radius = (bottom - top) / 2 - 2 * line
        for k, (w, h) in enumerate(sizes):
            angle = -math.pi / 2 + 2 * math.pi * k / max(n, 1)
            c, s_ = abs(math.cos(angle)), abs(math.sin(angle))
            if c > 0.2:  # a label beside the chart needs room across
                radius = min(radius, (self.width() / 2 - w - 18) / c)
            if s_ > 0.2:  # a label above or below needs room up and down
                radius = min(radius, ((bottom - top) / 2 - h - 14) / s_)
        radius = max(20.0, radius)
        title_font = QFont(font)
        title_font.setBold(True)
        p.setFont(title_font)
        p.drawText(QRectF(0, 2, self.width(), line * 1.3), Qt.AlignmentFlag.AlignCenter, self.title)
        p.setFont(font)
        if n < 3:
            return

        def point(k: int, r: float) -> QPointF:
            angle = -math.pi / 2 + 2 * math.pi * k / n
            return QPointF(cx + r * math.cos(angle), cy + r * math.sin(angle))

        p.setPen(QPen(QColor("#c8cdd2"), 1))
        for ring in (0.25, 0.5, 0.75, 1.0):
            p.drawPolygon(QPolygonF([point(k, radius * ring) for k in range(n)]))
        for k, label in enumerate(labels):
            p.setPen(QPen(QColor("#c8cdd2"), 1))
            p.drawLine(QPointF(cx, cy), point(k, radius))
            w, h = sizes[k]
            pos = point(k, radius + 10)
            x = pos.x() - w / 2
            if pos.x() > cx + 5:
                x = pos.x()
            elif pos.x() < cx - 5:
                x = pos.x() - w
            y = pos.y() - h / 2
            if pos.y() < cy - 5:
                y = pos.y() - h
            elif pos.y() > cy + 5:
                y = pos.y()
            p.setPen(QColor("#222222"))
            p.drawText(QRectF(x, y, w, h), Qt.AlignmentFlag.AlignCenter, label)
        p.setPen(QColor("#777777"))
        for ring in (0.5, 1.0):
            p.drawText(point(0, radius * ring) + QPointF(4, -2), f"{ring:g}".replace(".", ","))
        for s in self.series:
            colour = QColor(s.colour)
            fill = QColor(colour)
            fill.setAlpha(45)
            p.setPen(QPen(colour, 2.2))
            p.setBrush(fill)
            pts = [point(k, radius * (0.0 if math.isnan(v) else v)) for k, v in enumerate(s.values)]
            p.drawPolygon(QPolygonF(pts))
            p.setBrush(colour)
            for pt in pts:
                p.drawEllipse(pt, 3, 3)
        p.setBrush(Qt.BrushStyle.NoBrush)
        col_w = self.width() - 20
        for idx, s in enumerate(self.series):
            x = 10.0
            y = bottom + 8 + idx * (line + 4)
            p.fillRect(QRectF(x, y + 3, 14, line - 6), QColor(s.colour))
            p.setPen(QColor("#222222"))
            text = metrics.elidedText(s.name, Qt.TextElideMode.ElideRight, int(col_w - 40))
            p.drawText(QPointF(x + 20, y + line - 4), text)
        p.end()


def _wrap(label: str, width: int = 14) -> str:
    """An axis label on two lines when it is long."""
    if len(label) <= width or " " not in label:
        return label
    cut = min((i for i, ch in enumerate(label) if ch == " "), key=lambda i: abs(i - len(label) / 2))
    return label[:cut] + "\n" + label[cut + 1 :]
