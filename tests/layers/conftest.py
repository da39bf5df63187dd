"""Shared fixtures of the layer tests: small files written in tmp_path, edge-case geometries.

Edge-case geometries are named once here (like shapely's ``tests/common.py``) and used by
name in the tests. Coordinates are in Lambert-93 (EPSG:2154) around Douai, or lon/lat
(EPSG:4326) where a test says so.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from pyproj import CRS
from shapely.geometry import Point, Polygon, box

from siteassess.layers import Layer, open_layer, open_sites
from siteassess.project import Project, project_from_dict

REPO_ROOT = Path(__file__).resolve().parents[2]
# The real public data beside the repository (tests/conftest.py honours the same variable).
SHARED_DATA = Path(os.environ.get("SITEASSESS_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
RTE_CSV = SHARED_DATA / "rte_postes_electriques_france_odre_2024.csv"

LAMBERT93 = "EPSG:2154"
WGS84 = "EPSG:4326"
# A point near Douai (Nord) in Lambert-93, metres; every local shape is placed from it.
X0, Y0 = 705_000.0, 7_030_000.0


# ----------------------------------------------------------------- named geometries


@pytest.fixture
def square_site() -> Polygon:
    """A valid 500 m × 500 m site (25 ha)."""
    return box(X0, Y0, X0 + 500, Y0 + 500)


@pytest.fixture
def second_site() -> Polygon:
    """A valid 300 m × 200 m site 3 km east of ``square_site``."""
    return box(X0 + 3_000, Y0, X0 + 3_300, Y0 + 200)


@pytest.fixture
def bowtie_invalid() -> Polygon:
    """A self-intersecting 'bow-tie' ring over a 200 m square: two triangles of 1 ha each."""
    return Polygon(
        [(X0 + 1_000, Y0), (X0 + 1_200, Y0 + 200), (X0 + 1_200, Y0), (X0 + 1_000, Y0 + 200)]
    )


@pytest.fixture
def empty_polygon() -> Polygon:
    """A polygon with no coordinates at all."""
    return Polygon()


# ----------------------------------------------------------------- projects and files


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Project]:
    """Build a Project in tmp_path from layer tables (as in TOML) and top-level keys."""

    def make(layers: Sequence[dict[str, Any]], **top: Any) -> Project:
        doc: dict[str, Any] = {
            "schema": 1,
            "name": "layer tests",
            "layers": list(layers),
            "criteria": {"land": {"weight": 1}},
        }
        doc.update(top)
        return project_from_dict(doc, path=tmp_path / "project.toml")

    return make


@pytest.fixture
def sites_gdf(square_site: Polygon, second_site: Polygon) -> gpd.GeoDataFrame:
    """Two valid sites in Lambert-93."""
    return gpd.GeoDataFrame(
        {"site_id": ["S1", "S2"], "name": ["Friche Sud", "Friche Œuvre-é"]},
        geometry=[square_site, second_site],
        crs=LAMBERT93,
    )


@pytest.fixture
def sites_path(tmp_path: Path, sites_gdf: gpd.GeoDataFrame) -> Path:
    """The two valid sites as a GeoPackage."""
    path = tmp_path / "sites.gpkg"
    sites_gdf.to_file(path, driver="GPKG")
    return path


@pytest.fixture
def sites_layer(sites_path: Path) -> dict[str, Any]:
    """The ``[[layers]]`` table of the valid sites."""
    return {"role": "sites", "path": sites_path.name, "id_field": "site_id"}


@pytest.fixture
def open_role() -> Callable[..., Layer]:
    """Open the sites then the first layer of ``role``, windowed around the sites."""

    def _open(project: Project, role: str, *, full: bool = False) -> Layer:
        sites, working = open_sites(project)
        spec = project.layers_of(role)[0]
        return open_layer(spec, project, working, sites.extent, full=full)

    return _open


@pytest.fixture
def write_points() -> Callable[..., gpd.GeoDataFrame]:
    """Points (x, y, name) in ``crs`` as a frame, ready to write in any vector format."""

    def _points(rows: Sequence[tuple[float, float, str]], crs: str = LAMBERT93) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(
            {"name": [r[2] for r in rows]},
            geometry=[Point(r[0], r[1]) for r in rows],
            crs=crs,
        )

    return _points


@pytest.fixture(scope="session")
def rte_csv() -> Path:
    """The real RTE ODRÉ export in ../shared/data (skipped when absent, failed on CI)."""
    if not RTE_CSV.is_file():
        reason = f"real data {RTE_CSV} is absent (../shared/data next to the repository)"
        if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
            pytest.fail(f"{reason}; CI must run the real-data tests")
        pytest.skip(reason)
    return RTE_CSV


@pytest.fixture
def working_l93() -> CRS:
    """The Lambert-93 working CRS."""
    return CRS.from_user_input(LAMBERT93)
