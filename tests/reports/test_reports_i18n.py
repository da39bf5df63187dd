"""Report texts in French: every text translated, French numbers and punctuation."""

from __future__ import annotations

import ast
import datetime as dt
import string
from collections.abc import Callable
from pathlib import Path

import pytest

from siteassess.i18n import has_translation
from siteassess.reports import i18n_reports
from siteassess.reports.i18n_reports import (
    display_name,
    distance_text,
    measure_text,
    number,
    percent,
    tr,
    trim_zeros,
)
from siteassess.reports.pdf.document import format_date, no_break
from tests.conftest import ROOT

REPORTS = ROOT / "siteassess" / "reports"
NBSP, NNBSP = "\u00a0", "\u202f"


def literal_texts() -> dict[str, str]:
    """Every literal first argument of ``tr(...)`` in siteassess/reports, with its file."""
    found: dict[str, str] = {}
    for path in REPORTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, path.name)
    return found


def test_every_report_text_has_a_french_translation() -> None:
    texts = literal_texts()
    assert len(texts) > 100, "the scan found the report texts"
    missing = {t: f for t, f in texts.items() if not has_translation(t, "fr")}
    assert missing == {}


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_translations_keep_the_placeholders() -> None:
    for english in literal_texts():
        assert fields(english) == fields(tr(english, "fr")), english


def test_french_reports_asked_for_no_untranslated_text(
    site_pdf: Callable[[str, str], Path], compare_pdf: Callable[..., Path]
) -> None:
    """Texts chosen at run time (criterion titles, rationales, labels) are translated too."""
    for site in ("douvrin-fm-ouest", "loon-plage-edf", "escaudain-soufflantes"):
        site_pdf(site, "fr")
    compare_pdf("fr")
    assert set() == i18n_reports.UNTRANSLATED


def test_french_punctuation_and_numbers() -> None:
    assert tr("CRS: {crs}", "fr", crs="EPSG:2154") == f"SCR{NBSP}: EPSG:2154"
    assert tr("CRS: {crs}", "en", crs="EPSG:2154") == "CRS: EPSG:2154"
    assert (
        tr(
            "Not measured: {names}; counted as worst (0) unless the project renormalises.",
            "fr",
            names="x",
        )
        == f"Non mesuré{NBSP}: x{NNBSP}; compté au pire (0) sauf si le projet renormalise."
    )
    assert number(1234.5, "fr", 1) == f"1{NNBSP}234,5"
    assert number(1234.5, "en", 1) == "1,234.5"
    assert percent(0.25, "fr") == f"25,0{NBSP}%"
    assert percent(0.25, "en") == "25.0%"
    assert number(float("nan"), "fr") == "n.d."
    assert number(None, "en") == "n/a"


def test_numbers_stay_with_their_units() -> None:
    assert tr("Substation 400 kV", "en") == f"Substation 400{NBSP}kV"
    assert "400\u00a0MW à 1\u00a0GW" in tr(
        "A {demand} campus is connected at 400 kV under CRE's fast-track procedure (400 MW to "
        "1 GW); the score counts substations from {kv}, as the project sets, so read the 400 kV "
        "distance as well.",
        "fr",
        demand="x",
        kv="y",
    )
    # reportlab breaks lines at narrow no-break spaces: paragraphs get no-break spaces.
    assert no_break(f"1{NNBSP}000 tirages") == f"1{NBSP}000 tirages"


@pytest.mark.parametrize(
    ("metres", "lang", "text"),
    [
        (0.0, "en", "0\u00a0m"),
        (721.4, "fr", "721\u00a0m"),
        (999.6, "en", "1,000\u00a0m"),
        (3412.0, "fr", "3,4\u00a0km"),
        (13461.5, "en", "13.5\u00a0km"),
    ],
)
def test_distances(metres: float, lang: str, text: str) -> None:
    assert distance_text(metres, lang) == text


def test_measures_by_unit() -> None:
    assert measure_text("rtt_paris_ms", 2.58566, "fr") == "2,59\u00a0ms"
    assert measure_text("area_ha", 38.8, "en") == "38.8\u00a0ha"
    assert measure_text("flood_share_any_pct", 0.0, "fr") == "0,0\u00a0%"
    assert measure_text("power_density_mw_per_ha", 18.04, "fr") == "18,0\u00a0MW/ha"
    assert measure_text("substation_kv", 225.0, "en") == "225\u00a0kV"
    assert measure_text("substation_name", "GROS-CAILLOU", "fr") == "Gros-Caillou"


def test_trim_zeros_keeps_thousands() -> None:
    assert trim_zeros("1,000.0 km", "en") == "1,000 km"
    assert trim_zeros("20,0 km", "fr") == "20 km"
    assert trim_zeros("2,50 ms", "fr") == "2,50 ms"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("BOUCHAIN", "Bouchain"),
        ("PIERRETTE (LA)", "Pierrette (La)"),
        ("Lillix, France-IX Lille", "Lillix, France-IX Lille"),
        (None, "—"),
    ],
)
def test_display_names(name: str | None, shown: str) -> None:
    assert display_name(name) == shown


def test_dates() -> None:
    assert format_date(dt.date(2026, 11, 22), "fr") == "22 novembre 2026"
    assert format_date(dt.date(2026, 8, 1), "fr") == "1er août 2026"
    assert format_date(dt.date(2026, 11, 22), "en") == "22 November 2026"


def test_another_catalogue_cannot_change_a_report_text(monkeypatch: pytest.MonkeyPatch) -> None:
    from siteassess import i18n

    monkeypatch.setitem(i18n._CATALOGUES["fr"], "Power supply", "Autre traduction")
    monkeypatch.setitem(i18n._CATALOGUES["fr"], "Only elsewhere", "Seulement ailleurs")
    assert tr("Power supply", "fr") == "Raccordement électrique"
    assert tr("Only elsewhere", "fr") == "Seulement ailleurs"  # the fallback
    i18n_reports.UNTRANSLATED.discard("Only elsewhere")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("GROS-CAILLOU", "Gros-Caillou"),
        ("CLOCHETTE (LA)", "Clochette (La)"),
        ("BP", "BP"),  # Cartofriches' "BP" at Calais is a company, not "Bp"
        ("EDF RENOUVELABLES", "EDF Renouvelables"),
        ("SNCF", "SNCF"),
        ("Stockage d'hydrocabures", "Stockage d'hydrocabures"),  # mixed case stays as given
    ],
)
def test_capitalised_names_read_as_a_planner_writes_them(raw: str, shown: str) -> None:
    assert display_name(raw) == shown
