"""The interactive map: the folium page of :mod:`siteassess.reports.webmap` in a web view.

QtWebEngine is imported only when the map is first shown (after the window is up). The
page is built off the GUI thread, written to a temporary file and loaded with
``view.load`` (``setHtml`` stops at 2 MB). Every request reaches an interceptor that asks
:mod:`siteassess.ui.request_policy`: ``file:`` only in the page's and its assets' folders,
no other host, remote tiles only from the online basemap's hosts when the planner turned it
on; each refused request is logged and kept in :attr:`MapPanel.blocked`. What bypasses
an interceptor is closed when the engine starts (:func:`request_policy.engine_flags`):
preconnect hints go to a proxy that does not exist, WebRTC sends no UDP. A click on a site
reaches Python through QWebChannel, and so do the tiles of a local MBTiles file (read
here, sent back as ``data:`` URLs: no server, no network). A rebuilt page of the same
project opens where the planner left the previous one (centre, zoom, background, layers).
"""

from __future__ import annotations

import base64
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QLabel, QMenu, QStackedLayout, QWidget

from siteassess.ui.i18n_ui import language, tr
from siteassess.ui.request_policy import RequestPolicy, engine_flags, make_policy
from siteassess.ui.worker import TaskRunner

if TYPE_CHECKING:
    from siteassess.assessment import Assessment
    from siteassess.layers.tiles import TileReader, TileSource
    from siteassess.project import Project
    from siteassess.reports.webmap import MapView

log = logging.getLogger(__name__)

# Run before any script of the page and of its frames that load a URL: no WebRTC objects.
# (An empty frame, about:blank, runs no such script and keeps them; the engine's flags keep
# WebRTC off the network there too.)
_NO_WEBRTC_JS = """
(function () {
  ["RTCPeerConnection", "webkitRTCPeerConnection", "RTCDataChannel", "RTCIceCandidate",
   "RTCSessionDescription"].forEach(function (name) {
    try { Object.defineProperty(window, name, {value: undefined, configurable: false}); }
    catch (e) { /* already gone */ }
  });
})();
"""


class _Bridge(QObject):
    """The object the page calls through QWebChannel."""

    clicked = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reader: TileReader | None = None
        self.served = 0  # tiles sent to the page (for tests)

    @Slot(str)
    def siteClicked(self, site_id: str) -> None:  # noqa: N802 - called from JavaScript
        self.clicked.emit(site_id)

    @Slot(int, int, int, result=str)
    def tile(self, z: int, x: int, y: int) -> str:
        """A tile of the local MBTiles file as a ``data:`` URL ("" when there is none)."""
        reader = self.reader
        data = reader.read(z, x, y) if reader is not None else None
        if not data or reader is None:
            return ""  # never None: it would cross Qt's data conversion (see TECH_NOTES)
        self.served += 1
        return f"data:{reader.source.mime};base64,{base64.b64encode(data).decode('ascii')}"


_HOOK_JS = """
(function () {
  if (typeof qt === "undefined" || !qt.webChannelTransport) { return; }
  new QWebChannel(qt.webChannelTransport, function (channel) {
    var bridge = channel.objects.bridge;
    window.siteassessOnSiteClick = function (id) { bridge.siteClicked(String(id)); };
    window.siteassessTile = function (z, x, y, done) { bridge.tile(z, x, y, done); };
    if (window.siteassess && window.siteassess.bridgeReady) { window.siteassess.bridgeReady(); }
  });
})();
"""


class MapPanel(QWidget):
    """The map area: a message until the web view is ready, then the Leaflet page."""

    siteClicked = Signal(str)  # noqa: N815
    pageReady = Signal(bool)  # noqa: N815 - True when Leaflet loaded

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.stack = QStackedLayout(self)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #555; font-size: 14px; padding: 20px")
        self.stack.addWidget(self.message)
        self.view: Any = None
        self.page: Any = None
        self.profile: Any = None
        self.interceptor: Any = None
        self.bridge = _Bridge(self)
        self.bridge.clicked.connect(self.siteClicked.emit)
        self.online = False
        self.loaded = False
        self.requests: list[tuple[str, bool]] = []  # (url, blocked), for tests and the log
        self.blocked: list[tuple[str, str]] = []  # (url, why): every request refused
        self.html_path: Path | None = None
        self._tmp = Path(tempfile.mkdtemp(prefix="siteassess-map-"))
        self.policy = RequestPolicy()  # refuses everything until _update_policy
        self._scores_of: Assessment | None = None  # the scores the page must show
        self._selected: str | None = None
        self._generation = 0
        self.tiles: TileSource | None = None  # the local background tiles, if any
        self._assessment: Assessment | None = None  # the one the page shows
        self._page_project: object = None  # which project the loaded page is of
        self.kept_view: MapView | None = None  # the view the last page was opened at
        self.show_message(tr("The map appears once the project is assessed."))

    def show_message(self, text: str) -> None:
        """Show a message in place of the map."""
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    # -- the web view, created on first use
    def ensure_view(self) -> bool:
        """Create the web view (imports QtWebEngine); False when it is not available."""
        if self.view is not None:
            return True
        _prepare_engine()
        try:
            from PySide6.QtCore import QFile, QIODevice
            from PySide6.QtWebChannel import QWebChannel
            from PySide6.QtWebEngineCore import (
                QWebEnginePage,
                QWebEngineProfile,
                QWebEngineScript,
                QWebEngineSettings,
                QWebEngineUrlRequestInterceptor,
            )
            from PySide6.QtWebEngineWidgets import QWebEngineView
        except ImportError as exc:  # pragma: no cover - a broken Qt install
            log.warning("QtWebEngine unavailable: %s", exc)
            self.show_message(tr("The map cannot be shown: QtWebEngine is not available."))
            return False

        panel = self

        class Interceptor(QWebEngineUrlRequestInterceptor):
            def interceptRequest(self, info: Any) -> None:  # noqa: N802
                url = bytes(info.requestUrl().toEncoded().data()).decode("ascii", "replace")
                decision = panel.policy.decide(url)
                panel.requests.append((url, not decision.allowed))
                if not decision.allowed:
                    info.block(True)
                    panel.blocked.append((url, decision.reason))
                    log.warning("the map page's request was blocked: %s (%s)", url, decision.reason)

        self.profile = QWebEngineProfile(self)  # off the record: no cache on disk
        self.interceptor = Interceptor(self)
        self.profile.setUrlRequestInterceptor(self.interceptor)
        self.page = QWebEnginePage(self.profile, self)
        attr = QWebEngineSettings.WebAttribute
        settings = self.page.settings()
        settings.setAttribute(attr.LocalContentCanAccessFileUrls, True)
        # Remote URLs are let through to the interceptor, which decides (and logs) instead
        # of Chromium refusing them unseen.
        settings.setAttribute(attr.LocalContentCanAccessRemoteUrls, True)
        settings.setAttribute(attr.WebRTCPublicInterfacesOnly, True)
        for off in (attr.DnsPrefetchEnabled, attr.HyperlinkAuditingEnabled, attr.PluginsEnabled):
            settings.setAttribute(off, False)
        settings.setAttribute(attr.NavigateOnDropEnabled, False)
        settings.setAttribute(attr.JavascriptCanOpenWindows, False)
        self._update_policy()
        no_webrtc = QWebEngineScript()
        no_webrtc.setName("siteassess-no-webrtc")
        no_webrtc.setSourceCode(_NO_WEBRTC_JS)
        no_webrtc.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentCreation)
        no_webrtc.setWorldId(QWebEngineScript.ScriptWorldId.MainWorld)
        no_webrtc.setRunsOnSubFrames(True)
        self.page.scripts().insert(no_webrtc)
        qrc = QFile(":/qtwebchannel/qwebchannel.js")
        source = ""
        if qrc.open(QIODevice.OpenModeFlag.ReadOnly):
            source = bytes(qrc.readAll().data()).decode("utf-8")
            qrc.close()
        script = QWebEngineScript()
        script.setName("siteassess-bridge")
        script.setSourceCode(source + _HOOK_JS)
        script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentReady)
        script.setWorldId(QWebEngineScript.ScriptWorldId.MainWorld)
        self.page.scripts().insert(script)
        channel = QWebChannel(self.page)
        channel.registerObject("bridge", self.bridge)
        self.page.setWebChannel(channel)
        self.view = QWebEngineView(self)
        self.view.setPage(self.page)
        self.view.loadFinished.connect(self._loaded)
        self.stack.addWidget(self.view)
        return True

    def _update_policy(self) -> None:
        """Allow the page's folder, the web assets', the local XYZ tiles' and, with the
        online basemap on, its tile hosts."""
        from siteassess.reports.webmap import asset_folders, online_tile_hosts

        xyz = self.tiles if self.tiles is not None and self.tiles.kind == "xyz" else None
        self.policy = make_policy(
            [self._tmp, *asset_folders()],
            online_tile_hosts() if self.online else (),
            (xyz.path, xyz.format) if xyz is not None else None,
        )

    # -- content
    def show_assessment(self, a: Assessment) -> None:
        """Build the page for a (re-)measured assessment, off the GUI thread, then load it.

        A new page of the project already shown keeps the planner's view: the centre, zoom,
        background and layer switches of the page it replaces.
        """
        if not self.ensure_view():
            return
        same = self.loaded and self._page_project == _project_key(a)
        self._generation += 1
        generation = self._generation
        self._assessment = a
        self._scores_of = a
        if not same:
            self.loaded = False
            self.show_message(tr("Drawing the map…"))
            self._build(a, generation, None)
            return

        # The page stays on screen while the next one is built from where it is looked at.
        def with_view(value: object) -> None:
            from siteassess.reports.webmap import map_view_from_js

            if generation == self._generation:
                self._build(a, generation, map_view_from_js(value))

        self.page.runJavaScript(
            "window.siteassess ? JSON.stringify(window.siteassess.view()) : ''", 0, with_view
        )

    def _build(self, a: Assessment, generation: int, view: MapView | None) -> None:
        options = (language(), self.online, self.tiles)
        self.kept_view = view

        def job(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> str:
            from siteassess.reports.webmap import MapOptions, build_map_html

            progress(0.0, "building the map")
            opts = MapOptions(
                lang=options[0], online_basemap=options[1], tiles=options[2], view=view
            )
            return build_map_html(a, opts)

        def done(html: object) -> None:
            if generation != self._generation:
                return
            path = self._tmp / f"map-{generation}.html"
            path.write_text(str(html), encoding="utf-8")
            self.html_path = path
            self.loaded = False
            self._page_project = _project_key(a)
            from PySide6.QtCore import QUrl

            # Shown before loading: Leaflet fits the sites to the size the view has now.
            self.stack.setCurrentWidget(self.view)
            self.view.load(QUrl.fromLocalFile(str(path)))

        def failed(exc: BaseException) -> None:
            log.exception("the map could not be built", exc_info=exc)
            self.show_message(tr("The map could not be drawn: {error}").format(error=exc))

        self.runner.start("map", job, done, failed, show_progress=False)

    # -- local background tiles
    def set_tiles(self, source: TileSource | None, *, redraw: bool = True) -> None:
        """Show ``source`` (checked by :func:`siteassess.layers.tiles.open_tiles`) under the
        layers, or no local tiles; redraw the page at the same view."""
        from siteassess.layers.tiles import TileReader

        if self.bridge.reader is not None:
            self.bridge.reader.close()
            self.bridge.reader = None
        self.tiles = source
        if source is not None and source.kind == "mbtiles":
            self.bridge.reader = TileReader(source)
        self._update_policy()
        if redraw and self._assessment is not None and self.view is not None:
            self.show_assessment(self._assessment)

    def tiles_from_project(self, project: Project) -> None:
        """Use the project's ``[map] tiles`` (refused with a message naming the file)."""
        from siteassess.errors import SiteAssessError
        from siteassess.layers.tiles import open_tiles

        path = project.tiles_path()
        source = None
        if path is not None:
            try:
                source = open_tiles(path)
            except SiteAssessError as exc:
                log.warning("background tiles refused: %s", exc)
                from siteassess.ui import dialogs

                dialogs.show_error(
                    self.window(), tr("The background tiles cannot be used"), str(exc)
                )
        self.set_tiles(source, redraw=False)

    def _loaded(self, ok: bool) -> None:
        self.loaded = bool(ok)
        self.stack.setCurrentWidget(self.view)
        if ok:
            self._js("siteassess.map.invalidateSize();")
            if self._scores_of is not None:
                self._js(_set_scores_js(self._scores_of))
            if self._selected is not None:
                # Highlighted, not framed: a first page shows every site, a rebuilt one the
                # planner's view.
                self._send_detail(self._selected)
                self._js(f"siteassess.select({_json(self._selected)}, false);")
        self.pageReady.emit(self.loaded)

    def update_scores(self, a: Assessment) -> None:
        """Recolour the sites after a change of weights (no rebuild; the scores are sent
        when a page is loaded)."""
        self._scores_of = a
        if self.loaded:
            self._js(_set_scores_js(a))

    def select_site(self, site_id: str, pan: bool = True) -> None:
        """Highlight a site (and frame it with its supply options)."""
        self._selected = site_id
        if self.loaded:
            self._send_detail(site_id)
            self._js(f"siteassess.select({_json(site_id)}, {'true' if pan else 'false'});")

    def _send_detail(self, site_id: str) -> None:
        """Give the page the site's full outline, popup and supply options (a page of many
        sites carries only simplified outlines, see ``webmap.MANY_SITES``)."""
        from siteassess.reports.webmap import site_detail_js

        a = self._scores_of or self._assessment  # the latest scores of the page's sites
        if a is not None:
            code = site_detail_js(a, site_id, language())
            if code:
                self._js(code)

    def set_online(self, on: bool) -> None:
        """Allow or block the online basemap's tiles (every other remote request stays
        blocked)."""
        self.online = on
        self._update_policy()

    def run_js(self, code: str, callback: Callable[[Any], None]) -> None:
        """Run JavaScript in the page and pass its result to ``callback``."""
        if self.page is None:
            callback(None)
            return
        self.page.runJavaScript(code, 0, callback)

    def _js(self, code: str) -> None:
        if self.page is not None:
            self.page.runJavaScript(code, 0)

    def shutdown(self) -> None:
        """Release the web page before its profile, and delete the temporary files."""
        if self.page is not None:
            import shiboken6

            if self.view is not None:
                self.view.setPage(None)
            # Now, not later: a page still alive when its profile goes makes Qt complain.
            shiboken6.delete(self.page)
            self.page = None
        if self.bridge.reader is not None:
            self.bridge.reader.close()
            self.bridge.reader = None
        shutil.rmtree(self._tmp, ignore_errors=True)


def _prepare_engine() -> None:
    """Add the map's flags to the web engine's command line, read when it starts (at the
    first page: QtWebEngine is imported and started only when the map is first shown)."""
    from siteassess.reports.webmap import online_tile_hosts

    key = "QTWEBENGINE_CHROMIUM_FLAGS"
    os.environ[key] = engine_flags(os.environ.get(key, ""), online_tile_hosts())


def _project_key(a: Assessment) -> object:
    """Which project an assessment is of (its file, else the object itself)."""
    project = a.measurements.project
    return project.path if project.path is not None else id(project)


class TilesMenu(QMenu):
    """View ▸ Background tiles: an MBTiles file, a folder of XYZ tiles, or none."""

    chosen = Signal(str)  # a path, or "" for no local tiles

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mbtiles = QAction(self)
        self.folder = QAction(self)
        self.none = QAction(self)
        self.addActions([self.mbtiles, self.folder])
        self.addSeparator()
        self.addAction(self.none)
        self.mbtiles.triggered.connect(self._pick_file)
        self.folder.triggered.connect(self._pick_folder)
        self.none.triggered.connect(lambda: self.chosen.emit(""))
        self.retranslate()

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.setTitle(tr("&Background tiles (offline)"))
        self.mbtiles.setText(tr("From an &MBTiles file…"))
        self.folder.setText(tr("From a &folder of XYZ tiles…"))
        self.none.setText(tr("&No background tiles"))

    def set_current(self, source: TileSource | None) -> None:
        """Show which tiles are in use."""
        self.none.setEnabled(source is not None)
        self.setToolTip(str(source.path) if source is not None else "")

    def _pick_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self.parentWidget(), tr("Background tiles"), "", f"{tr('MBTiles file')} (*.mbtiles)"
        )
        if name:
            self.chosen.emit(name)

    def _pick_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self.parentWidget(), tr("Background tiles"))
        if name:
            self.chosen.emit(name)


def _set_scores_js(a: Assessment) -> str:
    """The call that recolours the page: arrays in the order of the page's sites (the
    page keys them by its own ids, so an id such as "__proto__" stays a key)."""
    from siteassess.reports.webmap import score_arrays

    return f"siteassess.setScoreArrays({_json(score_arrays(a))});"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")
