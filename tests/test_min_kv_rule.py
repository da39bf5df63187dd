"""The sample follows the minimum-voltage rule; a lower ``min_kv`` is warned about."""

from __future__ import annotations

import shutil
from pathlib import Path

from siteassess.assessment import assess
from siteassess.cli import main
from siteassess.criteria.power import default_min_kv, min_kv_warning
from siteassess.project import load_project


def _lowered(sample_project: Path, tmp_path: Path, kv: float) -> Path:
    text = sample_project.read_text(encoding="utf-8")
    text = text.replace(
        "[criteria.power]\nweight = 40\n", f"[criteria.power]\nweight = 40\nmin_kv = {kv:g}\n"
    )
    # A copy of the sample folder, so the project's relative layer paths still resolve and
    # nothing is written into the repository.
    folder = tmp_path / "sample"
    if not folder.exists():
        shutil.copytree(sample_project.parent, folder)
    path = folder / f"min_kv_{kv:g}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_sample_follows_the_rule_and_escaudain_leads(sample_project: Path) -> None:
    a = assess(load_project(sample_project))
    assert a.measurements.params["power"]["min_kv"] == default_min_kv(700) == 400
    assert a.ranked().index[0] == "escaudain-soufflantes"
    assert not [i for i in a.issues if "min_kv" in i.message]


def test_a_lower_min_kv_is_warned_in_validate_and_the_assessment(
    sample_project: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    path = _lowered(sample_project, tmp_path, 225)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr()
    text = out.out + out.err
    assert "WARNING" in text and "min_kv = 225 kV is below the 400 kV a 700 MW campus" in text
    a = assess(load_project(path))
    assert any("below the 400 kV" in i.message for i in a.issues)
    # What the sample README says: with 225 kV, Douai ranks first (its poste on the site,
    # and the ILLUSTRATIVE heat network 0.6 km away), Escaudain second, Douvrin third.
    assert list(a.ranked().index[:3]) == [
        "douai-euradouai",
        "escaudain-soufflantes",
        "douvrin-fm-ouest",
    ]


def test_the_rule_itself() -> None:
    assert min_kv_warning(225, 700) is not None
    assert min_kv_warning(400, 700) is None
    assert min_kv_warning(63, 30) is None and min_kv_warning(63, 100) is not None
    assert min_kv_warning(None, 700) is None and min_kv_warning(225, None) is None
