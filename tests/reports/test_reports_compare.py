"""The comparison report read back, and how the compared sites are chosen and checked."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from siteassess.assessment import Assessment
from siteassess.reports.pdf import SiteSelectionError, compared_sites, default_compared
from siteassess.reports.pdf.compare_table import BEST_MARK, best_columns
from siteassess.scoring import monte_carlo, swap_weights
from tests.reports.conftest import pdf_text
from tests.reports.test_reports_site import dist, en, flat, fr


def ranked_sites(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in doc["sites"] if not s["excluded"]]


def test_default_comparison_is_the_top_five_not_excluded(
    sample_assessment: Assessment, sample_doc: dict[str, Any]
) -> None:
    expected = [s["id"] for s in ranked_sites(sample_doc)][:5]
    assert default_compared(sample_assessment) == expected
    assert compared_sites(sample_assessment, None) == expected


def test_comparison_numbers_match_the_json_document(
    compare_pdf: Callable[..., Path], sample_doc: dict[str, Any]
) -> None:
    text = flat(pdf_text(compare_pdf("en")))
    top = ranked_sites(sample_doc)[:5]
    assert "Comparison of 5 sites" in text
    for s in top:
        assert s["name"] in text
        assert en(s["score"]) in text
        for points in s["contributions"].values():
            assert en(points) in text
        m = s["measures"]
        assert dist(m["substation_400kv_distance_m"], en) in text
        assert f"{en(m['rtt_flap_mean_ms'], 2)} ms" in text
        assert f"{en(m['area_ha'])} ha" in text
    # The best value of a row carries the mark.
    best_score = max(s["score"] for s in top)
    assert f"{BEST_MARK} {en(best_score)}" in text
    nearest_400 = min(s["measures"]["substation_400kv_distance_m"] for s in top)
    assert re.search(re.escape(BEST_MARK) + r" [^★]*?" + re.escape(dist(nearest_400, en)), text)
    biggest = max(s["measures"]["area_ha"] for s in top)
    assert f"{BEST_MARK} {en(biggest)} ha" in text


def test_comparison_sensitivity_among_the_compared_sites(
    compare_pdf: Callable[..., Path], sample_doc: dict[str, Any]
) -> None:
    """P(first) among the compared sites, recomputed here from the document's values."""
    ids = ("escaudain-soufflantes", "douchy-total-solar", "douai-euradouai")
    text = flat(pdf_text(compare_pdf("en", ids)))
    sites = [next(s for s in sample_doc["sites"] if s["id"] == i) for i in ids]
    names = [c["name"] for c in sample_doc["criteria"]]
    values = np.array([[s["values"][n] for n in names] for s in sites], dtype=float)
    weights = np.array([c["weight"] for c in sample_doc["criteria"]])
    sens = sample_doc["sensitivity"]
    res = monte_carlo(
        values, weights, draws=sens["draws"], spread=sens["spread"], seed=sens["seed"]
    )
    for p in res.p_first:
        assert f"{en(p * 100)}%" in text
    # What would swap the top two of these three (Escaudain ahead of Douchy).
    swaps = swap_weights(names, values, weights, 0, 1)
    assert swaps, "the sample's top two can swap"
    s = swaps[0]
    label = {"power": "power supply", "flood": "flood risk", "land": "land"}.get(s.criterion, "")
    assert (
        f"if the {label} weight went from {en(s.weight_before * 100)}% to "
        f"{en(s.weight_after * 100)}%" in text
    )
    for other in swaps:
        assert f"{en(other.weight_after * 100)}%" in text


def test_comparison_in_french(compare_pdf: Callable[..., Path], sample_doc: dict[str, Any]) -> None:
    raw = pdf_text(compare_pdf("fr"))
    text = flat(raw)
    top = ranked_sites(sample_doc)[:5]
    assert "Comparaison de 5 sites" in text
    for s in top:
        assert fr(s["score"]) in text
        assert f"{fr(s['measures']['area_ha'])} ha" in text
    assert "Ce qui inverserait les deux premiers" in text
    assert "Cartes à la même échelle" in text
    assert "Données ILLUSTRATIVES" in text
    for english in ("Nearest", "Score (0", "weight", "Maps at"):
        assert english not in text


def test_an_excluded_site_can_be_compared_and_is_said_excluded(
    compare_pdf: Callable[..., Path],
) -> None:
    text = flat(pdf_text(compare_pdf("en", ("loon-plage-edf", "douai-euradouai"))))
    assert (
        "EDF renouvelables is excluded by a blocking rule: 15.0% of the site is in the medium"
        in text
    )
    assert "Fewer than two of these sites are ranked" in text


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (["douai-euradouai"], "1 sites given"),
        ([f"s{i}" for i in range(6)], "6 sites given"),
        (["douai-euradouai", "nowhere"], "no site with id 'nowhere'"),
        (["douai-euradouai", "douai-euradouai"], "listed twice"),
    ],
)
def test_bad_site_lists_are_refused_naming_the_site_and_file(
    sample_assessment: Assessment, ids: list[str], message: str
) -> None:
    with pytest.raises(SiteSelectionError, match=message) as err:
        compared_sites(sample_assessment, ids)
    assert "project.toml" in str(err.value)
    assert isinstance(err.value, ValueError)


def test_default_needs_two_sites_not_excluded(sample_assessment: Assessment) -> None:
    table = sample_assessment.table
    only_one = np.ones_like(table.excluded)
    only_one[0] = False
    a = replace(sample_assessment, table=replace(table, excluded=only_one))
    with pytest.raises(SiteSelectionError, match="only 1 site is not excluded"):
        compared_sites(a, None)


@pytest.mark.parametrize(
    ("keys", "better", "best"),
    [
        ([3.0, 1.0, 2.0], "low", [1]),
        ([3.0, 1.0, 3.0], "high", [0, 2]),
        ([1.0, 1.0, 1.0], "high", []),
        ([math.nan, 2.0, 1.0], "high", [1]),
        ([math.nan, 2.0], "low", []),
        ([1.0, 2.0], "", []),
    ],
)
def test_best_columns(keys: list[float], better: str, best: list[int]) -> None:
    assert best_columns(keys, better) == best


def test_the_comparison_says_what_does_not_separate_the_sites(tmp_path: Path) -> None:
    """Without a fibre layer, connectivity is the geodesic FLAP round trip: it separates nothing."""
    from siteassess.assessment import assess
    from siteassess.project import load_project
    from siteassess.reports.pdf import write_compare_report
    from tests.conftest import sample_without

    a = assess(load_project(sample_without(tmp_path, "fibre")))
    out = write_compare_report(a, None, tmp_path / "c.pdf", lang="fr")
    text = flat(pdf_text(out))
    assert "« Connectivité vers les marchés FLAP » ne départage pas ces sites" in text
    assert "Raccordement électrique » ne départage" not in text
    # Round trips a few hundredths of a ms apart get no ★ (precision 0.1 ms).
    rtts = a.measurements.measures.loc[a.best_sites(5), "rtt_flap_mean_ms"]
    assert 0 < rtts.max() - rtts.min() < 0.1
    assert not re.search(re.escape(BEST_MARK) + r" \d,\d\d ms", text)


def test_with_a_fibre_layer_connectivity_scores_the_distance_to_the_fibre(
    compare_pdf: Callable[..., Path], sample_doc: dict[str, Any]
) -> None:
    conn = next(c for c in sample_doc["criteria"] if c["name"] == "connectivity")
    assert conn["measure"] == "fibre_distance_m"
    assert conn["transform"]["best"] == 0 and conn["transform"]["worst"] == 10_000
    text = flat(pdf_text(compare_pdf("fr")))
    assert "Connectivité vers les marchés FLAP » ne départage pas" not in text
