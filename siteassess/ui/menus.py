"""The main window's actions, menus and toolbar, with their texts in the current language."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from siteassess.ui.i18n_ui import language, tr
from siteassess.ui.settings import icon_path


@dataclass
class Actions:
    """Every action of the main window."""

    new: QAction
    open: QAction
    sample: QAction
    save: QAction
    save_as: QAction
    export_site: QAction
    export_compare: QAction
    export_all: QAction
    export_ranking: QAction
    quit: QAction
    add_layer: QAction
    reassess: QAction
    ahp: QAction
    compare: QAction
    screen: QAction
    online: QAction
    french: QAction
    english: QAction
    log: QAction
    about: QAction


@dataclass
class Menus:
    """The menus (kept to re-title them on a language switch)."""

    file: QMenu
    recent: QMenu
    layers: QMenu
    analysis: QMenu
    view: QMenu
    lang: QMenu
    help: QMenu
    toolbar: QToolBar


_TEXTS = {
    "new": "&New project",
    "open": "&Open a project…",
    "sample": "Open the &sample (Hauts-de-France)",
    "save": "&Save",
    "save_as": "Save &as…",
    "export_site": "Export site re&port…",
    "export_compare": "Export &comparison…",
    "export_all": "Export a&ll reports…",
    "export_ranking": "Export the ran&king…",
    "quit": "&Quit",
    "add_layer": "&Add a layer…",
    "reassess": "&Re-measure the sites",
    "ahp": "Weights by pairwise &comparison (AHP)…",
    "compare": "&Compare brownfields…",
    "screen": "&Screen the whole inventory…",
    "online": "&Online basemap (OpenStreetMap)",
    "french": "Français",
    "english": "English",
    "log": "Show the &log file",
    "about": "&About siteassess",
}
_MENU_TEXTS = {
    "file": "&File",
    "recent": "&Recent projects",
    "layers": "&Layers",
    "analysis": "&Analysis",
    "view": "&View",
    "lang": "&Language",
    "help": "&Help",
}
_ICONS = {
    "open": "open",
    "save": "save",
    "add_layer": "add-layer",
    "compare": "compare",
    "ahp": "weights",
}


def _icon(name: str) -> QIcon:
    path: Path = icon_path(name)
    return QIcon(str(path)) if path.is_file() else QIcon()


def build(window: QMainWindow) -> tuple[Actions, Menus]:
    """Create the actions, menus and toolbar of ``window``."""
    acts = {f.name: QAction(window) for f in fields(Actions)}
    for key, icon in _ICONS.items():
        acts[key].setIcon(_icon(icon))
    acts["new"].setShortcut(QKeySequence.StandardKey.New)
    acts["open"].setShortcut(QKeySequence.StandardKey.Open)
    acts["save"].setShortcut(QKeySequence.StandardKey.Save)
    acts["save_as"].setShortcut(QKeySequence.StandardKey.SaveAs)
    acts["quit"].setShortcut(QKeySequence.StandardKey.Quit)
    acts["online"].setCheckable(True)
    group = QActionGroup(window)
    for key in ("french", "english"):
        acts[key].setCheckable(True)
        group.addAction(acts[key])
    actions = Actions(**acts)
    bar = window.menuBar()
    menus = Menus(
        file=bar.addMenu(""),
        recent=QMenu(window),
        layers=bar.addMenu(""),
        analysis=bar.addMenu(""),
        view=bar.addMenu(""),
        lang=QMenu(window),
        help=bar.addMenu(""),
        toolbar=window.addToolBar("main"),
    )
    menus.file.addActions([actions.new, actions.open, actions.sample])
    menus.file.addMenu(menus.recent)
    menus.file.addSeparator()
    menus.file.addActions([actions.save, actions.save_as])
    menus.file.addSeparator()
    menus.file.addActions(
        [actions.export_site, actions.export_compare, actions.export_all, actions.export_ranking]
    )
    menus.file.addSeparator()
    menus.file.addAction(actions.quit)
    menus.layers.addActions([actions.add_layer, actions.reassess])
    menus.analysis.addActions([actions.ahp, actions.compare])
    menus.analysis.addSeparator()
    menus.analysis.addAction(actions.screen)
    menus.view.addAction(actions.online)
    menus.view.addMenu(menus.lang)
    menus.lang.addActions([actions.french, actions.english])
    menus.help.addActions([actions.log, actions.about])
    menus.toolbar.setObjectName("main_toolbar")
    menus.toolbar.setMovable(False)
    menus.toolbar.addActions([actions.open, actions.save, actions.add_layer])
    menus.toolbar.addSeparator()
    menus.toolbar.addActions([actions.ahp, actions.compare])
    retranslate(actions, menus)
    return actions, menus


def retranslate(actions: Actions, menus: Menus) -> None:
    """Set every text in the current language."""
    for key, text in _TEXTS.items():
        action: QAction = getattr(actions, key)
        action.setText(tr(text) if key not in ("french", "english") else text)
        action.setToolTip(tr(text).replace("&", "").rstrip("…"))
    for key, text in _MENU_TEXTS.items():
        menu = getattr(menus, key)
        if isinstance(menu, QMenu):
            menu.setTitle(tr(text))
    actions.french.setChecked(language() == "fr")
    actions.english.setChecked(language() == "en")
