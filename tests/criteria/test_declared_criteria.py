"""Issue 12 §1: criteria a planner declares in the project file, with no code.

A small synthetic project in Lambert-93 (EPSG:2154): three square sites of 1 km side and
layers drawn so that every expected value is worked out by hand from the coordinates
below (shares of a square, distances along one axis). Nothing expected is read from the
output.

    sites         A: x 700000–701000    B: x 705000–706000    C: x 710000–711000
                  (all y 7000000–7001000; 100 ha each)
    protected     Z1 ZPS  x 700750–701500 (A: 25 %)   Z2 SIC x 700900–701200 (A: 10 %,
                  inside Z1, so A's union share stays 25 %)   Z3 ZPS x 720000–721000
    wells         P1 "actif" at x 703000 (A and B: 2000 m, C: 7000 m)
                  P2 "fermé" at x 712000 (C: 1000 m)
    communes      K1 "2" x 699000–700800 (80 % of A)   K2 "3" x 700800–708000 (20 % of A,
                  all of B); C lies in no commune
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import tomli_w
from shapely.geometry import Point, box

from siteassess import criteria
from siteassess.assessment import Assessment, assess
from siteassess.criteria.declared_build import uninstall_all
from siteassess.errors import LayerContentError, ProjectError
from siteassess.project import load_project, project_to_dict, save_project
from siteassess.project_checks import check_project

Y0, Y1 = 7_000_000, 7_001_000


@pytest.fixture(autouse=True)
def _clean_registry() -> Iterator[None]:
    yield
    uninstall_all()


def _write(folder: Path) -> None:
    crs = "EPSG:2154"
    gpd.GeoDataFrame(
        {
            "site_id": ["A", "B", "C"],
            "name": ["Site A", "Site B", "Site C"],
            "surface_declaree": [12.0, 40.0, "n.c."],
        },
        geometry=[
            box(700_000, Y0, 701_000, Y1),
            box(705_000, Y0, 706_000, Y1),
            box(710_000, Y0, 711_000, Y1),
        ],
        crs=crs,
    ).to_file(folder / "sites.gpkg")
    gpd.GeoDataFrame(
        {"nom": ["Z1", "Z2", "Z3"], "type": ["ZPS", "SIC", "ZPS"]},
        geometry=[
            box(700_750, 6_999_000, 701_500, 7_002_000),
            box(700_900, 6_999_000, 701_200, 7_002_000),
            box(720_000, Y0, 721_000, Y1),
        ],
        crs=crs,
    ).to_file(folder / "protected.gpkg")
    gpd.GeoDataFrame(
        {"nom": ["P1", "P2"], "statut": ["actif", "fermé"]},
        geometry=[Point(703_000, 7_000_500), Point(712_000, 7_000_500)],
        crs=crs,
    ).to_file(folder / "wells.gpkg")
    gpd.GeoDataFrame(
        {"code": ["59001", "59002"], "sismicite": ["2", "3"], "zone_reelle": [2.0, 3.0]},
        geometry=[
            box(699_000, 6_999_000, 700_800, 7_002_000),
            box(700_800, 6_999_000, 708_000, 7_002_000),
        ],
        crs=crs,
    ).to_file(folder / "communes.gpkg")


def _doc(**criteria_tables: dict[str, Any]) -> dict[str, Any]:
    layers = [
        {"role": "sites", "path": "sites.gpkg", "id_field": "site_id", "name_field": "name"},
        {
            "role": "context",
            "name": "protected",
            "path": "protected.gpkg",
            "source": "ILLUSTRATIVE zones drawn for this test",
        },
        {"role": "context", "name": "wells", "path": "wells.gpkg", "source": "test"},
        {"role": "context", "name": "communes", "path": "communes.gpkg", "source": "test"},
    ]
    return {
        "schema": 1,
        "name": "Declared",
        "crs": "EPSG:2154",
        "read_margin_m": 50_000,
        "layers": layers,
        "criteria": criteria_tables,
    }


PROTECTED = {
    "kind": "overlap",
    "layer": "protected",
    "label": "Protected areas",
    "label_fr": "Espaces protégés",
    "weight": 5,
    "exclude_above_pct": 0,
    "category_field": "type",
    "categories": ["ZPS", "SIC"],
    "source": "INPN, Natura 2000",
    "source_fr": "INPN, Natura 2000",
}
WELLS = {
    "kind": "distance",
    "layer": "wells",
    "label": "Water wells",
    "label_fr": "Captages",
    "name_field": "nom",
    "filter_field": "statut",
    "filter_in": ["actif"],
    "weight": 3,
}
SEISMIC = {
    "kind": "attribute",
    "layer": "communes",
    "field": "sismicite",
    "label": "Seismic zone",
    "label_fr": "Zone de sismicité",
    "values": {"1": 1.0, "2": 0.8, "3": 0.5},
    "weight": 2,
}


def _project(tmp_path: Path, **tables: dict[str, Any]) -> Path:
    if not list(tmp_path.glob("*.gpkg")):
        _write(tmp_path)
    path = tmp_path / "project.toml"
    path.write_text(tomli_w.dumps(_doc(**tables)), encoding="utf-8")
    return path


@pytest.fixture
def assessed(tmp_path: Path) -> Assessment:
    return assess(
        load_project(_project(tmp_path, protected=PROTECTED, wells=WELLS, seismic=SEISMIC))
    )


def test_overlap_measures_the_union_share_and_each_category(assessed: Assessment) -> None:
    m = assessed.measurements.measures
    assert m.loc["A", "protected_share_pct"] == pytest.approx(25.0)  # Z2 lies inside Z1
    assert m.loc["A", "protected_share_zps_pct"] == pytest.approx(25.0)
    assert m.loc["A", "protected_share_sic_pct"] == pytest.approx(10.0)
    assert m.loc[["B", "C"], "protected_share_pct"].tolist() == [0.0, 0.0]


def test_a_rule_on_a_declared_criterion_excludes_and_ranks_last(assessed: Assessment) -> None:
    a = assessed
    assert list(a.ranked().index)[-1] == "A"
    text = "; ".join(a.exclusions["A"])
    assert "Protected areas: share of the site inside: 25.0%, above the limit of 0.0%" in text
    assert set(a.exclusions) == {"A"}


def test_distance_keeps_only_the_filtered_features_and_names_the_nearest(
    assessed: Assessment,
) -> None:
    m = assessed.measurements.measures
    np.testing.assert_allclose(m["wells_distance_m"].to_numpy(float), [2000, 2000, 7000])
    assert m["wells_feature"].tolist() == ["P1", "P1", "P1"]  # P2 is « fermé »: filtered out
    values = dict(zip(assessed.site_ids, assessed.table.values[:, 1], strict=True))
    assert values["C"] == pytest.approx(1 - 7000 / 10_000)  # default: 1 at 0 m, 0 at 10 km


def test_without_the_filter_the_nearer_feature_counts(tmp_path: Path) -> None:
    wells = {k: v for k, v in WELLS.items() if not k.startswith("filter")}
    a = assess(load_project(_project(tmp_path, wells=wells)))
    assert a.measurements.measures.loc["C", "wells_distance_m"] == pytest.approx(1000.0)
    assert a.measurements.measures.loc["C", "wells_feature"] == "P2"


def test_attribute_of_the_zone_the_site_mostly_lies_in(assessed: Assessment) -> None:
    m = assessed.measurements.measures
    assert m.loc["A", "seismic_category"] == "2"  # 80 % in K1
    assert m.loc["B", "seismic_category"] == "3"
    assert m.loc["A", "seismic_value"] == pytest.approx(0.8)
    assert np.isnan(m.loc["C", "seismic_value"])  # in no commune: not measured, never 0
    issues = [str(i.reason) for i in assessed.issues if i.reason is not None]
    assert any("sites with no value of Seismic zone: 1 (C)" in t for t in issues)


def test_a_numeric_site_attribute_with_its_value_function(tmp_path: Path) -> None:
    surface = {
        "kind": "attribute",
        "field": "surface_declaree",
        "unit": "ha",
        "weight": 1,
        "decimals": 0,
        "better": "high",
        "transform": {"kind": "linear", "best": 50, "worst": 10},
    }
    a = assess(load_project(_project(tmp_path, surface=surface)))
    m = a.measurements.measures
    assert m.loc["A", "surface_value"] == 12.0 and np.isnan(m.loc["C", "surface_value"])
    values = dict(zip(a.site_ids, a.table.values[:, 0], strict=True))
    assert values["A"] == pytest.approx((12 - 10) / 40)
    assert any("not numbers: 1" in str(i.reason) for i in a.issues if i.reason is not None)
    assert criteria.MEASURES["surface_value"].unit == "ha"


def test_a_category_the_project_gives_no_value_is_reported(tmp_path: Path) -> None:
    seismic = {**SEISMIC, "values": {"2": 0.8}}
    a = assess(load_project(_project(tmp_path, seismic=seismic)))
    assert np.isnan(a.measurements.measures.loc["B", "seismic_value"])
    texts = [str(i.reason) for i in a.issues if i.reason is not None]
    assert any("gives no value: 3" in t for t in texts)


def test_a_declared_context_layer_is_not_taken_for_communes(assessed: Assessment) -> None:
    # « protected » has a « nom » field, as commune outlines do: it must not name communes.
    assert assessed.measurements.sites["commune"].isna().all()


def test_the_registry_holds_only_the_open_projects_declared_criteria(tmp_path: Path) -> None:
    first = check_project(load_project(_project(tmp_path, protected=PROTECTED)))
    crit = criteria.CRITERIA["protected"]
    check_project(first)
    assert criteria.CRITERIA["protected"] is crit  # checked again: the same criterion
    other = tmp_path / "other"
    other.mkdir()
    check_project(load_project(_project(other, wells=WELLS)))
    assert "protected" not in criteria.CRITERIA and "protected_share_pct" not in criteria.MEASURES
    assert "wells" in criteria.CRITERIA


def test_saving_writes_the_declaration_back(tmp_path: Path) -> None:
    p = load_project(_project(tmp_path, protected=PROTECTED, seismic=SEISMIC))
    doc = project_to_dict(p)
    assert doc["criteria"]["seismic"]["values"] == {"1": 1, "2": 0.8, "3": 0.5}
    assert doc["criteria"]["protected"]["categories"] == ["ZPS", "SIC"]
    assert doc["criteria"]["protected"]["exclude_above_pct"] == 0
    out = save_project(p, tmp_path / "copy.toml")
    again = load_project(out)
    assert again.criteria == p.criteria
    assert tomllib.loads(out.read_text(encoding="utf-8"))["criteria"]["protected"]["kind"] == (
        "overlap"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "buffer"}, "kind = 'buffer'; use one of distance, overlap, attribute"),
        ({"layer": "natura"}, "layer = 'natura': no layer of the project has this name"),
        ({"categories": []}, "categories is empty"),
        ({"filter_field": "type"}, "filter_field needs filter_in"),
        ({"unit": "km"}, "an overlap is a share of the site"),
        ({"label": "Zones {x}"}, "without braces"),
        ({"values": {"a": 1}}, 'values is for kind = "attribute"'),
    ],
)
def test_a_bad_declaration_is_refused_naming_the_table(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    path = _project(tmp_path, protected={**PROTECTED, **change})
    with pytest.raises(ProjectError) as err:
        check_project(load_project(path))
    assert "[criteria.protected]" in str(err.value) and message in str(err.value)


def test_a_declared_name_that_is_a_built_in_or_not_a_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="power is a built-in criterion"):
        check_project(load_project(_project(tmp_path, power=PROTECTED)))
    with pytest.raises(ProjectError, match="lower-case letters"):
        check_project(load_project(_project(tmp_path, **{"Zones protégées": PROTECTED})))


def test_a_numeric_attribute_needs_a_value_function(tmp_path: Path) -> None:
    bare = {"kind": "attribute", "field": "surface_declaree", "weight": 1}
    with pytest.raises(ProjectError, match="needs a value function"):
        check_project(load_project(_project(tmp_path, surface=bare)))


def test_a_field_the_layer_lacks_is_an_error_naming_layer_and_field(tmp_path: Path) -> None:
    path = _project(tmp_path, wells={**WELLS, "filter_field": "etat"})
    with pytest.raises(LayerContentError) as err:
        assess(load_project(path))
    text = str(err.value)
    assert "wells" in text and "filter_field = 'etat'" in text and "nom, statut" in text


def test_the_command_line_refuses_it_with_exit_2_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from siteassess.cli import main

    path = _project(tmp_path, wells={**WELLS, "name_field": "libelle"})
    assert main(["score", str(path)]) == 2
    err = capsys.readouterr().err
    assert "name_field = 'libelle'" in err and "Traceback" not in err


def test_a_category_stored_as_a_real_number_matches_its_whole_value(tmp_path: Path) -> None:
    # A GeoPackage REAL column reads back as 2.0: the category is still "2".
    seismic = {**SEISMIC, "field": "zone_reelle"}
    a = assess(load_project(_project(tmp_path, seismic=seismic)))
    m = a.measurements.measures
    assert m.loc["A", "seismic_category"] == "2" and m.loc["A", "seismic_value"] == 0.8
    assert m.loc["B", "seismic_category"] == "3"
