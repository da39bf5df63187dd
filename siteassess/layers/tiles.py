"""Local raster tiles for an offline map background: an MBTiles file or an XYZ folder.

An MBTiles file is a SQLite database of PNG or JPEG tiles (``tiles`` table, TMS rows, and
a ``metadata`` table); an XYZ folder holds ``{z}/{x}/{y}.png`` (or ``.jpg``) files. Both
are read here and nowhere else; nothing goes to the network. Vector tiles (``pbf``) are
refused: the map shows raster tiles only.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from siteassess.errors import LayerLoadError

log = logging.getLogger(__name__)

RASTER_FORMATS = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
}
_MAGIC = ((b"\x89PNG", "png"), (b"\xff\xd8\xff", "jpg"), (b"RIFF", "webp"))
_SQLITE_HEADER = b"SQLite format 3\x00"
_NUMBER = re.compile(r"^\d+$")


class TileSourceError(LayerLoadError):
    """A tile source that cannot be used (the message names the file and the fix)."""


@dataclass(frozen=True)
class TileSource:
    """A local tile set the map can show (described, not opened)."""

    path: Path
    kind: str  # "mbtiles" | "xyz"
    name: str
    format: str  # png | jpg | webp
    min_zoom: int
    max_zoom: int
    bounds: tuple[float, float, float, float] | None = None  # lon/lat, west south east north
    attribution: str | None = None

    @property
    def mime(self) -> str:
        """The MIME type of the tiles."""
        return RASTER_FORMATS[self.format]

    def url_template(self) -> str:
        """For an XYZ folder, the ``file://`` URL template Leaflet asks for."""
        return self.path.resolve().as_uri() + "/{z}/{x}/{y}." + self.format


def open_tiles(path: str | Path) -> TileSource:
    """Describe the tiles at ``path`` (an ``.mbtiles`` file or an XYZ folder), or refuse.

    Raises :class:`TileSourceError` naming the file and saying what is wrong.
    """
    p = Path(path).expanduser()
    if p.is_dir():
        return _xyz_folder(p)
    if not p.exists():
        raise TileSourceError(f"{p}: tile source not found; give an .mbtiles file or a folder")
    return _mbtiles(p)


def _refuse(p: Path, why: str) -> TileSourceError:
    return TileSourceError(
        f"{p}: not a valid MBTiles file ({why}); give an MBTiles file of PNG or JPEG tiles "
        "or a folder of {z}/{x}/{y}.png tiles"
    )


def _connect(p: Path) -> sqlite3.Connection:
    # Read only, shared between the threads that ask for tiles.
    return sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)


def _mbtiles(p: Path) -> TileSource:
    try:
        with p.open("rb") as f:
            head = f.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise TileSourceError(f"{p}: cannot read the tile file: {exc.strerror or exc}") from None
    if head != _SQLITE_HEADER:
        raise _refuse(p, "it is not an SQLite database")
    try:
        con = _connect(p)
        try:
            cols = {row[1] for row in con.execute("PRAGMA table_info(tiles)")}
            need = {"zoom_level", "tile_column", "tile_row", "tile_data"}
            if not need <= cols:
                raise _refuse(p, "no tiles table with zoom_level, tile_column, tile_row, tile_data")
            meta: dict[str, str] = {}
            has_meta = con.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'metadata' AND type IN ('table', 'view')"
            ).fetchone()
            if has_meta:
                meta = {str(k): str(v) for k, v in con.execute("SELECT name, value FROM metadata")}
            zooms = con.execute("SELECT min(zoom_level), max(zoom_level) FROM tiles").fetchone()
            if zooms is None or zooms[0] is None:
                raise _refuse(p, "it holds no tile")
            first = con.execute("SELECT tile_data FROM tiles LIMIT 1").fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise _refuse(p, f"SQLite: {exc}") from None
    fmt = meta.get("format", "").lower().strip() or _sniff(bytes(first[0] or b""))
    if fmt in ("pbf", "mvt"):
        raise TileSourceError(
            f"{p}: holds vector tiles (format = {fmt}); the map shows raster tiles only: "
            "give an MBTiles file of PNG or JPEG tiles"
        )
    if fmt not in RASTER_FORMATS:
        raise _refuse(p, f"tile format {fmt or 'unknown'!r}, not PNG or JPEG")
    fmt = "jpg" if fmt == "jpeg" else fmt
    return TileSource(
        path=p,
        kind="mbtiles",
        name=meta.get("name") or p.stem,
        format=fmt,
        min_zoom=_int(meta.get("minzoom"), int(zooms[0])),
        max_zoom=_int(meta.get("maxzoom"), int(zooms[1])),
        bounds=_bounds(meta.get("bounds")),
        attribution=meta.get("attribution") or None,
    )


def _sniff(data: bytes) -> str:
    return next((fmt for magic, fmt in _MAGIC if data.startswith(magic)), "")


def _int(text: str | None, default: int) -> int:
    try:
        return int(float(text)) if text is not None else default
    except ValueError:
        return default


def _bounds(text: str | None) -> tuple[float, float, float, float] | None:
    try:
        parts = [float(v) for v in (text or "").split(",")]
    except ValueError:
        return None
    return (parts[0], parts[1], parts[2], parts[3]) if len(parts) == 4 else None


def _xyz_folder(p: Path) -> TileSource:
    zooms = sorted(int(d.name) for d in p.iterdir() if d.is_dir() and _NUMBER.match(d.name))
    for z in zooms:
        for col in sorted((p / str(z)).iterdir()):
            if not (col.is_dir() and _NUMBER.match(col.name)):
                continue
            tile = next(
                (
                    f
                    for f in sorted(col.iterdir())
                    if f.suffix.lower().lstrip(".") in RASTER_FORMATS and _NUMBER.match(f.stem)
                ),
                None,
            )
            if tile is not None:
                fmt = tile.suffix.lower().lstrip(".")
                return TileSource(
                    path=p,
                    kind="xyz",
                    name=p.name,
                    format=fmt,
                    min_zoom=zooms[0],
                    max_zoom=zooms[-1],
                )
    raise TileSourceError(
        f"{p}: this folder holds no {{z}}/{{x}}/{{y}}.png (or .jpg) tiles; give a folder of XYZ "
        "tiles or an MBTiles file"
    )


class TileReader:
    """Reads the tiles of an MBTiles file (XYZ numbering in, TMS rows in the file)."""

    def __init__(self, source: TileSource) -> None:
        if source.kind != "mbtiles":
            raise ValueError("TileReader reads MBTiles files; XYZ folders are read by URL")
        self.source = source
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = _connect(source.path)

    def read(self, z: int, x: int, y: int) -> bytes | None:
        """The tile at zoom ``z``, column ``x``, row ``y`` (XYZ, from the top), or None."""
        if not (0 <= z <= 30 and 0 <= x < (1 << z) and 0 <= y < (1 << z)):
            return None
        with self._lock:
            if self._con is None:
                return None
            try:
                row = self._con.execute(
                    "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? "
                    "AND tile_row = ?",
                    (z, x, (1 << z) - 1 - y),
                ).fetchone()
            except sqlite3.Error as exc:
                log.warning("cannot read tile %s/%s/%s of %s: %s", z, x, y, self.source.path, exc)
                return None
        return bytes(row[0]) if row is not None and row[0] is not None else None

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
