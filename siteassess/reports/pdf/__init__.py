"""PDF reports: a site report and a side-by-side comparison of two to five sites.

reportlab and matplotlib are imported inside the functions that need them, so importing
this package (or the command line) stays fast.
"""

from __future__ import annotations

from siteassess.reports.pdf.compare_report import compare_report_pdf, write_compare_report
from siteassess.reports.pdf.selection import (
    MAX_COMPARED,
    MIN_COMPARED,
    SiteSelectionError,
    compared_sites,
    default_compared,
    parse_site_list,
)
from siteassess.reports.pdf.site_report import (
    site_report_pdf,
    write_site_report,
    write_site_reports,
)

__all__ = [
    "MAX_COMPARED",
    "MIN_COMPARED",
    "SiteSelectionError",
    "compare_report_pdf",
    "compared_sites",
    "default_compared",
    "parse_site_list",
    "site_report_pdf",
    "write_compare_report",
    "write_site_report",
    "write_site_reports",
]
