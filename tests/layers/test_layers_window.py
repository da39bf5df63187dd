"""Windowed reading: nearest-feature layers are read only within the margin of the sites."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from pyproj import Transformer
from shapely.geometry import Point

from siteassess.layers import open_layer, open_sites
from siteassess.project import Project

TO_LONLAT = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)
# The valid sites span x 705,000-708,300 and y 7,030,000-7,030,500 (conftest fixtures).
SITES_BOUNDS = (705_000.0, 7_030_000.0, 708_300.0, 7_030_500.0)
# (name, x, y, kV) in Lambert-93: two near the sites, two 200 km away, one 49 km east.
POSTES = [
    ("NEAR-1", 707_000.0, 7_035_000.0, "400kV"),
    ("NEAR-2", 700_000.0, 7_025_000.0, "225kV"),
    ("EDGE-49KM", 708_300.0 + 49_000.0, 7_030_000.0, "63kV"),
    ("FAR-SOUTH", 707_000.0, 7_030_000.0 - 200_000.0, "400kV"),
    ("FAR-WEST", 705_000.0 - 200_000.0, 7_030_250.0, "225kV"),
]
NEAR_50KM = {"NEAR-1", "NEAR-2", "EDGE-49KM"}


def _postes_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"nom": [p[0] for p in POSTES], "tension": [p[3] for p in POSTES]},
        geometry=[Point(p[1], p[2]) for p in POSTES],
        crs="EPSG:2154",
    )


def _write_gpkg(folder: Path) -> dict[str, Any]:
    _postes_frame().to_file(folder / "postes.gpkg", layer="postes")
    return {"path": "postes.gpkg"}


def _write_geojson_lonlat(folder: Path) -> dict[str, Any]:
    _postes_frame().to_crs(4326).to_file(folder / "postes.geojson")
    return {"path": "postes.geojson"}


def _write_parquet(folder: Path) -> dict[str, Any]:
    _postes_frame().to_parquet(folder / "postes.parquet")
    return {"path": "postes.parquet"}


def _write_fgb(folder: Path) -> dict[str, Any]:
    _postes_frame().to_file(folder / "postes.fgb")
    return {"path": "postes.fgb"}


def _write_csv_lonlat(folder: Path) -> dict[str, Any]:
    lines = ["nom;tension;lon;lat"]
    for name, x, y, kv in POSTES:
        lon, lat = TO_LONLAT.transform(x, y)
        lines.append(f"{name};{kv};{lon!r};{lat!r}".replace(".", ","))
    (folder / "postes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"path": "postes.csv", "x_field": "lon", "y_field": "lat", "crs": "EPSG:4326"}


WRITERS: dict[str, Callable[[Path], dict[str, Any]]] = {
    "gpkg": _write_gpkg,
    "geojson-lonlat": _write_geojson_lonlat,
    "geoparquet": _write_parquet,
    "flatgeobuf": _write_fgb,
    "csv-lonlat": _write_csv_lonlat,
}


@pytest.fixture(params=sorted(WRITERS))
def postes_project(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sites_layer: dict[str, Any],
    make_project: Callable[..., Project],
) -> Callable[..., Project]:
    keys = WRITERS[request.param](tmp_path)

    def make(**top: Any) -> Project:
        return make_project([sites_layer, {"role": "substations", **keys}], **top)

    return make


def test_default_margin_reads_only_the_postes_within_50_km(
    postes_project: Callable[..., Project],
) -> None:
    project = postes_project()
    sites, working = open_sites(project)
    assert sites.extent == pytest.approx(SITES_BOUNDS)
    layer = open_layer(project.layers_of("substations")[0], project, working, sites.extent)

    assert set(layer.frame()["name"]) == NEAR_50KM
    assert layer.features == 3
    assert layer.margin_m == 50_000.0
    x0, y0, x1, y1 = SITES_BOUNDS
    assert layer.read_bounds == pytest.approx((x0 - 50e3, y0 - 50e3, x1 + 50e3, y1 + 50e3))
    # kv parsed from the file's tension column; no importer state: in service
    kv = dict(zip(layer.frame()["name"], layer.frame()["kv"], strict=True))
    assert kv == {"NEAR-1": 400.0, "NEAR-2": 225.0, "EDGE-49KM": 63.0}
    assert set(layer.frame()["state"]) == {"in_service"}


def test_full_read_gives_every_poste(postes_project: Callable[..., Project]) -> None:
    project = postes_project()
    sites, working = open_sites(project)
    spec = project.layers_of("substations")[0]
    layer = open_layer(spec, project, working, sites.extent, full=True)
    assert set(layer.frame()["name"]) == {p[0] for p in POSTES}
    assert layer.read_bounds is None
    assert layer.margin_m is None


def test_project_margin_widens_and_narrows_the_window(
    postes_project: Callable[..., Project],
) -> None:
    for margin, expected in [
        (250_000, {p[0] for p in POSTES}),
        (10_000, {"NEAR-1", "NEAR-2"}),
    ]:
        project = postes_project(read_margin_m=margin)
        sites, working = open_sites(project)
        layer = open_layer(project.layers_of("substations")[0], project, working, sites.extent)
        assert set(layer.frame()["name"]) == expected, margin
        assert layer.margin_m == margin


def test_nothing_within_the_window_is_an_info_issue_not_an_error(
    postes_project: Callable[..., Project],
) -> None:
    project = postes_project(read_margin_m=1_000)
    sites, working = open_sites(project)
    layer = open_layer(project.layers_of("substations")[0], project, working, sites.extent)
    assert layer.features == 0
    notes = [i for i in layer.issues if "no feature within" in i.message]
    assert len(notes) == 1 and notes[0].severity == "info"
    assert "1 km" in notes[0].message


def test_exchanges_are_never_windowed(
    tmp_path: Path, sites_layer: dict[str, Any], make_project: Callable[..., Project]
) -> None:
    # FLAP exchanges are hundreds of km away: they must all be read.
    (tmp_path / "ix.csv").write_text(
        "name,market,lon,lat\n"
        "Equinix PA2,paris,2.357,48.904\n"
        "Telehouse North,LONDON,-0.0017,51.5115\n",
        encoding="utf-8",
    )
    layer_keys = {"role": "exchanges", "path": "ix.csv", "crs": "EPSG:4326"}
    project = make_project([sites_layer, layer_keys])
    sites, working = open_sites(project)
    layer = open_layer(project.layers_of("exchanges")[0], project, working, sites.extent)
    assert layer.read_bounds is None
    assert layer.frame()["market"].tolist() == ["Paris", "London"]


# ------------------------------------------------------------ tables: points only in the window


def test_a_windowed_table_makes_points_only_for_the_rows_in_the_window(
    tmp_path: Path,
    sites_layer: dict[str, Any],
    make_project: Callable[..., Project],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A point per row costs about four times its text: the far rows never get one, and
    the row with no coordinates is still reported out of every row of the file."""
    import shapely

    from siteassess.layers import readers

    keys = _write_csv_lonlat(tmp_path)
    with (tmp_path / "postes.csv").open("a", encoding="utf-8") as fh:
        fh.write("BLANK;63kV;;\n")
    made: list[int] = []
    real_points = shapely.points

    def counting(x: Any, *args: Any, **kw: Any) -> Any:
        made.append(len(x))
        return real_points(x, *args, **kw)

    monkeypatch.setattr(readers.shapely, "points", counting)
    project = make_project([sites_layer, {"role": "substations", **keys}])
    sites, working = open_sites(project)
    layer = open_layer(project.layers_of("substations")[0], project, working, sites.extent)

    assert set(layer.frame()["name"]) == NEAR_50KM
    assert made == [len(NEAR_50KM) + 1]  # the three near postes and the blank row
    assert layer.provenance.rows_read == len(POSTES) + 1
    blank = [i for i in layer.issues if i.reason.code == "no_coordinates"]
    assert len(blank) == 1 and blank[0].count == 1
    assert blank[0].reason.value_map["total"] == len(POSTES) + 1
    assert "BLANK" in str(blank[0].reason.value_map["named"])


def test_a_windowed_table_with_lon_and_lat_swapped_is_still_refused(
    tmp_path: Path, sites_layer: dict[str, Any], make_project: Callable[..., Project]
) -> None:
    """No row lies in the window: every row is kept, so the swapped check still sees them."""
    from siteassess.errors import SiteAssessError

    lines = ["nom;tension;lon;lat"]
    for name, x, y, kv in POSTES:
        lon, lat = TO_LONLAT.transform(x, y)
        lines.append(f"{name};{kv};{lat!r};{lon!r}")  # swapped
    (tmp_path / "postes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    spec = {"path": "postes.csv", "x_field": "lon", "y_field": "lat", "crs": "EPSG:4326"}
    project = make_project([sites_layer, {"role": "substations", **spec}])
    sites, working = open_sites(project)
    with pytest.raises(SiteAssessError, match="swapped"):
        open_layer(project.layers_of("substations")[0], project, working, sites.extent)
