"""Whether a path is on a network share (UNC path or ``file://host/`` URL). No Qt, no I/O.

On Windows, opening ``\\\\host\\share\\x.gpkg`` connects to ``host`` over SMB and sends the
user's credentials (an NTLM hash) to it: a project file received from elsewhere could make
the app reach any host. The app asks before it opens such a layer; these functions say which
paths those are, whatever system the project was written on (backslashes or slashes).
"""

from __future__ import annotations

import os
from urllib.parse import unquote, urlsplit

# Windows prefixes of local paths and devices: "\\?\C:\x" (long path), "\\.\COM1".
_LOCAL_PREFIXES = ("//?/", "//./")
_LOCAL_HOSTS = ("", "localhost")


def network_share(path: str | os.PathLike[str]) -> tuple[str, str] | None:
    """The ``(host, share)`` a path or ``file:`` URL is on, or None for a local path.

    ``\\\\host\\share\\x.gpkg``, ``//host/share/x.gpkg``, ``\\\\?\\UNC\\host\\share\\x`` and
    ``file://host/share/x`` are on ``("host", "share")`` (host and share in lower case, as
    Windows compares them); ``C:\\x``, ``/data/x``, ``\\\\?\\C:\\x`` and ``file:///x`` are
    local.
    """
    text = os.fspath(path)
    if text[:5].lower() == "file:":
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
        if host not in _LOCAL_HOSTS:
            return host, _first(unquote(parts.path))
        text = unquote(parts.path)  # file:////host/share: a UNC path in the URL's path
    text = text.replace("\\", "/")
    if not text.startswith("//"):
        return None
    if text[:4] in _LOCAL_PREFIXES:
        rest = text[4:]
        if rest[:4].lower() != "unc/":
            return None
        text = "//" + rest[4:]
    host, _, tail = text[2:].partition("/")
    host = host.strip()
    if not host:
        return None
    return host.lower(), _first(tail)


def is_network_path(path: str | os.PathLike[str]) -> bool:
    """True for a path or ``file:`` URL on a network share (see :func:`network_share`)."""
    return network_share(path) is not None


def _first(tail: str) -> str:
    """The first component of a path (the share's name), in lower case."""
    return tail.lstrip("/").split("/", 1)[0].lower()
