"""Every text of the app has its French version (one gettext catalogue, siteassess.i18n)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from siteassess import vocabulary
from siteassess.i18n import has_translation, translate
from siteassess.ui import labels, menus
from siteassess.ui.i18n_ui import trn, trp

UI = Path(__file__).resolve().parents[2] / "siteassess" / "ui"


def texts_in_code() -> dict[str, str]:
    """Literal texts passed to tr(), with the file they are in."""
    found: dict[str, str] = {}
    for path in sorted(UI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, path.name)
    return found


def texts_in_tables() -> list[str]:
    from siteassess.criteria import CRITERIA

    out = [*labels.ROLE_TITLES.values(), *(c.label for c in CRITERIA.values())]
    out += [*menus._TEXTS.values(), *menus._MENU_TEXTS.values()]
    out += vocabulary.declared_labels()  # every measure the criteria declare

    for crit in CRITERIA.values():  # the parameter panel's texts, as the criteria declare
        for p in crit.params.values():
            if p.panel:
                out += [t for t in (p.label, p.tip, p.default_text, p.warning) if t]
    out += ["Campus power demand", "Criteria parameters (re-measure)"]
    from siteassess.criteria import MEASURES
    from siteassess.ui.exports import RANKING_FILTERS

    out += [m.short for m in MEASURES.values() if m.short]  # the ranking's column titles
    out += [text for text, _, _ in RANKING_FILTERS]
    return out


def test_every_ui_text_has_a_french_translation() -> None:
    """Literal texts and the texts the tables hold (shown at run time) are in the catalogue."""
    texts = [*texts_in_code(), *texts_in_tables()]
    assert len(texts) > 250, "the scan found the app's texts"
    missing = sorted(t for t in texts if not has_translation(t, "fr"))
    assert missing == [], f"texts without French: {missing}"


def test_flood_scenarios_are_translated_as_scenarios() -> None:
    """Scenario names are asked for in the sense "flood scenario" (pgettext)."""
    missing = [
        text
        for text in labels.SCENARIO_LABELS.values()
        if not has_translation(text, "fr", context="flood scenario")
    ]
    assert missing == []
    assert vocabulary.measure_info("flood_share_medium_pct", "fr").label == (
        "Part en zone inondable, scénario moyen"
    )


def test_choice_labels_are_translated_in_their_parameter_s_sense(monkeypatch: Any) -> None:
    """The weights panel asks for a choice label with its parameter's label as context."""
    from siteassess.criteria import CRITERIA
    from siteassess.ui import i18n_ui

    missing = [
        (p.label, text)
        for crit in CRITERIA.values()
        for p in crit.params.values()
        if p.panel
        for text in p.choice_labels.values()
        if not has_translation(text, "fr", context=p.label)
    ]
    assert missing == []
    monkeypatch.setitem(i18n_ui._state, "lang", "fr")
    assert trp("Flood exclusion: scenario", "medium") == "moyen"
    monkeypatch.setitem(i18n_ui._state, "lang", "en")
    assert trp("Flood exclusion: scenario", "medium") == "medium"


def test_french_is_what_the_catalogue_gives() -> None:
    assert translate("&File", "fr") == "&Fichier"
    assert translate("Rank", "fr") == "Rang"


def test_counts_take_the_french_plural(monkeypatch: Any) -> None:
    """0 and 1 take the singular in French (nplurals=2; plural=(n > 1)), not in English."""
    from siteassess.ui import i18n_ui

    monkeypatch.setitem(i18n_ui._state, "lang", "fr")
    shown = [trn("{n} problem", "{n} problems", n).format(n=n) for n in (0, 1, 2)]
    assert shown == ["0 problème", "1 problème", "2 problèmes"]
    assert trn("{n} site assessed.", "{n} sites assessed.", 1) == "{n} site évalué."
    monkeypatch.setitem(i18n_ui._state, "lang", "en")
    shown = [trn("{n} problem", "{n} problems", n).format(n=n) for n in (0, 1, 2)]
    assert shown == ["0 problems", "1 problem", "2 problems"]
