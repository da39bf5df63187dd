"""Peak memory of reading a big delimited-text layer, against the old whole-string read.

Writes a ``;``-separated UTF-8 CSV of sites (``id;lon;lat;name;insee``, 3.7 M rows, about
230 MB, like the real 232 MB file of issue 10), then reads it in fresh processes and reports
each one's peak resident memory (``ru_maxrss``) as a multiple of the file size, whole and
above what the imports (pandas, geopandas, both GDALs) already took, at two points:

- ``table``: the text table read (``readers.read_table``, all columns as text);
- ``layer``: then the features, as a table layer takes them: the ``csv`` importer's own
  steps (coordinates parsed, one point per row, rows without coordinates left out).

The reads compared, in the same run:

- ``app``: ``read_table`` with pyarrow, as the installed app reads (the bundle ships a
  trimmed pyarrow): the text kept in pyarrow's buffers;
- ``app-no-pyarrow``: ``read_table`` without pyarrow (pandas' parser, one Python string
  per cell), as the installed app read before pyarrow was bundled;
- ``app-window``: the read of a windowed role (substations, lines, context) around sites
  of Hauts-de-France: only the rows in the read window are kept as the file is streamed,
  and only they get a point;
- ``old``: the previous approach (``read_bytes``, decode, ``StringIO``), with pyarrow's
  strings, and ``old-no-pyarrow`` with Python strings, as the installed app had it.

Goal: the app's table under 3 times the file size. The layer adds what any reader adds:
one shapely point per row (about 230 bytes each, 60 bytes of the file per row here).

    python benchmarks/bench_big_csv.py [--rows 3700000] [--keep] [--csv FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = "id;lon;lat;name;insee\n"

IMPORTS = """
import io
from pathlib import Path
import pandas as pd
from pyproj import CRS
from siteassess.layers.importers import with_geometry
from siteassess.layers.readers import points_from_columns, read_table, window_rows
"""
READ = {
    "app": """
df, enc, sep = read_table(Path(PATH), label="postes", encoding=None, separator=None)
""",
    "old": """
raw = Path(PATH).read_bytes()
try:
    text = raw.decode("utf-8-sig")
except UnicodeDecodeError:
    text = raw.decode("cp1252")
del raw
sep = ";" if text.split("\\n", 1)[0].count(";") else ","
df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
del text
""",
}
READ["app-no-pyarrow"] = READ["app"]
READ["old-no-pyarrow"] = READ["old"]
# The rest of the csv importer (importers._read_generic_table), the same for every read.
LAYER = """
gdf, bad = points_from_columns(df, label="postes", path=Path(PATH), x_field="lon",
    y_field="lat", wkt_field=None, crs=CRS("EPSG:4326"))
del df
gdf = with_geometry(gdf)
"""
# A windowed role (substations, lines, context) read around sites of Hauts-de-France: the
# window of the Cartofriches of Nord and Pas-de-Calais with the default 50 km margin, in
# Lambert-93, as the csv importer reads it: only the rows in the window are kept as the file
# is streamed (readers.window_rows), and only they get a point.
WINDOW = "((547000.0, 6947000.0, 808000.0, 7161000.0), CRS('EPSG:2154'))"
READ["app-window"] = f"""
near = window_rows({WINDOW}, "EPSG:4326", "lon", "lat")
df, enc, sep = read_table(Path(PATH), label="postes", encoding=None, separator=None, rows=near)
"""
WINDOW_LAYER = LAYER.replace('crs=CRS("EPSG:4326"))', f'crs=CRS("EPSG:4326"), window={WINDOW})')
NO_PYARROW = "import sys\nsys.modules['pyarrow'] = None  # no pyarrow installed\n"
MEASURE = """
import resource, time, json
def peak(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
{imports}
imported = peak()
t0 = time.perf_counter()
{read}
table, rows = peak(), len(df)
storage = str(getattr(df.dtypes.iloc[0], "storage", df.dtypes.iloc[0]))
t1 = time.perf_counter()
{layer}
print(json.dumps({{"rows": rows, "features": len(gdf), "imported_bytes": imported,
    "table_bytes": table, "table_seconds": t1 - t0, "layer_bytes": peak(),
    "layer_seconds": time.perf_counter() - t1, "storage": storage}}))
"""


def write_csv(path: Path, rows: int) -> None:
    """``rows`` sites (id, lon, lat, name, commune code), plausible values in France."""
    rng = random.Random(10)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER)
        batch = []
        for i in range(rows):
            lon, lat = rng.uniform(-4.5, 8.0), rng.uniform(42.5, 51.0)
            insee = rng.randint(1000, 95999)
            batch.append(f"S{i:07d};{lon:.6f};{lat:.6f};Friche de la gare {i};{insee:05d}\n")
            if len(batch) == 10_000:
                fh.writelines(batch)
                batch.clear()
        fh.writelines(batch)


def measure(path: Path, how: str) -> dict[str, float]:
    """Peak RSS of one read, then of the layer, in a fresh process."""
    code = (NO_PYARROW if how.endswith("no-pyarrow") else "") + f"PATH = {str(path)!r}\n"
    layer = WINDOW_LAYER if how == "app-window" else LAYER
    code += MEASURE.format(imports=IMPORTS, read=READ[how], layer=layer)
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"{how}: {proc.stderr[-2000:]}")
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3_700_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated CSV")
    parser.add_argument("--csv", type=Path, help="read this CSV (id;lon;lat;...) instead")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench_big_csv_"))
    path = args.csv or folder / "postes_big.csv"
    t0 = time.perf_counter()
    if args.csv is None:
        write_csv(path, args.rows)
    size = path.stat().st_size
    rows = sum(1 for _ in path.open("rb")) - 1
    print(f"{path.name}: {rows:,} rows, {size / 1e6:.0f} MB ({time.perf_counter() - t0:.0f} s)")
    print(
        f"{'read':15} {'strings':8} {'stage':6} {'peak MB':>8} {'x file':>7} {'grown MB':>9} "
        f"{'x file':>7} {'seconds':>8}"
    )
    for how in READ:
        r = measure(path, how)
        assert r["rows"] == rows or how == "app-window", r
        for stage in ("table", "layer"):
            peak = r[f"{stage}_bytes"]
            grown = peak - r["imported_bytes"]  # above the imports' own peak
            print(
                f"{how:15} {r['storage']:8} {stage:6} {peak / 1e6:8.0f} {peak / size:7.2f} "
                f"{grown / 1e6:9.0f} {grown / size:7.2f} {r[f'{stage}_seconds']:8.1f}"
            )
    if args.csv is None and not args.keep:
        path.unlink()
    if not any(folder.iterdir()):
        folder.rmdir()


if __name__ == "__main__":
    main()
