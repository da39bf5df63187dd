"""French and English: message catalogues and number formatting, shared by the app and reports.

Texts are written in English in the code and looked up in the French catalogue
(``translate("Score", "fr")`` → ``"Note"``); each package registers its own catalogue
with :func:`register`. French typography: decimal comma, a narrow no-break space as the
thousands separator, and a no-break space before ``:`` ``;`` ``?`` ``!`` and ``%``.
Dates and times are written out in the language (``2 décembre 2026 à 14 h 05``), never
as ISO text and never through the system locale.
"""

from __future__ import annotations

import datetime as dt
import locale
import math
import os
import re
from collections.abc import Mapping

LANGUAGES = ("fr", "en")
NBSP = "\u00a0"  # no-break space (before : and %)
NNBSP = "\u202f"  # narrow no-break space (thousands, before ; ? !)

_CATALOGUES: dict[str, dict[str, str]] = {"fr": {}, "en": {}}


def register(lang: str, messages: Mapping[str, str]) -> None:
    """Add translations (English text → text in ``lang``)."""
    if lang not in _CATALOGUES:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    _CATALOGUES[lang].update(messages)


def translate(text: str, lang: str) -> str:
    """``text`` in ``lang`` (the English text itself when there is no translation)."""
    return _CATALOGUES.get(lang, {}).get(text, text)


def default_language() -> str:
    """French on a French system (LANG, LC_ALL, or the Windows user locale), else English."""
    for var in ("SITEASSESS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "fr" if loc.lower().startswith(("fr", "french")) else "en"


def format_number(value: float | None, lang: str, decimals: int = 1, unit: str = "") -> str:
    """A number as a planner reads it: ``1 234,5 km`` in French, ``1,234.5 km`` in English.

    NaN or None gives ``n/a`` (``n.d.`` in French): not measured, never 0.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n.d." if lang == "fr" else "n/a"
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    if unit:
        text += (NBSP if unit != "%" or lang == "fr" else "") + unit
    return text


_BEFORE_COLON = re.compile(r"\s*([:])(?=\s|$)")
_BEFORE_OTHER = re.compile(r"\s*([;?!])(?=\s|$)")


def french_punctuation(text: str) -> str:
    """Insert the no-break spaces French typography wants before ``: ; ? !``."""
    text = _BEFORE_COLON.sub(NBSP + r"\1", text)
    return _BEFORE_OTHER.sub(NNBSP + r"\1", text)


def localise(text: str, lang: str) -> str:
    """Translate ``text`` and apply the language's punctuation rules."""
    out = translate(text, lang)
    return french_punctuation(out) if lang == "fr" else out


MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def format_date(day: dt.date, lang: str) -> str:
    """``22 novembre 2026`` in French, ``22 November 2026`` in English."""
    if lang == "fr":
        return f"{'1er' if day.day == 1 else day.day} {MONTHS_FR[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"  # not strftime: locale-free


def format_datetime(moment: dt.datetime, lang: str) -> str:
    """``2 décembre 2026 à 14 h 05`` in French, ``2 December 2026, 14:05`` in English."""
    day = format_date(moment.date(), lang)
    if lang == "fr":
        return f"{day} à {moment.hour}{NBSP}h{NBSP}{moment.minute:02d}"
    return f"{day}, {moment.hour:02d}:{moment.minute:02d}"
