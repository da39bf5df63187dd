"""What the command line prints never carries raw control characters from the data."""

from __future__ import annotations

from pathlib import Path

import tomli_w

from tests.bad_input.harness import SAMPLE, assert_refused, run_cli

ESC = "\x1b[31mRED\x1b[0m"
RAW = ("\x1b", "\x07", "\u202e")


def _named(tmp_path: Path, name: str) -> Path:
    import tomllib

    doc = tomllib.loads((SAMPLE / "project.toml").read_text(encoding="utf-8"))
    doc["name"] = name
    for layer in doc["layers"]:
        layer["path"] = str(SAMPLE / layer["path"])
    project = tmp_path / "project.toml"
    project.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return project


def test_an_error_naming_a_bad_site_id_escapes_it(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    ended = run_cli(["report", SAMPLE / "project.toml", "--site", ESC + "\u202e", "--output", out])
    assert_refused(ended, naming=["\\x1b[31mRED", "\\u202e"], outputs=[out], project_fault=False)
    assert not any(c in ended.err for c in RAW)


def test_validate_and_screen_print_a_hostile_project_name_escaped(tmp_path: Path) -> None:
    project = _named(tmp_path, "Friches " + ESC + "\x07\u202e")
    checked = run_cli(["validate", project])
    assert checked.code == 0, checked.err
    assert "name: Friches \\x1b[31mRED" in checked.out
    assert not any(c in checked.out + checked.err for c in RAW)
    screened = run_cli(["screen", project, "--output", tmp_path / "s.csv"])
    assert screened.code == 0, screened.err
    assert "Friches \\x1b[31mRED\\x1b[0m\\x07\\u202e: screened with" in screened.out
    assert not any(c in screened.out + screened.err for c in RAW)


def test_a_pdf_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    """compare --output onto the project file itself (which check_pdf_target lets through
    only when it ends in .pdf: so here the project is called project.pdf)."""
    project = _named(tmp_path, "x")
    as_pdf = project.with_suffix(".pdf")
    project.rename(as_pdf)
    before = as_pdf.read_bytes()
    ended = run_cli(["compare", as_pdf, "--output", as_pdf])
    assert ended.code == 2 and "Traceback" not in ended.err, ended.err
    assert str(as_pdf) in ended.err
    assert as_pdf.read_bytes() == before


def test_screen_says_which_layers_are_illustrative(tmp_path: Path) -> None:
    ended = run_cli(["screen", SAMPLE / "project.toml", "--output", tmp_path / "s.csv"])
    assert ended.code == 0, ended.err
    line = next(x for x in ended.out.splitlines() if "ILLUSTRATIVE" in x)
    assert "flood (flood_illustrative.geojson)" in line and "fibre (fibre_illustrative" in line
    assert "sites (sites.geojson)" not in line
