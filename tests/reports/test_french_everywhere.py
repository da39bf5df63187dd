"""French output holds no English and no code keys (issue 11 §5), in every report.

Each output is rendered in French, on the sample project and on the real inventory of
Nord and Pas-de-Calais (2,111 friches, RTE's 5,079 postes): the site report and the
comparison PDFs (text by pypdf), the XLSX and the Excel CSV ranking, the web map page and
the terminal table. Then the texts are searched for (a) a text asked for in French without
a French entry, (b) a code key (a ``snake_case`` word, a role key naming a layer) and (c)
common English words. Data values (site, commune, substation, fibre and exchange names,
file names) are struck out first: they are the publisher's words, not siteassess's. The
app's views have their own test (tests/ui/test_ui_french_everywhere.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from siteassess.assessment import Assessment, assess
from siteassess.project_checks import open_project
from siteassess.reports import i18n_reports
from siteassess.roles import ROLES
from tests.conftest import ROOT, SAMPLE_PROJECT, real_inventory_project
from tests.reports.conftest import OUTPUT, pdf_text

DAY = dt.date(2026, 12, 2)

# A code key: two lowercase words joined by "_" (min_kv, substation_distance_m).
SNAKE = re.compile(r"\b[a-z]+_[a-z_0-9]+\b")
# A role key naming a layer: « la couche flood », « flood (zones.geojson) » (the file name
# struck out as data: « flood (§) »).
ROLE_WORD = re.compile(
    r"\bcouche (?:" + "|".join(ROLES) + r")\b"
    r"|\b(?:" + "|".join(ROLES) + r") \((?:§|[^()]*\.(?:geojson|csv|gpkg|shp|tif|zip))\)"
)
# English words and phrases a French reader would notice; none is also French. Checked
# case-insensitively, whole words, once data values are struck out.
ENGLISH = re.compile(
    r"\b(?:the|of the|is not|not real|layers?|site report|within|nearest|weights?|"
    r"excluded|missing|drawn|substations?|flood zones?|not stated|source not given|"
    r"share|distance to|round trip|sample|listings|simplified|approximate|outlines?|"
    r"rank|ranking|measured|value function|points and|and areas|to the|from the|"
    r"used by|others|swap|working crs|data issues?|medium|frequent|extreme)\b",
    re.IGNORECASE,
)


# ------------------------------------------------------------------------ the projects


def data_values(a: Assessment) -> list[str]:
    """Every text of the data (names, communes, statuses, file names), longest first."""
    found: set[str] = {a.project.name}
    frames = [a.measurements.sites, a.measurements.measures]
    frames += [lyr.data for lyr in a.measurements.layers if lyr.data is not None]
    for frame in frames:
        for col in frame.columns:
            if frame[col].dtype == object or str(frame[col].dtype) == "string":
                found.update(str(v) for v in frame[col].dropna().unique() if isinstance(v, str))
        found.update(str(i) for i in frame.index)
    for lyr in a.measurements.layers:
        for path in (lyr.spec.path, lyr.provenance.path):
            name = Path(path).name
            found.update({name, Path(name).stem})
    if a.project.path is not None:
        found.update({a.project.path.name, a.project.path.stem})
    from siteassess.reports.i18n_reports import display_name

    found |= {display_name(v) for v in list(found)}
    # Short words and numbers are left: "medium" or "215" would hide a leak or cut a number.
    kept = {v.strip() for v in found if len(v.strip()) >= 8 or "_" in v or "." in v}
    return sorted(kept, key=len, reverse=True)


def struck(text: str, values: list[str]) -> str:
    """``text`` with the data values replaced by ``§`` (matched across wrapped lines; a
    file name, cut anywhere by a narrow table column, with a space anywhere in it)."""
    text = re.sub(r"\s+", " ", text)
    for value in values:
        if re.fullmatch(r"[\w.-]+\.(?:geojson|csv|toml|gpkg)", value):
            loose = r"\s?".join(re.escape(ch) for ch in value)
            text = re.sub(loose, "§", text)
    for value in values:
        if value in text:
            text = text.replace(value, "§")
    return text


def parameter_keys() -> set[str]:
    """The declared parameter names of every criterion (h-values words them)."""
    from siteassess.criteria import CRITERIA

    keys = {"demand_mw"}
    for crit in CRITERIA.values():
        keys.update(str(k) for k in crit.params)
    return keys


# --------------------------------------------------------------------------- rendering


def xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    cells = [
        str(c.value)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]
    return "\n".join([*book.sheetnames, *cells])


_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_TAG = re.compile(r"<[^>]+>")


def page_texts(page: str) -> str:
    """What the web map shows: the page's text and the texts its scripts carry (popups,
    layer names, legend), tags removed; identifiers and code left out."""
    out: list[str] = []
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    out += html.unescape(_TAG.sub("\n", body)).split("\n")
    for block in re.findall(r"<script\b[^>]*>(.*?)</script>", page, flags=re.S):
        for literal in _STRING.findall(block):
            try:
                value = json.loads(literal)
            except ValueError:
                continue
            if isinstance(value, str):
                out += html.unescape(_TAG.sub("\n", value)).split("\n")
    # Words of text hold a space or a letter beyond ASCII; identifiers hold neither.
    shown = [t.strip() for t in out if " " in t.strip() or re.search(r"[^\x00-\x7f]", t)]
    code = re.compile(r"function|=>|\{|\}|px |sans-serif|overlayadd")
    return "\n".join(t for t in shown if not code.search(t))


def render_french(a: Assessment, tag: str) -> dict[str, str]:
    """Every report of ``a`` in French, as text: name → text."""
    from siteassess.reports import spreadsheet
    from siteassess.reports.pdf import write_compare_report, write_site_report
    from siteassess.reports.text import ranking_text
    from siteassess.reports.webmap import MapOptions, build_map_html

    folder = OUTPUT / "french"
    folder.mkdir(parents=True, exist_ok=True)
    ranked = a.ranked()
    best = str(ranked.index[0])
    excluded = [str(s) for s in ranked.index[ranked["excluded"].astype(bool)]]
    texts: dict[str, str] = {}
    for site in [best, *excluded[:1]]:
        target = folder / f"{tag}-site-{site}.pdf"
        write_site_report(a, site, target, lang="fr", day=DAY)
        texts[f"site report {site}"] = pdf_text(target)
    target = folder / f"{tag}-compare.pdf"
    write_compare_report(a, None, target, lang="fr", day=DAY)
    texts["compare report"] = pdf_text(target)
    texts["xlsx"] = xlsx_text(spreadsheet.xlsx_bytes(a, "fr", DAY))
    excel = spreadsheet.excel_csv(a, "fr").decode("utf-8-sig")
    texts["csv"] = "\n".join(";".join(r) for r in csv.reader(io.StringIO(excel), delimiter=";"))
    texts["web map"] = page_texts(build_map_html(a, MapOptions(lang="fr")))
    texts["terminal"] = ranking_text(a, "fr")
    return texts


@pytest.fixture(scope="module", params=["sample", "real"])
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """(assessment, texts, untranslated) of one project, rendered once for the module."""
    if request.param == "real":
        path = real_inventory_project(tmp_path_factory.mktemp("real"))
    else:
        path = SAMPLE_PROJECT
    a = assess(open_project(path))
    i18n_reports.UNTRANSLATED.clear()
    texts = render_french(a, request.param)
    untranslated = set(i18n_reports.UNTRANSLATED)
    return a, texts, untranslated, data_values(a)


def findings(texts: dict[str, str], pattern: re.Pattern[str], values: list[str]) -> Iterator[str]:
    for name, text in texts.items():
        clean = struck(text, values)
        for m in pattern.finditer(clean):
            yield f"{name}: {m.group(0)!r} in …{clean[max(0, m.start() - 50) : m.end() + 30]}…"


# ------------------------------------------------------------------------------ the tests


def test_every_text_asked_for_in_french_has_its_french(rendered: Any) -> None:
    _, texts, untranslated, _ = rendered
    assert len(texts) >= 7
    assert untranslated == set()


def test_no_code_key_is_shown(rendered: Any) -> None:
    _, texts, _, values = rendered
    params = parameter_keys()
    keys = [f for f in findings(texts, SNAKE, values) if f.split("'")[1] not in params]
    assert keys == []
    assert list(findings(texts, ROLE_WORD, values)) == []


def test_no_parameter_key_is_shown(rendered: Any) -> None:
    _, texts, _, values = rendered
    params = parameter_keys()
    assert [f for f in findings(texts, SNAKE, values) if f.split("'")[1] in params] == []


def test_no_english_words(rendered: Any) -> None:
    _, texts, _, values = rendered
    assert list(findings(texts, ENGLISH, values)) == []


def test_no_path_of_the_authors_machine(rendered: Any) -> None:
    a, texts, _, _ = rendered
    folders = {str(ROOT), str(Path(a.project.path).parent)}
    folders |= {str(Path(lyr.provenance.path).parent) for lyr in a.measurements.layers}
    for name, text in texts.items():
        flat = re.sub(r"\s+", "", text)  # a path wrapped over two lines is still a path
        for folder in folders:
            assert re.sub(r"\s+", "", folder) not in flat, (name, folder)
