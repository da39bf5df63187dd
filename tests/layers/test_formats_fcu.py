"""``fcu``: France Chaleur Urbaine's heat networks and priority development perimeters.

Files written by tests/layers/fcu_files.py in FCU's open-data schema (its archive
``opendata-fcu.zip``, data.gouv.fr « Tracés des réseaux de chaleur et de froid »; the
GeoJSON of ``create-opendata-archive.sh`` and the Shapefile names of FCU's nomenclature).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import shapely

from siteassess.assessment import Measurements, measure
from siteassess.errors import LayerContentError
from siteassess.layers import Layer
from siteassess.project import load_project
from tests.conftest import squares
from tests.layers import fcu_files as fcu

X0, Y0 = 705_000.0, 7_030_000.0

TRACES = [
    fcu.network(
        shapely.LineString([(X0 + 1000, Y0 - 500), (X0 + 1000, Y0 + 500)]),
        "5911C",
        "Réseau de Créteil-Nord",
        "Dalkia (EDF)",
        182_345.0,
        puissance_totale_MW=64.5,
        **{"Taux EnR&R": 61.2, "reseaux classes": True},
    ),
    fcu.network(
        shapely.LineString([(X0 - 3000, Y0), (X0 - 2000, Y0)]),
        None,  # a network FCU knows but the national survey does not: no id, no figures
        "Chaufferie du quartier Gare",
        "Régie municipale",
        None,
    ),
]
POINTS = [
    fcu.network(
        shapely.Point(X0, Y0 + 2000), "5920C", "Réseau d'Aniche", "Engie Solutions", 4321.0
    ),
    fcu.network(shapely.Point(X0 + 300, Y0), "5901F", "Froid Euralille", "Resonor", 9000.0),
]
PDP = [fcu.perimeter(shapely.box(X0 - 200, Y0 - 200, X0 + 100, Y0 + 200), "5911C", "Créteil")]


def _measure(write_project: Callable[..., Path], layers: list[dict[str, object]]) -> Measurements:
    sites = {"role": "sites", "path": "sites.gpkg", "data": squares([(X0, Y0)], 200)}
    path = write_project([sites, *layers], criteria={"land": {"weight": 1}}, demand_mw=100)
    return measure(load_project(path))


def _layer(m: Measurements, file_name: str) -> Layer:
    return next(lyr for lyr in m.layers if Path(lyr.spec.path).name == file_name)


def test_geojson_traces_points_and_perimeters_get_the_standard_columns(
    tmp_path: Path, write_project: Callable[..., Path]
) -> None:
    fcu.write_geojson(tmp_path / "reseaux_de_chaleur.geojson", TRACES)
    fcu.write_geojson(tmp_path / "reseaux_de_chaleur_sans_traces.geojson", POINTS)
    fcu.write_geojson(tmp_path / "pdp.geojson", PDP)
    m = _measure(
        write_project,
        [
            {"role": "heat_network", "path": "reseaux_de_chaleur.geojson"},
            {"role": "heat_network", "path": "reseaux_de_chaleur_sans_traces.geojson"},
            {"role": "heat_pdp", "path": "pdp.geojson"},
        ],
    )
    traces = _layer(m, "reseaux_de_chaleur.geojson")
    assert traces.provenance.format == "fcu"  # recognised by its columns
    assert traces.provenance.licence == "Licence Ouverte 2.0"
    t = traces.frame()
    assert list(t["network_id"].fillna("?")) == ["5911C", "?"]
    assert list(t["name"]) == ["Réseau de Créteil-Nord", "Chaufferie du quartier Gare"]
    assert list(t["operator"]) == ["Dalkia (EDF)", "Régie municipale"]
    assert t["delivered_mwh"].iloc[0] == 182_345.0 and np.isnan(t["delivered_mwh"].iloc[1])
    assert t["capacity_mw"].iloc[0] == 64.5 and t["renewable_pct"].iloc[0] == 61.2
    assert not t["point_only"].any()
    assert {i.code for i in traces.issues} >= {"fcu_no_deliveries"}
    # FCU's fields stay beside the standard ones.
    assert t["Gestionnaire"].iloc[0] == "Dalkia (EDF)"

    points = _layer(m, "reseaux_de_chaleur_sans_traces.geojson")
    p = points.frame()
    # The cold network (id ending in F) takes no waste heat: skipped, and said so.
    assert list(p["network_id"]) == ["5920C"] and p["point_only"].all()
    cold = next(i for i in points.issues if i.code == "fcu_cold_networks")
    assert cold.count == 1 and "5901F" in cold.message

    pdp = _layer(m, "pdp.geojson").frame()
    assert list(pdp["network_id"]) == ["5911C"] and pdp.geom_type.iloc[0] == "MultiPolygon"


def test_the_shapefile_reads_as_the_geojson(
    tmp_path: Path, write_project: Callable[..., Path]
) -> None:
    """Shapefile: 10-character field names, numbers as text, UTF-8 names (``Créteil``)."""
    fcu.write_geojson(tmp_path / "reseaux_de_chaleur.geojson", TRACES)
    fcu.write_shapefile(tmp_path / "reseaux_de_chaleur.shp", TRACES)
    m = _measure(
        write_project,
        [
            {"role": "heat_network", "path": "reseaux_de_chaleur.geojson"},
            {"role": "heat_network", "path": "reseaux_de_chaleur.shp"},
        ],
    )
    shp = _layer(m, "reseaux_de_chaleur.shp")
    assert shp.provenance.format == "fcu"
    a, b = _layer(m, "reseaux_de_chaleur.geojson").frame(), shp.frame()
    assert "Identifian" in b.columns and "livraisons" in b.columns
    for col in ("network_id", "name", "operator"):
        assert list(a[col].fillna("")) == list(b[col].fillna("")), col
    for col in ("delivered_mwh", "capacity_mw", "renewable_pct"):
        np.testing.assert_array_equal(a[col].to_numpy(float), b[col].to_numpy(float))


def test_format_fcu_on_another_file_names_the_missing_field(
    tmp_path: Path, write_project: Callable[..., Path]
) -> None:
    other = squares([(X0, Y0)], 50, nom=["x"])
    with pytest.raises(LayerContentError, match="Identifiant reseau.*Identifian"):
        _measure(
            write_project,
            [{"role": "heat_network", "path": "other.geojson", "data": other, "format": "fcu"}],
        )


def test_polygons_given_as_networks_are_skipped_and_reported(
    tmp_path: Path, write_project: Callable[..., Path]
) -> None:
    fcu.write_geojson(tmp_path / "pdp.geojson", PDP)
    m = _measure(write_project, [{"role": "heat_network", "path": "pdp.geojson"}])
    layer = _layer(m, "pdp.geojson")
    assert layer.frame().empty
    assert [i.count for i in layer.issues if i.code == "heat_network_polygons"] == [1]
