"""Report texts in French and English, and how reports write numbers and names.

Texts are written in English in the code, through :func:`tr` (:func:`trn` for a count,
:func:`trp` for a word with several senses) with a literal first argument, so that Babel
extracts them; their French is in the gettext catalogue (``siteassess/locale``, a test
checks that each has an entry).
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from siteassess.i18n import format_number, has_translation, localise, localise_n, localise_p

__all__ = [
    "display_name",
    "distance_text",
    "measure_text",
    "number",
    "percent",
    "tr",
    "trn",
    "trp",
]


# English texts asked for in French without a French entry (the tests keep this empty).
UNTRANSLATED: set[str] = set()


def _filled(out: str, values: dict[str, Any]) -> str:
    """A translated text with numbers kept with their units, then filled with ``values``."""
    out = _UNIT_SPACE.sub("\u00a0", out)
    return out.format(**values) if values else out


def tr(text: str, lang: str, /, **values: Any) -> str:
    """``text`` in ``lang`` (French punctuation applied), then filled with ``values``."""
    if not has_translation(text, lang):
        UNTRANSLATED.add(text)
    return _filled(localise(text, lang), values)


def trn(singular: str, plural: str, n: int, lang: str, /, **values: Any) -> str:
    """The form of a text for the count ``n`` (``1 problème``, ``3 problèmes``), filled in.

    ``{n}`` is ``n`` unless ``values`` gives it (a formatted number).
    """
    if not has_translation(singular, lang):
        UNTRANSLATED.add(singular)
    values.setdefault("n", n)
    return _filled(localise_n(singular, plural, n, lang), values)


def trp(context: str, text: str, lang: str, /, **values: Any) -> str:
    """``text`` in the sense ``context`` names (``trp("flood scenario", "medium", lang)``)."""
    if not has_translation(text, lang, context):
        UNTRANSLATED.add(f"{context}|{text}")
    return _filled(localise_p(context, text, lang), values)


# A number and its unit stay on one line: "400 kV" → "400\u00a0kV".
_UNIT_SPACE = re.compile(r"(?<=\d) (?=(?:kV|MW|GW|km|ms|ha|m|µs/km|ans|years|MW/ha)\b)")


def colon(lang: str) -> str:
    """The separator after a label: ``": "``, with a no-break space before it in French."""
    return "\u00a0: " if lang == "fr" else ": "


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' missing values: "not measured", never 0."""
    if value is None or value is pd.NA:
        return True
    try:
        return bool(math.isnan(float(value)))
    except (TypeError, ValueError):
        return False


def number(value: Any, lang: str, decimals: int = 1, unit: str = "") -> str:
    """A number with the language's decimal mark and a no-break space before its unit."""
    if is_missing(value):
        return format_number(None, lang)
    shown = round(float(value), decimals)
    return format_number(shown if shown != 0 else 0.0, lang, decimals, unit)  # never "-0.0"


def percent(share: Any, lang: str, decimals: int = 1) -> str:
    """A share 0..1 as a percentage (``0.25`` → ``25.0%``, ``25,0 %`` in French)."""
    if is_missing(share):
        return format_number(None, lang)
    return format_number(float(share) * 100, lang, decimals, "%")


def distance_text(metres: Any, lang: str) -> str:
    """A distance: whole metres below 1 km, else km with one decimal (``650 m``, ``3.9 km``)."""
    if is_missing(metres):
        return format_number(None, lang)
    m = float(metres)
    if abs(m) < 1000:
        return format_number(m, lang, 0, "m")
    return format_number(m / 1000, lang, 1, "km")


def display_name(name: Any) -> str:
    """A feature name as a planner reads it: RTE's capitals in title case (``Bouchain``)."""
    if is_missing(name):
        return "—"
    text = str(name).strip()
    if text.isupper():
        text = _CAPITAL_WORD.sub(_title_word, text).replace("'S ", "'s ").replace("’S ", "’s ")
    return text


_CAPITAL_WORD = re.compile(r"[^\W\d_]+")
# Acronyms met in Cartofriches and RTE names that have a vowel (vowel-less words, BP or
# SNCF, are kept in capitals anyway).
_ACRONYMS = {"EDF", "GDF", "ZAC", "ZA", "ZI", "ZAE", "RTE", "SA", "SAS", "SARL", "SNCF", "EPF"}


def _title_word(m: re.Match[str]) -> str:
    """One capitalised word in title case, unless it reads as an acronym (BP, EDF, SNCF)."""
    word = m.group(0)
    acronym = word in _ACRONYMS or not re.search(r"[AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ]", word)
    return word if acronym else word.capitalize()


def trim_zeros(text: str, lang: str) -> str:
    """Drop an all-zero decimal part: ``20.0 km`` → ``20 km``, ``10,00 ms`` → ``10 ms``."""
    mark = "," if lang == "fr" else "."
    return re.sub(re.escape(mark) + r"0+(?!\d)", "", text)


# Decimals and display unit by unit suffix of a measure's name.
_MEASURE_FORMATS: tuple[tuple[str, int, str], ...] = (
    ("_mw_per_ha", 1, "MW/ha"),
    ("_pct", 1, "%"),
    ("_ms", 2, "ms"),
    ("_km", 1, "km"),
    ("_ha", 1, "ha"),
    ("_kv", 0, "kV"),
)


def measure_text(name: str, value: Any, lang: str) -> str:
    """A measured value with its unit, by the unit in its name (``_m`` → metres or km)."""
    if is_missing(value):
        return format_number(None, lang)
    if isinstance(value, str):
        return display_name(value)
    from siteassess.criteria import MEASURES

    spec = MEASURES.get(name)
    if spec is not None and spec.flag:  # a yes/no measure stored as 1/0
        return tr("yes", lang) if float(value) else tr("no", lang)
    if name.endswith("_m"):
        if spec is not None and spec.display_unit == "m":  # shown in metres, as declared
            return number(value, lang, spec.decimals, "m")
        return distance_text(value, lang)
    for suffix, decimals, unit in _MEASURE_FORMATS:
        if name.endswith(suffix):
            return number(value, lang, decimals, unit)
    if spec is not None:  # no unit in its name: as its criterion declares it
        return number(float(value) * spec.scale, lang, spec.decimals, spec.display_unit)
    return number(value, lang, 2)
