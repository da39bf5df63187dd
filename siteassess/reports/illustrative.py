"""Which layers of an assessment are ILLUSTRATIVE (not real data), for every table output.

A layer is illustrative when its ``source`` says so (:attr:`Layer.is_illustrative`, the
one test the maps, the app and the tables share). A
criterion is flagged when one of the layers it measured on is illustrative: its points,
and every score, then rest partly on data that is not real.
"""

from __future__ import annotations

from siteassess.assessment import Assessment
from siteassess.layers import Layer
from siteassess.vocabulary import layer_label

# The column of the ranking outputs (CSV, XLSX, GeoPackage) that names those layers.
COLUMN = "illustrative_layers"


def shown_label(layer: Layer, lang: str | None) -> str:
    """The layer's label (``lang`` None: as the project and the JSON name it), or in
    ``lang`` by its role's title, never its role key (``Zones inondables (flood.geojson)``)."""
    if lang is None:
        return layer.label
    return layer_label(layer.spec.role, layer.spec.name, layer.spec.path, lang)


def illustrative_layers(a: Assessment, lang: str | None = None) -> tuple[str, ...]:
    """The labels of the illustrative layers (see :func:`shown_label`), in the project's
    order."""
    return tuple(shown_label(lyr, lang) for lyr in a.measurements.layers if lyr.is_illustrative)


def illustrative_criteria(a: Assessment) -> frozenset[str]:
    """The names of the criteria that measured on an illustrative layer."""
    labels = set(illustrative_layers(a))
    return frozenset(c.name for c in a.criteria if labels.intersection(c.sources))


def sources_text(a: Assessment, labels: tuple[str, ...], lang: str) -> str:
    """A criterion's layers (their labels) named in ``lang``, joined by ``, ``."""
    by_label = {lyr.label: lyr for lyr in a.measurements.layers}
    return ", ".join(shown_label(by_label[x], lang) if x in by_label else x for x in labels)


def cell_text(a: Assessment, lang: str | None = None) -> str:
    """The value of :data:`COLUMN` on every row: the labels joined by ``; `` (or empty)."""
    return "; ".join(illustrative_layers(a, lang))
