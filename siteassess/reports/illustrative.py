"""Which layers of an assessment are ILLUSTRATIVE (not real data), for every table output.

A layer is illustrative when its ``source`` says so (:attr:`Layer.is_illustrative`, the
one test the maps, the app and the tables share). A
criterion is flagged when one of the layers it measured on is illustrative: its points,
and every score, then rest partly on data that is not real.
"""

from __future__ import annotations

from siteassess.assessment import Assessment
from siteassess.layers import Layer

# The column of the ranking outputs (CSV, XLSX, GeoPackage) that names those layers.
COLUMN = "illustrative_layers"


def layer_is_illustrative(layer: Layer) -> bool:
    """True when the layer's source (in the project or its provenance) says illustrative."""
    return layer.is_illustrative


def illustrative_layers(a: Assessment) -> tuple[str, ...]:
    """The labels of the illustrative layers, in the project's order."""
    return tuple(lyr.label for lyr in a.measurements.layers if layer_is_illustrative(lyr))


def illustrative_criteria(a: Assessment) -> frozenset[str]:
    """The names of the criteria that measured on an illustrative layer."""
    labels = set(illustrative_layers(a))
    return frozenset(c.name for c in a.criteria if labels.intersection(c.sources))


def cell_text(a: Assessment) -> str:
    """The value of :data:`COLUMN` on every row: the labels joined by ``; `` (or empty)."""
    return "; ".join(illustrative_layers(a))
