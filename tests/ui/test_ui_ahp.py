"""The AHP dialog: weights and consistency ratio as the planner types, worst pair shown."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tomli_w
from PySide6.QtWidgets import QDialogButtonBox

from siteassess.ui.ahp_dialog import AHPDialog, judgement_text, parse_judgement
from tests.ui.conftest import SAMPLE, wait_assessed

CRITERIA = ["power", "flood", "connectivity", "land"]
RANDOM_INDEX_4 = 0.90  # Saaty's random index for four criteria


def principal_eigen(a: np.ndarray) -> tuple[np.ndarray, float]:
    """Weights and lambda_max by power iteration (independent of the app's numpy.linalg.eig)."""
    w = np.ones(len(a)) / len(a)
    for _ in range(500):
        w = a @ w
        w = w / w.sum()
    lam = float(np.mean((a @ w) / w))
    return w, lam


def type_matrix(dialog: AHPDialog, a: list[list[str]]) -> None:
    for i in range(len(a)):
        for j in range(i + 1, len(a)):
            dialog.set_judgement(i, j, a[i][j])


def ok_button(dialog: AHPDialog) -> Any:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_judgements_are_parsed_as_typed() -> None:
    assert parse_judgement("3") == 3
    assert parse_judgement("1/3") == pytest.approx(1 / 3)
    assert parse_judgement("0,5") == 0.5
    assert parse_judgement(" 1 / 9 ") == pytest.approx(1 / 9)
    for bad in ("", "abc", "0", "-2", "1/0"):
        with pytest.raises((ValueError, ZeroDivisionError)):
            parse_judgement(bad)
    assert judgement_text(1 / 3) == "1/3"
    assert judgement_text(0.75) == "0,75"  # not a whole reciprocal: a decimal
    assert judgement_text(5.0) == "5"


def test_a_consistent_matrix_gives_its_weights_and_ratio_zero(qtbot: Any) -> None:
    weights = np.array([0.4, 0.3, 0.2, 0.1])
    dialog = AHPDialog(CRITERIA, [[1.0] * 4 for _ in range(4)])
    qtbot.addWidget(dialog)
    text = [[f"{weights[i] / weights[j]:.6f}" for j in range(4)] for i in range(4)]
    type_matrix(dialog, text)
    res = dialog.ahp
    assert res is not None
    assert [res.weights[c] for c in CRITERIA] == pytest.approx(weights, abs=1e-5)
    assert res.consistency_ratio == pytest.approx(0.0, abs=1e-5)
    assert dialog.pair_label.text() == "Les jugements sont cohérents."
    assert ok_button(dialog).isEnabled()
    # The lower triangle shows the reciprocals.
    assert dialog.table.item(1, 0).text() == judgement_text(0.3 / 0.4)


def test_a_known_matrix_gives_the_eigenvector_weights_and_ratio(qtbot: Any) -> None:
    typed = [
        ["1", "3", "5", "9"],
        ["", "1", "2", "5"],
        ["", "", "1", "3"],
        ["", "", "", "1"],
    ]
    a = np.ones((4, 4))
    for i in range(4):
        for j in range(i + 1, 4):
            a[i, j] = float(typed[i][j])
            a[j, i] = 1 / a[i, j]
    w, lam = principal_eigen(a)
    cr = (lam - 4) / 3 / RANDOM_INDEX_4

    dialog = AHPDialog(CRITERIA)
    qtbot.addWidget(dialog)
    type_matrix(dialog, typed)
    res = dialog.ahp
    assert res is not None
    assert [res.weights[c] for c in CRITERIA] == pytest.approx(w, abs=1e-6)
    assert res.consistency_ratio == pytest.approx(cr, abs=1e-6)
    shown = f"{cr:.3f}".replace(".", ",")
    assert f"Ratio de cohérence\u00a0: {shown}" in dialog.ratio_label.text()
    assert "acceptable" in dialog.ratio_label.text()
    assert ok_button(dialog).isEnabled()


def test_an_inconsistent_matrix_points_at_the_worst_pair(qtbot: Any) -> None:
    # power ≫ flood ≫ land, yet land ≫ power: the land-power judgement is the odd one.
    typed = [
        ["1", "5", "3", "1/5"],
        ["", "1", "1", "5"],
        ["", "", "1", "3"],
        ["", "", "", "1"],
    ]
    a = np.ones((4, 4))
    for i in range(4):
        for j in range(i + 1, 4):
            a[i, j] = parse_judgement(typed[i][j])
            a[j, i] = 1 / a[i, j]
    w, lam = principal_eigen(a)
    cr = (lam - 4) / 3 / RANDOM_INDEX_4
    assert cr > 0.10
    errors = np.abs(np.log(a * w[np.newaxis, :] / w[:, np.newaxis]))
    i, j = np.unravel_index(np.argmax(np.triu(errors, 1)), errors.shape)

    dialog = AHPDialog(CRITERIA)
    qtbot.addWidget(dialog)
    type_matrix(dialog, typed)
    res = dialog.ahp
    assert res is not None and res.consistency_ratio == pytest.approx(cr, abs=1e-6)
    assert res.most_inconsistent_pair == (CRITERIA[i], CRITERIA[j])
    assert "trop incohérent" in dialog.ratio_label.text()
    labels = {"power": "Raccordement électrique", "land": "Foncier"}
    assert labels[CRITERIA[i]] in dialog.pair_label.text()
    assert labels[CRITERIA[j]] in dialog.pair_label.text()
    highlighted = dialog.table.item(int(i), int(j)).background().color().name()
    assert highlighted == "#ffb74d"
    # Too inconsistent: the planner must confirm before the weights are used.
    assert not ok_button(dialog).isEnabled()
    dialog.force.setChecked(True)
    assert ok_button(dialog).isEnabled()
    assert dialog.weight_settings().force


def test_an_invalid_entry_is_named_and_blocks_ok(qtbot: Any) -> None:
    dialog = AHPDialog(CRITERIA)
    qtbot.addWidget(dialog)
    dialog.set_judgement(0, 2, "beaucoup")
    assert dialog.ahp is None
    assert "Saisie invalide" in dialog.ratio_label.text()
    assert "beaucoup" in dialog.ratio_label.text()
    assert not ok_button(dialog).isEnabled()
    dialog.set_judgement(0, 2, "3")
    assert dialog.ahp is not None and ok_button(dialog).isEnabled()


@pytest.fixture
def four_criteria_window(qtbot: Any, window: Any, tmp_path: Path) -> Any:
    """The main window on a copy of the sample weighing only its four first criteria (the
    matrices below are 4 × 4)."""
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE.parent, folder)
    path = folder / "project.toml"
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    doc["criteria"] = {k: doc["criteria"][k] for k in CRITERIA}
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    assert window.open_project(path, ask=False)
    wait_assessed(qtbot, window)
    assert window.assessment is not None, window.outcome
    return window


def test_ahp_weights_rerank_the_sites(four_criteria_window: Any) -> None:
    w = four_criteria_window
    dialog = w.make_ahp_dialog()
    # Starts from the current weights (40/25/25/10): consistent.
    assert dialog.ahp is not None
    assert dialog.ahp.weights["power"] == pytest.approx(0.4, abs=0.01)
    typed = [["1", "1/5", "1/5", "1/9"], ["", "1", "1", "1/3"], ["", "", "1", "1/3"], [""] * 4]
    type_matrix(dialog, typed)
    assert ok_button(dialog).isEnabled()
    w.apply_ahp(dialog)
    project = w.doc.project
    assert project.weights is not None and project.weights.method == "ahp"
    expected = dialog.ahp.weights
    assert w.assessment.table.weights == pytest.approx([expected[c] for c in CRITERIA])
    assert "AHP" in w.weights_panel.method.text()
    # Land now weighs most: the table is re-ranked on the land values.
    best = w.model.rows[0].site_id
    land = {c.name: j for j, c in enumerate(w.assessment.criteria)}["land"]
    values = w.assessment.table.values[:, land]
    ranked = [
        i for i, sid in enumerate(w.assessment.site_ids) if not w.assessment.table.excluded[i]
    ]
    assert values[w.assessment.site_ids.index(best)] == max(values[i] for i in ranked)
    # Moving a slider goes back to direct weights.
    w.weights_panel.set_weight("power", 50)
    assert w.doc.project.weights is None
