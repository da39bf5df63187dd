"""Windows: site ids that name devices never become report file names."""

from __future__ import annotations

import pytest

from siteassess.reports.pdf.selection import file_name_for


@pytest.mark.parametrize("site_id", ["CON", "nul", "Com1", "LPT9", "aux", "PRN", "COM1.old"])
def test_reserved_device_names_are_not_written(site_id: str) -> None:
    name = file_name_for(site_id, set())
    stem = name.split(".")[0].upper()
    assert stem not in {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10))}
    assert stem not in {f"LPT{i}" for i in range(10)}
    assert site_id in name  # still recognisable


def test_ordinary_names_keep_their_id() -> None:
    taken: set[str] = set()
    assert file_name_for("59205_12242", taken) == "59205_12242.pdf"
    assert file_name_for("console", taken) == "console.pdf"
    assert file_name_for("a/b", taken) == "a_b.pdf"
