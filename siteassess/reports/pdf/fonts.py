"""The fonts of the PDF reports: DejaVu Sans, which ships inside matplotlib, embedded.

reportlab's base-14 fonts are Latin-1 only and never embedded; DejaVu Sans covers French
(œ, ’, no-break spaces), the units (µ, ≥, ×) and the warning sign, and reportlab embeds
the subset a report uses.
"""

from __future__ import annotations

from pathlib import Path

from siteassess.errors import SiteAssessError

SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
SANS_ITALIC = "DejaVuSans-Oblique"
SANS_BOLD_ITALIC = "DejaVuSans-BoldOblique"
MONO = "DejaVuSansMono"

_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    SANS_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    MONO: "DejaVuSansMono.ttf",
}
_registered = False


def font_folder() -> Path:
    """matplotlib's folder of TrueType fonts."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def register_fonts() -> None:
    """Register the DejaVu fonts with reportlab once per process (embedded when used)."""
    global _registered
    if _registered:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = font_folder()
    for name, file in _FILES.items():
        path = folder / file
        if not path.is_file():
            raise SiteAssessError(
                f"font {path} not found: the PDF reports need the DejaVu fonts that ship with "
                "matplotlib; reinstall matplotlib"
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC, boldItalic=SANS_BOLD_ITALIC
    )
    _registered = True
