"""Exclusion reasons and data issues in the reader's language.

The core gives them structured (:class:`siteassess.errors.Reason`: a code, an English
template that is the catalogue's message id, the values); here the template is translated
and each value written in the language. One function for every presenter (PDF,
spreadsheet, app): no presenter knows a criterion or parses an English sentence.
"""

from __future__ import annotations

from siteassess import vocabulary
from siteassess.errors import DataIssue, Name, Quantity, Reason, Term, Value
from siteassess.i18n import french_punctuation, localise, translate
from siteassess.reports import i18n_reports
from siteassess.reports.i18n_reports import display_name, number, tr

__all__ = ["issue_action", "issue_message", "issue_text", "layer_name", "reason_text"]


def _decimals(value: float) -> int:
    """As few decimals as the value needs (up to 3), like ``{value:g}``."""
    for d in range(4):
        if abs(round(value, d) - value) < 1e-9:
            return d
    return 3


def translated(text: str, lang: str) -> str:
    """``text`` in ``lang`` from any catalogue (the core's holds the reasons' templates).

    A text no catalogue translates is noted in ``i18n_reports.UNTRANSLATED``, which the
    tests keep empty.
    """
    if lang == "en":
        return text
    out = translate(text, lang)
    if out == text:
        i18n_reports.UNTRANSLATED.add(text)
    return french_punctuation(out) if lang == "fr" else out


def value_text(value: Value, lang: str) -> str:
    """One value of a reason, written in ``lang``."""
    if isinstance(value, Quantity):
        d = _decimals(value.value) if value.decimals is None else value.decimals
        return number(value.value, lang, d, value.unit)
    if isinstance(value, Term):
        return translated(value.text, lang)
    if isinstance(value, Name):
        return display_name(value.text)
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return number(value, lang, 0)
    if isinstance(value, float):
        return number(value, lang, _decimals(value))
    return str(value)


def reason_text(reason: Reason, lang: str) -> str:
    """The reason as a sentence in ``lang`` (English: the core's own sentence)."""
    if lang == "en":
        return reason.text()
    text = translated(reason.template, lang)
    if not reason.values:
        return text
    return text.format(**{k: value_text(v, lang) for k, v in reason.values})


def layer_name(layer: str, lang: str) -> str:
    """An issue's layer as the reader knows it: a role or criterion by its title."""
    if lang == "en":
        return layer
    from siteassess.criteria import CRITERIA
    from siteassess.roles import ROLE_TITLES

    if layer in ROLE_TITLES:
        return vocabulary.role_title(layer, lang)
    if layer in CRITERIA:
        return tr(CRITERIA[layer].title, lang)
    if layer == "project":
        return tr("Project", lang)
    return layer  # a layer's own label (a file name)


def issue_message(issue: DataIssue, lang: str) -> str:
    """What the issue says, in ``lang`` (an issue given as plain text: its catalogue entry)."""
    if issue.reason is not None:
        return reason_text(issue.reason, lang)
    return localise(issue.message, lang)


def issue_action(issue: DataIssue, lang: str) -> str:
    """What siteassess did about it, in ``lang`` (empty when nothing)."""
    if issue.remedy is not None:
        return reason_text(issue.remedy, lang)
    return localise(issue.action, lang) if issue.action else ""


def issue_text(issue: DataIssue, lang: str) -> str:
    """``layer: message — action`` in ``lang``."""
    action = issue_action(issue, lang)
    return tr(
        "{layer}: {message}",
        lang,
        layer=layer_name(issue.layer, lang),
        message=issue_message(issue, lang),
    ) + (f" — {action}" if action else "")
