"""Drive the app on the real inventory, as a planner would, in a process of its own.

Run by ``test_ui_real_inventory.py`` (a crash of this process must fail that test, not
end the test run). Usage: ``python soak_real_inventory.py PROJECT.toml STATE_DIR``.
Prints one JSON line: what was done and ``sys.getrefcount(None)`` along the way.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    project, state = Path(sys.argv[1]), Path(sys.argv[2])
    os.environ["SITEASSESS_STATE_DIR"] = str(state)
    os.environ["SITEASSESS_LANG"] = "fr"
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from siteassess.ui import dialogs, none_guard
    from siteassess.ui.main_window import MainWindow
    from siteassess.ui.settings import Settings

    errors: list[str] = []
    dialogs.show_error = lambda parent, title, message: errors.append(f"{title}: {message}")  # type: ignore[assignment]
    w = MainWindow(Settings(state / "settings.ini"), map_enabled=False)
    w.resize(1500, 950)
    w.show()

    def settle(until: Callable[[], bool] | None = None, timeout: float = 60.0) -> None:
        """Process events until ``until()`` holds (by default: no work is running)."""
        done = until or (lambda: not w.runner.busy())
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            app.processEvents()
            if done():
                app.processEvents()
                return
            time.sleep(0.005)
        raise TimeoutError("the app did not settle")

    t0 = time.perf_counter()
    assert w.open_project(project, ask=False)
    settle(lambda: w.outcome is not None and not w.runner.busy("assess"), 120)
    filled = time.perf_counter() - t0
    assert w.assessment is not None, w.outcome
    settle()
    counts = {"start": sys.getrefcount(None)}
    done = {"rows": w.model.rowCount(), "sorts": 0, "weights": 0, "selections": 0}

    # The model alone, on the GUI thread and with no event processed (so the reserve of
    # none_guard is not topped up meanwhile): sorting every column and painting the view
    # must not lose references to None.
    before = sys.getrefcount(None)
    for c in range(w.model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            w.model.sort(c, order)
            w.table.viewport().grab()
    counts["model_only_delta"] = sys.getrefcount(None) - before

    for c in range(w.model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            for _ in range(2):  # "sorting by rank or by flood twice" crashed
                w.table.sortByColumn(c, order)
                settle()
                done["sorts"] += 1
    for name in list(w.weights_panel.spins):
        for value in (0, 100, 37):
            w.weights_panel.set_weight(name, value)
            settle()
            done["weights"] += 1
    for r in range(0, w.model.rowCount(), max(1, w.model.rowCount() // 60)):
        w.select_site(w.model.site_at(r) or "")
        settle()
        done["selections"] += 1
    w.table.selectAll()
    dialog = w.make_compare_dialog([w.model.site_at(r) or "" for r in range(4)])
    assert dialog is not None
    dialog.show()
    settle()
    done["compared"] = len(dialog.chosen())
    dialog.set_sites([w.model.site_at(r) or "" for r in range(5, 10)])
    settle()
    dialog.close()
    w.switch_language("en")
    settle()
    w.switch_language("fr")
    settle()
    w.table.viewport().grab()
    counts["end"] = sys.getrefcount(None)
    time.sleep(2 * none_guard.INTERVAL_MS / 1000)
    settle()  # let the guard look once more
    counts["end_after_guard"] = sys.getrefcount(None)
    counts["floor"] = none_guard.floor()
    w.shutdown()
    print(
        json.dumps(
            {
                "python": list(sys.version_info[:2]),
                "filled_s": filled,
                "done": done,
                "refcount_none": counts,
                "errors": errors,
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
