"""Qt tests run offscreen; QtWebEngine runs without its sandbox (tests run as root here).

These variables are set for the tests only, never by the app. The app's state (settings,
autosaves) goes to a temporary folder per test, and the language is French.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
if "--no-sandbox" not in _flags:
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (_flags + " --no-sandbox").strip()

# QtWebEngine must be imported before the QApplication exists (pytest-qt creates it).
import PySide6.QtWebEngineWidgets  # noqa: E402, F401
from PySide6.QtTest import QTest  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_sites" / "hauts-de-france" / "project.toml"
OUTPUT = ROOT / "tests" / "output"


@pytest.fixture(autouse=True)
def app_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """A fresh state folder, French, and recorded (never blocking) messages and questions."""
    from siteassess.ui import dialogs
    from siteassess.ui.app import apply_locale
    from siteassess.ui.i18n_ui import set_language

    monkeypatch.setenv("SITEASSESS_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("SITEASSESS_LANG", "fr")
    set_language("fr")
    apply_locale("fr")
    record: dict[str, Any] = {"errors": [], "asked": [], "answer": dialogs.DISCARD}

    def show_error(parent: Any, title: str, message: str) -> None:
        record["errors"].append((title, message))

    def ask_save(parent: Any, name: str) -> str:
        record["asked"].append(name)
        return str(record["answer"])

    monkeypatch.setattr(dialogs, "show_error", show_error)
    monkeypatch.setattr(dialogs, "show_info", lambda *a: None)
    monkeypatch.setattr(dialogs, "ask_save_changes", ask_save)
    monkeypatch.setattr(dialogs, "ask_restore", lambda parent, name, saved: True)
    yield record


@pytest.fixture
def window(qtbot: Any, tmp_path: Path) -> Iterator[Any]:
    """The main window without the web map (the map tests have their own)."""
    from siteassess.ui.main_window import MainWindow
    from siteassess.ui.settings import Settings

    w = MainWindow(Settings(tmp_path / "state" / "settings.ini"), map_enabled=False)
    qtbot.addWidget(w)
    w.resize(1500, 950)
    w.show()
    yield w
    w.shutdown()


def wait_assessed(qtbot: Any, w: Any, timeout: int = 30_000) -> None:
    """Wait until the worker has measured and scored the project."""
    qtbot.waitUntil(lambda: w.outcome is not None and not w.runner.busy("assess"), timeout=timeout)


@pytest.fixture
def sample_window(qtbot: Any, window: Any) -> Any:
    """The main window with the sample project measured and ranked."""
    assert window.open_project(SAMPLE, ask=False)
    wait_assessed(qtbot, window)
    assert window.assessment is not None, window.outcome
    return window


def wait_for(condition: Any, timeout: float = 30.0) -> None:
    """Let Qt run until ``condition()`` holds; fail after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for the map")
        QTest.qWait(50)


def legend_text(window: Any, word: str, timeout: float = 10.0) -> str:
    """The web map legend's text once it names ``word`` (or as it is after ``timeout`` s)."""
    deadline = time.monotonic() + timeout
    legend = ""
    while word not in legend and time.monotonic() < deadline:
        legend = page_js(window.map, "document.querySelector('.sa-legend').textContent")
    return str(legend)


def page_js(panel: Any, code: str) -> Any:
    """Run JavaScript in a map panel's page and return its JSON result."""
    box: list[Any] = []
    panel.run_js(f"JSON.stringify({code})", box.append)
    wait_for(lambda: bool(box), 10)
    return json.loads(box[0]) if box[0] is not None else None


@contextmanager
def map_window_on(project: Path, state: Path) -> Iterator[Any]:
    """A French main window with the web map, open on ``project`` with its page loaded, for
    a module-scoped fixture (the per-test ``app_state`` does not reach it: ``state`` does)."""
    from siteassess.ui import dialogs
    from siteassess.ui.i18n_ui import set_language
    from siteassess.ui.main_window import MainWindow
    from siteassess.ui.settings import Settings

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SITEASSESS_STATE_DIR", str(state))
        mp.setattr(dialogs, "show_error", lambda *a: None)
        mp.setattr(dialogs, "ask_save_changes", lambda *a: dialogs.DISCARD)
        set_language("fr")
        w = MainWindow(Settings(state / "settings.ini"), map_enabled=True)
        w.resize(1500, 950)
        w.show()
        try:
            assert w.open_project(project, ask=False)
            wait_for(lambda: w.assessment is not None, 60)
            wait_for(lambda: w.map.loaded, 60)
            wait_for(lambda: page_js(w.map, "typeof siteassess !== 'undefined'") is True)
            yield w
        finally:
            w.shutdown()
            w.close()
