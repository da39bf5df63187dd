"""Issue 12 §5, §6 in the app: the ranking table flags a site designated by the State and
shows the zoning criterion's headline, in French.

The project: two hand-made sites and their PLU zones (CNIG PLU standard v2017, see
tests/zoning_fixtures); the second site carries an ILLUSTRATIVE « site clé en main »
designation with its source and date (tests/test_designation).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from siteassess.i18n import format_number
from tests.test_designation import DATE, FLAG, SOURCE, _designated_project
from tests.ui.conftest import wait_assessed


def test_the_table_flags_the_designated_site(qtbot: Any, window: Any, tmp_path: Path) -> None:
    assert window.open_project(_designated_project(tmp_path / "project"), ask=False)
    wait_assessed(qtbot, window)
    assert window.assessment is not None, window.outcome
    model = window.model
    j = model.column_of("designation")
    assert j >= 0
    head = model.headerData(j, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
    assert head == "Désignation par l’État"
    display, tip = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
    flagged = model.row_of("s1")
    assert model.data(model.index(flagged, j), display) == FLAG
    assert model.data(model.index(flagged, j), tip) == (
        f"Désigné par l’État (non noté)\xa0: {SOURCE} · {DATE}"
    )
    assert model.data(model.index(model.row_of("s0"), j), display) == ""
    # The zoning criterion's headline, as declared (share allowed, one decimal).
    k = model.column_of("zoning_share_allowed_pct")
    assert model.headerData(k, Qt.Orientation.Horizontal, display) == "Zonage favorable"
    share = float(window.assessment.measurements.measures.loc["s1", "zoning_share_allowed_pct"])
    assert model.data(model.index(flagged, k), display) == format_number(share, "fr", 1, "%")


def test_the_detail_panel_names_the_designation(qtbot: Any, window: Any, tmp_path: Path) -> None:
    from siteassess.ui.detail import site_detail_html

    assert window.open_project(_designated_project(tmp_path / "project"), ask=False)
    wait_assessed(qtbot, window)
    page = site_detail_html(window.assessment, "s1")
    assert f"Désigné par l’État (non noté)\xa0: {FLAG} — {SOURCE} · {DATE}" in html.unescape(page)
    assert "Désigné par l’État" not in site_detail_html(window.assessment, "s0")
    # The zoning criterion's explanation names the zones (libelle — libelong).
    assert "UX — Zone d'activités" in html.unescape(page)


def test_a_new_project_leaves_zoning_out() -> None:
    from siteassess.criteria import CRITERIA
    from siteassess.ui.document import new_project

    assert CRITERIA["zoning"].default_weight == 0
    assert "zoning" not in [c.name for c in new_project("Nouveau").criteria]
