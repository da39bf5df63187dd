"""Cartofriches areas that cannot be a site's: 1e13 m², zero, negative, infinite, not a number.

Without a parcels layer a friche's outline is a disc of its stated area; a wrong area must
never become a disc (1e13 m² drew one 3,568 km across that ranked first of 2,111). The site
keeps its point (area unknown) or falls back on its site_surface, and a data issue names it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from siteassess.layers.plausibility import MAX_SITE_AREA_M2
from tests.bad_input.harness import project_file, run_cli

BAD = "59999_bad"
# Four real-looking friches near Denain (lon, lat, m²); BAD gets the value under test.
FRICHES = {
    "59205_1": (3.3533, 50.3209, 388_000.0),
    "59179_2": (3.3950, 50.3290, 52_000.0),
    "59178_3": (3.4190, 50.3050, 120_000.0),
    "59172_4": (3.3100, 50.3400, 9_000.0),
}


def _friche(sid: str, lon: float, lat: float, uf: object, site: object) -> dict[str, object]:
    return {
        "type": "Feature",
        "properties": {
            "site_id": sid,
            "site_nom": f"Friche {sid}",
            "site_statut": "friche sans projet",
            "comm_nom": "DENAIN",
            "comm_insee": sid[:5],
            "unite_fonciere_surface": uf,
            "site_surface": site,
        },
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }


def _inventory(folder: Path, uf: object, site: object = None) -> Path:
    feats = [_friche(k, x, y, a, a) for k, (x, y, a) in FRICHES.items()]
    feats.append(_friche(BAD, 3.3700, 50.3150, uf, site))
    path = folder / "cartofriches.geojson"
    # allow_nan: the JSON text carries NaN and Infinity, as GDAL and some exports write them.
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), "utf-8")
    return path


def _run(folder: Path, inventory: Path) -> dict[str, object]:
    project = project_file(
        folder,
        [{"role": "sites", "path": inventory.name}],
        {"land": {"weight": 1, "min_area_ha": 0}},
        demand_mw=100,
    )
    out = folder / "ranking.json"
    ended = run_cli(["score", project, "--output", out])
    assert ended.code == 0, ended.err
    assert "site-packages" not in ended.err and "Warning" not in ended.err, ended.err
    doc: dict[str, object] = json.loads(out.read_text("utf-8"))
    return doc


def _site(doc: dict[str, object], sid: str) -> dict[str, object]:
    return next(s for s in doc["sites"] if s["id"] == sid)  # type: ignore[attr-defined, union-attr]


WRONG = [
    (1e13, "above"),
    (0, "not positive"),
    (-2500.5, "not positive"),
    (math.inf, "not finite"),
    (math.nan, "no area"),  # NaN in a number column reads like a blank: no area given
    ("1,2e400", "not finite"),
    ("beaucoup", "not a number"),
    (2 * MAX_SITE_AREA_M2, "above"),
]


@pytest.mark.parametrize(("value", "why"), WRONG, ids=[str(v) for v, _ in WRONG])
def test_a_wrong_area_never_becomes_a_disc(tmp_path: Path, value: object, why: str) -> None:
    doc = _run(tmp_path, _inventory(tmp_path, value))
    bad = _site(doc, BAD)
    assert bad["measures"]["area_ha"] is None  # type: ignore[index]  # a point, area unknown
    assert not bad["approximate_outline"]
    assert doc["sites"][0]["id"] != BAD  # type: ignore[index]
    issues = doc["issues"]
    flagged = [i for i in issues if i["site"] == BAD or BAD in i["message"]]  # type: ignore[attr-defined]
    assert len(flagged) == 1, issues
    assert "unite_fonciere_surface" in flagged[0]["message"] and why in flagged[0]["message"]
    assert "as a point" in flagged[0]["action"]
    assert flagged[0]["source"].endswith("cartofriches.geojson")
    for sid, (_, _, area) in FRICHES.items():  # the others keep their discs
        assert _site(doc, sid)["measures"]["area_ha"] == pytest.approx(area / 10_000, rel=0.01)


def test_a_wrong_land_unit_area_falls_back_on_the_site_area(tmp_path: Path) -> None:
    doc = _run(tmp_path, _inventory(tmp_path, 1e13, 40_000.0))
    bad = _site(doc, BAD)
    assert bad["measures"]["area_ha"] == pytest.approx(4.0, rel=0.01)  # type: ignore[index]
    (issue,) = [i for i in doc["issues"] if i["site"] == BAD]  # type: ignore[attr-defined]
    assert "unite_fonciere_surface = 1e+13 m²" in issue["message"]
    assert "site_surface (40,000 m²) used instead" in issue["action"]


def test_the_largest_real_land_unit_is_believable(tmp_path: Path) -> None:
    # 18,879,364 m²: the largest unite_fonciere_surface of the real Nord/Pas-de-Calais export.
    doc = _run(tmp_path, _inventory(tmp_path, 18_879_364.26, 17_469_027.82))
    assert _site(doc, BAD)["measures"]["area_ha"] == pytest.approx(1887.9, rel=0.01)  # type: ignore[index]
    assert not [i for i in doc["issues"] if i["site"] == BAD]  # type: ignore[attr-defined]
