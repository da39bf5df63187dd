"""Shared fixtures: the sample project, the real public data beside the repo, builders."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
import tomli_w

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PROJECT = ROOT / "sample_sites" / "hauts-de-france" / "project.toml"
SAMPLE_EXCHANGES = SAMPLE_PROJECT.with_name("exchanges.csv")
SHARED_DATA = Path(os.environ.get("SITEASSESS_SHARED_DATA", ROOT.parent / "shared" / "data"))


def require_shared_data() -> Path:
    """The real public data folder; skip when absent (fail under CI=true, where it must be)."""
    if not (SHARED_DATA / "rte_postes_electriques_france_odre_2024.csv").is_file():
        msg = f"real public data not found in {SHARED_DATA} (set SITEASSESS_SHARED_DATA)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg + "; CI must have ../shared/data beside the repository")
        pytest.skip(msg)
    return SHARED_DATA


def real_inventory_project(folder: Path, *, shared_data: Path | None = None) -> Path:
    """A project of every friche of Nord and Pas-de-Calais against the real RTE postes and
    communes (skips with a reason when ../shared/data is absent)."""
    data = shared_data or require_shared_data()
    doc = {
        "schema": 1,
        "name": "Friches du Nord et du Pas-de-Calais",
        "demand_mw": 700,
        "layers": [
            {"role": "sites", "path": str(data / "cartofriches_59_62.geojson")},
            {
                "role": "substations",
                "path": str(data / "rte_postes_electriques_france_odre_2024.csv"),
            },
            {"role": "exchanges", "path": str(SAMPLE_EXCHANGES), "crs": "EPSG:4326"},
            {"role": "context", "path": str(data / "communes-59-nord.geojson")},
            {"role": "context", "path": str(data / "communes-62-pas-de-calais.geojson")},
        ],
        "criteria": {
            "power": {"weight": 40},
            "connectivity": {"weight": 25},
            "land": {"weight": 10},
        },
    }
    path = folder / "inventaire.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def shared_data() -> Path:
    """Path of ../shared/data (skips when absent, except under CI)."""
    return require_shared_data()


@pytest.fixture
def sample_project() -> Path:
    """The bundled sample project file."""
    return SAMPLE_PROJECT


@pytest.fixture
def write_project(tmp_path: Path) -> Callable[..., Path]:
    """Write a project TOML (and GeoDataFrames as GeoJSON files) into ``tmp_path``.

    ``layers`` entries may carry ``data=<GeoDataFrame>``: it is written to ``path``.
    """

    def _write(
        layers: list[dict[str, Any]],
        criteria: dict[str, Any] | None = None,
        name: str = "test",
        **top: Any,
    ) -> Path:
        specs = []
        for spec in layers:
            spec = dict(spec)
            data = spec.pop("data", None)
            if data is not None:
                data.to_file(tmp_path / spec["path"])  # driver from the suffix
            specs.append(spec)
        doc = {"schema": 1, "name": name, **top, "layers": specs}
        doc["criteria"] = criteria or {"land": {"weight": 1}}
        path = tmp_path / "project.toml"
        path.write_text(tomli_w.dumps(doc), encoding="utf-8")
        return path

    return _write


def squares(
    centres: list[tuple[float, float]], side: float, crs: str = "EPSG:2154", **cols: list[Any]
) -> gpd.GeoDataFrame:
    """Axis-aligned squares of ``side`` metres around ``centres`` (a sites layer)."""
    h = side / 2
    geoms = [shapely.box(x - h, y - h, x + h, y + h) for x, y in centres]
    ids = cols.pop("site_id", [f"s{i}" for i in range(len(centres))])
    return gpd.GeoDataFrame({"site_id": ids, **cols}, geometry=geoms, crs=crs)


def sample_without(tmp_path: Path, role: str) -> Path:
    """A copy of the sample project without its layers of ``role`` (e.g. no fibre)."""
    import shutil
    import tomllib

    folder = tmp_path / f"sample-without-{role}"
    shutil.copytree(SAMPLE_PROJECT.parent, folder)
    path = folder / "project.toml"
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    doc["layers"] = [lyr for lyr in doc["layers"] if lyr["role"] != role]
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path
