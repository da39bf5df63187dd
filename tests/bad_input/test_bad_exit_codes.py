"""Bad input is exit 2, never exit 1, and ``validate`` refuses what ``score`` refuses.

Each case here used to end as "unexpected error" (exit 1) or pass ``validate`` and then
fail ``score``. ``assert_refused`` runs ``validate`` on every refused project as well.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from tests.bad_input.harness import (
    SAMPLE,
    assert_refused,
    project_file,
    run_cli,
    sample_sites_layer,
)

# The sample's sites lie within these Lambert-93 bounds (643796, 7022941, 730409, 7101565).
X0, Y1 = 630_000.0, 7_110_000.0
PIXEL = 100.0
SUBSTATIONS = {"role": "substations", "path": str(SAMPLE / "postes_rte_extrait.csv")}
WIDTH, HEIGHT = 1_100, 1_000


def _depth_raster(path: Path) -> Path:
    """A stripped, uncompressed float32 depth raster over the sample sites (4.4 MB)."""
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=WIDTH,
        height=HEIGHT,
        count=1,
        dtype="float32",
        crs="EPSG:2154",
        transform=from_origin(X0, Y1, PIXEL, PIXEL),
        nodata=-9999,
    ) as ds:
        ds.write(np.full((HEIGHT, WIDTH), 0.2, dtype="float32"), 1)
    return path


def _flood_project(tmp_path: Path, raster: Path, **layer: object) -> Path:
    return project_file(
        tmp_path,
        [sample_sites_layer(), {"role": "flood", "path": raster.name, **layer}],
        {"flood": {"weight": 1}, "land": {"weight": 1}},
    )


def test_a_truncated_geotiff_is_refused_when_its_pixels_are_read(tmp_path: Path) -> None:
    """The header reads; the pixels do not: measuring names the raster, exit 2."""
    raster = _depth_raster(tmp_path / "depth.tif")
    data = raster.read_bytes()
    raster.write_bytes(data[: len(data) // 3])
    project = _flood_project(tmp_path, raster, scenario="medium")
    out = tmp_path / "out.csv"
    ended = run_cli(["score", project, "--output", out])
    assert_refused(ended, naming=["depth.tif", "truncated or damaged"], outputs=[out])


def test_a_depth_raster_without_a_scenario_fails_validate_as_it_fails_score(
    tmp_path: Path,
) -> None:
    raster = _depth_raster(tmp_path / "depth.tif")
    project = _flood_project(tmp_path, raster)
    ended = run_cli(["score", project, "--output", tmp_path / "o.json"])
    assert_refused(ended, naming=["depth.tif", "scenario"], outputs=[tmp_path / "o.json"])


@pytest.mark.parametrize("separator", [";;", "", "\n", '"', "ab"])
def test_a_separator_must_be_one_character(tmp_path: Path, separator: str) -> None:
    project = project_file(
        tmp_path,
        [sample_sites_layer(), SUBSTATIONS],
        {"power": {"weight": 1}},
    )
    text = project.read_text(encoding="utf-8").replace(
        'path = "' + str(SAMPLE / "postes_rte_extrait.csv") + '"',
        'path = "'
        + str(SAMPLE / "postes_rte_extrait.csv")
        + '"\nseparator = '
        + repr(separator).replace("'", '"').replace('"""', '"\\""'),
    )
    project.write_text(text, encoding="utf-8")
    ended = run_cli(["score", project])
    assert_refused(ended, naming=[str(project.resolve()), "separator", "one character"])


@pytest.mark.parametrize(
    ("draws", "words"),
    [
        ("1000000000", "from 0 to 100,000"),
        ("100001", "from 0 to 100,000"),
        ("1e9", "whole number"),
        ("-1", "whole number"),
        ("10.5", "whole number"),
        ('"many"', "whole number"),
        ("true", "whole number"),
    ],
)
def test_sensitivity_draws_are_bounded(tmp_path: Path, draws: str, words: str) -> None:
    project = project_file(tmp_path, [sample_sites_layer()])
    project.write_text(
        project.read_text(encoding="utf-8") + f"\n[sensitivity]\ndraws = {draws}\n",
        encoding="utf-8",
    )
    ended = run_cli(["score", project], timeout=30)
    assert_refused(ended, naming=[str(project.resolve()), "draws", words])


@pytest.mark.parametrize(
    "nesting",
    [
        lambda n: "x = " + "[" * n + "]" * n,
        lambda n: "x = " + "{a = " * n + "1" + "}" * n,
    ],
    ids=["arrays", "inline-tables"],
)
def test_deeply_nested_toml_is_refused(tmp_path: Path, nesting: Callable[[int], str]) -> None:
    project = tmp_path / "project.toml"
    project.write_text(nesting(100_000) + "\n", encoding="utf-8")
    ended = run_cli(["score", project])
    assert_refused(ended, naming=[str(project.resolve()), "nested too deeply"])


def test_a_wkt_point_beyond_float_range_is_refused(tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text(
        "id;name;wkt\na;Alpha;POINT (3.3 50.3)\nb;Beta;POINT (1e400 1e400)\n", encoding="utf-8"
    )
    project = project_file(
        tmp_path,
        [{"role": "sites", "path": "sites.csv", "wkt_field": "wkt", "crs": "EPSG:4326"}],
    )
    ended = run_cli(["score", project])
    text = ended.err + ended.out
    # Reported as a data issue naming the row, that site skipped; the other is scored.
    assert ended.code == 0 and "Traceback" not in text, text[-2000:]
    assert "sites.csv" in text and "id b" in text and "not finite" in text, text[-2000:]
    assert "Alpha" in ended.out and "Beta" not in ended.out
    assert "RuntimeWarning" not in ended.err and "site-packages" not in ended.err


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"min_kv": "high"}, ["min_kv", "high"]),
        ({"min_kv": -63}, ["min_kv", "-63"]),
        ({"full_cost_distance_m": -5}, ["full_cost_distance_m", "-5"]),
        ({"include_authorised": "yes"}, ["include_authorised", "yes"]),
        ({"search_radius_km": 10}, ["search_radius_km", "unknown"]),
    ],
    ids=["min-kv-text", "min-kv-negative", "cost-distance-negative", "authorised-text", "unknown"],
)
def test_criterion_parameters_fail_validate_as_they_fail_score(
    tmp_path: Path, params: dict[str, object], words: list[str]
) -> None:
    project = project_file(
        tmp_path,
        [sample_sites_layer(), SUBSTATIONS],
        {"power": {"weight": 1, **params}},
    )
    ended = run_cli(["score", project])
    assert_refused(ended, naming=words)


def test_a_bad_value_function_fails_validate_as_it_fails_score(tmp_path: Path) -> None:
    project = project_file(
        tmp_path,
        [sample_sites_layer()],
        {"land": {"weight": 1, "transform": {"kind": "linear", "best": 10, "worst": 10}}},
    )
    ended = run_cli(["score", project])
    assert_refused(ended, naming=["land", "best", "worst"])
