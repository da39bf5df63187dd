"""What siteassess calls its measures and ranking columns, with units and precision.

One table for every presenter: the app's ranking, detail panel and compare view (through
``siteassess.ui.labels``) and the spreadsheets (``siteassess.reports.spreadsheet``) read
their labels, display units and decimals here, in French or English. No Qt, no files.
Texts are English in the code; their French is in the gettext catalogue
(``siteassess/locale``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from siteassess.i18n import localise, localise_p

__all__ = [
    "RANKING_COLUMNS",
    "SCENARIO_LABELS",
    "ColumnInfo",
    "MeasureInfo",
    "declared_labels",
    "file_name",
    "is_flag",
    "is_known",
    "layer_label",
    "layer_phrase",
    "measure_info",
    "ranking_column",
    "resolution",
    "role_title",
    "stored_unit",
]

SCENARIO_LABELS = {
    "frequent": "frequent",
    "medium": "medium",
    "extreme": "extreme",
    "none": "no rule",
}


@dataclass(frozen=True)
class MeasureInfo:
    """How to show one measure: label, display unit, scale from the stored unit, decimals.

    ``better`` is ``"low"`` or ``"high"`` when a smaller or larger value is better, else
    None (a name, a voltage).
    """

    key: str
    label: str
    unit: str = ""
    scale: float = 1.0
    decimals: int = 1
    better: str | None = None

    @property
    def stored_decimals(self) -> int:
        """Decimals worth showing in the stored unit (km with 1 decimal → whole metres)."""
        return max(0, self.decimals + round(math.log10(self.scale)))


_MARKET_FR = {
    "paris": "Paris",
    "london": "Londres",
    "frankfurt": "Francfort",
    "amsterdam": "Amsterdam",
}

_ELISION = re.compile(r"\bde (?=[AEIOUÉ])")

_SUFFIX_UNITS: tuple[tuple[str, str], ...] = (
    ("_mw_per_ha", "MW/ha"),
    ("_pct", "%"),
    ("_ms", "ms"),
    ("_km", "km"),
    ("_ha", "ha"),
    ("_kv", "kV"),
    ("_m", "m"),
)


def _declared() -> dict[str, Any]:
    """The measures the criteria declare (imported when first needed: criteria are heavy)."""
    from siteassess.criteria import MEASURES

    return MEASURES


def _filled(label: str, word: str | None, lang: str) -> str:
    """A declared label in ``lang``, its market (``{m}``) or scenario (``{s}``) filled in."""
    text = localise(label, lang)
    if word is None:
        return text
    if "{m}" in label:
        name = _MARKET_FR.get(word, word.capitalize()) if lang == "fr" else word.capitalize()
        text = text.format(m=name)
        return _ELISION.sub("d’", text) if lang == "fr" else text  # « de Amsterdam »
    return text.format(s=localise_p("flood scenario", SCENARIO_LABELS.get(word, word), lang))


def measure_info(key: str, lang: str) -> MeasureInfo:
    """Label (in ``lang``), unit and decimals of any measure column, as its criterion
    declares it. A column no criterion declares keeps its key as its label."""
    m = _declared().get(key)
    if m is not None:
        label = _filled(m.label, m.word, lang)
        return MeasureInfo(key, label, m.display_unit, m.scale, m.decimals, m.better)
    unit = next((u for suffix, u in _SUFFIX_UNITS if key.endswith(suffix)), "")
    return MeasureInfo(key, key.replace("_", " "), unit)


def resolution(key: str) -> float:
    """The smallest meaningful difference of measure ``key``, in its stored unit.

    Below it a comparison marks no best value (★). The criterion declares it where its
    estimate is coarser than the decimals shown (distances from approximate outlines,
    round trips from a route factor, shares of zones drawn at map scale); otherwise one
    unit of the last decimal shown.
    """
    m = _declared().get(key)
    if m is not None and m.resolution is not None:
        return float(m.resolution)
    info = measure_info(key, "en")
    return 10.0**-info.stored_decimals


def stored_unit(key: str) -> str:
    """The unit a measure is stored in (``substation_distance_m`` → ``m``)."""
    m = _declared().get(key)
    if m is not None:
        return str(m.unit)
    return next((u for suffix, u in _SUFFIX_UNITS if key.endswith(suffix)), "")


def is_flag(key: str) -> bool:
    """True for a yes/no measure (stored as 1 or 0)."""
    m = _declared().get(key)
    return bool(m is not None and m.flag)


def is_known(key: str) -> bool:
    """True when a criterion declares ``key`` (so it has a label, not its own key)."""
    return key in _declared()


def declared_labels() -> list[str]:
    """Every declared measure's English label (for the catalogue's completeness tests)."""
    return sorted({m.label for m in _declared().values()})


def role_title(role: str, lang: str) -> str:
    """A layer role as the planner reads it (``substations`` → ``Postes électriques``)."""
    from siteassess.project import ROLE_TITLES

    return localise(ROLE_TITLES.get(role, role), lang)


def layer_phrase(role: str, name: str | None, lang: str) -> str:
    """How a sentence names a layer: by the name the project gives it, else by its role.

    ``la couche des zones inondables`` (role ``flood``), ``la couche « protected »``.
    """
    from siteassess.roles import REGISTRY

    if name:
        return localise("the layer “{name}”", lang).format(name=name)
    phrase = next((r.phrase for r in REGISTRY if r.name == role), "")
    return (
        localise(phrase, lang) if phrase else localise("the layer “{name}”", lang).format(name=role)
    )


def layer_label(role: str, name: str | None, path: str, lang: str) -> str:
    """How a table or list names a layer: its name, else its role's title and file name.

    ``Zones inondables — flood_illustrative.geojson``, never the role key ``flood``; only
    the file's name, never the folder it sits in on the author's machine.
    """
    if name:
        return name
    return f"{role_title(role, lang)} — {file_name(path)}"


def file_name(path: str | None) -> str:
    """The last part of a path (``/work/x/project.toml`` → ``project.toml``), on any OS."""
    text = str(path or "")
    return re.split(r"[\\/]", text.rstrip("\\/"))[-1] if text else ""


# ------------------------------------------------------------------------------ ranking


@dataclass(frozen=True)
class ColumnInfo:
    """One column of the ranking as a table shows it: label, unit of the stored value,
    decimals worth showing, and whether the value is a share 0..1 shown as a percentage.

    ``known`` is False when no table here names the column (its label is then its key).
    """

    key: str
    label: str
    unit: str = ""
    decimals: int = 0
    share: bool = False
    known: bool = True

    @property
    def header(self) -> str:
        """The label and, when there is one, the unit: ``Surface (ha)``."""
        return f"{self.label} ({self.unit})" if self.unit else self.label


# Columns of Assessment.ranked() that are not measures: English label, unit, decimals, share.
RANKING_COLUMNS: dict[str, tuple[str, str, int, bool]] = {
    "site_id": ("Site id", "", 0, False),
    "rank": ("Rank", "", 0, False),
    "score": ("Score (out of 100)", "", 1, False),
    "excluded": ("Excluded", "", 0, False),
    "completeness": ("Data completeness", "%", 0, True),
    "name": ("Name", "", 0, False),
    "commune": ("Commune", "", 0, False),
    "insee": ("INSEE code", "", 0, False),
    "exclusions": ("Exclusion reasons", "", 0, False),
    "same_land_unit_as": ("Same land unit as", "", 0, False),
    "designation": ("Designated by the State", "", 0, False),
    "designation_source": ("Source of the designation", "", 0, False),
    "designation_date": ("Date of the designation", "", 0, False),
    "p_first": ("Chance of ranking first", "%", 1, True),
    "rank_min": ("Best rank when the weights vary", "", 0, False),
    "rank_max": ("Worst rank when the weights vary", "", 0, False),
}
CONTRIBUTION_PREFIX = "contribution_"


def ranking_column(key: str, lang: str, criterion_title: str | None = None) -> ColumnInfo:
    """Label (in ``lang``), unit and decimals of a column of ``Assessment.ranked()``.

    ``criterion_title`` names the criterion of a ``contribution_*`` column, in ``lang``.
    Measures keep the unit they are stored in (metres, not the km the app shows).
    """
    if key in RANKING_COLUMNS:
        label, unit, decimals, share = RANKING_COLUMNS[key]
        return ColumnInfo(key, localise(label, lang), unit, decimals, share)
    if key.startswith(CONTRIBUTION_PREFIX):
        name = criterion_title or key[len(CONTRIBUTION_PREFIX) :]
        label = localise("Points: {criterion}", lang).format(criterion=name)
        return ColumnInfo(key, label, "", 1, known=criterion_title is not None)
    info = measure_info(key, lang)
    return ColumnInfo(key, info.label, stored_unit(key), info.stored_decimals, False, is_known(key))
