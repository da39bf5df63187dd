"""Times the app shows (the autosave recovery prompt) are written in the UI language."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from siteassess.i18n import NBSP
from siteassess.project import load_project
from siteassess.ui import dialogs
from siteassess.ui.document import Recovery
from siteassess.ui.i18n_ui import format_timestamp, set_language
from siteassess.ui.settings import recovery_dir
from tests.ui.conftest import SAMPLE


def test_format_timestamp_in_french_and_english() -> None:
    moment = dt.datetime(2026, 12, 2, 14, 5, 9)
    assert format_timestamp(moment) == f"2 décembre 2026 à 14{NBSP}h{NBSP}05"
    assert format_timestamp("2026-12-01T09:30:00") == f"1er décembre 2026 à 9{NBSP}h{NBSP}30"
    set_language("en")
    assert format_timestamp(moment) == "2 December 2026, 14:05"
    assert format_timestamp("2026-12-01T09:30:00") == "1 December 2026, 09:30"
    assert format_timestamp("yesterday") == "yesterday"  # not a time: shown as it is


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", f"enregistré automatiquement le 2 décembre 2026 à 14{NBSP}h{NBSP}05. Le restaurer"),
        ("en", "was saved automatically on 2 December 2026, 14:05. Restore it?"),
    ],
)
def test_the_recovery_prompt_shows_the_time_in_the_ui_language(
    window: Any, monkeypatch: pytest.MonkeyPatch, lang: str, expected: str
) -> None:
    dead = Recovery(recovery_dir(), pid=2**22 + 54321)  # a session that crashed
    dead.write(load_project(SAMPLE))
    meta = json.loads(dead.meta.read_text(encoding="utf-8"))
    dead.meta.write_text(json.dumps({**meta, "saved": "2026-12-02T14:05:09"}), encoding="utf-8")
    asked: list[str] = []

    def ask(parent: Any, name: str, saved: str) -> bool:
        asked.append(dialogs.restore_question(name, saved))
        return False

    monkeypatch.setattr(dialogs, "ask_restore", ask)
    set_language(lang)
    assert not window.check_recovery()
    assert len(asked) == 1
    assert expected in asked[0]
    assert "2026-12-02" not in asked[0] and "T14" not in asked[0]
