"""Message boxes and questions, in one place (tests replace the questions).

Errors are shown without blocking (``open``): a bad file never stops the app. Questions
that decide what happens next (save changes? restore an autosave?) wait for the answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QMessageBox, QWidget

from siteassess.ui.document import NetworkLayer, network_question
from siteassess.ui.i18n_ui import format_timestamp, tr

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def show_error(parent: QWidget | None, title: str, message: str) -> QMessageBox:
    """Show an error without blocking; the text names the file and the fix."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(message)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.button(QMessageBox.StandardButton.Ok).setText(tr("OK"))
    box.open()
    return box


def show_info(parent: QWidget | None, title: str, message: str) -> QMessageBox:
    """Show information without blocking."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(message)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.button(QMessageBox.StandardButton.Ok).setText(tr("OK"))
    box.open()
    return box


def ask_save_changes(parent: QWidget | None, name: str) -> str:
    """Ask whether to save unsaved changes: ``save``, ``discard`` or ``cancel``."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("Unsaved changes"))
    box.setText(tr("The project {name} has unsaved changes. Save them?").format(name=f"« {name} »"))
    save = box.addButton(tr("Save"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(tr("Don't save"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return SAVE
    if clicked is discard:
        return DISCARD
    del cancel
    return CANCEL


def ask_restore(parent: QWidget | None, name: str, saved: str) -> bool:
    """Ask whether to restore a project autosaved before a crash."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("Restore the project?"))
    box.setText(restore_question(name, saved))
    restore = box.addButton(tr("Restore"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(tr("Discard it"), QMessageBox.ButtonRole.DestructiveRole)
    box.exec()
    return box.clickedButton() is restore


def restore_question(name: str, saved: str) -> str:
    """The recovery question: the project's name and when it was autosaved (``saved``, ISO)."""
    return tr(
        "siteassess closed unexpectedly. The project {name} was saved automatically on "
        "{time}. Restore it?"
    ).format(name=f"« {name} »", time=format_timestamp(saved))


def ask_open_network_layers(parent: QWidget | None, layers: Sequence[NetworkLayer]) -> bool:
    """Ask whether to read a project's layers on a network share (No unless answered Yes)."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    answer = QMessageBox.question(
        parent,
        tr("Layers on a network share"),
        network_question(layers),
        buttons,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
