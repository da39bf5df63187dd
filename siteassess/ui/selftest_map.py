"""The self-test's map step: render the offline web map off screen and count its sites."""

from __future__ import annotations

import os
import time
from pathlib import Path

from siteassess.assessment import Assessment


def count_drawn_sites(a: Assessment, folder: Path, timeout_s: float = 90.0) -> int:
    """Load the map page in a QWebEngineView; return the number of sites Leaflet drew.

    Raises RuntimeError when the page does not load, Leaflet is missing, or the page asks
    for anything on the network (it must work offline).
    """
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a headless machine
    from PySide6.QtCore import QUrl
    from PySide6.QtWebEngineCore import QWebEngineUrlRequestInterceptor
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from PySide6.QtWidgets import QApplication

    from siteassess.reports.webmap import write_map_html

    app = QApplication.instance() or QApplication(["siteassess-selftest"])
    remote: list[str] = []

    class Interceptor(QWebEngineUrlRequestInterceptor):
        def interceptRequest(self, info: object) -> None:  # noqa: N802 - Qt's name
            url = info.requestUrl()  # type: ignore[attr-defined]
            if url.scheme() in ("http", "https"):
                remote.append(url.toString())
                info.block(True)  # type: ignore[attr-defined]

    page_file = write_map_html(a, folder / "map.html")
    view = QWebEngineView()
    interceptor = Interceptor()
    view.page().profile().setUrlRequestInterceptor(interceptor)
    loaded: list[bool] = []
    view.loadFinished.connect(loaded.append)
    view.resize(900, 700)
    view.show()  # Leaflet sizes the map from the view: load it shown, even off screen
    view.load(QUrl.fromLocalFile(str(page_file)))
    end = time.monotonic() + timeout_s
    while not loaded and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    if not loaded or not loaded[0]:
        raise RuntimeError(f"the map page {page_file} did not load")
    result: list[object] = []
    view.page().runJavaScript(
        "(typeof L === 'undefined') ? -1 : (window.siteassess ? window.siteassess.count() : -2)",
        0,
        result.append,
    )
    while not result and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    view.close()
    view.deleteLater()
    app.processEvents()
    if not result:
        raise RuntimeError("the map page did not answer")
    count = result[0]
    if count == -1:
        raise RuntimeError("Leaflet did not load (the offline web assets are missing)")
    if count == -2:
        raise RuntimeError("the map page has no site layer")
    if remote:
        raise RuntimeError(f"the map asked for remote resources: {remote[:3]}")
    return int(float(str(count)))
