"""The app's language: French or English, and its French texts.

The app uses the same catalogue as the rest of siteassess: texts are written in English
in the code and looked up in the gettext catalogue of :mod:`siteassess.i18n`
(``tr("Score")`` → ``"Note"`` in French; :func:`trn` for a count, :func:`trp` for a word
with several senses). French is the default on a French system; the View menu switches at
run time. Qt's own texts (dialog buttons, file dialogs) come from Qt's catalogue, installed
by :func:`siteassess.ui.process.apply_locale`.
"""

from __future__ import annotations

import datetime as dt

from siteassess.i18n import (
    LANGUAGES,
    default_language,
    format_datetime,
    has_translation,
    localise,
    localise_n,
    localise_p,
)

_state = {"lang": default_language()}

# Texts the app asked for in French that the catalogue lacks (the tests keep this empty).
UNTRANSLATED: set[str] = set()


def _note(text: str, context: str | None = None) -> None:
    lang = _state["lang"]
    if lang != "en" and not has_translation(text, lang, context):
        UNTRANSLATED.add(text if context is None else f"{context}|{text}")


def language() -> str:
    """The current language of the app (``fr`` or ``en``)."""
    return _state["lang"]


def set_language(lang: str) -> None:
    """Switch the app's language (widgets re-read their texts via ``retranslate``)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    _state["lang"] = lang


def tr(text: str) -> str:
    """``text`` in the current language, with French punctuation in French.

    Texts with ``{placeholders}`` are translated first and formatted by the caller, so the
    values themselves are never altered: ``tr("Score: {v}").format(v=...)``.
    """
    _note(text)
    return localise(text, _state["lang"])


def trn(singular: str, plural: str, n: int) -> str:
    """The form of a text for the count ``n`` in the current language, to be formatted.

    ``trn("{n} problem", "{n} problems", k).format(n=k)``: in French 0 and 1 take the
    singular (``0 problème``, ``1 problème``, ``2 problèmes``).
    """
    _note(singular)
    return localise_n(singular, plural, n, _state["lang"])


def trp(context: str, text: str) -> str:
    """``text`` in the current language in the sense ``context`` names."""
    _note(text, context)
    return localise_p(context, text, _state["lang"])


def format_timestamp(moment: dt.datetime | str) -> str:
    """A date and time as the app shows it, in the current language (an ISO text too).

    ``2 décembre 2026 à 14 h 05`` in French, ``2 December 2026, 14:05`` in English; a text
    that is not an ISO time is shown as it is.
    """
    if isinstance(moment, str):
        try:
            return format_datetime(dt.datetime.fromisoformat(moment), _state["lang"])
        except ValueError:
            return moment
    return format_datetime(moment, _state["lang"])
