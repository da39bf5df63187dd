"""Benchmark: the frozen build, as the slow tests and CI make it.

Times, in a new temporary folder each: making the build environment from nothing (a
Python 3.12+ venv with the project installed, as ``python dev.py build`` makes
``.venv-build``; pip's download cache is left as it is and reported), building the
PyInstaller bundle with it, and the bundle's ``--self-test`` with an empty environment.
Also records the bundle's size and whether the build machine has GTK 3, cups or avahi.
Targets: the whole under 5 minutes (CI has about 90 for everything, the suite 15), the
bundle under 700 MB.

    python benchmarks/bench_build.py [--reuse-venv]

``--reuse-venv`` builds with ``.venv-build`` (making it if needed) instead of a new one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import build_installer as bi  # noqa: E402 - the scripts at the root are not a package
import dev  # noqa: E402

TARGET_TOTAL_S = 300.0
HOST_PACKAGES = ("libgtk-3-0", "libcups2", "libavahi-client3", "qgis", "wine")


def installed(package: str) -> bool:
    """Whether a Debian package is installed (False where there is no dpkg)."""
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return False
    return "install ok installed" in out.stdout


def main() -> int:
    """Run the benchmark; print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reuse-venv", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "output")
    args = parser.parse_args()
    base = dev.find_build_python()
    if base is None:
        print("no Python 3.12 or newer found (PATH, py launcher, pyenv)", file=sys.stderr)
        return 2
    figures: dict[str, object] = {"build_python": str(base)}
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        pip_cache = Path.home() / ".cache" / "pip"
        figures["pip_cache_present"] = pip_cache.is_dir()
        figures["pip_find_links"] = os.environ.get("PIP_FIND_LINKS")  # a local wheel folder
        t0 = time.perf_counter()
        venv_dir = dev.BUILD_VENV if args.reuse_venv else work / "venv"
        py = dev.ensure_venv(venv_dir, base=base)
        venv_s = time.perf_counter() - t0
        figures["venv_reused"] = args.reuse_venv
        t0 = time.perf_counter()
        subprocess.run(
            [
                str(py),
                str(ROOT / "build_installer.py"),
                "--bundle-only",
                "--dist",
                str(work / "dist"),
                "--work",
                str(work / "build"),
            ],
            check=True,
            cwd=ROOT,
        )
        bundle_s = time.perf_counter() - t0
        bundle = work / "dist" / "siteassess"
        bundle_mb = bi.folder_mb(bundle)
        figures["desktop_host_libraries"] = bi.desktop_host_libraries(bundle)
        env = {"QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox"} if os.geteuid() == 0 else {}
        t0 = time.perf_counter()
        test = subprocess.run(
            [str(bundle / "siteassess"), "--self-test"],
            capture_output=True,
            text=True,
            env=env,
            cwd=work,
            check=False,
        )
        self_test_s = time.perf_counter() - t0
        passed = test.returncode == 0
    total = venv_s + bundle_s + self_test_s
    figures.update(
        venv_s=round(venv_s, 1),
        bundle_s=round(bundle_s, 1),
        self_test_s=round(self_test_s, 1),
        self_test_passed=passed,
        bundle_mb=round(bundle_mb, 1),
        total_s=round(total, 1),
        target_total_s=TARGET_TOTAL_S,
        max_bundle_mb=bi.MAX_BUNDLE_MB,
        host_packages={p: installed(p) for p in HOST_PACKAGES},
        platform=platform.platform(),
        cores=os.cpu_count(),
        load_average=os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench_build.json").write_text(json.dumps(figures, indent=2) + "\n")
    for key, value in figures.items():
        print(f"{key:24} {value}")
    return 0 if passed and total < TARGET_TOTAL_S and bundle_mb < bi.MAX_BUNDLE_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
