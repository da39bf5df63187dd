"""Which requests the map page may make (no Qt: the web view's interceptor asks this).

Everything is refused unless allowed here: ``file:`` only inside the page's own folder and
the folders of its web assets, and the ``{z}/{x}/{y}`` tiles of a local tile folder (a
project names that folder: it could be ``/``), ``data:``, ``blob:`` and Qt's ``qrc:``; with
the online basemap on, ``https`` to the basemap's tile hosts only (default port). A
``file:`` URL with a host (``file://host/share``: SMB on Windows) is always refused.

Two ways out never reach an interceptor: a ``<link rel="preconnect">`` opens a connection
(and resolves the host name) without a request, and WebRTC sends UDP. :func:`engine_flags`
closes both when the web engine starts: a proxy that does not exist for every host but the
tile hosts, and no WebRTC over UDP.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from siteassess.layers.paths import is_network_path

ALWAYS_ALLOWED = frozenset({"data", "blob", "qrc"})
NO_PROXY = "http://127.0.0.1:9"  # the discard port: a connection there goes nowhere
_PROXY_FLAGS = ("--proxy-server", "--proxy-pac-url", "--no-proxy-server", "--proxy-auto-detect")


@dataclass(frozen=True)
class Decision:
    """Whether a request may go, and why (for the log)."""

    allowed: bool
    reason: str


@dataclass(frozen=True)
class RequestPolicy:
    """The folders the page may read and the tile hosts it may reach."""

    folders: tuple[Path, ...] = ()  # resolved (see :func:`make_policy`)
    tile_hosts: frozenset[str] = frozenset()  # empty: the online basemap is off
    tiles: tuple[Path, str] | None = None  # a local XYZ folder (resolved) and its suffix

    def decide(self, url: str) -> Decision:
        """Allow or refuse one request (``url`` as the web engine sends it, encoded)."""
        try:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            host = (parts.hostname or "").lower()
            port = parts.port
        except ValueError:
            return Decision(False, "not a valid URL")
        if scheme in ALWAYS_ALLOWED:
            return Decision(True, f"{scheme}: URL")
        if scheme == "file":
            return self._file(url, parts.netloc, parts.path)
        if scheme in ("http", "https", "ws", "wss"):
            if not self.tile_hosts:
                return Decision(False, "remote request with the online basemap off")
            if scheme != "https" or host not in self.tile_hosts:
                hosts = ", ".join(sorted(self.tile_hosts))
                return Decision(False, f"not the online basemap's tile hosts (https://{hosts})")
            if port not in (None, 443) or parts.username is not None:
                return Decision(False, "a port or user name in a tile URL")
            return Decision(True, "online basemap tile")
        return Decision(False, f"scheme {scheme or '(none)'}: is never used by the map")

    def _file(self, url: str, netloc: str, path: str) -> Decision:
        if netloc or is_network_path(url):
            return Decision(False, "file: URL on another host (a network share)")
        local = url2pathname(path)
        if is_network_path(local):
            return Decision(False, "file: URL on a network share")
        real = Path(os.path.realpath(local))
        if any(real.is_relative_to(folder) for folder in self.folders):
            return Decision(True, "file in the page's or its assets' folders")
        if self.tiles is not None and real.is_relative_to(self.tiles[0]):
            parts = real.relative_to(self.tiles[0]).parts
            z_x_y = [*parts[:2], Path(parts[-1]).stem] if len(parts) == 3 else []
            if z_x_y and all(p.isdigit() for p in z_x_y) and real.suffix == self.tiles[1]:
                return Decision(True, "a tile of the local tile folder")
            return Decision(False, "a file of the local tile folder that is not a tile")
        return Decision(False, "file outside the page's and its assets' folders")


def make_policy(
    folders: Iterable[str | Path],
    tile_hosts: Iterable[str] = (),
    tiles: tuple[str | Path, str] | None = None,
) -> RequestPolicy:
    """A policy for these folders (symbolic links resolved), tile hosts and local XYZ
    folder with its tiles' format (``png``, ``jpg``…)."""
    resolved = tuple(Path(os.path.realpath(f)) for f in folders)
    xyz = (Path(os.path.realpath(tiles[0])), "." + tiles[1]) if tiles is not None else None
    return RequestPolicy(resolved, frozenset(h.lower() for h in tile_hosts), xyz)


def engine_flags(existing: str, tile_hosts: Iterable[str]) -> str:
    """QtWebEngine's command line (``QTWEBENGINE_CHROMIUM_FLAGS``) with the map's flags.

    Connections made without a request (preconnect hints) go to :data:`NO_PROXY`, loopback
    included, and so fail; the tile hosts go direct. WebRTC may not use UDP. A proxy the
    user set on that command line is kept (their choice; preconnects then reach it).
    """
    flags = existing.split()
    if not any(f.split("=", 1)[0] in _PROXY_FLAGS for f in flags):
        bypass = ";".join(["<-loopback>", *sorted(tile_hosts)])
        flags += [f"--proxy-server={NO_PROXY}", f"--proxy-bypass-list={bypass}"]
    # WebRTC only through the proxy, which goes nowhere (QtWebEngine reads the policy from
    # this flag's value; WebRTCPublicInterfacesOnly still lets it send UDP).
    flags = [f for f in flags if not f.startswith("--force-webrtc-ip-handling-policy")]
    flags.append("--force-webrtc-ip-handling-policy=disable_non_proxied_udp")
    return " ".join(flags)
