"""French and English formatting rules shared by the app and the reports."""

from __future__ import annotations

import math

import pytest

from siteassess.i18n import (
    NBSP,
    NNBSP,
    default_language,
    format_number,
    french_punctuation,
    localise,
    register,
    translate,
)


def test_numbers_in_french_and_english() -> None:
    assert format_number(1234.56, "fr", 1, "km") == f"1{NNBSP}234,6{NBSP}km"
    assert format_number(1234.56, "en", 1, "km") == f"1,234.6{NBSP}km"
    assert format_number(12.5, "fr", 1, "%") == f"12,5{NBSP}%"
    assert format_number(12.5, "en", 1, "%") == "12.5%"
    assert format_number(math.nan, "fr") == "n.d." and format_number(None, "en") == "n/a"


def test_french_punctuation() -> None:
    assert french_punctuation("Score : 87") == f"Score{NBSP}: 87"
    assert french_punctuation("Poste le plus proche: Bouchain") == (
        f"Poste le plus proche{NBSP}: Bouchain"
    )
    assert french_punctuation("Exclu ? Oui ; voir") == f"Exclu{NNBSP}? Oui{NNBSP}; voir"
    assert french_punctuation("http://x") == "http://x"  # no space inside a URL


def test_catalogue_lookup() -> None:
    register("fr", {"Test score": "Note de test"})
    assert translate("Test score", "fr") == "Note de test"
    assert translate("Test score", "en") == "Test score"
    assert translate("Untranslated", "fr") == "Untranslated"
    assert localise("Test score", "fr") == "Note de test"
    with pytest.raises(ValueError, match="unsupported language"):
        register("de", {})


@pytest.mark.parametrize(
    ("env", "lang"), [("fr_FR.UTF-8", "fr"), ("en_GB.UTF-8", "en"), ("fr_BE", "fr")]
)
def test_default_language_follows_the_system(
    monkeypatch: pytest.MonkeyPatch, env: str, lang: str
) -> None:
    for var in ("SITEASSESS_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", env)
    assert default_language() == lang


def test_dates_and_times_in_french_and_english() -> None:
    import datetime as dt

    from siteassess.i18n import format_date, format_datetime

    moment = dt.datetime(2026, 12, 2, 14, 5)
    assert format_datetime(moment, "fr") == f"2 décembre 2026 à 14{NBSP}h{NBSP}05"
    assert format_datetime(moment, "en") == "2 December 2026, 14:05"
    assert (
        format_datetime(dt.datetime(2026, 8, 1, 0, 0), "fr") == f"1er août 2026 à 0{NBSP}h{NBSP}00"
    )
    assert format_date(dt.date(2026, 11, 22), "fr") == "22 novembre 2026"
