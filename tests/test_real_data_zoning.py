"""The zoning criterion on the real inventory: all 2,111 friches of Nord and Pas-de-Calais.

There is no public PLU file in ../shared/data, so the zones are the real commune outlines
of IGN Admin Express, each given a CNIG zone type (``TYPEZONE``) from its INSEE code and
written as a ``zone_urba`` GeoPackage in the CNIG PLU v2017 field names: real geometry
(about 1,500 polygons, simplified, not a partition to the metre), ILLUSTRATIVE zoning.
Each site's allowed share is checked against geopandas' overlay of the sites with the
dissolved allowed zones, a different computation from the criterion's STRtree.
"""

from __future__ import annotations

import time
import tomllib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import tomli_w

from siteassess.assessment import measure
from siteassess.project_checks import open_project
from tests.conftest import real_inventory_project, require_shared_data

TYPES = np.array(["U", "AUc", "AUs", "A", "N"])


def test_zoning_of_every_friche_matches_an_overlay(tmp_path: Path) -> None:
    data = require_shared_data()
    communes = pd.concat(
        [
            gpd.read_file(data / f)
            for f in ("communes-59-nord.geojson", "communes-62-pas-de-calais.geojson")
        ],
        ignore_index=True,
    ).to_crs(2154)
    digit = communes["code"].str[-1].astype(int).to_numpy()
    zones = gpd.GeoDataFrame(
        {
            "IDURBA": communes["code"] + "_PLU_20200101",
            "LIBELLE": TYPES[digit % 5] + "-" + communes["code"],
            "LIBELONG": communes["nom"],
            "TYPEZONE": TYPES[digit % 5],
            "DATAPPRO": "20200101",
        },
        geometry=communes.geometry.values,
        crs=2154,
    )
    zones.to_file(tmp_path / "zone_urba.gpkg")
    path = real_inventory_project(tmp_path)
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    doc["layers"] = [lyr for lyr in doc["layers"] if lyr["role"] in ("sites", "context")]
    doc["layers"].append({"role": "zoning", "path": str(tmp_path / "zone_urba.gpkg")})
    doc["criteria"] = {"zoning": {"weight": 1}, "land": {"weight": 1}}
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")

    start = time.perf_counter()
    m = measure(open_project(path))
    took = time.perf_counter() - start
    assert len(m.sites) == 2111
    sites = m.sites[["geometry"]].reset_index()
    allowed = zones[zones["TYPEZONE"].isin(["U", "AUc"])].dissolve()
    pieces = gpd.overlay(sites, allowed[["geometry"]], how="intersection", keep_geom_type=True)
    inside = pieces.assign(a=pieces.area).groupby("site_id")["a"].sum()
    expected = 100 * inside.reindex(sites["site_id"]).fillna(0.0).to_numpy() / sites.area.to_numpy()
    got = m.measures.loc[sites["site_id"], "zoning_share_allowed_pct"].to_numpy(dtype=float)
    known = ~np.isnan(got)
    assert known.sum() > 2000  # a few friches may lie beyond the simplified outlines
    np.testing.assert_allclose(got[known], expected[known], atol=1e-6)
    excluded = set(m.exclusions["zoning"])
    share_bad = m.measures["zoning_share_excluding_pct"]
    assert excluded == set(share_bad.index[share_bad > 1.0])
    print(f"zoning of {len(sites)} friches against {len(zones)} zones: {took:.1f} s (with reading)")
    assert took < 60
