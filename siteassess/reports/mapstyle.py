"""Colours and thresholds shared by the app's web map and the PDF maps (no heavy imports).

Substations are drawn by voltage in the same colours and shapes everywhere: 400 kV as large
crimson triangles, 225 kV as orange triangles, lower voltages as small grey squares; an
authorised, not yet built substation is hollow.
"""

from __future__ import annotations

KV400, KV225, KV_LOW = "#9e0142", "#f46d43", "#8c8c8c"
COMMUNE = "#8a96a3"  # commune outlines
COMMUNE_TEXT = "#56626e"  # commune names
# PLU zone types in the colours planners know from the Géoportail de l'Urbanisme.
ZONE_FILL = {"U": "#e60000", "AUc": "#ff6565", "AUs": "#feccbe", "A": "#ffff00", "N": "#268c00"}
SUPPLY = "#0b3c8c"  # the supply options of the selected site (rings, lines)
# Text, sites and criteria keep one colour in the PDF pages, the maps and the charts.
INK = "#1d2733"
MUTED = "#5b6875"
SITE_COLOURS = ("#1f77b4", "#d95f02", "#1b9e77", "#7570b3", "#e7298a")
CRITERION_COLOURS = ("#1f5f8b", "#4a9fd1", "#e08e0b", "#6b8e23", "#8c564b", "#9467bd")


def kv_class(kv: float | None) -> str:
    """``"400"``, ``"225"`` or ``"low"`` (unknown voltages count as low)."""
    v = kv or 0.0
    return "400" if v >= 400 else "225" if v >= 225 else "low"


def kv_colour(kv: float | None) -> str:
    """The colour of a substation or line of this voltage."""
    return {"400": KV400, "225": KV225, "low": KV_LOW}[kv_class(kv)]
