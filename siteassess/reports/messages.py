"""Exclusion reasons and data issues in the reader's language.

The core gives them structured (:class:`siteassess.errors.Reason`: a code, an English
template that is the catalogue's message id, the values); here the template is translated
and each value written in the language. One function for every presenter (PDF,
spreadsheet, app): no presenter knows a criterion or parses an English sentence.
"""

from __future__ import annotations

import re

from siteassess import vocabulary
from siteassess.errors import DataIssue, Listing, Name, Quantity, Reason, Term, Value
from siteassess.i18n import french_punctuation, has_translation, localise_p, translate
from siteassess.reports import i18n_reports
from siteassess.reports.i18n_reports import display_name, number, tr

__all__ = [
    "issue_action",
    "issue_message",
    "issue_text",
    "layer_name",
    "phrase_text",
    "reason_text",
    "value_text",
]


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
    if not has_translation(text, lang):
        i18n_reports.UNTRANSLATED.add(text)
    out = translate(text, lang)
    return french_punctuation(out) if lang == "fr" else out


def value_text(value: Value, lang: str) -> str:
    """One value of a reason, written in ``lang``."""
    if isinstance(value, Quantity):
        d = _decimals(value.value) if value.decimals is None else value.decimals
        return number(value.value, lang, d, value.unit)
    if isinstance(value, Term):
        if value.context and lang != "en":
            return localise_p(value.context, value.text, lang)
        return translated(value.text, lang)
    if isinstance(value, Name):
        return display_name(value.text)
    if isinstance(value, Reason):
        return phrase_text(value, lang)
    if isinstance(value, Listing):
        return value.sep.join(value_text(v, lang) for v in value.items)
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return number(value, lang, 0)
    if isinstance(value, float):
        return number(value, lang, _decimals(value))
    return str(value)


def phrase_text(reason: Reason, lang: str) -> str:
    """A sentence a presenter writes (a criterion's explanation), in ``lang``: the template
    translated, numbers kept with their units, each value written in the language (in
    English too, unlike :func:`reason_text`, which keeps the core's own sentence)."""
    return tr(reason.template, lang, **{k: value_text(v, lang) for k, v in reason.values})


def reason_text(reason: Reason, lang: str) -> str:
    """The reason as a sentence in ``lang`` (English: the core's own sentence)."""
    if lang == "en":
        return reason.text()
    text = translated(reason.template, lang)
    if not reason.values:
        return text
    return text.format(**{k: value_text(v, lang) for k, v in reason.values})


_ROLE_LABEL = re.compile(r"(?P<role>[a-z_]+) \((?P<file>[^()]*)\)")


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
    # A layer without a name is labelled "role (file name)" (LayerSpec.label).
    found = _ROLE_LABEL.fullmatch(layer)
    if found and found["role"] in ROLE_TITLES:
        return vocabulary.layer_label(found["role"], None, found["file"], lang)
    return layer  # the name the project gives the layer


def issue_message(issue: DataIssue, lang: str) -> str:
    """What the issue says, in ``lang`` (an issue given as plain text: its catalogue entry)."""
    if issue.reason is not None:
        return reason_text(issue.reason, lang)
    return translated(issue.message, lang)


def issue_action(issue: DataIssue, lang: str) -> str:
    """What siteassess did about it, in ``lang`` (empty when nothing)."""
    if issue.remedy is not None:
        return reason_text(issue.remedy, lang)
    return translated(issue.action, lang) if issue.action else ""


def issue_text(issue: DataIssue, lang: str) -> str:
    """``layer: message — action`` in ``lang``."""
    action = issue_action(issue, lang)
    return tr(
        "{layer}: {message}",
        lang,
        layer=layer_name(issue.layer, lang),
        message=issue_message(issue, lang),
    ) + (f" — {action}" if action else "")
