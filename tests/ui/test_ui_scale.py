"""The ranking table at national scale (issue 13 §5): 24,000 sites in a virtual model.

The model formats only the cells the view shows, builds no per-row objects when it is
filled or re-ranked, and sorts like an independent sort (numpy or Python ``sorted``), with
unknown values last in both orders. Painting and sorting lose no reference to ``None``
(TECH_NOTES: PySide6 6.12 on Python 3.11).
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView

from siteassess.ui import ranking_table
from siteassess.ui.models import RankingModel
from tests.ui.scale import many_sites

N = 24_000


@pytest.fixture(scope="module")
def big() -> Any:
    """24,000 sites; every 7th has no measured area."""
    return many_sites(N, seed=13, unknown_area_every=7)


class SpyModel(RankingModel):
    """The ranking model, noting which rows the view asked about."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[int] = set()

    def data(self, index: Any, role: int = 0) -> Any:
        self.asked.add(index.row())
        return super().data(index, role)


@pytest.fixture
def view(qtbot: Any, big: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[QTableView, SpyModel]:
    model = SpyModel()
    made: list[int] = []
    real_row = ranking_table.make_row
    monkeypatch.setattr(ranking_table, "make_row", lambda t, i: made.append(i) or real_row(t, i))
    model.set_assessment(big)
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(model)
    table.resize(900, 400)
    table.show()
    qtbot.waitExposed(table)
    table.viewport().repaint()
    assert made == []  # filled and painted without one Row object
    return table, model


def test_the_table_formats_only_the_rows_it_shows(view: tuple[QTableView, SpyModel]) -> None:
    table, model = view
    assert model.rowCount() == N
    visible = table.rowAt(table.viewport().height() - 1)
    assert 0 < visible < 40
    assert model.asked and max(model.asked) <= visible + 1
    # Scrolled to the end: the rows there, not the ones between.
    model.asked.clear()
    table.scrollToBottom()
    table.viewport().repaint()
    assert min(model.asked) > N - 50 and len(model.asked) < 50
    assert model.cells < 5_000 < N


def _values(model: RankingModel, key: str) -> list[float | None]:
    return [model.sort_key(r, key) for r in range(model.rowCount())]


def test_sorting_by_a_measure_matches_an_independent_sort(
    view: tuple[QTableView, SpyModel], big: Any
) -> None:
    table, model = view
    area = big.measurements.measures["area_ha"].to_numpy(dtype=float)
    known = np.sort(area[~np.isnan(area)])
    unknown = int(np.isnan(area).sum())
    assert unknown == math.ceil(N / 7)
    col = model.column_of("area_ha")
    for order, expected in (
        (Qt.SortOrder.AscendingOrder, known),
        (Qt.SortOrder.DescendingOrder, known[::-1]),
    ):
        table.sortByColumn(col, order)
        shown = _values(model, "area_ha")
        assert shown[: len(known)] == pytest.approx(expected.tolist())
        assert shown[len(known) :] == [None] * unknown  # unknown last in both orders
        # The rows show the sites the keys belong to.
        for r in (0, len(known) // 2, len(known) - 1):
            sid = model.site_at(r)
            assert area[big.site_ids.index(sid)] == pytest.approx(shown[r])
            assert model.row_of(sid) == r


def test_sorting_by_name_and_rank_match_python(view: tuple[QTableView, SpyModel], big: Any) -> None:
    table, model = view
    names = dict(zip(big.site_ids, big.measurements.sites["name"], strict=True))
    table.sortByColumn(model.column_of("name"), Qt.SortOrder.AscendingOrder)
    shown = [names[model.site_at(r)] for r in range(N)]
    assert shown == sorted(names.values(), key=str.casefold)
    # Rank: the scores of the kept sites, highest first, then the excluded ones.
    table.sortByColumn(model.column_of("rank"), Qt.SortOrder.AscendingOrder)
    t = big.table
    kept = int((~t.excluded).sum())
    scores = dict(zip(big.site_ids, t.scores, strict=True))
    by_hand = sorted((s for s, x in zip(t.scores, t.excluded, strict=True) if not x), reverse=True)
    assert [scores[model.site_at(r)] for r in range(kept)] == pytest.approx(by_hand)
    excluded = {sid for sid, x in zip(big.site_ids, t.excluded, strict=True) if x}
    assert {model.site_at(r) for r in range(kept, N)} == excluded
    assert model.data(model.index(kept, model.column_of("rank"))) == "—"
    assert model.rows[0].site_id == model.site_at(0)  # rows: ranking order, made on demand


def test_a_new_assessment_keeps_the_sort_and_the_selection(
    view: tuple[QTableView, SpyModel], big: Any
) -> None:
    from siteassess.assessment import score

    table, model = view
    table.sortByColumn(model.column_of("area_ha"), Qt.SortOrder.DescendingOrder)
    project = big.measurements.project.with_weights(
        {"power": 10, "flood": 10, "connectivity": 10, "land": 70}
    )
    again = score(big.measurements, project, sensitivity=False)
    model.set_assessment(again)
    assert model.sort_column == model.column_of("area_ha")
    first = _values(model, "area_ha")[:3]
    assert first == sorted(first, reverse=True)
    sid = model.site_at(5)
    i = again.site_ids.index(sid)
    shown = model.data(model.index(5, model.column_of("score")))
    assert shown == f"{again.table.scores[i]:.1f}".replace(".", ",")


def test_painting_and_sorting_lose_no_reference_to_none(
    view: tuple[QTableView, SpyModel],
) -> None:
    table, model = view
    model.cells = 0
    before = sys.getrefcount(None)
    calls = 0
    for key in ("area_ha", "name", "rank", "p_first"):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            table.sortByColumn(model.column_of(key), order)
            table.viewport().repaint()
            calls += 5  # Qt calls that return nothing: these two, the sort's emits and
            # changePersistentIndexList (each loses one reference, see none_guard.py)
    lost = before - sys.getrefcount(None)
    # Hundreds of cells, each asked several roles, many of them empty (None): none of
    # those answers crossing to Qt costs a reference; sorting 24,000 rows costs none.
    assert model.cells > 500
    assert lost <= calls
    assert model.data(QModelIndex()) is None  # an invalid index, asked from Python
