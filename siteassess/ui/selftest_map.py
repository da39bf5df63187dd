"""The self-test's map step: render the offline web map off screen and count its sites."""

from __future__ import annotations

import os
import time
from pathlib import Path

from siteassess.assessment import Assessment


def count_drawn_sites(a: Assessment, folder: Path, timeout_s: float = 90.0) -> int:
    """Load the map page in a QWebEngineView; return the number of sites Leaflet drew.

    Raises RuntimeError when the page does not load, Leaflet is missing, or the page asks
    for anything on the network or outside its folders (it must work offline).
    """
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a headless machine
    from siteassess.reports.webmap import asset_folders, write_map_html
    from siteassess.ui.request_policy import engine_flags, make_policy

    # The app's own request policy: the engine's flags before it starts, every request
    # decided by the interceptor (file: only in the page's and the assets' folders).
    key = "QTWEBENGINE_CHROMIUM_FLAGS"
    os.environ[key] = engine_flags(os.environ.get(key, ""), ())
    from PySide6.QtCore import QCoreApplication, QEvent, QUrl
    from PySide6.QtWebEngineCore import (
        QWebEnginePage,
        QWebEngineProfile,
        QWebEngineSettings,
        QWebEngineUrlRequestInterceptor,
    )
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["siteassess-selftest"])
    blocked: list[str] = []
    policy = make_policy([folder, *asset_folders()])

    class Interceptor(QWebEngineUrlRequestInterceptor):
        def interceptRequest(self, info: object) -> None:  # noqa: N802 - Qt's name
            url = bytes(info.requestUrl().toEncoded().data()).decode("ascii", "replace")  # type: ignore[attr-defined]
            decision = policy.decide(url)
            if not decision.allowed:
                blocked.append(f"{url} ({decision.reason})")
                info.block(True)  # type: ignore[attr-defined]

    page_file = write_map_html(a, folder / "map.html")
    # As the app's map: an off-the-record profile whose interceptor sees every request.
    profile = QWebEngineProfile()
    interceptor = Interceptor()
    profile.setUrlRequestInterceptor(interceptor)
    page = QWebEnginePage(profile)
    attr = QWebEngineSettings.WebAttribute
    page.settings().setAttribute(attr.LocalContentCanAccessFileUrls, True)
    page.settings().setAttribute(attr.LocalContentCanAccessRemoteUrls, True)
    page.settings().setAttribute(attr.WebRTCPublicInterfacesOnly, True)
    view = QWebEngineView()
    view.setPage(page)
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
    page.deleteLater()
    # Delete the page now, while its profile is alive (Qt warns of trouble otherwise).
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    if not result:
        raise RuntimeError("the map page did not answer")
    count = result[0]
    if count == -1:
        why = f"; refused: {blocked[:3]}" if blocked else ""
        raise RuntimeError(f"Leaflet did not load (the offline web assets are missing){why}")
    if count == -2:
        raise RuntimeError("the map page has no site layer")
    if blocked:
        raise RuntimeError(f"the map asked for what it may not read: {blocked[:3]}")
    return int(float(str(count)))
