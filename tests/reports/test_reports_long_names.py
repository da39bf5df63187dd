"""Reports that survive real names: Cartofriches names of up to 250 characters.

The longest real names of ../shared/data/cartofriches_59_62.geojson (192 characters,
"Appel à projet Recyclage Foncier 2021 2nde édition (Dossier N° …) - … - friche: …"),
"EDF renouvelables" (broken "renou|velables" in a narrow column before), and a synthetic
250-character name with a 20-letter word. The cover title takes at most two lines and the
full name is written once below it, the location map stays on page 1, the running header
stays between the margins, and no title, header or column cell breaks a word.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from siteassess.assessment import Assessment, assess
from siteassess.project import load_project
from siteassess.reports import names
from siteassess.reports.pdf.fonts import SANS, SANS_BOLD, register_fonts
from siteassess.reports.pdf.styles import FRAME_W, make_styles
from tests.conftest import ROOT, require_shared_data
from tests.reports.conftest import DAY, pdf_text, render_pages

WORD20 = "Désindustrialisation"
SYNTHETIC = (
    f"Site de {WORD20} du bassin minier : ancienne cokerie, lavoir à charbon, ateliers de "
    "maintenance, cités ouvrières attenantes, terril, bassins de décantation, voies ferrées de "
    "desserte, parcelles cadastrales et bâtiments de stockage du port"
)
SYNTHETIC_ID = "59999_99999"
EDF = "59359_13985"  # "EDF renouvelables", Loon-Plage


@pytest.fixture(autouse=True)
def _fonts() -> None:
    register_fonts()


# ------------------------------------------------------------------ the shortening function


def test_a_name_that_fits_is_left_whole() -> None:
    assert names.shorten("EDF renouvelables", 200, SANS_BOLD, 8) == "EDF renouvelables"
    assert names.site_label("EDF renouvelables", EDF, 200, SANS_BOLD, 8) == "EDF renouvelables"


def test_a_long_name_is_cut_after_a_whole_word_with_an_ellipsis() -> None:
    name = (
        "Appel à projet Recyclage Foncier 2021 2nde édition (Dossier N° 5360475) - "
        "Hauts-de-France - 59 - Nord - Wavrin (59136) - friche: Collège Léon Blum"
    )
    short = names.shorten(name, 300, SANS_BOLD, 10, lines=1)
    assert short.endswith("…") and names.text_width(short, SANS_BOLD, 10) <= 300
    head = short.removesuffix("…")
    assert name.startswith(head) and name[len(head)] == " "  # cut between two words
    # Not inside an open bracket: "… édition (Dossier…" reads as a broken name.
    assert head.count("(") == head.count(")")


def test_the_site_id_follows_a_shortened_name_so_two_stay_apart() -> None:
    a = "Appel à projet Recyclage Foncier 2021 (Dossier N° 3676811) - Lille"
    b = "Appel à projet Recyclage Foncier 2021 (Dossier N° 3692182) - Lille"
    la = names.site_label(a, "59350_1", 150, SANS_BOLD, 8)
    lb = names.site_label(b, "59350_2", 150, SANS_BOLD, 8)
    assert la != lb and la.endswith(" (59350_1)") and lb.endswith(" (59350_2)")
    assert names.text_width(la, SANS_BOLD, 8) <= 150


def test_only_a_first_word_wider_than_the_space_is_cut_inside() -> None:
    assert names.shorten(f"{WORD20} du bassin", 60, SANS_BOLD, 8).startswith("Désindus")
    # Further in the name, the long word is dropped whole instead.
    assert names.shorten(f"Site de {WORD20} du bassin", 60, SANS_BOLD, 8) == "Site de…"


def test_a_compound_wider_than_the_column_breaks_at_a_hyphen() -> None:
    text = names.break_compounds("SAINT-MARTIN-BOULOGNE\n(62758)", 61, SANS, 8)
    assert text == "SAINT-MARTIN-\nBOULOGNE\n(62758)"
    assert names.break_compounds("LILLE\n(59350)", 61, SANS, 8) == "LILLE\n(59350)"


def test_shorten_chars_cuts_after_a_word() -> None:
    assert names.shorten_chars("Appel à projet Recyclage Foncier 2021", 22) == "Appel à projet…"
    assert names.shorten_chars("EDF renouvelables", 22) == "EDF renouvelables"


def test_the_line_breaking_matches_reportlab() -> None:
    """names.wrap breaks where reportlab's Paragraph does, so "fits in 2 lines" holds there."""
    from reportlab.platypus import Paragraph

    st = make_styles()
    for text, style, width in (
        (SYNTHETIC, st.title, FRAME_W - 12),
        (SYNTHETIC, st.cell_head, 61),
        ("1. EDF renouvelables (59359_13985) Appel à projet", st.cell_head, 61),
    ):
        p = Paragraph(text, style.clone("whole", splitLongWords=0))
        p.wrap(width, 10_000)
        ours = names.wrap(text, width, style.fontName, style.fontSize)
        assert [" ".join(words) for _, words in p.blPara.lines] == ours
    # reportlab's default splits a word wider than the line: "Site de Désin" / "dustrial…".
    p = Paragraph(SYNTHETIC, st.cell_head)
    p.wrap(61, 10_000)
    assert " ".join(p.blPara.lines[0][1]) == "Site de Désin"


# ------------------------------------------------------------------ reports of real names


def _longest_real(data: dict[str, Any], n: int) -> list[dict[str, Any]]:
    return sorted(data["features"], key=lambda f: -len(f["properties"]["site_nom"] or ""))[:n]


@pytest.fixture(scope="module")
def long_names(tmp_path_factory: pytest.TempPathFactory) -> Assessment:
    """The four longest real names, "EDF renouvelables" and the synthetic one, assessed."""
    shared = require_shared_data()
    folder = tmp_path_factory.mktemp("long-names")
    data = json.loads((shared / "cartofriches_59_62.geojson").read_text("utf-8"))
    feats = _longest_real(data, 4)
    feats += [f for f in data["features"] if f["properties"]["site_id"] == EDF]
    synthetic = json.loads(json.dumps(feats[0]))  # on the longest one's land unit
    synthetic["properties"].update(site_id=SYNTHETIC_ID, site_nom=SYNTHETIC)
    feats.append(synthetic)
    sites = folder / "sites.geojson"
    sites.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), "utf-8")
    project = {
        "schema": 1,
        "name": "Friches du Nord",
        "demand_mw": 700,
        "layers": [
            {"role": "sites", "path": str(sites)},
            {
                "role": "substations",
                "path": str(shared / "rte_postes_electriques_france_odre_2024.csv"),
            },
            {
                "role": "exchanges",
                "path": str(ROOT / "sample_sites/hauts-de-france/exchanges.csv"),
                "crs": "EPSG:4326",
            },
            {
                "role": "context",
                "path": str(shared / "communes-59-nord.geojson"),
                "crs": "EPSG:4326",
            },
        ],
        "criteria": {
            "power": {"weight": 40, "min_kv": 225},
            "connectivity": {"weight": 25},
            "land": {"weight": 10},
        },
    }
    path = folder / "project.toml"
    path.write_text(tomli_w.dumps(project), "utf-8")
    return assess(load_project(path))


LONGEST = "59653_11732"  # 192 characters, the longest real name
COMPARED = (EDF, "62624_12247", "62758_11687", "62276_11728", SYNTHETIC_ID)


@pytest.fixture(scope="module")
def written(long_names: Assessment, tmp_path_factory: pytest.TempPathFactory) -> Callable:
    from siteassess.reports.pdf import write_compare_report, write_site_report

    folder = tmp_path_factory.mktemp("long-names-pdf")
    cache: dict[tuple[str, str], Path] = {}

    def get(kind: str, lang: str) -> Path:
        if (kind, lang) not in cache:
            target = folder / f"{kind}-{lang}.pdf"
            if kind == "compare":
                write_compare_report(long_names, COMPARED, target, lang=lang, day=DAY)
            else:
                write_site_report(long_names, kind, target, lang=lang, day=DAY)
            cache[kind, lang] = target
        return cache[kind, lang]

    return get


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def test_the_synthetic_name_is_as_long_as_the_longest_cartofriches_ones() -> None:
    assert len(SYNTHETIC) == 250 and len(WORD20) == 20


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("site_id", [LONGEST, SYNTHETIC_ID])
def test_site_report_cover_title_map_and_header(
    long_names: Assessment, written: Callable, site_id: str, lang: str
) -> None:
    from pypdf import PdfReader
    from reportlab.platypus import Paragraph

    from siteassess.reports.pdf.document import HEADER_FONT, HEADER_SIZE, header_line
    from siteassess.reports.pdf.site_report import cover_title, running_title, site_title

    st = make_styles()
    full = site_title(long_names, site_id)
    if site_id == SYNTHETIC_ID:
        assert full == SYNTHETIC
    # The whole name as a title took five lines; the cover's title takes two at most.
    whole = Paragraph(full, st.title)
    whole.wrap(FRAME_W - 12, 10_000)
    assert len(whole.blPara.lines) >= 4
    title = cover_title(long_names, site_id, st)
    p = Paragraph(title, st.title)
    p.wrap(FRAME_W - 12, 10_000)
    assert len(p.blPara.lines) <= 2
    assert title.endswith("…") and full.startswith(title.removesuffix("…"))
    reader = PdfReader(written(site_id, lang))
    first = _flat(reader.pages[0].extract_text())
    assert _flat(title) in first
    label = "Nom complet :" if lang == "fr" else "Full name:"
    assert _flat(f"{label} {full}") in first  # given whole, once
    assert _flat(pdf_text(written(site_id, lang))).count(_flat(full)) == 1
    # The location map and its caption on page 1 (page 2 has the site map).
    caption = (
        "Situation du site parmi les sites candidats."
        if lang == "fr"
        else "Location of the site among the candidate sites."
    )
    assert len(reader.pages[0].images) == 1 and caption in first
    # The running header: within the page, whole words, the site id kept.
    header = header_line(running_title(long_names, site_id))
    assert names.text_width(header, HEADER_FONT, HEADER_SIZE) <= FRAME_W
    assert f"({site_id}) · Friches du Nord" in header
    assert _flat(reader.pages[1].extract_text()).startswith(_flat(header))
    head = header.split("…")[0]
    assert full.startswith(head) and full[len(head)] in " -(,"


def _split_words(text: str, words: set[str]) -> list[str]:
    """Words of ``words`` found cut over two lines of ``text`` (not at a hyphen)."""
    tokens = text.split()
    return [
        a + b
        for a, b in itertools.pairwise(tokens)
        if a + b in words and a not in words and b not in words and not a.endswith("-")
    ]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_compare_report_headers_keep_whole_words(
    long_names: Assessment, written: Callable, lang: str
) -> None:
    from reportlab.platypus import Paragraph

    from siteassess.reports.pdf.compare_table import (
        CELL_PADDING,
        HEAD_LINES,
        column_widths,
        header_labels,
    )
    from siteassess.reports.pdf.site_report import site_title

    st = make_styles()
    _, col_w = column_widths(len(COMPARED))
    inner = col_w - 2 * CELL_PADDING
    labels, size = header_labels(long_names, COMPARED, inner)
    style = st.cell_head.clone("h", fontSize=size, leading=size * 1.25)
    assert labels[0] == "1. EDF renouvelables"  # whole: "renouvelables" no longer split
    for k, (sid, label) in enumerate(zip(COMPARED, labels, strict=True)):
        full = f"{k + 1}. {site_title(long_names, sid)}"
        p = Paragraph(label, style)
        p.wrap(inner, 10_000)
        lines = [words for _, words in p.blPara.lines]
        assert len(lines) <= HEAD_LINES
        assert all(names.text_width(" ".join(ws), SANS_BOLD, size) <= inner for ws in lines)
        if label != full:  # shortened: head of whole words, "…", the id
            assert label.endswith(f"… ({sid})")
            head = label.split("…")[0]
            assert full.startswith(head) and full[len(head)] in " -(,:"
    assert labels[-1] == f"5. Site de… ({SYNTHETIC_ID})"  # the 20-letter word left out whole
    text = pdf_text(written("compare", lang))
    every = {
        w
        for sid in COMPARED
        for w in names.words_of(site_title(long_names, sid))
        + names.words_of(long_names.measurements.sites.loc[sid].get("commune", "") or "")
    }
    assert _split_words(text, every) == []
    assert "renouvelables" in text.split()
    # The full names once, in the list of the compared sites, with their ids.
    listing = "Sites comparés" if lang == "fr" else "Sites compared"
    assert listing in text
    for sid in COMPARED:
        assert _flat(site_title(long_names, sid)) in _flat(text)


@pytest.mark.slow
def test_compare_report_pages_render_for_review(written: Callable) -> None:
    """The pages as PNG beside the PDF (pdftoppm -r 60), for a person to look at."""
    pdf = written("compare", "fr")
    pages = render_pages(pdf, "compare-long-fr")
    assert len(pages) >= 4
    site = render_pages(written(LONGEST, "fr"), "site-long-fr")
    assert site


def test_split_word_check_finds_the_old_breaks() -> None:
    """The check above fails on what the reports printed before: "renou" / "velables"."""
    assert _split_words("1. EDF renou\nvelables 2.", {"EDF", "renouvelables"}) == ["renouvelables"]
    assert _split_words("NOYELLES-\nGODAULT", {"NOYELLES-GODAULT"}) == []
