"""The PDF document shared by both reports: page template, footer, flowables, atomic write."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from siteassess import __version__
from siteassess.atomic import atomic_write_bytes
from siteassess.errors import OutputError
from siteassess.i18n import NBSP, NNBSP
from siteassess.i18n import format_date as format_date  # the reports' date, shared
from siteassess.reports.i18n_reports import tr
from siteassess.reports.names import shorten, text_width
from siteassess.reports.pdf.fonts import SANS, SANS_BOLD, register_fonts
from siteassess.reports.pdf.styles import (
    FRAME_W,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MM,
    MUTED,
    PAGE_H,
    PAGE_W,
    RULE,
    WARN_BG,
    WARN_EDGE,
    Styles,
    table_style,
)
from siteassess.safetext import printable, printable_lines


def no_break(text: str) -> str:
    """Narrow no-break spaces as no-break spaces: reportlab breaks lines at U+202F."""
    return text.replace(NNBSP, NBSP)


def para(text: str, style: Any) -> Any:
    """A paragraph of plain text (escaped: ``<`` and ``&`` in data stay as they are)."""
    from reportlab.platypus import Paragraph

    return Paragraph(no_break(escape(printable_lines(text))).replace("\n", "<br/>"), style)


def markup(text: str, style: Any) -> Any:
    """A paragraph of reportlab markup (callers escape the data they put in it).

    Control characters from the data (ESC, NUL, U+202E) are written as their escapes here,
    for every paragraph of the reports (:func:`para` goes through the same).
    """
    from reportlab.platypus import Paragraph

    return Paragraph(no_break(printable_lines(text)), style)


def bold(text: str) -> str:
    """Escaped text in bold markup."""
    return f"<b>{escape(text)}</b>"


def image(png: bytes, width: float) -> Any:
    """A PNG scaled to ``width`` points, keeping its aspect ratio."""
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    w, h = ImageReader(io.BytesIO(png)).getSize()
    return Image(io.BytesIO(png), width=width, height=width * h / w)


def _cells(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Table rows with plain-text cells made printable (reportlab draws them as they are)."""
    return [[printable(c) if isinstance(c, str) else c for c in r] for r in rows]


def table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header: bool = True,
    zebra: bool = True,
    extra: Sequence[tuple[Any, ...]] = (),
    repeat: bool = True,
) -> Any:
    """A table that fits the frame: header band, thin rules, widths in points."""
    from reportlab.platypus import Table, TableStyle

    t = Table(
        _cells(rows),
        colWidths=list(widths),
        repeatRows=1 if header and repeat else 0,
        hAlign="LEFT",
    )
    t.setStyle(TableStyle([*table_style(header, zebra, len(rows)), *extra]))
    return t


def grid(
    rows: Sequence[Sequence[Any]], widths: Sequence[float], style: Sequence[tuple[Any, ...]] = ()
) -> Any:
    """A layout table (no rules): cells side by side, in the report's font."""
    from reportlab.platypus import Table, TableStyle

    t = Table(_cells(rows), colWidths=list(widths), hAlign="LEFT")
    # Without FONTNAME, reportlab selects Helvetica (not embedded) before drawing cells.
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SANS), *style]))
    return t


def warning_box(texts: Sequence[str], st: Styles) -> Any:
    """A framed, tinted box for what the reader must not miss (illustrative data, exclusions)."""
    from reportlab.lib import colors

    cells = [[para("⚠ " + t, st.warning)] for t in texts]
    return grid(
        cells,
        [FRAME_W],
        [
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(WARN_BG)),
            ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor(WARN_EDGE)),
            ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ],
    )


# The frame's inner size: reportlab's Frame keeps 6 points of padding on each side.
FRAME_INNER_W = FRAME_W - 12
FRAME_INNER_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 12


def stack_height(flowables: Sequence[Any], width: float = FRAME_INNER_W) -> float:
    """The height in points that ``flowables`` take one under the other (space included).

    Spaces before and after are all counted, so the sum is never short of the laid-out one.
    """
    total = 0.0
    for f in flowables:
        _, h = f.wrap(width, FRAME_INNER_H)
        total += h + f.getSpaceBefore() + f.getSpaceAfter()
    return total


def spacer(mm: float) -> Any:
    """Vertical space in millimetres."""
    from reportlab.platypus import Spacer

    return Spacer(1, mm * MM)


def _canvas_class(footer: str, lang: str) -> Any:
    """A canvas that writes "page n of N" and the footer once the page count is known."""
    from reportlab.lib import colors
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            self.saveState()
            self.setStrokeColor(colors.HexColor(RULE))
            self.setLineWidth(0.4)
            self.line(MARGIN_X, MARGIN_BOTTOM - 5 * MM, PAGE_W - MARGIN_X, MARGIN_BOTTOM - 5 * MM)
            self.setFont(FOOTER_FONT, FOOTER_SIZE)
            self.setFillColor(colors.HexColor(MUTED))
            page = tr("page {n} of {total}", lang, n=self._pageNumber, total=total)
            room = FRAME_W - text_width(page, FOOTER_FONT, FOOTER_SIZE) - 6 * MM
            text = shorten(printable(footer), room, FOOTER_FONT, FOOTER_SIZE)
            self.drawString(MARGIN_X, MARGIN_BOTTOM - 9 * MM, text)
            self.drawRightString(PAGE_W - MARGIN_X, MARGIN_BOTTOM - 9 * MM, page)
            self.restoreState()

    return NumberedCanvas


# The running header, above the frame from page 2 on: one line between the margins.
HEADER_FONT, HEADER_SIZE = SANS_BOLD, 7.5
FOOTER_FONT, FOOTER_SIZE = SANS, 7.0


def header_line(title: str) -> str:
    """The running header as drawn: ``title`` cut after a word to the width of the frame.

    The reports fit the site's name (with its id) themselves; this only catches the rest (a
    long project name), so that no header runs off the page.
    """
    return shorten(printable(title), FRAME_W, HEADER_FONT, HEADER_SIZE)


def _header(title: str) -> Any:
    from reportlab.lib import colors

    def draw(canvas: Any, doc: Any) -> None:
        if doc.page == 1:
            return
        canvas.saveState()
        canvas.setFont(HEADER_FONT, HEADER_SIZE)
        canvas.setFillColor(colors.HexColor(MUTED))
        canvas.drawString(MARGIN_X, PAGE_H - MARGIN_TOP + 8 * MM, header_line(title))
        canvas.setStrokeColor(colors.HexColor(RULE))
        canvas.setLineWidth(0.4)
        y = PAGE_H - MARGIN_TOP + 6 * MM
        canvas.line(MARGIN_X, y, PAGE_W - MARGIN_X, y)
        canvas.restoreState()

    return draw


def build_pdf(
    story: list[Any], *, title: str, subject: str, running_title: str, footer: str, lang: str
) -> bytes:
    """Lay out ``story`` on A4 pages with a running title and "page n of N"; the PDF bytes."""
    from reportlab import rl_config
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=(PAGE_W, PAGE_H),
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=printable(title),
        subject=printable(subject),
        author="siteassess",
        creator=f"siteassess {__version__}",
        lang="fr-FR" if lang == "fr" else "en-GB",
        initialFontName=SANS,
        invariant=True,
    )
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="f")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_header(running_title))])
    # Binary streams: without reportlab's C accelerator, ASCII85-encoding the map images in
    # Python costs a third of a second per report and makes the file 25 % larger. Drawings
    # (vector charts) start from defaultGraphicsFontName: Helvetica, never embedded, unless set.
    keys = ("useA85", "canvas_basefontname", "defaultGraphicsFontName")
    saved = {k: getattr(rl_config, k) for k in keys}
    for key, value in zip(keys, (0, SANS, SANS), strict=True):
        setattr(rl_config, key, value)
    try:
        doc.build(story, canvasmaker=_canvas_class(footer, lang))
    finally:
        for key, value in saved.items():
            setattr(rl_config, key, value)
    return buf.getvalue()


def check_pdf_target(target: Path) -> None:
    """Refuse an output that cannot be a PDF file (a folder, a missing folder, no .pdf)."""
    if target.is_dir():
        raise OutputError(f"{target} is a folder: give a file name ending in .pdf")
    if target.suffix.lower() != ".pdf":
        raise OutputError(f"{target}: give a file name ending in .pdf")
    folder = target.parent if str(target.parent) else Path()
    if not folder.is_dir():
        raise OutputError(f"{target}: the folder {folder} does not exist")


def write_pdf(target: Path, data: bytes) -> Path:
    """Write the PDF atomically: a complete file or none."""
    check_pdf_target(target)
    atomic_write_bytes(target, data)
    return target


def footer_text(project_name: str, day: dt.date, lang: str) -> str:
    """The footer line: project (cut after a word if long), date and the siteassess version."""
    register_fonts()
    return tr(
        "{project} · {date} · siteassess {version}",
        lang,
        project=shorten(printable(project_name), FRAME_W * 0.45, FOOTER_FONT, FOOTER_SIZE),
        date=format_date(day, lang),
        version=__version__,
    )
