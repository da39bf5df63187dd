"""The naive baseline: what a straightforward per-site implementation does.

For each site, one at a time: the distance to every eligible substation and its minimum
(``GeoSeries.distance(site).min()``), the same for 400 kV, ``rasterio.mask.mask`` on the
flood raster for the flooded share, maximum depth and coverage (pixel centres inside the
outline, ``all_touched=False``, the rule siteassess uses), and geodesic round trips to
the exchanges. Files are read once, up front (timed apart as the set-up).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Geod, Transformer

FLAP = ("Frankfurt", "London", "Amsterdam", "Paris")
FIBRE_US_PER_KM = 4.9
GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class NaiveInputs:
    """The layers as a naive script would hold them (Lambert-93 GeoSeries, an open raster)."""

    sites: gpd.GeoDataFrame  # index: site_id
    eligible: gpd.GeoSeries  # in service, kV >= min_kv
    kv400: gpd.GeoSeries  # in service, 400 kV
    exchanges: pd.DataFrame  # name, market, lon, lat
    flood_path: Path


def _kv(label: str) -> float:
    """``400kV`` → 400.0; ``<45kV``, ``HORS TENSION``, ``COURANT CONTINU`` → NaN."""
    text = label.strip().upper()
    if not text.endswith("KV") or text.startswith("<"):
        return float("nan")
    return float(text[:-2])


def load_inputs(
    sites: Path, substations: Path, exchanges: Path, flood: Path, min_kv: float
) -> NaiveInputs:
    """Read the files with plain pandas / geopandas calls (the whole substation file)."""
    s = gpd.read_file(sites, layer="sites").set_index("site_id")
    postes = pd.read_csv(substations, sep=";", dtype=str, keep_default_na=False)
    kv = postes["Tension (kV)"].map(_kv).to_numpy(dtype=float)
    in_service = postes["Etat"].str.strip().str.upper().eq("EN EXPLOITATION").to_numpy()
    pts = gpd.GeoSeries(
        gpd.points_from_xy(
            postes["Longitude poste (DD)"].astype(float),
            postes["Latitude poste (DD)"].astype(float),
        ),
        crs="EPSG:4326",
    ).to_crs(s.crs)
    ex = pd.read_csv(exchanges)
    return NaiveInputs(
        sites=s,
        eligible=pts[in_service & (kv >= min_kv)].reset_index(drop=True),
        kv400=pts[in_service & (kv >= 400)].reset_index(drop=True),
        exchanges=ex,
        flood_path=flood,
    )


def measure_naive(
    inputs: NaiveInputs, site_ids: list[str], threshold_m: float = 0.0, route_factor: float = 1.4
) -> tuple[pd.DataFrame, float]:
    """Measure ``site_ids`` one by one; return the measures and the loop's seconds."""
    import rasterio
    from rasterio.features import geometry_mask
    from rasterio.mask import mask

    to_lonlat = Transformer.from_crs(inputs.sites.crs, "EPSG:4326", always_xy=True)
    ex = inputs.exchanges
    rows = []
    t0 = time.perf_counter()
    with rasterio.open(inputs.flood_path) as ds:
        for sid in site_ids:
            geom = inputs.sites.geometry.loc[sid]
            d = float(inputs.eligible.distance(geom).min())
            d400 = float(inputs.kv400.distance(geom).min())
            # Pixel centres inside the polygon (all_touched=False); nodata and outside masked.
            data, transform = mask(ds, [geom], crop=True, all_touched=False, filled=False)
            band = data[0]
            valid = band.compressed()
            covered = valid.size
            inside = geometry_mask([geom], band.shape, transform, invert=True).sum()
            coverage = 100.0 * covered / inside if inside else np.nan
            share = 100.0 * float((valid > threshold_m).sum()) / covered if covered else np.nan
            depth = float(valid.max()) if covered else np.nan
            c = geom.centroid
            lon, lat = to_lonlat.transform(c.x, c.y)
            rtt: dict[str, float] = {}
            for market in FLAP:
                sel = ex[ex["market"] == market]
                km = [
                    GEOD.inv(lon, lat, x, y)[2] / 1000
                    for x, y in zip(sel.lon, sel.lat, strict=True)
                ]
                rtt[market] = 2 * route_factor * min(km) * FIBRE_US_PER_KM / 1000
            rows.append(
                {
                    "site_id": sid,
                    "substation_distance_m": d,
                    "substation_400kv_distance_m": d400,
                    "flood_share_medium_pct": share,
                    "flood_max_depth_medium_m": depth,
                    "flood_coverage_medium_pct": coverage,
                    "rtt_flap_mean_ms": float(np.mean(list(rtt.values()))),
                }
            )
    seconds = time.perf_counter() - t0
    return pd.DataFrame(rows).set_index("site_id"), seconds
