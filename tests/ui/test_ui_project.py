"""Project files in the app: save and open, unsaved changes, autosave and recovery, errors."""

from __future__ import annotations

import shutil
import sys
import tomllib
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from siteassess.project import LayerSpec, load_project
from siteassess.ui import dialogs
from siteassess.ui.document import Recovery
from siteassess.ui.layers_panel import AddLayerDialog, guess_role
from siteassess.ui.settings import recovery_dir
from tests.ui.conftest import SAMPLE, wait_assessed


def copy_sample(tmp_path: Path) -> Path:
    folder = tmp_path / "projet"
    shutil.copytree(SAMPLE.parent, folder)
    return folder / "project.toml"


def test_save_as_elsewhere_keeps_the_layers_and_weights(
    qtbot: Any, sample_window: Any, tmp_path: Path
) -> None:
    w = sample_window
    w.weights_panel.set_weight("flood", 60)
    target = tmp_path / "ailleurs" / "mon projet.toml"
    target.parent.mkdir()
    assert w._save_to(target)
    assert not w.doc.dirty and not w.windowTitle().endswith("*")
    doc = tomllib.loads(target.read_text(encoding="utf-8"))
    assert doc["criteria"]["flood"]["weight"] == 60
    reopened = load_project(target)
    for spec in reopened.layers:  # relative paths, rebased on the new folder
        assert not Path(spec.path).is_absolute()
        assert reopened.resolve(spec).resolve() == (SAMPLE.parent / Path(spec.path).name).resolve()
    assert w.settings.recent()[0] == target.resolve()
    assert w.menus.recent.actions()[0].text() == str(target.resolve())
    # Open it again from the recent list: same weights, same ranking.
    order = [r.site_id for r in w.model.rows]
    assert w.open_project(w.settings.recent()[0])
    wait_assessed(qtbot, w)
    assert w.weights_panel.spins["flood"].value() == 60  # as typed; its share is 60/135
    assert w.weights_panel.shares["flood"].text() == f"{round(60 / 150 * 100)}\u00a0%"  # of 150
    assert [r.site_id for r in w.model.rows] == order


def test_unsaved_changes_are_offered_before_opening_another_project(
    qtbot: Any, sample_window: Any, app_state: dict[str, Any], tmp_path: Path
) -> None:
    w = sample_window
    w.weights_panel.set_weight("land", 70)
    assert w.doc.dirty
    other = copy_sample(tmp_path)
    app_state["answer"] = dialogs.CANCEL
    assert not w.open_project(other)
    assert app_state["asked"] == ["Friches Hauts-de-France (exemple)"]
    assert w.doc.path == SAMPLE.resolve() and w.doc.dirty  # still the same project
    app_state["answer"] = dialogs.DISCARD
    assert w.open_project(other)
    wait_assessed(qtbot, w)
    assert w.doc.path == other.resolve() and not w.doc.dirty


def test_autosave_and_recovery_after_a_crash(
    qtbot: Any, window: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    project = copy_sample(tmp_path)
    assert window.open_project(project, ask=False)
    wait_assessed(qtbot, window)
    window.weights_panel.set_weight("connectivity", 80)
    saved = window.autosave()
    assert saved is not None and saved.parent == recovery_dir()
    assert load_project(saved).criterion("connectivity").weight == 80
    # The session "crashes": its autosave stays, under a process id that no longer runs.
    dead = Recovery(recovery_dir(), pid=2**22 + 12345)
    for src, dst in ((window.recovery.file, dead.file), (window.recovery.meta, dead.meta)):
        text = src.read_text(encoding="utf-8").replace(str(window.recovery.pid), str(dead.pid))
        dst.write_text(text, encoding="utf-8")
    window.recovery.clear()

    from siteassess.ui.main_window import MainWindow
    from siteassess.ui.settings import Settings

    again = MainWindow(Settings(tmp_path / "state" / "settings.ini"), map_enabled=False)
    qtbot.addWidget(again)
    try:
        assert again.check_recovery()  # the question is answered "restore" in the tests
        assert again.doc.dirty
        assert again.doc.path == project.resolve()  # back at its own place
        assert again.doc.project.criterion("connectivity").weight == 80
        assert all(not Path(s.path).is_absolute() for s in again.doc.project.layers)
        wait_assessed(qtbot, again)
        assert again.assessment is not None
        assert not dead.file.exists()  # offered once
    finally:
        again.shutdown()


def test_a_clean_exit_leaves_no_autosave(qtbot: Any, sample_window: Any) -> None:
    sample_window.weights_panel.set_weight("land", 30)
    assert sample_window.autosave() is not None
    sample_window.close()
    assert not any(recovery_dir().glob("autosave-*"))


def test_an_unexpected_error_is_logged_autosaved_and_shown(
    sample_window: Any, app_state: dict[str, Any]
) -> None:
    from siteassess.ui.app import log_file, report_unexpected

    sample_window.weights_panel.set_weight("land", 35)
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError as exc:
        report_unexpected(type(exc), exc, exc.__traceback__)  # what sys.excepthook runs
    title, message = app_state["errors"][-1]
    assert title == "Erreur inattendue"
    assert "RuntimeError" in message and "Traceback" not in message
    assert str(sample_window.recovery.file) in message
    assert str(log_file()) in message
    assert "boom in a slot" in log_file().read_text(encoding="utf-8")
    assert sample_window.recovery.file.exists()


def test_a_bad_layer_file_names_the_file_and_the_fix(
    qtbot: Any, sample_window: Any, app_state: dict[str, Any], tmp_path: Path
) -> None:
    w = sample_window
    missing = tmp_path / "postes_manquants.csv"
    w.add_layer(LayerSpec(role="substations", path=str(missing)))
    wait_assessed(qtbot, w)
    qtbot.waitUntil(lambda: bool(app_state["errors"]), timeout=10_000)
    title, message = app_state["errors"][-1]
    assert title == "Le projet ne peut pas être évalué"
    assert "postes_manquants.csv" in message
    statuses = w.layers_panel.statuses
    assert statuses[-1].error is not None and "postes_manquants.csv" in statuses[-1].error
    assert statuses[0].error is None  # the other layers were still checked
    assert w.layers_panel.tree.topLevelItem(len(statuses) - 1).text(3) == "erreur"
    # Removing the layer brings the ranking back.
    w.remove_layer(len(statuses) - 1)
    wait_assessed(qtbot, w)
    qtbot.waitUntil(lambda: w.outcome is not None and w.outcome.error is None, timeout=20_000)


def test_a_missing_crs_is_fixed_in_the_app(
    qtbot: Any, sample_window: Any, app_state: dict[str, Any], tmp_path: Path
) -> None:
    w = sample_window
    csv = tmp_path / "contexte.csv"
    csv.write_text("nom;x;y\nDouai;3.08;50.37\nLens;2.83;50.43\n", encoding="utf-8")
    w.add_layer(LayerSpec(role="context", path=str(csv), x_field="x", y_field="y"))
    wait_assessed(qtbot, w)
    qtbot.waitUntil(lambda: bool(w.layers_panel.statuses[-1].error), timeout=20_000)
    status = w.layers_panel.statuses[-1]
    assert status.crs_problem and "CRS" in (status.error or "")
    w.layers_panel.tree.setCurrentItem(
        w.layers_panel.tree.topLevelItem(len(w.layers_panel.statuses) - 1)
    )
    assert "Définir le SCR" in w.layers_panel.details.toPlainText()
    w.set_layer_crs(len(w.layers_panel.statuses) - 1, "EPSG:4326")
    qtbot.waitUntil(lambda: w.layers_panel.statuses[-1].features == 2, timeout=20_000)
    assert w.layers_panel.statuses[-1].crs == "EPSG:4326 (WGS 84)"
    assert w.doc.project.layers[-1].crs == "EPSG:4326"


def test_dropping_a_project_file_opens_it(qtbot: Any, window: Any, tmp_path: Path) -> None:
    project = copy_sample(tmp_path)
    window.drop_files([project])
    wait_assessed(qtbot, window)
    assert window.doc.path == project.resolve() and window.model.rowCount() == 7


def test_the_add_layer_dialog_guesses_the_role(qtbot: Any, sample_window: Any) -> None:
    assert guess_role(Path("postes-electriques-rte.csv")) == "substations"
    assert guess_role(Path("n_tri_lille_inondable_s_059.gpkg")) == "flood"
    assert guess_role(Path("cartofriches_59_62.geojson")) == "sites"
    assert guess_role(Path("communes.geojson")) == "context"
    dialog = AddLayerDialog(Path("/data/zones_inondables.gpkg"), sample_window.doc.project)
    qtbot.addWidget(dialog)
    assert dialog.role.value() == "flood"
    assert not dialog.x_field.isEnabled()  # only for CSV tables
    dialog.path_edit.setText("/data/postes.csv")
    assert dialog.role.value() == "substations" and dialog.x_field.isEnabled()
    dialog.x_field.setText("lon")
    dialog.y_field.setText("lat")
    dialog.crs.select("EPSG:4326")
    spec = dialog.spec()
    assert (spec.role, spec.x_field, spec.y_field, spec.crs) == (
        "substations",
        "lon",
        "lat",
        "EPSG:4326",
    )
    assert Path(spec.path).is_absolute()


def test_python_m_siteassess_still_runs_the_command_line(tmp_path: Path) -> None:
    import subprocess

    out = subprocess.run(
        [sys.executable, "-m", "siteassess", "score", str(SAMPLE)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "Les Soufflantes (ex-Usinor)" in out.stdout and "Escaudain" in out.stdout
    gui_help = subprocess.run(
        [sys.executable, "-m", "siteassess", "gui", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert gui_help.returncode == 0 and "PROJECT" in gui_help.stdout.upper()


def test_with_no_project_the_sample_is_offered(qtbot: Any, window: Any) -> None:
    assert window.stack.currentWidget() is window.welcome
    assert window.welcome.sample.isVisibleTo(window)
    assert window.welcome.sample.text() == "Ouvrir l’exemple Hauts-de-France"
    qtbot.mouseClick(window.welcome.sample, Qt.LeftButton)
    wait_assessed(qtbot, window)
    assert window.doc.path == SAMPLE.resolve()
    assert window.stack.currentWidget() is window.workspace


def test_create_a_project_from_layers_and_save_it(qtbot: Any, window: Any, tmp_path: Path) -> None:
    window.new_project()
    assert window.doc.path is None and window.doc.dirty
    window.add_layer(
        LayerSpec(
            role="sites",
            path=str(SAMPLE.parent / "sites.geojson"),
            id_field="site_id",
            name_field="name",
        )
    )
    window.add_layer(
        LayerSpec(role="substations", path=str(SAMPLE.parent / "postes_rte_extrait.csv"))
    )
    wait_assessed(qtbot, window)
    qtbot.waitUntil(lambda: window.assessment is not None, timeout=20_000)
    assert window.model.rowCount() == 7
    target = tmp_path / "nouveau" / "projet.toml"
    target.parent.mkdir()
    assert window._save_to(target)
    reopened = load_project(target)
    assert [s.role for s in reopened.layers] == ["sites", "substations"]
    assert all(reopened.resolve(s).is_file() for s in reopened.layers)
    assert reopened.demand_mw == 700
    assert {c.name for c in reopened.criteria} == {"power", "flood", "connectivity", "land"}


def test_screening_runs_in_the_worker_and_writes_the_ranking(
    qtbot: Any, sample_window: Any, tmp_path: Path
) -> None:
    from siteassess.ui.jobs import ScreenRequest

    out = tmp_path / "classement.csv"
    sample_window.start_screening(ScreenRequest(output=out, min_area_ha=40.0, top=2))
    qtbot.waitUntil(lambda: not sample_window.runner.busy("screen"), timeout=60_000)
    assert out.is_file()
    text = sample_window.status_label.text()
    assert "friches classées" in text and str(out) in text
    shortlist = tmp_path / "classement-top2" / "project.toml"
    assert shortlist.is_file() and str(shortlist) in text
    assert len(load_project(shortlist).layers) == len(sample_window.doc.project.layers)
