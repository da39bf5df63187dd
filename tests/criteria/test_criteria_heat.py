"""Heat reuse: distances, deliveries and priority perimeters of hand-made FCU files.

The heat networks and perimeters are written in France Chaleur Urbaine's open-data schema
(tests/layers/fcu_files.py: GeoJSON of ``opendata-fcu.zip``, data.gouv.fr « Tracés des
réseaux de chaleur et de froid »). Each expected value is computed here from the same
hand-made geometries with shapely, never read from siteassess's output.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from siteassess.assessment import assess, measure
from siteassess.criteria import CRITERIA
from siteassess.criteria.base import SiteFacts
from siteassess.project import load_project
from tests.conftest import squares
from tests.layers import fcu_files as fcu

X0, Y0 = 700_000.0, 7_000_000.0
SIDE = 200.0
CENTRES = {"s0": (X0, Y0), "s1": (X0 + 20_000, Y0), "s2": (X0, Y0 + 10_000)}
NORD = shapely.LineString([(X0 + 1100, Y0 - 500), (X0 + 1100, Y0 + 500)])
SUD = shapely.LineString([(X0 - 300, Y0 + 10_400), (X0 + 300, Y0 + 10_400)])
VILLENEUVE = shapely.Point(X0 + 20_600, Y0)
TRACES = [
    fcu.network(NORD, "5911C", "Réseau Nord", "Dalkia (EDF)", 120_000.0),
    fcu.network(SUD, "5912C", "Réseau Sud", None, 35_500.0),
]
POINTS = [fcu.network(VILLENEUVE, "5913C", "Réseau de Villeneuve", "Coriance", None)]
PDP_SUD = shapely.box(X0 - 100, Y0 + 9_900, X0, Y0 + 10_100)  # the west half of s2
PDP_NORD = shapely.box(X0 - 100, Y0 - 100, X0, Y0)  # a quarter of s0
PERIMETERS = [fcu.perimeter(PDP_SUD, "5912C"), fcu.perimeter(PDP_NORD, "5911C")]


def _site(sid: str) -> shapely.Polygon:
    x, y = CENTRES[sid]
    h = SIDE / 2
    return shapely.box(x - h, y - h, x + h, y + h)


@pytest.fixture
def heat_project(tmp_path: Path, write_project: Callable[..., Path]) -> Callable[..., Path]:
    def _make(*, pdp: bool = True, networks: bool = True, **top: object) -> Path:
        layers: list[dict[str, object]] = [
            {
                "role": "sites",
                "path": "sites.gpkg",
                "data": squares(list(CENTRES.values()), SIDE, site_id=list(CENTRES)),
            }
        ]
        if networks:
            fcu.write_geojson(tmp_path / "reseaux_de_chaleur.geojson", TRACES)
            fcu.write_geojson(tmp_path / "reseaux_de_chaleur_sans_traces.geojson", POINTS)
            layers += [
                {"role": "heat_network", "path": "reseaux_de_chaleur.geojson"},
                {"role": "heat_network", "path": "reseaux_de_chaleur_sans_traces.geojson"},
            ]
        if pdp:
            fcu.write_geojson(tmp_path / "pdp.geojson", PERIMETERS)
            layers.append({"role": "heat_pdp", "path": "pdp.geojson"})
        criteria = {"heat": {"weight": 1}, "land": {"weight": 1, "min_area_ha": 0}}
        return write_project(layers, criteria=criteria, demand_mw=100, **top)

    return _make


def test_each_measure_against_shapely(heat_project: Callable[..., Path]) -> None:
    m = measure(load_project(heat_project())).measures
    nets = {"Réseau Nord": NORD, "Réseau Sud": SUD, "Réseau de Villeneuve": VILLENEUVE}
    for sid in CENTRES:
        site = _site(sid)
        dist = {name: shapely.distance(site, g) for name, g in nets.items()}
        nearest = min(dist, key=dist.__getitem__)
        assert m.loc[sid, "heat_network_distance_m"] == pytest.approx(dist[nearest])
        assert m.loc[sid, "heat_network_name"] == nearest
        traced = min(dist["Réseau Nord"], dist["Réseau Sud"])
        assert m.loc[sid, "heat_trace_distance_m"] == pytest.approx(traced)
        share = 100 * shapely.area(shapely.intersection(site, shapely.union(PDP_SUD, PDP_NORD)))
        assert m.loc[sid, "heat_pdp_share_pct"] == pytest.approx(share / site.area)
    # By hand: s0's east edge is at X0 + 100, Réseau Nord at X0 + 1100.
    assert m.loc["s0", "heat_network_distance_m"] == pytest.approx(1000.0)
    assert m.loc["s0", "heat_network_operator"] == "Dalkia (EDF)"
    assert m.loc["s0", "heat_network_delivered_mwh"] == 120_000.0
    assert m.loc["s0", "heat_network_point_only"] == 0
    assert m.loc["s0", "heat_pdp_share_pct"] == pytest.approx(25.0)
    assert m.loc["s0", "heat_pdp_network_name"] == "Réseau Nord"
    # s2: 300 m to Réseau Sud, which has no operator; half of it in Réseau Sud's perimeter.
    assert m.loc["s2", "heat_network_distance_m"] == pytest.approx(300.0)
    assert pd.isna(m.loc["s2", "heat_network_operator"])
    assert m.loc["s2", "heat_network_delivered_mwh"] == 35_500.0
    assert m.loc["s2", "heat_pdp_share_pct"] == pytest.approx(50.0)
    assert m.loc["s2", "heat_pdp_network_name"] == "Réseau Sud"
    assert m.loc["s1", "heat_pdp_share_pct"] == 0.0  # measured: in no perimeter (not NaN)
    assert pd.isna(m.loc["s1", "heat_pdp_network_name"])


def test_a_network_published_as_a_point_only_is_flagged_and_said_approximate(
    heat_project: Callable[..., Path],
) -> None:
    result = measure(load_project(heat_project()))
    m = result.measures
    # s1: the Villeneuve point is 500 m from its east edge; its trace is unknown.
    assert m.loc["s1", "heat_network_distance_m"] == pytest.approx(500.0)
    assert m.loc["s1", "heat_network_point_only"] == 1
    assert np.isnan(m.loc["s1", "heat_network_delivered_mwh"])  # not published: NaN, not 0
    # The nearest network with a known trace: Réseau Nord, from X0 + 19 900 to X0 + 1100.
    assert m.loc["s1", "heat_trace_distance_m"] == pytest.approx(18_800.0)
    issue = next(i for i in result.issues if i.code == "heat_network_point_only")
    assert issue.count == 1 and issue.severity == "info"
    crit = CRITERIA["heat"]
    facts = SiteFacts(
        measures=m.loc["s1"].to_dict(), params=crit.resolve({}, 100), demand_mw=100, excluded=False
    )
    said = crit.explain(facts)
    codes = [getattr(s, "code", "") for s in said.sentences]
    assert "heat_network_point" in codes and "heat_trace_nearest" in codes
    assert "heat_delivered_unknown" in codes
    row = next(r for r in said.rows or () if r.label.template == "Nearest heat network")
    assert row.note is not None and "point only" in row.note.template
    s0 = SiteFacts(m.loc["s0"].to_dict(), crit.resolve({}, 100), 100, False)
    assert "heat_network_point" not in [getattr(s, "code", "") for s in crit.explain(s0).sentences]


def test_without_heat_layers_nothing_is_measured_and_the_issues_say_why(
    heat_project: Callable[..., Path],
) -> None:
    result = measure(load_project(heat_project(pdp=False, networks=False)))
    heat_cols = [m.key for m in CRITERIA["heat"].specs]
    assert result.measures[heat_cols].isna().all().all()
    codes = {(i.layer, i.code) for i in result.issues}
    assert ("heat_network", "layer_missing") in codes
    assert ("heat_pdp", "no_heat_pdp_layer") in codes


def test_without_perimeters_the_networks_are_still_measured(
    heat_project: Callable[..., Path],
) -> None:
    m = measure(load_project(heat_project(pdp=False))).measures
    assert m.loc["s0", "heat_network_distance_m"] == pytest.approx(1000.0)
    assert m["heat_pdp_share_pct"].isna().all()


def test_a_small_read_window_never_changes_a_distance(heat_project: Callable[..., Path]) -> None:
    """Read 2 km around the sites: s1's nearest trace (18.8 km) lies beyond, so the layer is
    read whole and measured again."""
    m = measure(load_project(heat_project(read_margin_m=2_000))).measures
    assert m.loc["s1", "heat_trace_distance_m"] == pytest.approx(18_800.0)


def test_the_default_value_falls_linearly_to_zero_at_the_reach(
    heat_project: Callable[..., Path],
) -> None:
    a = assess(load_project(heat_project()))
    j = [c.name for c in a.criteria].index("heat")
    info = a.criteria[j]
    assert info.params["reach_m"] == 10_000.0
    d = a.measurements.measures["heat_network_distance_m"].to_numpy(dtype=float)
    np.testing.assert_allclose(a.table.values[:, j], np.clip(1 - d / 10_000, 0, 1), atol=1e-9)
    assert CRITERIA["heat"].default_weight == 0.0  # existing projects do not change
