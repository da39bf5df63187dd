"""The command line's exchange formats: ``--format cnig-friches`` and ``--schema``.

``score`` and ``screen`` write the ranking as a CNIG Friches exchange file when asked, and
validate it against the Table Schema the user gives (offline); without one they say that
the file was not validated.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from siteassess.errors import SiteAssessError
from siteassess.safetext import printable_lines

if TYPE_CHECKING:
    from siteassess.assessment import Assessment

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def exchange_options(p: argparse.ArgumentParser) -> None:
    """``--format`` and ``--schema``: the ranking as an exchange file, validated."""
    p.add_argument(
        "--format",
        choices=("ranking", "cnig-friches"),
        default="ranking",
        help="ranking (default) or cnig-friches: a .csv in the CNIG Friches exchange format "
        "(the standard's columns, then siteassess's results in siteassess_* columns)",
    )
    p.add_argument(
        "--schema",
        type=Path,
        metavar="SCHEMA.json",
        help="with --format cnig-friches: validate the file against this Table Schema (the "
        "standard's schema.json from schema.data.gouv.fr), offline, with frictionless",
    )


def exchange_schema(args: argparse.Namespace, out: Path | None) -> Any:
    """The Table Schema to validate the export with (read before any work), or None."""
    if args.format == "ranking":
        if args.schema is not None:
            raise SiteAssessError("--schema validates an exchange file: add --format cnig-friches")
        return None
    if out is None or out.suffix.lower() != ".csv":
        raise SiteAssessError(
            f"--format cnig-friches writes a CSV: give --output FILE.csv (not {out or 'none'})"
        )
    if args.schema is None:
        return None
    from siteassess.layers.table_schema import read_table_schema

    return read_table_schema(args.schema)


def write_ranking(a: Assessment, path: Path, args: argparse.Namespace, schema: Any) -> Any:
    """Write the ranking in the chosen format; the validation of an exchange file, if any."""
    from siteassess.reports.tables import write_output

    if args.format == "cnig-friches":
        from siteassess.i18n import default_language
        from siteassess.reports.cnig_export import export_cnig

        return export_cnig(a, path, lang=args.lang or default_language(), schema=schema)
    write_output(a, path, lang=args.lang, csv_dialect=args.csv_dialect)
    return None


def say_validation(args: argparse.Namespace, out: Path, check: Any) -> int:
    """Print what the validation of an exchange file found; exit 2 when it is not valid."""
    if args.format == "ranking":
        return EXIT_OK
    if check is None:
        print(
            f"{out}: NOT validated (no Table Schema given): add --schema schema.json, the "
            "CNIG Friches schema from schema.data.gouv.fr, to check it",
            file=sys.stderr,
        )
        return EXIT_OK
    sys.stderr.write(printable_lines(check.text(out)))
    return EXIT_OK if check.valid else EXIT_BAD_INPUT


def validate_sites_file(project_path: Path, schema_path: Path) -> int:
    """``validate --schema``: check the project's sites file (a CNIG Friches CSV written by
    others) against a Table Schema, its columns matched by name; exit 2 if not valid."""
    from siteassess.layers.importers import file_kind
    from siteassess.layers.table_schema import exchange_file_bytes, read_table_schema
    from siteassess.project import load_project
    from siteassess.reports.schema_check import validate_csv

    schema = read_table_schema(schema_path)
    project = load_project(project_path)
    spec = project.layers_of("sites")[0]
    path = project.resolve(spec)
    if file_kind(path) != "table":
        raise SiteAssessError(
            f"layer {spec.label}: {path} is not a CSV file: --schema checks an exchange file "
            "of delimited text (a CNIG Friches CSV)"
        )
    data, encoding = exchange_file_bytes(path, spec.label)
    check = validate_csv(data, schema, by_name=True)
    if encoding != "utf-8":
        print(f"{path}: read as {encoding}, not UTF-8 as the standard asks", file=sys.stderr)
    sys.stderr.write(printable_lines(check.text(path)))
    return EXIT_OK if check.valid else EXIT_BAD_INPUT
