"""Cartofriches inventory: real file, parcel outlines, approximate discs, bad rows.

Small files follow the Cerema Cartofriches export schema (field names as in
../shared/data/cartofriches_59_62.geojson: site_id, site_nom, site_statut, comm_nom,
comm_insee, site_surface and unite_fonciere_surface in m², l_idpar as a list of
14-character parcel ids).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Transformer

from siteassess.layers import open_sites
from siteassess.layers.formats.cartofriches import parse_parcel_ids
from siteassess.project import load_project

TO_LL = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)
X0, Y0 = 700_000.0, 7_000_000.0


def _carto_feature(
    sid: str,
    x: float,
    y: float,
    uf: float | None,
    site: float | None,
    parcels: list[str] | None,
    status: str = "friche sans projet",
) -> dict:
    lon, lat = TO_LL.transform(x, y)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "site_id": sid,
            "site_nom": f"Friche {sid}",
            "site_statut": status,
            "comm_nom": "ESCAUDAIN",
            "comm_insee": "59205",
            "site_type": "industrielle",
            "site_surface": site,
            "unite_fonciere_surface": uf,
            "l_idpar": parcels,
            "sol_pollution_existe": "pollution avérée",
            "urba_zone_type": "U",
        },
    }


def _write(path: Path, features: list[dict]) -> None:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")


def _parcels() -> gpd.GeoDataFrame:
    # Etalab-style ids; squares of 100 m (1 ha) east of X0.
    ids = ["59205000AP0021", "59205000AP0026", "59205000AP0064", "59361000AM0001"]
    boxes = [shapely.box(X0 + 100 * i, Y0, X0 + 100 * (i + 1), Y0 + 100) for i in range(4)]
    return gpd.GeoDataFrame({"idpar": ids}, geometry=boxes, crs="EPSG:2154")


@pytest.fixture
def inventory(tmp_path: Path, write_project: Callable[..., Path]) -> Callable[..., Path]:
    def _make(with_parcels: bool) -> Path:
        _write(
            tmp_path / "friches.geojson",
            [
                _carto_feature(
                    "A", X0 + 100, Y0 + 50, 20_000.0, 15_000.0, ["59205000AP0021", "59205000AP0026"]
                ),
                _carto_feature(
                    "B", X0 + 300, Y0 + 50, None, 30_000.0, ["59205000AP0064", "59205000ZZ9999"]
                ),
                _carto_feature("C", X0 + 5000, Y0, 120_000.0, None, ["62249000AB0001"]),
                _carto_feature("D", X0 + 9000, Y0, None, None, None),
            ],
        )
        layers: list[dict] = [{"role": "sites", "path": "friches.geojson"}]
        if with_parcels:
            layers.append({"role": "parcels", "path": "parcels.gpkg", "data": _parcels()})
        return write_project(layers, demand_mw=700)

    return _make


def test_without_parcels_outlines_are_discs_of_the_stated_area(
    inventory: Callable[..., Path],
) -> None:
    layer, crs = open_sites(load_project(inventory(False)))
    sites = layer.frame()
    assert layer.provenance.format == "cartofriches"
    assert layer.provenance.source == "Cerema, Cartofriches"
    assert layer.provenance.licence == "Licence Ouverte 2.0"
    assert crs.to_epsg() == 2154
    # unite_fonciere_surface first, else site_surface
    assert sites.loc["A"].geometry.area == pytest.approx(20_000.0, rel=1e-9)
    assert sites.loc["B"].geometry.area == pytest.approx(30_000.0, rel=1e-9)
    assert sites.loc["C"].geometry.area == pytest.approx(120_000.0, rel=1e-9)
    assert sites.loc[["A", "B", "C"], "approximate"].all()
    assert sites.loc["A", "outline_source"].startswith("approximate")
    assert sites.loc["D"].geometry.geom_type == "Point"
    assert not sites.loc["D", "approximate"]
    assert sites.loc["A", "status"] == "friche sans projet"
    assert sites.loc["A", "pollution"] == "pollution avérée"
    assert sites.loc["A", "zoning"] == "U" and sites.loc["A", "cartofriches_id"] == "A"
    issue = next(i for i in layer.issues if "no area" in i.message)
    assert "D" in issue.message and "friches.geojson" in issue.source and issue.count == 1


def test_with_parcels_outlines_are_unions_of_the_listed_parcels(
    inventory: Callable[..., Path],
) -> None:
    layer, _ = open_sites(load_project(inventory(True)))
    sites = layer.frame()
    a = sites.loc["A"]
    expected = shapely.box(X0, Y0, X0 + 200, Y0 + 100)  # parcels AP0021 + AP0026
    assert a.geometry.symmetric_difference(expected).area < 1e-6
    assert not a["approximate"] and a["outline_source"] == "union of 2 cadastral parcels"
    b = sites.loc["B"]
    assert b.geometry.area == pytest.approx(10_000.0)  # only AP0064 exists
    assert b["outline_source"] == "union of 1 cadastral parcels (1 of 2 listed not found)"
    assert sites.loc["C", "approximate"]  # none of its parcels: disc of the stated area
    issue = next(i for i in layer.issues if "not in the parcels layer" in i.message)
    assert "B: 59205000ZZ9999" in issue.message and "C: 62249000AB0001" in issue.message
    assert issue.count == 2


def test_parcel_id_lists_as_met_in_exports() -> None:
    import pandas as pd

    got = parse_parcel_ids(
        pd.Series(
            [
                ["59205000AP0021", "59205000AP0026"],
                '["59205000AP0021"]',
                "{59205000AP0021,2A004000AB0012}",
                "59205000AP0021|junk",
                None,
            ]
        )
    )
    assert got == [
        ["59205000AP0021", "59205000AP0026"],
        ["59205000AP0021"],
        ["59205000AP0021", "2A004000AB0012"],
        ["59205000AP0021"],
        [],
    ]


def test_csv_export_latin1_semicolon(tmp_path: Path, write_project: Callable[..., Path]) -> None:
    lon, lat = TO_LL.transform(X0, Y0)
    text = (
        "site_id;site_nom;site_statut;comm_nom;site_surface;unite_fonciere_surface;l_idpar;"
        "longitude;latitude\n"
        f"59205_1;Friche de l'Écluse;friche sans projet;ESCAUDAIN;50000;;"
        f"{{59205000AP0021}};{str(lon).replace('.', ',')};{str(lat).replace('.', ',')}\n"
    )
    (tmp_path / "friches.csv").write_bytes(text.encode("latin-1"))
    layer, _ = open_sites(load_project(write_project([{"role": "sites", "path": "friches.csv"}])))
    site = layer.frame().loc["59205_1"]
    assert site["name"] == "Friche de l'Écluse"
    assert site.geometry.area == pytest.approx(50_000.0, rel=1e-9)
    assert np.allclose(site.geometry.centroid.coords[0], (X0, Y0), atol=0.01)


def test_real_inventory_reads_every_row(
    shared_data: Path, write_project: Callable[..., Path]
) -> None:
    path = shared_data / "cartofriches_59_62.geojson"
    raw = json.loads(path.read_text("utf-8"))["features"]
    layer, crs = open_sites(load_project(write_project([{"role": "sites", "path": str(path)}])))
    sites = layer.frame()
    assert layer.provenance.rows_read == len(raw) == len(sites) == 2111
    assert crs.to_epsg() == 2154
    props = {f["properties"]["site_id"]: f["properties"] for f in raw}
    esc = sites.loc["59205_12242"]
    # FACTS.md: the Escaudain land unit is 38.8 ha
    assert esc.geometry.area / 10_000 == pytest.approx(38.8, abs=0.05)
    stated = props["59205_12242"]["unite_fonciere_surface"]
    assert esc.geometry.area == pytest.approx(stated, rel=1e-9)
    assert esc["approximate"] and esc["status"] == "friche avec projet"
    no_parcels = sum(1 for p in props.values() if not p["l_idpar"])
    assert (sites["parcel_ids"] == "").sum() == no_parcels
