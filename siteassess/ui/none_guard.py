"""Keep ``None`` alive on Python 3.11, where PySide6 6.12 loses references to it.

On Python 3.11, every call from Python into a Qt function that returns nothing
(``QLabel.setText``, ``QFont.setBold``…) or hands back an empty value
(``QModelIndex.data()``) drops one reference to ``None`` without having taken it. When
the count reaches zero the interpreter aborts (``Fatal Python error: none_dealloc``).
Python 3.12 made ``None`` immortal (PEP 683), so the frozen app, built on 3.12 or newer,
never needs this.

The UI code avoids the empty values (the ranking model sorts itself, combo boxes and
lists keep their values on the Python side), but the setters cannot be avoided. So on
Python 3.11 this module keeps a reserve of references to ``None``: it starts a million
above what the process holds when the window opens, and several times a second it adds
to the reserve whatever the count fell below that floor. The margin is far above what one
action loses (sorting the real inventory loses a few references; driving the whole app
for a minute, a few thousand), and the reserve grows only by what is lost, 8 bytes a
reference.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer

log = logging.getLogger(__name__)

NEEDED = sys.version_info < (3, 12)
FLOOR = 1_000_000  # the reserve to start with (8 MB)
INTERVAL_MS = 200

_reserve: list[None] = []
_state: dict[str, Any] = {"timer": None, "floor": 0}


def floor() -> int:
    """The count the reserve holds ``None``'s references at, at the least (0: not running)."""
    return int(_state["floor"])


def top_up() -> int:
    """Bring ``None``'s reference count back to the floor; returns how many were added."""
    missing = _state["floor"] - sys.getrefcount(None)
    if missing > 0:
        _reserve.extend([None] * missing)
        return int(missing)
    return 0


def install() -> bool:
    """Start topping up (once per application, only on Python 3.11); True if it runs."""
    if not NEEDED:
        return False
    app = QCoreApplication.instance()
    if app is None or _state["timer"] is not None:
        return _state["timer"] is not None
    _reserve.extend([None] * FLOOR)
    _state["floor"] = sys.getrefcount(None)
    timer = QTimer(app)
    timer.setInterval(INTERVAL_MS)
    timer.timeout.connect(top_up)
    timer.start()
    _state["timer"] = timer
    log.info("Python %s: keeping a reserve of references to None (PySide6 bug)", sys.version)
    return True
