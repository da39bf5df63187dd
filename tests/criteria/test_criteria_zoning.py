"""Zoning (issue 12 §5): shares of hand-made sites in CNIG PLU zones, checked with shapely.

Files follow the CNIG PLU/PLUi standard v2017 (``zone_urba``; see tests/zoning_fixtures).
Each expected share is the intersection area of the site and the zones of one type,
computed here with shapely on the same hand-made geometries, divided by the site's area.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely

from siteassess.assessment import assess, measure
from siteassess.errors import ProjectError
from siteassess.project import load_project
from tests.zoning_fixtures import FAR, SITE, ZONES, write_zoning_project, zone_urba


def _expected(site: shapely.Geometry, types: set[str]) -> float:
    zones = shapely.union_all([g for _, _, t, _, g in ZONES if t in types])
    return 100 * shapely.intersection(site, zones).area / site.area


def test_share_in_each_zone_type_is_the_intersection_area(tmp_path: Path) -> None:
    m = measure(load_project(write_zoning_project(tmp_path, zones=zone_urba())))
    s0 = m.measures.loc["s0"]
    for t in ("U", "AUc", "AUs", "A", "N"):
        assert s0[f"zoning_share_{t.lower()}_pct"] == pytest.approx(_expected(SITE, {t}))
    assert s0["zoning_share_u_pct"] == pytest.approx(40.0)  # x from 0 to 40 of 100 m
    assert s0["zoning_share_allowed_pct"] == pytest.approx(_expected(SITE, {"U", "AUc"}))
    assert s0["zoning_share_excluding_pct"] == pytest.approx(_expected(SITE, {"AUs", "A", "N"}))
    covered = _expected(SITE, {"U", "AUc", "AUs", "A", "N"})
    assert covered < 100  # the corner between the 2AU square and the N triangle
    assert s0["zoning_coverage_pct"] == pytest.approx(covered)
    s1 = m.measures.loc["s1"]
    assert s1["zoning_share_u_pct"] == pytest.approx(100.0)
    assert s1["zoning_share_a_pct"] == 0.0  # measured: no A zone there, not NaN
    assert s1["zoning_share_allowed_pct"] == pytest.approx(100 * FAR.area / FAR.area)


def test_the_zone_labels_name_the_zones_largest_share_first(tmp_path: Path) -> None:
    m = measure(load_project(write_zoning_project(tmp_path, zones=zone_urba())))
    labels = m.measures.loc["s0", "zoning_labels"].split("; ")
    shares = {lab: 100 * shapely.intersection(SITE, g).area / SITE.area for lab, *_, g in ZONES}
    expected = sorted((lab for lab, *_ in ZONES if shares[lab] > 0), key=lambda k: -shares[k])
    assert [x.split(" — ")[0] for x in labels] == expected
    assert labels[0] == "UE — Zone urbaine d'activités économiques"
    assert m.measures.loc["s1", "zoning_labels"] == "UX — Zone d'activités"


def test_by_default_aus_a_and_n_exclude_u_and_auc_allow(tmp_path: Path) -> None:
    a = assess(load_project(write_zoning_project(tmp_path, zones=zone_urba())))
    info = next(c for c in a.criteria if c.name == "zoning")
    assert info.params["exclude_types"] == "AUs A N"
    assert info.params["exclude_above_pct"] == 1.0
    assert info.measure == "zoning_share_allowed_pct"
    reasons = a.measurements.exclusions["zoning"]
    assert set(reasons) == {"s0"}  # s1 lies wholly in a U zone
    (why,) = reasons["s0"]
    assert why.code == "zoning_zone"
    assert [t.plain for t in why.value_map["types"].items] == ["AUs", "N"]  # those present
    assert why.value_map["share"].value == pytest.approx(_expected(SITE, {"AUs", "A", "N"}))
    # The value: the share allowed, linear from 0 % (0) to 100 % (1).
    j = [c.name for c in a.criteria].index("zoning")
    k = a.site_ids.index("s1")
    assert a.table.values[k, j] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("types", "above", "excluded"),
    [("N", 5.0, False), ("N", 3.0, True), ("A", 0.0, False), ("none", 0.0, False)],
)
def test_the_project_sets_the_excluding_types_and_share(
    tmp_path: Path, types: str, above: float, excluded: bool
) -> None:
    n_share = _expected(SITE, {"N"})
    assert n_share == pytest.approx(3.75)  # ½ × 30 m × 25 m of the triangle, of 1 ha
    crit = {"zoning": {"weight": 1, "exclude_types": types, "exclude_above_pct": above}}
    m = measure(load_project(write_zoning_project(tmp_path, zones=zone_urba(), criteria=crit)))
    assert ("s0" in m.exclusions["zoning"]) is excluded
    allowed = {"U", "AUc", "AUs", "A", "N"} - (
        {"N"} if types == "N" else {"A"} if types == "A" else set()
    )
    assert m.measures.loc["s0", "zoning_share_allowed_pct"] == pytest.approx(
        _expected(SITE, allowed)
    )


def test_an_unknown_zone_type_in_the_rule_is_refused_naming_it(tmp_path: Path) -> None:
    crit = {"zoning": {"weight": 1, "exclude_types": "AUs Nx"}}
    with pytest.raises(ProjectError, match=r"'Nx' is not a zone type .*U AUc AUs A N"):
        measure(load_project(write_zoning_project(tmp_path, zones=zone_urba(), criteria=crit)))


def test_a_site_outside_every_zone_is_not_measured(tmp_path: Path) -> None:
    zones = zone_urba([z for z in ZONES if z[0] != "UX"])  # s1's commune has no PLU
    m = measure(load_project(write_zoning_project(tmp_path, zones=zones)))
    s1 = m.measures.loc["s1"]
    assert np.isnan(s1["zoning_share_allowed_pct"]) and np.isnan(s1["zoning_share_u_pct"])
    assert "s1" not in m.exclusions["zoning"]
    assert any(i.reason.code == "outside_zoning" for i in m.issues)


def test_without_a_zoning_layer_the_criterion_is_not_measurable(tmp_path: Path) -> None:
    m = measure(load_project(write_zoning_project(tmp_path, zones=None)))
    assert m.measures["zoning_share_allowed_pct"].isna().all()
    assert not m.exclusions["zoning"]
    assert any(i.reason.code == "layer_missing" and i.layer == "zoning" for i in m.issues)
