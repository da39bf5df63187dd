"""A new project opens quietly onto an empty, usable workspace: guidance, no warning box."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication, QMessageBox

GUIDANCE = "Ajoutez une couche de rôle « Sites (friches) » pour évaluer le projet."


def _settled(qtbot: Any, w: Any) -> None:
    qtbot.waitUntil(lambda: w.outcome is not None and not w.runner.busy("assess"), timeout=30_000)
    qtbot.wait(50)  # let any message box the outcome would open appear


def _boxes(w: Any) -> list[QMessageBox]:
    return [b for b in w.findChildren(QMessageBox) if b.isVisible()]


def test_new_project_opens_without_a_warning(qtbot: Any, window: Any, app_state: Any) -> None:
    window.new_project()
    _settled(qtbot, window)
    assert app_state["errors"] == []  # no "cannot be assessed" message
    assert _boxes(window) == [] and QApplication.activeModalWidget() is None
    assert window.status_label.text() == GUIDANCE
    # Empty and usable: the workspace with the layers tab, ready to add the sites.
    assert window.stack.currentWidget() is window.workspace
    assert window.side_tabs.currentWidget() is window.layers_panel
    assert window.actions_.add_layer.isEnabled() and window.actions_.save_as.isEnabled()
    assert window.model.rowCount() == 0 and window.assessment is None
    assert "Pas encore de couche" in window.layers_panel.details.toPlainText()


def test_removing_the_sites_layer_clears_the_ranking_quietly(
    qtbot: Any, sample_window: Any, app_state: Any
) -> None:
    w = sample_window
    assert w.model.rowCount() == 7
    sites = next(i for i, s in enumerate(w.doc.project.layers) if s.role == "sites")
    w.outcome = None
    w.remove_layer(sites)
    _settled(qtbot, w)
    assert app_state["errors"] == [] and _boxes(w) == []
    assert w.status_label.text() == GUIDANCE
    assert w.model.rowCount() == 0 and w.assessment is None
