"""The ranking as a spreadsheet: .xlsx read back with openpyxl, CSV read as French Excel does.

Expected values come from ``Assessment.ranked()`` itself (the numbers) and from the
units in the measures' names (``_m`` → metres); the spreadsheets must only carry them.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from siteassess.assessment import Assessment
from siteassess.reports import spreadsheet
from siteassess.reports.tables import OUTPUT_SUFFIXES, write_output
from tests.reports.conftest import DAY

# English words that must not appear in a French header (the labels' own vocabulary).
ENGLISH = re.compile(
    r"\b(the|of|to|and|in|at|rank|score|share|nearest|substation|round|trip|area|density|"
    r"name|excluded|reasons|weight|criterion|layer|value|function|chance|first|best|worst|"
    r"data|completeness|exchange|power|line|flood|scenario|voltage|authorised)\b",
    re.IGNORECASE,
)


def load(path: Path) -> Any:
    import openpyxl

    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def xlsx_fr(sample_assessment: Assessment, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("xlsx") / "classement.xlsx"
    spreadsheet.write_xlsx(sample_assessment, target, lang="fr", day=DAY)
    return target


def headers(ws: Any) -> list[str]:
    return [str(c.value) for c in ws[1]]


def test_xlsx_has_typed_numbers_units_in_headers_a_frozen_header_and_a_filter(
    sample_assessment: Assessment, xlsx_fr: Path
) -> None:
    wb = load(xlsx_fr)
    assert wb.sheetnames == ["Classement", "Méthode"]
    ws = wb["Classement"]
    ranked = sample_assessment.ranked()
    head = headers(ws)
    assert ws.max_row == len(ranked) + 1
    assert ws.freeze_panes is not None and ws.freeze_panes.endswith("2")  # header row frozen
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(head)).column_letter}{len(ranked) + 1}"
    # Units from the measures' names, in the stored unit.
    for header in ("Surface (ha)", "Densité de puissance (MW/ha)", "Part en zone inondable (%)"):
        assert header in head
    assert "Poste ≥ tension minimale (m)" in head
    assert "Aller-retour moyen FLAP (ms)" in head
    # Every numeric column of ranked() gives numeric cells, equal to the assessment's values.
    col = {h: k for k, h in enumerate(head)}
    by_id = {row[col["Identifiant"]].value: row for row in ws.iter_rows(min_row=2)}
    for site, expected in ranked.iterrows():
        row = by_id[site]
        score = row[col["Note (sur 100)"]]
        assert score.data_type == "n" and score.value == pytest.approx(expected["score"])
        dist = row[col["Poste ≥ tension minimale (m)"]]
        assert isinstance(dist.value, int | float) and dist.number_format == "#,##0"  # 0.0 → 0
        assert dist.value == pytest.approx(expected["substation_distance_m"])
        area = row[col["Surface (ha)"]]
        assert area.number_format == "#,##0.0" and area.value == pytest.approx(expected["area_ha"])
        p_first = row[col["Probabilité d’être premier (%)"]]
        assert p_first.number_format.endswith("%")  # a share shown as a percentage
        assert p_first.value == pytest.approx(expected["p_first"])
    for row in ws.iter_rows(min_row=2):
        for cell, h in zip(row, head, strict=True):
            if cell.value is not None and h.endswith(")") and "(" in h:
                assert not isinstance(cell.value, str), (h, cell.value)  # never a number as text


def test_xlsx_marks_excluded_sites(sample_assessment: Assessment, xlsx_fr: Path) -> None:
    ws = load(xlsx_fr)["Classement"]
    head = headers(ws)
    col = {h: k for k, h in enumerate(head)}
    excluded = [r for r in ws.iter_rows(min_row=2) if r[col["Exclu"]].value is True]
    ranked = sample_assessment.ranked()
    assert len(excluded) == int(ranked["excluded"].sum()) >= 1
    for row in excluded:
        assert row[col["Rang"]].value is None  # like the JSON's rank: null
        assert row[col["Motifs d’exclusion"]].value.startswith("15,0")  # restated in French
        assert row[col["Nom"]].font.italic
    kept = [r for r in ws.iter_rows(min_row=2) if r[col["Exclu"]].value is False]
    assert [r[col["Rang"]].value for r in kept] == list(range(1, len(kept) + 1))


def test_french_headers_hold_no_english_and_no_code_key(
    sample_assessment: Assessment, xlsx_fr: Path
) -> None:
    table = spreadsheet.ranking_table(sample_assessment, "fr")
    unknown = [c.key for c in table.columns if not c.info.known]
    assert unknown == [], f"columns of ranked() without a label in siteassess.vocabulary: {unknown}"
    english = spreadsheet.ranking_table(sample_assessment, "en").headers
    for fr, en in zip(table.headers, english, strict=True):
        assert "_" not in fr, fr
        assert not ENGLISH.search(fr), fr
        assert fr != en or fr in ("Commune",), fr
    method = load(xlsx_fr)["Méthode"]
    for row in method.iter_rows():
        if row[0].font.bold and row[0].value:  # titles and table headers
            for cell in row:
                if cell.value:
                    assert "_" not in str(cell.value) and not ENGLISH.search(str(cell.value))


def test_english_headers(sample_assessment: Assessment, tmp_path: Path) -> None:
    target = write_output(sample_assessment, tmp_path / "ranking.xlsx", lang="en")
    wb = load(target)
    assert wb.sheetnames == ["Ranking", "Method"]
    head = headers(wb["Ranking"])
    assert head[:3] == ["Rank", "Site id", "Name"]
    assert "Substation ≥ minimum voltage (m)" in head and "Score (out of 100)" in head


def test_method_sheet_gives_weights_value_functions_parameters_and_sources(
    sample_assessment: Assessment, xlsx_fr: Path
) -> None:
    from siteassess import __version__

    ws = load(xlsx_fr)["Méthode"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    cells = [v for r in rows for v in r if v is not None]
    assert sample_assessment.project.name in cells and __version__ in cells
    start = next(k for k, r in enumerate(rows) if r[1] == "Poids (%)") + 1
    end = next(k for k in range(start, len(rows)) if not any(rows[k]))
    weights = {r[0]: r[1] for r in rows[start:end]}
    assert sum(weights.values()) == pytest.approx(1.0)
    total = sum(c.weight for c in sample_assessment.project.criteria)
    assert weights["Raccordement électrique"] == pytest.approx(40 / total)
    assert "vaut 1 à 0\u00a0m et 0 à partir de 20\u00a0km, linéaire entre les deux" in cells
    min_kv = next(c for c in sample_assessment.criteria if c.name == "power").params["min_kv"]
    assert "min_kv" not in cells  # the parameter is named in words
    assert [
        v for v in next(r for r in rows if "Tension minimale du poste" in r) if v is not None
    ] == [
        "Raccordement électrique",
        "Tension minimale du poste",
        min_kv,
        "kV",
    ]
    for lyr in sample_assessment.measurements.layers:
        assert lyr.provenance.sha256 in cells
        if lyr.provenance.licence:
            assert lyr.provenance.licence in cells
    assert "Postes électriques" in cells  # the role, as the planner reads it


def test_excel_csv_opens_in_french_excel_and_round_trips(
    sample_assessment: Assessment, tmp_path: Path
) -> None:
    target = write_output(sample_assessment, tmp_path / "classement.csv", lang="fr")
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the accents
    text = data.decode("utf-8-sig")
    first, second = text.splitlines()[:2]
    assert first.split(";")[:3] == ["Rang", "Identifiant", "Nom"]
    assert re.search(r";\d+,\d+;", second)  # decimal comma
    assert "\r\n" in text
    df = pd.read_csv(io.StringIO(text), sep=";", decimal=",")
    ranked = sample_assessment.ranked()
    assert len(df) == len(ranked)
    df = df.set_index("Identifiant").loc[ranked.index]
    assert df["Note (sur 100)"].to_numpy() == pytest.approx(ranked["score"].to_numpy(), abs=1e-3)
    assert df["Poste ≥ tension minimale (m)"].to_numpy() == pytest.approx(
        ranked["substation_distance_m"].to_numpy(), abs=0.01
    )
    # Shares are in percent, as the header says.
    assert df["Probabilité d’être premier (%)"].to_numpy() == pytest.approx(
        ranked["p_first"].to_numpy() * 100, abs=0.01
    )
    assert set(df["Exclu"]) == {"oui", "non"}


def test_plain_csv_keeps_the_keys_and_the_decimal_point(
    sample_assessment: Assessment, tmp_path: Path
) -> None:
    target = write_output(sample_assessment, tmp_path / "r.csv", csv_dialect="plain", lang="fr")
    assert not target.read_bytes().startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(target)
    ranked = sample_assessment.ranked()
    # Columns are only added: the illustrative layers come last.
    assert list(df.columns) == ["site_id", *ranked.columns, "illustrative_layers"]
    assert df["score"].to_numpy() == pytest.approx(ranked["score"].to_numpy(), rel=1e-5)


def test_the_default_csv_dialect_follows_the_language(
    sample_assessment: Assessment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITEASSESS_LANG", "fr")
    assert write_output(sample_assessment, tmp_path / "fr.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    monkeypatch.setenv("SITEASSESS_LANG", "en")
    assert write_output(sample_assessment, tmp_path / "en.csv").read_text().startswith("site_id,")
    assert ".xlsx" in OUTPUT_SUFFIXES


def test_formulas_are_neutralised_and_numbers_are_not(
    sample_assessment: Assessment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """OWASP CSV injection: text cells starting with = + - @ tab CR get a leading quote."""
    real = Assessment.ranked
    evil = ['=HYPERLINK("http://x","y")', "+33 1 23", "-cmd", "@SUM(A1)", "\tTab", "\rCR"]

    def ranked(self: Assessment) -> pd.DataFrame:
        df = real(self).copy()
        df["name"] = (evil + ["Friche ordinaire"] * len(df))[: len(df)]
        df["substation_distance_m"] = -12.5  # a negative number stays a number
        return df

    monkeypatch.setattr(Assessment, "ranked", ranked)
    xlsx = write_output(sample_assessment, tmp_path / "r.xlsx", lang="fr")
    ws = load(xlsx)["Classement"]
    col = {h: k for k, h in enumerate(headers(ws))}
    names = [r[col["Nom"]] for r in ws.iter_rows(min_row=2)]
    assert [c.value for c in names[:5]] == ["'" + e for e in evil[:5]]
    assert names[5].value.startswith("'")  # (XML reads the carriage return back as \n)
    assert all(c.data_type == "s" for c in names)
    dists = [r[col["Poste ≥ tension minimale (m)"]] for r in ws.iter_rows(min_row=2)]
    assert all(c.value == -12.5 and c.data_type == "n" for c in dists)

    for dialect in ("excel", "plain"):
        target = tmp_path / f"r-{dialect}.csv"
        write_output(sample_assessment, target, lang="fr", csv_dialect=dialect)
        text = target.read_text(encoding="utf-8-sig")
        for e in evil[:4]:
            assert f"'{e}" in text.replace('""', '"')
        number = "-12,5" if dialect == "excel" else "-12.5"
        assert f";{number};" in text or f",{number}," in text
        sep, dec = (";", ",") if dialect == "excel" else (",", ".")
        df = pd.read_csv(target, sep=sep, decimal=dec, encoding="utf-8-sig")
        key = "Poste ≥ tension minimale (m)" if dialect == "excel" else "substation_distance_m"
        assert (df[key] == -12.5).all()
    assert spreadsheet.neutralise("Douai") == "Douai" and spreadsheet.neutralise("") == ""


def test_no_partial_file_on_failure(
    sample_assessment: Assessment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setattr(spreadsheet, "xlsx_bytes", boom)
    with pytest.raises(RuntimeError):
        write_output(sample_assessment, tmp_path / "r.xlsx", lang="fr")
    assert os.listdir(tmp_path) == []


def test_score_writes_an_xlsx_from_the_command_line(
    sample_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from siteassess.cli import main

    out = tmp_path / "r.xlsx"
    assert main(["score", str(sample_project), "--output", str(out), "--lang", "en"]) == 0
    assert load(out).sheetnames == ["Ranking", "Method"]
    plain = tmp_path / "r.csv"
    args = ["score", str(sample_project), "--output", str(plain), "--csv-dialect", "plain"]
    assert main(args) == 0
    assert pd.read_csv(plain)["rank"].iloc[0] == 1
    assert sorted(os.listdir(tmp_path)) == ["r.csv", "r.xlsx"]
    capsys.readouterr()


def test_number_formats_follow_the_precision() -> None:
    assert spreadsheet.number_format("float", 0) == "#,##0"
    assert spreadsheet.number_format("float", 2) == "#,##0.00"
    assert spreadsheet.number_format("share", 1) == "0.0%"
    assert spreadsheet.number_format("int", 0) == "0"
