"""What the app calls things: roles, criteria and measures, with units and formatting.

No Qt here: the table, the detail panel and the compare view all read these, so a
measure has one label, one unit and one number of decimals everywhere.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from siteassess.i18n import format_number
from siteassess.project import ROLE_TITLES
from siteassess.ui.i18n_ui import language, tr

CRITERION_LABELS = {
    "power": "Power supply",
    "flood": "Flood risk",
    "connectivity": "Connectivity (FLAP)",
    "land": "Land",
}

SCENARIO_LABELS = {
    "frequent": "frequent",
    "medium": "medium",
    "extreme": "extreme",
    "none": "no rule",
}


def role_label(role: str) -> str:
    """The role as the planner reads it (``flood`` → ``Zones inondables``)."""
    return tr(ROLE_TITLES.get(role, role))


def criterion_label(name: str) -> str:
    """A criterion's title in the current language."""
    return tr(CRITERION_LABELS.get(name, name))


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

_SUFFIX_UNITS: tuple[tuple[str, str], ...] = (
    ("_mw_per_ha", "MW/ha"),
    ("_pct", "%"),
    ("_ms", "ms"),
    ("_km", "km"),
    ("_ha", "ha"),
    ("_kv", "kV"),
    ("_m", "m"),
)


def measure_info(key: str) -> MeasureInfo:
    """Label, unit and decimals of any measure column (known, patterned or generic)."""
    if key in KNOWN_MEASURES:
        m = KNOWN_MEASURES[key]
        return MeasureInfo(m.key, tr(m.label), m.unit, m.scale, m.decimals, m.better)
    for pattern, label, unit, scale, decimals, better in _PATTERNS:
        match = pattern.fullmatch(key)
        if match:
            word = match.group(1)
            if word in _MARKETS:
                name = _MARKET_FR[word] if language() == "fr" else word.capitalize()
                text = tr(label).format(m=name)
            else:
                text = tr(label).format(s=tr(SCENARIO_LABELS.get(word, word)))
            return MeasureInfo(key, text, unit, scale, decimals, better)
    unit = next((u for suffix, u in _SUFFIX_UNITS if key.endswith(suffix)), "")
    return MeasureInfo(key, key.replace("_", " "), unit)


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
    return fmt(number * info.scale, info.decimals, info.unit if unit else "")


def fmt(value: float | None, decimals: int = 1, unit: str = "") -> str:
    """A number in the current language (decimal comma in French), with its unit."""
    return format_number(value, language(), decimals, unit)


def fmt_pct(share: float | None, decimals: int = 0) -> str:
    """A share 0..1 as a percentage (``0,25`` → ``25 %``)."""
    if share is None or math.isnan(share):
        return fmt(None)
    return fmt(share * 100, decimals, "%")


def describe_transform(kind: str, best: float, worst: float, points: Any, unit: str) -> str:
    """The value function in words, in the current language."""

    sep = "\u202f; " if language() == "fr" else "; "

    def num(x: float) -> str:
        if math.isinf(x):
            return "∞"
        return fmt(float(x), 0 if float(x).is_integer() else 2, unit)

    if kind == "linear":
        ends = sorted([(best, 1.0), (worst, 0.0)])
        parts = sep.join(f"{num(x)} → {fmt(v, 2)}" for x, v in ends)
        return tr("linear: {parts}").format(parts=parts)
    if kind == "thresholds":
        parts = sep.join(f"≤ {num(b)} → {fmt(v, 2)}" for b, v in points)
        return tr("thresholds: {parts}").format(parts=parts)
    parts = sep.join(f"{num(x)} → {fmt(v, 2)}" for x, v in points)
    return tr("piecewise linear: {parts}").format(parts=parts)
