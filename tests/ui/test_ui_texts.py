"""Every text of the app has its French version (one catalogue, siteassess.i18n)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from siteassess import vocabulary
from siteassess.i18n import translate
from siteassess.ui import labels, menus
from siteassess.ui.catalogue_fr import FRENCH

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
    out = [*labels.ROLE_TITLES.values(), *labels.CRITERION_LABELS.values()]
    out += [*labels.SCENARIO_LABELS.values(), *menus._TEXTS.values(), *menus._MENU_TEXTS.values()]
    out += vocabulary.declared_labels()  # every measure the criteria declare
    from siteassess.criteria import CRITERIA

    for crit in CRITERIA.values():  # the parameter panel's texts, as the criteria declare
        for p in crit.params.values():
            if p.panel:
                out += [t for t in (p.label, p.tip, p.default_text, p.warning) if t]
                out += list(p.choice_labels.values())
    out += ["Campus power demand", "Criteria parameters (re-measure)"]
    from siteassess.criteria import MEASURES
    from siteassess.ui.exports import RANKING_FILTERS

    out += [m.short for m in MEASURES.values() if m.short]  # the ranking's column titles
    out += [text for text, _, _ in RANKING_FILTERS]
    return out


def test_every_ui_text_has_a_french_translation() -> None:
    from siteassess import vocabulary

    known = FRENCH | vocabulary.FRENCH  # measure labels are shared with the spreadsheets
    missing = sorted(t for t in [*texts_in_code(), *texts_in_tables()] if t not in known)
    assert missing == [], f"texts without French: {missing}"


def test_placeholders_survive_translation() -> None:
    import re

    field = re.compile(r"{[^}]*}")
    for english, french in FRENCH.items():
        assert sorted(field.findall(english)) == sorted(field.findall(french)), english


def test_french_is_what_the_catalogue_gives() -> None:
    assert translate("&File", "fr") == "&Fichier"
    assert translate("Rank", "fr") == "Rang"


def test_no_other_catalogue_overrides_the_app_texts(monkeypatch: Any) -> None:
    """The catalogue is shared: a key registered twice must mean the same French text."""
    import importlib
    import pkgutil

    import siteassess
    import siteassess.i18n

    for info in pkgutil.walk_packages(siteassess.__path__, "siteassess."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    calls: list[tuple[str, dict[str, str]]] = []
    real = siteassess.i18n.register

    def record(lang: str, messages: Any) -> None:
        calls.append((lang, dict(messages)))
        real(lang, messages)

    monkeypatch.setattr(siteassess.i18n, "register", record)
    root = Path(siteassess.__file__).parent
    for path in sorted(root.rglob("*.py")):
        if 'register("fr"' in path.read_text(encoding="utf-8"):
            name = ".".join(path.relative_to(root.parent).with_suffix("").parts)
            module = importlib.import_module(name)
            monkeypatch.setattr(module, "register", record, raising=False)
            importlib.reload(module)
    seen: dict[str, str] = {}
    clashes = {}
    for lang, messages in calls:
        for key, text in messages.items():
            if lang == "fr" and seen.setdefault(key, text) != text:
                clashes[key] = (seen[key], text)
    assert len(calls) >= 2
    assert clashes == {}, f"the same English text is translated differently: {clashes}"
