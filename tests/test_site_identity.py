"""Which site and which supply: commune and INSEE code, supply options, land units.

Expected values come from the input files and brute force (every site against every
substation with plain shapely distances), never from the STRtree code under test.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from siteassess.assessment import assess
from siteassess.cli import main
from siteassess.criteria.base import k_nearest
from siteassess.layers.land_units import land_units
from siteassess.project import load_project
from siteassess.reports.pdf.selection import default_compared
from siteassess.reports.tables import assessment_document
from tests.conftest import real_inventory_project, squares


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> object:
    from tests.conftest import require_shared_data

    data = require_shared_data()
    folder = tmp_path_factory.mktemp("real")
    return assess(load_project(real_inventory_project(folder, shared_data=data)))


# ------------------------------------------------------------------------------ communes


def test_cartofriches_communes_reach_every_output(real: object, tmp_path: Path) -> None:
    a = real
    raw = gpd.read_file(Path(a.project.layers_of("sites")[0].path))  # type: ignore[attr-defined]
    raw = raw.set_index("site_id")
    doc = assessment_document(a)  # type: ignore[arg-type]
    by_id = {s["id"]: s for s in doc["sites"]}
    for sid in ("59205_12242", "62276_11728", "59256_4522"):
        assert by_id[sid]["commune"] == raw.loc[sid, "comm_nom"]
        assert by_id[sid]["insee"] == raw.loc[sid, "comm_insee"]
    ranked = a.ranked()  # type: ignore[attr-defined]
    assert ranked["commune"].notna().all() and ranked["insee"].str.fullmatch(r"\d{5}").all()


def test_commune_from_a_context_layer_of_communes(
    shared_data: Path, write_project: Callable[..., Path], tmp_path: Path
) -> None:
    """Sites with no commune field take the commune outline they lie in (IGN's nom/code)."""
    communes = gpd.read_file(shared_data / "communes-59-nord.geojson")
    pick = communes[communes["nom"].isin(["Escaudain", "Fretin"])].to_crs(2154)
    centres = [tuple(shapely.point_on_surface(g).coords[0]) for g in pick.geometry]
    outside = (centres[0][0], centres[0][1] - 400_000.0)  # far south, in no commune given
    sites = squares([*centres, outside], 200.0, site_id=["a", "b", "far"])
    path = write_project(
        [
            {"role": "sites", "path": "sites.geojson", "data": sites},
            {"role": "context", "path": str(shared_data / "communes-59-nord.geojson")},
        ]
    )
    a = assess(load_project(path))
    doc = {s["id"]: s for s in assessment_document(a)["sites"]}
    expected = dict(zip(pick["nom"], pick["code"].astype(str), strict=True))
    got = {doc[k]["commune"]: doc[k]["insee"] for k in ("a", "b")}
    assert got == expected
    assert doc["far"]["commune"] is None and doc["far"]["insee"] is None


def test_commune_fields_named_in_the_project_keep_leading_zeros(
    write_project: Callable[..., Path],
) -> None:
    sites = squares(
        [(700_000.0, 7_000_000.0), (701_000.0, 7_000_000.0)],
        300.0,
        ville=["Ambérieu-en-Bugey", ""],
        code=[1004, 59205],  # read as numbers: 01004 lost its zero
    )
    path = write_project(
        [
            {
                "role": "sites",
                "path": "sites.geojson",
                "data": sites,
                "commune_field": "ville",
                "insee_field": "code",
            }
        ]
    )
    a = assess(load_project(path))
    doc = {s["id"]: s for s in assessment_document(a)["sites"]}
    assert (doc["s0"]["commune"], doc["s0"]["insee"]) == ("Ambérieu-en-Bugey", "01004")
    assert doc["s1"]["commune"] is None  # a blank name is unknown, not ""


def test_a_missing_commune_field_is_named(write_project: Callable[..., Path]) -> None:
    sites = squares([(700_000.0, 7_000_000.0)], 300.0)
    path = write_project(
        [{"role": "sites", "path": "sites.geojson", "data": sites, "commune_field": "ville"}]
    )
    with pytest.raises(Exception, match="no column 'ville' \\(commune_field\\)"):
        assess(load_project(path))


def test_score_table_shows_name_and_commune(sample_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["score", str(sample_project)]) == 0
    out = capsys.readouterr().out
    first = next(line for line in out.splitlines() if line.strip().startswith("1 "))
    assert "Les Soufflantes (ex-Usinor)" in first and "Escaudain" in first
    assert "escaudain-soufflantes" not in first
    # min kV is 400: the first substation column is the 400 kV one, with no second copy.
    head = next(line for line in out.splitlines() if line.startswith("rank"))
    assert head.count("400 kV") == 1 and "400 kV substation" not in head


# ------------------------------------------------------------------------ supply options


def test_k_nearest_matches_brute_force() -> None:
    rng = np.random.default_rng(3)
    sites = shapely.buffer(shapely.points(rng.uniform(0, 100_000, (300, 2))), 500.0)
    targets = shapely.points(rng.uniform(0, 100_000, (80, 2)))
    s_idx, t_idx, dist = k_nearest(sites, targets, 3)
    full = np.array([[shapely.distance(s, t) for t in targets] for s in sites])
    for i in range(len(sites)):
        want = np.sort(full[i])[:3]
        np.testing.assert_allclose(dist[s_idx == i], want)
        np.testing.assert_allclose(full[i, t_idx[s_idx == i]], want)
    s_idx, _, _ = k_nearest(sites, targets[:2], 3)  # fewer targets than k
    assert np.bincount(s_idx).max() == 2


def test_supply_options_on_the_real_inventory(real: object) -> None:
    a = real
    subs = next(lyr for lyr in a.measurements.layers if lyr.spec.role == "substations")  # type: ignore[attr-defined]
    frame = subs.frame()
    kv = frame["kv"].to_numpy(float)
    served = frame["state"].to_numpy() == "in_service"
    sites = a.measurements.sites  # type: ignore[attr-defined]
    rng = np.random.default_rng(0)
    for sid in [*rng.choice(sites.index.to_numpy(), 25, replace=False), "59205_12242"]:
        geom = sites.geometry.loc[sid]
        d = shapely.distance(geom, frame.geometry.values)
        options = a.supply(str(sid))  # type: ignore[attr-defined]
        for list_name, mask in (("min_kv", served & (kv >= 400)), ("400kv", served & (kv >= 400))):
            order = np.argsort(np.where(mask, d, np.inf), kind="stable")[:3]
            listed = [o for o in options if list_name in o.lists]
            np.testing.assert_allclose([o.distance_m for o in listed], d[order], rtol=1e-9)
        assert all(o.state == "in_service" and o.kv >= 400 for o in options)
    # Escaudain: the press names Mastaing as its supply; Bouchain is nearer. Both listed.
    names = [o.name for o in a.supply("59205_12242")]  # type: ignore[attr-defined]
    assert names[:2] == ["BOUCHAIN", "MASTAING"]


def test_supply_options_in_the_json(sample_project: Path) -> None:
    doc = assessment_document(assess(load_project(sample_project)))
    esc = next(s for s in doc["sites"] if s["id"] == "escaudain-soufflantes")
    subs = esc["substations"]
    assert {"name", "kv", "state", "distance_m"} <= set(subs[0])
    assert [s["name"] for s in subs][:2] == ["BOUCHAIN", "MASTAING"]
    assert subs[0]["distance_m"] == pytest.approx(esc["measures"]["substation_distance_m"], abs=0.1)
    assert all(s["state"] == "in_service" for s in subs)
    assert json.dumps(doc)  # serialisable


# ---------------------------------------------------------------------------- land units


def test_the_four_fretin_records_are_one_land_unit(real: object) -> None:
    a = real
    fretin = ["59256_4522", "59256_4524", "59256_4527", "59256_4530"]
    leaders = {a.same_land_unit_as(s) or s for s in fretin}  # type: ignore[attr-defined]
    assert len(leaders) == 1
    best = leaders.pop()
    assert best in fretin and a.same_land_unit_as(best) is None  # type: ignore[attr-defined]
    # The default comparison and --top keep one per land unit.
    compared = default_compared(a)  # type: ignore[arg-type]
    assert len(compared) == 5 and len(set(compared) & set(fretin)) == 1
    units = a.measurements.land_units  # type: ignore[attr-defined]
    for s in compared:
        assert not set(units.get(s, ())) & set(compared)
    ranked = a.ranked()  # type: ignore[attr-defined]
    flagged = ranked.loc[[s for s in fretin if s != best], "same_land_unit_as"]
    assert (flagged == best).all()
    doc = {s["id"]: s for s in assessment_document(a)["sites"]}  # type: ignore[arg-type]
    assert doc[fretin[1]]["same_land_unit_as"] in fretin and doc[best]["same_land_unit_as"] is None


def test_land_units_from_parcels_and_from_coinciding_outlines() -> None:
    g = squares(
        [(0.0, 0.0), (1.0, 0.0), (5000.0, 0.0), (9000.0, 0.0), (9000.0, 0.0), (20_000.0, 0.0)],
        400.0,
        site_id=["a", "b", "c", "d", "e", "f"],
        parcel_ids=["", "", "59001000AB0001", "", "", "59001000AB0001,"],
    ).set_index("site_id")
    units = land_units(g)
    assert set(units["a"]) == {"b"}  # outlines coincide (1 m apart on 400 m)
    assert set(units["c"]) == {"f"}  # the same parcel, whatever the outlines
    assert set(units["d"]) == {"e"}
    assert len(units) == 6
    lone = squares([(0.0, 0.0), (300.0, 0.0)], 400.0).set_index("site_id")
    assert land_units(lone) == {}  # overlapping by a quarter is not one unit


def test_ranked_column_is_null_for_sites_on_their_own(sample_project: Path) -> None:
    a = assess(load_project(sample_project))
    assert pd.isna(a.ranked()["same_land_unit_as"]).all()
