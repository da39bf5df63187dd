"""The Windows installer scripts and the frozen bundle's self-test.

The slow tests build the PyInstaller bundle once (``python dev.py build``: the build
environment ``.venv-build`` on Python 3.12+, about 40 s to make the first time, then about
a minute to build), run ``siteassess --self-test`` with an empty environment and look at
what the bundle holds. They skip when no Python 3.12+ is found, except under CI=true.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import build_installer as bi
import dev

ROOT = Path(__file__).resolve().parents[1]
# Minutes the slow tests may take, building included (pytest's default is 5).
BUILD_TIMEOUT_S = 1800


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
    (bundle / "siteassess-cli.exe").write_bytes(b"MZ stand-in")
    (bundle / "_internal" / "sample_sites" / "project.toml").write_text("schema = 1\n")
    monkeypatch.setattr(bi, "DIST", tmp_path / "dist")
    monkeypatch.setattr(bi, "BUILD", tmp_path / "build")
    return bundle


def ico_images(data: bytes) -> list[tuple[int, bytes]]:
    """The (size in pixels, image bytes) entries of an ICO file."""
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind) == (0, 1), "not an icon file"
    images = []
    for i in range(count):
        w, h, _colours, _res, _planes, bpp, size, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i
        )
        assert w == h and bpp == 32
        images.append((w or 256, data[offset : offset + size]))
    return images


def test_the_programs_icon_holds_every_size_windows_shows() -> None:
    images = dict(ico_images(bi.ICON.read_bytes()))
    assert sorted(images) == [16, 24, 32, 48, 256]
    assert images[256][:8] == b"\x89PNG\r\n\x1a\n"
    for size in (16, 24, 32, 48):
        # A 32-bit bitmap twice as high as wide (colour rows, then the AND mask).
        header = struct.unpack_from("<IiiHH", images[size], 0)
        assert header == (40, size, 2 * size, 1, 32)
        mask = ((size + 31) // 32) * 4 * size
        assert len(images[size]) == 40 + size * size * 4 + mask
        alpha = images[size][40 + 3 : 40 + size * size * 4 : 4]
        assert alpha[0] == 0 and max(alpha) == 255  # clear corners, opaque inside
    text = bi.inno_script(Path("bundle"), Path("out"))
    assert "SetupIconFile=" in text and text.count("siteassess.ico") == 1


def test_the_generated_spec_is_python() -> None:
    compile(bi.spec_text(), "siteassess.spec", "exec")
    spec = bi.spec_text()
    for needed in (
        "collect_submodules(pkg)",
        '"rasterio", "pyogrio"',
        "sample_sites",
        "resources",
        'collect_data_files("xstatic")',
        "unneeded_libraries(a.binaries, dropped)",
    ):
        assert needed in spec


@pytest.mark.parametrize(
    "plugin",
    [
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
        "PySide6/plugins/platformthemes/qxdgdesktopportal.dll",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
    ],
)
def test_platform_theme_and_print_plugins_are_left_out(plugin: str) -> None:
    assert bi.PLUGIN_DROP.search(plugin)


@pytest.mark.parametrize(
    "plugin",
    ["PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqoffscreen.so"],
)
def test_the_platforms_the_app_runs_on_are_kept(plugin: str) -> None:
    assert not bi.PLUGIN_DROP.search(plugin)


def test_libraries_only_a_dropped_plugin_needs_are_left_out() -> None:
    # gtk3 theme -> libgtk-3 -> libcairo; the kept xcb platform needs libxcb and libX11,
    # as libgtk-3 does; libnssckbi is loaded by NSS at run time (no binary needs it).
    # libQt6Gui came with the wheel, not from the machine: never taken out here.
    qt_gui = str(Path(sys.prefix) / "lib" / "PySide6" / "Qt" / "lib" / "libQt6Gui.so.6")
    deps: dict[str, list[tuple[str, str | None]]] = {
        "/q/libqgtk3.so": [
            ("libgtk-3.so.0", "/h/libgtk-3.so.0"),
            ("libX11.so.6", "/h/libX11.so.6"),
            ("libQt6Gui.so.6", qt_gui),
        ],
        "/h/libgtk-3.so.0": [("libcairo.so.2", "/h/libcairo.so.2"), ("libX11.so.6", None)],
        "/q/libqxcb.so": [("libxcb.so.1", "/h/libxcb.so.1"), ("libX11.so.6", "/h/libX11.so.6")],
    }
    kept = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/q/libqxcb.so", "BINARY"),
        ("libgtk-3.so.0", "/h/libgtk-3.so.0", "BINARY"),
        ("libcairo.so.2", "/h/libcairo.so.2", "BINARY"),
        ("libX11.so.6", "/h/libX11.so.6", "BINARY"),
        ("libxcb.so.1", "/h/libxcb.so.1", "BINARY"),
        ("libnssckbi.so", "/h/libnssckbi.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", qt_gui, "BINARY"),
    ]
    dropped = [("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/q/libqgtk3.so", "BINARY")]
    orphans = bi.unneeded_libraries(kept, dropped, imports=lambda src: deps.get(src, []))
    assert orphans == {"libgtk-3.so.0", "libcairo.so.2"}


def test_desktop_host_libraries_are_found_in_a_bundle(tmp_path: Path) -> None:
    internal = tmp_path / "_internal"
    (internal / "PySide6/Qt/plugins/platformthemes").mkdir(parents=True)
    (internal / "PIL").mkdir()
    for name in (
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "libgdk_pixbuf-2.0.so.0",
        "libcups.so.2",
        "libavahi-client.so.3",
        "libX11.so.6",
        "PIL/_imagingtk.cpython-312-x86_64-linux-gnu.so",  # "gtk" inside a word: not GTK
    ):
        (internal / name).write_bytes(b"")
    assert bi.desktop_host_libraries(tmp_path) == [
        "_internal/PySide6/Qt/plugins/platformthemes",
        "_internal/PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "_internal/libavahi-client.so.3",
        "_internal/libcups.so.2",
        "_internal/libgdk_pixbuf-2.0.so.0",
    ]


def test_a_bundle_is_refused_below_python_3_12() -> None:
    for old in ((3, 11, 7), (3, 10, 0)):
        refusal = bi.python_refusal(old)
        assert refusal is not None
        assert "3.12" in refusal and "none_dealloc" in refusal and "dev.py build" in refusal
    assert bi.python_refusal((3, 12, 1)) is None
    assert bi.python_refusal((3, 13, 0)) is None


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="checks the refusal on Python 3.11")
def test_build_installer_refuses_to_build_a_bundle_on_this_python(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "build_installer.py"),
            "--bundle-only",
            "--dist",
            str(tmp_path / "dist"),
            "--work",
            str(tmp_path / "work"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode != 0
    assert "must be built with Python 3.12 or newer" in run.stderr
    assert not (tmp_path / "dist").exists()


def test_packaging_an_existing_bundle_runs_on_any_python(fake_bundle: Path) -> None:
    _require("makensis")
    dist = fake_bundle.parent / "out"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "build_installer.py"),
            "--installer",
            "nsis",
            "--from-bundle",
            str(fake_bundle),
            "--dist",
            str(dist),
            "--work",
            str(fake_bundle.parent / "work"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert next((dist / "installer").glob("siteassess-*-setup.exe")).read_bytes()[:2] == b"MZ"


def test_a_folder_that_is_not_a_windows_bundle_is_refused(tmp_path: Path) -> None:
    linux = tmp_path / "siteassess"
    (linux / "_internal").mkdir(parents=True)
    (linux / "siteassess").write_bytes(b"\x7fELF")  # what the Linux build makes
    assert bi.windows_bundle_missing(linux) == ["siteassess.exe", "siteassess-cli.exe"]
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "build_installer.py"),
            "--installer",
            "inno",
            "--from-bundle",
            str(linux),
            "--dist",
            str(tmp_path / "dist"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode != 0
    assert f"{linux} is not a Windows bundle: it has no siteassess.exe, siteassess-cli.exe" in (
        run.stderr
    )
    assert not (tmp_path / "dist").exists()


def test_the_build_python_found_is_3_12_or_newer() -> None:
    found = dev.find_build_python()
    if found is None:
        pytest.skip("no Python 3.12 or newer on this machine")
    version = subprocess.run(
        [str(found), "-c", "import sys; print(sys.version_info[:2] >= (3, 12))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.strip() == "True"


def test_an_interpreter_that_does_not_run_is_not_a_build_python(tmp_path: Path) -> None:
    assert dev._probe([str(tmp_path / "python3.12")], (3, 12)) is None  # absent
    assert dev._probe([sys.executable], (99, 0)) is None  # too old
    assert dev._probe([sys.executable], (3, 0)) == Path(sys.executable)


def test_inno_setup_script_is_per_user_with_shortcut_and_open_with(tmp_path: Path) -> None:
    text = bi.inno_script(tmp_path / "bundle", tmp_path / "out")
    assert "PrivilegesRequired=lowest" in text  # no administrator rights
    assert "{userprograms}\\siteassess" in text  # Start-menu shortcut
    assert ".toml\\OpenWithProgids" in text and "uninsdeletevalue" in text
    assert f"AppVersion={bi.version()}" in text and "French.isl" in text
    # {userpf} first; %LOCALAPPDATA%\Programs only where it is unknown (Wine 8).
    assert "DefaultDirName={code:UserProgramFiles}\\siteassess" in text
    assert "ExpandConstant('{userpf}')" in text
    assert "ExpandConstant('{localappdata}\\Programs')" in text


def test_paths_in_the_inno_script_are_the_ones_the_compiler_sees(tmp_path: Path) -> None:
    bundle = tmp_path / "a {b}" / "bundle"
    assert bi.windows_path(bundle, windows=False) == "Z:" + str(bundle).replace("/", "\\")
    assert bi.windows_path(Path("C:/x/y"), windows=True) == str(Path("C:/x/y"))
    text = bi.inno_script(bundle, tmp_path / "out")
    if sys.platform != "win32":
        # Under Wine the Unix root is Z:; a brace would start an Inno Setup constant.
        src = "Z:" + str(tmp_path).replace("/", "\\") + "\\a {{b}\\bundle\\*"
        assert f'Source: "{src}"' in text
        assert "OutputDir=Z:" + str(tmp_path / "out").replace("/", "\\") + "\n" in text


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
    assert sources == {
        "siteassess.exe",
        "siteassess-cli.exe",
        "_internal/sample_sites/project.toml",
    }
    # msiexec installs only the components a feature holds: the shortcuts and the "Open
    # with" entries were once left out this way.
    components = {c.get("Id") for c in wxs.findall(".//w:Component", ns)}
    feature = {r.get("Id") for r in wxs.findall(".//w:Feature/w:ComponentRef", ns)}
    assert components == feature and len(components) == 4
    install_dir = wxs.find(".//w:Directory[@Id='INSTALLDIR']", ns)
    path = [d.get("Name") for d in wxs.iter(f"{{{ns['w']}}}Directory") if install_dir in list(d)]
    assert path == ["Programs"]  # %LOCALAPPDATA%\Programs\siteassess, as the other installers


@pytest.fixture(scope="module")
def frozen_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundle, built once for this module by ``python dev.py build`` (Python 3.12+)."""
    if sys.platform == "win32":
        pytest.skip("the Windows runner workflow builds and tests the Windows bundle")
    if dev.find_build_python() is None:
        msg = "no Python 3.12 or newer found (PATH, pyenv) to build the bundle with"
        if os.environ.get("CI") == "true":
            pytest.fail(msg + "; CI must have one")
        pytest.skip(msg)
    out = tmp_path_factory.mktemp("bundle")
    t0 = time.perf_counter()
    build = subprocess.run(
        [
            sys.executable,
            str(ROOT / "dev.py"),
            "build",
            "--bundle-only",
            "--dist",
            str(out / "dist"),
            "--work",
            str(out / "work"),
        ],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S - 300,
        check=False,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    print(f"build venv and bundle: {time.perf_counter() - t0:.0f} s")
    return out / "dist" / "siteassess"


@pytest.mark.slow
@pytest.mark.timeout(BUILD_TIMEOUT_S)
def test_frozen_bundle_passes_its_self_test_with_an_empty_environment(
    frozen_bundle: Path, tmp_path: Path
) -> None:
    bundle = frozen_bundle
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
        "read CSV and GeoParquet with pyarrow",
        "load the sample project",
        "score it",
        "write a PDF site report",
        "render the map offscreen",
    ):
        assert f"ok    {step}" in run.stdout
    assert "frozen: True" in run.stdout and "self-test passed" in run.stdout


@pytest.mark.slow
@pytest.mark.timeout(BUILD_TIMEOUT_S)
def test_bundle_holds_no_platform_theme_and_no_desktop_host_library(frozen_bundle: Path) -> None:
    # Written out here rather than reusing the build's own check, so that a change to it
    # cannot hide what this test looks for.
    files = [p.relative_to(frozen_bundle).as_posix() for p in frozen_bundle.rglob("*")]
    themes = [f for f in files if "/platformthemes/" in f or f.endswith("/platformthemes")]
    assert themes == []
    libs = re.compile(r"(^|/)lib(gtk|gdk|cairo|cups|avahi)[^/]*\.so")
    assert [f for f in files if libs.search(f)] == []
    # The platforms the app and its self-test use are there.
    assert any(f.endswith("platforms/libqxcb.so") for f in files)
    assert any(f.endswith("platforms/libqoffscreen.so") for f in files)
    assert bi.folder_mb(frozen_bundle) < bi.MAX_BUNDLE_MB


@pytest.mark.slow
@pytest.mark.timeout(BUILD_TIMEOUT_S)
def test_bundle_holds_pyarrow_without_its_network_modules(frozen_bundle: Path) -> None:
    # Written out here too (the self-test asks importlib): no file of Flight or of the S3,
    # GCS, Azure and HDFS file systems, and pyarrow's CSV and Parquet readers are there.
    files = [p.relative_to(frozen_bundle).as_posix() for p in frozen_bundle.rglob("*")]
    network = re.compile(
        r"(^|/)(pyarrow/(_?flight|_s3fs|_gcsfs|_azurefs|_hdfs)|libarrow_(s3|flight))"
    )
    assert [f for f in files if network.search(f)] == []
    for module in ("lib", "_csv", "_parquet", "_compute"):
        assert any(re.search(rf"pyarrow/{module}\.cpython-[^/]*\.so$", f) for f in files), module


@pytest.mark.slow
@pytest.mark.timeout(BUILD_TIMEOUT_S)
def test_bundle_is_built_on_python_3_12_or_newer(frozen_bundle: Path) -> None:
    pythons = [p.name for p in (frozen_bundle / "_internal").glob("libpython3.*.so*")]
    assert pythons, "no libpython in the bundle"
    minors = {int(re.match(r"libpython3\.(\d+)", name).group(1)) for name in pythons}  # type: ignore[union-attr]
    assert min(minors) >= 12, pythons


def _partitioned_sample(folder: Path) -> Path:
    """A copy of the sample project whose sites, flood zones and communes are each a folder
    of 2 GeoJSON partitions."""
    shutil.copytree(dev.SAMPLE.parent, folder)
    text = (folder / "project.toml").read_text(encoding="utf-8")
    for name in ("sites.geojson", "flood_illustrative.geojson", "communes_admin_express.geojson"):
        doc = json.loads((folder / name).read_text(encoding="utf-8"))
        features = doc["features"]
        parts = folder / Path(name).stem
        parts.mkdir()
        half = len(features) // 2
        for i, chunk in enumerate((features[:half], features[half:]), 1):
            part = {**doc, "features": chunk}
            (parts / f"part-{i}.geojson").write_text(json.dumps(part), encoding="utf-8")
        (folder / name).unlink()
        assert f'path = "{name}"' in text
        text = text.replace(f'path = "{name}"', f'path = "{parts.name}"')
    (folder / "project.toml").write_text(text, encoding="utf-8")
    return folder / "project.toml"


def _run_frozen(bundle: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The frozen program on the command line, with an empty environment."""
    return subprocess.run(
        [str(bundle / "siteassess"), *args],
        capture_output=True,
        text=True,
        env={},
        cwd=cwd,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.timeout(BUILD_TIMEOUT_S)
def test_frozen_bundle_scores_a_project_of_partitioned_layers(
    frozen_bundle: Path, tmp_path: Path
) -> None:
    # Partitions are read on dask's local threads (siteassess.compute): dask core is bundled.
    project = _partitioned_sample(tmp_path / "partitioned")
    whole = _run_frozen(frozen_bundle, ["score", str(dev.SAMPLE), "--json"], tmp_path)
    split = _run_frozen(frozen_bundle, ["score", str(project), "--json"], tmp_path)
    assert whole.returncode == 0, whole.stderr[-3000:]
    assert split.returncode == 0, split.stderr[-3000:]
    a, b = json.loads(whole.stdout), json.loads(split.stdout)
    assert [s["id"] for s in b["sites"]] == [s["id"] for s in a["sites"]]
    assert b["sites"] == a["sites"]  # same ranks, scores, measures and exclusions
    assert [s["rank"] for s in b["sites"]][:2] == [1, 2]
    # The most partitions of a layer of each role (the sample has two context layers: the
    # communes, split here, and the Natura 2000 zone, not split).
    parts: dict[str, int] = {}
    for layer in b["layers"]:
        n = len(layer.get("partitions") or [])
        parts[layer["role"]] = max(parts.get(layer["role"], 0), n)
    assert parts["sites"] == parts["flood"] == parts["context"] == 2
    # screen too (the national screen's command), into a file.
    out = tmp_path / "ranked.csv"
    screened = _run_frozen(frozen_bundle, ["screen", str(project), "--output", str(out)], tmp_path)
    assert screened.returncode == 0, screened.stderr[-3000:]
    assert out.is_file() and "escaudain-soufflantes" in out.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.timeout(BUILD_TIMEOUT_S)
@pytest.mark.parametrize("command", ["score", "screen"])
def test_frozen_bundle_refuses_a_cluster_by_name_without_a_traceback(
    frozen_bundle: Path, tmp_path: Path, command: str
) -> None:
    # dask.distributed is left out of the bundle (build_installer.EXCLUDES).
    project = _partitioned_sample(tmp_path / "partitioned")
    args = [command, str(project), "--scheduler", "tcp://127.0.0.1:8786"]
    if command == "screen":
        args += ["--output", str(tmp_path / "ranked.csv")]
    run = _run_frozen(frozen_bundle, args, tmp_path)
    assert run.returncode == 2, run.stdout + run.stderr[-3000:]
    assert "tcp://127.0.0.1:8786" in run.stderr and "no dask.distributed" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert not (tmp_path / "ranked.csv").exists()


@pytest.mark.slow
@pytest.mark.timeout(BUILD_TIMEOUT_S)
def test_frozen_bundle_exports_and_validates_a_cnig_friches_file(
    frozen_bundle: Path, tmp_path: Path
) -> None:
    # frictionless is bundled without its command line, Markdown and transforms (EXCLUDES):
    # the export and its validation against a Table Schema must still run in the program.
    schema = ROOT / "tests" / "layers" / "cnig_friches_schema_v1.0.6.json"
    out = tmp_path / "cnig.csv"
    args = ["score", str(dev.SAMPLE), "--output", str(out), "--format", "cnig-friches"]
    run = _run_frozen(frozen_bundle, [*args, "--schema", str(schema)], tmp_path)
    # The sample's sites lack fields the standard requires (site_type, the dates, source_nom):
    # the file is written, the problems are listed, and the exit code says it is not valid.
    assert run.returncode == 2, run.stdout[-2000:] + run.stderr[-3000:]
    assert "NOT valid against the Table Schema" in run.stdout + run.stderr
    assert "field site_type" in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:2] == ["site_id", "site_nom"] and "siteassess_value_natura2000" in header
