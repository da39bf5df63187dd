"""Delimited text is streamed, and the file gate refuses what GDAL should never open."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from siteassess.errors import LayerContentError, LayerLoadError
from siteassess.layers import gdal_safety, readers

ENGINES = ["pyarrow", "pandas"]


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each table read once with pyarrow and once as the installed build (no pyarrow)."""
    if request.param == "pandas":
        real = importlib.util.find_spec

        def no_pyarrow(name: str, *args: object) -> object:
            return None if name == "pyarrow" else real(name, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(readers.importlib.util, "find_spec", no_pyarrow)
    elif importlib.util.find_spec("pyarrow") is None:
        pytest.skip("pyarrow is not installed")

    def whole(self: Path) -> bytes:
        raise AssertionError(f"{self} read whole into memory")

    monkeypatch.setattr(Path, "read_bytes", whole)
    return str(request.param)


def _read(path: Path, encoding: str | None = None) -> tuple[list[str], list[list[str]], str, str]:
    df, enc, sep = readers.read_table(path, label="t", encoding=encoding, separator=None)
    return list(df.columns), df.to_numpy().tolist(), enc, sep


def test_utf8_with_bom(engine: str, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("\ufeffid;nom\n1;Béthune\n".encode())
    assert _read(path) == (["id", "nom"], [["1", "Béthune"]], "utf-8", ";")


def test_cp1252_and_latin1_are_detected(engine: str, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("id,nom\n1,Saint-Étienne – Œuvre\n".encode("cp1252"))
    assert _read(path)[1:3] == ([["1", "Saint-Étienne – Œuvre"]], "cp1252")
    # 0x81 is undefined in Windows-1252: only Latin-1 reads it
    path.write_bytes(b"id,nom\n1,a\x81b\n")
    assert _read(path)[1:3] == ([["1", "a\x81b"]], "latin-1")


def test_a_file_utf8_for_its_first_megabytes_then_cp1252(engine: str, tmp_path: Path) -> None:
    """The whole file decides, not a sample: the late "é" (0xE9) makes it Windows-1252."""
    path = tmp_path / "t.csv"
    rows = 250_000  # about 4 MB of UTF-8, past the first blocks read
    with path.open("wb") as fh:
        fh.write(b"id;nom\n")
        for i in range(rows):
            fh.write(f"{i};Lens {i}\n".encode())
        fh.write("last;Béthune\n".encode("cp1252"))
    assert path.stat().st_size > 2 * readers._BLOCK
    columns, values, enc, _ = _read(path)
    assert enc == "cp1252" and len(values) == rows + 1
    assert values[-1] == ["last", "Béthune"] and values[0] == ["0", "Lens 0"]


def test_an_explicit_encoding_that_does_not_fit_is_refused(engine: str, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("id;nom\n1;Béthune\n".encode("cp1252"))
    with pytest.raises(LayerLoadError, match=r"t\.csv is not readable as utf-8"):
        _read(path, "utf-8")
    with pytest.raises(LayerLoadError, match="not readable as klingon: unknown encoding"):
        _read(path, "klingon")
    assert _read(path, "cp1252")[1] == [["1", "Béthune"]]


@pytest.mark.parametrize("content", [b"", b"   \n\n  \n"])
def test_an_empty_table_is_refused(engine: str, content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    with pytest.raises(LayerContentError, match=r"t\.csv is empty"):
        _read(path)


def test_more_fields_than_the_header_names_the_line(engine: str, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("id,lon,lat\n1,2,5,48,1\n", encoding="utf-8")  # decimal commas
    with pytest.raises(LayerLoadError, match="line 2 has more fields than the header"):
        _read(path)


def test_quotes_blank_lines_and_short_rows_read_as_before(engine: str, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('id,name,x\n1,"a, ""b""",\n\n2,"two\nlines"\n', encoding="utf-8")
    columns, values, _, sep = _read(path)
    assert (columns, sep) == (["id", "name", "x"], ",")
    assert values[0] == ["1", 'a, "b"', ""] and values[1][:2] == ["2", "two\nlines"]


def test_two_columns_of_one_name_are_refused(engine: str, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("id;lat;lon;lat\n1;50;3;51\n", encoding="utf-8")
    with pytest.raises(LayerContentError, match=r"several columns named 'lat' \(2 times\)"):
        _read(path)


# ---------------------------------------------------------------------- the file gate


@pytest.mark.parametrize(
    "path",
    [
        "/vsicurl/http://127.0.0.1:1/x.geojson",
        "/vsis3/bucket/x.gpkg",
        "/vsizip//vsicurl/http://h/x.zip",
        "/project/http://h/x.geojson",
        "/project/s3://bucket/x.gpkg",
        "/project/https:/h/x.tif",
    ],
)
def test_urls_and_virtual_file_systems_are_refused(path: str) -> None:
    with pytest.raises(LayerLoadError, match="not a local file") as info:
        gdal_safety.refuse_remote(Path(path), "Zones")
    assert "layer Zones" in str(info.value)


@pytest.mark.parametrize("path", ["/data/zones.gpkg", "relative/x.csv", "/data/a:b/x.tif"])
def test_local_paths_pass(path: str) -> None:
    gdal_safety.refuse_remote(Path(path), "Zones")


@pytest.mark.parametrize(
    ("head", "looks"),
    [
        (b"SQLite format 3\x00rest", "an SQLite database"),
        (b"II*\x00", "a TIFF image"),
        (b'\xef\xbb\xbf  {"type":', "JSON"),
        (b'<?xml version="1.0"?>\n<!-- c --><OGRVRTDataSource>', "XML (<OGRVRTDataSource>)"),
        (b"<!DOCTYPE html><html>", "an HTML page"),
        (b"id;name\n", "text"),
        (b"\x00\x01\x02", "binary data"),
        (b"", "an empty file"),
        (b" \n\t", "an empty file"),
    ],
)
def test_what_content_looks_like(head: bytes, looks: str) -> None:
    assert gdal_safety.looks_like(head) == looks


def test_gdal_skip_keeps_what_the_user_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GDAL_SKIP", "JP2ECW,VRT")
    skip = gdal_safety.offline_options()["GDAL_SKIP"].split()
    assert skip[:2] == ["JP2ECW", "VRT"] and "OGR_VRT" in skip and skip.count("VRT") == 1


def test_this_process_has_no_vrt_driver() -> None:
    assert gdal_safety.vector_drivers_offline()
    import rasterio

    with rasterio.Env() as env:
        drivers = env.drivers()
    assert "VRT" not in drivers and "WMS" not in drivers


@pytest.mark.parametrize(
    "content",
    [
        "\ufeffid;lon;lat\n1;2,5;48\n\n2;;\n",
        'id,name\n1,"a, ""b"""\n2,"multi\nline"\n',
        "id , name\n 1 , x \nNA,null\n",
        "id\tnom\n1\tSaint-Étienne\n",
        "a;b\n",
    ],
)
def test_pyarrow_gives_what_pandas_gives(content: str, tmp_path: Path) -> None:
    """The pyarrow reader is only a memory saving: same columns, values and types."""
    pytest.importorskip("pyarrow")
    import pandas as pd

    path = tmp_path / "t.csv"
    path.write_text(content, encoding="utf-8")
    sep = readers._guess_separator(content.split("\n", 1)[0])
    header = readers._first_line(path, "utf-8-sig", "t", "utf-8")
    fast = readers._read_arrow(path, sep, "utf-8-sig", header)
    assert fast is not None
    ref = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    pd.testing.assert_frame_equal(fast, ref)


def test_coordinates_parsed_a_slice_at_a_time_are_to_number_s(
    engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slicing only bounds the memory: every value as to_number reads it, in order."""
    import numpy as np

    path = tmp_path / "t.csv"
    values = ["2,5", " 3.25 ", "", "x", "1e400", "-4", "nan", "48,1234567", "0", "7e-3", "1,"]
    path.write_text("id;lon\n" + "".join(f"{i};{v}\n" for i, v in enumerate(values)))
    df, _, _ = readers.read_table(path, label="t", encoding=None, separator=None)
    monkeypatch.setattr(readers, "_SLICE", 3)
    got = readers._coordinates(df["lon"].iloc[1:])  # an index that does not start at 0
    want = readers.to_number(df["lon"].iloc[1:]).to_numpy(dtype=float, na_value=np.nan)
    assert got.dtype == np.float64 and len(got) == len(values) - 1
    np.testing.assert_array_equal(got, want)
    assert got[0] == 3.25 and np.isnan(got[1:3]).all() and got[3] == np.inf and got[-1] == 1.0


def test_a_row_filter_keeps_the_rows_it_selects_block_by_block(engine: str, tmp_path: Path) -> None:
    """Over many of pyarrow's 1 MB blocks: the rows kept are those a filter of the whole
    table keeps, in order, and the filter saw every row once."""
    import numpy as np

    path = tmp_path / "t.csv"
    rows = 120_000  # about 3 MB
    with path.open("w", encoding="utf-8") as fh:
        fh.write("id;x;y\n")
        fh.writelines(f"P{i};{i % 1000},5;{i % 7}\n" for i in range(rows))
    whole, _, _ = readers.read_table(path, label="t", encoding=None, separator=None)
    box = (100.0, 2.0, 200.0, 4.0)
    keep = readers.WindowRows(box, "x", "y")
    near, enc, sep = readers.read_table(path, label="t", encoding=None, separator=None, rows=keep)
    x = whole["x"].str.replace(",", ".").astype(float).to_numpy()
    y = whole["y"].astype(float).to_numpy()
    expected = whole.loc[(x >= 100) & (x <= 200) & (y >= 2) & (y <= 4), "id"].tolist()
    assert near["id"].tolist() == expected
    assert len(expected) == int(np.sum((x >= 100) & (x <= 200) & (y >= 2) & (y <= 4)))
    assert 0 < len(expected) < rows
    assert keep.seen == rows and keep.found
    assert (enc, sep) == ("utf-8", ";")
    assert list(near.columns) == list(whole.columns) == ["id", "x", "y"]
