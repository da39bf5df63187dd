"""The app's exports as plain jobs: site report, comparison, all reports, ranking.

Each takes the core's ``progress(fraction, message)`` callback and ``cancel()`` flag, like
:mod:`siteassess.ui.jobs`, and nothing here touches Qt. A cancelled export raises
:class:`CancelledError` before it writes anything: every file is written atomically, and
"all reports" is written into a hidden folder first and moved into place only when every
report is done, so a cancel or an error leaves the folder as it was.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from siteassess.errors import CancelledError, OutputError
from siteassess.ui.i18n_ui import tr, trn

if TYPE_CHECKING:
    from siteassess.assessment import Assessment

from siteassess.progress import CancelFlag, Progress

RANKING_SUFFIXES = (".xlsx", ".csv", ".gpkg", ".json")


@dataclass(frozen=True)
class Exported:
    """What an export wrote: the file (or folder) to open, the files, and how long it took."""

    kind: str  # "site" | "compare" | "all" | "ranking"
    path: Path
    files: tuple[Path, ...]
    seconds: float


def _name(a: Assessment, site_id: str) -> str:
    """The site's name for the progress text (its id when it has none)."""
    names = a.measurements.sites["name"]
    name = names.loc[site_id] if site_id in names.index else None
    return str(name) if isinstance(name, str) and name.strip() else site_id


def _check(cancel: CancelFlag) -> None:
    if cancel():
        raise CancelledError("export cancelled by the user")


def export_site_report(
    a: Assessment, site_id: str, target: Path, lang: str, progress: Progress, cancel: CancelFlag
) -> Exported:
    """One site's PDF report."""
    from siteassess.reports.pdf import site_report_pdf
    from siteassess.reports.pdf.document import check_pdf_target, write_pdf

    start = time.perf_counter()
    check_pdf_target(target)
    _check(cancel)
    progress(0.1, tr("writing the report of {site}").format(site=_name(a, site_id)))
    data = site_report_pdf(a, site_id, lang=lang)
    _check(cancel)
    write_pdf(target, data)
    progress(1.0, tr("report written"))
    return Exported("site", target, (target,), time.perf_counter() - start)


def export_comparison(
    a: Assessment,
    site_ids: Sequence[str] | None,
    target: Path,
    lang: str,
    progress: Progress,
    cancel: CancelFlag,
) -> Exported:
    """The comparison PDF of 2 to 5 sites (None: the report's default, the top sites)."""
    from siteassess.reports.pdf import compare_report_pdf, compared_sites
    from siteassess.reports.pdf.document import check_pdf_target, write_pdf

    start = time.perf_counter()
    ids = compared_sites(a, site_ids)
    check_pdf_target(target)
    _check(cancel)
    progress(0.1, tr("writing the comparison of {n} sites").format(n=len(ids)))
    data = compare_report_pdf(a, ids, lang=lang)
    _check(cancel)
    write_pdf(target, data)
    progress(1.0, tr("report written"))
    return Exported("compare", target, (target,), time.perf_counter() - start)


def export_all_reports(
    a: Assessment, folder: Path, lang: str, progress: Progress, cancel: CancelFlag
) -> Exported:
    """One PDF per site in ``folder`` (``ID.pdf``), all of them or none."""
    from siteassess.reports.pdf import write_site_report
    from siteassess.reports.pdf.selection import file_name_for

    start = time.perf_counter()
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file: give a folder for the reports")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".siteassess-reports-", dir=folder))
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write there: {exc.strerror or exc}") from None
    try:
        taken: set[str] = set()
        names = [file_name_for(sid, taken) for sid in a.site_ids]
        n = len(names)
        for k, (sid, name) in enumerate(zip(a.site_ids, names, strict=True)):
            _check(cancel)
            progress(
                k / n,
                tr("report {k} of {n}: {site}").format(k=k + 1, n=n, site=_name(a, sid)),
            )
            write_site_report(a, sid, staging / name, lang=lang)
        _check(cancel)
        written = []
        for name in names:
            (staging / name).replace(folder / name)
            written.append(folder / name)
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(staging)
    done = trn("{n} report written", "{n} reports written", len(written))
    progress(1.0, done.format(n=len(written)))
    return Exported("all", folder, tuple(written), time.perf_counter() - start)


def export_ranking(
    a: Assessment,
    target: Path,
    lang: str,
    csv_dialect: str | None,
    progress: Progress,
    cancel: CancelFlag,
) -> Exported:
    """The ranking as .xlsx, .csv (``excel``, ``plain`` or the ``cnig-friches`` exchange
    file), .gpkg or .json, by extension."""
    from siteassess.reports.tables import write_output

    start = time.perf_counter()
    _check(cancel)
    progress(0.1, tr("writing the ranking"))
    if csv_dialect == "cnig-friches" and target.suffix.lower() == ".csv":
        from siteassess.reports.cnig_export import export_cnig

        # The app has no Table Schema to check it with: the command line's --schema does.
        export_cnig(a, target, lang=lang)
        progress(1.0, tr("exchange file written, not validated against a schema"))
    else:
        write_output(a, target, lang=lang, csv_dialect=csv_dialect)
        progress(1.0, tr("ranking written"))
    return Exported("ranking", target, (target,), time.perf_counter() - start)
