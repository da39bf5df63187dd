"""The ranking as a CNIG Friches exchange file: the standard's columns, then siteassess's.

The columns of the standard (schema-friches v1.0.6 by default, or those of the schema the
user gives) come first, in its order, filled from what the sites carry: a column the
sites file had under the standard's name, else the site model's equivalent (``name`` for
``site_nom``…), else empty — never invented. ``geompoint`` is the centroid of the site and
``geomsurf`` its outline, as WKT in WGS84 longitude/latitude (EPSG:4326, longitude
first); an approximate outline (a disc of the stated area) is not written as ``geomsurf``.
The results follow in columns named ``siteassess_…``: rank, score, exclusion and its
reasons, each criterion's value (0 to 1) and contribution, the headline measures.

CSV as the standard publishes it: UTF-8 without BOM, ``,``, decimal points. Text that a
spreadsheet would run as a formula gets a leading ``'`` as in every CSV siteassess writes.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from siteassess.assessment import Assessment
from siteassess.atomic import atomic_write_bytes
from siteassess.layers.formats.cnig_fields import DATE_FIELDS, FIELDS, INTEGER_FIELDS, MODEL
from siteassess.layers.table_schema import TableSchema
from siteassess.output_guard import refuse_input_as_output
from siteassess.reports.schema_check import SchemaCheck
from siteassess.reports.spreadsheet import neutralise

PREFIX = "siteassess_"
WKT_DECIMALS = 7  # degrees: about 1 cm


@dataclass(frozen=True)
class CnigTable:
    """The export as text cells, and the Table Schema fields of its ``siteassess_`` columns."""

    frame: pd.DataFrame  # one row per site, best first; every cell text ("" when missing)
    extra_fields: tuple[dict[str, Any], ...]

    @property
    def site_ids(self) -> list[str]:
        """The sites in the order of the rows."""
        return [str(v) for v in self.frame["site_id"]]


def _cell(v: Any) -> str:
    """A value of the sites as the standard writes it ("" when missing)."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, pd.Timestamp):
        return "" if pd.isna(v) else v.strftime("%Y-%m-%d")
    if isinstance(v, np.generic):
        v = v.item()
    return str(v).strip()


def _integer(text: str) -> str:
    """An integer field: a number rounded (m² given with decimals), other text as it was."""
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return text  # left for validation to name
    return str(round(value)) if math.isfinite(value) else text


def _number(v: Any) -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return ""
    return f"{f:.10g}" if math.isfinite(f) else ""


def _standard_column(sites: gpd.GeoDataFrame, name: str) -> list[str]:
    """One column of the standard from the sites' attributes (empty when unknown)."""
    n = len(sites)
    if name in sites.columns:
        texts = [_cell(v) for v in sites[name].to_numpy(dtype=object)]
    elif name in MODEL and MODEL[name] in sites.columns:
        texts = [_cell(v) for v in sites[MODEL[name]].to_numpy(dtype=object)]
    elif name == "unite_fonciere_surface" and "area_source" in sites.columns:
        own = sites["area_source"].astype("string").fillna("") == "unite_fonciere_surface"
        area = sites["stated_area_m2"].to_numpy(dtype=float)
        texts = [_cell(a) if o else "" for a, o in zip(area, own, strict=True)]
    elif name == "unite_fonciere_refcad" and "parcel_ids" in sites.columns:
        texts = [_cell(v).replace(",", "|") for v in sites["parcel_ids"].to_numpy(dtype=object)]
    else:
        return [""] * n
    if name in INTEGER_FIELDS:
        texts = [_integer(t) if t else "" for t in texts]
    if name in DATE_FIELDS:  # a date read with a time of day (GeoJSON, GeoPackage)
        texts = [t[:10] if len(t) > 10 and t[10] in " T" else t for t in texts]
    return [neutralise(t) for t in texts]


def _geometry_columns(sites: gpd.GeoDataFrame) -> tuple[list[str], list[str]]:
    """``geompoint`` (centroid) and ``geomsurf`` (a real outline) as WKT in lon/lat."""
    ll = sites.geometry.to_crs("EPSG:4326") if sites.crs is not None else sites.geometry
    geoms = np.asarray(ll.values, dtype=object)
    # The centroid in the working CRS (metres), then to degrees: the centroid of degrees
    # would lean north.
    centres = sites.geometry.centroid.to_crs("EPSG:4326") if sites.crs is not None else None
    points = np.asarray(centres.values if centres is not None else shapely.centroid(geoms))
    approx = (
        sites["approximate"].to_numpy(dtype=bool)
        if "approximate" in sites.columns
        else np.zeros(len(sites), dtype=bool)
    )
    polygon = np.isin(shapely.get_type_id(geoms), (3, 6)) & ~approx
    wkt_points = shapely.to_wkt(points, rounding_precision=WKT_DECIMALS, trim=True)
    wkt_surf = shapely.to_wkt(geoms, rounding_precision=WKT_DECIMALS, trim=True)
    point_col = ["" if p is None else str(p) for p in wkt_points]
    surf_col = [
        str(s) if keep and s is not None else "" for s, keep in zip(wkt_surf, polygon, strict=True)
    ]
    return point_col, surf_col


def cnig_table(a: Assessment, lang: str, fields: Sequence[str] = FIELDS) -> CnigTable:
    """The export of ``a``: the standard's ``fields`` then the ``siteassess_`` columns."""
    from siteassess.criteria import headline_measures
    from siteassess.reports.pdf.wording import exclusion_texts

    order = list(a.ranked().index)
    sites = a.measurements.sites.loc[order]
    pos = {sid: i for i, sid in enumerate(a.site_ids)}
    rows = [pos[str(s)] for s in order]
    point, surf = _geometry_columns(sites)
    data: dict[str, list[str]] = {}
    for name in fields:
        if name == "site_id":
            data[name] = [neutralise(str(s)) for s in order]
        elif name == "geompoint":
            data[name] = point
        elif name == "geomsurf":
            data[name] = surf
        else:
            data[name] = _standard_column(sites, name)
    t = a.table
    excluded = t.excluded[rows]
    extras: list[tuple[str, str, list[str]]] = [
        (
            "rank",
            "integer",
            ["" if x else str(int(r)) for r, x in zip(t.ranks[rows], excluded, strict=True)],
        ),
        ("score", "number", [_number(v) for v in t.scores[rows]]),
        ("excluded", "boolean", ["true" if x else "false" for x in excluded]),
        (
            "exclusions",
            "string",
            [neutralise("; ".join(exclusion_texts(a, str(s), lang))) for s in order],
        ),
        ("completeness", "number", [_number(v) for v in t.completeness[rows]]),
        (
            "approximate_outline",
            "boolean",
            ["true" if v else "false" for v in sites["approximate"].to_numpy(dtype=bool)],
        ),
    ]
    for j, c in enumerate(a.criteria):
        extras.append((f"value_{c.name}", "number", [_number(v) for v in t.values[rows, j]]))
        extras.append(
            (f"contribution_{c.name}", "number", [_number(v) for v in t.contributions[rows, j]])
        )
    measures = a.measurements.measures.loc[order]
    for m in headline_measures(a.measurements.params):
        if m.key not in measures.columns:
            continue
        col = measures[m.key]
        if pd.api.types.is_numeric_dtype(col):
            extras.append((m.key, "number", [_number(v) for v in col.to_numpy()]))
        else:
            extras.append((m.key, "string", [neutralise(_cell(v)) for v in col.to_numpy()]))
    for key, _, values in extras:
        if PREFIX + key not in data:
            data[PREFIX + key] = values
    extra_fields = tuple(
        {"name": PREFIX + key, "type": kind} for key, kind, _ in extras if PREFIX + key in data
    )
    return CnigTable(pd.DataFrame(data, dtype=object), extra_fields)


def cnig_csv(table: CnigTable) -> bytes:
    """The table as the standard's CSV: UTF-8, ``,``, a header of the column names."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=",", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(list(table.frame.columns))
    writer.writerows(table.frame.itertuples(index=False, name=None))
    return buf.getvalue().encode("utf-8")


def write_cnig_csv(a: Assessment, target: Path, data: bytes) -> Path:
    """Write an export made by :func:`cnig_csv` atomically (never over a project input)."""
    refuse_input_as_output(a.project, target)
    atomic_write_bytes(target, data)
    return target


def export_cnig(
    a: Assessment,
    target: Path,
    *,
    lang: str,
    schema: TableSchema | None = None,
) -> SchemaCheck | None:
    """Write the CNIG Friches export of ``a`` to ``target`` (atomically), in the columns of
    ``schema`` when given (else of v1.0.6), and validate it against ``schema``.

    The file is written whatever the validation finds (what the sites lack is not invented);
    the result says what does not meet the standard. None: no schema, not validated.
    """
    from siteassess.reports.schema_check import validate_csv  # imports frictionless

    fields = schema.field_names if schema is not None else FIELDS
    table = cnig_table(a, lang, fields)
    data = cnig_csv(table)
    check = None
    if schema is not None:
        check = validate_csv(data, schema, extra_fields=table.extra_fields, site_ids=table.site_ids)
    write_cnig_csv(a, target, data)
    return check
