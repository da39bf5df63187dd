"""Build siteassess for planners: a PyInstaller onedir bundle, then a Windows installer.

    python build_installer.py                  the bundle, then the installer this OS builds:
                                               Inno Setup (ISCC.exe) on Windows; on Linux,
                                               NSIS (makensis) when it is installed
    python build_installer.py --bundle-only    only dist/siteassess/ (PyInstaller onedir)
    python build_installer.py --installer inno --from-bundle DIR
                                               the Inno Setup installer from a Windows bundle:
                                               ISCC.exe (npm ``innosetup`` 6.4.1, pinned in
                                               .ci/npm) natively on Windows, under Wine on Linux
    python build_installer.py --installer nsis --from-bundle DIR
                                               setup.exe (NSIS) from a Windows bundle built
                                               elsewhere (PyInstaller does not cross-compile)
    python build_installer.py --installer msi --from-bundle DIR
                                               an MSI (wixl, Debian package ``wixl``)

The bundle holds two programs sharing one folder: ``siteassess`` (the app, no console
window on Windows) and ``siteassess-cli`` (the command line). It carries the sample
project, ``resources/``, the XStatic web assets of the offline map, and the GDAL and PROJ
data of rasterio, pyogrio and pyproj; unused Qt modules are trimmed. Every installer is
per-user (no administrator rights), adds a Start-menu shortcut, offers siteassess in
"Open with" for project files (``.toml``, without taking over the extension) and
uninstalls cleanly. Run the bundle's self-test with ``siteassess-cli --self-test``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent
NAME = "siteassess"
PUBLISHER = "siteassess"
# The name Windows gives project files in "Open with" and Properties: French, as the app.
FILE_TYPE = "Projet siteassess"
APP_ID = "{7D4B3F2E-5A1C-4E8B-9F60-2C1D3A4B5E6F}"  # stable: upgrades replace, never duplicate
BUILD = ROOT / "build" / "pyinstaller"
DIST = ROOT / "dist"  # --dist changes it (the tests build into a temporary folder)
# 687 MB without pyarrow; pyarrow, trimmed and stripped, adds 80 MB (libarrow 39, its
# compute kernels 15, Parquet 11), which the memory bound on big CSV layers needs (issue 10).
# dask core for partitioned layers took it to 769 MB (issue 13); frictionless, which
# validates CNIG Friches exports (issue 12), adds 11 MB without its command line, Markdown
# and transforms (pydantic-core 5 MB of it): 780 MB.
MAX_BUNDLE_MB = 800
# PySide6 6.12 on Python 3.11 drops a reference to None each time Qt hands None back, and
# the frozen app dies with "Fatal Python error: none_dealloc"; 3.12 made None immortal.
BUNDLE_PYTHON_MIN = (3, 12)

# Qt parts the app never loads (it uses QtCore, QtGui, QtWidgets, QtWebEngine*,
# QtWebChannel). File-name filters, for Windows (Qt6*.dll) and Linux (libQt6*.so*).
QT_DROP = (
    "3D",
    "Quick3D",
    "Multimedia",
    "Charts",
    "DataVisualization",
    "Graphs",
    "Location",
    "Sensors",
    "SerialPort",
    "Bluetooth",
    "Nfc",
    "Designer",
    "Help",
    "Sql",
    "Scxml",
    "RemoteObjects",
    "SpatialAudio",
    "TextToSpeech",
    "VirtualKeyboard",
    "Test",
    "Pdf",
    "ShaderTools",
    "QuickControls2",
    "QuickDialogs2",
    "QuickTemplates2",
    "Lottie",
    "HttpServer",
    "WebSockets",
    "WebView",
    "Protobuf",
    "Grpc",
    "WaylandCompositor",
    "EglFS",
    "QuickParticles",
    "QuickTest",
    "LabsPlatform",
    "QuickVectorImage",
    "WaylandClient",
    "WlShellIntegration",
)
WEBENGINE_LOCALES_KEEP = ("en-US.pak", "fr.pak")
PYARROW_UNUSED = tuple(
    f"pyarrow.{name}"
    for name in [
        "flight",
        "_flight",
        "_s3fs",
        "_gcsfs",
        "_azurefs",
        "_hdfs",
        "orc",
        "_orc",
        "_dataset_orc",
        "substrait",
        "_substrait",
        "dataset",
        "_dataset",
        "_dataset_parquet",
        "_dataset_parquet_encryption",
        "acero",
        "_acero",
        "cuda",
        "_cuda",
        "gandiva",
        "parquet.encryption",
        "_parquet_encryption",
        "json",
        "_json",
        "feather",
        "_feather",
        "interchange",
        "jvm",
        "benchmark",
        "cffi",
        "_pyarrow_cpp_tests",
    ]
)
PY_EXCLUDES = (
    "tkinter",
    "IPython",
    "pytest",
    "_pytest",
    "mypy",
    "ruff",
    "PyInstaller",
    "PySide6.Qt3DCore",
    "PySide6.QtMultimedia",
    "PySide6.QtCharts",
    "PySide6.QtQuick3D",
    "PySide6.QtDesigner",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtPdf",
    "matplotlib.tests",
    "numpy.tests",
    "pandas.tests",
    "scipy.tests",
    "pyarrow.tests",
    "shapely.tests",
    "pyogrio.tests",
    "rasterio.tests",
    "geopandas.tests",
    "scipy",
    # Babel compiles the .po of a checkout (i18n.compile_catalogue, a dev tool); the bundle
    # holds the compiled .mo. Its locale data alone took 30 MB.
    "babel",
    # pyarrow stores big tables' text compactly (layers.readers) and reads GeoParquet; of it
    # the app uses the core, compute, CSV, Parquet and local files. Left out: Flight (RPC),
    # the network file systems (S3, GCS, Azure, HDFS: nothing may go online), ORC,
    # Substrait, Acero and datasets (pyarrow.parquet reads one file without them), CUDA,
    # Gandiva, Parquet encryption, JSON, Feather and the dataframe interchange. Their
    # Python modules only: libarrow_python links libarrow_substrait, _dataset and _acero,
    # which stay (7 MB).
    *PYARROW_UNUSED,
    # frictionless validates a CNIG Friches export against its Table Schema (score --schema);
    # its command line (typer, rich and pygments, shellingham), Markdown output (marko,
    # markdown-it) and table transforms (petl) are never used (16 MB in all).
    "typer",
    "rich",
    "pygments",
    "shellingham",
    "marko",
    "markdown_it",
    "mdurl",
    "petl",
    # Python bindings PyInstaller would take along but the app never imports.
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PIL._avif",
    "PIL.AvifImagePlugin",
    # Not "distutils": Python 3.12 has none, and PyInstaller aliases it to setuptools'
    # vendored copy (excluded with setuptools); excluding the alias too stops the build.
    "setuptools",
    "pkg_resources",
    "pydoc_data",
    "rasterio.rio",
    "test",
    "lib2to3",
    "ensurepip",
    "idlelib",
    "turtledemo",
    # Not "pydoc": pyarrow.compute (which pandas imports) reads docstrings with it.
    "_testcapi",
    "_testinternalcapi",
    "_testbuffer",
    "_testmultiphase",
    "_xxtestfuzz",
    "matplotlib.backends.backend_webagg",
    "matplotlib.backends.backend_webagg_core",
    "matplotlib.backends.backend_qtagg",
    "matplotlib.backends.backend_qt",
    "matplotlib.backends.backend_tkagg",
    "matplotlib.backends.backend_gtk4agg",
    # dask: the bundle runs partitioned reads on local threads only. distributed (a cluster
    # client, with tornado, msgpack, psutil, zict: 16 MB installed) is for a Python
    # installation; the frozen app says so when given a scheduler. dask's collections
    # (dataframe, array, bag: 13 MB) are not used.
    "distributed",
    "tornado",
    "dask.dataframe",
    "dask.array",
    "dask.bag",
    "dask.diagnostics",
    "dask.tests",
    "bokeh",
)
# Shared libraries left out with the modules above (file-name fragments).
LIB_DROP = (
    "qtwebengine_devtools",
    "libavif",
    "libarrow_flight",
    "libarrow_python_flight",
    "libarrow_s3",
    "libarrow_python_parquet_encryption",
)
# pyarrow's wheel holds libarrow_python three times (.so, .so.2600, .so.2600.1.0: a wheel
# has no links); its modules load the one named .so.<major>. Its C++ headers, Cython
# sources and declarations are for building against it.
PYARROW_DROP = re.compile(
    r"^pyarrow/(include/|src/|.*\.(pyx|pxd|pxi|h|hpp|cc|cmake)$"
    r"|libarrow_python\.so(\.\d+\.\d+\.\d+)?$)"
)
# Qt plugins the desktop app does not use (Wayland, framebuffer and VNC platforms, image
# formats other than PNG, JPEG, SVG, GIF and ICO, positioning, printing, the virtual
# keyboard). Platform themes too: gtk3 would pull in the build machine's GTK, GDK, cairo,
# cups, avahi… (60 MB or more); without one Qt draws its own dialogs and palette.
PLUGIN_DROP = re.compile(
    r"plugins/(wayland-|egldeviceintegrations|generic/|position/|printsupport/|platformthemes/"
    r"|platforms/libq(eglfs|linuxfb|minimalegl|vkkhrdisplay|vnc|wayland)"
    r"|platforminputcontexts/libqtvirtualkeyboard"
    r"|imageformats/(lib)?q(icns|pdf|tga|tiff|wbmp|webp))"
)
# Libraries of the desktop stack that nothing kept in the bundle needs: the build refuses
# a bundle that holds one (their presence means a plugin dragged in the build machine's).
DESKTOP_HOST_LIBS = re.compile(r"^(lib)?(gtk|gdk|cairo|cups|avahi)[^/]*\.(so|dll)", re.I)
# Reports use DejaVu Sans; matplotlib's other fonts and its sample data are not needed.
MPL_DROP = re.compile(
    r"mpl-data/(sample_data|fonts/afm|plot_directive|fonts/ttf/(?!("
    r"DejaVuSans(-Bold|-Oblique|-BoldOblique|Mono)?|LastResortHE-Regular)\.ttf$))"
    r"|font_awesome/data/webfonts/.*\.ttf$"  # Chromium reads the .woff2 versions
)
# Of Font Awesome the map needs only the style sheet and the web fonts.
XSTATIC_KEEP = re.compile(
    r"xstatic/pkg/(leaflet|jquery)/|xstatic/pkg/font_awesome/data/(css|webfonts)/"
)


def log(msg: str) -> None:
    """Progress of the build."""
    print(f"[build] {msg}", flush=True)


def spec_text() -> str:
    """The PyInstaller spec: the app and the CLI in one onedir bundle.

    On Windows they are two executables (the app without a console window, the CLI with
    one); elsewhere one executable serves both. Binaries are not stripped (that breaks numpy's
    OpenBLAS).
    """
    drop = "|".join(re.escape(q) for q in QT_DROP)
    windows = platform.system() == "Windows"
    return f"""# Generated by build_installer.py; do not edit.
import re
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

root = {str(ROOT)!r}
import sys
sys.path.insert(0, root)
from build_installer import unneeded_libraries
hidden = []
datas = []
# rasterio and pyogrio have no hooks in pyinstaller-hooks-contrib: their submodules
# (rasterio.serde …) and their GDAL/PROJ data must be collected by name.
for pkg in ("rasterio", "pyogrio"):
    hidden += collect_submodules(pkg)
    datas += collect_data_files(pkg, excludes=["**/tests/**"])
datas += collect_data_files("pyproj")
# Offline web map: Leaflet and jQuery from the pinned XStatic packages; folium's templates.
datas += collect_data_files("xstatic")
datas += collect_data_files("folium")
datas += collect_data_files("branca")
datas += collect_data_files("reportlab")
# Natural Earth (location maps) ships in the pyogrio wheel's fixtures.
datas += collect_data_files("pyogrio", includes=["tests/fixtures/naturalearth_lowres/*"])
datas += [(root + "/sample_sites", "sample_sites"), (root + "/resources", "resources")]
# The message catalogues: only the .mo that gettext reads, compiled from the .po if stale.
from siteassess.i18n import compiled_catalogues
datas += [(str(mo), "siteassess/locale/" + mo.parts[-3] + "/LC_MESSAGES")
          for mo in compiled_catalogues()]
hidden += collect_submodules("siteassess")

a = Analysis(
    [root + "/siteassess/__main__.py"],
    pathex=[root],
    datas=datas,
    hiddenimports=hidden,
    excludes={list(PY_EXCLUDES)!r},
    noarchive=False,
)
qt_drop = re.compile(r"Qt6?({drop})", re.I)
locales_keep = {WEBENGINE_LOCALES_KEEP!r}

def keep(entry):
    name = entry[0].replace("\\\\", "/")
    base = name.rsplit("/", 1)[-1]
    if qt_drop.search(base) and ("Qt6" in base or base.startswith("libQt6")):
        return False
    if "qtwebengine_locales/" in name and base not in locales_keep:
        return False
    if "/translations/" in name and base.endswith(".qm") and not re.search(
        r"_(fr|en)\\.qm$", base
    ):
        return False
    if "/qml/" in name or "LabsStyleKit" in base:
        return False
    if any(part in base for part in {LIB_DROP!r}):
        return False
    if name.startswith("xstatic/") and not XSTATIC_KEEP.search(name):
        return False
    if MPL_DROP.search(name) or PLUGIN_DROP.search(name) or PYARROW_DROP.search(name):
        return False
    if ("/tests/" in name or "_tests.cpython" in name) and "naturalearth_lowres" not in name:
        return False
    if "backends/web_backend/" in name:
        return False
    qt_catalogue = base.startswith(("qt_", "qtbase_", "qtwebengine_"))
    if "/translations/" in name and base.endswith(".qm") and not qt_catalogue:
        return False
    return True

XSTATIC_KEEP = re.compile({XSTATIC_KEEP.pattern!r})
MPL_DROP = re.compile({MPL_DROP.pattern!r})
PLUGIN_DROP = re.compile({PLUGIN_DROP.pattern!r})
PYARROW_DROP = re.compile({PYARROW_DROP.pattern!r})

dropped = [b for b in a.binaries if not keep(b)]
a.binaries = [b for b in a.binaries if keep(b)]
# PyInstaller collected the libraries of the binaries just dropped: leave out those that
# nothing kept needs (the build machine's GTK, cairo, cups… behind platformthemes).
orphans = unneeded_libraries(a.binaries, dropped)
a.binaries = [b for b in a.binaries if b[0] not in orphans]
a.datas = [d for d in a.datas if keep(d)]
pyz = PYZ(a.pure)
icon = root + "/resources/installer/siteassess.ico"
# Only Windows executables carry an icon (PyInstaller warns that it ignores it elsewhere).
icon = icon if {windows!r} and __import__("os").path.exists(icon) else None
strip = False  # stripping breaks auditwheel-patched libraries (numpy's OpenBLAS)
exes = [EXE(pyz, a.scripts, [], exclude_binaries=True, name={NAME!r}, console={not windows!r},
            icon=icon, strip=strip)]
if {windows!r}:
    exes.append(EXE(pyz, a.scripts, [], exclude_binaries=True, name={NAME + "-cli"!r},
                    console=True, icon=icon))
coll = COLLECT(*exes, a.binaries, a.datas, strip=strip, name={NAME!r})
"""


def python_refusal(version: tuple[int, ...]) -> str | None:
    """Why a bundle must not be built on this Python version, or None if it may."""
    if version[:2] >= BUNDLE_PYTHON_MIN:
        return None
    want = ".".join(map(str, BUNDLE_PYTHON_MIN))
    have = ".".join(map(str, version[:3]))
    return (
        f"the bundle must be built with Python {want} or newer, and this is Python {have}: "
        f"PySide6 6.12 on Python 3.11 drops references to None and the frozen app crashes "
        f"(Fatal Python error: none_dealloc). Run `python dev.py build`, which builds in "
        f".venv-build on Python {want}+, or run this script with Python {want}+. "
        f"Packaging an existing bundle (--from-bundle DIR) works on any Python."
    )


Entry = tuple[str, str, str]  # PyInstaller's TOC entry: (name in the bundle, source, kind)


def library_closure(
    sources: Iterable[str], imports: Callable[[str], Iterable[tuple[str, str | None]]]
) -> set[str]:
    """File names of every library the given binaries load, directly or not.

    ``imports(path)`` gives a binary's libraries as (name, resolved path or None), as
    PyInstaller's ``bindepend.get_imports`` does.
    """
    seen: set[str] = set()
    names: set[str] = set()
    todo = [s for s in sources if s]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        while todo:
            fresh = [s for s in dict.fromkeys(todo) if s not in seen]
            seen.update(fresh)
            todo = []
            for found in pool.map(lambda src: list(imports(src)), fresh):
                for name, path in found:
                    names.add(Path(name).name)
                    if path:
                        names.add(Path(path).name)
                        todo.append(path)
    return names


def is_host_library(src: str) -> bool:
    """Whether a collected file comes from the build machine, not from Python or a wheel."""
    path = Path(src).resolve()
    prefixes = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    return not any(path.is_relative_to(prefix) for prefix in prefixes)


def unneeded_libraries(
    kept: list[Entry],
    dropped: list[Entry],
    imports: Callable[[str], Iterable[tuple[str, str | None]]] | None = None,
) -> set[str]:
    """Bundle names of the host libraries kept that only dropped binaries need.

    PyInstaller collects the libraries of every binary before the spec filters them, so a
    plugin left out (``platformthemes/libqgtk3.so``) leaves behind the build machine's
    libraries that it alone loads (libgtk-3, cairo, cups, avahi…). A host library (one
    from outside this Python and its environment) goes when a dropped binary loads it and
    no kept binary does; libraries loaded by other means (NSS modules, ctypes) stay, and so
    does everything that came with Python or a wheel (on Windows there is nothing else).
    """
    if imports is None:
        from PyInstaller.depend.bindepend import get_imports  # type: ignore[import-untyped]

        def imports(src: str) -> list[tuple[str, str | None]]:
            try:
                return list(get_imports(src))
            except Exception:  # a file that ldd cannot read loads nothing
                return []

    by_name = {Path(name).name: name for name, src, _kind in kept if is_host_library(src)}
    wanted_by_dropped = library_closure((src for _n, src, _k in dropped), imports)
    candidates = {by_name[n] for n in wanted_by_dropped if n in by_name}
    if not candidates:
        return set()
    roots = (src for name, src, _kind in kept if name not in candidates)
    needed = library_closure(roots, imports)
    orphans = {c for c in candidates if Path(c).name not in needed}
    if orphans:
        log(
            f"leaving out {len(orphans)} libraries only dropped binaries need: "
            + ", ".join(sorted(Path(o).name for o in orphans))
        )
    return orphans


def desktop_host_libraries(bundle: Path) -> list[str]:
    """Platform-theme plugins and GTK, GDK, cairo, cups or avahi libraries in a bundle."""
    return sorted(
        p.relative_to(bundle).as_posix()
        for p in bundle.rglob("*")
        if "platformthemes" in p.parts or DESKTOP_HOST_LIBS.search(p.name)
    )


def build_bundle() -> Path:
    """Run PyInstaller; return the bundle folder (dist/siteassess)."""
    refusal = python_refusal(sys.version_info[:3])
    if refusal is not None:
        raise SystemExit(f"build_installer.py: {refusal}")
    BUILD.mkdir(parents=True, exist_ok=True)
    spec = BUILD / f"{NAME}.spec"
    spec.write_text(spec_text(), encoding="utf-8")
    log(f"PyInstaller onedir bundle from {spec}")
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(DIST),
        "--workpath",
        str(BUILD / "work"),
        str(spec),
    ]
    subprocess.run(cmd, check=True, cwd=ROOT)
    bundle = DIST / NAME
    strip_extensions(bundle)
    host = desktop_host_libraries(bundle)
    if host:
        raise SystemExit(
            "the bundle holds platform-theme plugins or host desktop libraries that the app "
            "does not need (a plugin kept in the spec loads them): " + ", ".join(host)
        )
    size = folder_mb(bundle)
    log(f"bundle {bundle}: {size:.0f} MB")
    if size > MAX_BUNDLE_MB:
        raise SystemExit(f"bundle is {size:.0f} MB, over the {MAX_BUNDLE_MB} MB budget")
    return bundle


def strip_extensions(bundle: Path) -> None:
    """Strip debug symbols from Python extension modules and libpython (not Windows).

    Only those: the auditwheel-patched libraries in ``*.libs/`` folders (numpy's OpenBLAS,
    GDAL) break when stripped, and Qt's are stripped already.
    """
    strip = shutil.which("strip")
    if platform.system() == "Windows" or strip is None:
        return
    files = [
        p
        for p in bundle.rglob("*.so*")
        if p.is_file()
        and not p.is_symlink()
        and not p.parent.name.endswith(".libs")
        and (".cpython-" in p.name or p.name.endswith(".abi3.so") or p.name.startswith("libpython"))
    ]
    # pyarrow's own libraries (libarrow, libparquet…, not auditwheel-patched: they sit
    # beside its modules) carry their full symbol tables, a fifth of their size.
    arrow = [p for p in bundle.glob("_internal/pyarrow/lib*.so*") if p.is_file()]
    before = sum(p.stat().st_size for p in files + arrow)
    for chunk in range(0, len(files), 200):
        subprocess.run([strip, "--strip-debug", *map(str, files[chunk : chunk + 200])], check=True)
    if arrow:
        subprocess.run([strip, "--strip-unneeded", *map(str, arrow)], check=True)
    after = sum(p.stat().st_size for p in files + arrow)
    log(
        f"stripped {len(files)} extension modules and {len(arrow)} pyarrow libraries: "
        f"{before / 1e6:.0f} -> {after / 1e6:.0f} MB"
    )


def folder_mb(folder: Path) -> float:
    """Size of a folder in MB (links counted once, as they take no space of their own)."""
    return (
        sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
        / 1e6
    )


def windows_bundle_missing(bundle: Path) -> list[str]:
    """What a Windows bundle must hold and ``bundle`` lacks (empty when it is one)."""
    wanted = [f"{NAME}.exe", f"{NAME}-cli.exe", "_internal/"]
    present = [(bundle / w).is_dir() if w.endswith("/") else (bundle / w).is_file() for w in wanted]
    return [w for w, ok in zip(wanted, present, strict=True) if not ok]


def version() -> str:
    """The version of the package being built."""
    text = (ROOT / "siteassess" / "__init__.py").read_text(encoding="utf-8")
    m = re.search(r'__version__ = "([^"]+)"', text)
    if not m:
        raise SystemExit("siteassess/__init__.py has no __version__")
    return m.group(1)


# ----------------------------------------------------------------------------- Inno Setup

# The programs' and the installers' icon, made from resources/icons/siteassess.svg by
# resources/installer/make_icon.py (the PyInstaller spec gives it to the .exe files too).
ICON = ROOT / "resources" / "installer" / "siteassess.ico"

# The sample project in an installed bundle (Windows path, from the install folder): the
# Start menu's "siteassess (exemple)" opens it.
SAMPLE_IN_BUNDLE = "_internal\\sample_sites\\hauts-de-france\\project.toml"

# Inno Setup's compiler pinned by .ci/npm/package-lock.json (npm package ``innosetup``
# 6.4.1, installed by ``.ci/install-packages.sh`` with ``npm ci``; never committed). It runs
# natively on Windows and under Wine elsewhere.
NPM_ISCC = ROOT / ".ci" / "npm" / "node_modules" / "innosetup" / "bin" / "ISCC.exe"
# The Wine prefix build_installer.py compiles in when WINEPREFIX is not set.
WINE_PREFIX = ROOT / "build" / "wine"
# Wine would offer to download Mono and Gecko when it makes a prefix: nothing here needs them.
WINE_DLL_OVERRIDES = "mscoree,mshtml="


def windows_path(path: Path, *, windows: bool | None = None) -> str:
    """``path`` as a Windows program sees it: as is on Windows, on Wine's Z: drive elsewhere.

    Wine maps the Unix root to Z: in every prefix it makes, so no running Wine is needed.
    """
    if windows if windows is not None else platform.system() == "Windows":
        return str(path)
    return "Z:" + path.resolve().as_posix().replace("/", "\\")


def inno_quote(text: str) -> str:
    """Text inside an Inno Setup string: a brace opens a constant, so it is doubled."""
    return text.replace("{", "{{")


def inno_script(bundle: Path, out_dir: Path) -> str:
    """An Inno Setup script: per-user install, Start-menu shortcut, Open-with, uninstaller.

    ``bundle`` and ``out_dir`` are paths of this machine; under Wine they are written as
    the compiler sees them (Z:\\…).
    """
    src = inno_quote(windows_path(bundle))
    out = inno_quote(windows_path(out_dir))
    icon = f"SetupIconFile={inno_quote(windows_path(ICON))}\n" if ICON.exists() else ""
    return f"""; Generated by build_installer.py
[Setup]
AppId={{{APP_ID}
AppName={NAME}
AppVersion={version()}
AppPublisher={PUBLISHER}
; Per user, never elevated: {{userpf}} is %LOCALAPPDATA%\\Programs, shortcuts and registry
; entries go to the user's Start menu and HKCU.
PrivilegesRequired=lowest
DefaultDirName={{code:UserProgramFiles}}\\{NAME}
DefaultGroupName={NAME}
DisableProgramGroupPage=yes
OutputDir={out}
OutputBaseFilename={NAME}-{version()}-setup
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
{icon}UninstallDisplayIcon={{app}}\\{NAME}.exe
UninstallDisplayName={NAME} {version()}
WizardStyle=modern

[Languages]
Name: "fr"; MessagesFile: "compiler:Languages\\French.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "{src}\\*"; DestDir: "{{app}}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{{userprograms}}\\{NAME}"; Filename: "{{app}}\\{NAME}.exe"
Name: "{{userprograms}}\\{NAME} (exemple)"; Filename: "{{app}}\\{NAME}.exe"; \
Parameters: \"\"\"{{app}}\\{SAMPLE_IN_BUNDLE}\"\"\"

[Registry]
; "Open with" for project files, without taking .toml over from other programs.
Root: HKCU; Subkey: "Software\\Classes\\{NAME}.project"; ValueType: string; \
ValueData: "{FILE_TYPE}"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\\Classes\\{NAME}.project\\DefaultIcon"; ValueType: string; \
ValueData: "{{app}}\\{NAME}.exe,0"
Root: HKCU; Subkey: "Software\\Classes\\{NAME}.project\\shell\\open\\command"; \
ValueType: string; ValueData: \"\"\"{{app}}\\{NAME}.exe\"\" \"\"%1\"\"\"
Root: HKCU; Subkey: "Software\\Classes\\.toml\\OpenWithProgids"; ValueType: string; \
ValueName: "{NAME}.project"; ValueData: ""; Flags: uninsdeletevalue

[Run]
Filename: "{{app}}\\{NAME}.exe"; Description: "{{cm:LaunchProgram,{NAME}}}"; \
Flags: nowait postinstall skipifsilent

[Code]
// {{userpf}} (FOLDERID_UserProgramFiles) is known to every Windows from 7 on, but not to
// Wine 8, where expanding it stops Setup ("Failed to expand shell folder constant");
// %LOCALAPPDATA%\\Programs is that folder's default on Windows.
function UserProgramFiles(Param: String): String;
begin
  try
    Result := ExpandConstant('{{userpf}}');
  except
    Result := ExpandConstant('{{localappdata}}\\Programs');
  end;
end;
"""


def find_iscc() -> Path | None:
    """Inno Setup's compiler: the pinned npm one, else one on PATH or in Program Files."""
    if NPM_ISCC.exists():
        return NPM_ISCC
    if found := shutil.which("ISCC"):
        return Path(found)
    for var in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"):
        base = os.environ.get(var)
        for sub in ("Inno Setup 6", "Programs/Inno Setup 6"):
            if base and (Path(base) / sub / "ISCC.exe").exists():
                return Path(base) / sub / "ISCC.exe"
    return None


def wine_environment() -> dict[str, str]:
    """The environment Wine runs in: WINEPREFIX if set, else build/wine, made if missing."""
    env = dict(os.environ)
    env.setdefault("WINEPREFIX", str(WINE_PREFIX))
    env.setdefault("WINEDEBUG", "-all")
    env.setdefault("WINEDLLOVERRIDES", WINE_DLL_OVERRIDES)
    prefix = Path(env["WINEPREFIX"])
    if not (prefix / "system.reg").exists():
        log(f"making the Wine prefix {prefix} (wineboot -i, about 20 s the first time)")
        prefix.mkdir(parents=True, exist_ok=True)
        subprocess.run(["wineboot", "-i"], env=env, check=True, capture_output=True)
        subprocess.run(["wineserver", "-w"], env=env, check=True)
    return env


def build_inno(bundle: Path) -> Path:
    """Compile the Inno Setup installer with ISCC.exe: natively on Windows, under Wine elsewhere."""
    iscc = find_iscc()
    if iscc is None:
        raise SystemExit(
            "Inno Setup's compiler (ISCC.exe) not found: run `npm ci` in .ci/npm (or, as root "
            "on Debian, bash .ci/install-packages.sh), or install Inno Setup 6"
        )
    cmd, env = [str(iscc)], None
    if platform.system() != "Windows":
        wine = shutil.which("wine")
        if wine is None:
            raise SystemExit(
                f"{iscc} is a Windows program and Wine is not installed (Debian: "
                "dpkg --add-architecture i386; apt-get update; apt-get install wine wine64 "
                "wine32:i386, or bash .ci/install-packages.sh as root)"
            )
        cmd, env = [wine, *cmd], wine_environment()
    out = DIST / "installer"
    out.mkdir(parents=True, exist_ok=True)
    script = BUILD / f"{NAME}.iss"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(inno_script(bundle.resolve(), out), encoding="utf-8-sig")
    log(f"Inno Setup: {' '.join(cmd)} {script}")
    run = subprocess.run(
        [*cmd, "/Q", windows_path(script)], env=env, capture_output=True, text=True, check=False
    )
    setup = out / f"{NAME}-{version()}-setup.exe"
    if run.returncode != 0 or not setup.exists():
        raise SystemExit(
            f"Inno Setup could not compile {script} (exit {run.returncode}):\n"
            + (run.stdout + run.stderr).strip()
        )
    return setup


# ----------------------------------------------------------------------------------- NSIS


def nsis_script(bundle: Path, out_file: Path) -> str:
    """An NSIS script with the same per-user behaviour as the Inno Setup one."""
    ver = version()
    icon = f'!define MUI_ICON "{ICON}"\n!define MUI_UNICON "{ICON}"\n' if ICON.exists() else ""
    return f"""; Generated by build_installer.py
Unicode true
!include "MUI2.nsh"
{icon}Name "{NAME} {ver}"
OutFile "{out_file}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\\Programs\\{NAME}"
SetCompressor /SOLID lzma
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "French"
!insertmacro MUI_LANGUAGE "English"

Section "siteassess"
  SetOutPath "$INSTDIR"
  File /r "{bundle}/*"
  WriteUninstaller "$INSTDIR\\uninstall.exe"
  CreateShortCut "$SMPROGRAMS\\{NAME}.lnk" "$INSTDIR\\{NAME}.exe"
  CreateShortCut "$SMPROGRAMS\\{NAME} (exemple).lnk" "$INSTDIR\\{NAME}.exe" \
'"$INSTDIR\\{SAMPLE_IN_BUNDLE}"'
  WriteRegStr HKCU "Software\\Classes\\{NAME}.project" "" "{FILE_TYPE}"
  WriteRegStr HKCU "Software\\Classes\\{NAME}.project\\DefaultIcon" "" "$INSTDIR\\{NAME}.exe,0"
  WriteRegStr HKCU "Software\\Classes\\{NAME}.project\\shell\\open\\command" "" \
'"$INSTDIR\\{NAME}.exe" "%1"'
  WriteRegStr HKCU "Software\\Classes\\.toml\\OpenWithProgids" "{NAME}.project" ""
  WriteRegStr HKCU "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{NAME}" \
"DisplayName" "{NAME} {ver}"
  WriteRegStr HKCU "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{NAME}" \
"UninstallString" '"$INSTDIR\\uninstall.exe"'
  WriteRegDWORD HKCU "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{NAME}" \
"NoModify" 1
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\\{NAME}.lnk"
  Delete "$SMPROGRAMS\\{NAME} (exemple).lnk"
  DeleteRegKey HKCU "Software\\Classes\\{NAME}.project"
  DeleteRegValue HKCU "Software\\Classes\\.toml\\OpenWithProgids" "{NAME}.project"
  DeleteRegKey HKCU "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{NAME}"
  RMDir /r "$INSTDIR"
SectionEnd
"""


def build_nsis(bundle: Path) -> Path:
    """Compile setup.exe with makensis (Debian package ``nsis``)."""
    makensis = shutil.which("makensis")
    if makensis is None:
        raise SystemExit("makensis not found: install NSIS (Debian: apt-get install nsis)")
    out = DIST / "installer" / f"{NAME}-{version()}-setup.exe"
    out.parent.mkdir(parents=True, exist_ok=True)
    script = BUILD / f"{NAME}.nsi"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(nsis_script(bundle.resolve(), out.resolve()), encoding="utf-8-sig")
    subprocess.run([makensis, "-V2", str(script)], check=True)
    return out


# ------------------------------------------------------------------------------------ MSI


def wxs_document(bundle: Path) -> str:
    """A WiX source (wixl dialect) installing the bundle per user, with a shortcut."""
    files = sorted(p for p in bundle.rglob("*") if p.is_file())
    dirs: dict[Path, list[Path]] = {}
    for f in files:
        rel = f.parent.relative_to(bundle)
        dirs.setdefault(rel, []).append(f)
        for parent in rel.parents:  # folders that hold only folders need an entry too
            dirs.setdefault(parent, [])

    def ident(prefix: str, path: Path) -> str:
        return prefix + uuid.uuid5(uuid.NAMESPACE_URL, str(path)).hex[:24]

    def render(rel: Path, indent: str) -> list[str]:
        out = []
        for f in dirs.get(rel, []):
            cid = ident("c", f.relative_to(bundle))
            out.append(
                f'{indent}<Component Id="{cid}" Guid="{uuid.uuid5(uuid.NAMESPACE_URL, cid)}">'
            )
            out.append(
                f'{indent}  <RegistryValue Root="HKCU" Key="Software\\{NAME}\\files" '
                f'Name="{cid}" Type="integer" Value="1" KeyPath="yes"/>'
            )
            src = f.relative_to(bundle).as_posix()  # wixl runs in the bundle folder
            out.append(f'{indent}  <File Id="{ident("f", f.relative_to(bundle))}" Source="{src}"/>')
            out.append(f"{indent}</Component>")
        children = sorted({d for d in dirs if d.parent == rel and d != rel})
        for child in children:
            out.append(f'{indent}<Directory Id="{ident("d", child)}" Name="{child.name}">')
            out += render(child, indent + "  ")
            out.append(f"{indent}</Directory>")
        return out

    # Every component belongs to the one feature, the Start-menu one with the shortcut and
    # the "Open with" entries too (without it, msiexec installs neither).
    comps = [line.split('"')[1] for line in render(Path(), "") if "<Component " in line]
    comps.append("startmenu")
    body = "\n".join(render(Path(), "            "))
    refs = "\n".join(f'      <ComponentRef Id="{c}"/>' for c in comps)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*" Name="{NAME}" Version="{version()}" Manufacturer="{PUBLISHER}"
           UpgradeCode="{APP_ID.strip("{}")}" Language="1036">
    <Package InstallerVersion="200" Compressed="yes" InstallScope="perUser"/>
    <Media Id="1" Cabinet="app.cab" EmbedCab="yes"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="LocalAppDataFolder">
        <Directory Id="UserProgramsFolder" Name="Programs">
          <Directory Id="INSTALLDIR" Name="{NAME}">
{body}
          </Directory>
        </Directory>
      </Directory>
      <Directory Id="ProgramMenuFolder">
        <Component Id="startmenu" Guid="{uuid.uuid5(uuid.NAMESPACE_URL, NAME + "-startmenu")}">
          <Shortcut Id="appshortcut" Name="{NAME}" Target="[INSTALLDIR]{NAME}.exe"
                    WorkingDirectory="INSTALLDIR"/>
          <Shortcut Id="sampleshortcut" Name="{NAME} (exemple)" Target="[INSTALLDIR]{NAME}.exe"
                    Arguments="&quot;[INSTALLDIR]{SAMPLE_IN_BUNDLE}&quot;"
                    WorkingDirectory="INSTALLDIR"/>
          <RegistryValue Root="HKCU" Key="Software\\{NAME}" Name="startmenu" Type="integer"
                         Value="1" KeyPath="yes"/>
          <RegistryValue Root="HKCU" Key="Software\\Classes\\{NAME}.project" Type="string"
                         Value="{FILE_TYPE}"/>
          <RegistryValue Root="HKCU" Key="Software\\Classes\\{NAME}.project\\DefaultIcon"
                         Type="string" Value="[INSTALLDIR]{NAME}.exe,0"/>
          <RegistryValue Root="HKCU" Key="Software\\Classes\\{NAME}.project\\shell\\open\\command"
                         Type="string" Value="&quot;[INSTALLDIR]{NAME}.exe&quot; &quot;%1&quot;"/>
          <RegistryValue Root="HKCU" Key="Software\\Classes\\.toml\\OpenWithProgids"
                         Name="{NAME}.project" Type="string" Value=""/>
        </Component>
      </Directory>
    </Directory>
    <Feature Id="Main" Level="1">
{refs}
    </Feature>
  </Product>
</Wix>
"""


def build_msi(bundle: Path) -> Path:
    """Build an MSI with wixl (Debian package ``wixl``)."""
    wixl = shutil.which("wixl")
    if wixl is None:
        raise SystemExit("wixl not found: install it (Debian: apt-get install wixl)")
    out = DIST / "installer" / f"{NAME}-{version()}.msi"
    out.parent.mkdir(parents=True, exist_ok=True)
    wxs = BUILD / f"{NAME}.wxs"
    wxs.parent.mkdir(parents=True, exist_ok=True)
    wxs.write_text(wxs_document(bundle.resolve()), encoding="utf-8")
    subprocess.run([wixl, "-o", str(out), str(wxs)], check=True, cwd=bundle)
    return out


def main() -> int:
    """Parse the arguments and build."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--bundle-only", action="store_true", help="build only dist/siteassess")
    p.add_argument("--installer", choices=("auto", "inno", "nsis", "msi"), default="auto")
    p.add_argument("--from-bundle", type=Path, help="package this bundle instead of building one")
    p.add_argument("--dist", type=Path, help="output folder (default: dist/)")
    p.add_argument("--work", type=Path, help="PyInstaller's work folder (default: build/)")
    args = p.parse_args()
    global BUILD, DIST
    if args.dist is not None:
        DIST = args.dist.resolve()
    if args.work is not None:
        BUILD = args.work.resolve()
    t0 = time.perf_counter()
    if args.from_bundle is not None and not args.bundle_only:
        missing = windows_bundle_missing(args.from_bundle)
        if missing:
            raise SystemExit(
                f"build_installer.py: {args.from_bundle} is not a Windows bundle: it has no "
                + ", ".join(missing)
                + f" (a Windows bundle holds {NAME}.exe, {NAME}-cli.exe and _internal/, as "
                "dist/siteassess of `python dev.py build` on Windows)"
            )
    bundle = args.from_bundle or build_bundle()
    report: dict[str, object] = {
        "bundle": str(bundle),
        "bundle_mb": round(folder_mb(bundle), 1),
        "platform": platform.system(),
    }
    if not args.bundle_only:
        kind = args.installer
        if kind == "auto":
            kind = "inno" if platform.system() == "Windows" else "nsis"
        if kind == "nsis" and platform.system() != "Windows" and args.from_bundle is None:
            log(
                "note: a setup.exe built around a Linux bundle only tests the installer "
                "script; give --from-bundle with a Windows bundle for a real one"
            )
        builder = {"inno": build_inno, "nsis": build_nsis, "msi": build_msi}[kind]
        installer = builder(bundle)
        report["installer"] = str(installer)
        report["installer_mb"] = round(installer.stat().st_size / 1e6, 1)
    report["seconds"] = round(time.perf_counter() - t0, 1)
    log(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
