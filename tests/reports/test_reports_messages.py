"""Exclusion reasons and data issues: structured in the core, translated by the presenters."""

from __future__ import annotations

import ast
import inspect
import string
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import siteassess
from siteassess.assessment import Assessment
from siteassess.criteria import CRITERIA
from siteassess.errors import DataIssue, Name, Quantity, Reason, Term
from siteassess.i18n import NBSP, NNBSP
from siteassess.reports import i18n_reports
from siteassess.reports.messages import issue_text, reason_text
from siteassess.reports.pdf import method, wording
from siteassess.reports.pdf.wording import exclusion_texts
from siteassess.reports.tables import assessment_document

EXCLUDED = "loon-plage-edf"

# A reason no criterion of siteassess gives: the presenters must render it from its
# template and values alone.
TOY = Reason.of(
    "toy_too_steep",
    "slope {slope} is above {limit} over {share} of {name}",
    slope=Quantity(12.25, "%", 1),
    limit=Quantity(8.0, "%"),
    share=Quantity(1234.5, "ha", 1),
    name=Name("ZONE INDUSTRIELLE"),
)
TOY_FR = "pente de {slope} au-delà de {limit} sur {share} de {name}"


@pytest.fixture
def toy_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """The toy reason's catalogue entry, as a new criterion would add it."""
    from siteassess import i18n

    monkeypatch.setitem(i18n._CATALOGUES["fr"], TOY.template, TOY_FR)


def test_the_english_sentence_is_the_template_filled() -> None:
    assert TOY.text() == "slope 12.2% is above 8% over 1234.5 ha of ZONE INDUSTRIELLE"
    assert str(TOY) == TOY.text()
    assert reason_text(TOY, "en") == TOY.text()


def test_a_new_reason_renders_in_french_from_its_template(toy_catalogue: None) -> None:
    assert reason_text(TOY, "fr") == (
        f"pente de 12,2{NBSP}% au-delà de 8{NBSP}% sur 1{NNBSP}234,5{NBSP}ha de Zone Industrielle"
    )


def test_a_reason_without_french_is_noted_untranslated() -> None:
    unknown = Reason.of("toy_unknown", "nothing like this {n}", n=3)
    assert reason_text(unknown, "fr") == "nothing like this 3"
    assert unknown.template in i18n_reports.UNTRANSLATED
    i18n_reports.UNTRANSLATED.discard(unknown.template)


def test_exclusion_texts_render_any_reason_with_no_criterion_branch(
    sample_assessment: Assessment, toy_catalogue: None
) -> None:
    a = replace(sample_assessment, reasons={EXCLUDED: (TOY,)})
    assert exclusion_texts(a, EXCLUDED, "en") == [TOY.text()]
    assert exclusion_texts(a, EXCLUDED, "fr") == [reason_text(TOY, "fr")]


def test_the_sample_flood_exclusion_in_french(sample_assessment: Assessment) -> None:
    # Loon-Plage is excluded by flood, zoning and the declared Natura 2000 rule, in that order.
    reason = sample_assessment.reasons[EXCLUDED][0]
    assert reason.code == "flood_zone"
    share = reason.value_map["share"]
    assert isinstance(share, Quantity)
    shown = f"{share.value:.1f}".replace(".", ",")
    text = exclusion_texts(sample_assessment, EXCLUDED, "fr")[0]
    assert text == (
        f"{shown}{NBSP}% du site est en zone inondable du scénario moyen (100 à 300 ans) ou "
        f"d’un scénario plus fréquent (règle{NBSP}: exclu au-delà de 0{NBSP}%)"
    )
    assert exclusion_texts(sample_assessment, EXCLUDED, "en") == list(
        sample_assessment.exclusions[EXCLUDED]
    )


def _constants(tree: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in CRITERIA}


def test_the_presenters_name_no_criterion() -> None:
    """No branch on a criterion's name, no regex reading messages back."""
    assert _constants(ast.parse(inspect.getsource(wording.exclusion_texts))) == set()
    source = inspect.getsource(method)
    assert _constants(ast.parse(source)) == set()
    assert "import re" not in source


def test_reprojection_note_is_coded_and_translated(sample_assessment: Assessment) -> None:
    notes = [i for i in sample_assessment.issues if i.code == "reprojected"]
    assert notes, "the sample's layers are in WGS 84 and get reprojected"
    issue = notes[0]
    assert issue.values["a"] == "EPSG:4326 (WGS 84)"
    assert str(issue.values["b"]).startswith("EPSG:2154")
    assert issue.message == f"reprojected from {issue.values['a']} to {issue.values['b']}"
    assert issue_text(issue, "fr") == (
        # The layer by its role's title, never its role key (« sites (sites.geojson) »).
        f"Sites (friches) — sites.geojson{NBSP}: reprojetée de {issue.values['a']} vers "
        f"{issue.values['b']}"
    )
    assert issue_text(issue, "en") == f"{issue.layer}: {issue.message}"


def test_an_issue_names_its_role_and_criterion_in_french() -> None:
    from siteassess.criteria.base import missing_layer_issue

    issue = missing_layer_issue("power", "substations")
    assert issue.code == "layer_missing"
    assert issue.message == "no substations layer in the project: power cannot be measured"
    assert issue.action == "power left as not measurable (NaN)"
    assert issue_text(issue, "fr") == (
        f"Postes électriques{NBSP}: pas de couche «{NBSP}Postes électriques{NBSP}» dans le "
        f"projet{NBSP}: le critère «{NBSP}Raccordement électrique{NBSP}» ne peut pas être "
        f"mesuré — critère «{NBSP}Raccordement électrique{NBSP}» laissé non mesurable (NaN)"
    )


def test_an_issue_given_as_plain_text_keeps_its_message() -> None:
    issue = DataIssue(layer="x.csv", message="something odd {not a field}", action="kept")
    assert issue.code == "" and issue.values == {}
    assert issue_text(issue, "en") == "x.csv: something odd {not a field} — kept"
    assert issue_text(issue, "fr").startswith(f"x.csv{NBSP}: something odd {{not a field}}")


def _reason_texts() -> dict[str, str]:
    """Every template of a ``Reason`` and fixed action of a ``DataIssue.of`` in siteassess."""
    found: dict[str, str] = {}
    for path in Path(siteassess.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            owner = (
                f.value.id if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) else ""
            )
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            is_reason = (owner, name) == ("Reason", "of") or name == "Reason"
            if is_reason and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
                found[node.args[1].value] = path.name
            if (owner, name) == ("DataIssue", "of"):
                for kw in node.keywords:
                    if kw.arg == "action" and isinstance(kw.value, ast.Constant):
                        found[kw.value.value] = path.name
    return found


def test_every_reason_template_has_its_french() -> None:
    """The templates the criteria and layers build, found in their source, are catalogued."""
    from siteassess.i18n import has_translation, localise

    texts = _reason_texts()
    assert len(texts) >= 60, "the scan found the reasons"
    assert "{share} of the site is in the {scenario} flood scenario or a more frequent one " in (
        "".join(texts)
    )
    missing = {t: f for t, f in texts.items() if not has_translation(t, "fr")}
    assert missing == {}
    for english in texts:
        assert fields(english) == fields(localise(english, "fr")), english


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_the_json_adds_codes_and_values(sample_assessment: Assessment) -> None:
    doc: dict[str, Any] = assessment_document(sample_assessment)
    site = next(s for s in doc["sites"] if s["id"] == EXCLUDED)
    reason, zoning, natura = site["exclusion_reasons"]
    assert (zoning["code"], natura["code"]) == ("zoning_zone", "rule_above")
    assert reason["code"] == "flood_zone"
    assert reason["values"]["scenario"] == "medium"
    assert reason["values"]["limit"] == {"value": 0.0, "unit": "%"}
    assert site["exclusions"] == list(sample_assessment.exclusions[EXCLUDED])
    coded = [i for i in doc["issues"] if i["code"] == "reprojected"]
    assert coded and set(coded[0]["values"]) == {"a", "b"}


def test_term_and_quantity_english_forms() -> None:
    assert str(Quantity(1.5, "km")) == "1.5 km"
    assert str(Quantity(2.0, "km", 1)) == "2.0 km"
    assert str(Quantity(30.04, "%", 1)) == "30.0%"
    assert str(Term("medium (100 to 300 years)", plain="medium")) == "medium"
    assert str(Term("area")) == "area"
