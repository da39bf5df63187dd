"""The site report read back: its numbers match the JSON document, in English and French."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from siteassess import __version__
from tests.reports.conftest import pdf_fonts, pdf_text

FIRST = "escaudain-soufflantes"  # first with min kV following the 700 MW rule
ESCAUDAIN = "escaudain-soufflantes"
EXCLUDED = "loon-plage-edf"


def fr(x: float, decimals: int = 1) -> str:
    """A number as the French report writes it (decimal comma)."""
    return f"{x:.{decimals}f}".replace(".", ",")


def en(x: float, decimals: int = 1) -> str:
    return f"{x:.{decimals}f}"


def dist(metres: float, fmt: Callable[[float, int], str]) -> str:
    """Below 1 km in whole metres, else km with one decimal (the unit follows a space)."""
    return f"{fmt(metres, 0)} m" if metres < 1000 else f"{fmt(metres / 1000, 1)} km"


def site_of(doc: dict[str, Any], site_id: str) -> dict[str, Any]:
    return next(s for s in doc["sites"] if s["id"] == site_id)


def flat(text: str) -> str:
    """Text with line breaks and no-break spaces as plain spaces (numbers wrap in tables)."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


@pytest.mark.parametrize("site_id", [FIRST, ESCAUDAIN, EXCLUDED])
def test_site_report_numbers_match_the_json_document(
    site_pdf: Callable[[str, str], Path], sample_doc: dict[str, Any], site_id: str
) -> None:
    text = flat(pdf_text(site_pdf(site_id, "en")))
    site = site_of(sample_doc, site_id)
    m = site["measures"]
    assert site["name"] in text
    assert f"{en(site['score'])}" in text
    for name, points in site["contributions"].items():
        # The JSON rounds to 3 decimals: 26.75 may be 26.7496 shown as 26.7.
        assert any(en(points + d) in text for d in (-5e-4, 0.0, 5e-4)), name
    for c in sample_doc["criteria"]:
        assert f"{en(c['weight'] * 100)}%" in text
        assert en(site["values"][c["name"]], 2) in text
    assert dist(m["substation_distance_m"], en) in text
    assert dist(m["substation_400kv_distance_m"], en) in text
    assert f"{en(m['flood_share_any_pct'])}%" in text
    assert f"{en(m['rtt_flap_mean_ms'], 2)} ms" in text
    assert f"{en(m['area_ha'])} ha" in text
    assert f"{en(m['power_density_mw_per_ha'])} MW/ha" in text
    for market in ("frankfurt", "london", "amsterdam", "paris"):
        assert f"{en(m[f'rtt_{market}_ms'], 2)} ms" in text
        assert f"{en(m[f'exchange_{market}_km'])} km" in text
    assert f"{en(site['completeness'] * 100)}%" in text
    if site["excluded"]:
        assert "Excluded" in text
        for reason in site["exclusions"]:
            assert flat(reason) in text
    else:
        ranked = sum(not s["excluded"] for s in sample_doc["sites"])
        assert f"{site['rank']} / {ranked}" in text
        assert f"{en(site['p_first'] * 100)}%" in text


def test_site_report_says_where_the_nearest_400kv_substation_is(
    site_pdf: Callable[[str, str], Path], sample_doc: dict[str, Any]
) -> None:
    text = flat(pdf_text(site_pdf(ESCAUDAIN, "en")))
    m = site_of(sample_doc, ESCAUDAIN)["measures"]
    km = en(m["substation_400kv_distance_m"] / 1000)
    # min kV is 400 for 700 MW: one sentence names the nearest, no second 400 kV one.
    assert (
        f"Nearest in-service substation at or above 400 kV: Bouchain (400 kV), {km} km "
        "from the site boundary." in text
    )
    assert "Nearest 400 kV substation:" not in text
    # The supply options: the press names Mastaing while Bouchain is nearer; both listed.
    options = site_of(sample_doc, ESCAUDAIN)["substations"]
    assert [o["name"] for o in options[:2]] == ["BOUCHAIN", "MASTAING"]
    assert "Supply options" in text
    for o in options:
        assert f"{o['name'].title()} 400 kV in service {en(o['distance_m'] / 1000)} km" in text


def test_site_report_method_and_sources_allow_reproduction(
    site_pdf: Callable[[str, str], Path], sample_doc: dict[str, Any]
) -> None:
    text = pdf_text(site_pdf(FIRST, "en"))
    flat_text = flat(text)
    for layer in sample_doc["layers"]:
        assert layer["sha256"] in text.replace("\n", "")
        assert Path(layer["path"]).name in flat_text
        if layer["licence"]:
            assert flat(layer["licence"]) in flat_text
        assert flat(layer["source"]) in flat_text
    params = {c["name"]: c["parameters"] for c in sample_doc["criteria"]}
    assert f"Fibre route factor {params['connectivity']['route_factor']:g}" in flat_text
    assert "One-way delay of light in fibre 4.9 µs/km" in flat_text
    assert "Minimum substation voltage 400 kV" in flat_text
    assert "Campus power demand 700 MW" in flat_text
    assert f"siteassess {__version__}" in flat_text
    assert "EPSG:2154" in flat_text
    assert "1,000 draws" in flat_text and "random seed 0" in flat_text
    for words in (
        "distance to the nearest substation",
        "share in any flood zone",
        "distance to the fibre network",
        "power density",
    ):
        assert f"% {words} is " in flat_text  # the scored measure, then its value function
    assert "is 1 at 0 m and 0 from 20 km on, linear in between" in flat_text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_site_report_names_parameters_and_measures_in_words(
    site_pdf: Callable[[str, str], Path], lang: str
) -> None:
    """« Tension minimale du poste : 400 kV », never ``min_kv`` or ``substation_distance_m``."""
    from siteassess.criteria import CRITERIA

    text = flat(pdf_text(site_pdf(FIRST, lang)))
    keys = {"demand_mw"}
    for crit in CRITERIA.values():
        keys |= set(crit.params) | {m.key for m in crit.specs}
    assert sorted(k for k in keys if re.search(rf"\b{k}\b", text)) == []
    if lang == "fr":
        assert "Tension minimale du poste 400 kV" in text  # the table's two cells
        assert "Postes autorisés (pas encore construits) comptés non" in text
        assert "Exclusion inondation : scénario moyen" in text
        assert "Distance au poste où la valeur atteint 0 20 km" in text
        assert "Facteur de détour de la fibre 1,4" in text
        assert "Délai aller de la lumière dans la fibre 4,9 µs/km" in text
        assert "Puissance du campus 700 MW" in text
        assert "vaut 1 à 0 m et 0 à partir de 20 km, linéaire entre les deux" in text
    else:
        assert "Flood exclusion: scenario medium" in text
        assert "Exclusion beyond this distance to a substation no limit" in text


def test_site_report_flags_illustrative_data_and_approximate_outlines(
    site_pdf: Callable[[str, str], Path],
) -> None:
    text = flat(pdf_text(site_pdf(ESCAUDAIN, "en")))
    # The layer named in words, its source in full (never « layer flood (….geojson) »).
    assert "ILLUSTRATIVE data: the flood zones layer is not real data (ILLUSTRATIVE flood" in text
    assert "ILLUSTRATIVE data: the fibre layer is not real data (ILLUSTRATIVE fibre" in text
    assert "The site outline is approximate" in text


def test_excluded_site_report_states_the_exclusion_plainly(
    site_pdf: Callable[[str, str], Path], sample_doc: dict[str, Any]
) -> None:
    text = flat(pdf_text(site_pdf(EXCLUDED, "fr")))
    share = site_of(sample_doc, EXCLUDED)["measures"]["flood_share_excluding_pct"]
    assert "Exclu" in text
    assert f"{fr(share)} % du site est en zone inondable du scénario moyen (100 à 300 ans)" in text
    assert "Un site exclu n’est pas classé" in text


@pytest.mark.parametrize("site_id", [FIRST, EXCLUDED])
def test_french_site_report_uses_french_numbers_and_words(
    site_pdf: Callable[[str, str], Path], sample_doc: dict[str, Any], site_id: str
) -> None:
    raw = pdf_text(site_pdf(site_id, "fr"))
    text = flat(raw)
    site = site_of(sample_doc, site_id)
    m = site["measures"]
    assert fr(site["score"]) in text
    assert f"{fr(m['rtt_flap_mean_ms'], 2)} ms" in text
    assert f"{fr(m['area_ha'])} ha" in text
    assert f"{fr(m['flood_share_any_pct'])} %" in text
    assert dist(m["substation_400kv_distance_m"], fr) in text
    for words in ("Raccordement électrique", "Risque d’inondation", "Méthode et sources"):
        assert words in text
    assert "Options de raccordement" in text and "Poste en service de 400 kV ou plus" in text
    assert "22 novembre 2026" in text
    assert "1 000 tirages" in text
    # No English sentence slipped through, and no line starts with a French colon
    # or percent sign (the no-break spaces before them held).
    for english in ("Nearest", "Score by", "Method and", "weight", "Value function"):
        assert english not in text
    for line in raw.splitlines():
        if line.strip() == "%":
            continue  # the unit under a chart's axis
        assert not line.lstrip().startswith((":", "%", ";")), line


def test_every_font_in_the_reports_is_embedded(
    site_pdf: Callable[[str, str], Path], compare_pdf: Callable[..., Path]
) -> None:
    for pdf in (site_pdf(FIRST, "fr"), site_pdf(EXCLUDED, "en"), compare_pdf("fr")):
        fonts = pdf_fonts(pdf)
        assert fonts, pdf
        assert all(fonts.values()), f"{pdf.name}: fonts not embedded: {fonts}"
        assert all("DejaVu" in name for name in fonts), fonts


def test_french_text_keeps_accents_and_the_oe_ligature(
    tmp_path: Path, sample_assessment: Any
) -> None:
    from dataclasses import replace

    from siteassess.reports.pdf import write_site_report

    sites = sample_assessment.measurements.sites.copy()
    sites.loc[FIRST, "name"] = "Friche du Cœur, Œuvre d’Élise"
    m = replace(sample_assessment.measurements, sites=sites)
    a = replace(sample_assessment, measurements=m)
    out = write_site_report(a, FIRST, tmp_path / "cœur.pdf", lang="fr")
    text = flat(pdf_text(out))
    assert "Friche du Cœur, Œuvre d’Élise" in text
    assert "Compacité" in text and "Complétude" in text
