"""``siteassess validate``: the checks of assessing, errors on stderr, the weight it loses."""

from __future__ import annotations

from pathlib import Path

import pytest

from siteassess.validate import validate_project
from tests.bad_input.harness import SAMPLE, project_file, run_cli, sample_sites_layer


def test_the_sample_is_measured_and_scored_by_validate() -> None:
    report = validate_project(SAMPLE / "project.toml")
    assert report.ok and report.assessed == 7 and not report.warnings
    assert report.problems_text() == ""
    assert "OK: the project can be assessed (7 sites measured and scored)" in report.text()


@pytest.mark.parametrize(
    ("missing", "effect"),
    [("worst", "no site can score above 40"), ("renormalise", "remaining 40 % of the weight")],
)
def test_weighted_criteria_without_a_layer_are_warned_with_the_weight_lost(
    tmp_path: Path, missing: str, effect: str
) -> None:
    """Power (40) and flood (20) weigh 60 % and have no layer: every score is capped."""
    project = project_file(
        tmp_path,
        [sample_sites_layer()],
        {"power": {"weight": 40}, "flood": {"weight": 20}, "land": {"weight": 40}},
        missing=missing,
        demand_mw=700,
    )
    ended = run_cli(["validate", project])
    assert ended.code == 0, ended.err
    assert "land" not in ended.err  # measured: the sample's sites have areas
    assert "OK: the project can be assessed" in ended.out
    warning = ended.err
    assert "60 % of the weight cannot be measured" in warning, warning
    assert "power (40 % of the weight): no substations or power_lines layer" in warning
    assert "flood (20 % of the weight): no flood layer" in warning
    assert effect in warning
    # score says the same in its own words: the criteria are not measurable.
    scored = run_cli(["score", project])
    assert scored.code == 0 and "not measurable" in scored.out + scored.err


def test_errors_go_to_stderr_and_the_listing_to_stdout(tmp_path: Path) -> None:
    project = project_file(
        tmp_path,
        [sample_sites_layer(), {"role": "flood", "path": "absent.gpkg"}],
        {"flood": {"weight": 1}},
    )
    ended = run_cli(["validate", project])
    assert ended.code == 2
    assert "[flood] flood" in ended.out and "not read: see the error below" in ended.out
    assert "ERROR" not in ended.out and "NOT OK" not in ended.out
    assert "ERROR: layer flood (absent.gpkg): file not found" in ended.err, ended.err
    assert ended.err.rstrip().endswith("1 error; fix it before assessing")
