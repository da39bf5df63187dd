"""The status bar's message, said again in the new language when the language changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QWidget


class StatusLine(QLabel):
    """A label that keeps how its message was made, not only the text it shows.

    ``say(lambda: tr("{n} sites assessed.").format(n=fmt(n, 0)))`` shows the message in the
    app's language and, after a switch of language, :meth:`retranslate` makes it again in
    the new one. ``setText`` shows a text as it is (an error naming a file): kept as it is.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._make: Callable[[], str] | None = None

    def say(self, make: Callable[[], str]) -> None:
        """Show the message ``make()`` gives, and make it again on a switch of language."""
        self._make = make
        super().setText(make())

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        """Show ``text`` as it is (it will not follow a switch of language)."""
        self._make = None
        super().setText(text)

    def retranslate(self) -> None:
        """Make the current message again, in the app's language now."""
        if self._make is not None:
            super().setText(self._make())
