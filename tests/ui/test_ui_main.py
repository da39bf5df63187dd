"""The main window on the sample project: the ranked table, live weights, detail, language."""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt

from siteassess.ui.detail import site_detail_html
from tests.ui.conftest import wait_assessed

NBSP = "\u00a0"


def expected_scores(measures: pd.DataFrame, weights: dict[str, float]) -> pd.Series:
    """Scores computed by hand from the measures and the sample's default value functions."""

    def clip(x: pd.Series) -> pd.Series:
        return x.clip(0.0, 1.0).fillna(0.0)  # not measurable counts as worst

    values = {
        "power": clip(1 - measures["substation_distance_m"] / 20_000),  # 1 at 0 m, 0 at 20 km
        "flood": clip(1 - measures["flood_share_any_pct"] / 50),  # 1 at 0 %, 0 at 50 %
        # With the fibre layer: the distance to the fibre, 1 at 0 m, 0 at 10 km.
        "connectivity": clip(1 - measures["fibre_distance_m"] / 10_000),
        "land": clip((25 - measures["power_density_mw_per_ha"]) / 15),  # 10 → 1, 25 → 0 MW/ha
        "zoning": clip(measures["zoning_share_allowed_pct"] / 100),  # 0 at 0 %, 1 at 100 %
        "heat": clip(1 - measures["heat_network_distance_m"] / 10_000),  # 1 at 0 m, 0 at 10 km
        # Declared in the sample's file: 1 at 0 % inside the Natura 2000 zone, 0 at 100 %.
        "natura2000": clip(1 - measures["natura2000_share_pct"] / 100),
    }
    total = sum(weights.values())
    return sum(100 * weights[k] / total * v for k, v in values.items())  # type: ignore[return-value]


def expected_order(measures: pd.DataFrame, weights: dict[str, float]) -> list[str]:
    """Site ids best first, leaving out the sites a hard rule excludes."""
    scores = expected_scores(measures, weights)
    excluded = (
        (measures["flood_share_excluding_pct"] > 0)
        | (measures["area_ha"] < 10)
        | (measures["zoning_share_excluding_pct"] > 1)  # zoning's default rule
        | (measures["natura2000_share_pct"] > 0)  # the sample's exclude_above_pct = 0
    )
    kept = scores[~excluded.to_numpy()]
    return [str(i) for i in kept.sort_values(ascending=False, kind="stable").index]


def table_order(w: Any) -> list[str]:
    """Site ids of the ranked rows, in rank order (as the table sorts by rank)."""
    w.table.sortByColumn(w.model.column_of("rank"), Qt.SortOrder.AscendingOrder)
    ids = []
    for r in range(w.model.rowCount()):
        if w.model.sort_key(r, "rank") is not None:
            ids.append(w.model.site_at(r))
    return ids


def cell(w: Any, site: str, key: str, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    # The model's own data(), not QModelIndex.data(): see siteassess/ui/none_guard.py.
    return w.model.data(w.model.index(w.model.row_of(site), w.model.column_of(key)), role)


SAMPLE_WEIGHTS = {
    "power": 40.0,
    "flood": 25.0,
    "connectivity": 25.0,
    "land": 10.0,
    "zoning": 5.0,
    "heat": 5.0,
    "natura2000": 5.0,
}


def test_sample_ranking_in_the_table(sample_window: Any) -> None:
    w = sample_window
    measures = w.assessment.measurements.measures
    assert w.model.rowCount() == 7
    assert table_order(w) == expected_order(measures, SAMPLE_WEIGHTS)
    scores = expected_scores(measures, SAMPLE_WEIGHTS)
    for sid in measures.index:
        shown = cell(w, str(sid), "score")
        assert shown == f"{scores[sid]:.1f}".replace(".", ",")
        area = measures.loc[sid, "area_ha"]
        assert cell(w, str(sid), "area_ha") == f"{area:.1f}".replace(".", ",") + f"{NBSP}ha"
        km = measures.loc[sid, "substation_distance_m"] / 1000
        assert cell(w, str(sid), "substation_distance_m") == f"{km:.1f}".replace(".", ",") + (
            f"{NBSP}km"
        )
    # The excluded site has no rank, says why in its tooltip, and sorts last.
    excluded = measures.index[measures["flood_share_excluding_pct"] > 0]
    assert list(excluded) == ["loon-plage-edf"]
    assert cell(w, "loon-plage-edf", "rank") == "—"
    # In the app's language (French here), never the core's English sentence.
    assert "du scénario moyen" in cell(w, "loon-plage-edf", "exclusions", Qt.ToolTipRole)
    last = w.model.site_at(w.model.rowCount() - 1)
    assert last == "loon-plage-edf"
    headers = [w.model.headerData(c, Qt.Horizontal) for c in range(w.model.columnCount())]
    assert headers[:4] == ["Rang", "Note", "Friche", "Commune"]
    assert cell(w, "escaudain-soufflantes", "commune") == "Escaudain (59205)"
    # min kV follows the 700 MW rule (400 kV): one substation column, not two identical.
    assert "Poste ≥ 400 kV" in headers and "Surface" in headers
    assert not any(h.startswith("Poste 400") for h in headers), headers
    assert cell(w, "douvrin-fm-ouest", "outline") == "approximatif"


def test_a_new_weight_reranks_without_measuring_again(qtbot: Any, sample_window: Any) -> None:
    w = sample_window
    measurements = w.assessment.measurements
    before = table_order(w)
    w.weights_panel.set_weight("land", 100)
    weights = {**SAMPLE_WEIGHTS, "land": 100.0}
    after = table_order(w)
    assert after == expected_order(measurements.measures, weights)
    assert after != before  # the heavier land weight changes the order
    assert w.assessment.measurements is measurements  # re-scored only
    assert not w.runner.busy("assess")
    assert w.doc.dirty and w.windowTitle().endswith("*")
    scores = expected_scores(measurements.measures, weights)
    top = after[0]
    assert cell(w, top, "score") == f"{scores[top]:.1f}".replace(".", ",")
    # The probability of ranking first follows in the worker.
    qtbot.waitUntil(lambda: w.model.rows[0].p_first is not None, timeout=10_000)
    assert sum(r.p_first or 0 for r in w.model.rows) == pytest.approx(1.0)


def test_sorting_by_a_measure_keeps_unknown_values_last(sample_window: Any) -> None:
    w = sample_window
    col = w.model.column_of("area_ha")
    w.table.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    areas = [w.model.sort_key(r, "area_ha") for r in range(w.model.rowCount())]
    assert areas == sorted(areas, reverse=True)
    measures = w.assessment.measurements.measures
    assert w.model.site_at(0) == str(measures["area_ha"].idxmax())
    # Unknown values (None in the sort role) go last in both orders.
    from dataclasses import replace

    from siteassess.assessment import score

    m = w.assessment.measurements
    unknown = m.measures.copy()
    unknown.loc[unknown.index[0], "area_ha"] = math.nan
    w.model.set_assessment(score(replace(m, measures=unknown), w.doc.project, sensitivity=False))
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        w.table.sortByColumn(col, order)
        assert w.model.sort_key(w.model.rowCount() - 1, "area_ha") is None


def test_detail_panel_explains_the_score(sample_window: Any) -> None:
    w = sample_window
    w.select_site("escaudain-soufflantes")
    text = w.detail.toPlainText()
    assert "Les Soufflantes (ex-Usinor)" in text
    assert "Comment la note est calculée" in text
    for expected in ("Raccordement électrique", "Risque d’inondation", "Foncier"):
        assert expected in text
    # French typography in the HTML (the text view turns no-break spaces into spaces).
    html = site_detail_html(w.assessment, "escaudain-soufflantes")
    assert f"vaut 1 à 0{NBSP}m et 0 à partir de 20{NBSP}km, linéaire entre les deux" in html
    power = 100 * SAMPLE_WEIGHTS["power"] / sum(SAMPLE_WEIGHTS.values())
    assert f"{power:.1f}{NBSP}%".replace(".", ",") in html  # the power weight, 34,8 %
    assert "BOUCHAIN" in text  # the nearest substation, among every measured value
    assert "Escaudain (59205)" in text
    # The supply options, in French: Bouchain nearest, Mastaing (the press's) listed too.
    assert "Options de raccordement" in text
    assert text.index("Bouchain") < text.index("Mastaing")
    assert "parmi les 3 plus proches à 400" in text
    assert "ILLUSTRATIF" in text  # the flood layer's source is illustrative
    assert "Contour approximatif" in text
    assert "Toutes les valeurs mesurées" in text
    a = w.assessment
    i = a.site_ids.index("escaudain-soufflantes")
    for j, c in enumerate(a.criteria):
        points = f"{a.table.contributions[i, j]:.1f}".replace(".", ",")
        assert points in text, c.name


def test_the_detail_and_the_table_write_a_distance_alike(sample_window: Any) -> None:
    """Courcelles is 11,395 m from its substation: « 11,4 km » in the table and the detail."""
    w = sample_window
    site = "courcelles-metaleurop"
    assert round(float(w.assessment.measurements.measures.loc[site, "substation_distance_m"])) == (
        11_395
    )
    cell = w.model.index(w.model.row_of(site), w.model.column_of("substation_distance_m"))
    assert w.model.data(cell) == f"11,4{NBSP}km"
    w.select_site(site)
    html = site_detail_html(w.assessment, site)
    scored = html.split("</tr>")[1]  # the power criterion's row of "How the score is made"
    assert "Raccordement électrique" in scored
    assert f">11,4{NBSP}km</td>" in scored
    assert "11,395" not in html and "11\u202f395" not in html


def test_selecting_on_the_map_selects_the_row(sample_window: Any) -> None:
    w = sample_window
    w.select_site_from_map("courcelles-metaleurop")
    assert w.current_site() == "courcelles-metaleurop"
    assert "Usine Metaleurop" in w.detail.toPlainText()


def test_language_switch(sample_window: Any) -> None:
    w = sample_window
    assert w.status_label.text() == "7 sites évalués."
    w.switch_language("en")
    try:
        assert w.model.headerData(1, Qt.Horizontal) == "Score"
        assert w.menus.file.title() == "&File"
        assert w.status_label.text() == "7 sites assessed."  # the status bar follows
        assert cell(w, "douvrin-fm-ouest", "area_ha").endswith(f"{NBSP}ha")
        assert "." in cell(w, "douvrin-fm-ouest", "score")
        assert w.settings.language() == "en"
    finally:
        w.switch_language("fr")
    assert w.model.headerData(1, Qt.Horizontal) == "Note"
    assert w.menus.file.title() == "&Fichier"
    assert w.status_label.text() == "7 sites évalués."


def test_illustrative_layers_and_approximate_outlines_are_labelled(sample_window: Any) -> None:
    w = sample_window
    assert w.banner.isVisible()
    text = w.banner.text()
    assert "ILLUSTRATIVES" in text and "flood_illustrative.geojson" in text
    assert "7 contours de friche approximatifs" in text
    names = [
        w.layers_panel.tree.topLevelItem(i).text(0)
        for i in range(w.layers_panel.tree.topLevelItemCount())
    ]
    # flood, fibre, grid capacity, heat networks, zoning and the Natura 2000 zone
    assert sum(n.startswith("⚠ ILLUSTRATIF — ") for n in names) == 6


def test_layers_panel_shows_crs_count_and_state(sample_window: Any) -> None:
    tree = sample_window.layers_panel.tree
    rows = {
        tree.topLevelItem(i).text(0): tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
    }
    substations = next(item for name, item in rows.items() if name.startswith("Postes"))
    assert substations.text(1) == "EPSG:4326"
    assert substations.text(2) == "71"
    assert substations.text(3) == "OK"


def test_criterion_parameters_are_measured_again(qtbot: Any, sample_window: Any) -> None:
    w = sample_window
    first = w.assessment
    w.set_params("land", {"min_area_ha": 45.0})
    qtbot.waitUntil(
        lambda: w.assessment is not first and not w.runner.busy("assess"), timeout=30_000
    )
    areas = w.assessment.measurements.measures["area_ha"]
    small = {str(s) for s in areas.index[areas < 45.0]}
    assert small and small <= set(w.assessment.exclusions)
    for site in small:
        assert cell(w, site, "rank") == "—"
    assert w.doc.project.criterion("land").params["min_area_ha"] == 45.0
    assert w.params_panel.widget("land", "min_area_ha").value() == 45.0


def test_cancel_stops_long_work_and_the_window_stays_responsive(qtbot: Any, window: Any) -> None:
    from siteassess.errors import CancelledError

    steps: list[float] = []

    def slow(progress: Any, cancelled: Any) -> None:
        for k in range(1000):
            if cancelled():
                raise CancelledError("cancelled by the user")
            progress(k / 1000, "measuring power supply")
            steps.append(k)
            time.sleep(0.01)

    done: list[object] = []
    window.runner.start("assess", slow, done.append)
    qtbot.waitUntil(lambda: window.progress.isVisible() and len(steps) > 5, timeout=5000)
    assert window.cancel_button.isVisible()
    assert "mesure" in window.status_label.text()  # the core's message, in French
    qtbot.mouseClick(window.cancel_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=5000)
    assert window.status_label.text() == "Annulé."
    assert not window.progress.isVisible() and not done
    assert len(steps) < 1000


def test_weights_panel_shows_normalised_shares(sample_window: Any) -> None:
    shares = [sample_window.weights_panel.shares[n].text() for n in ("power", "land")]
    assert shares == [f"35{NBSP}%", f"9{NBSP}%"]  # 40 and 10 of 115
    values = np.array([s.value() for s in sample_window.weights_panel.spins.values()])
    assert values.sum() == sum(SAMPLE_WEIGHTS.values())  # as the project file gives them


def test_a_project_without_sites_says_what_to_add(qtbot: Any, window: Any) -> None:
    window.new_project()
    wait_assessed(qtbot, window)
    assert window.assessment is None
    assert window.doc.dirty
    assert "Sites (friches)" in (window.outcome.error or "")


def test_a_min_kv_below_the_demand_is_warned(sample_window: Any) -> None:
    panel = sample_window.params_panel
    warning = panel.warnings[("power", "min_kv")]
    assert warning.isHidden()  # the sample follows the rule
    panel.set_value("power", "min_kv", 225.0)
    panel.update_warnings()
    assert not warning.isHidden()
    assert "400" in warning.text() and "700" in warning.text()
    panel.set_value("power", "min_kv", 400.0)
    panel.update_warnings()
    assert warning.isHidden()


def test_the_table_says_which_criterion_does_not_separate_the_sites(
    qtbot: Any, window: Any, tmp_path: Any
) -> None:
    from tests.conftest import sample_without
    from tests.ui.conftest import wait_assessed

    assert window.open_project(sample_without(tmp_path, "fibre"), ask=False)
    wait_assessed(qtbot, window)
    note = window.separation_note
    assert not note.isHidden()
    assert "« Connectivité (FLAP) » ne départage pas ces sites" in note.text()
    assert "3,71" in note.text() and "ms" in note.text()
    assert "Raccordement" not in note.text()  # power does separate them


def test_with_the_fibre_layer_connectivity_separates_the_sample(sample_window: Any) -> None:
    # Zoning (every ranked site wholly in U or AUc zones) and Natura 2000 (none inside) add
    # the same points to each ranked site; power, flood, connectivity, land and heat separate.
    note = sample_window.separation_note.text()
    assert "« Zonage » ne départage pas" in note and "« Natura 2000 » ne départage pas" in note
    for name in ("Connectivité", "Raccordement", "Chaleur", "Foncier"):
        assert f"« {name}" not in note
