"""The app in French holds no English and no code keys (issue 11 §5), in its main views.

The main window on the sample project (and on the real inventory of Nord and Pas-de-Calais
when ../shared/data is there): the ranking table (headers, cells, tooltips), the detail
panel of each site, the layers panel, the weights and parameters panels and the compare
window. Their texts are read from the widgets and searched, as the reports' test does
(tests/reports/test_french_everywhere.py), for texts without French, code keys and English
words, once the data values are struck out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTabWidget,
    QTextEdit,
    QTreeWidget,
    QWidget,
)

from siteassess.ui import i18n_ui
from siteassess.ui.detail import site_detail_html
from tests.conftest import real_inventory_project
from tests.reports.test_french_everywhere import (
    ENGLISH,
    ROLE_WORD,
    SNAKE,
    data_values,
    findings,
    parameter_keys,
)
from tests.ui.conftest import SAMPLE, wait_assessed


def widget_texts(root: QWidget) -> str:
    """Every text a person can read in ``root`` and its children (tooltips too)."""
    out: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        out.append(w.toolTip())
        if isinstance(w, QLabel | QAbstractButton | QLineEdit):
            out.append(w.text())
        if isinstance(w, QLineEdit):
            out.append(w.placeholderText())
        if isinstance(w, QGroupBox):
            out.append(w.title())
        if isinstance(w, QTextEdit):
            out.append(w.toPlainText())
        if isinstance(w, QComboBox):
            out += [w.itemText(k) for k in range(w.count())]
        if isinstance(w, QTabWidget):
            out += [w.tabText(k) for k in range(w.count())]
        if isinstance(w, QTreeWidget):
            for k in range(w.topLevelItemCount()):
                item = w.topLevelItem(k)
                out += [item.text(c) for c in range(w.columnCount())]
                out += [item.toolTip(c) for c in range(w.columnCount())]
            header = w.headerItem()
            out += [header.text(c) for c in range(w.columnCount())]
        if isinstance(w, QListWidget):
            out += [w.item(k).text() for k in range(w.count())]
        if isinstance(w, QAbstractItemView) and not isinstance(w, QTreeWidget | QListWidget):
            model = w.model()
            if model is None:
                continue
            for c in range(model.columnCount()):
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    out.append(str(model.headerData(c, Qt.Orientation.Horizontal, role) or ""))
            for r in range(min(model.rowCount(), 60)):
                out.append(str(model.headerData(r, Qt.Orientation.Vertical) or ""))
                for c in range(model.columnCount()):
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        value = model.data(model.index(r, c), role)
                        out.append("" if value is None else str(value))
    return "\n".join(t for t in out if t)


@pytest.fixture(params=["sample", "real"])
def views(request: pytest.FixtureRequest, qtbot: Any, window: Any, tmp_path: Path) -> Any:
    """(assessment, view name → text, untranslated) of the app on one project, in French."""
    project = SAMPLE if request.param == "sample" else real_inventory_project(tmp_path)
    assert window.open_project(project, ask=False)
    wait_assessed(qtbot, window, timeout=300_000)
    a = window.assessment
    assert a is not None, window.outcome
    i18n_ui.UNTRANSLATED.clear()
    texts: dict[str, str] = {}
    texts["ranking table"] = widget_texts(window.table)
    best = a.best_sites(3)
    excluded = [str(s) for s, x in zip(a.site_ids, a.table.excluded, strict=True) if x][:1]
    for site in [*best, *excluded]:
        window.detail.setHtml(site_detail_html(a, site))
        texts[f"detail {site}"] = window.detail.toPlainText()
    texts["layers panel"] = widget_texts(window.layers_panel)
    for k in range(window.layers_panel.tree.topLevelItemCount()):
        window.layers_panel.tree.setCurrentItem(window.layers_panel.tree.topLevelItem(k))
        texts[f"layer {k}"] = window.layers_panel.details.toPlainText()
    texts["weights panel"] = widget_texts(window.weights_panel)
    texts["parameters panel"] = widget_texts(window.params_panel)
    dialog = window.make_compare_dialog([*best[:2], *excluded])
    qtbot.addWidget(dialog)
    texts["compare window"] = widget_texts(dialog)
    # The app runs on the planner's own machine: its paths are shown, as data.
    folders = {str(Path(lyr.provenance.path).parent) for lyr in a.measurements.layers}
    values = sorted([*data_values(a), *folders], key=len, reverse=True)
    return a, texts, set(i18n_ui.UNTRANSLATED), values


def test_every_text_the_app_asked_for_has_its_french(views: Any) -> None:
    _, texts, untranslated, _ = views
    assert len(texts) >= 8 and all(texts.values())
    assert untranslated == set()


def test_the_app_shows_no_code_key(views: Any) -> None:
    _, texts, _, values = views
    params = parameter_keys()
    keys = [f for f in findings(texts, SNAKE, values) if f.split("'")[1] not in params]
    assert keys == []
    assert list(findings(texts, ROLE_WORD, values)) == []


def test_the_app_shows_no_english(views: Any) -> None:
    _, texts, _, values = views
    assert list(findings(texts, ENGLISH, values)) == []
