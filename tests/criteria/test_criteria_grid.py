"""Grid capacity, connection cost and lead time (issue 12 §3), checked by hand.

The capacity files follow the shape RTE and the CRE publish the « zones de mutualisation
pour l'accueil de la consommation » in (CRE deliberation 2024-200 of 7 November 2024: a
zone, its capacity in steps of MW by year, a quote-part in k€/MW), with the issue's
example zone: Plan de Campagne (Marseille), 550 MW, 320 MW by 2030 then 230 MW by 2032,
92.5 k€/MW. The per-substation table names RTE's postes by their ODRÉ code (`Code poste`
of the `postes-electriques-rte` export) or name (`Nom poste`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod

from siteassess.assessment import measure
from siteassess.criteria.grid import COST_PER_KM, GRID_KEYS
from siteassess.project import load_project
from tests.conftest import squares

X0, Y0 = 700_000.0, 7_000_000.0  # Lambert-93

# Three 1 km squares: s0 inside Plan de Campagne, s1 inside zone Z2, s2 in no zone.
SITES = [(X0, Y0), (X0 + 20_000, Y0), (X0 + 40_000, Y0)]


def _substations() -> gpd.GeoDataFrame:
    pts = {
        # code, name: (x, y, voltage)
        ("AAA", "A225"): (X0 + 500 + 300, Y0, "225kV"),  # 300 m east of s0's outline
        ("EEE", "E400"): (X0 + 20_000, Y0, "400kV"),  # inside s1
        ("FFF", "F400"): (X0 + 40_000, Y0 + 500 + 2_000, "400kV"),  # 2 km north of s2
    }
    return gpd.GeoDataFrame(
        {
            "code": [k[0] for k in pts],
            "nom": [k[1] for k in pts],
            "voltage": [v[2] for v in pts.values()],
        },
        geometry=[shapely.Point(v[0], v[1]) for v in pts.values()],
        crs="EPSG:2154",
    )


def _zones() -> gpd.GeoDataFrame:
    """Two zones, the first in two steps (one feature per step, same outline)."""
    z1 = shapely.box(X0 - 3000, Y0 - 3000, X0 + 3000, Y0 + 3000)
    z2 = shapely.box(X0 + 17_000, Y0 - 3000, X0 + 23_000, Y0 + 3000)
    return gpd.GeoDataFrame(
        {
            "nom": ["Plan de Campagne", "Plan de Campagne", "Z2"],
            "mw": [320.0, 230.0, 800.0],
            "annee": [2030, 2032, 2028],
            "quote_part_keur_per_mw": [92.5, 92.5, 50.0],
            "source": ["CRE 2024-200 (ILLUSTRATIVE)"] * 3,
        },
        geometry=[z1, z1, z2],
        crs="EPSG:2154",
    )


@pytest.fixture
def grid_project(write_project: Callable[..., Path]) -> Callable[..., Path]:
    def _make(demand: float = 400, capacity: dict | None = None, **params: object) -> Path:
        layers = [
            {"role": "sites", "path": "sites.gpkg", "data": squares(SITES, 1000)},
            {
                "role": "substations",
                "path": "subs.gpkg",
                "data": _substations(),
                "kv_field": "voltage",
                "name_field": "nom",
            },
        ]
        if capacity is not None:
            layers.append(capacity)
        return write_project(
            layers,
            criteria={"power": {"weight": 1, "min_kv": 225, "reference_year": 2026, **params}},
            demand_mw=demand,
        )

    return _make


def _zones_layer() -> dict:
    return {"role": "grid_capacity", "path": "zones.geojson", "data": _zones(), "name_field": "nom"}


def test_zones_capacity_year_cost_and_lead(grid_project: Callable[..., Path]) -> None:
    m = measure(load_project(grid_project(capacity=_zones_layer()))).measures
    s0, s1, s2 = (m.loc[s] for s in ("s0", "s1", "s2"))
    # s0: 320 MW in 2030 < 400 MW; 320 + 230 = 550 MW in 2032 >= 400 MW
    assert s0["grid_capacity_point"] == "Plan de Campagne"
    assert s0["grid_capacity_mw"] == 550
    assert s0["grid_capacity_year"] == 2032
    assert s0["grid_quote_part_eur_per_mw"] == pytest.approx(92_500)
    # line: 300 m to the 225 kV poste, underground below 400 kV: 0.3 km x 2.0 M€/km
    assert s0["connection_line_m"] == pytest.approx(300)
    assert s0["connection_line_cost_eur"] == pytest.approx(0.3 * 2_000_000)
    assert s0["connection_quote_part_cost_eur"] == pytest.approx(92_500 * 400)
    assert s0["connection_cost_eur"] == pytest.approx(600_000 + 37_000_000)
    # lead: the later of 2032 (capacity) and 2026 + 4 years (a 225 kV line) -> 6 years
    assert s0["connection_lead_years"] == 6
    # s1: 800 MW from 2028; a poste inside (0 m); 400 kV: 7 years to build -> 2033
    assert (s1["grid_capacity_mw"], s1["grid_capacity_year"]) == (800, 2028)
    assert s1["connection_cost_eur"] == pytest.approx(50_000 * 400)
    assert s1["connection_lead_years"] == 7
    # s2: in no zone: nothing measured, never guessed
    assert s2["grid_capacity_point"] == ""
    assert all(math.isnan(s2[k]) for k in ("grid_capacity_mw", "connection_cost_eur"))


def test_a_demand_the_zone_never_reaches_has_no_year(grid_project: Callable[..., Path]) -> None:
    m = measure(load_project(grid_project(demand=700, capacity=_zones_layer()))).measures
    s0 = m.loc["s0"]
    assert s0["grid_capacity_mw"] == 550
    assert math.isnan(s0["grid_capacity_year"])  # 550 MW < 700 MW, ever
    assert math.isnan(s0["connection_lead_years"])
    assert s0["connection_cost_eur"] == pytest.approx(600_000 + 92_500 * 700)


def test_line_type_and_cost_per_km_are_parameters(grid_project: Callable[..., Path]) -> None:
    p = grid_project(
        capacity=_zones_layer(), line_type="overhead", cost_overhead_225kv_eur_per_km=1e6
    )
    s0 = measure(load_project(p)).measures.loc["s0"]
    assert s0["connection_line_cost_eur"] == pytest.approx(0.3 * 1e6)


def test_table_per_substation_joined_by_code_or_name(
    grid_project: Callable[..., Path], tmp_path: Path
) -> None:
    # French decimals and `;`, as a planner's spreadsheet saves it; AAA by its code, E400
    # by its name; a poste no layer holds is reported.
    (tmp_path / "capacite.csv").write_text(
        "code_poste;mw;annee;quote_part_keur_per_mw;source\n"
        "AAA;300;2029;92,5;CRE\n"
        "AAA;200;2031;92,5;CRE\n"
        "E400;1000;2027;;RTE\n"
        "NOWHERE;50;2027;10;RTE\n",
        encoding="utf-8",
    )
    p = grid_project(capacity={"role": "grid_capacity", "path": "capacite.csv"})
    res = measure(load_project(p))
    m = res.measures
    s0, s1, s2 = (m.loc[s] for s in ("s0", "s1", "s2"))
    assert (s0["grid_capacity_point"], s0["grid_capacity_mw"]) == ("A225", 500)  # its name
    assert s0["grid_capacity_year"] == 2031  # 300 < 400 in 2029, 500 in 2031
    assert s0["connection_cost_eur"] == pytest.approx(0.3 * 2e6 + 92_500 * 400)
    assert s0["connection_lead_years"] == 5  # 2031 - 2026 (the line takes 4)
    assert s1["grid_capacity_point"] == "E400"
    assert s1["grid_capacity_year"] == 2027
    assert math.isnan(s1["connection_cost_eur"])  # no quote-part given: no cost
    # s2's nearest listed poste is E400, 20 km west (F400 is not in the table)
    assert s2["grid_capacity_point"] == "E400"
    assert s2["connection_line_m"] == pytest.approx(math.hypot(20_000 - 500, 0), abs=1)
    assert any(i.code == "capacity_substation_unknown" for i in res.issues)


def test_without_a_capacity_layer_nan_and_a_data_issue(grid_project: Callable[..., Path]) -> None:
    res = measure(load_project(grid_project()))
    assert res.measures[[k for k in GRID_KEYS if k != "grid_capacity_point"]].isna().all().all()
    assert res.measures["grid_capacity_point"].isna().all()
    (issue,) = [i for i in res.issues if i.code == "grid_capacity_missing"]
    assert issue.severity == "info"
    # the power measures themselves are unchanged
    assert res.measures.loc["s0", "substation_distance_m"] == pytest.approx(300)


def test_explanation_says_from_when_and_the_cost_parts(grid_project: Callable[..., Path]) -> None:
    from siteassess.assessment import score
    from siteassess.reports.messages import phrase_text
    from siteassess.reports.pdf.explain import explanation

    a = score(measure(load_project(grid_project(capacity=_zones_layer()))))
    info = next(c for c in a.criteria if c.name == "power")
    said = explanation(a, "s0", info)
    en = [phrase_text(s, "en").replace("\xa0", " ") for s in said.sentences]
    fr = [phrase_text(s, "fr").replace("\xa0", " ") for s in said.sentences]
    assert any("can be connected from 2032" in s for s in en)
    assert any("37.6 M€" in s and "300 m" in s and "underground" in s for s in en)
    assert any("6 years" in s for s in en)
    assert any("à partir de 2032" in s for s in fr)
    assert any("souterraine" in s and "37,6" in s for s in fr)


def test_real_rte_postes_with_a_capacity_table(
    shared_data: Path, write_project: Callable[..., Path], tmp_path: Path
) -> None:
    # Escaudain's Cartofriches point (FACTS.md); a 20 m square site around it. The table
    # names Bouchain (BOUCH) and Mastaing (MASTA), both 400 kV, by their ODRÉ codes.
    lat, lon = 50.3209493, 3.3533556
    site = gpd.GeoSeries([shapely.Point(lon, lat)], crs="EPSG:4326").to_crs("EPSG:2154")
    x, y = site.iloc[0].x, site.iloc[0].y
    (tmp_path / "capacite.csv").write_text(
        "code_poste;mw;annee;quote_part_keur_per_mw;source\n"
        "BOUCH;400;2028;70;ILLUSTRATIVE\nBOUCH;400;2031;70;ILLUSTRATIVE\n"
        "MASTA;700;2033;60;ILLUSTRATIVE\n",
        encoding="utf-8",
    )
    p = write_project(
        [
            {"role": "sites", "path": "s.gpkg", "data": squares([(x, y)], 20)},
            {
                "role": "substations",
                "path": str(shared_data / "rte_postes_electriques_france_odre_2024.csv"),
            },
            {"role": "grid_capacity", "path": "capacite.csv"},
        ],
        criteria={"power": {"weight": 1, "reference_year": 2026}},
        demand_mw=700,
    )
    s = measure(load_project(p)).measures.loc["s0"]
    assert s["grid_capacity_point"] == "BOUCHAIN"  # the nearer listed 400 kV poste
    assert s["grid_capacity_mw"] == 800
    assert s["grid_capacity_year"] == 2031
    _, _, geodesic = Geod(ellps="WGS84").inv(lon, lat, 3.315286, 50.296261)
    assert geodesic == pytest.approx(3860, abs=10)  # FACTS.md: 3.86 km
    assert s["connection_line_m"] == pytest.approx(geodesic, rel=0.005)  # 10 m from the outline
    per_km = COST_PER_KM[("overhead", "400kv")]  # 400 kV: overhead by default
    expected = s["connection_line_m"] / 1000 * per_km + 70_000 * 700
    assert s["connection_cost_eur"] == pytest.approx(expected)
    assert np.isclose(s["connection_lead_years"], 7)  # 2026 + 7 (400 kV) > 2031


def test_a_table_without_mw_is_refused_naming_the_file_and_the_key(
    grid_project: Callable[..., Path], tmp_path: Path
) -> None:
    from siteassess.errors import SiteAssessError

    (tmp_path / "capacite.csv").write_text("code_poste;puissance;annee\nAAA;300;2029\n")
    p = grid_project(capacity={"role": "grid_capacity", "path": "capacite.csv"})
    with pytest.raises(SiteAssessError, match=r"capacite\.csv.*mw_field"):
        measure(load_project(p))


def test_rows_without_a_year_are_skipped_and_reported(
    grid_project: Callable[..., Path], tmp_path: Path
) -> None:
    (tmp_path / "capacite.csv").write_text(
        "code_poste;mw;annee;quote_part_keur_per_mw\nAAA;300;2029;10\nAAA;900;;10\n"
    )
    res = measure(
        load_project(grid_project(capacity={"role": "grid_capacity", "path": "capacite.csv"}))
    )
    assert (
        res.measures.loc["s0", "grid_capacity_mw"] == 300
    )  # the 900 MW without a year: never guessed
    assert math.isnan(res.measures.loc["s0", "grid_capacity_year"])  # 300 MW < 400 MW
    (issue,) = [i for i in res.issues if i.code == "capacity_row_incomplete"]
    assert issue.count == 1
