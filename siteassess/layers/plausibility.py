"""Are the coordinates and areas read from a layer believable? Checked right after reading.

Three kinds of wrong numbers are caught here, before they are reprojected or measured:

- coordinates that are not numbers a CRS can hold (``inf``, ``nan``, ``1e308``, a longitude
  of 400°): those rows are skipped and named, and a layer of nothing else is refused;
- sites where the working CRS is not made to measure: more than 5° outside its area of
  use (pyproj ``CRS.area_of_use``), or outside it where it distorts distances by over 1 %.
  A few such sites are skipped and named; a sites layer where it is most of them is
  refused, and a layer that would be in place with longitude and latitude swapped is
  refused with that advice;
- stated areas (Cartofriches' ``unite_fonciere_surface``) that are not a believable site
  area: zero, negative, not finite, unreadable, or above :data:`MAX_SITE_AREA_M2`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from siteassess.errors import DataIssue, LayerContentError, Quantity, Reason
from siteassess.layers.crs import MAX_SCALE_ERROR, crs_label, in_metropolitan_france, scale_error
from siteassess.layers.readers import TABLE_SUFFIXES

# No projected CRS on Earth has coordinates beyond 10⁸ of its units: the equator is 4·10⁷ m.
MAX_PROJECTED = 1e8
# The largest believable stated area of one site: 100 km² (10,000 ha). The largest land
# unit in Cerema's Cartofriches export of Nord and Pas-de-Calais (March 2023, 2,111 friches)
# is 18.9 km² (1,888 ha: three friches of one former coal-mining unit in 59112), so this
# leaves a factor of five; it is also six times the average French commune (15.6 km²).
# The bug it stops: a stated 1e13 m² drew a disc 3,568 km across that ranked first.
MAX_SITE_AREA_M2 = 1e8
# How far beyond the bounding box of a CRS's area of use a site may lie (then only while
# the CRS distorts distances there by at most 1 %): 5° keeps all of France in UTM 31N.
AREA_MARGIN_DEG = 5.0
NAMED = 8  # rows named in one message; the count says how many more
CHUNK = 200_000  # geometries whose coordinates are checked at a time (bounded memory)
SAMPLE = 5_000  # features of a non-site layer whose position is checked for a swap
ID_COLUMNS = ("site_id", "id", "code", "Code poste", "idpar", "name", "nom")


def name_rows(names: Sequence[str], total: int | None = None) -> str:
    """``a, b, c`` and ``… (12 in all)`` past :data:`NAMED` names."""
    shown = ", ".join(names[:NAMED])
    n = len(names) if total is None else total
    return shown + (f"… ({n} in all)" if n > NAMED else "")


def row_names(gdf: gpd.GeoDataFrame, mask: np.ndarray, id_field: str | None) -> list[str]:
    """How messages name the masked rows: by id when the layer has one, else ``row N``."""
    col = next((c for c in (id_field, *ID_COLUMNS) if c and c in gdf.columns), None)
    pos = np.flatnonzero(mask)
    if col is not None:
        ids = gdf[col].iloc[pos].astype("string").fillna("?")
        return [f"{col} {v}" for v in ids]
    if gdf.index.name == "site_id":
        return [str(v) for v in gdf.index[pos]]
    return [f"row {int(i) + 1}" for i in gdf.index[pos]]


# ------------------------------------------------------------------ unusable coordinates


def unusable_coordinates(geoms: np.ndarray, crs: CRS | None) -> np.ndarray:
    """True for each geometry with a coordinate that is not finite or out of its CRS's range."""
    geographic = crs is not None and crs.is_geographic
    bad = np.zeros(len(geoms), dtype=bool)
    for start in range(0, len(geoms), CHUNK):
        part = geoms[start : start + CHUNK]
        coords, index = shapely.get_coordinates(part, return_index=True)
        if geographic:
            # Longitudes up to 360° are met in files counted eastwards from Greenwich.
            wrong = (np.abs(coords[:, 0]) > 360.0) | (np.abs(coords[:, 1]) > 90.0)
        else:
            wrong = (np.abs(coords) > MAX_PROJECTED).any(axis=1)
        wrong |= ~np.isfinite(coords).all(axis=1)  # also NaN, which compares False
        bad[start : start + len(part)] = np.bincount(index[wrong], minlength=len(part)) > 0
    return bad


def drop_unusable_coordinates(
    gdf: gpd.GeoDataFrame,
    crs: CRS | None,
    label: str,
    source: str,
    issues: list[DataIssue],
    *,
    id_field: str | None = None,
) -> gpd.GeoDataFrame:
    """Skip (and name) the features whose coordinates no CRS can hold; refuse if all are."""
    if gdf.empty:
        return gdf
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    bad = unusable_coordinates(geoms, crs)
    if not bad.any():
        return gdf
    n = int(bad.sum())
    rng = (
        "longitude within ±360° and latitude within ±90°"
        if crs is not None and crs.is_geographic
        else f"coordinates within ±{MAX_PROJECTED:.0e} {_unit(crs)}"
    )
    named = name_rows(row_names(gdf, bad, id_field))
    reason = Reason.of(
        "coordinates_out_of_range",
        "{n} of {total} features have coordinates that are not finite numbers or out of "
        "range for {crs} (expected {range}): {named}",
        n=n,
        total=len(gdf),
        crs=crs_label(crs),
        range=rng,
        named=named,
    )
    what = reason.text()
    if bad.all():
        raise LayerContentError(f"layer {label}: {source}: {what}; {_fix_advice(geoms, crs)}")
    issues.append(DataIssue.of(label, reason, source=source, action="skipped", count=n))
    return gdf.loc[~bad]


def _fix_advice(geoms: np.ndarray, crs: CRS | None) -> str:
    """How to fix a layer of which no coordinate can be used."""
    if crs is not None and crs.is_geographic:
        coords = shapely.get_coordinates(geoms[:1000])
        with np.errstate(invalid="ignore"):
            metres = np.isfinite(coords).all(axis=1) & (np.abs(coords) > 1_000).any(axis=1)
        if len(coords) and metres.mean() > 0.5:
            return (
                "these look like metres, not degrees: set crs for this layer to the CRS of "
                'its coordinates (e.g. crs = "EPSG:2154" for Lambert-93)'
            )
    return "fix the coordinates (or the layer's crs) in the file"


def _unit(crs: CRS | None) -> str:
    if crs is None or not crs.axis_info:
        return "units"
    return crs.axis_info[0].unit_name or "units"


# ------------------------------------------------------------------ where sites can be measured


def lonlat(gdf: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of each feature's bounding-box centre (finite coordinates)."""
    b = shapely.bounds(np.asarray(gdf.geometry.values, dtype=object))
    x, y = (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2
    crs = CRS.from_user_input(gdf.crs) if gdf.crs is not None else None
    if crs is None or crs.equals(CRS.from_epsg(4326)):
        return x, y
    t = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    with np.errstate(all="ignore"):
        lon, lat = t.transform(x, y)
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def _inside(lon: np.ndarray, lat: np.ndarray, bounds: tuple[float, ...], pad: float) -> np.ndarray:
    w, s, e, n = bounds
    if e - w + 2 * pad >= 360:
        in_lon = np.ones(len(lon), dtype=bool)
    elif w <= e:
        in_lon = (lon >= w - pad) & (lon <= e + pad)
    else:  # an area of use across the antimeridian has west > east
        in_lon = (lon >= w - pad) | (lon <= e + pad)
    return np.asarray(in_lon & (lat >= s - pad) & (lat <= n + pad))


def unmeasurable(lon: np.ndarray, lat: np.ndarray, crs: CRS) -> np.ndarray:
    """True where ``crs`` is not made to measure: far outside its area of use, or outside it
    and distorting distances by more than 1 %.

    "Far" is :data:`AREA_MARGIN_DEG` beyond the area's bounding box: Lambert-93 keeps a
    local scale within 1 % as far as Warsaw or Mongolia (a conic's scale depends on the
    latitude only), but a site there in a French project is a wrong coordinate.
    """
    area = crs.area_of_use
    if area is None:
        outside = np.ones(len(lon), dtype=bool)
        far = np.zeros(len(lon), dtype=bool)
    else:
        outside = ~_inside(lon, lat, area.bounds, 0.0)
        far = ~_inside(lon, lat, area.bounds, AREA_MARGIN_DEG)
    out = far.copy()
    check = outside & ~far
    if check.any():
        out[check] = scale_error(crs, lon[check], lat[check]) > MAX_SCALE_ERROR
    return out


def _area_text(crs: CRS) -> str:
    area = crs.area_of_use
    if area is None:
        return f"{crs_label(crs)}"
    w, s, e, n = area.bounds
    return (
        f"{crs_label(crs)}, made for {area.name.rstrip('.')} "
        f"(lon {w:g} to {e:g}, lat {s:g} to {n:g})"
    )


def _where(lon: np.ndarray, lat: np.ndarray, ids: Sequence[str]) -> list[str]:
    return [f"{i} (lon {x:.4f}, lat {y:.4f})" for i, x, y in zip(ids, lon, lat, strict=True)]


def check_site_locations(
    sites: gpd.GeoDataFrame,
    configured: CRS | None,
    label: str,
    source: str,
    issues: list[DataIssue],
) -> gpd.GeoDataFrame:
    """Refuse a swapped or misplaced sites layer; skip and name the few sites far off.

    ``configured`` is the project's working CRS, or None when it is chosen from the sites
    (Lambert-93 when most of them are in France: the others are then checked against it).
    """
    lon, lat = lonlat(sites)
    ids = [str(v) for v in sites.index]
    here_fr = np.asarray(in_metropolitan_france(lon, lat), dtype=bool)
    swapped_fr = np.asarray(in_metropolitan_france(lat, lon), dtype=bool)
    if configured is None:
        if not here_fr.any() and swapped_fr.mean() >= 0.5:
            # Sites really on the Horn of Africa swap into France too: they can say so.
            err = _swapped(label, source, lon, lat, ids, "metropolitan France")
            raise LayerContentError(
                f"{err}. If the sites really lie where they are, set crs in the project to a "
                "projected CRS made for them"
            )
        if here_fr.mean() < 0.5:
            return sites  # working in a UTM zone: crs.choose_working_crs checks the spread
        target = CRS.from_epsg(2154)
    else:
        target = configured
    bad = unmeasurable(lon, lat, target)
    if not bad.any():
        return sites
    swap_ok = ~unmeasurable(lat, lon, target)
    where = _area_text(target)
    named = name_rows(_where(lon[bad], lat[bad], list(np.array(ids)[bad])))
    if bad.all() and (swap_ok.mean() >= 0.5 or swapped_fr.mean() >= 0.5):
        raise _swapped(label, source, lon, lat, ids, where)
    if 2 * int(bad.sum()) > len(sites):
        raise LayerContentError(
            f"layer {label}: {source}: {int(bad.sum())} of {len(sites)} sites lie where the "
            f"working CRS {where} is not made to measure (far outside its area of use, or "
            f"distances off by more than {MAX_SCALE_ERROR:.0%}): {named}. "
            "Check the layer's crs, or set crs in the project to a CRS made for these sites"
        )
    hint = ""
    if (bad & swap_ok).any():
        n_swap = int((bad & swap_ok).sum())
        hint = f"; with longitude and latitude swapped, {n_swap} would be in place"
    issues.append(
        DataIssue.of(
            label,
            Reason.of(
                "outside_crs_area",
                "{n} of {total} sites lie far outside the area of the working CRS {where}, "
                "which is not made to measure there (distances off by more than {error}, or "
                "too far to tell): {named}{hint}; check their coordinates",
                n=int(bad.sum()),
                total=len(sites),
                where=where,
                error=Quantity(MAX_SCALE_ERROR * 100, "%", 0),
                named=named,
                hint=hint,
            ),
            source=source,
            action="skipped",
            count=int(bad.sum()),
        )
    )
    return sites.loc[~bad]


def _swapped(
    label: str, source: str, lon: np.ndarray, lat: np.ndarray, ids: Sequence[str], where: str
) -> LayerContentError:
    return LayerContentError(
        f"layer {label}: {source}: longitude and latitude look swapped: no feature lies in "
        f"{where}, but with the two swapped they do "
        f"(e.g. {name_rows(_where(lon[:3], lat[:3], ids[:3]), len(ids))}). {_swap_advice(source)}"
    )


def _swap_advice(source: str) -> str:
    if Path(source).suffix.lower() in TABLE_SUFFIXES:
        return "Swap x_field and y_field for this layer (or the columns in the file)"
    return (
        "The file holds its points as (latitude, longitude): export it again with the "
        "longitude first (x) and the latitude second (y)"
    )


def refuse_swapped_layer(
    gdf: gpd.GeoDataFrame, working: CRS, label: str, source: str, *, id_field: str | None = None
) -> None:
    """Refuse a non-site layer that lies where the working CRS cannot measure but swapped fits."""
    if gdf.empty:
        return
    step = max(1, len(gdf) // SAMPLE)
    part = gdf.iloc[::step]
    lon, lat = lonlat(part)
    off = unmeasurable(lon, lat, working)
    if off.mean() < 0.9:
        return
    swap_ok = ~unmeasurable(lat, lon, working)
    if swap_ok.mean() < 0.9:
        return
    names = row_names(part, np.ones(len(part), dtype=bool), id_field)
    raise _swapped(label, source, lon, lat, names, _area_text(working))


# ------------------------------------------------------------------------------ areas


def area_problems(raw: pd.Series, values: pd.Series) -> pd.Series:
    """Why each stated area (m²) cannot be used, or ``""``; a blank is not a problem here.

    ``raw`` is the field as read (text or number), ``values`` the same parsed to numbers.
    """
    text = raw.astype("string").str.strip()
    blank = (text.isna() | (text == "")).to_numpy()
    v = values.to_numpy(dtype=float, na_value=np.nan)
    why = np.full(len(v), "", dtype=object)
    with np.errstate(invalid="ignore"):
        why[np.isnan(v) & ~blank] = "not a number"
        why[np.isinf(v)] = "not finite"
        why[v <= 0] = "not positive"
        why[np.isfinite(v) & (v > MAX_SITE_AREA_M2)] = (
            f"above {MAX_SITE_AREA_M2 / 1e6:,.0f} km², not a believable site"
        )
    return pd.Series(why, index=raw.index, dtype=object)


def plausible_area(area: np.ndarray) -> np.ndarray:
    """True where an area in m² can be drawn as a site: finite, positive, not above the bound."""
    with np.errstate(invalid="ignore"):
        return np.asarray(np.isfinite(area) & (area > 0) & (area <= MAX_SITE_AREA_M2))
