"""One role registry, read by the project file, the layers, the app and the reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from siteassess import roles
from siteassess.layers import WINDOWED_ROLES
from siteassess.layers.roles import NORMALISERS
from siteassess.project import ROLE_TITLES, ROLES


def test_every_reader_of_roles_reads_the_registry() -> None:
    names = [r.name for r in roles.REGISTRY]
    assert list(ROLES) == names and list(ROLE_TITLES) == names
    assert set(NORMALISERS) == set(names)
    assert WINDOWED_ROLES == {
        "substations": None,
        "power_lines": None,
        "flood": 1_000.0,
        "fibre": None,
        "parcels": 3_000.0,
        "zoning": 1_000.0,
        "heat_network": None,
        "heat_pdp": 1_000.0,
        "context": None,
        "grid_capacity": None,
    }
    for r in roles.REGISTRY:
        assert r.title and r.colour.startswith("#") and len(r.colour) == 7
        assert r.geometry in (
            "polygon",
            "point",
            "line",
            "polygon or raster",
            "polygon or table",
            "any",
        )
        assert NORMALISERS[r.name].__name__ == r.normaliser


def test_an_unknown_role_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="known roles: sites, substations"):
        roles.role("roads")


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("postes_sites.csv", "substations"),
        ("cartofriches_59.csv", "sites"),
        ("TRI_2020_zones.gpkg", "flood"),
        ("hv_links.geojson", "power_lines"),
        ("communes.geojson", "context"),
        ("59350_PLUi_20191219_zone_urba.shp", "zoning"),
        # France Chaleur Urbaine's files: "chaleur" outweighs power lines' "reseau"
        ("reseaux_de_chaleur.geojson", "heat_network"),
        ("reseaux_de_chaleur_sans_traces.shp", "heat_network"),
        ("pdp.geojson", "heat_pdp"),
        ("reseau_fibre.shp", "power_lines"),  # as before: the registry breaks the tie
    ],
)
def test_the_app_guesses_a_role_from_the_registry_hints(file_name: str, expected: str) -> None:
    from siteassess.ui.layers_panel import guess_role

    assert guess_role(Path(file_name)) == expected


def test_a_sentence_names_a_layer_in_words_never_by_its_role_key() -> None:
    from siteassess.roles import REGISTRY
    from siteassess.vocabulary import layer_phrase

    assert layer_phrase("flood", None, "fr") == "la couche des zones inondables"
    assert layer_phrase("flood", None, "en") == "the flood zones layer"
    assert layer_phrase("context", "protected", "fr") == "la couche «\u00a0protected\u00a0»"
    for r in REGISTRY:
        french = layer_phrase(r.name, None, "fr")
        assert french.startswith("la couche ") and french != f"la couche {r.name}", french
        assert "_" not in french, french  # no key such as power_lines
