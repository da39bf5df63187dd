"""A combo box whose item values live on the Python side, never in Qt's item data.

``QComboBox.currentData()`` hands an empty value back as ``None``, one of the calls that
lose a reference to ``None`` on Python 3.11 (see :mod:`siteassess.ui.none_guard`). This
combo keeps a list of values beside its items, so reading the choice asks Qt only for the
current index.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget


class ValueCombo(QComboBox):
    """A combo box of (text, value) items; values may be any Python object, None too."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: list[Any] = []

    def add(self, text: str, value: Any) -> None:
        """Append an item showing ``text`` and standing for ``value``."""
        self._values.append(value)
        self.addItem(text)

    def clear_items(self) -> None:
        """Remove every item."""
        self._values.clear()
        self.clear()

    def value(self) -> Any:
        """The current item's value (None when nothing is chosen)."""
        i = self.currentIndex()
        return self._values[i] if 0 <= i < len(self._values) else None

    def value_at(self, index: int) -> Any:
        """The value of item ``index`` (None out of range)."""
        return self._values[index] if 0 <= index < len(self._values) else None

    def index_of(self, value: Any) -> int:
        """The index of the first item standing for ``value`` (-1 when absent)."""
        return next((i for i, v in enumerate(self._values) if v == value), -1)

    def select(self, value: Any) -> bool:
        """Make the item standing for ``value`` current; False when there is none."""
        i = self.index_of(value)
        if i >= 0:
            self.setCurrentIndex(i)
        return i >= 0
