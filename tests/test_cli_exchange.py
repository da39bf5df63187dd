"""``score``/``screen --format cnig-friches [--schema]``: the exchange file and its validation.

The CNIG files follow standard CNIG Friches v2023-12 / schema-friches v1.0.6 (see
tests/layers/cnig_files.py); the schema is our own of that version.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from siteassess.cli import main
from siteassess.layers.formats.cnig_fields import FIELDS
from tests.layers.cnig_files import (
    CNIG_SCHEMA,
    cnig_project,
    cnig_text,
    four_friches,
    write_cnig,
)


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_cnig(tmp_path / "friches.csv", four_friches())
    return cnig_project(tmp_path, "friches.csv")


def test_score_writes_a_valid_cnig_export(
    capsys: pytest.CaptureFixture[str], project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "classement.csv"
    code, _, err = run_cli(
        capsys, "score", str(project), "--output", str(out), "--format", "cnig-friches",
        "--schema", str(CNIG_SCHEMA),
    )  # fmt: skip
    assert code == 0, err
    assert f"{out}: valid against the Table Schema {CNIG_SCHEMA} (version 1.0.6): 4 rows" in err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 4 and rows[0]["siteassess_rank"] == "1"
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 without BOM


def test_without_a_schema_the_export_says_it_was_not_validated(
    capsys: pytest.CaptureFixture[str], project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "classement.csv"
    code, _, err = run_cli(
        capsys, "score", str(project), "--output", str(out), "--format", "cnig-friches"
    )
    assert code == 0 and out.is_file()
    assert f"{out}: NOT validated (no Table Schema given)" in err


def test_an_export_that_does_not_meet_the_schema_exits_2_naming_line_and_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rows = four_friches()
    rows[0]["urba_zaer"] = ""  # required since v1.0.6
    write_cnig(tmp_path / "friches.csv", rows)
    out = tmp_path / "classement.csv"
    code, _, err = run_cli(
        capsys, "screen", str(cnig_project(tmp_path, "friches.csv")), "--output", str(out),
        "--format", "cnig-friches", "--schema", str(CNIG_SCHEMA),
    )  # fmt: skip
    assert code == 2 and out.is_file()  # written: what the sites lack is not invented
    assert "NOT valid against the Table Schema" in err
    assert "(site 59205_12242), field urba_zaer: a value is required and the cell is empty" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--output", "x.xlsx", "--format", "cnig-friches"], "--format cnig-friches writes a CSV"),
        (["--output", "x.csv", "--schema", "s.json"], "--schema validates an exchange file"),
        (
            ["--output", "x.csv", "--format", "cnig-friches", "--schema", "nope.json"],
            "no such file",
        ),
    ],
)
def test_bad_exchange_options_exit_2_before_any_work(
    capsys: pytest.CaptureFixture[str], project: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    args = [str(tmp_path / a) if a.endswith((".csv", ".xlsx", ".json")) else a for a in args]
    code, _, err = run_cli(capsys, "score", str(project), *args)
    assert code == 2 and message in err
    assert not list(tmp_path.glob("x.*"))


def test_validate_checks_a_cnig_sites_file_against_the_schema(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A file written by others: columns in another order and one of its own are allowed."""
    rows = four_friches()
    for r in rows:
        r["observatoire_ref"] = "OBS-1"  # a producer's own column
    rows[3]["site_identif_date"] = "2022/10/10"
    columns = ("observatoire_ref", *reversed(FIELDS))
    (tmp_path / "friches.csv").write_text(cnig_text(rows, columns), encoding="utf-8")
    project = cnig_project(tmp_path, "friches.csv")
    code, out, err = run_cli(capsys, "validate", str(project), "--schema", str(CNIG_SCHEMA))
    assert code == 2
    assert "friches.csv: NOT valid against the Table Schema" in err
    assert (
        "line 5 (site 62276_11728), field site_identif_date: '2022/10/10' is not of the type"
    ) in err
    assert "1 problems in 4 rows" in err


def test_validate_names_a_missing_column_of_the_standard(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    columns = tuple(f for f in FIELDS if f != "urba_zaer")
    (tmp_path / "friches.csv").write_text(cnig_text(four_friches(), columns), encoding="utf-8")
    project = cnig_project(tmp_path, "friches.csv")
    code, _, err = run_cli(capsys, "validate", str(project), "--schema", str(CNIG_SCHEMA))
    assert code == 2 and "field urba_zaer: the column is missing from the file" in err


def test_validate_accepts_a_file_that_meets_the_schema(
    capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    code, _, err = run_cli(capsys, "validate", str(project), "--schema", str(CNIG_SCHEMA))
    assert code == 0, err
    assert "friches.csv: valid against the Table Schema" in err and ": 4 rows" in err
