"""The Windows installers, built around a stand-in bundle and exercised under Wine.

Each installer (Inno Setup's setup.exe compiled by ISCC.exe under Wine, NSIS's setup.exe,
wixl's MSI) is installed silently into a fresh Wine prefix and checked as a planner would
find it: the program in the per-user folder, the Start-menu shortcut, "Open with" for
``.toml`` project files in HKCU, no administrator rights; then it is uninstalled silently
and nothing may be left. The tools come from ``.ci/install-packages.sh`` (Debian's wine,
wine32:i386, xvfb, nsis, wixl, msitools; Inno Setup 6.4.1 from .ci/npm). The tests skip
without them, except under CI=true, where they fail.

What Wine cannot show: a real UAC prompt (Wine's user is an administrator, so the checks
are that the setup asks for none and writes only to the user's folders and HKCU), the
shell's "Open with" menu itself, and the real bundle starting. The Windows workflow
checks those on Windows.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import build_installer as bi
from tests.test_installer import ico_images

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(900),
    pytest.mark.skipif(
        sys.platform == "win32",
        reason="checked natively on Windows: .github/workflows/windows-installer.yml",
    ),
]

CLASSES = "HKCU\\Software\\Classes"
PROGID = f"{bi.NAME}.project"
WINE_ENV = {"WINEDEBUG": "-all", "WINEDLLOVERRIDES": bi.WINE_DLL_OVERRIDES}


def _missing(what: str) -> None:
    msg = f"{what}; run `bash .ci/install-packages.sh` as root (Debian)"
    if os.environ.get("CI") == "true":
        pytest.fail(msg + ". CI must have it: .ci/run installs it")
    pytest.skip(msg)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        _missing(f"{name} is not installed")
    return str(found)


# ------------------------------------------------------------------------------- shortcuts


@dataclass(frozen=True)
class Shortcut:
    """What a Windows shortcut (.lnk) points at."""

    target: str
    arguments: str


def read_shortcut(data: bytes) -> Shortcut:
    """The target and arguments of a .lnk file (MS-SHLLINK: header, ID list, LinkInfo, strings)."""
    assert data[:4] == b"\x4c\x00\x00\x00", "not a shell link"
    flags = struct.unpack_from("<I", data, 20)[0]
    pos = 76
    if flags & 0x01:  # HasLinkTargetIDList
        pos += 2 + struct.unpack_from("<H", data, pos)[0]
    target = ""
    if flags & 0x02:  # HasLinkInfo
        size, _header, info_flags, _vol, base, _net, suffix = struct.unpack_from("<7I", data, pos)
        if info_flags & 0x01:  # VolumeIDAndLocalBasePath

            def cstr(at: int) -> str:
                return data[pos + at : data.index(b"\0", pos + at)].decode("cp1252")

            target = cstr(base) + cstr(suffix)
        pos += size
    strings = []
    wide = bool(flags & 0x80)
    for bit in (0x04, 0x08, 0x10, 0x20):  # name, relative path, working dir, arguments
        if flags & bit:
            count = struct.unpack_from("<H", data, pos)[0]
            width = 2 if wide else 1
            raw = data[pos + 2 : pos + 2 + count * width]
            # Some writers count a closing NUL into an empty string.
            strings.append((bit, raw.decode("utf-16-le" if wide else "cp1252").rstrip("\0")))
            pos += 2 + count * width
    arguments = next((text for bit, text in strings if bit == 0x20), "")
    return Shortcut(target=target, arguments=arguments)


# ----------------------------------------------------------------------------- the prefix


@dataclass
class Prefix:
    """A fresh Wine prefix, and the ways to run, look into and query it."""

    path: Path
    env: dict[str, str]

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run ``wine ARGS`` on a virtual display and wait for every process it started.

        Setup programs fail without a display even when silent; uninstallers copy
        themselves to a temporary folder and return at once, hence ``wineserver -w``.
        """
        script = 'wine "$@"; rc=$?; wineserver -w; exit $rc'
        return subprocess.run(
            ["xvfb-run", "-a", "sh", "-c", script, "sh", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def reg_query(self, key: str, value: str | None = None) -> str | None:
        """``wine reg query``: the data of ``value`` (None: the default), None if absent."""
        which = ["/ve"] if value is None else ["/v", value]
        out = subprocess.run(
            ["wine", "reg", "query", key, *which],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if out.returncode != 0:
            return None
        name = "(Default)" if value is None else value
        for line in out.stdout.splitlines():
            parts = line.strip().split(None, 2)
            if len(parts) >= 2 and parts[0] == name and parts[1].startswith("REG_"):
                return parts[2] if len(parts) == 3 else ""
        raise AssertionError(f"reg query {key} printed no {name}: {out.stdout!r}")

    def hives_mentioning(self, word: str) -> list[str]:
        """Lines of the saved registry (system.reg, user.reg) that mention ``word``."""
        subprocess.run(["wineserver", "-w"], env=self.env, check=True, timeout=60)
        return [
            f"{hive}: {line}"
            for hive in ("system.reg", "user.reg")
            for line in (self.path / hive).read_text(encoding="utf-8", errors="replace").split("\n")
            if word.lower() in line.lower()
        ]

    @property
    def user(self) -> str:
        """The Windows user name (Wine takes the Unix one)."""
        users = [d.name for d in (self.path / "drive_c" / "users").iterdir() if d.name != "Public"]
        assert len(users) == 1, users
        return users[0]

    @property
    def user_dir(self) -> Path:
        """C:\\users\\NAME on this machine."""
        return self.path / "drive_c" / "users" / self.user

    @property
    def start_menu(self) -> Path:
        """The user's Start-menu programs folder."""
        return self.user_dir / "AppData/Roaming/Microsoft/Windows/Start Menu/Programs"

    @property
    def install_dir(self) -> Path:
        """Where a per-user install goes: %LOCALAPPDATA%\\Programs\\siteassess."""
        return self.user_dir / "AppData" / "Local" / "Programs" / bi.NAME

    @property
    def install_dir_windows(self) -> str:
        """The same folder as Windows programs see it."""
        return f"C:\\users\\{self.user}\\AppData\\Local\\Programs\\{bi.NAME}"

    def everything_named(self, word: str) -> list[str]:
        """Files and folders of drive C whose name holds ``word``."""
        return sorted(
            p.relative_to(self.path).as_posix()
            for p in (self.path / "drive_c").rglob("*")
            if word.lower() in p.name.lower()
        )


@pytest.fixture
def prefix(tmp_path: Path) -> Iterator[Prefix]:
    """A new Wine prefix in tmp_path, made with ``wineboot -i`` (about 15 s).

    Removed afterwards (1.3 GB each); the installers' logs stay in tmp_path.
    """
    for tool in ("wine", "wineserver", "wineboot", "xvfb-run"):
        _tool(tool)
    path = tmp_path / "wineprefix"
    env = {**os.environ, **WINE_ENV, "WINEPREFIX": str(path)}
    env.pop("DISPLAY", None)
    t0 = time.perf_counter()
    boot = subprocess.run(
        ["wineboot", "-i"], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    subprocess.run(["wineserver", "-w"], env=env, timeout=120, check=False)
    if boot.returncode != 0 or not (path / "system.reg").exists():
        if "wine32" in boot.stderr or "i386" in boot.stderr:
            _missing(f"Wine cannot run 32-bit programs: {boot.stderr.strip()[-300:]}")
        raise AssertionError(f"wineboot -i failed ({boot.returncode}): {boot.stderr[-2000:]}")
    print(f"wineboot -i: {time.perf_counter() - t0:.1f} s")
    yield Prefix(path=path, env=env)
    subprocess.run(["wineserver", "-k"], env=env, timeout=60, check=False)
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def stand_in_bundle(tmp_path: Path, prefix: Prefix) -> Path:
    """A bundle with the Windows layout; its programs are a small Windows program of Wine's.

    Made at test time from the prefix (nothing binary is committed): siteassess.exe and
    siteassess-cli.exe are copies of Wine's 64-bit hostname.exe, _internal/ holds the
    sample project and a file whose name has a space and an accent.
    """
    exe = prefix.path / "drive_c" / "windows" / "system32" / "hostname.exe"
    assert exe.read_bytes()[:2] == b"MZ"
    bundle = tmp_path / "bundle" / bi.NAME
    sample = bundle / "_internal" / "sample_sites" / "hauts-de-france"
    sample.mkdir(parents=True)
    shutil.copyfile(exe, bundle / f"{bi.NAME}.exe")
    shutil.copyfile(exe, bundle / f"{bi.NAME}-cli.exe")
    shutil.copyfile(
        ROOT / "sample_sites" / "hauts-de-france" / "project.toml", sample / "project.toml"
    )
    (bundle / "_internal" / "resources").mkdir()
    (bundle / "_internal" / "resources" / "Données du modèle.txt").write_text("é\n", "utf-8")
    return bundle


def build(kind: str, bundle: Path, out: Path, prefix: Prefix) -> Path:
    """``build_installer.py --installer KIND --from-bundle BUNDLE``; the installer made."""
    t0 = time.perf_counter()
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "build_installer.py"),
            "--installer",
            kind,
            "--from-bundle",
            str(bundle),
            "--dist",
            str(out / "dist"),
            "--work",
            str(out / "work"),
        ],
        env=prefix.env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    print(f"{kind}: compiled in {time.perf_counter() - t0:.1f} s")
    (installer,) = (out / "dist" / "installer").iterdir()
    return installer


# --------------------------------------------------------------------------- the installers


@dataclass(frozen=True)
class Kind:
    """How one kind of installer is installed, uninstalled and shown to need no rights."""

    name: str
    install: Callable[[Path, Path, Prefix], list[str]]
    uninstall: Callable[[Path, Path, Prefix], list[str]]
    asks_no_rights: Callable[[Path, Path], None]


def _win(path: Path) -> str:
    return bi.windows_path(path, windows=False)


def _manifest_level(exe: Path) -> str:
    data = exe.read_bytes()
    at = data.find(b"requestedExecutionLevel")
    assert at >= 0, f"{exe.name} has no execution level in its manifest"
    level = data[at : at + 80].split(b'level="', 1)[1].split(b'"', 1)[0]
    return level.decode()


def _inno_no_rights(installer: Path, logs: Path) -> None:
    assert _manifest_level(installer) == "asInvoker"
    log = (logs / "install.log").read_text(encoding="utf-8-sig", errors="replace")
    assert "Administrative install mode: No" in log, log
    assert "Install mode root key: HKEY_CURRENT_USER" in log, log


def _nsis_no_rights(installer: Path, logs: Path) -> None:
    # requireAdministrator would make Windows ask for an administrator (UAC).
    assert _manifest_level(installer) == "asInvoker"


def _msi_no_rights(installer: Path, logs: Path) -> None:
    msiinfo = _tool("msiinfo")
    info = subprocess.run(
        [msiinfo, "suminfo", str(installer)], capture_output=True, text=True, check=True
    ).stdout
    source = next(line for line in info.splitlines() if line.startswith("Source:"))
    word_count = int(source.split()[1])
    assert word_count & 0x8, f"the MSI asks for elevated privileges: {source}"
    props = subprocess.run(
        [msiinfo, "export", str(installer), "Property"], capture_output=True, text=True, check=True
    ).stdout
    names = {line.split("\t")[0] for line in props.splitlines()}
    assert "ALLUSERS" not in names, props  # no ALLUSERS: a per-user install


KINDS = {
    "inno": Kind(
        "inno",
        install=lambda setup, logs, p: [
            _win(setup),
            "/VERYSILENT",
            "/SUPPRESSMSGBOXES",
            "/CURRENTUSER",
            f"/LOG={_win(logs / 'install.log')}",
        ],
        uninstall=lambda setup, logs, p: [
            f"{p.install_dir_windows}\\unins000.exe",
            "/VERYSILENT",
            "/SUPPRESSMSGBOXES",
            f"/LOG={_win(logs / 'uninstall.log')}",
        ],
        asks_no_rights=_inno_no_rights,
    ),
    "nsis": Kind(
        "nsis",
        install=lambda setup, logs, p: [_win(setup), "/S"],
        uninstall=lambda setup, logs, p: [f"{p.install_dir_windows}\\uninstall.exe", "/S"],
        asks_no_rights=_nsis_no_rights,
    ),
    "msi": Kind(
        "msi",
        install=lambda msi, logs, p: [
            "msiexec",
            "/i",
            _win(msi),
            "/qn",
            "/l*v",
            _win(logs / "install.log"),
        ],
        uninstall=lambda msi, logs, p: [
            "msiexec",
            "/x",
            _win(msi),
            "/qn",
            "/l*v",
            _win(logs / "uninstall.log"),
        ],
        asks_no_rights=_msi_no_rights,
    ),
}
TOOLS = {"inno": "wine", "nsis": "makensis", "msi": "wixl"}


def _bundle_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize("kind", list(KINDS))
def test_installer_installs_per_user_and_uninstalls_cleanly_under_wine(
    kind: str, prefix: Prefix, stand_in_bundle: Path, tmp_path: Path
) -> None:
    _tool(TOOLS[kind])
    if kind == "inno" and not bi.NPM_ISCC.exists():
        _missing(f"Inno Setup's compiler is not installed in {bi.NPM_ISCC.parent}")
    how = KINDS[kind]
    logs = tmp_path / "logs"
    logs.mkdir()
    installer = build(kind, stand_in_bundle, tmp_path / "out", prefix)
    if kind != "msi":  # setup.exe shows the app's icon (wixl's MSI carries none)
        data = installer.read_bytes()
        assert all(image in data for _size, image in ico_images(bi.ICON.read_bytes()))

    t0 = time.perf_counter()
    done = prefix.run(*how.install(installer, logs, prefix))
    print(f"{kind}: installed in {time.perf_counter() - t0:.1f} s")
    assert done.returncode == 0, done.stdout + done.stderr

    # The program, whole, in the user's own programs folder, and nowhere for all users.
    installed = _bundle_files(prefix.install_dir)
    for rel, data in _bundle_files(stand_in_bundle).items():
        assert installed.get(rel) == data, f"{rel} missing or different in {prefix.install_dir}"
    shared = [
        p
        for p in prefix.everything_named(bi.NAME)
        if not p.startswith(f"drive_c/users/{prefix.user}/")
    ]
    assert shared == [], "installed outside the user's folders (Program Files, ProgramData…)"

    # The Start-menu shortcuts: the app, and the app on the bundled sample project.
    exe = f"{prefix.install_dir_windows}\\{bi.NAME}.exe"
    sample = f"{prefix.install_dir_windows}\\{bi.SAMPLE_IN_BUNDLE}"
    links = {p.name: read_shortcut(p.read_bytes()) for p in prefix.start_menu.glob("*.lnk")}
    assert sorted(links) == [f"{bi.NAME} (exemple).lnk", f"{bi.NAME}.lnk"], sorted(links)
    assert links[f"{bi.NAME}.lnk"].target.lower() == exe.lower()
    assert links[f"{bi.NAME}.lnk"].arguments == ""
    assert links[f"{bi.NAME} (exemple).lnk"].target.lower() == exe.lower()
    assert links[f"{bi.NAME} (exemple).lnk"].arguments.lower() == f'"{sample}"'.lower()
    assert (prefix.install_dir / "_internal/sample_sites/hauts-de-france/project.toml").is_file()

    # "Open with" for project files, in HKCU, without taking .toml over.
    command = prefix.reg_query(f"{CLASSES}\\{PROGID}\\shell\\open\\command")
    assert command is not None and command.lower() == f'"{exe}" "%1"'.lower(), command
    assert prefix.reg_query(f"{CLASSES}\\.toml\\OpenWithProgids", PROGID) == ""
    assert (
        prefix.reg_query(f"{CLASSES}\\{PROGID}") == bi.FILE_TYPE == "Projet siteassess"
    )  # its name
    icon = prefix.reg_query(f"{CLASSES}\\{PROGID}\\DefaultIcon")
    assert icon is not None and icon.lower() == f"{exe},0".lower(), icon
    assert prefix.reg_query(f"{CLASSES}\\.toml") in (None, "(value not set)", "")
    assert prefix.reg_query(f"HKLM\\Software\\Classes\\{PROGID}") is None
    how.asks_no_rights(installer, logs)

    t0 = time.perf_counter()
    gone = prefix.run(*how.uninstall(installer, logs, prefix))
    print(f"{kind}: uninstalled in {time.perf_counter() - t0:.1f} s")
    assert gone.returncode == 0, gone.stdout + gone.stderr
    assert not prefix.install_dir.exists(), sorted(_bundle_files(prefix.install_dir))
    assert prefix.everything_named(bi.NAME) == []  # no file, folder or shortcut left
    assert prefix.reg_query(f"{CLASSES}\\{PROGID}") is None
    assert prefix.reg_query(f"{CLASSES}\\.toml\\OpenWithProgids", PROGID) is None
    assert prefix.hives_mentioning(bi.NAME) == []
    assert prefix.hives_mentioning(bi.APP_ID.strip("{}")) == []
