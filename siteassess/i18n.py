"""French and English: message catalogues and number formatting, shared by the app and reports.

Texts are written in English in the code (the msgid) and translated through the gettext
catalogue ``siteassess/locale/<lang>/LC_MESSAGES/siteassess.po``, compiled to a ``.mo``
and read with the standard library's :mod:`gettext` (``translate("Score", "fr")`` →
``"Note"``). :func:`ngettext` chooses a plural form (French: 0 and 1 are singular) and
:func:`pgettext` a sense (``pgettext("flood scenario", "medium", "fr")`` → ``"moyen"``).
The ``.mo`` is found with :mod:`importlib.resources`, so a frozen bundle reads it too; in
a checkout it is compiled from the ``.po`` (with Babel) when missing or older than the
``.po``. French typography: decimal comma, a narrow no-break space as the thousands
separator, and a no-break space before ``:`` ``;`` ``?`` ``!`` and ``%``. Dates and times
are written out in the language (``2 décembre 2026 à 14 h 05``), never as ISO text and
never through the system locale.

New texts: ``pybabel extract -F pyproject.toml -o siteassess/locale/siteassess.pot
siteassess`` lists them (the keywords are in pyproject's ``[tool.babel]``);
tests/test_i18n.py names every msgid the ``.po`` lacks.
"""

from __future__ import annotations

import datetime as dt
import gettext
import locale
import logging
import math
import os
import re
import threading
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

LANGUAGES = ("fr", "en")
NBSP = "\u00a0"  # no-break space (before : and %)
NNBSP = "\u202f"  # narrow no-break space (thousands, before ; ? !)
DOMAIN = "siteassess"

log = logging.getLogger(__name__)

# Texts added at run time by register(): those of criteria a project file declares (the
# .po is siteassess's catalogue; its translation always wins).
_CATALOGUES: dict[str, dict[str, str]] = {"fr": {}, "en": {}}
_LOADED: dict[str, gettext.NullTranslations] = {}
_LOCK = threading.Lock()


class _Catalogue(gettext.GNUTranslations):
    """A compiled catalogue that can tell whether it holds a message."""

    def has(self, text: str, context: str | None = None) -> bool:
        """True when ``text`` (in ``context``) has a translation here."""
        key = f"{context}\x04{text}" if context is not None else text
        return key in self._catalog or (key, 0) in self._catalog  # type: ignore[attr-defined]


def register(lang: str, messages: Mapping[str, str]) -> None:
    """Add translations (English text → text in ``lang``) for texts the .po lacks.

    For texts no catalogue can know: a criterion declared in a project file (its label in
    the planner's words, see ``siteassess.criteria.declared_build``). siteassess's own texts
    belong in ``siteassess/locale``; the .po wins over these.
    """
    if lang not in _CATALOGUES:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    _CATALOGUES[lang].update(messages)


def catalogue_files(lang: str) -> tuple[Path, Path]:
    """The ``.mo`` and ``.po`` of ``lang`` (the .po exists in a checkout, not when frozen)."""
    folder = resources.files("siteassess") / "locale" / lang / "LC_MESSAGES"
    return Path(str(folder / f"{DOMAIN}.mo")), Path(str(folder / f"{DOMAIN}.po"))


def compile_catalogue(po: Path, mo: Path) -> None:
    """Compile ``po`` into ``mo`` with Babel (a dev dependency), atomically."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f, domain=DOMAIN)
    tmp = mo.with_name(f".{mo.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with tmp.open("wb") as f:
        write_mo(f, catalog)
    tmp.replace(mo)


def compiled_catalogues() -> list[Path]:
    """Every language's ``.mo``, compiled first from its ``.po`` when stale (for the build)."""
    folder = Path(str(resources.files("siteassess") / "locale"))
    out = []
    for po in sorted(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        if _stale(po, mo):
            compile_catalogue(po, mo)
        out.append(mo)
    return out


def _stale(po: Path, mo: Path) -> bool:
    """True when a checkout's ``.po`` is newer than its ``.mo`` (or there is no ``.mo``)."""
    if not po.is_file():
        return False  # frozen or installed: the .mo is what there is
    return not mo.is_file() or mo.stat().st_mtime < po.stat().st_mtime


def translations(lang: str) -> gettext.NullTranslations:
    """The gettext catalogue of ``lang`` (English, the msgids, has none: they are shown)."""
    found = _LOADED.get(lang)
    if found is not None:
        return found
    with _LOCK:
        if lang in _LOADED:
            return _LOADED[lang]
        mo, po = catalogue_files(lang)
        if _stale(po, mo):
            try:
                compile_catalogue(po, mo)
            except (ImportError, OSError) as exc:  # no Babel, or a read-only folder
                log.warning("cannot compile %s (%s): using %s as it is", po, exc, mo.name)
        cat: gettext.NullTranslations
        if mo.is_file():
            with mo.open("rb") as f:
                cat = _Catalogue(f)
        else:
            if lang != "en":
                log.warning("no %s catalogue (%s): texts stay in English", lang, mo)
            cat = gettext.NullTranslations()
        _LOADED[lang] = cat
        return cat


def reload_catalogues() -> None:
    """Forget the loaded catalogues (read again, and compiled if stale, on next use)."""
    with _LOCK:
        _LOADED.clear()


def has_translation(text: str, lang: str, context: str | None = None) -> bool:
    """True when the catalogue of ``lang`` translates ``text`` (always true in English)."""
    if lang == "en":
        return True
    cat = translations(lang)
    if isinstance(cat, _Catalogue) and cat.has(text, context):
        return True
    return context is None and text in _CATALOGUES.get(lang, {})


def translate(text: str, lang: str) -> str:
    """``text`` in ``lang`` (the English text itself when there is no translation)."""
    if lang == "en":
        return text
    cat = translations(lang)
    if isinstance(cat, _Catalogue) and cat.has(text):
        return cat.gettext(text)
    return _CATALOGUES.get(lang, {}).get(text, text)


def ngettext(singular: str, plural: str, n: int, lang: str) -> str:
    """The form of a text for a count ``n`` in ``lang`` (French: 0 and 1 take the singular).

    ``ngettext("{n} problem", "{n} problems", 0, "fr")`` → ``"{n} problème"``; the caller
    fills in ``{n}``.
    """
    if lang == "en":
        return singular if n == 1 else plural
    return translations(lang).ngettext(singular, plural, n)


def pgettext(context: str, text: str, lang: str) -> str:
    """``text`` in ``lang`` in the sense ``context`` names (``"flood scenario"``)."""
    if lang == "en":
        return text
    return translations(lang).pgettext(context, text)


def N_(text: str) -> str:  # noqa: N802 - the gettext name for "mark, translate later"
    """``text`` itself: marks a text of a table for extraction, translated where it is shown."""
    return text


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


def localise_n(singular: str, plural: str, n: int, lang: str) -> str:
    """:func:`ngettext`, with the language's punctuation rules."""
    out = ngettext(singular, plural, n, lang)
    return french_punctuation(out) if lang == "fr" else out


def localise_p(context: str, text: str, lang: str) -> str:
    """:func:`pgettext`, with the language's punctuation rules."""
    out = pgettext(context, text, lang)
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
