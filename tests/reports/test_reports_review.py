"""Pages rendered to PNG for a person to look at, and the timing budget of the reports.

The PNGs go to tests/output/reports/ (git-ignored). pdftoppm and pdftotext come from the
Debian package poppler-utils; without them these tests skip, except under CI=true.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from siteassess.assessment import measure, score
from siteassess.project import load_project
from siteassess.reports.pdf import compare_report_pdf, site_report_pdf
from tests.conftest import SAMPLE_PROJECT
from tests.reports.conftest import render_pages, require_tool
from tests.reports.test_reports_site import flat


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def _not_blank(png: Path) -> bool:
    from PIL import Image

    img = np.asarray(Image.open(png).convert("L"))
    return bool((img < 200).mean() > 0.005)


@pytest.mark.parametrize(
    ("kind", "key", "lang"),
    [
        ("site", "douvrin-fm-ouest", "en"),
        ("site", "escaudain-soufflantes", "fr"),
        ("site", "loon-plage-edf", "fr"),
        ("compare", None, "en"),
        ("compare", None, "fr"),
    ],
)
def test_pages_render_to_png_for_review(
    site_pdf: Callable[[str, str], Path],
    compare_pdf: Callable[..., Path],
    kind: str,
    key: str | None,
    lang: str,
) -> None:
    pdf = site_pdf(str(key), lang) if kind == "site" else compare_pdf(lang)
    pngs = render_pages(pdf, pdf.stem)
    assert len(pngs) == _pages(pdf) >= 4
    assert all(_not_blank(p) for p in pngs), [p.name for p in pngs if not _not_blank(p)]


def test_pdftotext_reads_the_same_numbers(
    compare_pdf: Callable[..., Path], sample_doc: dict[str, Any]
) -> None:
    exe = require_tool("pdftotext")
    text = subprocess.run(
        [exe, "-enc", "UTF-8", str(compare_pdf("fr")), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    text = flat(text)
    for site in [s for s in sample_doc["sites"] if not s["excluded"]][:5]:
        assert f"{site['score']:.1f}".replace(".", ",") in text
    assert "Comparaison de 5 sites" in text


@pytest.mark.slow
def test_reports_within_their_time_budget(sample_assessment: Any) -> None:
    """Measure and report: 3 s for a site, 6 s for five sites; twice that is allowed here
    (shared CI machines); benchmarks/bench_reports.py gives the real figures."""
    project = load_project(SAMPLE_PROJECT)
    site_report_pdf(sample_assessment, "douai-euradouai", lang="fr")  # warm-up: fonts, caches
    t0 = time.perf_counter()
    site_report_pdf(score(measure(project)), "escaudain-soufflantes", lang="fr")
    site_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    compare_report_pdf(score(measure(project)), None, lang="fr")
    compare_s = time.perf_counter() - t0
    assert site_s < 2 * 3.0, f"site report took {site_s:.2f} s"
    assert compare_s < 2 * 6.0, f"five-site comparison took {compare_s:.2f} s"
