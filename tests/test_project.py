"""The project file: contract keys, strict checking, round trip, atomic save."""

from __future__ import annotations

import os
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from siteassess.errors import ProjectError
from siteassess.project import (
    CriterionSettings,
    WeightSettings,
    load_project,
    project_to_dict,
    save_project,
)
from siteassess.project_checks import open_project


def test_sample_project_reads_the_contract_keys(sample_project: Path) -> None:
    p = load_project(sample_project)
    assert p.schema == 1
    assert p.crs == "EPSG:2154"
    assert p.demand_mw == 700
    roles = ["sites", "substations", "exchanges", "flood", "fibre", "context"]
    roles += ["grid_capacity", "heat_network", "zoning", "context"]
    assert [s.role for s in p.layers] == roles
    sites = p.layers_of("sites")[0]
    assert (sites.id_field, sites.name_field) == ("site_id", "name")
    ex = p.layers_of("exchanges")[0]
    assert (ex.x_field, ex.y_field, ex.crs, ex.market_field) == (
        "lon",
        "lat",
        "EPSG:4326",
        "market",
    )
    assert p.layers_of("substations")[0].format == "rte-odre"
    power = p.criterion("power")
    # The sample follows the rule for its 700 MW demand (400 kV), not an override.
    assert power is not None and power.weight == 40 and "min_kv" not in power.params
    conn = p.criterion("connectivity")
    assert conn is not None and conn.params["route_factor"] == 1.4
    assert p.resolve(sites) == sample_project.parent.resolve() / "sites.geojson"


def test_load_save_load_gives_the_same_project(sample_project: Path, tmp_path: Path) -> None:
    p = load_project(sample_project)
    out = save_project(p, tmp_path / "copy.toml")
    q = load_project(out)
    assert replace(q, path=None) == replace(p, path=None)
    # The saved document holds the same keys and values as the file it came from.
    original = tomllib.loads(sample_project.read_text(encoding="utf-8"))
    assert tomllib.loads(out.read_text(encoding="utf-8")) == original
    # And saving again is byte-for-byte stable.
    again = save_project(q, tmp_path / "again.toml")
    assert again.read_bytes() == out.read_bytes()


def test_round_trip_keeps_ahp_sensitivity_and_transforms(tmp_path: Path) -> None:
    text = """
schema = 1
name = "AHP"
missing = "renormalise"
read_margin_m = 20000
repair_geometry = false

[[layers]]
role = "sites"
path = "s.geojson"

[criteria.power]
weight = 1
min_kv = 400
include_authorised = true
transform = { kind = "piecewise", points = [[0, 1], [5000, 0.5], [20000, 0]] }

[criteria.land]
weight = 1
measure = "area_ha"
transform = { kind = "linear", best = 60, worst = 10 }

[weights]
method = "ahp"
criteria = ["power", "land"]
matrix = [[1, 3], [0.3333333333333333, 1]]

[sensitivity]
draws = 200
spread = 0.1
seed = 7
"""
    f = tmp_path / "p.toml"
    f.write_text(text, encoding="utf-8")
    p = load_project(f)
    assert p.weights == WeightSettings(
        method="ahp", criteria=("power", "land"), matrix=((1.0, 3.0), (1 / 3, 1.0))
    )
    assert p.sensitivity is not None and p.sensitivity.draws == 200
    power = p.criterion("power")
    assert power is not None and power.transform is not None
    assert power.transform.points == ((0.0, 1.0), (5000.0, 0.5), (20000.0, 0.0))
    assert project_to_dict(p) == tomllib.loads(text)
    saved = save_project(p, tmp_path / "o.toml").read_text(encoding="utf-8")
    assert tomllib.loads(saved) == tomllib.loads(text)


@pytest.mark.parametrize(
    ("extra", "where", "key"),
    [
        ('colour = "red"\n', "project.toml", "colour"),
        ("[criteria.power]\nweight = 1\nminkv = 225\n", "[criteria.power]", "minkv"),
        (
            '[[layers]]\nrole = "flood"\npath = "f.gpkg"\nscenario_fild = "s"\n',
            "layers[1]",
            "scenario_fild",
        ),
    ],
)
def test_unknown_key_names_the_key_and_file(
    tmp_path: Path, extra: str, where: str, key: str
) -> None:
    head = 'schema = 1\nname = "x"\n'
    body = '[[layers]]\nrole = "sites"\npath = "s.geojson"\n'
    crit = "[criteria.land]\nweight = 1\n"
    if extra.startswith("[criteria"):
        text = head + body + extra
    elif extra.startswith("[[layers]]"):
        text = head + body + extra + crit
    else:
        text = head + extra + body + crit
    f = tmp_path / "project.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ProjectError) as e:
        open_project(f)  # parameters are checked against the criterion's registry
    msg = str(e.value)
    assert str(f.resolve()) in msg and key in msg and where in msg and "unknown key" in msg


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ('name = "x"\n', "missing key 'schema'"),
        ('schema = 2\nname = "x"\n', "schema = 2 is not supported"),
        (
            'schema = 1\nname = "x"\n[[layers]]\nrole = "roads"\npath = "r.shp"\n'
            "[criteria.land]\nweight = 1\n",
            "role = 'roads' is not known",
        ),
        (
            'schema = 1\nname = "x"\n[[layers]]\nrole = "sites"\npath = "s.shp"\n'
            "[criteria.wind]\nweight = 1\n",
            "unknown criterion 'wind'",
        ),
        (
            'schema = 1\nname = "x"\n[[layers]]\nrole = "sites"\npath = "s.shp"\n'
            "[criteria.land]\nweight = -1\n",
            "weight must be at least 0",
        ),
        (
            'schema = 1\nname = "x"\n[[layers]]\nrole = "flood"\npath = "s.shp"\n'
            "[criteria.land]\nweight = 1\n",
            'no layer has role = "sites"',
        ),
        (
            'schema = 1\nname = "x"\ndemand_mw = "lots"\n[[layers]]\nrole = "sites"\n'
            'path = "s.shp"\n[criteria.land]\nweight = 1\n',
            "demand_mw must be a number",
        ),
        ("schema = 1\nname = \n", "not valid TOML"),
        (
            'schema = 1\nname = "x"\n[[layers]]\nrole = "sites"\npath = "s.shp"\n'
            '[criteria.land]\nweight = 1\nmeasure = "height_m"\n',
            "measure = 'height_m'",
        ),
        (
            'schema = 1\nname = "x"\n[[layers]]\nrole = "sites"\npath = "s.shp"\n'
            '[criteria.flood]\nweight = 1\nexclude_scenario = "centennial"\n',
            "exclude_scenario = 'centennial'",
        ),
    ],
)
def test_bad_project_content_is_a_project_error(tmp_path: Path, text: str, expect: str) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ProjectError, match="bad.toml") as e:
        open_project(f)  # the structure (load_project), then the words (check_project)
    assert expect in str(e.value)


def test_missing_project_file(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="project file not found"):
        load_project(tmp_path / "nope.toml")


def test_save_is_atomic_and_a_failed_save_keeps_the_old_file(
    sample_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = load_project(sample_project)
    target = tmp_path / "project.toml"
    save_project(p, target)
    before = target.read_bytes()
    changed = replace(p, criteria=(CriterionSettings(name="land", weight=1.0),))

    def crash(self: Path, other: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", crash)
    with pytest.raises(OSError, match="No space left"):
        save_project(changed, target)
    assert target.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["project.toml"]  # no temporary file left


def test_with_weights_returns_new_direct_weights(sample_project: Path) -> None:
    p = load_project(sample_project).with_weights({"land": 50})
    assert {c.name: c.weight for c in p.criteria} == {
        "power": 40,
        "flood": 25,
        "connectivity": 25,
        "land": 50,
        "zoning": 5,
        "heat": 5,
        "natura2000": 5,
    }


def test_a_layer_source_can_be_given_in_french_too(sample_project: Path, tmp_path: Path) -> None:
    """``source_fr`` is the French text of ``source``: French output takes it, others not."""
    from siteassess.project import load_project, save_project

    project = load_project(sample_project)
    flood = project.layers_of("flood")[0]
    assert flood.source is not None and flood.source.startswith("ILLUSTRATIVE flood zones")
    assert flood.source_fr is not None and flood.source_fr.startswith("Zones inondables ILLUS")
    assert flood.is_illustrative
    every = [spec for spec in project.layers if spec.source]
    assert all(spec.source_fr for spec in every), "the sample gives every source in French"
    # saved and read again unchanged
    copy = tmp_path / "copy.toml"
    save_project(project, copy)
    assert load_project(copy).layers_of("flood")[0].source_fr == flood.source_fr
