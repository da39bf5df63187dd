"""``cnig-friches``: the exchange file of the CNIG Friches standard (CSV).

The standard (standard CNIG Friches v2023-12, Table Schema ``schema-friches`` v1.0.6 on
schema.data.gouv.fr; the exchange format of décret 2023-1259) is one flat table, one row
per friche, UTF-8 preferred (§4.2), multiple values separated by ``|``. ``site_id`` is
the primary key; ``geompoint`` is the site's centroid and ``geomsurf`` its outline, both
as WKT text. The standard says "coordonnées géographiques" without an axis order and its
own example writes ``POINT(49.2527 3.9815)``, latitude first: points are read longitude
first (as WKT and GIS do) unless only the other order puts the file in France, which is
then said. A project ``crs`` overrides the default EPSG:4326 (a file in Lambert-93
coordinates is recognised and said).

Sites keep every column of the standard under its own name (an export writes them back)
and get the site model's columns: ``name``, ``commune``, ``insee``, ``status``,
``pollution``, ``zoning``, the stated area of the land unit (a point site becomes a disc of
that area, or the union of its ``unite_fonciere_refcad`` parcels) and its parcel ids.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from siteassess.errors import DataIssue, LayerContentError, Reason
from siteassess.layers.crs import in_metropolitan_france, parse_crs
from siteassess.layers.formats.cartofriches import parse_parcel_ids
from siteassess.layers.formats.cnig_fields import FIELDS, MISSING, MODEL, SPECIFICATION
from siteassess.layers.importers import Imported, Importer, ReadRequest, register
from siteassess.layers.plausibility import area_problems, name_rows
from siteassess.layers.readers import read_table, to_number

_LAMBERT93 = (-400_000.0, 5_900_000.0, 1_400_000.0, 7_300_000.0)  # x0, y0, x1, y1 (m)


def _matches(cols: Sequence[str]) -> bool:
    # Cartofriches' own exports list their parcels in l_idpar, the standard in refcad.
    c = set(cols)
    return {"site_id", "site_nom", "geompoint"} <= c and "l_idpar" not in c


def _text(df: pd.DataFrame, col: str) -> pd.Series:
    """A column as stripped text, the standard's missing values as NA."""
    if col not in df.columns:
        return pd.Series(pd.NA, index=df.index, dtype="string")
    s = df[col].astype("string").str.strip()
    return s.where(~s.isin(MISSING), pd.NA)


def _issue(
    req: ReadRequest, reason: Reason, action: str, count: int = 0, severity: str = "warning"
) -> DataIssue:
    return DataIssue.of(
        req.label, reason, source=str(req.path), action=action, count=count, severity=severity
    )


def _geometries(texts: pd.Series) -> np.ndarray:
    """WKT (or, as the standard's own geomsurf example, GeoJSON) text to shapely; None if bad."""
    values = texts.to_numpy(dtype=object, na_value=None)
    out = np.full(len(values), None, dtype=object)
    is_json = np.array([isinstance(v, str) and v.startswith("{") for v in values], dtype=bool)
    wkt = ~is_json & np.array([v is not None for v in values], dtype=bool)
    if wkt.any():
        out[wkt] = shapely.from_wkt(values[wkt], on_invalid="ignore")
    if is_json.any():
        out[is_json] = shapely.from_geojson(values[is_json], on_invalid="ignore")
    return out


def _swap(geoms: np.ndarray) -> np.ndarray:
    """The geometries with x and y exchanged."""
    return np.asarray(shapely.transform(geoms, lambda xy: xy[:, ::-1]))


def _read(req: ReadRequest) -> Imported:
    """A CNIG Friches CSV: sites with the standard's columns and the site model's."""
    spec = req.spec
    df, enc, _ = read_table(
        req.path, label=req.label, encoding=spec.encoding, separator=spec.separator
    )
    return _sites(req, df, enc)


def _sites(req: ReadRequest, df: pd.DataFrame, enc: str) -> Imported:
    issues: list[DataIssue] = []
    where = f"layer {req.label}: {req.path}"
    if "site_id" not in df.columns:
        raise LayerContentError(
            f"{where} is not a CNIG Friches file: it has no column 'site_id' (the standard's "
            f"identifier, {SPECIFICATION}); columns: {', '.join(df.columns[:12])}"
        )
    if "geompoint" not in df.columns and "geomsurf" not in df.columns:
        raise LayerContentError(
            f"{where} has no column 'geompoint' (the site's centroid as WKT, required by the "
            f"CNIG Friches standard) nor 'geomsurf'; give one of them"
        )
    if enc.lower().replace("_", "-") not in ("utf-8", "utf-8-sig", "utf8"):
        issues.append(
            _issue(
                req,
                Reason.of(
                    "not_utf8",
                    "the file is not UTF-8 as the CNIG Friches standard asks (§4.2): read as "
                    "{encoding}; check the accents of names",
                    encoding=enc,
                ),
                "read as this encoding",
            )
        )
    absent = [f for f in FIELDS if f not in df.columns]
    if absent:
        issues.append(
            _issue(
                req,
                Reason.of(
                    "cnig_columns_missing",
                    "{n} columns of the CNIG Friches standard are missing: {columns}",
                    n=len(absent),
                    columns=", ".join(absent),
                ),
                "read as empty",
                len(absent),
                "info",
            )
        )
    ids = _text(df, "site_id")
    point = _geometries(_text(df, "geompoint"))
    outline = _geometries(_text(df, "geomsurf"))
    types = shapely.get_type_id(point)
    point[types != 0] = None  # a geompoint that is not a point is unusable
    bad_outline = _text(df, "geomsurf").notna().to_numpy() & ~np.isin(
        shapely.get_type_id(outline), (3, 6)
    )
    outline[bad_outline] = None
    if bad_outline.any():
        issues.append(
            _issue(
                req,
                Reason.of(
                    "bad_geomsurf",
                    "{n} sites have a geomsurf that is not a WKT polygon: {sites}",
                    n=int(bad_outline.sum()),
                    sites=name_rows([str(v) for v in ids[bad_outline]]),
                ),
                "their geompoint used",
                int(bad_outline.sum()),
            )
        )
    geoms = np.where(shapely.is_missing(outline), point, outline)
    crs_text = req.spec.crs or "EPSG:4326"
    if req.spec.crs is None:
        crs_text, geoms = _axis_and_crs(req, geoms, issues)
    crs = parse_crs(crs_text, f"layer {req.label}: crs")
    # Every column as text (a file's own "geometry" column would clash with the geometry).
    kept = {f: _text(df, f) for f in df.columns if f != "geometry"}
    out = gpd.GeoDataFrame(kept, geometry=list(geoms), crs=crs)
    for std, model in MODEL.items():
        out[model] = _text(df, std)
    raw = _text(df, "unite_fonciere_surface")
    area = to_number(raw)
    why = area_problems(raw, area)
    area = area.where(why == "")
    wrong = (why != "").to_numpy()
    if wrong.any():
        issues.append(
            _issue(
                req,
                Reason.of(
                    "bad_unite_fonciere_surface",
                    "{n} sites have an unite_fonciere_surface that cannot be used (an integer "
                    "of m² in the standard): {sites}",
                    n=int(wrong.sum()),
                    sites=name_rows(
                        [
                            f"{i} ({w}: {r!r})"
                            for i, w, r in zip(ids[wrong], why[wrong], raw[wrong], strict=True)
                        ]
                    ),
                ),
                "area unknown: outline from parcels if found, else a point",
                int(wrong.sum()),
            )
        )
    out["stated_area_m2"] = area.to_numpy(dtype=float)
    out["area_source"] = np.where(area.notna(), "unite_fonciere_surface", "")
    out["area_problem"] = np.where(wrong, "unite_fonciere_surface " + why.astype(str), "")
    out["parcel_ids"] = [",".join(p) for p in parse_parcel_ids(_text(df, "unite_fonciere_refcad"))]
    missing = shapely.is_missing(geoms)
    if missing.any():
        issues.append(
            _issue(
                req,
                Reason.of(
                    "no_cnig_geometry",
                    "{n} of {total} sites have no usable geometry (geompoint not a WKT point "
                    "and no geomsurf polygon): {sites}",
                    n=int(missing.sum()),
                    total=len(df),
                    sites=name_rows([str(v) for v in ids[missing]]),
                ),
                "skipped",
                int(missing.sum()),
            )
        )
        out = out.loc[~missing]
    return Imported(data=out, crs=crs, rows_read=len(df), issues=issues, encoding=enc)


def _axis_and_crs(
    req: ReadRequest, geoms: np.ndarray, issues: list[DataIssue]
) -> tuple[str, np.ndarray]:
    """The file's CRS and axis order when the project gives no ``crs``: lon/lat (EPSG:4326),
    latitude first as the standard's example, or Lambert-93 metres; the last two said."""
    have = ~shapely.is_missing(geoms)
    if not have.any():
        return "EPSG:4326", geoms
    c = shapely.get_coordinates(shapely.centroid(geoms[have]))
    x, y = c[:, 0], c[:, 1]
    x0, y0, x1, y1 = _LAMBERT93
    if ((np.abs(x) > 180) | (np.abs(y) > 90)).all() and (
        (x > x0) & (x < x1) & (y > y0) & (y < y1)
    ).all():
        issues.append(
            _issue(
                req,
                Reason.of(
                    "cnig_lambert93",
                    "the coordinates are metres of Lambert-93 (EPSG:2154), not degrees",
                ),
                'read as EPSG:2154; set crs = "EPSG:2154" on the layer to say so',
                severity="info",
            )
        )
        return "EPSG:2154", geoms
    here = np.asarray(in_metropolitan_france(x, y), dtype=bool)
    swapped = np.asarray(in_metropolitan_france(y, x), dtype=bool)
    if not here.any() and swapped.mean() >= 0.5:
        issues.append(
            _issue(
                req,
                Reason.of(
                    "cnig_latitude_first",
                    "the WKT coordinates are written latitude first, as in the CNIG Friches "
                    "standard's example POINT(49.2527 3.9815)",
                ),
                "read latitude first",
            )
        )
        return "EPSG:4326", _swap(geoms)
    return "EPSG:4326", geoms


register(
    Importer(
        name="cnig-friches",
        kinds=("table",),
        description="CNIG Friches exchange file (schema-friches CSV: site_id, geompoint WKT…)",
        read=_read,
        matches=_matches,
        publisher=None,
        licence=None,
    ),
    before="cartofriches",
)
