"""Layers on a network share: recognised on any system, opened by the app only when asked.

On Windows, reading ``\\\\host\\share\\x.gpkg`` connects to ``host`` with the user's
credentials; a project file from elsewhere must not make the app do it unasked. (The command
line does not ask: whoever types the command chose the project.)
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from PySide6.QtWidgets import QMessageBox

from siteassess.layers.paths import is_network_path, network_share
from siteassess.project import load_project
from siteassess.ui.document import Document, network_layers
from tests.ui.conftest import SAMPLE

UNC = "\\\\fileserver\\Études\\postes.gpkg"


@pytest.mark.parametrize(
    ("path", "share"),
    [
        (UNC, ("fileserver", "études")),
        ("//fileserver/etudes/postes.gpkg", ("fileserver", "etudes")),
        ("\\\\FileServer\\Share", ("fileserver", "share")),
        ("\\\\fileserver", ("fileserver", "")),
        ("\\\\?\\UNC\\fileserver\\share\\x.gpkg", ("fileserver", "share")),
        ("//?/unc/fileserver/share/x.gpkg", ("fileserver", "share")),
        ("file://fileserver/share/x.gpkg", ("fileserver", "share")),
        ("FILE://fileserver/share/x.gpkg", ("fileserver", "share")),
        ("file:////fileserver/share/x.gpkg", ("fileserver", "share")),
        ("file://fileserver/share%20x/y.gpkg", ("fileserver", "share x")),
        ("\\\\10.0.0.5\\c$\\x.gpkg", ("10.0.0.5", "c$")),
        ("C:\\data\\postes.gpkg", None),
        ("/data/postes.gpkg", None),
        ("postes.gpkg", None),
        ("..\\data\\postes.gpkg", None),
        ("\\data\\postes.gpkg", None),
        ("\\\\?\\C:\\data\\postes.gpkg", None),
        ("\\\\.\\COM1", None),
        ("file:///data/postes.gpkg", None),
        ("file://localhost/data/postes.gpkg", None),
        ("//", None),
    ],
)
def test_network_share_paths_are_recognised(path: str, share: tuple[str, str] | None) -> None:
    assert network_share(path) == share
    assert is_network_path(path) is (share is not None)


def test_a_path_object_is_recognised_too() -> None:
    assert network_share(Path("//fileserver/sig/x.gpkg")) == ("fileserver", "sig")
    assert network_share(Path("/data/x.gpkg")) is None


def write_project(folder: Path, layers: list[dict[str, Any]], **top: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    sites = {"role": "sites", "path": str(SAMPLE.parent / "sites.geojson")}
    doc = {"schema": 1, "name": "partage", **top, "layers": [sites, *layers]}
    doc["criteria"] = {"land": {"weight": 1}}
    path = folder / "project.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


def test_the_layers_and_tiles_on_a_share_are_listed(tmp_path: Path) -> None:
    path = write_project(
        tmp_path,
        [
            {"role": "substations", "path": UNC, "name": "Postes RTE"},
            {"role": "context", "path": "//autre/sig/communes.gpkg"},
            {"role": "flood", "path": "local.geojson"},
        ],
        map={"tiles": "\\\\fileserver\\Études\\fond.mbtiles"},
    )
    found = network_layers(load_project(path))
    assert [(f.label, f.path, f.host, f.share) for f in found] == [
        ("Postes RTE", UNC, "fileserver", "études"),
        ("context", "//autre/sig/communes.gpkg", "autre", "sig"),
        ("[map] tiles", "\\\\fileserver\\Études\\fond.mbtiles", "fileserver", "études"),
    ]


def test_layers_on_the_projects_own_share_are_not_asked_about(tmp_path: Path) -> None:
    path = write_project(
        tmp_path,
        [
            {"role": "flood", "path": "zones.geojson"},  # beside the project: on its share
            {"role": "context", "path": "//fs/projets/communes.gpkg"},
            {"role": "fibre", "path": "//other/sig/fibre.gpkg"},
        ],
    )
    on_share = replace(load_project(path), path=Path("//fs/projets/partage/project.toml"))
    assert [(f.label, f.host) for f in network_layers(on_share)] == [("fibre", "other")]


def test_without_a_question_to_ask_such_a_project_is_not_opened(tmp_path: Path) -> None:
    path = write_project(tmp_path, [{"role": "substations", "path": UNC}])
    doc = Document()
    from siteassess.errors import ProjectError

    with pytest.raises(ProjectError) as info:
        doc.load(path)
    assert str(path) in str(info.value) and UNC in str(info.value)
    assert doc.project is None
    # A local project opens without a question.
    local = write_project(tmp_path / "local", [])
    assert doc.load(local).path == local


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """QMessageBox.question recorded; it answers ``record["answer"]`` without blocking."""
    record: dict[str, Any] = {"asked": [], "answer": QMessageBox.StandardButton.No}

    def question(parent: Any, title: str, text: str, buttons: Any, default: Any) -> Any:
        record["asked"].append((title, text, default))
        return record["answer"]

    monkeypatch.setattr(QMessageBox, "question", question)
    return record


def test_the_app_asks_in_french_and_no_keeps_the_project_closed(
    window: Any, app_state: dict[str, Any], questions: dict[str, Any], tmp_path: Path
) -> None:
    path = write_project(tmp_path, [{"role": "substations", "path": UNC, "name": "Postes"}])
    assert not window.open_project(path, ask=False)
    [(title, text, default)] = questions["asked"]
    assert title == "Couches sur un partage réseau"
    assert text.startswith("Ce projet lit des couches sur un partage réseau\xa0:\n• Postes — ")
    assert UNC in text and "fileserver" in text and text.endswith("Les ouvrir\u202f?")
    assert default == QMessageBox.StandardButton.No  # Enter does not open them
    assert window.doc.project is None
    [(error_title, message)] = app_state["errors"]
    assert error_title == "Le projet ne peut pas être ouvert"
    assert message.startswith(f"{path} n’a pas été ouvert")
    assert UNC in message and "dossier local" in message


def test_no_leaves_the_open_project_as_it_was(
    window: Any, questions: dict[str, Any], tmp_path: Path
) -> None:
    local = write_project(tmp_path / "local", [])
    assert window.open_project(local, ask=False)
    shared = write_project(tmp_path / "shared", [{"role": "context", "path": UNC}])
    assert not window.open_project(shared, ask=False)
    assert window.doc.path == local and len(questions["asked"]) == 1


def test_yes_opens_the_project_with_its_layers(
    window: Any, questions: dict[str, Any], tmp_path: Path
) -> None:
    questions["answer"] = QMessageBox.StandardButton.Yes
    path = write_project(tmp_path, [{"role": "context", "path": UNC}])
    assert window.open_project(path, ask=False)
    assert window.doc.path == path
    assert [s.path for s in window.doc.project.layers][1] == UNC


def test_the_question_is_in_english_in_the_english_app(
    window: Any, questions: dict[str, Any], tmp_path: Path
) -> None:
    from siteassess.ui.i18n_ui import set_language

    set_language("en")
    path = write_project(tmp_path, [{"role": "context", "path": "//fileserver/sig/c.gpkg"}])
    assert not window.open_project(path, ask=False)
    [(title, text, _)] = questions["asked"]
    assert title == "Layers on a network share"
    assert text.startswith("This project reads layers on a network share:\n• context — //")
    assert text.endswith(
        "connects this computer to fileserver (on Windows, with your credentials). Open them?"
    )
