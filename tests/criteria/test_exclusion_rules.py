"""Hard rules on any criterion (issue 12 §2): written in the project file, checked against
the criterion's declared measures, excluding sites with structured reasons, listed by
``validate`` and shown « Bloquant » in the reports. Shares and areas by hand on squares."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from siteassess.assessment import measure, score
from siteassess.errors import ProjectError, Quantity
from siteassess.project import load_project, save_project
from siteassess.project_checks import check_project, open_project
from siteassess.reports.messages import reason_text
from siteassess.reports.pdf.wording import blocking_texts
from siteassess.reports.tables import assessment_document
from siteassess.validate import validate_project
from tests.conftest import squares

X0, Y0 = 700_000.0, 7_000_000.0
# Three 100 m squares (1 ha each) far apart; s2 is a 300 m square (9 ha).
SITES = [(X0 + 50, Y0 + 50), (X0 + 5050, Y0 + 50), (X0 + 10_050, Y0 + 50)]


def _zones() -> gpd.GeoDataFrame:
    """Medium-scenario zones over the full height of s0 (x 0–20 m: 20 %) and s1 (x 0–5 m: 5 %)."""
    return gpd.GeoDataFrame(
        {"scen": ["medium", "medium"]},
        geometry=[
            shapely.box(X0, Y0 - 10, X0 + 20, Y0 + 110),
            shapely.box(X0 + 5000, Y0 - 10, X0 + 5005, Y0 + 110),
        ],
        crs="EPSG:2154",
    )


@pytest.fixture
def rules_project(write_project: Callable[..., Path]) -> Callable[..., Path]:
    def _make(flood: dict[str, object], land: dict[str, object] | None = None) -> Path:
        sites = squares(SITES[:2], 100)
        big = squares(SITES[2:], 300, site_id=["s2"])
        both = gpd.GeoDataFrame(gpd.pd.concat([sites, big], ignore_index=True), crs="EPSG:2154")
        criteria: dict[str, object] = {"flood": {"weight": 1, **flood}}
        if land is not None:
            criteria["land"] = {"weight": 1, **land}
        return write_project(
            [
                {"role": "sites", "path": "sites.gpkg", "data": both},
                {"role": "flood", "path": "flood.gpkg", "data": _zones(), "scenario_field": "scen"},
            ],
            criteria=criteria,
            demand_mw=10,
        )

    return _make


RULE_ON_MEDIUM = {
    "exclude_scenario": "none",  # flood's own rule off: only the general rule excludes
    "exclude": [{"measure": "flood_share_medium_pct", "above": 10}],
}


def test_a_rule_on_another_measure_excludes_with_structured_reasons(
    rules_project: Callable[..., Path],
) -> None:
    a = score(measure(open_project(rules_project(RULE_ON_MEDIUM))))
    excluded = dict(zip(a.site_ids, a.table.excluded, strict=True))
    # s0: 20 % of it in the medium zone (20 m of 100 m), above 10 %; s1: 5 %; s2: none.
    assert excluded == {"s0": True, "s1": False, "s2": False}
    (reason,) = a.reasons["s0"]
    assert reason.code == "rule_above"
    values = reason.value_map
    assert values["value"] == Quantity(pytest.approx(20.0), "%", 1)  # type: ignore[arg-type]
    assert values["limit"] == Quantity(10.0, "%", 1)
    assert a.exclusions["s0"] == (
        "Share in the medium flood scenario: 20.0%, above the limit of 10.0%",
    )
    # The excluded site ranks after all others, with no rank (0 in the table).
    assert a.ranked().index[-1] == "s0"
    assert dict(zip(a.site_ids, a.table.ranks.tolist(), strict=True))["s0"] == 0


def test_the_reports_say_blocking_in_french(rules_project: Callable[..., Path]) -> None:
    a = score(measure(open_project(rules_project(RULE_ON_MEDIUM))))
    (text,) = blocking_texts(a, "s0", "fr")
    nb = "\u00a0"
    assert text == (
        f"Bloquant{nb}: Part en zone inondable, scénario moyen{nb}: 20,0{nb}%, "
        f"au-dessus de la limite de 10,0{nb}%"
    )
    assert "above" not in text and "medium" not in text
    assert blocking_texts(a, "s0", "en")[0].startswith("Blocking: Share in the medium")
    assert blocking_texts(a, "s1", "fr") == []


def test_the_json_carries_the_rule_code_and_values(rules_project: Callable[..., Path]) -> None:
    a = score(measure(open_project(rules_project(RULE_ON_MEDIUM))))
    site = next(s for s in assessment_document(a)["sites"] if s["id"] == "s0")
    assert site["rank"] is None and site["excluded"] is True
    (r,) = site["exclusion_reasons"]
    assert r["code"] == "rule_above"


def test_short_forms_on_the_scored_measure(rules_project: Callable[..., Path]) -> None:
    # Land scores power density: 10 MW on 1 ha = 10 MW/ha, on 9 ha = 1.11 MW/ha.
    land = {
        "min_area_ha": 0,  # land's own rule (below 10 ha) off
        "exclude_above": 5,
        "exclude": [{"measure": "area_ha", "below": 0.5}],
    }
    a = score(measure(open_project(rules_project({"exclude_scenario": "none"}, land))))
    excluded = dict(zip(a.site_ids, a.table.excluded, strict=True))
    assert excluded == {"s0": True, "s1": True, "s2": False}
    assert a.reasons["s0"][0].code == "rule_above"
    # The unit-suffixed short form of the issue (exclude_above_pct on an overlap share):
    # land's scored measure is in MW/ha, so a _pct rule is refused, naming the key.
    with pytest.raises(ProjectError, match=r"\[criteria.land\]: exclude_above_pct"):
        open_project(rules_project({}, {"exclude_above_pct": 0}))


def test_flood_keeps_its_own_exclude_above_pct(rules_project: Callable[..., Path]) -> None:
    a = score(measure(open_project(rules_project({"exclude_above_pct": 10}))))
    assert [r.code for r in a.reasons["s0"]] == ["flood_zone"]  # flood's own rule, as before
    assert "s1" not in a.reasons


@pytest.mark.parametrize(
    ("flood", "message"),
    [
        (
            {"exclude": [{"measure": "flood_share_typo_pct", "above": 1}]},
            r"\[criteria.flood\].exclude\[0\]: measure = 'flood_share_typo_pct' is not one",
        ),
        ({"exclude": [{"above": 1, "below": 0}]}, r"exclude\[0\]: give exactly one of"),
        ({"exclude": [{"measure": "area_ha", "over": 1}]}, r"exclude\[0\]: unknown key\(s\): over"),
        ({"exclude_above": "ten"}, r"exclude_above must be a number"),
        ({"exclude_in": 3}, r"exclude_in must be a list"),
    ],
)
def test_bad_rules_are_refused_by_score_and_validate_alike(
    rules_project: Callable[..., Path], flood: dict[str, object], message: str
) -> None:
    path = rules_project(flood)
    with pytest.raises(ProjectError, match=message) as info:
        check_project(load_project(path))
    assert str(path.resolve()) in str(info.value)
    report = validate_project(path)
    assert not report.ok
    assert any(str(info.value) == e for e in report.all_errors())


def test_validate_lists_the_rules_in_words(rules_project: Callable[..., Path]) -> None:
    report = validate_project(rules_project(RULE_ON_MEDIUM, {"exclude_above": 5}))
    assert report.ok, report.problems_text()
    en = report.text("en")
    assert (
        "Flood risk: a site is excluded when Share in the medium flood scenario is above 10.0%"
        in en
    )
    assert "Land: a site is excluded when Power density is above 5.0 MW/ha" in en
    fr = report.text("fr")
    assert "Règles d’exclusion (bloquantes, quelle que soit la note)" in fr
    assert "un site est exclu quand « Part en zone inondable, scénario moyen » dépasse" in fr


def test_rules_survive_a_save(rules_project: Callable[..., Path], tmp_path: Path) -> None:
    path = rules_project(RULE_ON_MEDIUM, {"exclude_above": 5})
    p = open_project(path)
    out = save_project(p, tmp_path / "again.toml")
    assert (
        tomllib.loads(out.read_text("utf-8"))["criteria"]
        == tomllib.loads(path.read_text("utf-8"))["criteria"]
    )
    assert open_project(out).criteria == p.criteria


def test_a_rule_text_in_every_language_is_translated() -> None:
    from siteassess.criteria import CRITERIA
    from siteassess.criteria.rules import rule_text
    from siteassess.project import ExclusionRule

    rule = ExclusionRule("in", ("A", "N"), "area_ha", "exclude[0]")
    text = reason_text(rule_text(CRITERIA["land"], rule, "power_density_mw_per_ha"), "fr")
    assert "Surface" in text and "A, N" in text


def test_the_french_site_and_compare_reports_show_the_rule_as_blocking(
    rules_project: Callable[..., Path], tmp_path: Path
) -> None:
    from siteassess.reports.pdf.compare_report import write_compare_report
    from siteassess.reports.pdf.site_report import write_site_report
    from tests.reports.conftest import pdf_text

    a = score(measure(open_project(rules_project(RULE_ON_MEDIUM))))
    site = " ".join(pdf_text(write_site_report(a, "s0", tmp_path / "s0.pdf", lang="fr")).split())
    assert "Bloquant : Part en zone inondable, scénario moyen : 20,0 %, au-dessus de la" in site
    both = write_compare_report(a, ["s0", "s1"], tmp_path / "cmp.pdf", lang="fr")
    text = " ".join(pdf_text(both).split())
    assert "est exclu par une règle bloquante : Part en zone inondable, scénario moyen" in text
