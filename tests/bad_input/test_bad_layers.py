"""Nothing is read wrong in silence at the readers, and no library warning reaches the user
(the reader parts of classes 4 and 10 of the bad-input corpus).

A source of several layers with no ``layer =`` gave its first layer (2 of 7 sites scored)
with pyogrio's "More than one layer found" on stderr; two columns of one name gave the
second's values or ``lat.1``. Each is refused naming the layers or the column, and stderr
holds no library warning (no "site-packages" path, no "…Warning:" line).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely

from tests.bad_input.harness import (
    SAMPLE,
    Ended,
    assert_refused,
    project_file,
    run_cli,
    sample_sites_layer,
)

SITES = gpd.read_file(SAMPLE / "sites.geojson")
WARNING_LINE = re.compile(r"^.*\w+Warning: ", re.MULTILINE)


def assert_no_library_warning(ended: Ended) -> None:
    """stderr holds no warning printed by Python's warnings module, nor a library path."""
    assert "site-packages" not in ended.err, ended.err[-2000:]
    assert not WARNING_LINE.search(ended.err), ended.err[-2000:]
    assert "More than one layer found" not in ended.err, ended.err[-2000:]


def _two_layer_gpkg(path: Path) -> None:
    SITES.iloc[:2].to_file(path, layer="first_two", driver="GPKG")
    SITES.iloc[2:].to_file(path, layer="the_rest", driver="GPKG")


def _two_shapefile_zip(path: Path) -> None:
    folder = path.parent / "shp"
    folder.mkdir()
    SITES.iloc[:2].to_file(folder / "a.shp")
    SITES.iloc[2:].to_file(folder / "b.shp")
    with zipfile.ZipFile(path, "w") as zf:
        for f in sorted(folder.iterdir()):
            zf.write(f, f.name)


@pytest.mark.parametrize(
    ("name", "write", "layers"),
    [
        ("sites.gpkg", _two_layer_gpkg, ["'first_two' (Polygon)", "'the_rest' (Polygon)"]),
        ("sites.zip", _two_shapefile_zip, ["'a' (Polygon)", "'b' (Polygon)"]),
    ],
)
def test_several_layers_without_layer_are_refused_and_listed(
    name: str, write: object, layers: list[str], tmp_path: Path
) -> None:
    write(tmp_path / name)  # type: ignore[operator]
    project = project_file(tmp_path, [{"role": "sites", "path": name, "id_field": "site_id"}])
    out = tmp_path / "ranking.csv"
    ended = run_cli(["score", project, "--output", out])
    assert_refused(ended, naming=[name, "holds 2 layers", *layers, 'add layer = "'], outputs=[out])
    assert_no_library_warning(ended)


def test_naming_the_layer_reads_it_whole(tmp_path: Path) -> None:
    _two_layer_gpkg(tmp_path / "sites.gpkg")
    layer = {"role": "sites", "path": "sites.gpkg", "layer": "the_rest", "id_field": "site_id"}
    project = project_file(tmp_path, [layer])
    ended = run_cli(["score", project, "--json"])
    assert ended.code == 0, ended.err[-2000:]
    assert ended.out.count('"site_id"') == len(SITES) - 2 or str(len(SITES) - 2) in ended.out
    assert_no_library_warning(ended)


def test_a_context_gpkg_of_several_layers_is_refused(tmp_path: Path) -> None:
    _two_layer_gpkg(tmp_path / "zones.gpkg")
    layer = {"role": "context", "path": "zones.gpkg", "name": "Zonage"}
    project = project_file(tmp_path, [sample_sites_layer(), layer])
    ended = run_cli(["score", project])
    assert_refused(ended, naming=["Zonage", "zones.gpkg", "'first_two'", "'the_rest'"])
    assert_no_library_warning(ended)


@pytest.mark.parametrize(
    ("header", "row", "column"),
    [
        ("id;lat;lon;lat", "S1;50.1;3.1;50.2", "'lat' (2 times)"),
        ("id,lon,lat,name,name", "S1,3.1,50.1,a,b", "'name' (2 times)"),
        ("id;lon ; lon;lat", "S1;3.1;3.2;50.1", "'lon' (2 times)"),
    ],
)
def test_a_table_with_two_columns_of_one_name_is_refused(
    header: str, row: str, column: str, tmp_path: Path
) -> None:
    (tmp_path / "sites.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    layer = {"role": "sites", "path": "sites.csv", "crs": "EPSG:4326", "id_field": "id"}
    project = project_file(tmp_path, [layer])
    out = tmp_path / "ranking.csv"
    ended = run_cli(["score", project, "--output", out])
    assert_refused(
        ended, naming=["sites.csv", "several columns named", column, "Rename"], outputs=[out]
    )


def test_an_rte_export_with_two_voltage_columns_is_refused(tmp_path: Path) -> None:
    head = "Code poste;Nom poste;Etat;Tension (kV);Tension (kV);Longitude poste (DD);"
    head += "Latitude poste (DD)"
    row = "ARRAS;ARRAS;EN EXPLOITATION;400kV;63kV;2.78;50.29"
    (tmp_path / "postes.csv").write_text(f"{head}\n{row}\n", encoding="utf-8")
    layer = {"role": "substations", "path": "postes.csv", "name": "Postes"}
    project = project_file(tmp_path, [sample_sites_layer(), layer])
    ended = run_cli(["score", project])
    assert_refused(ended, naming=["Postes", "postes.csv", "'Tension (kV)' (2 times)"])


def test_a_shapefile_with_two_fields_of_one_name_is_refused(tmp_path: Path) -> None:
    """GDAL lets a DBF's duplicate names through, and then gives one field's values twice."""
    gdf = gpd.GeoDataFrame(
        {"site_id": ["S1"], "lat": ["50.1"], "lon": ["3.1"]},
        geometry=[shapely.Point(3.1, 50.1)],
        crs="EPSG:4326",
    )
    gdf.to_file(tmp_path / "sites.shp")
    dbf = bytearray((tmp_path / "sites.dbf").read_bytes())
    at = dbf.index(b"lon\x00")
    dbf[at : at + 4] = b"lat\x00"  # the header's second field now also says "lat"
    (tmp_path / "sites.dbf").write_bytes(bytes(dbf))
    project = project_file(tmp_path, [{"role": "sites", "path": "sites.shp"}])
    ended = run_cli(["score", project])
    assert_refused(ended, naming=["sites.shp", "'lat' (2 times)"])
    assert_no_library_warning(ended)


def test_a_tiff_without_georeferencing_is_refused_without_a_warning(tmp_path: Path) -> None:
    with (
        rasterio.Env(),
        rasterio.open(
            tmp_path / "depth.tif", "w", driver="GTiff", width=8, height=8, count=1, dtype="float32"
        ) as ds,
    ):
        ds.write(np.ones((1, 8, 8), dtype="float32"))
    layer = {"role": "flood", "path": "depth.tif", "scenario": "medium", "crs": "EPSG:2154"}
    project = project_file(tmp_path, [sample_sites_layer(), layer])
    out = tmp_path / "ranking.csv"
    ended = run_cli(["score", project, "--output", out])
    assert_refused(ended, naming=["depth.tif", "has no georeferencing"], outputs=[out])
    assert "NotGeoreferencedWarning" not in ended.err
    assert_no_library_warning(ended)


def test_one_layer_beside_qgis_styles_is_read_whole(tmp_path: Path) -> None:
    """QGIS saves styles in a ``layer_styles`` table: not a second layer to choose from."""
    import pandas as pd
    import pyogrio

    SITES.to_file(tmp_path / "sites.gpkg", layer="sites", driver="GPKG")
    styles = pd.DataFrame({"f_table_name": ["sites"], "styleQML": ["<qgis/>"]})
    pyogrio.write_dataframe(styles, tmp_path / "sites.gpkg", layer="layer_styles")
    assert len(pyogrio.list_layers(tmp_path / "sites.gpkg")) == 2
    layer = {"role": "sites", "path": "sites.gpkg", "id_field": "site_id"}
    ended = run_cli(["validate", project_file(tmp_path, [layer])])
    assert ended.code == 0, ended.err[-2000:]
    assert f"features: {len(SITES)}" in ended.out, ended.out
    assert_no_library_warning(ended)
