"""Library warnings are recorded, not printed with the library's paths; ours still show."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

import siteassess
from siteassess import libwarnings


@pytest.fixture
def routed() -> Iterator[None]:
    libwarnings.route_library_warnings()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.showwarning = libwarnings._show
            yield
    finally:
        libwarnings.restore()


def test_a_library_warning_is_logged_without_its_path(
    routed: None, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    lib = "/opt/venv/lib/python3.11/site-packages/pyogrio/raw.py"
    with caplog.at_level(logging.INFO, logger="siteassess.library"):
        warnings.warn_explicit("More than one layer found in 'x.gpkg'", UserWarning, lib, 196)
        warnings.warn_explicit("overflow encountered in from_wkt", RuntimeWarning, lib, 310)
    assert capsys.readouterr().err == ""
    facts = libwarnings.recorded()
    assert facts["pyogrio UserWarning: More than one layer found in 'x.gpkg'"] >= 1
    assert facts["pyogrio RuntimeWarning: overflow encountered in from_wkt"] >= 1
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "More than one layer found" in logged and "site-packages" not in logged


def test_our_own_warnings_keep_pythons_display(
    routed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setitem(libwarnings._state, "original", lambda m, *a: shown.append(str(m)))
    ours = str(Path(siteassess.__file__).parent / "assessment.py")
    warnings.warn_explicit("a warning of ours", UserWarning, ours, 1)
    assert shown == ["a warning of ours"]
    assert not [f for f in libwarnings.recorded() if "a warning of ours" in f]


def test_routing_twice_keeps_the_original_to_restore() -> None:
    before = warnings.showwarning
    libwarnings.route_library_warnings()
    libwarnings.route_library_warnings()
    libwarnings.restore()
    assert warnings.showwarning is before
