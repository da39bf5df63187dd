"""The Windows installer scripts and the frozen bundle's self-test.

The slow test builds the PyInstaller bundle (about 2 minutes) and runs
``siteassess --self-test`` with an empty environment: CI runs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import build_installer as bi

ROOT = Path(__file__).resolve().parents[1]


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        msg = f"{tool} is not installed (Debian: see .ci/apt-packages.txt)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg + "; CI must have it")
        pytest.skip(msg)
    return path


@pytest.fixture
def fake_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny stand-in bundle, to check the installer scripts compile."""
    bundle = tmp_path / "siteassess"
    (bundle / "_internal" / "sample_sites").mkdir(parents=True)
    (bundle / "siteassess.exe").write_bytes(b"MZ stand-in")
    (bundle / "_internal" / "sample_sites" / "project.toml").write_text("schema = 1\n")
    monkeypatch.setattr(bi, "DIST", tmp_path / "dist")
    monkeypatch.setattr(bi, "BUILD", tmp_path / "build")
    return bundle


def test_the_generated_spec_is_python() -> None:
    compile(bi.spec_text(), "siteassess.spec", "exec")
    spec = bi.spec_text()
    for needed in (
        "collect_submodules(pkg)",
        '"rasterio", "pyogrio"',
        "sample_sites",
        "resources",
        'collect_data_files("xstatic")',
    ):
        assert needed in spec


def test_inno_setup_script_is_per_user_with_shortcut_and_open_with(tmp_path: Path) -> None:
    text = bi.inno_script(tmp_path / "bundle", tmp_path / "out")
    assert "PrivilegesRequired=lowest" in text  # no administrator rights
    assert "{userprograms}\\siteassess" in text  # Start-menu shortcut
    assert ".toml\\OpenWithProgids" in text and "uninsdeletevalue" in text
    assert f"AppVersion={bi.version()}" in text and "French.isl" in text


def test_nsis_builds_a_windows_setup(fake_bundle: Path) -> None:
    _require("makensis")
    setup = bi.build_nsis(fake_bundle)
    assert setup.read_bytes()[:2] == b"MZ"  # a Windows executable
    script = (bi.BUILD / "siteassess.nsi").read_text(encoding="utf-8-sig")
    assert "RequestExecutionLevel user" in script and 'Section "Uninstall"' in script
    assert "$SMPROGRAMS" in script and "OpenWithProgids" in script


def test_wixl_builds_a_per_user_msi(fake_bundle: Path) -> None:
    _require("wixl")
    msi = bi.build_msi(fake_bundle)
    assert msi.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # OLE compound file
    wxs = ET.parse(bi.BUILD / "siteassess.wxs").getroot()
    ns = {"w": "http://schemas.microsoft.com/wix/2006/wi"}
    assert wxs.find(".//w:Package", ns).get("InstallScope") == "perUser"  # type: ignore[union-attr]
    assert wxs.find(".//w:Shortcut", ns) is not None
    sources = {f.get("Source") for f in wxs.findall(".//w:File", ns)}
    assert sources == {"siteassess.exe", "_internal/sample_sites/project.toml"}


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="the Windows runner workflow does this")
def test_frozen_bundle_passes_its_self_test_with_an_empty_environment(tmp_path: Path) -> None:
    dist, work = tmp_path / "dist", tmp_path / "work"
    build = subprocess.run(
        [
            sys.executable,
            str(ROOT / "build_installer.py"),
            "--bundle-only",
            "--dist",
            str(dist),
            "--work",
            str(work),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    bundle = dist / "siteassess"
    assert bi.folder_mb(bundle) < bi.MAX_BUNDLE_MB
    env = {}
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to sandbox as root; set for this test only, never by the app.
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = "--no-sandbox"
    run = subprocess.run(
        [str(bundle / "siteassess"), "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    for step in (
        "load the sample project",
        "score it",
        "write a PDF site report",
        "render the map offscreen",
    ):
        assert f"ok    {step}" in run.stdout
    assert "frozen: True" in run.stdout and "self-test passed" in run.stdout
