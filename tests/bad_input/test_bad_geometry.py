"""Geometries of an unexpected kind: a site drawn as a GeometryCollection.

Its polygons are the site's outline (the stray point or line is dropped and counted in a
data issue); a collection of points only leaves the points. Areas expected here are
computed independently, with pyproj's geodesic area of the polygon.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from pyproj import Geod

from tests.bad_input.harness import assert_refused, project_file, run_cli

# A 400 m × 300 m block near Douai (lon, lat), and a point inside it.
BLOCK = shapely.box(3.0800, 50.3700, 3.0856, 50.3727)
INSIDE = shapely.Point(3.0820, 50.3710)
OTHER = shapely.box(3.3500, 50.3200, 3.3530, 50.3220)


def _write(folder: Path, geoms: dict[str, shapely.Geometry]) -> Path:
    path = folder / "sites.geojson"
    feats = [
        {
            "type": "Feature",
            "properties": {"site_id": sid, "name": sid.title()},
            "geometry": json.loads(shapely.to_geojson(g)),
        }
        for sid, g in geoms.items()
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), "utf-8")
    return path


def _site(out: Path, sid: str) -> dict[str, object]:
    doc = json.loads(out.read_text("utf-8"))
    return next(s for s in doc["sites"] if s["id"] == sid)


def _geodesic_ha(geom: shapely.Geometry) -> float:
    area, _ = Geod(ellps="GRS80").geometry_area_perimeter(geom)
    return abs(area) / 10_000


@pytest.mark.parametrize(
    "collection",
    [
        shapely.GeometryCollection([BLOCK, INSIDE]),
        shapely.GeometryCollection(
            [INSIDE, shapely.LineString([(3.08, 50.37), (3.09, 50.38)]), BLOCK]
        ),
        shapely.GeometryCollection([shapely.GeometryCollection([BLOCK]), INSIDE]),
    ],
    ids=["polygon+point", "point+line+polygon", "nested"],
)
def test_the_polygon_of_a_collection_is_the_outline(
    tmp_path: Path, collection: shapely.Geometry
) -> None:
    sites = _write(tmp_path, {"collection": collection, "other": OTHER})
    project = project_file(tmp_path, [{"role": "sites", "path": sites.name}])
    out = tmp_path / "ranking.json"
    ended = run_cli(["score", project, "--output", out])
    assert ended.code == 0, ended.err
    assert "site-packages" not in ended.err
    area = _site(out, "collection")["measures"]["area_ha"]
    assert area == pytest.approx(_geodesic_ha(BLOCK), rel=0.01)
    issues = json.loads(out.read_text("utf-8"))["issues"]
    (issue,) = [i for i in issues if "geometry collection" in i["message"]]
    assert "1 of 2" in issue["message"] and "collection" in issue["message"]
    assert "POLYGON" in issue["message"] and "dropped" in issue["action"]


def test_a_collection_of_points_only_stays_points(tmp_path: Path) -> None:
    pts = shapely.GeometryCollection([INSIDE, shapely.Point(3.0830, 50.3715)])
    sites = _write(tmp_path, {"points": pts, "other": OTHER})
    project = project_file(tmp_path, [{"role": "sites", "path": sites.name}])
    out = tmp_path / "ranking.json"
    ended = run_cli(["score", project, "--output", out])
    assert ended.code == 0, ended.err
    assert _site(out, "points")["measures"]["area_ha"] is None  # not measurable, not 0
    issues = json.loads(out.read_text("utf-8"))["issues"]
    assert [i for i in issues if "geometry collection" in i["message"] and "POINT" in i["message"]]


def test_a_sites_layer_of_empty_collections_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sites.geojson"
    feats = [
        {
            "type": "Feature",
            "properties": {"site_id": sid},
            "geometry": {"type": "GeometryCollection", "geometries": []},
        }
        for sid in ("a", "b")
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), "utf-8")
    project = project_file(tmp_path, [{"role": "sites", "path": path.name}])
    out = tmp_path / "ranking.json"
    assert_refused(
        run_cli(["score", project, "--output", out]),
        naming=["sites.geojson", "no site with a geometry"],
        outputs=[out],
    )
