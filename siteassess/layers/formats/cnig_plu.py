"""``cnig-plu``: PLU and PLUi zones of the Géoportail de l'Urbanisme (``zone_urba``).

CNIG « Standard de dématérialisation des documents d'urbanisme », PLU/PLUi, v2017 (and
v2014, still met in older uploads). The zones (``zone_urba``) carry ``typezone`` (``U``
urbaine, ``AUc`` à urbaniser, ``AUs`` à urbaniser bloquée, ``A`` agricole, ``N`` naturelle
et forestière; older files also write ``Ah``, ``Nh`` or ``Nd``, sectors within A and N
zones, counted as A and N), ``libelle``
(the zone's short name on the plan: ``UE``, ``1AUx``), ``libelong`` (its full name),
``idurba`` (the document, ``59350_PLUi_20191219``), ``datappro`` (approval date,
``AAAAMMJJ``) and more (``destdomi``, ``nomfic``, ``urlfic``…). Shapefiles of the
standard write the names in capitals (``TYPEZONE``): names are matched without case.

Encodings: the 2017 standard asks for UTF-8 with a ``.cpg`` file; v2014 uploads are
Latin-1. GDAL reads a shapefile with no ``.cpg`` as Latin-1, so a UTF-8 file that lost its
``.cpg`` would read as « Zone Ã©conomique »: such text is recognised and decoded again
(reported once). The GPU's GeoJSON (API Carto) is always UTF-8.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from siteassess.errors import DataIssue, LayerContentError, Reason
from siteassess.layers.formats.tri_flood import find_field
from siteassess.layers.importers import (
    Imported,
    Importer,
    ReadRequest,
    read_request_vector,
    register,
)
from siteassess.layers.roles import ZONE_TYPES, zone_type_of

# UTF-8 bytes of é, à, è, ô… read as Latin-1: « Ã© », « Ã\xa0 », « Ã¨ », « Ã´ ».
_MOJIBAKE = re.compile("[\u00c2\u00c3][\u0080-\u00bf]")


def _matches(cols: Sequence[str]) -> bool:
    return (
        find_field(cols, ("typezone",)) is not None and find_field(cols, ("libelle",)) is not None
    )


def _redecoded(values: pd.Series) -> pd.Series | None:
    """The column decoded again when it is UTF-8 read as Latin-1 (None when it is not)."""
    text = values.dropna().astype(str)
    odd = text[text.str.contains(_MOJIBAKE)]
    if odd.empty:
        return None
    try:
        fixed = {v: v.encode("latin-1").decode("utf-8") for v in set(text)}
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None  # real Latin-1 text, such as « Ã » itself
    return values.map(lambda v: fixed.get(v, v) if isinstance(v, str) else v)


def repair_utf8_read_as_latin1(frame: pd.DataFrame) -> list[str]:
    """Decode again, in place, text columns that are UTF-8 read as Latin-1; their names."""
    fixed = []
    for col in frame.columns:
        values = frame[col]
        if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            again = _redecoded(frame[col])
            if again is not None:
                frame[col] = again
                fixed.append(str(col))
    return fixed


def _read_cnig_plu(req: ReadRequest) -> Imported:
    """Zones with ``zone_type``, ``zone_label``, ``zone_label_long``, ``idurba``, ``datappro``.

    ``typezone`` as written is kept in ``zone_type_code``; the normaliser of the zoning role
    skips (and reports) zones of an unknown type.
    """
    gdf, crs = read_request_vector(req)
    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    type_col = find_field(cols, ("typezone",))
    if type_col is None:
        raise LayerContentError(
            f"layer {req.label}: {req.path} is not a CNIG PLU zone_urba file: no column "
            f"'typezone' ({', '.join(ZONE_TYPES)}). Columns: {', '.join(cols)}"
        )
    issues: list[DataIssue] = []
    if req.spec.encoding is None:
        repaired = repair_utf8_read_as_latin1(gdf)
        if repaired:
            issues.append(
                DataIssue.of(
                    req.label,
                    Reason.of(
                        "utf8_read_as_latin1",
                        "the text of {columns} is UTF-8 but the file does not say so (no .cpg "
                        "file beside the shapefile): read again as UTF-8",
                        columns=", ".join(repaired),
                    ),
                    source=str(req.path),
                    action="decoded as UTF-8",
                    severity="info",
                )
            )

    def text(name: str) -> pd.Series:
        col = find_field(cols, (name,))
        if col is None:
            return pd.Series(pd.NA, index=gdf.index, dtype="string")
        values = gdf[col].astype("string").str.strip()
        return values.where(values != "")

    raw = gdf[type_col].astype("string").str.strip()
    out = gdf.assign(
        zone_type_code=raw,
        zone_type=zone_type_of(raw),
        zone_label=text("libelle"),
        zone_label_long=text("libelong"),
        idurba=text("idurba"),
        datappro=text("datappro"),
    )
    return Imported(
        data=out, crs=crs, rows_read=len(gdf), issues=issues, encoding=req.spec.encoding
    )


CNIG_PLU = Importer(
    name="cnig-plu",
    kinds=("vector",),
    description="PLU/PLUi zones (zone_urba) of the Géoportail de l'Urbanisme, CNIG standard",
    read=_read_cnig_plu,
    matches=_matches,
    publisher="Géoportail de l'Urbanisme (CNIG PLU standard, zone_urba)",
)
register(CNIG_PLU, before="vector")
