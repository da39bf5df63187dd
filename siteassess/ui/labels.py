"""What the app calls things: roles, criteria and measures, with units and formatting.

No Qt here: the table, the detail panel and the compare view all read these, so a
measure has one label, one unit and one number of decimals everywhere. The measures'
labels live in :mod:`siteassess.vocabulary`, shared with the spreadsheets; this module
gives them in the app's current language.
"""

from __future__ import annotations

import math
from typing import Any

from siteassess import vocabulary
from siteassess.i18n import format_number
from siteassess.project import ROLE_TITLES
from siteassess.ui.i18n_ui import language, tr
from siteassess.vocabulary import SCENARIO_LABELS as SCENARIO_LABELS
from siteassess.vocabulary import MeasureInfo as MeasureInfo


def role_label(role: str) -> str:
    """The role as the planner reads it (``flood`` → ``Zones inondables``)."""
    return tr(ROLE_TITLES.get(role, role))


def criterion_label(name: str) -> str:
    """A criterion's title in the current language (its short title, as it declares it)."""
    from siteassess.criteria import CRITERIA

    crit = CRITERIA.get(name)
    return tr(crit.label) if crit is not None else name


def measure_info(key: str) -> MeasureInfo:
    """Label, unit and decimals of any measure column, in the current language."""
    return vocabulary.measure_info(key, language())


def as_float(value: Any) -> float:
    """A measure value as a float (NaN when it is missing or not a number)."""
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out


def format_measure(key: str, value: Any, *, unit: bool = True) -> str:
    """A measure's value with its unit, in the current language (``n.d.`` when unknown)."""
    info = measure_info(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return fmt(None)
    if isinstance(value, str):
        return value
    number = as_float(value)
    if not math.isnan(number) and vocabulary.is_flag(key):
        return tr("yes") if number else tr("no")
    return fmt(number * info.scale, info.decimals, info.unit if unit else "")


def fmt(value: float | None, decimals: int = 1, unit: str = "") -> str:
    """A number in the current language (decimal comma in French), with its unit."""
    return format_number(value, language(), decimals, unit)


def fmt_pct(share: float | None, decimals: int = 0) -> str:
    """A share 0..1 as a percentage (``0,25`` → ``25 %``)."""
    if share is None or math.isnan(share):
        return fmt(None)
    return fmt(share * 100, decimals, "%")
