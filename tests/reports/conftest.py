"""Shared fixtures of the report tests: the sample assessment, its JSON document, PDF helpers.

Reports are written once per session into ``tests/output/reports/`` (git-ignored) so a
person can open them, and their pages are rendered to PNG there by the review test.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from siteassess.assessment import Assessment, assess
from siteassess.project import load_project
from siteassess.reports.tables import assessment_document
from tests.conftest import ROOT, SAMPLE_PROJECT

OUTPUT = ROOT / "tests" / "output" / "reports"
DAY = dt.date(2026, 11, 22)


def require_tool(name: str) -> str:
    """The path of a command-line tool; skip when absent (fail under CI=true)."""
    path = shutil.which(name)
    if path is None:
        msg = f"{name} not found (Debian package poppler-utils, listed in .ci/apt-packages.txt)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg + "; CI must install it")
        pytest.skip(msg)
    return path


def pdf_text(path: Path) -> str:
    """All the text of a PDF, page after page (pypdf)."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def pdf_fonts(path: Path) -> dict[str, bool]:
    """Every font a page of the PDF uses (also inside forms): name → embedded?"""
    from pypdf import PdfReader

    found: dict[str, bool] = {}

    def visit(resources: Any) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            found[str(font.get("/BaseFont"))] = _embedded(font)
        for xobj in (resources.get("/XObject") or {}).values():
            xobj = xobj.get_object()
            if xobj.get("/Subtype") == "/Form":
                visit(xobj.get("/Resources"))

    for page in PdfReader(path).pages:
        visit(page.get("/Resources"))
    return found


def _embedded(font: Any) -> bool:
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    desc = font.get("/FontDescriptor")
    if desc is None:
        return False
    desc = desc.get_object()
    return any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def render_pages(pdf: Path, prefix: str, dpi: int = 60) -> list[Path]:
    """The PDF's pages as PNG files beside it (pdftoppm), for a person to look at."""
    exe = require_tool("pdftoppm")
    for old in pdf.parent.glob(f"{prefix}-*.png"):
        old.unlink()
    subprocess.run([exe, "-png", "-r", str(dpi), str(pdf), str(pdf.parent / prefix)], check=True)
    return sorted(pdf.parent.glob(f"{prefix}-*.png"))


@pytest.fixture(scope="session")
def sample_assessment() -> Assessment:
    """The bundled sample project, assessed once for the whole session."""
    return assess(load_project(SAMPLE_PROJECT))


@pytest.fixture(scope="session")
def sample_doc(sample_assessment: Assessment) -> dict[str, Any]:
    """The JSON document of the sample assessment: the numbers reports must show."""
    return assessment_document(sample_assessment)


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """tests/output/reports/, created."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


@pytest.fixture(scope="session")
def site_pdf(sample_assessment: Assessment, output_dir: Path) -> Callable[[str, str], Path]:
    """The site report of a sample site in a language, written once per session."""
    from siteassess.reports.pdf import write_site_report

    cache: dict[tuple[str, str], Path] = {}

    def get(site_id: str, lang: str) -> Path:
        if (site_id, lang) not in cache:
            target = output_dir / f"site-{site_id}-{lang}.pdf"
            write_site_report(sample_assessment, site_id, target, lang=lang, day=DAY)
            cache[site_id, lang] = target
        return cache[site_id, lang]

    return get


@pytest.fixture(scope="session")
def compare_pdf(
    sample_assessment: Assessment, output_dir: Path
) -> Callable[[str, tuple[str, ...] | None], Path]:
    """The comparison report of sample sites (None: the default top 5), once per session."""
    from siteassess.reports.pdf import write_compare_report

    cache: dict[tuple[str, tuple[str, ...] | None], Path] = {}

    def get(lang: str, ids: tuple[str, ...] | None = None) -> Path:
        key = (lang, ids)
        if key not in cache:
            name = "top" if ids is None else f"{len(ids)}sites"
            target = output_dir / f"compare-{name}-{lang}.pdf"
            write_compare_report(sample_assessment, ids, target, lang=lang, day=DAY)
            cache[key] = target
        return cache[key]

    return get
