"""Validating an exchange file against a Table Schema with ``frictionless``, offline.

The file is checked as bytes, before or after it is written: the schema is the local
descriptor of :func:`siteassess.layers.table_schema.read_table_schema` (no link is
followed), extended with the fields of the columns siteassess adds, so that those are
typed too and the standard's columns are checked as the standard says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from siteassess.layers.table_schema import TableSchema

SHOWN = 12  # kinds of problem (field and error) listed; the others are counted


@dataclass(frozen=True)
class SchemaProblem:
    """One validation error: where it is (line of the file, field, site) and what it is."""

    line: int | None  # line of the file, the header being line 1
    field: str | None
    site: str | None
    code: str  # frictionless's error type: type-error, constraint-error, missing-label…
    text: str

    def where(self) -> str:
        """``line 3 (site 59012_13031), field site_type``."""
        parts = []
        if self.line is not None:
            parts.append(f"line {self.line}" + (f" (site {self.site})" if self.site else ""))
        if self.field:
            parts.append(f"field {self.field}")
        return ", ".join(parts) or "the file"


@dataclass(frozen=True)
class SchemaCheck:
    """The result of a validation: the schema, the rows checked and every problem found."""

    schema: Path
    version: str | None
    rows: int
    problems: tuple[SchemaProblem, ...]
    validator: str  # "frictionless 5.21.0"

    @property
    def valid(self) -> bool:
        """True when the file meets the schema."""
        return not self.problems

    def text(self, target: str | Path) -> str:
        """What the validation found, for the terminal (lines end with ``\\n``)."""
        name = f"{self.schema}" + (f" (version {self.version})" if self.version else "")
        if self.valid:
            return (
                f"{target}: valid against the Table Schema {name}: {self.rows} rows "
                f"({self.validator})\n"
            )
        groups: dict[tuple[str, str], list[SchemaProblem]] = {}
        for p in self.problems:
            groups.setdefault((p.field or "", p.code), []).append(p)
        lines = [
            f"{target}: NOT valid against the Table Schema {name}: {len(self.problems)} "
            f"problems in {self.rows} rows ({self.validator})"
        ]
        # One line per field and kind of problem, with its first occurrence, most first.
        ranked = sorted(groups.values(), key=lambda ps: -len(ps))
        for ps in ranked[:SHOWN]:
            first = ps[0]
            times = f"{len(ps)} × " if len(ps) > 1 else ""
            lines.append(f"  {first.where()}: {times}{first.text}" + (" (first)" if times else ""))
        if len(ranked) > SHOWN:
            rest = sum(len(ps) for ps in ranked[SHOWN:])
            lines.append(f"  and {rest} more problems of {len(ranked) - SHOWN} other kinds")
        return "\n".join(lines) + "\n"


def _problem_text(error: Any) -> str:
    """A frictionless error in words, with the cell's value."""
    cell = getattr(error, "cell", None)
    shown = f"{cell!r}" if cell not in (None, "") else "the value"
    kind = error.type
    if kind == "type-error":
        return f"{shown} is not of the type: {error.note}"
    if kind == "constraint-error":
        if error.note.startswith('constraint "required"'):
            return "a value is required and the cell is empty"
        if error.note.startswith('constraint "enum"'):
            return f"{shown} is not one of the allowed values"
        return f"{shown} does not meet the {error.note}"
    if kind == "primary-key":
        return f"the primary key repeats: {error.note}"
    if kind == "missing-label":
        return "the column is missing from the file"
    if kind in ("extra-label", "incorrect-label", "blank-label"):
        return f"the header does not match the schema: {error.message}"
    return str(error.message)


def _site_ids(data: bytes) -> list[str] | None:
    """The ``site_id`` of each row of a CSV, to name the sites in the problems."""
    import csv
    import io

    text = data.decode("utf-8", errors="replace")
    header = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header.count)  # the header holds names only
    rows = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if "site_id" not in (rows.fieldnames or []):
        return None
    return [r.get("site_id") or "" for r in rows]


def validate_csv(
    data: bytes,
    schema: TableSchema,
    *,
    extra_fields: Sequence[Mapping[str, Any]] = (),
    site_ids: Sequence[str] | None = None,
    by_name: bool = False,
) -> SchemaCheck:
    """Validate a UTF-8 CSV against ``schema`` and the ``extra_fields`` that follow it.

    ``by_name``: the columns are matched to the fields by their names, in any order (a file
    written by others: a missing column is a problem, a column the schema does not know is
    not); else the header must be the fields in the schema's order.
    """
    import frictionless
    from frictionless import Resource, Schema

    descriptor = dict(schema.descriptor)
    names = {f["name"] for f in descriptor["fields"]}
    if by_name:  # Table Schema v2: the header's names matched to the fields, any order
        descriptor["fieldsMatch"] = "subset"
    descriptor["fields"] = [
        *descriptor["fields"],
        *(f for f in extra_fields if f["name"] not in names),
    ]
    resource = Resource(
        data,
        format="csv",
        encoding="utf-8",
        schema=Schema.from_descriptor(descriptor),
    )
    if site_ids is None:
        site_ids = _site_ids(data)
    report = resource.validate(limit_errors=100_000)
    problems = []
    for task in report.tasks:
        for e in task.errors:
            line = getattr(e, "row_number", None)
            site = None
            if site_ids is not None and line is not None and 0 <= line - 2 < len(site_ids):
                site = site_ids[line - 2]
            field = getattr(e, "field_name", None) or getattr(e, "label", None)
            problems.append(SchemaProblem(line, field, site, e.type, _problem_text(e)))
    rows = int(report.tasks[0].stats.get("rows") or 0) if report.tasks else 0
    return SchemaCheck(
        schema.path,
        schema.version,
        rows,
        tuple(problems),
        f"frictionless {getattr(frictionless, '__version__', '?')}",
    )
