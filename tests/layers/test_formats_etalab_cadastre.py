"""``etalab-cadastre`` parcels and the ``parcels`` role's ``idpar``.

Small files follow the Etalab export of the plan cadastral informatisé
(cadastre.data.gouv.fr, ``cadastre-<commune>-parcelles.json`` and ``.json.gz``): a GeoJSON
FeatureCollection in lon/lat whose properties are id (14 characters: commune 5, prefixe 3,
section 2, numero 4), commune, prefixe, section, numero, contenance (m², integer), arpente,
created, updated.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely
import tomli_w
from pyproj import CRS, Transformer

from siteassess.layers import Layer, open_layer
from siteassess.layers.formats.etalab_cadastre import valid_parcel_ids
from siteassess.project import Project, load_project

TO_LL = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)
X0, Y0 = 705_000.0, 7_030_000.0  # Lambert-93 near Douai


def _parcel(pid: str, i: int | None, contenance: int | None = 10_000) -> dict[str, Any]:
    """One Etalab feature: a 100 m square ``i`` hundred metres east of X0 (None: no shape)."""
    geometry = None
    if i is not None:
        ring = [(X0 + 100 * i, Y0), (X0 + 100 * (i + 1), Y0), (X0 + 100 * (i + 1), Y0 + 100)]
        ring += [(X0 + 100 * i, Y0 + 100), (X0 + 100 * i, Y0)]
        geometry = {"type": "Polygon", "coordinates": [[list(TO_LL.transform(*p)) for p in ring]]}
    return {
        "type": "Feature",
        "id": pid,
        "geometry": geometry,
        "properties": {
            "id": pid,
            "commune": pid[:5],
            "prefixe": pid[5:8],
            "section": pid[8:10],
            "numero": pid[10:],
            "contenance": contenance,
            "arpente": False,
            "created": "2005-06-15",
            "updated": "2023-01-04",
        },
    }


FEATURES = [
    _parcel("59205000AP0021", 0),
    _parcel("59205000AP0026", 1, 9_987),
    _parcel("2A004000AB0012", 2, None),  # Corsica: département 2A
    _parcel("59205000AP21", 3),  # malformed: 12 characters
    _parcel("59205000ap0064", 4),  # lower-case section: accepted, upper-cased
    _parcel("59205000AP0099", None),  # no geometry
]


def _write(path: Path, features: list[dict[str, Any]] = FEATURES) -> Path:
    text = json.dumps({"type": "FeatureCollection", "features": features})
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, "utf-8")
    return path


def _open(path: Path, make_project: Callable[..., Project], **keys: Any) -> Layer:
    sites = {"role": "sites", "path": "sites.gpkg"}
    project = make_project([sites, {"role": "parcels", "path": path.name, **keys}], crs="EPSG:2154")
    return open_layer(project.layers_of("parcels")[0], project, CRS.from_epsg(2154), None)


def test_parcel_id_pattern() -> None:
    ids = pd.Series(
        ["59205000AP0021", "2B033000A00012", "97101000AB0001", "59205000AP21", "5920500AP00210"]
    )
    assert valid_parcel_ids(ids).tolist() == [True, True, True, False, False]


def test_etalab_json_is_detected_and_bad_rows_reported(
    tmp_path: Path, make_project: Callable[..., Project]
) -> None:
    path = _write(tmp_path / "cadastre-59205-parcelles.json")
    layer = _open(path, make_project)
    assert layer.provenance.format == "etalab-cadastre"
    assert layer.provenance.source == "DGFiP / Etalab, plan cadastral informatisé"
    assert layer.provenance.licence == "Licence Ouverte 2.0"
    out = layer.frame().set_index("idpar")
    assert list(out.index) == [
        "59205000AP0021",
        "59205000AP0026",
        "2A004000AB0012",
        "59205000AP0064",
    ]
    assert out["contenance_m2"].tolist()[:2] == [10_000, 9_987]
    assert out["contenance_m2"].isna().tolist() == [False, False, True, False]  # never 0
    assert out["section"].tolist()[0] == "AP" and out["commune"].tolist()[0] == "59205"
    # 100 m squares drawn in Lambert-93 come back as 1 ha each.
    assert out.geometry.area.tolist() == pytest.approx([10_000] * 4, rel=1e-6)
    (bad,) = [i for i in layer.issues if "malformed" in i.message]
    assert bad.count == 1 and "59205000AP21" in bad.message and bad.action == "skipped"
    assert bad.source == str(path)
    shapes = [i for i in layer.issues if "geometry" in i.message]
    assert len(shapes) == 1  # once, by the importer, naming the parcel
    assert shapes[0].count == 1 and "59205000AP0099" in shapes[0].message
    assert layer.provenance.rows_read == 6 and layer.features == 4


def test_gzipped_export_with_explicit_format(
    tmp_path: Path, make_project: Callable[..., Project]
) -> None:
    path = _write(tmp_path / "cadastre-59205-parcelles.json.gz")
    layer = _open(path, make_project, format="etalab-cadastre")
    assert layer.provenance.format == "etalab-cadastre"
    assert sorted(layer.frame()["idpar"]) == sorted(
        ["59205000AP0021", "59205000AP0026", "2A004000AB0012", "59205000AP0064"]
    )


def test_gzipped_export_opens_without_format(
    tmp_path: Path, make_project: Callable[..., Project]
) -> None:
    features = [_parcel("59205000AP0021", 0), _parcel("59205000AP0026", 1)]
    path = _write(tmp_path / "cadastre-59205-parcelles.json.gz", features)
    layer = _open(path, make_project)
    assert layer.provenance.format == "etalab-cadastre"  # detected inside the gzip
    assert layer.frame()["idpar"].tolist() == ["59205000AP0021", "59205000AP0026"]


def test_parcels_role_takes_idpar_from_id_field_or_known_columns(
    tmp_path: Path, make_project: Callable[..., Project]
) -> None:
    boxes = [shapely.box(X0, Y0, X0 + 10, Y0 + 10)] * 2
    gdf = gpd.GeoDataFrame(
        {"IDU": [" 59205000ap0021", "59205000AP0026"], "idpar": ["x", "y"]},
        geometry=boxes,
        crs="EPSG:2154",
    )
    gdf.to_file(tmp_path / "pci.gpkg")
    by_field = _open(tmp_path / "pci.gpkg", make_project, id_field="IDU").frame()
    assert by_field["idpar"].tolist() == ["59205000AP0021", "59205000AP0026"]
    gdf.drop(columns="IDU").to_file(tmp_path / "own.gpkg")
    assert _open(tmp_path / "own.gpkg", make_project).frame()["idpar"].tolist() == ["X", "Y"]
    gdf.drop(columns=["IDU", "idpar"]).to_file(tmp_path / "none.gpkg")
    assert "idpar" not in _open(tmp_path / "none.gpkg", make_project).frame().columns


def test_project_accepts_the_format_name(tmp_path: Path) -> None:
    doc = {
        "schema": 1,
        "name": "p",
        "layers": [
            {"role": "sites", "path": "s.gpkg"},
            {"role": "parcels", "path": "c.json.gz", "format": "etalab-cadastre"},
        ],
        "criteria": {"land": {"weight": 1}},
    }
    (tmp_path / "p.toml").write_text(tomli_w.dumps(doc), "utf-8")
    assert load_project(tmp_path / "p.toml").layers[1].format == "etalab-cadastre"
