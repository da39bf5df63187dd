"""CNIG Friches exchange files: reading them, writing the ranking back, validating both.

The files follow the standard CNIG Friches v2023-12 and its Table Schema schema-friches
v1.0.6 (see tests/layers/cnig_files.py); the validation uses our own schema of that
version (tests/layers/cnig_friches_schema_v1.0.6.json). Expected positions and areas are
computed independently with pyproj (Transformer, Geod), never read from siteassess.
"""

from __future__ import annotations

import csv
import io
import re
import socket
from pathlib import Path

import pytest
import shapely
from pyproj import Geod

from siteassess.assessment import Assessment, assess
from siteassess.errors import LayerContentError, LayerLoadError
from siteassess.layers import open_sites
from siteassess.layers.formats.cnig_fields import FIELDS
from siteassess.layers.table_schema import read_table_schema
from siteassess.project import load_project
from siteassess.reports.cnig_export import PREFIX, cnig_csv, cnig_table, export_cnig
from siteassess.reports.schema_check import validate_csv
from tests.layers.cnig_files import (
    CNIG_SCHEMA,
    PLACES,
    TO_L93,
    cnig_project,
    cnig_row,
    four_friches,
    square_wkt,
    write_cnig,
)

GEOD = Geod(ellps="GRS80")


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def _point(wkt: str) -> tuple[float, float]:
    p = shapely.from_wkt(wkt)
    return p.x, p.y


@pytest.fixture
def friches(tmp_path: Path) -> Path:
    """The project of four friches in a CNIG file (two outlines, two points)."""
    write_cnig(tmp_path / "friches.csv", four_friches())
    return cnig_project(tmp_path, "friches.csv")


@pytest.fixture
def assessed(friches: Path) -> Assessment:
    return assess(load_project(friches))


# ------------------------------------------------------------------------------ import


def test_a_cnig_file_is_recognised_and_read_into_the_site_model(friches: Path) -> None:
    layer, crs = open_sites(load_project(friches))
    sites = layer.frame()
    assert layer.provenance.format == "cnig-friches" and crs.to_epsg() == 2154
    assert list(sites.index) == list(PLACES)
    a = sites.loc["59205_12242"]
    assert a["name"] == "Les Soufflantes (ex-Usinor)" and a["commune"] == "ESCAUDAIN"
    assert a["insee"] == "59205" and a["status"] == "friche sans projet"
    assert a["pollution"] == "pollution avérée" and a["zoning"] == "U"
    assert a["parcel_ids"] == "59205000AB0012,59205000AB0013"
    assert a["site_identif_date"] == "2022-10-10" and a["urba_zaer"] == "non"
    # geomsurf is the outline, as given: a 500 m square (Lambert-93) drawn in lon/lat
    assert not a["approximate"] and a["outline_source"] == "as given"
    assert a.geometry.area == pytest.approx(250_000.0, rel=1e-6)
    # a site without geomsurf: a disc of unite_fonciere_surface around geompoint
    c = sites.loc["62249_4247"]
    assert c["approximate"] and c.geometry.area == pytest.approx(250_000.0, rel=1e-9)
    x, y = TO_L93.transform(*PLACES["62249_4247"][3:5])
    assert c.geometry.centroid.distance(shapely.Point(x, y)) < 0.01
    assert not any(i.severity == "warning" for i in layer.issues), layer.issues


def test_latitude_first_as_in_the_standards_example_is_read_and_said(tmp_path: Path) -> None:
    rows = [
        cnig_row(sid, geompoint=f"POINT({lat} {lon})") for sid, (*_, lon, lat) in PLACES.items()
    ]
    write_cnig(tmp_path / "friches.csv", rows)
    layer, _ = open_sites(load_project(cnig_project(tmp_path, "friches.csv")))
    x, y = TO_L93.transform(*PLACES["59179_13929"][3:5])
    assert layer.frame().loc["59179_13929"].geometry.centroid.distance(shapely.Point(x, y)) < 0.01
    issue = next(i for i in layer.issues if i.code == "cnig_latitude_first")
    assert "friches.csv" in issue.source and "latitude first" in issue.message


def test_lambert93_coordinates_are_recognised(tmp_path: Path) -> None:
    rows = []
    for sid, (*_, lon, lat) in PLACES.items():
        x, y = TO_L93.transform(lon, lat)
        rows.append(cnig_row(sid, geompoint=f"POINT({x:.2f} {y:.2f})"))
    write_cnig(tmp_path / "friches.csv", rows)
    layer, _ = open_sites(load_project(cnig_project(tmp_path, "friches.csv")))
    assert layer.source_crs.startswith("EPSG:2154")
    assert any(i.code == "cnig_lambert93" for i in layer.issues)


def test_a_latin1_file_is_read_with_its_accents_and_a_warning(tmp_path: Path) -> None:
    write_cnig(tmp_path / "friches.csv", four_friches(), encoding="latin-1")
    layer, _ = open_sites(load_project(cnig_project(tmp_path, "friches.csv")))
    assert layer.frame().loc["62276_11728", "name"] == "Française de Mécanique, bande ouest"
    issue = next(i for i in layer.issues if i.code == "not_utf8")
    assert "not UTF-8" in issue.message and "friches.csv" in issue.source


def test_missing_site_id_column_is_refused_naming_the_file(tmp_path: Path) -> None:
    text = "site_nom,geompoint\nFriche,POINT (3.35 50.32)\n"
    (tmp_path / "friches.csv").write_text(text, encoding="utf-8")
    project = load_project(cnig_project(tmp_path, "friches.csv", format="cnig-friches"))
    with pytest.raises(
        LayerContentError, match=r"friches\.csv is not a CNIG Friches file.*site_id"
    ):
        open_sites(project)


def test_blank_site_ids_are_refused(tmp_path: Path) -> None:
    rows = four_friches()
    rows[2]["site_id"] = ""
    write_cnig(tmp_path / "friches.csv", rows)
    with pytest.raises(LayerContentError, match=r"friches\.csv: 1 sites have no id in 'site_id'"):
        open_sites(load_project(cnig_project(tmp_path, "friches.csv")))


def test_bad_geometries_and_areas_are_named(tmp_path: Path) -> None:
    rows = four_friches()
    rows[0]["geomsurf"] = "POLYGON ((3.35 50.31, 3.36"  # cut short
    rows[1]["geompoint"], rows[1]["geomsurf"] = "POINT (abc def)", ""
    rows[2]["unite_fonciere_surface"] = "grande"
    write_cnig(tmp_path / "friches.csv", rows)
    layer, _ = open_sites(load_project(cnig_project(tmp_path, "friches.csv")))
    sites = layer.frame()
    by_code = {i.code: i for i in layer.issues}
    assert "59205_12242" in by_code["bad_geomsurf"].message
    assert sites.loc["59205_12242"].geometry.area > 0  # a disc from its geompoint instead
    assert "59179_13929" in by_code["no_cnig_geometry"].message
    assert "59179_13929" not in sites.index
    assert "62249_4247 (not a number: 'grande')" in by_code["bad_unite_fonciere_surface"].message
    assert sites.loc["62249_4247"].geometry.geom_type == "Point"


# ------------------------------------------------------------------------------ export


def test_the_export_is_valid_against_the_standards_schema(assessed: Assessment) -> None:
    schema = read_table_schema(CNIG_SCHEMA)
    table = cnig_table(assessed, "fr", schema.field_names)
    data = cnig_csv(table)
    check = validate_csv(data, schema, extra_fields=table.extra_fields, site_ids=table.site_ids)
    assert check.valid, check.text("export")
    assert check.rows == 4 and check.version == "1.0.6"
    rows = _rows(data)
    header = list(rows[0])
    assert header[: len(FIELDS)] == list(FIELDS)
    assert all(h.startswith(PREFIX) for h in header[len(FIELDS) :])
    ranked = assessed.ranked()
    assert [r["site_id"] for r in rows] == list(ranked.index)
    for r in rows:
        sid = r["site_id"]
        assert r["site_nom"] == PLACES[sid][0]
        assert float(r[PREFIX + "score"]) == pytest.approx(ranked.loc[sid, "score"], rel=1e-9)
        assert r[PREFIX + "substation_distance_m"] != ""
        # geompoint: the input point, to 1e-6 degree (about 10 cm)
        lon, lat = _point(r["geompoint"])
        assert (lon, lat) == pytest.approx(PLACES[sid][3:5], abs=1e-6)
    by_id = {r["site_id"]: r for r in rows}
    # a real outline goes to geomsurf: on the ellipsoid, the same area as the file's
    # (a 500 m square of Lambert-93, whose scale factor near 50.3°N makes it 0.26 % less)
    given = shapely.from_wkt(four_friches()[0]["geomsurf"])
    surf = shapely.from_wkt(by_id["59205_12242"]["geomsurf"])
    area, _ = GEOD.geometry_area_perimeter(surf)
    expected, _ = GEOD.geometry_area_perimeter(given)
    assert abs(area) == pytest.approx(abs(expected), rel=1e-5)  # 7 decimals: ~1 cm
    assert abs(area) == pytest.approx(250_000.0 * 0.9974, rel=5e-4)
    # an approximate disc is not an outline of the standard
    assert by_id["62249_4247"]["geomsurf"] == ""
    assert by_id["62249_4247"]["unite_fonciere_surface"] == "250000"
    assert by_id["62249_4247"]["unite_fonciere_refcad"] == "62249000AB0012|62249000AB0013"


def test_export_then_import_gives_the_same_sites(assessed: Assessment, tmp_path: Path) -> None:
    out = tmp_path / "export" / "cnig.csv"
    out.parent.mkdir()
    assert export_cnig(assessed, out, lang="fr") is None  # no schema: not validated
    project = cnig_project(out.parent, "cnig.csv")
    again, _ = open_sites(load_project(project))
    assert again.provenance.format == "cnig-friches"
    before = assessed.measurements.sites
    after = again.frame()
    assert sorted(after.index) == sorted(before.index)
    for col in ("name", "commune", "insee", "status", "pollution", "zoning", "parcel_ids"):
        assert after[col].tolist() == before.loc[after.index, col].tolist(), col
    original = {r["site_id"]: r for r in four_friches()}
    for sid, row in after.iterrows():
        for f in FIELDS:
            if f not in ("geompoint", "geomsurf"):
                assert (row[f] if isinstance(row[f], str) else "") == original[sid][f], (sid, f)
        b = before.loc[sid].geometry
        # 7 decimals of a degree move the boundary by 1 cm at most: 2 km × 1 cm = 20 m²
        assert row.geometry.symmetric_difference(b).area < 20.0
        assert row["approximate"] == before.loc[sid, "approximate"]


def test_validation_names_the_line_the_site_and_the_field(
    assessed: Assessment, tmp_path: Path
) -> None:
    schema = read_table_schema(CNIG_SCHEMA)
    table = cnig_table(assessed, "fr", schema.field_names)
    second = table.site_ids[1]
    table.frame.loc[1, "site_type"] = "friche de data centre"
    table.frame.loc[2, "site_identif_date"] = "10/10/2022"
    table.frame.loc[3, "bati_nombre"] = "trois"
    check = validate_csv(
        cnig_csv(table), schema, extra_fields=table.extra_fields, site_ids=table.site_ids
    )
    assert not check.valid and len(check.problems) == 3
    text = check.text("out.csv")
    assert "NOT valid" in text
    assert (
        f"line 3 (site {second}), field site_type: 'friche de data centre' is not one of the "
        "allowed values"
    ) in text
    assert "field site_identif_date: '10/10/2022' is not of the type" in text
    assert "field bati_nombre: 'trois' is not of the type" in text


def test_validation_never_reaches_the_network(
    assessed: Assessment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A published schema carries links ($schema, path, homepage, resources): none is followed."""
    import json

    doc = json.loads(CNIG_SCHEMA.read_text(encoding="utf-8"))
    doc.update(
        {
            "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
            "path": "https://github.com/cnigfr/schema-friches/raw/v1.0.6/schema.json",
            "homepage": "https://github.com/cnigfr/schema-friches",
            "resources": [{"name": "exemple", "path": "https://example.org/valide.csv"}],
        }
    )
    (tmp_path / "schema.json").write_text(json.dumps(doc), encoding="utf-8")
    tried: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        tried.append(args)
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    check = export_cnig(
        assessed,
        tmp_path / "out.csv",
        lang="en",
        schema=read_table_schema(tmp_path / "schema.json"),
    )
    assert check is not None and check.valid, check.text("out.csv") if check else ""
    assert tried == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("{not json", "is not valid JSON (line 1"),
        ('{"name": "x"}', "is not a Table Schema: no list of 'fields'"),
        ('{"fields": [{"name": "a", "type": "texte"}]}', "field 'a' has an unknown type 'texte'"),
    ],
)
def test_a_bad_schema_file_is_refused_naming_it(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "schema.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(
        (LayerLoadError, LayerContentError), match="schema .*schema.json: " + re.escape(message)
    ):
        read_table_schema(path)


def test_square_wkt_is_the_side_asked() -> None:
    """The fixture's own outline, checked on the ellipsoid."""
    area, _ = GEOD.geometry_area_perimeter(shapely.from_wkt(square_wkt(3.0, 50.0, 1000.0)))
    assert abs(area) == pytest.approx(1e6, rel=2e-3)


# ------------------------------------------------------------------------------ real data


@pytest.mark.slow
def test_the_real_cartofriches_inventory_as_a_cnig_export(tmp_path: Path) -> None:
    """All 2,111 friches of Nord and Pas-de-Calais (Cerema Cartofriches, March 2023)."""
    import pyogrio

    from tests.conftest import real_inventory_project

    project = real_inventory_project(tmp_path)  # skips with a reason without ../shared/data
    a = assess(load_project(project))
    out = tmp_path / "cnig.csv"
    check = export_cnig(a, out, lang="fr", schema=read_table_schema(CNIG_SCHEMA))
    rows = _rows(out.read_bytes())
    assert len(rows) == 2_111 and check is not None and check.rows == 2_111
    # What the inventory lacks, counted from the source file itself, not from the export.
    raw = pyogrio.read_dataframe(_cartofriches())
    mixte = int((raw["site_type"] == "mixte").sum())  # v1.0.4's code, split in v1.0.6
    assert "urba_zaer" not in raw.columns and "source_nom" not in raw.columns
    counts: dict[tuple[str | None, str], int] = {}
    for p in check.problems:
        counts[(p.field, p.code)] = counts.get((p.field, p.code), 0) + 1
    assert counts == {
        ("urba_zaer", "constraint-error"): 2_111,
        ("source_nom", "constraint-error"): 2_111,
        ("site_type", "constraint-error"): mixte,
    }
    # The inventory's own values are written back unchanged.
    by_id = {r["site_id"]: r for r in rows}
    source = raw.set_index("site_id")
    for sid in list(by_id)[:50]:
        assert by_id[sid]["site_identif_date"] == str(source.loc[sid, "site_identif_date"])[:10]
        assert by_id[sid]["comm_insee"] == source.loc[sid, "comm_insee"]
        # geompoint: the inventory's point (the centre of its disc), to 1e-6 degree
        point = source.loc[sid, "geometry"]
        assert _point(by_id[sid]["geompoint"]) == pytest.approx((point.x, point.y), abs=1e-6)
    assert sum(r["geomsurf"] == "" for r in rows) == 2_111  # points: discs are not outlines


def _cartofriches() -> Path:
    from tests.conftest import SHARED_DATA

    return SHARED_DATA / "cartofriches_59_62.geojson"
