"""French and English: the gettext catalogue, and the formatting rules of the app and reports."""

from __future__ import annotations

import ast
import gettext
import math
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import _parse_mapping_toml
from babel.messages.pofile import read_po

from siteassess import i18n
from siteassess.i18n import (
    NBSP,
    NNBSP,
    default_language,
    format_number,
    french_punctuation,
    localise,
    ngettext,
    pgettext,
    register,
    translate,
)
from tests.conftest import ROOT


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


# ------------------------------------------------------------------ the gettext catalogue

PO_FILE = ROOT / "siteassess" / "locale" / "fr" / "LC_MESSAGES" / "siteassess.po"
PACKAGE = ROOT / "siteassess"
# The translation functions, as pyproject's [tool.babel] names them: argument positions of
# the msgid (and plural), and of the context (msgctxt) when there is one.
SINGULAR = ("tr", "translate", "localise", "t", "N_", "gettext")
PLURAL = ("trn", "ngettext", "localise_n")
CONTEXT = ("trp", "pgettext", "localise_p")


@pytest.fixture(scope="module")
def catalogue() -> Catalog:
    with PO_FILE.open("rb") as f:
        return read_po(f, locale="fr", domain="siteassess")


def msgid(message: Message) -> tuple[str | None, str]:
    """A message's key: its context and its (singular) msgid."""
    text = message.id[0] if isinstance(message.id, tuple) else message.id
    return (message.context, str(text))


def extracted() -> dict[tuple[str | None, str], str]:
    """What Babel extracts from siteassess/ with pyproject's [tool.babel] settings."""
    method_map, options_map = _parse_mapping_toml(
        (ROOT / "pyproject.toml").open("rb"), style="pyproject.toml"
    )
    found: dict[tuple[str | None, str], str] = {}
    for filename, _, text, _, context in extract_from_dir(
        str(PACKAGE), method_map, options_map, keywords=DEFAULT_KEYWORDS
    ):
        first = text[0] if isinstance(text, tuple) else text
        if first:
            found.setdefault((context, first), filename)
    return found


def called_texts() -> dict[tuple[str | None, str], str]:
    """Literal texts of the translation calls, by the syntax tree (f-strings included)."""
    found: dict[tuple[str | None, str], str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
            context, text = None, args[0]
            if name in CONTEXT and len(args) > 1:
                context, text = args[0], args[1]
            elif name not in SINGULAR + PLURAL:
                continue
            if isinstance(text, str) and (context is None or isinstance(context, str)):
                found.setdefault((context, text), path.name)
    return found


def string_constants() -> set[str]:
    """Every string constant in siteassess/ (implicit concatenations joined)."""
    out: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                out.add(node.value)
    return out


def test_babel_finds_every_text_in_the_catalogue(catalogue: Catalog) -> None:
    texts = extracted()
    assert len(texts) > 350, "the extraction found the texts"
    have = {msgid(m) for m in catalogue if m.id}
    missing = sorted(
        (f"{c}|{t}" if c else t, f) for (c, t), f in texts.items() if (c, t) not in have
    )
    assert missing == [], f"texts Babel extracts that the .po lacks: {missing}"


def test_every_translation_call_has_an_entry(catalogue: Catalog) -> None:
    """Calls Babel's tokenizer does not see (inside f-strings) are in the catalogue too."""
    have = {msgid(m) for m in catalogue if m.id}
    missing = sorted(f"{t} ({f})" for (c, t), f in called_texts().items() if (c, t) not in have)
    assert missing == []


def test_every_entry_is_translated_and_none_is_fuzzy_or_obsolete(catalogue: Catalog) -> None:
    constants = string_constants()
    empty, fuzzy, unused = [], [], []
    for m in catalogue:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if not all(strings):
            empty.append(m.id)
        if m.fuzzy:
            fuzzy.append(m.id)
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        if not all(i in constants for i in ids):
            unused.append(m.id)
    assert empty == [] and fuzzy == []
    assert unused == [], f"entries no code asks for (obsolete): {unused}"
    assert list(catalogue.obsolete) == [], "the .po keeps no #~ obsolete entries"


def placeholders(text: str) -> list[str]:
    return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f is not None)


def test_translations_keep_their_placeholders(catalogue: Catalog) -> None:
    wrong = []
    for m in catalogue:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        want = placeholders(ids[-1])
        if placeholders(ids[0]) != want or any(placeholders(s) != want for s in strings):
            wrong.append(ids[0])
    assert wrong == []


def test_french_plural_forms(catalogue: Catalog) -> None:
    assert catalogue.plural_forms == "nplurals=2; plural=(n > 1);"
    one, many = "{n} problem", "{n} problems"
    assert [ngettext(one, many, n, "fr") for n in (0, 1, 2, 10)] == [
        "{n} problème",
        "{n} problème",
        "{n} problèmes",
        "{n} problèmes",
    ]
    assert [ngettext(one, many, n, "en") for n in (0, 1, 2)] == [many, one, many]
    from siteassess.reports.i18n_reports import trn

    measured = "{measured} of {total} criteria measured ({share})"
    shown = trn(measured, measured, 1, "fr", measured=1, total=4, share="25 %")
    assert shown == "1 critère mesuré sur 4 (25 %)"
    shown = trn(measured, measured, 3, "fr", measured=3, total=4, share="75 %")
    assert shown == "3 critères mesurés sur 4 (75 %)"


def test_a_word_with_two_senses_takes_its_context(catalogue: Catalog) -> None:
    assert pgettext("flood scenario", "medium", "fr") == "moyen"
    assert pgettext("flood scenario", "medium", "en") == "medium"
    assert pgettext("Flood exclusion: scenario", "no rule", "fr") == "aucune règle"
    senses = sorted(str(m.context) for m in catalogue if m.id == "medium")
    assert senses == ["Flood exclusion: scenario", "flood scenario"], "no entry without one"


def test_the_catalogue_is_read_from_the_compiled_mo(tmp_path: Path) -> None:
    """The runtime reads the .mo with the standard library; a stale .mo is compiled again."""
    mo, po = i18n.catalogue_files("fr")
    assert po == PO_FILE
    assert isinstance(i18n.translations("fr"), gettext.GNUTranslations)
    assert mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime
    copy = tmp_path / "siteassess.mo"
    i18n.compile_catalogue(po, copy)
    with copy.open("rb") as f:
        assert gettext.GNUTranslations(f).gettext("Score") == "Note"


def test_modules_that_still_register_texts_agree_with_the_catalogue() -> None:
    """register() is deprecated: what a module still registers is in the .po, the same."""
    import importlib
    import pkgutil

    import siteassess

    for info in pkgutil.walk_packages(siteassess.__path__, "siteassess."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    differ = {
        text: (french, translate(text, "fr"))
        for text, french in i18n._CATALOGUES["fr"].items()
        if not i18n.has_translation(text, "fr") or translate(text, "fr") != french
    }
    differ.pop("Test score", None)  # test_catalogue_lookup's own
    assert differ == {}


def test_the_self_test_reads_the_french_catalogue() -> None:
    from siteassess import selftest

    assert selftest._catalogue() == "siteassess.mo: Score → Note"


def test_babel_compiles_the_catalogue_without_errors(catalogue: Catalog) -> None:
    """What ``pybabel compile`` checks: a "%" followed by a letter reads as a Python
    placeholder (« 1 % of » is « % o »), which the French must then match."""
    errors = [
        f"line {message.lineno}: {message.id!r}: {'; '.join(map(str, errs))}"
        for message, errs in catalogue.check()
    ]
    assert not errors, "\n".join(errors)
