"""Issue 12 §1 and §8: the sample's declared criterion appears wherever a built-in one does.

The sample project declares ``[criteria.natura2000]`` (``kind = "overlap"`` on the layer
named ``natura2000``, an ILLUSTRATIVE zone drawn over the northern fifth of Loon-Plage's
square outline, with ``exclude_above_pct = 0``). No file of siteassess names it: the JSON,
the command line, the spreadsheet, the site and comparison reports, the web map and
``validate`` must show it from the project file alone, in French. The app's views are
checked in tests/ui/test_ui_declared_criterion.py.
"""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from siteassess.assessment import Assessment, assess
from siteassess.i18n import NBSP
from siteassess.project import load_project
from siteassess.reports import i18n_reports
from tests.conftest import SAMPLE_PROJECT

LOON = "loon-plage-edf"
SHARE = 20.0  # build_illustrative.NATURA_SHARE of the square, built in Lambert-93


@pytest.fixture(scope="module")
def sample() -> Assessment:
    return assess(load_project(SAMPLE_PROJECT))


def _flat(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").replace("\u202f", " ").split())


def _pdf(data: bytes) -> str:
    return _flat("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def test_it_measures_the_share_drawn_and_excludes_by_its_rule(sample: Assessment) -> None:
    m = sample.measurements.measures
    # The zone's southern edge cuts the square at 80 % of its height; the outline went
    # through WGS84 at 7 decimals (about 1 cm), so the share holds to 0.05 %.
    assert m.loc[LOON, "natura2000_share_pct"] == pytest.approx(SHARE, abs=0.05)
    others = m.drop(index=LOON)["natura2000_share_pct"]
    assert (others == 0).all()
    assert any("Natura 2000: share of the site inside: 20.0%" in r for r in sample.exclusions[LOON])


def test_the_json_gives_its_declaration_measures_and_value(sample: Assessment) -> None:
    from siteassess.reports.tables import to_json

    doc = json.loads(to_json(sample))
    crit = next(c for c in doc["criteria"] if c["name"] == "natura2000")
    assert (
        crit["declaration"]["kind"] == "overlap" and crit["declaration"]["layer"] == "Natura 2000"
    )
    assert crit["measure"] == "natura2000_share_pct" and crit["illustrative"] is True
    assert "Criterion declared in the project file" in crit["rationale"]
    site = next(s for s in doc["sites"] if s["id"] == LOON)
    assert site["measures"]["natura2000_share_pct"] == pytest.approx(SHARE, abs=0.05)
    assert doc["criteria"][0]["declaration"] is None  # power is built in


def test_the_command_line_table_shows_it_in_french(sample: Assessment) -> None:
    from siteassess.reports.text import ranking_text

    text = ranking_text(sample, lang="fr")
    assert "Natura 2000 4 %".replace(" %", f"{NBSP}%") in text.replace(" %", f"{NBSP}%")
    assert "Natura 2000 : part du site à l’intérieur : 20,0 %" in _flat(text)


def test_the_spreadsheet_has_its_columns_in_french(sample: Assessment) -> None:
    from siteassess.reports.spreadsheet import ranking_table

    heads = [_flat(c.info.label) for c in ranking_table(sample, "fr").columns]
    assert any(h.startswith("Natura 2000 : part du site à l’intérieur") for h in heads)
    assert not any("share of the site" in h for h in heads)


def test_the_site_report_explains_it_in_french(sample: Assessment) -> None:
    from siteassess.reports.pdf.site_report import site_report_pdf

    i18n_reports.UNTRANSLATED.clear()
    text = _pdf(site_report_pdf(sample, LOON, lang="fr"))
    assert "Bloquant : Natura 2000 : part du site à l’intérieur : 20,0 %" in text
    assert "Natura 2000 : 20,0 % du site se trouve à l’intérieur des zones de la couche" in text
    assert "Critère déclaré dans le fichier de projet : la part du site" in text
    assert "INPN, sites Natura 2000 (ici une zone ILLUSTRATIVE)" in text  # its source_fr
    assert "Criterion declared" not in text and "share of the site" not in text
    assert set() == i18n_reports.UNTRANSLATED


def test_the_comparison_report_compares_it_in_french(sample: Assessment) -> None:
    from siteassess.reports.pdf.compare_report import compare_report_pdf

    i18n_reports.UNTRANSLATED.clear()
    ids = [sample.site_ids[0], LOON]
    text = _pdf(compare_report_pdf(sample, ids, lang="fr"))
    assert "Natura 2000 (sur" in text  # a column of the points
    assert "part du site à l’intérieur" in text  # a row of the measures
    assert set() == i18n_reports.UNTRANSLATED


def test_the_web_map_legend_weighs_it(sample: Assessment) -> None:
    from siteassess.reports.webmap import MapOptions, build_map_html

    page = build_map_html(sample, MapOptions(lang="fr"))
    legend = page[page.index('class="sa-legend"') :]
    assert f"Natura 2000 4{NBSP}%" in legend  # 5 of 115


def test_validate_lists_its_rule_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    from siteassess.cli import main

    assert main(["validate", str(SAMPLE_PROJECT), "--lang", "fr"]) == 0
    out = _flat(capsys.readouterr().out)
    assert (
        "Natura 2000 : un site est exclu quand « Natura 2000 : part du site à l’intérieur »" in out
    )
