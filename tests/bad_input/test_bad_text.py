"""Text from data is never interpreted: not as mathtext, terminal escapes or formulas.

Site and substation names come from other people's files. Each case writes a hostile name
into a copy of the sample (or a one-layer project), runs the command line, and checks that
it ends well (exit 0, nothing on stderr from a library) and that the output shows the text
as written: control characters as visible escapes, formulas quoted, ``$`` drawn as ``$``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from tests.bad_input.harness import SAMPLE, Ended, project_file, run_cli

# Every raw character a terminal, a PDF viewer or a plot would act on.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def hostile_copy(
    folder: Path, names: dict[str, str], substation: tuple[str, str] | None = None
) -> Path:
    """A copy of the sample project whose sites (by id) get ``names``; ``substation`` renames
    one substation (old name, new name). Returns the project file."""
    for path in SAMPLE.iterdir():
        if path.suffix in (".geojson", ".csv") or path.name == "project.toml":
            shutil.copy(path, folder / path.name)
    sites = json.loads((folder / "sites.geojson").read_text(encoding="utf-8"))
    for feature in sites["features"]:
        props = feature["properties"]
        props["name"] = names.get(props["site_id"], props["name"])
    (folder / "sites.geojson").write_text(json.dumps(sites, ensure_ascii=False), encoding="utf-8")
    if substation is not None:
        postes = folder / "postes_rte_extrait.csv"
        text = postes.read_text(encoding="utf-8")
        assert substation[0] in text
        postes.write_text(text.replace(substation[0], substation[1]), encoding="utf-8")
    return folder / "project.toml"


def one_site_project(folder: Path, site_id: str, name: str) -> Path:
    """A project of one square site (land criterion only) with that id and name."""
    square = [[[3.35, 50.31], [3.36, 50.31], [3.36, 50.32], [3.35, 50.32], [3.35, 50.31]]]
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"site_id": site_id, "name": name},
                "geometry": {"type": "Polygon", "coordinates": square},
            }
        ],
    }
    (folder / "sites.geojson").write_text(json.dumps(doc), encoding="utf-8")
    return project_file(
        folder,
        [{"role": "sites", "path": "sites.geojson", "id_field": "site_id", "name_field": "name"}],
        crs="EPSG:2154",
    )


def assert_clean_run(ended: Ended) -> None:
    """Exit 0, no traceback, no library warning, no raw control character anywhere."""
    assert ended.code == 0, ended.err[-2000:]
    assert "Traceback" not in ended.err and "Warning" not in ended.err, ended.err[-2000:]
    for stream in (ended.out, ended.err):
        found = RAW.findall(stream.replace("\n", ""))
        assert not found, f"raw characters {found!r} in:\n{stream[-2000:]}"


# The escapes a planner sees, one per kind of character that acts on a terminal.
CONTROLS = [
    pytest.param("Usine \x1b[31mrouge\x1b[0m", "\\x1b[31mrouge\\x1b[0m", id="ansi-colour"),
    pytest.param("Friche\x1b]0;owned\x07", "\\x1b]0;owned\\x07", id="osc-title"),
    pytest.param("Site A\rSite B", "Site A\\x0dSite B", id="carriage-return"),
    pytest.param("Site\b\b\bXYZ", "Site\\x08\\x08\\x08XYZ", id="backspace"),
    pytest.param("Cloche\x07", "Cloche\\x07", id="bell"),
    pytest.param("C1 \x9b2J", "C1 \\x9b2J", id="c1-csi"),
    pytest.param("rapport\u202efdp.exe", "rapport\\u202efdp.exe", id="bidi-override"),
    pytest.param("deux\nlignes", "deux\\x0alignes", id="newline"),
]


@pytest.mark.parametrize(("name", "shown"), CONTROLS)
def test_control_characters_in_a_site_name_are_shown_escaped(
    tmp_path: Path, name: str, shown: str
) -> None:
    project = one_site_project(tmp_path, "site-1", name)
    ended = run_cli(["score", project])
    assert_clean_run(ended)
    assert shown in ended.out


def test_control_characters_in_a_site_id_are_shown_escaped(tmp_path: Path) -> None:
    """The id names the site in the ranking and the data issues."""
    project = one_site_project(tmp_path, "id\x1b[2J\x1b[H", "Friche")
    ended = run_cli(["score", project, "--json"])
    assert ended.code == 0, ended.err
    assert json.loads(ended.out)["sites"][0]["id"] == "id\x1b[2J\x1b[H"  # data kept as is
    ended = run_cli(["screen", project, "--output", tmp_path / "r.json"])
    assert_clean_run(ended)


def test_the_json_document_escapes_what_json_leaves_raw(tmp_path: Path) -> None:
    """JSON escapes C0 controls itself but not DEL, C1 or U+202E: written as \\uXXXX, the
    document prints safely and still decodes to the name as the file holds it."""
    name = "C1 \x9b2J DEL\x7f \u202egnp.exe \x1b[0m"
    project = one_site_project(tmp_path, "s\x9b1", name)
    ended = run_cli(["score", project, "--json"])
    assert_clean_run(ended)
    assert "\\u009b2J DEL\\u007f \\u202egnp.exe \\u001b[0m" in ended.out
    site = json.loads(ended.out)["sites"][0]
    assert (site["id"], site["name"]) == ("s\x9b1", name)
    out = tmp_path / "r.json"
    assert run_cli(["score", project, "--output", out]).code == 0
    assert not RAW.findall(out.read_text(encoding="utf-8").replace("\n", ""))


def test_a_layer_name_with_escapes_is_shown_escaped_by_screen(tmp_path: Path) -> None:
    square = [[[3.35, 50.31], [3.36, 50.31], [3.36, 50.32], [3.35, 50.32], [3.35, 50.31]]]
    feature = {
        "type": "Feature",
        "properties": {"site_id": "s1", "name": "Friche"},
        "geometry": {"type": "Polygon", "coordinates": square},
    }
    (tmp_path / "sites.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8"
    )
    layer = {"role": "sites", "path": "sites.geojson", "name": "inventaire\x1b[2J\r"}
    project = project_file(tmp_path, [layer], crs="EPSG:2154")
    ended = run_cli(["screen", project, "--output", tmp_path / "r.csv"])
    assert_clean_run(ended)
    assert "inventaire\\x1b[2J\\x0d: 1 rows read" in ended.out


def test_control_characters_do_not_break_the_workbook(tmp_path: Path) -> None:
    """XML forbids ESC, NUL or a backspace in a cell: the workbook shows their escapes (it
    was an unexpected error, exit 1); the JSON keeps the value as it is."""
    project = one_site_project(tmp_path, "id\x1b[2J", "Usine\x08 \x07rouge\x1b[31m")
    out = tmp_path / "r.xlsx"
    ended = run_cli(["score", project, "--output", out, "--lang", "en"])
    assert_clean_run(ended)
    from openpyxl import load_workbook

    ws = load_workbook(out)["Ranking"]
    header = [c.value for c in ws[1]]
    row = [c.value for c in ws[2]]
    assert row[header.index("Site id")] == "id\\x1b[2J"
    assert row[header.index("Name")] == "Usine\\x08 \\x07rouge\\x1b[31m"


FORMULAS = [
    '=HYPERLINK("http://example.invalid")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
]


@pytest.mark.parametrize("output", ["plain.csv", "excel.csv", "r.xlsx"])
def test_formulas_in_names_are_quoted_in_spreadsheets(tmp_path: Path, output: str) -> None:
    """OWASP: a text cell starting with = + - @ tab or CR gets a leading quote; numbers stay."""
    ids = [
        "escaudain-soufflantes",
        "douchy-total-solar",
        "haubourdin-amidonnerie",
        "courcelles-metaleurop",
        "douvrin-fm-ouest",
        "douai-euradouai",
    ]
    project = hostile_copy(tmp_path, dict(zip(ids, FORMULAS, strict=True)))
    out = tmp_path / output
    dialect = ["--csv-dialect", output.split(".")[0]] if output.endswith(".csv") else []
    ended = run_cli(["score", project, "--output", out, "--lang", "fr", *dialect])
    assert ended.code == 0, ended.err
    if output.endswith(".xlsx"):
        from openpyxl import load_workbook

        ws = load_workbook(out).worksheets[0]
        header = [c.value for c in ws[1]]
        rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
        # XML reads a carriage return back as a line feed (line-end normalisation).
        names = [r[header.index("Nom")].replace("\n", "\r") for r in rows]
        scores = [r[header.index("Note (sur 100)")] for r in rows]
        types = {c.data_type for r in ws.iter_rows(min_row=2) for c in r}
        assert "f" not in types  # no formula cell at all
    else:
        text = out.read_bytes().decode("utf-8-sig")
        delimiter = ";" if output.startswith("excel") else ","
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        header = table[0]
        name_col = header.index("Nom" if delimiter == ";" else "name")
        score_col = header.index("Note (sur 100)" if delimiter == ";" else "score")
        names = [r[name_col] for r in table[1:]]
        scores = [float(r[score_col].replace(",", ".")) for r in table[1:]]
    for formula in FORMULAS:
        assert "'" + formula in names, (formula, names)
    assert all(isinstance(s, float) for s in scores)  # numeric cells untouched


def test_printable_keeps_ordinary_text_and_is_stable() -> None:
    from siteassess.safetext import printable

    ordinary = "Française de Mécanique — cœur\u00a0l’îlot 12\u202f% $x$ \\frac ≥ 400 kV µs"
    assert printable(ordinary) == ordinary
    hostile = "a\x1b[2Jb\x00c\x9bd\u202ee\u2066f\rg"
    assert printable(hostile) == "a\\x1b[2Jb\\x00c\\x9bd\\u202ee\\u2066f\\x0dg"
    assert printable(printable(hostile)) == printable(hostile)
    assert not RAW.findall(printable(hostile))


def test_a_map_text_draws_escapes_and_missing_glyphs_without_warnings(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Every matplotlib text goes through ``to_png``: mathtext off, controls escaped, and a
    glyph DejaVu lacks (a name in Chinese) logged instead of warned on stderr."""
    import logging
    import warnings

    from siteassess.reports.mapkit import drawn_texts, new_figure, to_png

    fig = new_figure(40, 20)
    fig.text(0.1, 0.5, "数据中心 $x$ \x1b[31m\r")
    fig.add_axes((0, 0, 1, 1)).set_title("\\frac{a}{b} \u202eexe")
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.INFO):
        warnings.simplefilter("always")
        png = to_png(fig, dpi=50)
    assert png.startswith(b"\x89PNG")
    assert [str(w.message) for w in caught] == []
    assert "missing glyph" in caplog.text
    assert "数据中心 $x$ \\x1b[31m\\x0d" in drawn_texts(fig)
    assert "\\frac{a}{b} \\u202eexe" in drawn_texts(fig)


def test_neutralise_quotes_text_never_numbers() -> None:
    from siteassess.reports.spreadsheet import _value, neutralise

    assert neutralise("-3") == "'-3" and neutralise("Douai") == "Douai"
    assert _value(-3.5, "float") == -3.5 and _value(-2, "int") == -2  # numbers stay numbers
    assert _value("-3.5", "text") == "'-3.5"


@pytest.mark.slow
def test_report_all_draws_dollars_backslashes_and_controls_as_written(tmp_path: Path) -> None:
    """Mathtext (``$x$``, ``\\frac``) in site and substation names, and control characters:
    every PDF is written, the names appear in them literally, and nothing warns."""
    from tests.reports.conftest import pdf_text

    names = {
        "escaudain-soufflantes": "$x$ and $y$ \\frac{a}{b}",
        "douchy-total-solar": "Esc \x1b[31mred\x1b[0m\r bell\x07",
        "douai-euradouai": "<b>gras</b> & <font color=red>x",
    }
    project = hostile_copy(tmp_path, names, substation=("BOUCHAIN", "BOUCH$A$IN \\frac{1}{2}"))
    folder = tmp_path / "pdfs"
    ended = run_cli(["report", project, "--all", "--output", folder, "--lang", "en"], timeout=120)
    assert_clean_run(ended)
    pdfs = sorted(folder.glob("*.pdf"))
    assert len(pdfs) == 7, [p.name for p in pdfs]
    first = pdf_text(folder / "escaudain-soufflantes.pdf")
    assert "$x$ and $y$ \\frac{a}{b}" in first
    assert "BOUCH$A$IN \\frac{1}{2}" in first  # its nearest 400 kV substation
    second = pdf_text(folder / "douchy-total-solar.pdf")
    assert "\\x1b[31mred\\x1b[0m\\x0d" in second.replace("\n", " ")
    assert "<b>gras</b> & <font color=red>x" in pdf_text(folder / "douai-euradouai.pdf")
    for pdf in pdfs:
        assert not RAW.findall(pdf_text(pdf).replace("\n", "")), pdf.name
