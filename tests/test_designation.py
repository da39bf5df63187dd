"""Sites designated by the State (issue 12 §6), and the zoning criterion in French reports.

A designation (fast track, « site clé en main », « projet d'intérêt national majeur »)
with its source and date is read from the sites layer by ``designation_field``,
``designation_source_field`` and ``designation_date_field``; it shows as a flag in the
ranking (terminal, spreadsheet, JSON) and the site report, and is not scored. Real
examples: the 35 sites « prêts à l'emploi » (« clés en main ») for AI data centres the
government announced on 7 February 2025, 28 of them mapped the next day (La Tribune with
AFP, 8 February 2025), and the 63 sites the State's task force (DGE, RTE, Business France)
had identified by November 2025 (the government's data-centre guide of 28 November 2025, as
reported by Clubic). The designations below are ILLUSTRATIVE, not taken from those lists.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from siteassess.assessment import Assessment, assess
from siteassess.project_checks import open_project
from siteassess.reports import i18n_reports
from tests.reports.conftest import pdf_text
from tests.reports.test_french_everywhere import (
    ENGLISH,
    SNAKE,
    data_values,
    findings,
    page_texts,
    parameter_keys,
)
from tests.zoning_fixtures import sites, write_zoning_project, zone_urba

DAY = dt.date(2026, 12, 3)
FLAG = "Site clé en main (ILLUSTRATIF)"
SOURCE = "Ministère de l'Économie, liste des sites clés en main"
DATE = "2025-02-09"


def _designated_project(folder: Path) -> Path:
    data = sites(
        label=[None, FLAG],
        label_source=[None, SOURCE],
        label_date=[None, DATE],
    )
    return write_zoning_project(
        folder,
        zones=zone_urba(),
        site_data=data,
        site_layer={
            "designation_field": "label",
            "designation_source_field": "label_source",
            "designation_date_field": "label_date",
        },
    )


@pytest.fixture
def designated(tmp_path: Path) -> Assessment:
    return assess(open_project(_designated_project(tmp_path / "project")))


def test_the_designation_is_read_and_not_scored(designated: Assessment, tmp_path: Path) -> None:
    a = designated
    assert a.designation("s1") == (FLAG, SOURCE, DATE)
    assert a.designation("s0") is None
    ranked = a.ranked()
    assert ranked.loc["s1", "designation"] == FLAG
    assert ranked.loc["s1", "designation_source"] == SOURCE
    # Not scored: the same project without the designation gives the same scores.
    plain = assess(open_project(write_zoning_project(tmp_path / "plain", zones=zone_urba())))
    np.testing.assert_allclose(a.table.scores, plain.table.scores)
    assert "designation" not in plain.ranked().columns  # no column when no site has one


def test_the_json_and_the_terminal_show_it(designated: Assessment) -> None:
    from siteassess.reports.tables import to_json
    from siteassess.reports.text import ranking_text

    doc = json.loads(to_json(designated))
    by_id = {s["id"]: s for s in doc["sites"]}
    assert by_id["s1"]["designation"] == {"text": FLAG, "source": SOURCE, "date": DATE}
    assert by_id["s0"]["designation"] is None
    text = " ".join(
        ranking_text(designated, "fr").replace("\u202f", " ").replace("\xa0", " ").split()
    )
    assert f"désigné par l’État : {FLAG} (non noté) — {SOURCE} · {DATE}" in text
    assert "s0" in designated.reasons and "s1" not in designated.reasons


def test_a_named_field_that_is_missing_is_refused(tmp_path: Path) -> None:
    from siteassess.errors import SiteAssessError

    path = write_zoning_project(
        tmp_path, zones=zone_urba(), site_layer={"designation_field": "cle_en_main"}
    )
    with pytest.raises(SiteAssessError, match="no column 'cle_en_main' \\(designation_field\\)"):
        assess(open_project(path))


def test_the_french_reports_with_zoning_and_a_flagged_site_hold_no_english(
    designated: Assessment, tmp_path: Path
) -> None:
    from siteassess.reports import spreadsheet
    from siteassess.reports.pdf import write_compare_report, write_site_report
    from siteassess.reports.text import ranking_text
    from siteassess.reports.webmap import MapOptions, build_map_html

    a = designated
    assert "s0" in a.reasons  # excluded by the zoning: its « Bloquant » reason is shown
    i18n_reports.UNTRANSLATED.clear()
    texts = {}
    for site in ("s0", "s1"):
        target = tmp_path / f"site-{site}.pdf"
        write_site_report(a, site, target, lang="fr", day=DAY)
        texts[f"site report {site}"] = pdf_text(target)
    target = tmp_path / "compare.pdf"
    write_compare_report(a, ["s1", "s0"], target, lang="fr", day=DAY)
    texts["compare report"] = pdf_text(target)
    texts["csv"] = spreadsheet.excel_csv(a, "fr").decode("utf-8-sig")
    texts["web map"] = page_texts(build_map_html(a, MapOptions(lang="fr")))
    texts["terminal"] = ranking_text(a, "fr")
    assert set() == i18n_reports.UNTRANSLATED
    flat = {
        k: " ".join(v.replace("\u202f", " ").replace("\xa0", " ").split()) for k, v in texts.items()
    }
    report = flat["site report s1"]
    assert (
        "Désigné par l’État : Site clé en main (ILLUSTRATIF). Indiqué pour information : non noté."
        in report
    )
    assert f"Source : {SOURCE} · {DATE}." in report
    assert "Zonage (PLU)" in report
    assert "<NA>" not in report  # a site layer without communes: no « <NA> (<NA>) »
    assert "UX — Zone d'activités" in report  # the zone's libelle and libelong
    excluded = flat["site report s0"]
    assert "UE — Zone urbaine d'activités économiques; 1AUe" in excluded
    assert "zones du PLU qui excluent un centre de données" in excluded
    assert "zone à urbaniser bloquée (AUs)" in excluded
    assert "Désigné par l’État" in flat["csv"]
    assert f"{FLAG} — {SOURCE} · {DATE}" in flat["web map"]  # the site's popup
    assert "Zone du PLU" in flat["web map"]  # a zone's popup: libelle, libelong, type
    assert "Zone à urbaniser bloquée" in flat["web map"]
    assert "zone à urbaniser bloquée (AUs)" in flat["web map"]
    assert f"Friche du Port est désigné par l’État : {FLAG} (non noté)." in flat["compare report"]
    values = data_values(a)
    params = parameter_keys()
    keys = [f for f in findings(texts, SNAKE, values) if f.split("'")[1] not in params]
    assert keys == []
    assert list(findings(texts, ENGLISH, values)) == []
