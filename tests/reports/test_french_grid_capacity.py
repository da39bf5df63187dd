"""A French site report of a project with a grid capacity layer holds no English and no
code keys (issue 11 §5, issue 12 §3), checked as tests/reports/test_french_everywhere.py
checks every report.

The project is a copy of the sample with one « zone de mutualisation » (the schema of
tests/criteria/test_criteria_grid.py: a zone name, MW steps by year, a quote-part in
k€/MW and a source) drawn around the Escaudain site, in two steps.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tomllib
from pathlib import Path

import tomli_w

from siteassess.assessment import assess
from siteassess.project_checks import open_project
from siteassess.reports import i18n_reports
from tests.conftest import SAMPLE_PROJECT
from tests.reports.conftest import pdf_text
from tests.reports.test_french_everywhere import (
    DAY,
    ENGLISH,
    SNAKE,
    data_values,
    findings,
    parameter_keys,
    xlsx_text,
)

SITE = "escaudain-soufflantes"
LAT, LON = 50.3209493, 3.3533556  # its Cartofriches point (FACTS.md)


def _project(tmp_path: Path) -> Path:
    folder = tmp_path / "sample-grid"
    shutil.copytree(SAMPLE_PROJECT.parent, folder)
    box = [
        [LON - 0.05, LAT - 0.05],
        [LON + 0.05, LAT - 0.05],
        [LON + 0.05, LAT + 0.05],
        [LON - 0.05, LAT + 0.05],
        [LON - 0.05, LAT - 0.05],
    ]
    features = [
        {
            "type": "Feature",
            "properties": {
                "nom": "Zone Escaut",
                "mw": mw,
                "annee": year,
                "quote_part_keur_per_mw": 92.5,
                "source": "CRE 2024-200",
            },
            "geometry": {"type": "Polygon", "coordinates": [box]},
        }
        for mw, year in ((320, 2030), (500, 2032))
    ]
    (folder / "zones.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    path = folder / "project.toml"
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    doc["layers"].append(
        {
            "role": "grid_capacity",
            "path": "zones.geojson",
            "name_field": "nom",
            "source": "ILLUSTRATIVE capacity zone",
            "source_fr": "Zone de capacité ILLUSTRATIVE",
        }
    )
    doc["criteria"]["power"]["reference_year"] = 2026
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


def test_french_site_report_with_a_capacity_layer_holds_no_english(tmp_path: Path) -> None:
    from siteassess.reports import spreadsheet
    from siteassess.reports.pdf import write_site_report

    a = assess(open_project(_project(tmp_path)))
    m = a.measurements.measures.loc[SITE]
    assert m["grid_capacity_point"] == "Zone Escaut"
    assert m["grid_capacity_year"] == 2032  # 320 MW < 700 MW in 2030, 820 MW in 2032
    i18n_reports.UNTRANSLATED.clear()
    target = tmp_path / "site.pdf"
    write_site_report(a, SITE, target, lang="fr", day=DAY)
    report = pdf_text(target)
    excel = spreadsheet.excel_csv(a, "fr").decode("utf-8-sig")
    texts = {
        "site report": report,
        "xlsx": xlsx_text(spreadsheet.xlsx_bytes(a, "fr", DAY)),
        "csv": "\n".join(";".join(r) for r in csv.reader(io.StringIO(excel), delimiter=";")),
    }
    flat = " ".join(report.split())
    assert "peut être raccordée à partir de 2032" in flat
    assert "Coût indicatif du raccordement" in flat
    assert not i18n_reports.UNTRANSLATED
    values = data_values(a)
    params = parameter_keys()
    assert [f for f in findings(texts, SNAKE, values) if f.split("'")[1] not in params] == []
    assert [f for f in findings(texts, SNAKE, values) if f.split("'")[1] in params] == []
    assert list(findings(texts, ENGLISH, values)) == []


def test_the_year_is_a_whole_number_in_the_workbook(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from siteassess.reports import spreadsheet

    a = assess(open_project(_project(tmp_path)))
    ws = load_workbook(io.BytesIO(spreadsheet.xlsx_bytes(a, "fr", DAY)))["Classement"]
    head = [c.value for c in ws[1]]
    col = head.index("Année où la demande peut être raccordée")
    cells = [row[col] for row in ws.iter_rows(min_row=2)]
    assert any(c.value == 2032 for c in cells)
    assert all(c.number_format == "0" for c in cells if c.value is not None)  # not « 2 032 »
