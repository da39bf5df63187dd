"""Partitioned layers (issue 13 §1, §2): a folder or glob of per-département parcel files.

Small files follow the real schemas: the sites are a Cerema Cartofriches export (GeoJSON,
lon/lat; site_id, site_nom, site_statut, comm_nom, comm_insee, site_surface,
unite_fonciere_surface in m², l_idpar a list of 14-character parcel ids), the parcels
Etalab cadastre parcels (id of 14 characters: commune 5, prefixe 3, section 2, numero 4;
commune, prefixe, section, numero, contenance in m²), one file per département, and the
substations RTE's ODRÉ export (``;``-separated; Code poste, Nom poste, Etat, Tension (kV),
Longitude / Latitude poste (DD)).
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
import tomli_w
from pyproj import Transformer

from siteassess.cli import main
from siteassess.project import load_project
from siteassess.reports.tables import to_json
from siteassess.screening import screen

TO_LL = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)
X0, Y0 = 650_000.0, 6_900_000.0
DEPS = ("59", "62", "80", "02")
SITES_PER_DEP = 6
PARCEL_M = 120.0


def _parcel_id(dep: str, site: int, k: int) -> str:
    return f"{dep}{100 + site:03d}000AB{k:04d}"


def _parcels_of(dep_i: int, dep: str) -> gpd.GeoDataFrame:
    """A département's parcels: per site a row of 3 squares, plus 40 that no site names."""
    ids, geoms = [], []
    for s in range(SITES_PER_DEP):
        x, y = X0 + 30_000 * dep_i, Y0 + 8_000 * s
        for k in range(3):
            ids.append(_parcel_id(dep, s, k))
            geoms.append(shapely.box(x + PARCEL_M * k, y, x + PARCEL_M * (k + 1), y + PARCEL_M))
    for k in range(40):  # far from every site and never named
        ids.append(_parcel_id(dep, 90, k))
        x, y = X0 + 30_000 * dep_i + 200 * k, Y0 - 20_000
        geoms.append(shapely.box(x, y, x + 100, y + 100))
    return gpd.GeoDataFrame(
        {
            "id": ids,
            "commune": [i[:5] for i in ids],
            "prefixe": [i[5:8] for i in ids],
            "section": [i[8:10] for i in ids],
            "numero": [i[10:] for i in ids],
            "contenance": [int(PARCEL_M * PARCEL_M)] * len(ids),
        },
        geometry=geoms,
        crs="EPSG:2154",
    )


def _sites() -> dict:
    feats = []
    for d, dep in enumerate(DEPS):
        for s in range(SITES_PER_DEP):
            x, y = X0 + 30_000 * d + 1.5 * PARCEL_M, Y0 + 8_000 * s + PARCEL_M / 2
            lon, lat = TO_LL.transform(x, y)
            n = 1 + (s % 3)  # 1 to 3 parcels: outlines of different areas
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {
                        "site_id": f"{dep}_{s}",
                        "site_nom": f"Friche {dep} {s}",
                        "site_statut": "friche sans projet",
                        "comm_nom": "COMMUNE",
                        "comm_insee": f"{dep}{100 + s:03d}",
                        "site_surface": 20_000,
                        "unite_fonciere_surface": 20_000,
                        "l_idpar": [_parcel_id(dep, s, k) for k in range(n)],
                    },
                }
            )
    return {"type": "FeatureCollection", "features": feats}


def _postes(path: Path) -> None:
    lines = ["Code poste;Nom poste;Etat;Tension (kV);Longitude poste (DD);Latitude poste (DD)"]
    for i, (x, y, kv) in enumerate(
        [(X0, Y0 - 5_000, "400kV"), (X0 + 70_000, Y0 + 30_000, "225kV"), (X0 + 40_000, Y0, "63kV")]
    ):
        lon, lat = TO_LL.transform(x, y)
        lines.append(f"P{i};POSTE {i};EN EXPLOITATION;{kv};{lon:.6f};{lat:.6f}")
    path.write_text("\n".join(lines) + "\n", "utf-8")


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    """The sites, the substations, and the parcels both whole and per département."""
    (tmp_path / "sites.geojson").write_text(json.dumps(_sites()), "utf-8")
    _postes(tmp_path / "postes.csv")
    parts = [_parcels_of(i, d) for i, d in enumerate(DEPS)]
    for folder in ("gpkg", "parquet", "geojson"):
        (tmp_path / folder).mkdir()
    for d, gdf in zip(DEPS, parts, strict=True):
        gdf.to_file(tmp_path / "gpkg" / f"parcelles-{d}.gpkg", driver="GPKG")
        gdf.to_parquet(tmp_path / "parquet" / f"parcelles-{d}.parquet")
        gdf.to_crs(4326).to_file(tmp_path / "geojson" / f"cadastre-{d}-parcelles.json")
    whole = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs="EPSG:2154")
    whole.to_file(tmp_path / "parcelles.gpkg", driver="GPKG")
    whole.to_crs(4326).to_file(tmp_path / "cadastre-parcelles.json")  # as Etalab: lon/lat
    return tmp_path


def _project(folder: Path, parcels: str, **top: object) -> Path:
    doc = {
        "schema": 1,
        "name": "partitions",
        "demand_mw": 100,
        **top,
        "layers": [
            {"role": "sites", "path": "sites.geojson", "format": "cartofriches"},
            {"role": "substations", "path": "postes.csv", "format": "rte-odre"},
            {"role": "parcels", "path": parcels, "format": "etalab-cadastre"},
        ],
        "criteria": {"power": {"weight": 2, "min_kv": 63}, "land": {"weight": 1, "min_area_ha": 3}},
    }
    path = folder / f"project-{abs(hash(parcels))}.toml"
    path.write_text(tomli_w.dumps(doc), "utf-8")
    return path


def _table(path: Path) -> pd.DataFrame:
    return screen(load_project(path)).assessment.ranked()


@pytest.mark.parametrize(
    ("single", "parcels"),
    [
        ("parcelles.gpkg", "gpkg"),
        ("parcelles.gpkg", "parquet/*.parquet"),
        ("cadastre-parcelles.json", "geojson/cadastre-*.json"),  # lon/lat, as Etalab's
    ],
)
def test_partitioned_screen_equals_the_whole_file(
    inventory: Path, single: str, parcels: str
) -> None:
    whole = _table(_project(inventory, single))
    parted = screen(load_project(_project(inventory, parcels)))
    pd.testing.assert_frame_equal(parted.assessment.ranked(), whole)
    # Outlines from the named parcels: a site naming n parcels measures n × 1.44 ha.
    area = parted.assessment.measurements.measures["area_ha"]
    assert area["59_2"] == pytest.approx(3 * PARCEL_M**2 / 10_000)
    assert area["62_0"] == pytest.approx(PARCEL_M**2 / 10_000)
    lyr = next(x for x in parted.assessment.measurements.layers if x.spec.role == "parcels")
    # Only the parcels the sites name are kept: none of the 40 unnamed per département.
    named = sum(1 + (s % 3) for s in range(SITES_PER_DEP)) * len(DEPS)
    assert lyr.features == named
    assert len(lyr.provenance.partitions) == len(DEPS)
    assert all(len(p.sha256) == 64 for p in lyr.provenance.partitions)
    doc = json.loads(to_json(parted.assessment))
    listed = next(x for x in doc["layers"] if x["role"] == "parcels")["partitions"]
    assert [Path(p["path"]).name for p in listed] == sorted(Path(p["path"]).name for p in listed)
    assert sum(p["features"] for p in listed) == named
    assert sorted(Path(p.path).name for p in lyr.provenance.partitions)[0].endswith(
        ("-02.gpkg", "-02.parquet", "-02-parcelles.json")
    )


def test_partitions_run_on_a_local_dask_cluster(inventory: Path) -> None:
    distributed = pytest.importorskip("distributed")
    whole = _table(_project(inventory, "parcelles.gpkg"))
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        project = _project(inventory, "gpkg", compute={"scheduler": cluster.scheduler_address})
        assert load_project(project).scheduler == cluster.scheduler_address
        parted = _table(project)
        # The partitions were read by the cluster's workers.
        assert any("read_partition" in str(k) for k in client.run_on_scheduler(_task_names))
    pd.testing.assert_frame_equal(parted, whole)


def _task_names(dask_scheduler: object) -> list[str]:
    return [str(k) for k in dask_scheduler.task_prefixes]  # type: ignore[attr-defined]


def _screen_cli(project: Path, tmp: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["screen", str(project), "--output", str(tmp / "out.csv")])
    return code, capsys.readouterr().err


def test_empty_folder_and_glob_matching_nothing_are_refused(
    inventory: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (inventory / "empty").mkdir()
    code, err = _screen_cli(_project(inventory, "empty"), inventory, capsys)
    assert code == 2
    assert "empty holds no partition file" in err
    code, err = _screen_cli(_project(inventory, "gpkg/cadastre-*.gpkg"), inventory, capsys)
    assert code == 2
    assert "cadastre-*.gpkg matches no file" in err


def test_partitions_in_different_crs_or_schema_are_refused(
    inventory: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = inventory / "gpkg" / "parcelles-62.gpkg"
    gpd.read_file(odd).to_crs(3857).to_file(odd, driver="GPKG")
    code, err = _screen_cli(_project(inventory, "gpkg"), inventory, capsys)
    assert code == 2
    assert "different CRSs" in err and "parcelles-62.gpkg" in err
    _parcels_of(1, "62").drop(columns=["prefixe"]).to_file(odd, driver="GPKG")
    code, err = _screen_cli(_project(inventory, "gpkg"), inventory, capsys)
    assert code == 2
    assert "parcelles-62.gpkg has no column 'prefixe'" in err


def test_an_unreadable_partition_is_named(
    inventory: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = inventory / "gpkg" / "parcelles-80.gpkg"
    bad.write_bytes(bad.read_bytes()[:3000])  # truncated
    code, err = _screen_cli(_project(inventory, "gpkg"), inventory, capsys)
    assert code == 2
    assert "parcelles-80.gpkg" in err
    assert "Traceback" not in err


def test_a_partition_named_like_another_format_is_refused(
    inventory: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GDAL safety applies to each partition: a VRT-like XML named .gpkg is not opened.
    (inventory / "gpkg" / "parcelles-99.gpkg").write_text(
        '<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>'
        "/vsicurl/http://example.invalid/x.gpkg</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>",
        "utf-8",
    )
    code, err = _screen_cli(_project(inventory, "gpkg"), inventory, capsys)
    assert code == 2
    assert "parcelles-99.gpkg" in err


def test_parcel_ids_are_the_sites_ones() -> None:
    # The id scheme of the fixture is the Etalab one (14 characters).
    assert all(len(_parcel_id(d, s, 0)) == 14 for d in DEPS for s in range(SITES_PER_DEP))
    assert np.unique([_parcel_id("59", s, k) for s in range(6) for k in range(3)]).size == 18


def test_the_command_line_scheduler_runs_the_partitions_on_that_cluster(
    inventory: Path, tmp_path: Path
) -> None:
    """``screen --scheduler ADDRESS`` overrides the project (which names none)."""
    distributed = pytest.importorskip("distributed")
    from siteassess.cli import main

    whole, out = tmp_path / "whole.json", tmp_path / "parted.json"
    assert main(["screen", str(_project(inventory, "parcelles.gpkg")), "--output", str(whole)]) == 0
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        project = _project(inventory, "gpkg")
        args = ["screen", str(project), "--scheduler", cluster.scheduler_address]
        assert main([*args, "--output", str(out)]) == 0
        assert any("read_partition" in str(k) for k in client.run_on_scheduler(_task_names))
    sites = [(s["id"], s["score"]) for s in json.loads(out.read_text("utf-8"))["sites"]]
    assert sites == [(s["id"], s["score"]) for s in json.loads(whole.read_text("utf-8"))["sites"]]


@pytest.mark.parametrize("address", ["localhost:1", "tcp://127.0.0.1:9"])
def test_a_bad_or_unreachable_scheduler_is_exit_2_with_the_address(
    inventory: Path, tmp_path: Path, address: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("distributed")
    from siteassess.cli import main

    out = tmp_path / "out.csv"
    args = ["screen", str(_project(inventory, "gpkg")), "--scheduler", address]
    assert main([*args, "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert address in err and "Traceback" not in err
    assert not out.exists()
