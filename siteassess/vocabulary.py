"""What siteassess calls its measures and ranking columns, with units and precision.

One table for every presenter: the app's ranking, detail panel and compare view (through
``siteassess.ui.labels``) and the spreadsheets (``siteassess.reports.spreadsheet``) read
their labels, display units and decimals here, in French or English. No Qt, no files.
Texts are English in the code; their French is :data:`FRENCH`, registered with
:func:`siteassess.i18n.register` on import.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from siteassess.i18n import localise, register

__all__ = [
    "FRENCH",
    "KNOWN_MEASURES",
    "RANKING_COLUMNS",
    "SCENARIO_LABELS",
    "ColumnInfo",
    "MeasureInfo",
    "is_known",
    "measure_info",
    "ranking_column",
    "resolution",
    "role_title",
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


_MARKETS = ("paris", "london", "frankfurt", "amsterdam")
_MARKET_FR = {
    "paris": "Paris",
    "london": "Londres",
    "frankfurt": "Francfort",
    "amsterdam": "Amsterdam",
}

# Measures with a hand-written label; others get one from the patterns below.
_KNOWN: tuple[MeasureInfo, ...] = (
    MeasureInfo("substation_distance_m", "Substation ≥ minimum voltage", "km", 1e-3, 1, "low"),
    MeasureInfo("substation_name", "Name of that substation"),
    MeasureInfo("substation_kv", "Its voltage", "kV", 1.0, 0),
    MeasureInfo("substation_400kv_distance_m", "Nearest 400 kV substation", "km", 1e-3, 1, "low"),
    MeasureInfo("substation_400kv_name", "Name of the 400 kV substation"),
    MeasureInfo(
        "authorised_substation_distance_m",
        "Authorised substation (not built)",
        "km",
        1e-3,
        1,
        "low",
    ),
    MeasureInfo("authorised_substation_name", "Name of the authorised substation"),
    MeasureInfo("line_distance_m", "Power line ≥ minimum voltage", "km", 1e-3, 1, "low"),
    MeasureInfo("flood_share_any_pct", "Share in any flood zone", "%", 1.0, 1, "low"),
    MeasureInfo(
        "flood_share_excluding_pct", "Share in the zone of the exclusion rule", "%", 1.0, 1, "low"
    ),
    MeasureInfo("rtt_flap_mean_ms", "Mean round trip to FLAP", "ms", 1.0, 2, "low"),
    MeasureInfo(
        "rtt_flap_mean_fibre_ms", "Mean round trip to FLAP along the fibre", "ms", 1, 2, "low"
    ),
    MeasureInfo("nearest_exchange_name", "Nearest internet exchange"),
    MeasureInfo("nearest_exchange_km", "Distance to the nearest exchange", "km", 1.0, 1, "low"),
    MeasureInfo("rtt_nearest_ms", "Round trip to the nearest exchange", "ms", 1.0, 2, "low"),
    MeasureInfo("route_factor", "Route factor used", "×", 1.0, 2),
    MeasureInfo("fibre_distance_m", "Distance to the fibre", "km", 1e-3, 2, "low"),
    MeasureInfo("area_ha", "Area", "ha", 1.0, 1, "high"),
    MeasureInfo("power_density_mw_per_ha", "Power density", "MW/ha", 1.0, 1, "low"),
    MeasureInfo("compactness", "Compactness (Polsby-Popper)", "", 1.0, 2, "high"),
)
KNOWN_MEASURES = {m.key: m for m in _KNOWN}

_PATTERNS: tuple[tuple[re.Pattern[str], str, str, float, int, str | None], ...] = (
    (re.compile(r"rtt_(\w+)_fibre_ms"), "Round trip to {m} along the fibre", "ms", 1.0, 2, "low"),
    (re.compile(r"rtt_(\w+)_ms"), "Round trip to {m}", "ms", 1.0, 2, "low"),
    (re.compile(r"exchange_(\w+)_km"), "Distance to the {m} exchange", "km", 1.0, 1, "low"),
    (re.compile(r"flood_share_(\w+)_pct"), "Share in the {s} flood scenario", "%", 1.0, 1, "low"),
    (re.compile(r"flood_max_depth_(\w+)_m"), "Maximum depth, {s} scenario", "m", 1.0, 2, "low"),
    (re.compile(r"flood_coverage_(\w+)_pct"), "Raster coverage, {s} scenario", "%", 1.0, 0, None),
)

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


def measure_info(key: str, lang: str) -> MeasureInfo:
    """Label (in ``lang``), unit and decimals of any measure column (known, patterned or not).

    A measure that no table knows keeps its key as its label: the tests list the measures
    of every registered criterion, so a new one gets its label here.
    """
    if key in KNOWN_MEASURES:
        m = KNOWN_MEASURES[key]
        return MeasureInfo(m.key, localise(m.label, lang), m.unit, m.scale, m.decimals, m.better)
    for pattern, label, unit, scale, decimals, better in _PATTERNS:
        match = pattern.fullmatch(key)
        if match:
            word = match.group(1)
            if word in _MARKETS:
                name = _MARKET_FR[word] if lang == "fr" else word.capitalize()
                text = localise(label, lang).format(m=name)
                if lang == "fr":  # « de Amsterdam » → « d’Amsterdam »
                    text = _ELISION.sub("d’", text)
            else:
                scenario = localise(SCENARIO_LABELS.get(word, word), lang)
                text = localise(label, lang).format(s=scenario)
            return MeasureInfo(key, text, unit, scale, decimals, better)
    unit = next((u for suffix, u in _SUFFIX_UNITS if key.endswith(suffix)), "")
    return MeasureInfo(key, key.replace("_", " "), unit)


# The smallest difference of a measure that means something, in its stored unit: below it a
# comparison marks no best value (★). The estimates behind these measures are no finer:
# distances from approximate outlines, round trips from a route factor, shares of zones
# drawn at map scale. Other measures: one unit of their last decimal shown.
_RESOLUTIONS: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r".*_distance_m"), 100.0),
    (re.compile(r"rtt_.*_ms"), 0.1),
    (re.compile(r".*_km"), 1.0),
    (re.compile(r"flood_share_.*_pct"), 1.0),
    (re.compile(r"area_ha"), 1.0),
    (re.compile(r"power_density_mw_per_ha"), 0.5),
    (re.compile(r"compactness"), 0.02),
)


def resolution(key: str) -> float:
    """The smallest meaningful difference of measure ``key``, in its stored unit."""
    for pattern, value in _RESOLUTIONS:
        if pattern.fullmatch(key):
            return value
    info = measure_info(key, "en")
    return 10.0**-info.stored_decimals


def is_known(key: str) -> bool:
    """True when a table here gives ``key`` a label (not its own key)."""
    return key in KNOWN_MEASURES or any(p[0].fullmatch(key) for p in _PATTERNS)


def role_title(role: str, lang: str) -> str:
    """A layer role as the planner reads it (``substations`` → ``Postes électriques``)."""
    from siteassess.project import ROLE_TITLES

    return localise(ROLE_TITLES.get(role, role), lang)


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
    from siteassess.assessment import unit_of  # geopandas: only when a table is written

    if key in RANKING_COLUMNS:
        label, unit, decimals, share = RANKING_COLUMNS[key]
        return ColumnInfo(key, localise(label, lang), unit, decimals, share)
    if key.startswith(CONTRIBUTION_PREFIX):
        name = criterion_title or key[len(CONTRIBUTION_PREFIX) :]
        label = localise("Points: {criterion}", lang).format(criterion=name)
        return ColumnInfo(key, label, "", 1, known=criterion_title is not None)
    info = measure_info(key, lang)
    return ColumnInfo(key, info.label, unit_of(key), info.stored_decimals, False, is_known(key))


# ------------------------------------------------------------------------------ catalogue

FRENCH: dict[str, str] = {
    # flood scenarios
    "frequent": "fréquent",
    "medium": "moyen",
    "extreme": "extrême",
    "no rule": "aucune règle",
    # measures
    "Substation ≥ minimum voltage": "Poste ≥ tension minimale",
    "Name of that substation": "Nom de ce poste",
    "Its voltage": "Sa tension",
    "Nearest 400 kV substation": "Poste 400 kV le plus proche",
    "Name of the 400 kV substation": "Nom du poste 400 kV",
    "Authorised substation (not built)": "Poste autorisé (non construit)",
    "Name of the authorised substation": "Nom du poste autorisé",
    "Power line ≥ minimum voltage": "Ligne ≥ tension minimale",
    "Share in any flood zone": "Part en zone inondable",
    "Share in the zone of the exclusion rule": "Part dans la zone de la règle d’exclusion",
    "Mean round trip to FLAP": "Aller-retour moyen FLAP",
    "Mean round trip to FLAP along the fibre": "Aller-retour moyen FLAP par la fibre",
    "Nearest internet exchange": "Point d’échange internet le plus proche",
    "Distance to the nearest exchange": "Distance au point d’échange le plus proche",
    "Round trip to the nearest exchange": "Aller-retour au point d’échange le plus proche",
    "Route factor used": "Facteur de détour utilisé",
    "Distance to the fibre": "Distance à la fibre",
    "Area": "Surface",
    "Power density": "Densité de puissance",
    "Compactness (Polsby-Popper)": "Compacité (Polsby-Popper)",
    "Round trip to {m} along the fibre": "Aller-retour vers {m} par la fibre",
    "Round trip to {m}": "Aller-retour vers {m}",
    "Distance to the {m} exchange": "Distance au point d’échange de {m}",
    "Share in the {s} flood scenario": "Part en zone inondable, scénario {s}",
    "Maximum depth, {s} scenario": "Hauteur d’eau maximale, scénario {s}",
    "Raster coverage, {s} scenario": "Couverture du raster, scénario {s}",
    # layer roles (siteassess.project.ROLE_TITLES)
    "Sites (brownfields)": "Sites (friches)",
    "Substations": "Postes électriques",
    "Power lines": "Lignes électriques",
    "Flood zones": "Zones inondables",
    "Fibre": "Fibre optique",
    "Internet exchanges": "Points d’échange internet",
    "Cadastral parcels": "Parcelles cadastrales",
    "Context": "Contexte",
    # ranking columns
    "Site id": "Identifiant",
    "Rank": "Rang",
    "Score (out of 100)": "Note (sur 100)",
    "Excluded": "Exclu",
    "Data completeness": "Complétude des données",
    "Name": "Nom",
    "Commune": "Commune",
    "INSEE code": "Code INSEE",
    "Exclusion reasons": "Motifs d’exclusion",
    "Same land unit as": "Même unité foncière que",
    "Chance of ranking first": "Probabilité d’être premier",
    "Best rank when the weights vary": "Meilleur rang quand les pondérations varient",
    "Worst rank when the weights vary": "Moins bon rang quand les pondérations varient",
    "Points: {criterion}": "Points : {criterion}",
}

register("fr", FRENCH)
