"""``exchanges``: internet exchanges and data-centre facilities as a table of points.

Columns ``name``, ``market`` (Paris, London, Frankfurt, Amsterdam or another), ``lon``,
``lat`` (degrees, WGS84: ``lon``/``lat`` imply EPSG:4326 unless the layer sets ``crs``),
and optionally ``facility`` (the building that hosts the exchange) and ``kind``
(``exchange`` or ``facility``; ``exchange`` when absent or blank).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from siteassess.errors import DataIssue, Reason
from siteassess.layers.crs import parse_crs
from siteassess.layers.importers import Imported, Importer, ReadRequest, register
from siteassess.layers.readers import points_from_columns, read_table

REQUIRED = ("name", "market", "lon", "lat")
KINDS = ("exchange", "facility")


def _lookup(cols: Sequence[str]) -> dict[str, str]:
    return {str(c).strip().lower(): str(c) for c in cols}


def _matches(cols: Sequence[str]) -> bool:
    return set(REQUIRED) <= set(_lookup(cols))


def _names(values: pd.Series, n: int = 8) -> str:
    shown = ["<no name>" if pd.isna(v) or str(v).strip() == "" else str(v) for v in values[:n]]
    return ", ".join(shown) + ("…" if len(values) > n else "")


def _read_exchanges(req: ReadRequest) -> Imported:
    """Points with ``name``, ``market``, ``facility`` and ``kind`` (exchange | facility)."""
    spec = req.spec
    df, enc, _ = read_table(
        req.path, label=req.label, encoding=spec.encoding, separator=spec.separator
    )
    col = _lookup(df.columns)
    x_field = spec.x_field or col.get("lon")
    y_field = spec.y_field or col.get("lat")
    crs = parse_crs(spec.crs or "EPSG:4326", f"layer {req.label}: crs")
    gdf, _ = points_from_columns(
        df,
        label=req.label,
        path=req.path,
        x_field=None if spec.wkt_field else x_field,
        y_field=None if spec.wkt_field else y_field,
        wkt_field=spec.wkt_field,
        crs=crs,
    )

    def text(name: str) -> pd.Series:
        if name in col:
            return gdf[col[name]].astype("string").str.strip()
        return pd.Series(pd.NA, index=gdf.index, dtype="string")

    kind = text("kind").str.lower().replace("", pd.NA).fillna("exchange")
    out = gdf.assign(
        name=text("name"),
        market=text("market"),
        facility=text("facility"),
        kind=kind,
    )
    issues: list[DataIssue] = []
    unknown = ~kind.isin(KINDS).to_numpy(dtype=bool)
    if unknown.any():
        issues.append(
            DataIssue.of(
                req.label,
                Reason.of(
                    "unknown_kind",
                    "{n} rows have an unknown kind {kinds} ({names}); known: {known}",
                    n=int(unknown.sum()),
                    kinds=str(sorted(set(kind[unknown]))[:5]),
                    names=_names(out.loc[unknown, "name"]),
                    known=", ".join(KINDS),
                ),
                source=str(req.path),
                action="kept as written",
                count=int(unknown.sum()),
            )
        )
    missing = np.asarray(out.geometry.isna().to_numpy(dtype=bool))
    if missing.any():
        # Numbered as lines of the file (line 1 is the header, one row per line).
        rows = np.flatnonzero(missing)
        lines = ("line " if len(rows) == 1 else "lines ") + ", ".join(str(i + 2) for i in rows[:8])
        issues.append(
            DataIssue.of(
                req.label,
                Reason.of(
                    "rows_without_coordinates",
                    "{n} of {total} rows have no usable coordinates ({lines}: {names})",
                    n=int(missing.sum()),
                    total=len(df),
                    lines=lines,
                    names=_names(out.loc[missing, "name"]),
                ),
                source=str(req.path),
                action="skipped",
                count=int(missing.sum()),
            )
        )
        out = out.loc[~missing]
    return Imported(data=out, crs=crs, rows_read=len(df), issues=issues, encoding=enc)


EXCHANGES = Importer(
    name="exchanges",
    kinds=("table",),
    description="internet exchanges and facilities: name, market, lon, lat (WGS84)",
    read=_read_exchanges,
    matches=_matches,
)
register(EXCHANGES, before="csv")
