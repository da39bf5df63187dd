"""File ▸ Export from the app: real PDFs and spreadsheets, in the UI language, cancellable.

The exports run in the window's worker; the tests wait for the exporter's signals and
read the files back (pypdf, openpyxl). The system viewer is replaced by a list, so no
test opens a PDF reader.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import wait_assessed

TIMEOUT = 120_000


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of a PDF (and checks that it is one)."""
    from pypdf import PdfReader

    assert path.read_bytes()[:5] == b"%PDF-", path
    return [page.extract_text() for page in PdfReader(path).pages]


@pytest.fixture
def viewer(sample_window: Any) -> list[Path]:
    """What the exports would have opened in the system viewer."""
    opened: list[Path] = []
    sample_window.exporter.viewer = opened.append
    return opened


def run_export(qtbot: Any, window: Any, start: Any) -> Any:
    """Start an export and wait until it has written its files; its result."""
    with qtbot.waitSignal(window.exporter.exported, timeout=TIMEOUT) as blocker:
        assert start()
    assert not window.exporter.busy() or window.runner.wait()
    assert window.exporter.dialog is None  # the progress dialog is gone
    return blocker.args[0]


def test_the_file_menu_offers_the_exports_in_french(sample_window: Any) -> None:
    texts = [a.text() for a in sample_window.menus.file.actions()]
    for text in (
        "Exporter la &fiche du site…",
        "Exporter la &comparaison…",
        "Exporter &toutes les fiches…",
        "Exporter le c&lassement…",
    ):
        assert text in texts
    acts = sample_window.actions_
    assert all(a.isEnabled() for a in (acts.export_site, acts.export_ranking))


def test_export_site_report_writes_the_selected_site_in_the_ui_language(
    qtbot: Any, sample_window: Any, viewer: list[Path], tmp_path: Path
) -> None:
    w = sample_window
    site = w.model.rows[1].site_id
    w.select_site(site)
    target = tmp_path / "fiche.pdf"
    result = run_export(qtbot, w, lambda: w.exporter.site_report(target))
    pages = pdf_pages(target)
    assert len(pages) >= 4 and "FICHE SITE" in pages[0]
    name = str(w.assessment.measurements.sites["name"].loc[site])
    assert name in pages[0]
    assert result.path == target and viewer == [target]
    assert str(target) in w.status_label.text()

    w.switch_language("en")
    w.select_site(site)
    english = tmp_path / "report.pdf"
    run_export(qtbot, w, lambda: w.exporter.site_report(english))
    assert "SITE REPORT" in pdf_pages(english)[0]
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["fiche.pdf", "report.pdf"]


def test_export_site_report_needs_a_selected_site(
    sample_window: Any, app_state: dict[str, Any], tmp_path: Path
) -> None:
    sample_window.table.selectionModel().clear()  # no current row
    assert sample_window.current_site() is None
    assert not sample_window.exporter.site_report(tmp_path / "x.pdf")
    assert app_state["errors"] and "Sélectionnez" in app_state["errors"][0][1]
    assert not (tmp_path / "x.pdf").exists()


def test_export_comparison_takes_the_sites_of_the_compare_view(
    qtbot: Any, sample_window: Any, viewer: list[Path], tmp_path: Path
) -> None:
    w = sample_window
    ids = [r.site_id for r in w.model.rows if not r.excluded][2:4]
    dialog = w.make_compare_dialog(ids)
    dialog.show()
    assert w.exporter.compared_sites() == ids
    target = tmp_path / "comparaison.pdf"
    run_export(qtbot, w, lambda: w.exporter.comparison(target))
    text = "\n".join(pdf_pages(target))
    assert "Comparaison de 2 sites" in text
    names = w.assessment.measurements.sites["name"]
    assert all(str(names.loc[s]) in text for s in ids)
    assert viewer == [target]


def test_export_comparison_defaults_to_the_top_sites(
    qtbot: Any, sample_window: Any, viewer: list[Path], tmp_path: Path
) -> None:
    w = sample_window
    assert w.exporter.compared_sites() is None  # nothing compared or selected
    target = tmp_path / "top.pdf"
    run_export(qtbot, w, lambda: w.exporter.comparison(target))
    text = "\n".join(pdf_pages(target))
    best = w.model.rows[0].site_id
    assert str(w.assessment.measurements.sites["name"].loc[best]) in text


def test_export_all_reports_writes_one_pdf_per_site_into_a_new_folder(
    qtbot: Any, sample_window: Any, viewer: list[Path], tmp_path: Path
) -> None:
    w = sample_window
    folder = tmp_path / "fiches"
    progress: list[float] = []
    w.exporter.progressed.connect(lambda f, m: progress.append(f))
    result = run_export(qtbot, w, lambda: w.exporter.all_reports(folder))
    expected = sorted(f"{s}.pdf" for s in w.assessment.site_ids)
    assert sorted(p.name for p in folder.iterdir()) == expected  # no staging folder left
    assert all(len(pdf_pages(folder / n)) >= 4 for n in expected[:2])
    assert len(result.files) == len(expected) and viewer == [folder]
    assert progress[0] == 0.0 and progress[-1] == 1.0 and len(progress) > len(expected)


def test_cancelling_an_export_writes_nothing(
    qtbot: Any, sample_window: Any, viewer: list[Path], tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QPushButton

    w = sample_window
    w.select_site(w.model.rows[0].site_id)
    target = tmp_path / "fiche.pdf"
    with qtbot.waitSignal(w.exporter.stopped, timeout=TIMEOUT) as blocker:
        assert w.exporter.site_report(target)
        w.exporter.cancel()  # as the progress dialog's Cancel button does
    assert blocker.args == ["cancelled"]
    assert w.runner.wait()
    assert list(tmp_path.iterdir()) == [tmp_path / "state"]
    assert "annulé" in w.status_label.text() and viewer == []

    folder = tmp_path / "fiches"
    with qtbot.waitSignal(w.exporter.stopped, timeout=TIMEOUT) as blocker:
        assert w.exporter.all_reports(folder)
        qtbot.waitUntil(lambda: any(folder.glob(".siteassess-reports-*/*.pdf")), timeout=TIMEOUT)
        w.exporter.dialog.findChild(QPushButton).click()  # the dialog's Cancel button
    assert blocker.args == ["cancelled"]
    assert w.runner.wait()
    assert list(folder.iterdir()) == []  # neither reports nor the staging folder
    assert w.exporter.dialog is None and viewer == []


def test_an_export_error_names_the_file(
    qtbot: Any, sample_window: Any, app_state: dict[str, Any], tmp_path: Path
) -> None:
    w = sample_window
    w.select_site(w.model.rows[0].site_id)
    target = tmp_path / "missing-folder" / "fiche.pdf"
    with qtbot.waitSignal(w.exporter.stopped, timeout=TIMEOUT) as blocker:
        assert w.exporter.site_report(target)
    assert blocker.args == ["failed"]
    title, message = app_state["errors"][-1]
    assert title == "Échec de l’export" and str(target) in message
    assert not target.exists()


def test_export_ranking_as_xlsx_csv_and_gpkg(
    qtbot: Any, sample_window: Any, viewer: list[Path], tmp_path: Path
) -> None:
    import geopandas as gpd
    import openpyxl
    import pandas as pd

    w = sample_window
    n = len(w.assessment.site_ids)
    xlsx = tmp_path / "classement.xlsx"
    run_export(qtbot, w, lambda: w.exporter.ranking(xlsx))
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["Classement", "Méthode"]
    ws = wb["Classement"]
    assert ws.max_row == n + 1 and ws.freeze_panes is not None
    assert "Note (sur 100)" in [c.value for c in ws[1]]

    csv = tmp_path / "classement.csv"
    run_export(qtbot, w, lambda: w.exporter.ranking(csv))  # French: the Excel dialect
    assert csv.read_bytes().startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(csv, sep=";", decimal=",", encoding="utf-8-sig")
    assert len(df) == n and df["Note (sur 100)"].dtype == float

    plain = tmp_path / "plain.csv"
    run_export(qtbot, w, lambda: w.exporter.ranking(plain, "plain"))
    assert list(pd.read_csv(plain).columns[:3]) == ["site_id", "rank", "score"]

    gpkg = tmp_path / "classement.gpkg"
    run_export(qtbot, w, lambda: w.exporter.ranking(gpkg))
    assert len(gpd.read_file(gpkg)) == n

    # The CNIG Friches exchange file: the standard's columns, then the results.
    cnig = tmp_path / "friches-cnig.csv"
    run_export(qtbot, w, lambda: w.exporter.ranking(cnig, "cnig-friches"))
    df = pd.read_csv(cnig, dtype=str, keep_default_na=False)
    assert list(df.columns[:3]) == ["site_id", "site_nom", "site_type"]
    assert len(df) == n and (df["siteassess_rank"] != "").any()
    assert set(df["site_id"]) == set(w.assessment.site_ids)
    assert viewer == []  # spreadsheets are not opened by themselves


@pytest.mark.slow
def test_exports_from_the_app_on_the_real_inventory(
    qtbot: Any, window: Any, shared_data: Path, tmp_path: Path
) -> None:
    """The 2,111 Cartofriches friches: the ranking workbook, a site report, a comparison."""
    import openpyxl

    from tests.conftest import real_inventory_project

    w = window
    assert w.open_project(real_inventory_project(tmp_path, shared_data=shared_data), ask=False)
    wait_assessed(qtbot, w, timeout=TIMEOUT)
    assert w.assessment is not None and len(w.assessment.site_ids) == 2111
    w.exporter.viewer = None
    times = {}
    xlsx = tmp_path / "classement.xlsx"
    start = time.perf_counter()
    run_export(qtbot, w, lambda: w.exporter.ranking(xlsx))
    times["ranking xlsx"] = time.perf_counter() - start
    ws = openpyxl.load_workbook(xlsx, read_only=True)["Classement"]
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 2112
    score = rows[0].index("Note (sur 100)")
    assert all(isinstance(r[score], float) for r in rows[1:])
    w.select_site(w.model.rows[0].site_id)
    for kind, start_export in (
        ("site report", lambda: w.exporter.site_report(tmp_path / "fiche.pdf")),
        ("comparison", lambda: w.exporter.comparison(tmp_path / "comparaison.pdf")),
    ):
        start = time.perf_counter()
        run_export(qtbot, w, start_export)
        times[kind] = time.perf_counter() - start
    assert len(pdf_pages(tmp_path / "fiche.pdf")) >= 4
    assert "Comparaison de 5 sites" in pdf_pages(tmp_path / "comparaison.pdf")[0]
    print({k: round(v, 2) for k, v in times.items()})
