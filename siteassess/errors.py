"""Errors and data-issue warnings of siteassess.

Every error a user can cause derives from :class:`SiteAssessError` and also from the
built-in exception that fits, so callers can catch either (rasterio does the same).
Recoverable data problems are not errors: they are :class:`DataIssue` records, collected
during an assessment and shown in the app, the command line and the reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


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
class Quantity:
    """A number with its unit, in the unit a reader is shown (``2.0`` ``km``).

    ``decimals`` None writes as few decimals as the value needs (``1.5``, ``400``).
    """

    value: float
    unit: str = ""
    decimals: int | None = None

    def __str__(self) -> str:
        text = f"{self.value:g}" if self.decimals is None else f"{self.value:.{self.decimals}f}"
        if not self.unit:
            return text
        return text + ("" if self.unit == "%" else " ") + self.unit


@dataclass(frozen=True)
class Term:
    """A word the presenters translate: ``text`` is its English message id, ``plain`` how
    the English sentence of the core shows it (the scenario ``medium``, translated from
    ``medium (100 to 300 years)``); ``context`` tells senses of one word apart."""

    text: str
    plain: str = ""
    context: str = ""

    def __str__(self) -> str:
        return self.plain or self.text


@dataclass(frozen=True)
class Name:
    """A feature's name as a data set gives it (RTE writes ``AVELIN``); never translated."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Listing:
    """Values written one after another, ``sep`` between them (``frequent 0.0%, medium
    12.0%``); the presenters write each item in the reader's language."""

    items: tuple[Value, ...]
    sep: str = ", "

    def __str__(self) -> str:
        return self.sep.join(_english(v) for v in self.items)


@dataclass(frozen=True)
class Reason:
    """Why something happened, structured: a code, an English template and its values.

    ``template`` is English with ``{placeholders}`` and is the catalogue's message id; the
    presenters translate it and write the values in the reader's language
    (:func:`siteassess.reports.messages.reason_text`). ``str()`` gives the English sentence,
    the text the JSON, CSV and terminal output keep.
    """

    code: str
    template: str
    values: tuple[tuple[str, Value], ...] = ()

    @classmethod
    def of(cls, code: str, template: str, **values: Value) -> Reason:
        """A reason with its values given by name."""
        return cls(code, template, tuple(values.items()))

    @property
    def value_map(self) -> dict[str, Value]:
        """The values by placeholder name."""
        return dict(self.values)

    def text(self) -> str:
        """The English sentence."""
        if not self.values:
            return self.template  # a fixed text: braces in it are not placeholders
        return self.template.format(**{k: _english(v) for k, v in self.values})

    def __str__(self) -> str:
        return self.text()

    def plain_values(self) -> dict[str, Any]:
        """The values as JSON-ready data (a quantity as its number and unit)."""
        out: dict[str, Any] = {}
        for k, v in self.values:
            if isinstance(v, Quantity):
                out[k] = {"value": v.value, "unit": v.unit}
            elif isinstance(v, Term | Name | Listing | Reason):
                out[k] = str(v)
            else:
                out[k] = v
        return out


# A value of a reason: a nested reason is a phrase translated on its own.
Value = str | int | float | Quantity | Term | Name | Listing | Reason | None


def _english(value: Value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def reasons_text(reasons: tuple[Reason, ...] | list[Reason]) -> tuple[str, ...]:
    """The English sentences of some reasons."""
    return tuple(r.text() for r in reasons)


@dataclass(frozen=True)
class DataIssue:
    """A recoverable problem found in the data, kept and reported with the results.

    ``layer`` is the layer role or name, ``source`` the file (or ``""``), ``site`` the site
    id when the issue concerns one site, ``action`` what siteassess did about it.
    ``message`` and ``action`` are English; ``reason`` and ``remedy``, when given, are the
    same, structured (code, template, values) for the presenters to translate. Build such
    an issue with :meth:`of`.
    """

    layer: str
    message: str
    source: str = ""
    site: str = ""
    action: str = ""
    severity: str = "warning"  # "info" | "warning"
    count: int = 0  # rows or features concerned, when the issue is about rows
    reason: Reason | None = None
    remedy: Reason | None = None

    @classmethod
    def of(
        cls,
        layer: str,
        reason: Reason,
        *,
        action: Reason | str = "",
        source: str = "",
        site: str = "",
        severity: str = "warning",
        count: int = 0,
    ) -> DataIssue:
        """An issue from its structured reason (and action: a reason, or a fixed text)."""
        remedy = action if isinstance(action, Reason) else None
        if isinstance(action, str) and action:
            remedy = Reason("", action)
        return cls(
            layer=layer,
            message=reason.text(),
            source=source,
            site=site,
            action=remedy.text() if remedy else "",
            severity=severity,
            count=count,
            reason=reason,
            remedy=remedy,
        )

    @property
    def code(self) -> str:
        """The issue's code (``""`` for an issue given as plain text)."""
        return self.reason.code if self.reason else ""

    @property
    def values(self) -> Mapping[str, Value]:
        """The values of the issue's message (none for an issue given as plain text)."""
        return self.reason.value_map if self.reason else {}

    def __str__(self) -> str:
        where = self.layer + (f" ({self.source})" if self.source else "")
        site = f" [site {self.site}]" if self.site else ""
        action = f" — {self.action}" if self.action else ""
        return f"{where}{site}: {self.message}{action}"
