"""Map insets of the compared sites, all at the same scale, drawn with QPainter.

Each inset is centred on one site and shows its outline (coloured by score, dashed when
approximate), the flood zones, lines and substations around it, and an arrow to the
nearest eligible substation when it lies outside the frame. A scale bar is shared.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from siteassess.ui.i18n_ui import tr
from siteassess.ui.labels import fmt

FLOOD_FILL = {"frequent": "#08519c", "medium": "#3182bd", "extreme": "#9ecae1"}


@dataclass(frozen=True)
class Point:
    """A labelled point in the working CRS (metres)."""

    x: float
    y: float
    label: str = ""
    kv: float = 0.0


@dataclass
class Inset:
    """What one inset draws (geometries are shapely objects in the working CRS)."""

    title: str
    centre: tuple[float, float]
    site: Any
    colour: str
    approximate: bool = False
    flood: list[tuple[Any, str]] = field(default_factory=list)  # (geometry, scenario)
    lines: list[tuple[Any, str]] = field(default_factory=list)  # (geometry, colour)
    substations: list[Point] = field(default_factory=list)
    target: Point | None = None  # the nearest eligible substation
    target_distance_m: float = math.nan


class InsetMaps(QWidget):
    """A row of same-scale map insets."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.insets: list[Inset] = []
        self.half_size_m = 1000.0
        self.setMinimumHeight(230)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_insets(self, insets: Sequence[Inset], half_size_m: float) -> None:
        """Show insets, each ``2 × half_size_m`` metres wide."""
        self.insets = list(insets)
        self.half_size_m = half_size_m
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        n = len(self.insets)
        if n == 0:
            return
        line = p.fontMetrics().height()
        gap = 8
        size = min((self.width() - gap * (n + 1)) / n, self.height() - 2 * line - 10)
        size = max(size, 40.0)
        mpp = 2 * self.half_size_m / size  # metres per pixel, the same in every inset
        for k, inset in enumerate(self.insets):
            x0 = gap + k * (size + gap)
            frame = QRectF(x0, line + 4, size, size)
            p.setPen(QColor("#222222"))
            title = p.fontMetrics().elidedText(inset.title, Qt.TextElideMode.ElideRight, int(size))
            p.drawText(QRectF(x0, 0, size, line + 2), Qt.AlignmentFlag.AlignCenter, title)
            p.save()
            p.setClipRect(frame)
            p.fillRect(frame, QColor("#f4f2ec"))
            self._draw(p, inset, frame, mpp)
            p.restore()
            p.setPen(QPen(QColor("#888888"), 1))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(frame)
        self._scale_bar(p, mpp, QPointF(gap, line + 4 + size + 6))
        p.end()

    def _draw(self, p: QPainter, inset: Inset, frame: QRectF, mpp: float) -> None:
        cx, cy = inset.centre

        def to_px(x: float, y: float) -> QPointF:
            return QPointF(frame.center().x() + (x - cx) / mpp, frame.center().y() - (y - cy) / mpp)

        for geom, scenario in inset.flood:
            colour = QColor(FLOOD_FILL.get(scenario, "#6baed6"))
            fill = QColor(colour)
            fill.setAlpha(90)
            p.setPen(QPen(colour, 0.8))
            p.setBrush(fill)
            p.drawPath(_path(geom, to_px))
        p.setBrush(Qt.BrushStyle.NoBrush)
        for geom, line_colour in inset.lines:
            p.setPen(QPen(QColor(line_colour), 2))
            p.drawPath(_path(geom, to_px))
        site_fill = QColor(inset.colour)
        site_fill.setAlpha(200)
        pen = QPen(QColor("#202020"), 2)
        if inset.approximate:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(QBrush(site_fill))
        p.drawPath(_path(inset.site, to_px))
        for s in inset.substations:
            pt = to_px(s.x, s.y)
            hex_colour = "#000000" if s.kv >= 400 else "#525252" if s.kv >= 225 else "#969696"
            p.setPen(QPen(QColor("#ffffff"), 1))
            p.setBrush(QColor(hex_colour))
            p.drawEllipse(pt, 5, 5)
        if inset.target is not None:
            self._target(p, inset, frame, to_px)

    def _target(self, p: QPainter, inset: Inset, frame: QRectF, to_px: Any) -> None:
        assert inset.target is not None
        pt = to_px(inset.target.x, inset.target.y)
        label = f"{inset.target.label} · {fmt(inset.target_distance_m / 1000, 1, 'km')}"
        p.setPen(QColor("#111111"))
        if frame.contains(pt):
            width = p.fontMetrics().horizontalAdvance(label) + 6
            x = min(pt.x() + 8, frame.right() - width)
            y = max(pt.y() - 8, frame.top() + 14)
            p.fillRect(QRectF(x - 2, y - 12, width, 15), QColor(255, 255, 255, 210))
            p.drawText(QPointF(x, y), label)
            return
        c = frame.center()
        dx, dy = pt.x() - c.x(), pt.y() - c.y()
        scale = min(
            (frame.width() / 2 - 10) / max(abs(dx), 1e-9),
            (frame.height() / 2 - 10) / max(abs(dy), 1e-9),
        )
        edge = QPointF(c.x() + dx * scale, c.y() + dy * scale)
        p.setPen(QPen(QColor("#b2182b"), 2))
        p.drawLine(c + QPointF(dx, dy) * (0.35 * scale), edge)
        angle = math.atan2(dy, dx)
        for side in (-0.5, 0.5):
            tip = QPointF(
                edge.x() - 9 * math.cos(angle + side), edge.y() - 9 * math.sin(angle + side)
            )
            p.drawLine(edge, tip)
        p.setPen(QColor("#111111"))
        width = p.fontMetrics().horizontalAdvance(label) + 6
        x = min(max(edge.x() - width / 2, frame.left() + 2), frame.right() - width)
        y = edge.y() + (14 if dy < 0 else -6)
        y = min(max(y, frame.top() + 14), frame.bottom() - 4)
        p.fillRect(QRectF(x - 2, y - 12, width, 15), QColor(255, 255, 255, 210))
        p.drawText(QPointF(x, y), label)

    def _scale_bar(self, p: QPainter, mpp: float, origin: QPointF) -> None:
        target = 120 * mpp
        exponent = 10 ** math.floor(math.log10(target))
        length_m = max(s * exponent for s in (1, 2, 5) if s * exponent <= target)
        px = length_m / mpp
        p.setPen(QPen(QColor("#222222"), 2))
        y = origin.y() + 6
        p.drawLine(QPointF(origin.x(), y), QPointF(origin.x() + px, y))
        for x in (origin.x(), origin.x() + px):
            p.drawLine(QPointF(x, y - 4), QPointF(x, y + 4))
        text = fmt(length_m / 1000, 1 if length_m < 1000 else 0, "km")
        note = tr("same scale in every inset")
        p.drawText(QPointF(origin.x() + px + 8, y + 5), f"{text} — {note}")


def _path(geom: Any, to_px: Any) -> QPainterPath:
    """A QPainterPath of a shapely (multi)polygon or (multi)line in pixel coordinates."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for part in _parts(geom):
        kind = part.geom_type
        rings: Iterable[Any]
        if kind == "Polygon":
            rings = [part.exterior, *part.interiors]
            close = True
        elif kind in ("LineString", "LinearRing"):
            rings = [part]
            close = False
        else:
            continue
        for ring in rings:
            coords = list(ring.coords)
            if len(coords) < 2:
                continue
            path.moveTo(to_px(*coords[0][:2]))
            for c in coords[1:]:
                path.lineTo(to_px(*c[:2]))
            if close:
                path.closeSubpath()
    return path


def _parts(geom: Any) -> list[Any]:
    if geom is None or geom.is_empty:
        return []
    if hasattr(geom, "geoms"):
        return [g for sub in geom.geoms for g in _parts(sub)]
    return [geom]
