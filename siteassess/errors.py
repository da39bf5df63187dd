"""Errors and data-issue warnings of siteassess.

Every error a user can cause derives from :class:`SiteAssessError` and also from the
built-in exception that fits, so callers can catch either (rasterio does the same).
Recoverable data problems are not errors: they are :class:`DataIssue` records, collected
during an assessment and shown in the app, the command line and the reports.
"""

from __future__ import annotations

from dataclasses import dataclass


class SiteAssessError(Exception):
    """Root of every error siteassess raises on purpose (bad input, bad settings)."""


class ProjectError(SiteAssessError, ValueError):
    """The project file is missing, unreadable or has invalid content."""


class LayerLoadError(SiteAssessError, OSError):
    """A layer file cannot be opened or read."""


class LayerContentError(SiteAssessError, ValueError):
    """A layer file was read but its content cannot be used (no features, missing columns)."""


class CRSError(SiteAssessError, ValueError):
    """A coordinate reference system is missing, unknown or unfit for measuring."""


class GeometryError(SiteAssessError, ValueError):
    """Geometries are invalid and the project asked not to repair them."""


class WeightsError(SiteAssessError, ValueError):
    """Criterion weights cannot be used (all zero, negative, not numbers)."""


class InconsistentAHPError(WeightsError):
    """An AHP pairwise matrix is too inconsistent (consistency ratio above the limit)."""


class OutputError(SiteAssessError, OSError):
    """An output file cannot be written."""


class CancelledError(SiteAssessError):
    """The user cancelled a long operation."""


@dataclass(frozen=True)
class DataIssue:
    """A recoverable problem found in the data, kept and reported with the results.

    ``layer`` is the layer role or name, ``source`` the file (or ``""``), ``site`` the site
    id when the issue concerns one site, ``action`` what siteassess did about it.
    """

    layer: str
    message: str
    source: str = ""
    site: str = ""
    action: str = ""
    severity: str = "warning"  # "info" | "warning"
    count: int = 0  # rows or features concerned, when the issue is about rows

    def __str__(self) -> str:
        where = self.layer + (f" ({self.source})" if self.source else "")
        site = f" [site {self.site}]" if self.site else ""
        action = f" — {self.action}" if self.action else ""
        return f"{where}{site}: {self.message}{action}"
