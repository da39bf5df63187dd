"""The ranking as a planner opens it in a spreadsheet: ``.xlsx``, and CSV for French Excel.

Both take their columns from :meth:`Assessment.ranked` (a column added there appears
here), their headers from :mod:`siteassess.vocabulary` with the unit of the stored value
(``Poste ≥ tension minimale (m)``), in French or English. Numbers stay numbers: typed
cells in the workbook, a decimal comma in the Excel CSV. Text cells that Excel would read
as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return first) get a leading quote,
as OWASP recommends against CSV injection; numeric cells are never touched. An excluded
site's rank cells are empty. The ILLUSTRATIVE layers (not real data) are named in a last
column on every row and in the method sheet.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from siteassess import __version__, vocabulary
from siteassess.assessment import Assessment
from siteassess.atomic import atomic_output, atomic_write_bytes
from siteassess.errors import OutputError
from siteassess.i18n import localise
from siteassess.reports import illustrative
from siteassess.safetext import printable
from siteassess.vocabulary import ColumnInfo

CSV_DIALECTS = ("excel", "plain")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"

# The columns a planner reads first; the others follow in the order of ranked().
_FIRST = ("rank", "site_id", "name", "commune", "insee", "score", "excluded", "exclusions")
_KINDS = ("int", "float", "share", "bool", "text")


def neutralise(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def xml_text(text: str) -> str:
    """``text`` as a workbook can hold it: the control characters that XML forbids (ESC,
    NUL, backspace…) written as their escapes (``\\x1b``); tab and line ends kept."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    shown: str = ILLEGAL_CHARACTERS_RE.sub(lambda m: printable(m.group()), text)
    return shown


def default_csv_dialect(lang: str) -> str:
    """``excel`` (BOM, ``;``, decimal comma) for French, ``plain`` otherwise."""
    return "excel" if lang == "fr" else "plain"


def t(text: str, lang: str) -> str:
    """A text of the spreadsheets in ``lang`` (French punctuation in French)."""
    return localise(text, lang)


@dataclass(frozen=True)
class Column:
    """One column of the ranking sheet: what it is called and how its cells are typed."""

    info: ColumnInfo
    kind: str  # one of _KINDS

    @property
    def key(self) -> str:
        """The column of ranked() (``site_id`` for the index)."""
        return self.info.key


@dataclass(frozen=True)
class RankingTable:
    """The ranking ready to write: columns in order and one row of Python values per site.

    Missing values are None; shares are fractions 0..1; booleans are bools.
    """

    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    excluded: tuple[bool, ...]

    @property
    def headers(self) -> list[str]:
        """The header of every column (label and unit)."""
        return [c.info.header for c in self.columns]


def _kind(series: pd.Series, info: ColumnInfo) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    if info.key.endswith("_year") and pd.api.types.is_numeric_dtype(series):
        return "int"  # a calendar year (2032, NaN: never), never grouped as « 2 032 »
    if pd.api.types.is_float_dtype(series):
        return "share" if info.share else "float"
    return "text"


def _value(v: Any, kind: str) -> Any:
    """A cell value as a plain Python object (None when missing)."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if kind == "bool":
        return bool(v)
    if kind == "int":
        return int(v)
    if kind in ("float", "share"):
        f = float(v)
        return f if math.isfinite(f) else None
    text = str(v)
    return neutralise(text) if text else None


def ranking_table(a: Assessment, lang: str) -> RankingTable:
    """The ranking of ``a`` with headers in ``lang`` (every column of ``a.ranked()``)."""
    from siteassess.reports.frames import output_frame
    from siteassess.reports.pdf.wording import criterion_title, exclusion_texts

    ranked = output_frame(a)  # no rank for an excluded site
    df = ranked.reset_index(drop=True)
    df.insert(0, "site_id", [str(s) for s in ranked.index])
    if "exclusions" in df.columns:  # restated in the language (the core's are English)
        df["exclusions"] = [
            "; ".join(exclusion_texts(a, s, lang)) if reasons else ""
            for s, reasons in zip(df["site_id"], df["exclusions"], strict=True)
        ]
    titles = {
        f"{vocabulary.CONTRIBUTION_PREFIX}{c.name}": criterion_title(c, lang) for c in a.criteria
    }
    if illustrative.COLUMN in df.columns:  # the layers named in the language
        note = illustrative.cell_text(a, lang)
        df[illustrative.COLUMN] = [
            note if isinstance(v, str) else v for v in df[illustrative.COLUMN]
        ]
    keys = [k for k in _FIRST if k in df.columns]
    keys += [str(k) for k in df.columns if k not in keys]
    columns = []
    for key in keys:
        if key == illustrative.COLUMN:
            info = ColumnInfo(key, t("ILLUSTRATIVE layers, not real data", lang))
        else:
            info = vocabulary.ranking_column(key, lang, titles.get(key))
        columns.append(Column(info, _kind(df[key], info)))
    excluded = [bool(v) for v in df["excluded"]] if "excluded" in df.columns else [False] * len(df)
    values = [df[col.key].tolist() for col in columns]
    rows = []
    for r in range(len(df)):
        row = []
        for col, column_values in zip(columns, values, strict=True):
            row.append(_value(column_values[r], col.kind))
        rows.append(tuple(row))
    return RankingTable(tuple(columns), tuple(rows), tuple(excluded))


# ------------------------------------------------------------------------------ CSV


def _csv_number(value: float, kind: str, decimals: int) -> str:
    """A number with a decimal comma, to the column's precision and two digits more."""
    if kind == "share":
        value *= 100
    text = f"{round(value, decimals + 2):.{decimals + 2}f}".rstrip("0").rstrip(".")
    return (text if text not in ("-0", "") else "0").replace(".", ",")


def excel_csv(a: Assessment, lang: str) -> bytes:
    """The ranking as a CSV that French Excel opens in columns: UTF-8 BOM, ``;``, ``3,5``.

    Shares are written in percent (the header says ``(%)``), yes/no in words, and text
    cells that start like a formula are quoted with ``'``.
    """
    import csv

    table = ranking_table(a, lang)
    yes, no = t("yes", lang), t("no", lang)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(h) for h in table.headers])
    for row in table.rows:
        out = []
        for col, v in zip(table.columns, row, strict=True):
            if v is None:
                out.append("")
            elif col.kind == "bool":
                out.append(yes if v else no)
            elif col.kind == "int":
                out.append(str(v))
            elif col.kind in ("float", "share"):
                out.append(_csv_number(v, col.kind, col.info.decimals))
            else:
                out.append(v)
        writer.writerow(out)
    return (BOM + buf.getvalue()).encode("utf-8")


def plain_csv(a: Assessment) -> bytes:
    """The machine CSV (RFC 4180): the keys of ``ranked()`` as headers, ``,``, decimal points,
    UTF-8 without BOM.

    Text cells that start like a formula are quoted with ``'`` here too.
    """
    from siteassess.reports.frames import output_frame

    ranked = output_frame(a)  # no rank for an excluded site, the illustrative layers
    for col in ranked.columns:
        if not (
            pd.api.types.is_numeric_dtype(ranked[col]) or pd.api.types.is_bool_dtype(ranked[col])
        ):
            ranked[col] = ranked[col].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    ranked.index = pd.Index([neutralise(str(s)) for s in ranked.index])
    # CRLF as RFC 4180 says: a carriage return inside a cell then gets quoted too.
    text: str = ranked.to_csv(index_label="site_id", float_format="%.6g", lineterminator="\r\n")
    return text.encode("utf-8")


def write_csv(a: Assessment, target: Path, *, lang: str, dialect: str) -> Path:
    """Write the ranking as CSV in ``dialect`` (``excel`` or ``plain``), atomically."""
    if dialect not in CSV_DIALECTS:
        raise OutputError(
            f"{target}: unknown CSV dialect {dialect!r}; use one of {', '.join(CSV_DIALECTS)}"
        )
    data = excel_csv(a, lang) if dialect == "excel" else plain_csv(a)
    atomic_write_bytes(target, data)
    return target


# ------------------------------------------------------------------------------ XLSX

_HEAD_FILL = "DDE6F0"
_EXCLUDED_FONT = "7F7F7F"


def number_format(kind: str, decimals: int) -> str:
    """The Excel number format of a column: thousands grouped, the column's decimals."""
    if kind == "share":
        return "0" + ("." + "0" * decimals if decimals else "") + "%"
    if kind == "int":
        return "0"
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _shown_width(v: Any, col: Column) -> int:
    if v is None:
        return 0
    if col.kind in ("float", "share"):
        x = v * 100 if col.kind == "share" else v
        return len(f"{x:,.{col.info.decimals}f}") + (2 if col.kind == "share" else 0)
    if col.kind == "bool":
        return 5
    return len(str(v))


def _widths(table: RankingTable) -> list[float]:
    """Column widths (in characters) that show the values and wrap long headers."""
    out = []
    for j, col in enumerate(table.columns):
        values = max((_shown_width(r[j], col) for r in table.rows), default=0)
        words = max((len(w) for w in col.info.header.split()), default=4)
        header = min(len(col.info.header), 18)
        out.append(float(min(50, max(7, values, words, header) + 2)))
    return out


def _ranking_sheet(ws: Any, table: RankingTable, lang: str) -> None:
    from openpyxl.cell import Cell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    head_font = Font(bold=True)
    head_fill = PatternFill("solid", fgColor=_HEAD_FILL)
    head_align = Alignment(wrap_text=True, vertical="top")
    grey = Font(italic=True, color=_EXCLUDED_FONT)
    indent = Alignment(indent=1)
    yes, no = t("yes", lang), t("no", lang)
    yes_no = f'"{yes}";"{yes}";"{no}"'
    for c, text in enumerate(table.headers, start=1):
        cell = ws.cell(row=1, column=c, value=neutralise(xml_text(text)))
        cell.font, cell.fill, cell.alignment = head_font, head_fill, head_align
    # One style per column and row state, set once on a template cell and shared: setting
    # fonts and formats cell by cell hashes them again each time (3 s for the inventory).
    templates: dict[tuple[int, bool], Any] = {}
    for c, col in enumerate(table.columns, start=1):
        for excluded in (False, True):
            tpl = Cell(ws)
            if col.kind in ("int", "float", "share"):
                tpl.number_format = number_format(col.kind, col.info.decimals)
            elif col.kind == "text":
                tpl.number_format = "@"
                tpl.alignment = indent  # apart from a number on its left
            else:  # Excel shows a boolean as VRAI/FAUX itself; LibreOffice needs the format
                tpl.number_format = yes_no
            if excluded:
                tpl.font = grey
            templates[c, excluded] = tpl._style
    text_cols = {c for c, col in enumerate(table.columns, start=1) if col.kind == "text"}
    for r, (row, excluded) in enumerate(zip(table.rows, table.excluded, strict=True), start=2):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str):
                value = xml_text(value)
            cell = ws.cell(row=r, column=c, value=value)
            cell._style = copy(templates[c, excluded])
            if c in text_cols and value is not None:
                cell.data_type = "s"  # never a formula, whatever the text
    widths = _widths(table)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    lines = max(
        math.ceil(len(c.info.header) / max(1.0, w - 1))
        for c, w in zip(table.columns, widths, strict=True)
    )
    ws.row_dimensions[1].height = 15 * min(lines, 6)
    name_col = next((j for j, c in enumerate(table.columns, 1) if c.key == "name"), 1)
    ws.freeze_panes = ws.cell(row=2, column=name_col + 1)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"
    # Printed: landscape, the header row and the name columns on every page.
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "1:1"
    ws.print_title_cols = f"A:{get_column_letter(name_col)}"


def _param_kind(criterion: str, key: str) -> str:
    from siteassess.criteria import CRITERIA

    crit = CRITERIA.get(criterion)
    param = crit.params.get(key) if crit is not None else None
    return param.kind if param is not None else ""


def _choice_text(criterion: str, key: str, value: str, lang: str) -> str:
    from siteassess.criteria import CRITERIA
    from siteassess.value_text import param_value_text

    return param_value_text(CRITERIA[criterion].params[key], value, lang)


def _param_unit(criterion: str, key: str) -> str:
    from siteassess.criteria import CRITERIA

    crit = CRITERIA.get(criterion)
    param = crit.params.get(key) if crit is not None else None
    return param.unit if param is not None else ""


def _method_rows(a: Assessment, lang: str, day: dt.date) -> list[list[Any]]:
    """The method sheet as rows: ``("h", text)`` headings and lists of typed cells."""
    from siteassess.reports.pdf.wording import (
        criterion_title,
        measure_label,
        rationale_text,
        scenario_name,
    )
    from siteassess.value_text import param_label, value_function_text

    m = a.measurements
    p = a.project
    rows: list[list[Any]] = [[("title", t("Method and sources", lang))]]
    facts: list[tuple[str, Any]] = [
        ("Project", p.name),
        ("Project file", vocabulary.file_name(str(p.path)) if p.path else None),  # no folder
        ("siteassess version", __version__),
        ("Date of the export", day),
        ("Working CRS", m.working_crs_label),
        ("Demand of the campus (MW)", p.demand_mw),
        (
            "A criterion that cannot be measured counts",
            t("as worst (0)", lang)
            if (p.missing or "worst") == "worst"
            else t("as absent: the other weights are renormalised", lang),
        ),
        ("Weights", t("direct (normalised)", lang) if a.ahp is None else t("AHP", lang)),
        (
            "ILLUSTRATIVE layers, not real data",
            illustrative.cell_text(a, lang) or t("none", lang),
        ),
    ]
    if a.ahp is not None:
        facts.append(("AHP consistency ratio", float(a.ahp.consistency_ratio)))
    rows += [[t(k, lang), v] for k, v in facts]
    rows.append([])
    rows.append([("h", t("Criteria, weights and value functions", lang))])
    rows.append(
        [
            ("th", t(h, lang))
            for h in (
                "Criterion",
                "Weight (%)",
                "Scored measure",
                "Column",
                "Value function",
                "Why this value function",
                "Layers used",
            )
        ]
    )
    for c in a.criteria:
        measure = vocabulary.ranking_column(c.measure, lang)
        rows.append(
            [
                criterion_title(c, lang),
                ("share", float(c.weight)),
                measure_label(c, lang),
                measure.header,
                value_function_text(c.transform, c.measure, lang),
                rationale_text(c, lang),
                illustrative.sources_text(a, c.sources, lang),
            ]
        )
    rows.append([])
    rows.append([("h", t("Parameters", lang))])
    rows.append([("th", t(h, lang)) for h in ("Criterion", "Parameter", "Value", "Unit")])
    for c in a.criteria:
        for key, value in c.params.items():
            if isinstance(value, bool):
                shown: Any = t("yes", lang) if value else t("no", lang)
            elif value is None:
                shown = t("none", lang)
            elif isinstance(value, str) and key.endswith("scenario"):
                shown = scenario_name(value, lang)
            elif isinstance(value, str) and _param_kind(c.name, key) == "choice":
                shown = _choice_text(c.name, key, value, lang)  # its label, never its key
            else:
                shown = value
            rows.append(
                [
                    criterion_title(c, lang),
                    param_label(c.name, key, lang),
                    shown,
                    _param_unit(c.name, key),
                ]
            )
    if a.sensitivity is not None:
        s = a.sensitivity
        rows.append([])
        rows.append([("h", t("Sensitivity to the weights", lang))])
        rows.append([t("Monte-Carlo draws", lang), int(s.draws)])
        rows.append(
            [t("Each weight multiplied by a factor between", lang), 1 - s.spread, 1 + s.spread]
        )
        rows.append([t("Random seed", lang), int(s.seed)])
    rows.append([])
    rows.append([("h", t("Layers and their provenance", lang))])
    rows.append(
        [
            ("th", t(h, lang))
            for h in (
                "Role",
                "Layer",
                "File",
                "Format",
                "Source",
                "Licence",
                "Date",
                "Features",
                "File CRS",
                "SHA-256",
                "Illustrative (not real data)",
            )
        ]
    )
    for lyr in m.layers:
        pv = lyr.provenance
        rows.append(
            [
                vocabulary.role_title(lyr.spec.role, lang),
                illustrative.shown_label(lyr, lang),
                vocabulary.file_name(pv.path),  # never a folder of the author's machine
                pv.format,
                lyr.source_text(lang) or t("not stated", lang),
                pv.licence or t("not stated", lang),
                pv.date or t("not stated", lang),
                int(lyr.features),
                lyr.source_crs,
                pv.sha256,
                t("yes", lang) if lyr.is_illustrative else t("no", lang),
            ]
        )
    if a.issues:
        from siteassess.reports.pdf.method import issue_text

        rows.append([])
        rows.append([("h", t("Data issues", lang))])
        rows.append([("th", t(h, lang)) for h in ("Site", "Severity", "Issue")])
        for iss in a.issues:  # the sentence in the wide third column
            rows.append([iss.site, t(iss.severity, lang), issue_text(iss, lang)])
    rows.append([])
    rows.append(
        [
            t(
                "With the same project file and layers (same SHA-256), “siteassess score "
                "PROJECT --json” gives the same numbers.",
                lang,
            )
        ]
    )
    return rows


_METHOD_WIDTHS = (34, 22, 40, 24, 40, 50, 18, 10, 14, 66, 14)


def _method_sheet(ws: Any, rows: Sequence[Sequence[Any]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    title = Font(bold=True, size=14)
    fill = PatternFill("solid", fgColor=_HEAD_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for r, row in enumerate(rows, start=1):
        # A fact (label, value) runs on into the empty cells beside it; tables wrap.
        table_row = len(row) > 2
        lines = 1
        for c, item in enumerate(row, start=1):
            style, value = item if isinstance(item, tuple) else ("", item)
            if isinstance(value, str):
                value = neutralise(xml_text(value))
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            if style == "title":
                cell.font = title
            elif style in ("h", "th"):
                cell.font = bold
                if style == "th":
                    cell.fill = fill
            elif style == "share":
                cell.number_format = "0.0%"
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, float):
                cell.number_format = "#,##0.###"
            cell.alignment = wrap if table_row else top
            if table_row and isinstance(value, str):
                width = _METHOD_WIDTHS[c - 1] if c <= len(_METHOD_WIDTHS) else 10
                lines = max(lines, math.ceil(len(value) / width))
        if lines > 1:  # spreadsheets do not always grow a row to its wrapped text
            ws.row_dimensions[r].height = 15 * min(lines, 15)
    for letter, width in zip("ABCDEFGHIJK", _METHOD_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # as wide as one page
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def xlsx_bytes(a: Assessment, lang: str, day: dt.date | None = None) -> bytes:
    """The workbook: the ranking sheet, then the method (weights, parameters, sources)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = t("Ranking", lang)
    _ranking_sheet(ws, ranking_table(a, lang), lang)
    _method_sheet(wb.create_sheet(t("Method", lang)), _method_rows(a, lang, day or dt.date.today()))
    wb.properties.title = xml_text(f"{t('Ranking', lang)} · {a.project.name}")
    wb.properties.creator = f"siteassess {__version__}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_xlsx(a: Assessment, target: Path, *, lang: str, day: dt.date | None = None) -> Path:
    """Write the ranking workbook to ``target`` (.xlsx), atomically."""
    data = xlsx_bytes(a, lang, day)
    try:
        with atomic_output(target) as tmp:
            tmp.write_bytes(data)
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    return target
