"""Peak memory of reading a big delimited-text layer, against the old whole-string read.

Writes a ``;``-separated UTF-8 CSV of sites (``id;lon;lat;name;insee``, 3.7 M rows, about
230 MB, like the real 232 MB file of issue 10), then reads it in fresh processes and reports
each one's peak resident memory (``ru_maxrss``) as a multiple of the file size, whole and
above what the imports (pandas, geopandas, both GDALs) already took:

- ``siteassess``: ``readers.read_table`` (streamed), the path every table layer takes;
- ``old``: the previous approach in the same run (``read_bytes``, decode, ``StringIO``);
- each again with pandas' strings stored as Python objects, as in the installed build,
  which leaves pyarrow out.

Goal: siteassess's peak under 3 times the file size.

    python benchmarks/bench_big_csv.py [--rows 3700000] [--keep]
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
from siteassess.layers.readers import read_table
"""
READ = {
    "siteassess": """
df, enc, sep = read_table(Path(PATH), label="postes", encoding=None, separator=None)
""",
    "old": """
raw = Path(PATH).read_bytes()
try:
    text = raw.decode("utf-8-sig")
except UnicodeDecodeError:
    text = raw.decode("cp1252")
sep = ";" if text.split("\\n", 1)[0].count(";") else ","
df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
""",
}
NO_PYARROW = "import sys\nsys.modules['pyarrow'] = None  # as in the installed build\n"
MEASURE = """
import resource, time, json
{imports}
imported = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
t0 = time.perf_counter()
{read}
print(json.dumps({{"rows": len(df), "seconds": time.perf_counter() - t0,
    "peak_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    "imported_bytes": imported,
    "storage": str(getattr(df.dtypes.iloc[0], "storage", df.dtypes.iloc[0]))}}))
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


def measure(path: Path, how: str, *, pyarrow: bool) -> dict[str, float]:
    """Peak RSS of one read in a fresh process."""
    code = ("" if pyarrow else NO_PYARROW) + f"PATH = {str(path)!r}\n"
    code += MEASURE.format(imports=IMPORTS, read=READ[how])
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
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench_big_csv_"))
    path = folder / "postes_big.csv"
    t0 = time.perf_counter()
    write_csv(path, args.rows)
    size = path.stat().st_size
    print(
        f"{path.name}: {args.rows:,} rows, {size / 1e6:.0f} MB ({time.perf_counter() - t0:.0f} s)"
    )
    print(
        f"{'read':12} {'strings':8} {'peak MB':>8} {'x file':>7} {'read MB':>8} {'x file':>7} "
        f"{'seconds':>8}"
    )
    for pyarrow in (True, False):
        for how in ("siteassess", "old"):
            r = measure(path, how, pyarrow=pyarrow)
            assert r["rows"] == args.rows, r
            store = "pyarrow" if pyarrow else "python"
            grown = r["peak_bytes"] - r["imported_bytes"]  # above the imports' own peak
            print(
                f"{how:12} {store:8} {r['peak_bytes'] / 1e6:8.0f} {r['peak_bytes'] / size:7.2f} "
                f"{grown / 1e6:8.0f} {grown / size:7.2f} {r['seconds']:8.1f}"
            )
    if not args.keep:
        path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
