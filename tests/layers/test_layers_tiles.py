"""Local background tiles: MBTiles files and XYZ folders are described, or refused by name."""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

import pytest

from siteassess.layers.tiles import TileReader, TileSourceError, open_tiles


def png_bytes(rgb: tuple[int, int, int] = (255, 0, 255), size: int = 4) -> bytes:
    """A tiny PNG written by hand (no image library): one colour, ``size`` pixels square."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    row = b"\x00" + bytes(rgb) * size
    header = size.to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


def make_mbtiles(
    path: Path, tiles: dict[tuple[int, int, int], bytes], meta: dict[str, str] | None = None
) -> Path:
    """An MBTiles file of ``{(z, x, y_xyz): data}`` (rows stored TMS, as the spec says)."""
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    con.execute(
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,"
        " tile_data BLOB)"
    )
    con.executemany("INSERT INTO metadata VALUES (?, ?)", (meta or {}).items())
    for (z, x, y), data in tiles.items():
        con.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, 2**z - 1 - y, data))
    con.commit()
    con.close()
    return path


def test_an_mbtiles_file_is_described_from_its_metadata(tmp_path: Path) -> None:
    meta = {
        "name": "Fond Hauts-de-France",
        "format": "png",
        "minzoom": "5",
        "maxzoom": "9",
        "bounds": "1.5,49.9,4.3,51.1",
        "attribution": "© moi",
    }
    path = make_mbtiles(tmp_path / "fond.mbtiles", {(5, 16, 10): png_bytes()}, meta)
    src = open_tiles(path)
    assert (src.kind, src.name, src.format, src.mime) == (
        "mbtiles",
        "Fond Hauts-de-France",
        "png",
        "image/png",
    )
    assert (src.min_zoom, src.max_zoom) == (5, 9)
    assert src.bounds == (1.5, 49.9, 4.3, 51.1)
    assert src.attribution == "© moi"


def test_tiles_are_read_by_xyz_row_from_tms_rows(tmp_path: Path) -> None:
    red, blue = png_bytes((255, 0, 0)), png_bytes((0, 0, 255))
    path = make_mbtiles(tmp_path / "t.mbtiles", {(1, 0, 0): red, (1, 0, 1): blue})
    src = open_tiles(path)
    assert (src.min_zoom, src.max_zoom, src.format) == (1, 1, "png")  # from the tiles
    reader = TileReader(src)
    try:
        assert reader.read(1, 0, 0) == red  # the top row in XYZ is TMS row 1
        assert reader.read(1, 0, 1) == blue
        assert reader.read(1, 1, 0) is None
        assert reader.read(1, 5, 0) is None and reader.read(-1, 0, 0) is None
    finally:
        reader.close()
    assert reader.read(1, 0, 0) is None  # closed


def test_jpeg_tiles_without_a_format_are_recognised(tmp_path: Path) -> None:
    path = make_mbtiles(tmp_path / "j.mbtiles", {(0, 0, 0): b"\xff\xd8\xff\xe0" + b"0" * 20})
    assert open_tiles(path).format == "jpg"


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"not a database at all", "not an SQLite database"),
        (b"", "not an SQLite database"),
    ],
)
def test_a_file_that_is_not_sqlite_is_refused_by_name(
    tmp_path: Path, content: bytes, why: str
) -> None:
    path = tmp_path / "faux.mbtiles"
    path.write_bytes(content)
    with pytest.raises(TileSourceError, match=why) as err:
        open_tiles(path)
    assert str(path) in str(err.value) and "MBTiles" in str(err.value)


def test_an_sqlite_file_without_tiles_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "autre.mbtiles"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE parcels (id TEXT)")
    con.commit()
    con.close()
    with pytest.raises(TileSourceError, match="no tiles table") as err:
        open_tiles(path)
    assert str(path) in str(err.value)
    empty = make_mbtiles(tmp_path / "vide.mbtiles", {})
    with pytest.raises(TileSourceError, match="holds no tile"):
        open_tiles(empty)


def test_vector_tiles_are_refused(tmp_path: Path) -> None:
    path = make_mbtiles(tmp_path / "v.mbtiles", {(0, 0, 0): b"\x1a\x00"}, {"format": "pbf"})
    with pytest.raises(TileSourceError, match="vector tiles") as err:
        open_tiles(path)
    assert str(path) in str(err.value)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TileSourceError, match="not found"):
        open_tiles(tmp_path / "absent.mbtiles")


def test_an_xyz_folder_is_described(tmp_path: Path) -> None:
    for z, x, y in ((3, 4, 2), (4, 8, 5), (4, 8, 6)):
        (tmp_path / "xyz" / str(z) / str(x)).mkdir(parents=True, exist_ok=True)
        (tmp_path / "xyz" / str(z) / str(x) / f"{y}.jpg").write_bytes(b"\xff\xd8\xff")
    src = open_tiles(tmp_path / "xyz")
    assert (src.kind, src.format, src.min_zoom, src.max_zoom) == ("xyz", "jpg", 3, 4)
    assert src.url_template().startswith("file://")
    assert src.url_template().endswith("/xyz/{z}/{x}/{y}.jpg")


def test_a_folder_without_tiles_is_refused(tmp_path: Path) -> None:
    (tmp_path / "docs" / "notes").mkdir(parents=True)
    (tmp_path / "docs" / "notes" / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(TileSourceError, match="holds no") as err:
        open_tiles(tmp_path / "docs")
    assert str(tmp_path / "docs") in str(err.value)
