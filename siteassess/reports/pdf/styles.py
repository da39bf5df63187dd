"""Page size, colours and paragraph and table styles of the PDF reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from siteassess.reports.mapstyle import CRITERION_COLOURS as CRITERION_COLOURS
from siteassess.reports.mapstyle import INK as INK
from siteassess.reports.mapstyle import MUTED as MUTED
from siteassess.reports.mapstyle import SITE_COLOURS as SITE_COLOURS
from siteassess.reports.pdf.fonts import MONO, SANS, SANS_BOLD, SANS_ITALIC, register_fonts

MM = 72 / 25.4  # points per millimetre
PAGE_W, PAGE_H = 210 * MM, 297 * MM  # A4 portrait
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 18 * MM, 20 * MM, 18 * MM
FRAME_W = PAGE_W - 2 * MARGIN_X

# Colours (hex) shared with the maps and charts so a site keeps its colour everywhere
# (INK, MUTED, SITE_COLOURS and CRITERION_COLOURS come from siteassess.reports.mapstyle).
ACCENT = "#1f5f8b"
RULE = "#c9d2da"
BAND = "#eef3f7"
BEST = "#d9f0d3"
WARN_BG = "#fff4d6"
WARN_EDGE = "#d4a017"
EXCLUDED = "#b2182b"


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of a report, by role."""

    title: Any
    full_name: Any
    subtitle: Any
    h1: Any
    h2: Any
    body: Any
    small: Any
    muted: Any
    caption: Any
    cell: Any
    cell_small: Any
    cell_bold: Any
    cell_right: Any
    cell_head: Any
    cell_head_right: Any
    mono: Any
    warning: Any
    big_number: Any
    big_label: Any


def make_styles() -> Styles:
    """Paragraph styles in DejaVu Sans (registers the fonts on first use)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    ink = colors.HexColor(INK)
    muted = colors.HexColor(MUTED)
    base = ParagraphStyle("body", fontName=SANS, fontSize=9.5, leading=13, textColor=ink)

    def derive(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return Styles(
        title=derive("title", fontName=SANS_BOLD, fontSize=22, leading=27, spaceAfter=4),
        full_name=derive("full_name", fontSize=9, leading=12, textColor=muted, spaceAfter=4),
        subtitle=derive("subtitle", fontSize=12, leading=16, textColor=muted, spaceAfter=10),
        h1=derive(
            "h1",
            keepWithNext=1,
            fontName=SANS_BOLD,
            fontSize=14,
            leading=18,
            spaceBefore=10,
            spaceAfter=6,
            textColor=colors.HexColor(ACCENT),
        ),
        h2=derive(
            "h2",
            keepWithNext=1,
            fontName=SANS_BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=8,
            spaceAfter=3,
        ),
        body=derive("body2", spaceAfter=4),
        small=derive("small", fontSize=8, leading=10.5),
        muted=derive("muted", fontSize=8, leading=10.5, textColor=muted),
        caption=derive("caption", fontName=SANS_ITALIC, fontSize=7.5, leading=9.5, textColor=muted),
        cell=derive("cell", fontSize=8, leading=10),
        cell_small=derive("cell_small", fontSize=7, leading=9),
        cell_bold=derive("cell_bold", fontName=SANS_BOLD, fontSize=8, leading=10),
        cell_right=derive("cell_right", fontSize=8, leading=10, alignment=TA_RIGHT),
        cell_head=derive(
            "cell_head", fontName=SANS_BOLD, fontSize=8, leading=10, textColor=colors.white
        ),
        cell_head_right=derive(
            "cell_head_right",
            fontName=SANS_BOLD,
            fontSize=8,
            leading=10,
            textColor=colors.white,
            alignment=TA_RIGHT,
        ),
        mono=derive("mono", fontName=MONO, fontSize=6.5, leading=8.5),
        warning=derive("warning", fontSize=8.5, leading=11.5),
        big_number=derive(
            "big_number",
            fontName=SANS_BOLD,
            fontSize=26,
            leading=30,
            alignment=TA_CENTER,
            textColor=colors.HexColor(ACCENT),
        ),
        big_label=derive(
            "big_label", fontSize=8.5, leading=11, alignment=TA_CENTER, textColor=muted
        ),
    )


def table_style(header: bool = True, zebra: bool = True, rows: int = 0) -> list[tuple[Any, ...]]:
    """Table style commands: header band, thin rules, optional zebra rows."""
    from reportlab.lib import colors

    cmds: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor(RULE)),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        cmds += [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(ACCENT)),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
            ("FONTNAME", (0, 0), (-1, 0), SANS_BOLD),
            ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ]
    if zebra:
        for r in range(1 if header else 0, rows, 2):
            cmds.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor(BAND)))
    return cmds
