"""``cnig-plu``: PLU zones of the Géoportail de l'Urbanisme, CNIG PLU/PLUi standard v2017.

Files: ``zone_urba`` as the GPU exports it (Shapefile with capital field names, UTF-8 and
a ``.cpg``; v2014 uploads in Latin-1), and as API Carto's GeoJSON gives it (lower-case
names, WGS84). The schema is that of tests/zoning_fixtures.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import geopandas as gpd
import pytest
import tomli_w

from siteassess.layers.importers import choose_importer, peek_columns
from siteassess.project import LayerSpec
from tests.zoning_fixtures import ZONES, write_zoning_project, zone_urba


def _zones(path: Path, **spec: str) -> tuple[gpd.GeoDataFrame, list[str]]:
    """The zoning layer of a project on ``path``, as the criteria see it, and its issues."""
    from siteassess.assessment import measure
    from siteassess.project import load_project

    project = write_zoning_project(path.parent / "p", zones=None)
    doc = tomllib.loads(project.read_text(encoding="utf-8"))
    doc["layers"].append({"role": "zoning", "path": str(path), **spec})
    project.write_text(tomli_w.dumps(doc), encoding="utf-8")
    m = measure(load_project(project))
    (lyr,) = [lyr for lyr in m.layers if lyr.spec.role == "zoning"]
    assert lyr.data is not None
    return lyr.data, [i.reason.code for i in m.issues if i.reason is not None]


def test_the_gpu_shapefile_is_recognised_and_read(tmp_path: Path) -> None:
    path = tmp_path / "zone_urba.shp"
    zone_urba().to_file(path, encoding="UTF-8")
    spec = LayerSpec(role="zoning", path=str(path))
    assert choose_importer(path, spec, peek_columns(path, spec)).name == "cnig-plu"
    zones, _ = _zones(path)
    assert list(zones["zone_type"]) == [z[2] for z in ZONES]
    assert list(zones["zone_label"]) == [z[0] for z in ZONES]
    assert zones["zone_label_long"].iloc[1] == "Zone à urbaniser à vocation économique"
    assert set(zones["idurba"]) == {"245900410_PLUi_20191219"}
    assert set(zones["datappro"]) == {"20191219"}


def test_a_utf8_shapefile_without_its_cpg_is_decoded_again(tmp_path: Path) -> None:
    path = tmp_path / "zone_urba.shp"
    zone_urba().to_file(path, encoding="UTF-8")
    path.with_suffix(".cpg").unlink()  # GDAL then reads the .dbf as Latin-1
    raw = gpd.read_file(path)
    assert "Zone Ã\xa0 urbaniser bloquée" not in set(raw["LIBELONG"])  # what GDAL gives
    assert any("Ã" in v for v in raw["LIBELONG"])
    zones, codes = _zones(path)
    assert zones["zone_label_long"].iloc[2] == "Zone à urbaniser bloquée"
    assert "utf8_read_as_latin1" in codes


def test_a_latin1_shapefile_of_the_2014_standard_is_read_as_written(tmp_path: Path) -> None:
    path = tmp_path / "zone_urba.shp"
    zone_urba().to_file(path, encoding="latin1")
    path.with_suffix(".cpg").unlink()  # v2014 uploads often have none
    zones, codes = _zones(path)
    assert zones["zone_label_long"].iloc[4] == "Zone agricole"
    assert zones["zone_label_long"].iloc[0] == "Zone urbaine d'activités économiques"
    assert "utf8_read_as_latin1" not in codes


def test_the_api_carto_geojson_with_older_codes(tmp_path: Path) -> None:
    zones = zone_urba().to_crs(4326)
    zones.columns = [c.lower() if c != "geometry" else c for c in zones.columns]
    zones = zones.set_geometry("geometry")
    # Codes of the 2014 standard (Ah, Nh: sectors of limited size within A and N zones),
    # a lower-case code, and one no standard has.
    zones.loc[4, "typezone"] = "Ah"
    zones.loc[3, "typezone"] = "nh"
    zones.loc[5, "typezone"] = "ZZ"
    path = tmp_path / "zone_urba.geojson"
    path.write_text(zones.to_json(), encoding="utf-8")
    assert "typezone" in json.loads(path.read_text(encoding="utf-8"))["features"][0]["properties"]
    got, codes = _zones(path, format="cnig-plu")
    assert list(got["zone_type"]) == ["U", "AUc", "AUs", "N", "A"]  # ZZ skipped
    assert list(got["zone_type_code"])[3:] == ["nh", "Ah"]
    assert "unknown_zone_type" in codes


def test_a_file_without_typezone_is_refused_naming_its_columns(tmp_path: Path) -> None:
    from siteassess.errors import SiteAssessError

    zones = zone_urba().drop(columns=["TYPEZONE"])
    path = tmp_path / "zones.gpkg"
    zones.to_file(path)
    with pytest.raises(SiteAssessError, match=r"no zone type column \(typezone.*LIBELLE"):
        _zones(path)
