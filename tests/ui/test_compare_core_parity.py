"""The compare window and the compare PDF read one core function for P(1st) and swaps.

They disagreed when ``missing = "renormalise"``: the window left the rule out of its
Monte-Carlo draws. Here some sites have no measurable area (points), so the rule matters.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
import tomli_w

from siteassess.assessment import assess
from siteassess.project import load_project
from siteassess.scoring import monte_carlo, swap_weights
from tests.ui.conftest import SAMPLE


def _project(tmp_path: Path, missing: str) -> Path:
    sites = gpd.read_file(SAMPLE.parent / "sites.geojson")
    # Three sites become points: their area, hence the land criterion, is not measurable.
    sites.loc[sites.index[:3], "geometry"] = (
        sites.geometry.iloc[:3].to_crs(2154).centroid.to_crs(sites.crs)
    )
    assert shapely.get_type_id(sites.geometry.values).tolist().count(0) == 3
    sites.to_file(tmp_path / "sites.geojson", driver="GeoJSON")
    doc = {
        "schema": 1,
        "name": "parity",
        "demand_mw": 700,
        "missing": missing,
        "layers": [
            {"role": "sites", "path": "sites.geojson"},
            {"role": "substations", "path": str(SAMPLE.parent / "postes_rte_extrait.csv")},
        ],
        "criteria": {"power": {"weight": 50}, "land": {"weight": 50}},
        "sensitivity": {"draws": 400, "spread": 0.3, "seed": 7},
    }
    path = tmp_path / "project.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize("missing", ["renormalise", "worst"])
def test_window_and_pdf_give_the_same_p_first_and_swaps(tmp_path: Path, missing: str) -> None:
    from siteassess.reports.pdf.compare_table import subset_p_first
    from siteassess.reports.pdf.swaps import ranked_pair, swaps_between
    from siteassess.ui.compare import comparison_rows, swap_text
    from siteassess.ui.i18n_ui import tr

    a = assess(load_project(_project(tmp_path, missing)))
    ids = a.site_ids[:5]  # three points and two polygons
    rows = a.table.excluded[[a.site_ids.index(s) for s in ids]]
    assert not rows.all()
    # Computed independently: the scoring module's Monte-Carlo on these rows, this rule.
    order = [a.site_ids.index(s) for s in ids]
    expected = monte_carlo(
        a.table.values[order],
        a.table.weights,
        a.table.excluded[order],
        draws=400,
        spread=0.3,
        seed=7,
        missing=missing,
    ).p_first
    window = next(
        r for r in comparison_rows(a, a, ids) if r.label == tr("P(1st) among these sites")
    )
    pdf = subset_p_first(a, ids)
    assert pdf is not None
    np.testing.assert_allclose(window.numbers, expected)
    np.testing.assert_allclose(pdf, expected)
    pair = ranked_pair(a, list(ids))
    assert pair is not None
    i, k = a.site_ids.index(pair[0]), a.site_ids.index(pair[1])
    names = [c.name for c in a.criteria]
    direct = swap_weights(names, a.table.values, a.table.weights, i, k, missing=missing)
    assert swaps_between(a, *pair) == direct
    text = swap_text(a, ids)
    assert a.site_name(pair[0]) in text and a.site_name(pair[1]) in text


def test_the_rule_changes_the_subset_p_first(tmp_path: Path) -> None:
    """Without this the test above could pass with the rule ignored."""
    (tmp_path / "r").mkdir()
    (tmp_path / "w").mkdir()
    ren = assess(load_project(_project(tmp_path / "r", "renormalise")))
    wor = assess(load_project(_project(tmp_path / "w", "worst")))
    ids = ren.site_ids[:5]
    p_ren, p_wor = ren.p_first_among(ids), wor.p_first_among(ids)
    assert p_ren is not None and p_wor is not None
    assert not np.allclose(p_ren, p_wor)
