"""After screening, the message offers to open the shortlist project in the window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from siteassess.ui.jobs import ScreenRequest
from tests.ui.conftest import wait_assessed


def _screen(qtbot: Any, w: Any, request: ScreenRequest) -> Any:
    w.start_screening(request)
    qtbot.waitUntil(lambda: not w.runner.busy("screen"), timeout=60_000)
    qtbot.waitUntil(lambda: getattr(w, "screen_done", None) is not None, timeout=5_000)
    return w.screen_done


def test_open_the_shortlist_from_the_screening_message(
    qtbot: Any, sample_window: Any, tmp_path: Path
) -> None:
    w = sample_window
    box = _screen(qtbot, w, ScreenRequest(output=tmp_path / "classement.csv", top=3))
    shortlist = tmp_path / "classement-top3" / "project.toml"
    assert box.isVisible() and box.shortlist == shortlist
    assert box.open_button is not None and box.open_button.text() == "Ouvrir la liste courte"
    assert str(shortlist) in box.text()
    w.outcome = None
    box.open_button.click()
    wait_assessed(qtbot, w)
    assert w.doc.path == shortlist.resolve()
    assert w.model.rowCount() == 3
    assert not box.isVisible()


def test_without_a_shortlist_the_message_only_closes(
    qtbot: Any, sample_window: Any, tmp_path: Path
) -> None:
    w = sample_window
    before = w.doc.path
    box = _screen(qtbot, w, ScreenRequest(output=tmp_path / "classement.csv", top=0))
    assert box.open_button is None
    assert [b.text() for b in box.buttons()] == ["Fermer"]
    box.buttons()[0].click()
    assert w.doc.path == before and not box.isVisible()
