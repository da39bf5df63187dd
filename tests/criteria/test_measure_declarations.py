"""Each criterion declares its measures; the presenters read the declarations."""

from __future__ import annotations

import re

import pytest

from siteassess import vocabulary
from siteassess.criteria import CRITERIA, MEASURES, criterion_of
from siteassess.criteria.base import Measure, family

SUFFIX_UNITS = {"_m": "m", "_km": "km", "_ms": "ms", "_pct": "%", "_ha": "ha", "_kv": "kV"}


@pytest.mark.parametrize("name", list(CRITERIA))
def test_every_measure_is_declared_once_with_its_unit(name: str) -> None:
    specs = CRITERIA[name].specs
    keys = [m.key for m in specs]
    assert len(keys) == len(set(keys)), "a measure declared twice"
    assert CRITERIA[name].default_measure in keys
    for m in specs:
        assert m.label and m.description and "{w}" not in m.key
        suffix = re.search(r"(_mw_per_ha|_[a-z]+)$", m.key)
        if m.key.endswith("_mw_per_ha"):
            assert m.unit == "MW/ha"
        elif suffix and suffix.group(1) in SUFFIX_UNITS:
            assert m.unit == SUFFIX_UNITS[suffix.group(1)], m.key
        assert m.better in (None, "low", "high")
        if m.unit == "m" and m.shown_unit == "km":
            assert m.scale == 1e-3
    assert any(m.headline for m in specs), f"{name}: no headline measure"


def test_a_family_fills_key_description_and_word() -> None:
    rtt = family(Measure("rtt_{w}_ms", "Round trip to {m}", "to {w} (ms)", "ms"), ("Paris",))
    assert rtt[0].key == "rtt_paris_ms" and rtt[0].description == "to Paris (ms)"
    assert rtt[0].word == "paris"


@pytest.mark.parametrize(
    ("key", "lang", "label", "unit", "decimals"),
    [
        ("substation_distance_m", "fr", "Poste ≥ tension minimale", "km", 1),
        ("rtt_amsterdam_ms", "fr", "Aller-retour vers Amsterdam", "ms", 2),
        ("exchange_amsterdam_km", "fr", "Distance au point d’échange d’Amsterdam", "km", 1),
        ("flood_share_medium_pct", "fr", "Part en zone inondable, scénario moyen", "%", 1),
        ("rtt_london_fibre_ms", "en", "Round trip to London along the fibre", "ms", 2),
        ("area_ha", "en", "Area", "ha", 1),
    ],
)
def test_the_presenters_vocabulary_reads_the_declarations(
    key: str, lang: str, label: str, unit: str, decimals: int
) -> None:
    info = vocabulary.measure_info(key, lang)
    assert (info.label, info.unit, info.decimals) == (label, unit, decimals)
    assert info.better == MEASURES[key].better
    assert vocabulary.is_known(key) and criterion_of(key) is not None


def test_resolution_and_stored_unit_come_from_the_declaration() -> None:
    assert vocabulary.resolution("substation_distance_m") == 100.0
    assert vocabulary.resolution("rtt_flap_mean_ms") == 0.1
    assert vocabulary.resolution("flood_max_depth_medium_m") == 0.01  # 2 decimals shown
    assert vocabulary.stored_unit("substation_distance_m") == "m"
    assert vocabulary.stored_unit("power_density_mw_per_ha") == "MW/ha"
    assert not vocabulary.is_known("made_up_m")
    assert vocabulary.measure_info("made_up_m", "fr").label == "made up m"


def test_headline_and_compared_measures_follow_the_declarations() -> None:
    from siteassess.criteria import compared_measures, headline_measures

    low = [m.key for m in headline_measures({"power": {"min_kv": 225.0}})]
    assert low == [
        "substation_distance_m",
        "substation_400kv_distance_m",
        "flood_share_any_pct",
        "rtt_flap_mean_ms",
        "area_ha",
        "power_density_mw_per_ha",
        "zoning_share_allowed_pct",
        "heat_network_distance_m",
    ]
    # At a 400 kV minimum the 400 kV column would repeat the first: the criterion says so.
    high = [m.key for m in headline_measures({"power": {"min_kv": 400.0}})]
    assert "substation_400kv_distance_m" not in high and len(high) == len(low) - 1
    compared = {m.key: m for m in compared_measures({})}
    assert compared["substation_distance_m"].named_by == "substation_name"
    assert compared["nearest_exchange_km"].named_by == "nearest_exchange_name"
    assert set(compared) >= set(low)


def test_the_terminal_table_takes_its_columns_from_the_declarations() -> None:
    from siteassess.assessment import assess
    from siteassess.project_checks import open_project
    from siteassess.reports.text import ranking_text
    from tests.conftest import SAMPLE_PROJECT

    head = ranking_text(assess(open_project(SAMPLE_PROJECT))).splitlines()[3]
    for title in ("Substation ≥ 400 kV", "Flood zones", "RTT to FLAP", "Area", "Density"):
        assert title in head
    assert "400 kV substation" not in head  # the sample's minimum is 400 kV
