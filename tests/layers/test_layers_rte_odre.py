"""The ``rte-odre`` importer on RTE's real ODRÉ substation export (../shared/data)."""

from __future__ import annotations

import csv
import math
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
from pyproj import CRS, Transformer

from siteassess.errors import LayerContentError
from siteassess.layers import Layer, open_layer
from siteassess.project import Project

TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
# The voltage labels of the export and what they mean, written by hand from its README.
KV_OF_LABEL = {
    "400kV": 400.0,
    "225kV": 225.0,
    "150kV": 150.0,
    "90kV": 90.0,
    "63kV": 63.0,
    "45kV": 45.0,
    "<45kV": math.nan,
    "HORS TENSION": math.nan,
    "COURANT CONTINU": math.nan,
}
HEADER = (
    "Code poste;Nom poste;FONCTION;Etat;Tension (kV);Longitude poste (DD);"
    "Latitude poste (DD);Géo-point poste (DD)"
)


def _rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def _expected_state(row: dict[str, str]) -> str:
    if row["Tension (kV)"] == "HORS TENSION":
        return "out_of_service"
    return {"EN EXPLOITATION": "in_service", "ACCORD ADMINISTRATIF": "authorised"}[row["Etat"]]


def _open_postes(
    path: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any], **keys: Any
) -> Layer:
    layer = {"role": "substations", "path": str(path), **keys}
    project = make_project([sites_layer, layer], crs="EPSG:2154")
    return open_layer(project.layers_of("substations")[0], project, CRS.from_epsg(2154), None)


@pytest.fixture(scope="module")
def rte_rows(rte_csv: Path) -> list[dict[str, str]]:
    return _rows(rte_csv)


@pytest.fixture
def postes(
    rte_csv: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> gpd.GeoDataFrame:
    layer = _open_postes(rte_csv, make_project, sites_layer, format="rte-odre")
    assert layer.provenance.format == "rte-odre"
    assert layer.provenance.encoding == "utf-8"
    return layer.frame()


def test_every_row_of_the_real_export_has_a_geometry(
    postes: gpd.GeoDataFrame, rte_rows: list[dict[str, str]]
) -> None:
    assert len(rte_rows) == 5079  # as published (data README)
    assert len(postes) == len(rte_rows)
    assert not postes.geometry.isna().any()
    assert postes.geometry.is_valid.all()
    assert postes["code"].tolist() == [r["Code poste"] for r in rte_rows]
    lon = [float(r["Longitude poste (DD)"]) for r in rte_rows]
    lat = [float(r["Latitude poste (DD)"]) for r in rte_rows]
    x, y = TO_L93.transform(lon, lat)
    got = np.column_stack([postes.geometry.x, postes.geometry.y])
    np.testing.assert_allclose(got, np.column_stack([x, y]), atol=0.01)


def test_mastaing_is_an_in_service_400kv_poste(postes: gpd.GeoDataFrame) -> None:
    row = postes.loc[postes["code"] == "MASTA"]
    assert len(row) == 1
    assert row["name"].iloc[0] == "MASTAING"
    assert row["kv"].iloc[0] == 400.0
    assert row["state"].iloc[0] == "in_service"
    assert not row["dc"].iloc[0]
    # Mastaing (Nord) lies near 3.29° E, 50.30° N.
    x, y = TO_L93.transform(3.2915, 50.2973)
    assert row.geometry.iloc[0].distance(gpd.points_from_xy([x], [y])[0]) < 50


def test_voltage_labels_and_states_match_an_independent_count(
    postes: gpd.GeoDataFrame, rte_rows: list[dict[str, str]]
) -> None:
    expected_kv = np.array([KV_OF_LABEL[r["Tension (kV)"]] for r in rte_rows])
    np.testing.assert_array_equal(postes["kv"].to_numpy(dtype=float), expected_kv)
    assert postes["kv_label"].tolist() == [r["Tension (kV)"] for r in rte_rows]
    assert postes["dc"].tolist() == [r["Tension (kV)"] == "COURANT CONTINU" for r in rte_rows]
    expected_states = Counter(_expected_state(r) for r in rte_rows)
    assert Counter(postes["state"].tolist()) == expected_states
    assert set(expected_states) == {"in_service", "authorised", "out_of_service"}
    assert postes["state"].tolist() == [_expected_state(r) for r in rte_rows]


def test_label_meanings_one_by_one(postes: gpd.GeoDataFrame) -> None:
    by_label = postes.groupby("kv_label")
    assert by_label["kv"].apply(lambda s: s.isna().all())["<45kV"]
    hors = postes[postes["kv_label"] == "HORS TENSION"]
    assert len(hors) > 0 and (hors["state"] == "out_of_service").all()
    dc = postes[postes["kv_label"] == "COURANT CONTINU"]
    assert len(dc) > 0 and dc["kv"].isna().all() and dc["dc"].all()
    authorised = postes[postes["state"] == "authorised"]
    assert len(authorised) > 0
    assert (authorised["kv_label"] != "HORS TENSION").all()


def test_iso_8859_1_copy_parses_the_same(
    tmp_path: Path,
    rte_csv: Path,
    postes: gpd.GeoDataFrame,
    make_project: Callable[..., Project],
    sites_layer: dict[str, Any],
) -> None:
    latin = tmp_path / "postes_latin1.csv"
    latin.write_bytes(rte_csv.read_text(encoding="utf-8").encode("iso-8859-1"))
    layer = _open_postes(latin, make_project, sites_layer, format="rte-odre")
    assert layer.provenance.encoding in ("cp1252", "latin-1")
    got = layer.frame()
    cols = ["code", "name", "kv_label", "state", "function", "dc"]
    assert got[cols].equals(postes[cols])
    np.testing.assert_array_equal(got["kv"].to_numpy(), postes["kv"].to_numpy())
    assert got.geometry.geom_equals_exact(postes.geometry, tolerance=0).all()
    # the only non-ASCII text is the header's "Géo-point": the bytes did change
    assert latin.read_bytes() != rte_csv.read_bytes()


def test_format_is_detected_from_the_columns(
    rte_csv: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> None:
    layer = _open_postes(rte_csv, make_project, sites_layer)
    assert layer.provenance.format == "rte-odre"
    assert layer.features == 5079


# ------------------------------------------------- small hand-made exports (no real data)


def _write(path: Path, header: str, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join([header, *lines]) + "\n").encode(encoding))
    return path


def test_geo_point_column_is_used_when_lon_lat_columns_are_absent(
    tmp_path: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> None:
    header = "Code poste;Nom poste;FONCTION;Etat;Tension (kV);Géo-point poste (DD)"
    path = _write(
        tmp_path / "postes.csv",
        header,
        [
            "MASTA;MASTAING;Poste de transformation;EN EXPLOITATION;400kV;50.2973, 3.2915",
            "AVELI;AVELIN;Poste de transformation;EN EXPLOITATION;400kV;50.5300, 3.0900",
            "BLANK;SANS POINT;Poste de transformation;EN EXPLOITATION;63kV;",
        ],
        encoding="cp1252",
    )
    layer = _open_postes(path, make_project, sites_layer)
    assert layer.provenance.format == "rte-odre"
    gdf = layer.frame()
    assert gdf["code"].tolist() == ["MASTA", "AVELI"]
    x, y = TO_L93.transform([3.2915, 3.09], [50.2973, 50.53])  # "lat, lon": lon is second
    np.testing.assert_allclose(
        np.column_stack([gdf.geometry.x, gdf.geometry.y]), np.column_stack([x, y]), atol=0.01
    )
    skipped = [i for i in layer.issues if i.action == "skipped"]
    assert len(skipped) == 1 and "1 of 3 rows" in skipped[0].message


@pytest.mark.parametrize("encoding", ["utf-8", "iso-8859-1"])
def test_geo_point_fallback_matches_lon_lat_on_the_real_file(
    encoding: str,
    tmp_path: Path,
    rte_csv: Path,
    postes: gpd.GeoDataFrame,
    make_project: Callable[..., Project],
    sites_layer: dict[str, Any],
) -> None:
    rows = _rows(rte_csv)
    keep = [c for c in rows[0] if "Longitude" not in c and "Latitude" not in c]
    path = tmp_path / "postes_geopoint.csv"
    # "Géo-point poste (DD)" must be recognised in either encoding
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=keep, delimiter=";", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    got = _open_postes(path, make_project, sites_layer, format="rte-odre").frame()
    assert len(got) == len(postes)
    assert (got.geometry.distance(postes.geometry) < 0.01).all()


def test_unknown_state_is_reported_and_not_in_service(
    tmp_path: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> None:
    path = _write(
        tmp_path / "postes.csv",
        HEADER,
        [
            "A;A;Poste de transformation;EN EXPLOITATION;225kV;3.1;50.3;50.3, 3.1",
            "B;B;Poste de transformation;EN PROJET;225kV;3.2;50.3;50.3, 3.2",
        ],
    )
    layer = _open_postes(path, make_project, sites_layer)
    assert layer.frame()["state"].tolist() == ["in_service", "unknown"]
    unknown = [i for i in layer.issues if "unknown state" in i.message]
    assert len(unknown) == 1 and "EN PROJET" in unknown[0].message
    assert "1 postes" in unknown[0].message


def test_a_file_that_is_not_an_rte_export_lists_the_missing_columns(
    tmp_path: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> None:
    path = _write(tmp_path / "autre.csv", "code;nom;lon;lat", ["A;A;3.1;50.3"])
    with pytest.raises(LayerContentError) as info:
        _open_postes(path, make_project, sites_layer, format="rte-odre")
    msg = str(info.value)
    assert str(path) in msg and "'Etat'" in msg and "'Tension (kV)'" in msg
    assert "code, nom, lon, lat" in msg


def test_blank_geo_points_are_skipped_not_a_crash(
    tmp_path: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> None:
    header = "Code poste;Nom poste;FONCTION;Etat;Tension (kV);Géo-point poste (DD)"
    path = _write(
        tmp_path / "postes.csv",
        header,
        [
            "A;A;Poste de transformation;EN EXPLOITATION;400kV;",
            "B;B;Poste de transformation;EN EXPLOITATION;225kV;  ",
        ],
    )
    with pytest.raises(LayerContentError, match=r"postes\.csv.*no feature with a geometry"):
        _open_postes(path, make_project, sites_layer)
