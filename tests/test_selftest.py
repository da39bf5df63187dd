"""``siteassess --self-test``: every failing step says FAIL, why, and how to fix it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from siteassess.selftest import sandbox_refusal

SANDBOX_VARS = ("QTWEBENGINE_DISABLE_SANDBOX", "QTWEBENGINE_CHROMIUM_FLAGS")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs to run as root")
def test_self_test_as_root_without_no_sandbox_prints_a_fail_line_and_exits_non_zero() -> None:
    # The Qt tests put --no-sandbox into this process's environment: the child must not
    # inherit it, or it would not be the planner's situation.
    env = {k: v for k, v in os.environ.items() if k not in SANDBOX_VARS}
    env["QT_QPA_PLATFORM"] = "offscreen"
    run = subprocess.run(
        [sys.executable, "-m", "siteassess", "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert run.returncode != 0, run.stdout
    for step in (
        "read CSV and GeoParquet with pyarrow",
        "load the sample project",
        "score it",
        "write a PDF site report",
    ):
        assert f"ok    {step}" in run.stdout
    fail = next(ln for ln in run.stdout.splitlines() if ln.startswith("  FAIL  "))
    assert fail.startswith(
        "  FAIL  render the map offscreen: Chromium (Qt WebEngine) refuses to run as root "
        "without --no-sandbox"
    )
    assert "as a normal user" in fail and "QTWEBENGINE_CHROMIUM_FLAGS=--no-sandbox" in fail
    assert "self-test FAILED (1)" in run.stdout
    # The app never turns the sandbox off by itself (Chromium would not have refused).
    assert "Running as root without --no-sandbox" not in run.stderr


def test_sandbox_refusal_only_as_root_and_only_without_the_users_choice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0, raising=False)
    assert sandbox_refusal({}) is not None
    assert sandbox_refusal({"QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox"}) is None
    assert sandbox_refusal({"QTWEBENGINE_CHROMIUM_FLAGS": "--disable-gpu"}) is not None
    assert sandbox_refusal({"QTWEBENGINE_DISABLE_SANDBOX": "0"}) is None  # set at all: off
    monkeypatch.setattr(os, "geteuid", lambda: 1000, raising=False)
    assert sandbox_refusal({}) is None
