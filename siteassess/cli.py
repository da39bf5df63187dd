"""The ``siteassess`` command line: parse, call the core, print, exit.

Exit codes: 0 success; 2 bad input or usage (a message on stderr naming the file or layer
and what is wrong, never a traceback); 1 unexpected error (the traceback goes to a log
file whose path is printed).
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from siteassess import __version__
from siteassess.cli_exchange import (
    exchange_options,
    exchange_schema,
    say_validation,
    validate_sites_file,
    write_ranking,
)
from siteassess.crashlog import log_path
from siteassess.errors import SiteAssessError
from siteassess.output_guard import refuse_input_as_output
from siteassess.progress import TerminalProgress
from siteassess.safetext import printable, printable_lines

if TYPE_CHECKING:  # the assessment (geopandas) loads only when a command needs it
    from siteassess.assessment import Assessment

log = logging.getLogger("siteassess")

EXIT_OK, EXIT_UNEXPECTED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits with code 2 and a one-line message (its default is 2 as well)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"siteassess: error: {message}\n")
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    p = _Parser(
        prog="siteassess",
        description="Score candidate data-centre sites.",
        epilog="siteassess with no arguments (or a project file) opens the desktop app; "
        "siteassess --self-test [--no-map] checks this installation (both start from "
        "siteassess.__main__, so the command line never imports the app).",
    )
    p.add_argument("--version", action="version", version=f"siteassess {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="print progress to stderr")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    s = sub.add_parser("score", help="score and rank the sites of a project")
    s.add_argument("project", type=Path, help="the project file (.toml)")
    s.add_argument("--json", action="store_true", help="print the JSON document on stdout")
    s.add_argument(
        "--output", type=Path, help="write the ranking to FILE (.csv, .json, .gpkg, .xlsx)"
    )
    s.add_argument(
        "--rows",
        type=_rows,
        metavar="N|all",
        help="print the N best sites (default: 25) and a summary of the rest, or all of them",
    )
    _spreadsheet_options(s)
    exchange_options(s)
    _scheduler_option(s)
    s.set_defaults(func=cmd_score)

    sc = sub.add_parser("screen", help="score a whole inventory and write a ranked file")
    sc.add_argument("project", type=Path, help="the project file (.toml)")
    sc.add_argument(
        "--output",
        type=Path,
        required=True,
        help="the ranked sites: FILE.gpkg (with outlines), FILE.csv, FILE.xlsx or FILE.json",
    )
    _spreadsheet_options(sc)
    exchange_options(sc)
    sc.add_argument("--min-area", type=float, metavar="HA", help="leave out sites below HA ha")
    sc.add_argument(
        "--status",
        action="append",
        default=[],
        metavar="STATUS",
        help="keep only sites of this status (repeat for several), e.g. 'friche sans projet'",
    )
    sc.add_argument(
        "--top",
        type=int,
        metavar="N",
        help="also write a project with the N best sites, in FILE-topN/",
    )
    _scheduler_option(sc)
    sc.set_defaults(func=cmd_screen)

    v = sub.add_parser("validate", help="check every layer of a project")
    v.add_argument("project", type=Path, help="the project file (.toml)")
    v.add_argument(
        "--lang", choices=("fr", "en"), help="language of the rules listed (default: the system's)"
    )
    v.add_argument(
        "--schema",
        type=Path,
        metavar="SCHEMA.json",
        help="also check the sites file (a CNIG Friches CSV) against this Table Schema, offline",
    )
    v.set_defaults(func=cmd_validate)

    r = sub.add_parser("report", help="write a PDF site report (or one per site)")
    r.add_argument("project", type=Path, help="the project file (.toml)")
    which = r.add_mutually_exclusive_group(required=True)
    which.add_argument("--site", metavar="ID", help="the site to report on (its id)")
    which.add_argument("--all", action="store_true", help="one report per site, into a folder")
    r.add_argument(
        "--output", type=Path, required=True, help="FILE.pdf, or with --all a folder (created)"
    )
    r.add_argument("--lang", choices=("fr", "en"), help="report language (default: the system's)")
    r.set_defaults(func=cmd_report)

    cp = sub.add_parser("compare", help="write a PDF comparing 2 to 5 sites side by side")
    cp.add_argument("project", type=Path, help="the project file (.toml)")
    cp.add_argument(
        "--sites", metavar="ID,ID,...", help="2 to 5 site ids (default: the top 5 not excluded)"
    )
    cp.add_argument("--output", type=Path, required=True, help="the report, FILE.pdf")
    cp.add_argument("--lang", choices=("fr", "en"), help="report language (default: the system's)")
    cp.set_defaults(func=cmd_compare)

    g = sub.add_parser("gui", help="open the desktop app (on a project, if given)")
    g.add_argument("project", type=Path, nargs="?", help="the project file (.toml)")
    g.set_defaults(func=cmd_gui)
    return p


def _rows(text: str) -> int:
    """``--rows``: a number of sites (0 or more), or ``all`` (-1)."""
    if text.strip().lower() == "all":
        return -1
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of sites (0 or more) or 'all'")
    return n


def _scheduler_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="read partitioned layers on this dask.distributed cluster (tcp://host:8786) "
        "instead of this machine's threads; overrides the project's [compute] scheduler",
    )


def _with_scheduler(project: Any, args: argparse.Namespace) -> Any:
    """The project, with the scheduler given on the command line (if any)."""
    from dataclasses import replace

    if getattr(args, "scheduler", None):
        if "://" not in args.scheduler:
            raise SiteAssessError(
                f"--scheduler {args.scheduler}: give an address such as tcp://host:8786"
            )
        return replace(project, scheduler=args.scheduler)
    return project


def _spreadsheet_options(p: argparse.ArgumentParser) -> None:
    """``--lang`` and ``--csv-dialect``: how a ``.xlsx`` or ``.csv`` output is written."""
    p.add_argument(
        "--lang",
        choices=("fr", "en"),
        help="language of the .xlsx and Excel CSV headers (default: the system's) and of "
        "the printed table (default: English)",
    )
    p.add_argument(
        "--csv-dialect",
        choices=("excel", "plain"),
        help="CSV for Excel (UTF-8 BOM, ';', decimal comma, headers in the language) or plain "
        "(column keys, ',', decimal point); default: excel in French, plain otherwise",
    )


def cmd_score(args: argparse.Namespace) -> int:
    """``siteassess score``."""
    from siteassess.assessment import assess
    from siteassess.project_checks import open_project
    from siteassess.reports.tables import OUTPUT_SUFFIXES, to_json

    if args.output is not None and args.output.suffix.lower() not in OUTPUT_SUFFIXES:
        raise SiteAssessError(
            f"{args.output}: unknown output type; use one of {', '.join(OUTPUT_SUFFIXES)}"
        )
    schema = exchange_schema(args, args.output)
    project = _with_scheduler(open_project(args.project), args)
    bar = TerminalProgress(verbose=args.verbose)
    try:
        a = assess(project, progress=bar)
    finally:
        bar.close()
    check = None
    if args.output is not None:
        check = write_ranking(a, args.output, args, schema)
        print(f"wrote {args.output}", file=sys.stderr)
    if args.json:
        sys.stdout.write(to_json(a) + "\n")
    else:
        from siteassess.reports.text import DEFAULT_ROWS, ranking_text

        rows = DEFAULT_ROWS if args.rows is None else (None if args.rows < 0 else args.rows)
        output = None if args.output is None else str(args.output)
        sys.stdout.write(ranking_text(a, args.lang or "en", rows=rows, output=output))
    return say_validation(args, args.output, check) if args.output is not None else EXIT_OK


def cmd_screen(args: argparse.Namespace) -> int:
    """``siteassess screen``: score an inventory, write the ranking, shortlist the best."""
    from siteassess.project_checks import open_project
    from siteassess.reports.tables import OUTPUT_SUFFIXES
    from siteassess.screening import ScreenFilter, rows_text, screen, write_screen

    out: Path = args.output
    if out.suffix.lower() not in OUTPUT_SUFFIXES:
        raise SiteAssessError(
            f"{out}: unknown output type; use one of {', '.join(OUTPUT_SUFFIXES)}"
        )
    if args.top is not None and args.top < 1:
        raise SiteAssessError(f"--top {args.top}: give a number of sites of at least 1")
    if args.min_area is not None and args.min_area < 0:
        raise SiteAssessError(f"--min-area {args.min_area:g}: give an area in hectares, 0 or more")
    schema = exchange_schema(args, out)
    project = _with_scheduler(open_project(args.project), args)
    flt = ScreenFilter(min_area_ha=args.min_area, statuses=tuple(args.status))
    bar = TerminalProgress(verbose=args.verbose)
    try:
        result = screen(project, flt, progress=bar)
    finally:
        bar.close()
    # Both the ranking and the shortlist, or neither (a failure leaves no half of the pair).
    checks: list[Any] = []
    _, written = write_screen(
        result,
        out,
        args.top,
        lambda path: checks.append(write_ranking(result.assessment, path, args, schema)),
    )
    names = ", ".join(c.name for c in result.assessment.criteria)
    print(printable(f"{project.name}: screened with {names}"))
    print(rows_text(result))
    ranked = result.assessment.ranked()
    excluded = int(ranked["excluded"].sum())
    print(f"  ranked: {len(ranked) - excluded}; excluded by a hard rule: {excluded}")
    print(f"wrote {out}")
    if written is not None:
        print(f"wrote {written} (the {args.top} best sites, for a detailed assessment)")
    return say_validation(args, out, checks[0] if checks else None)


def cmd_validate(args: argparse.Namespace) -> int:
    """``siteassess validate``: every layer with its problems; 0 if assessable, else 2."""
    from siteassess.i18n import default_language
    from siteassess.validate import validate_project

    report = validate_project(args.project)
    sys.stdout.write(printable_lines(report.text(args.lang or default_language())))
    sys.stdout.flush()
    sys.stderr.write(printable_lines(report.problems_text()))
    code = EXIT_OK if report.ok else EXIT_BAD_INPUT
    if args.schema is not None:
        code = max(code, validate_sites_file(args.project, args.schema))
    return code


def cmd_report(args: argparse.Namespace) -> int:
    """``siteassess report``: one site's PDF report, or one per site with ``--all``."""
    from siteassess.errors import OutputError
    from siteassess.i18n import default_language
    from siteassess.reports.pdf import write_site_report, write_site_reports
    from siteassess.reports.pdf.document import check_pdf_target

    out: Path = args.output
    if args.all:
        if out.exists() and not out.is_dir():
            raise OutputError(f"{out} is a file: with --all, give a folder for the reports")
    else:
        check_pdf_target(out)
    a = _assess_quietly(args)
    if not args.all:
        refuse_input_as_output(a.project, out)
    lang = args.lang or default_language()
    if args.all:
        for path in write_site_reports(a, out, lang=lang):
            print(f"wrote {path}")
    else:
        print(f"wrote {write_site_report(a, args.site, out, lang=lang)}")
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    """``siteassess compare``: a PDF comparing 2 to 5 sites (default: the top 5)."""
    from siteassess.i18n import default_language
    from siteassess.reports.pdf import (
        MAX_COMPARED,
        MIN_COMPARED,
        parse_site_list,
        write_compare_report,
    )
    from siteassess.reports.pdf.document import check_pdf_target

    ids = parse_site_list(args.sites) if args.sites is not None else None
    if ids is not None and not MIN_COMPARED <= len(ids) <= MAX_COMPARED:
        raise SiteAssessError(
            f"--sites {args.sites!r}: give {MIN_COMPARED} to {MAX_COMPARED} site ids separated "
            f"by commas ({len(ids)} given)"
        )
    check_pdf_target(args.output)
    a = _assess_quietly(args)
    refuse_input_as_output(a.project, args.output)
    lang = args.lang or default_language()
    print(f"wrote {write_compare_report(a, ids, args.output, lang=lang)}")
    return EXIT_OK


def _assess_quietly(args: argparse.Namespace) -> Assessment:
    """Load and assess the project, with a progress bar under -v (for report commands)."""
    from siteassess.assessment import assess
    from siteassess.project_checks import open_project

    project = open_project(args.project)
    bar = TerminalProgress(verbose=args.verbose)
    try:
        return assess(project, progress=bar)
    finally:
        bar.close()


def cmd_gui(args: argparse.Namespace) -> int:
    """``siteassess gui``: started by ``siteassess.__main__``; the command line never imports Qt."""
    raise SiteAssessError(
        "the desktop app starts with `siteassess gui` or `python -m siteassess gui`, not from "
        "siteassess.cli.main"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from siteassess.libwarnings import route_library_warnings

    route_library_warnings()
    try:
        return int(args.func(args))
    except SiteAssessError as exc:
        print(f"siteassess: error: {printable(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("\nsiteassess: interrupted; no output file was written", file=sys.stderr)
        return 130
    except Exception:
        path = _write_log(traceback.format_exc())
        print(
            f"siteassess: unexpected error ({sys.exc_info()[1]!r}); details in {path}. "
            "Please report it with that file.",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED


def _write_log(text: str) -> Path:
    import datetime as dt

    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {dt.datetime.now().isoformat()} siteassess {__version__}\n{text}\n")
    except OSError:
        path = Path("(log not writable)")
    return path


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
