"""The ranking as every table output writes it (CSV, XLSX, GeoPackage).

Its own module so that the JSON/GeoPackage writers (:mod:`siteassess.reports.tables`) and
the spreadsheet writers (:mod:`siteassess.reports.spreadsheet`) share it without importing
each other.
"""

from __future__ import annotations

import pandas as pd

from siteassess.assessment import Assessment
from siteassess.reports import illustrative

__all__ = ["RANK_COLUMNS", "output_frame"]

# Ranks mean nothing for an excluded site: null in JSON, empty in CSV and XLSX, NULL in GPKG.
RANK_COLUMNS = ("rank", "rank_min", "rank_max")


def output_frame(a: Assessment) -> pd.DataFrame:
    """``a.ranked()`` as the table outputs write it.

    An excluded site has no rank (``<NA>``, not 0, so that sorting by rank does not put it
    first), and the last column, ``illustrative_layers``, names the ILLUSTRATIVE layers the
    scores rest on (``<NA>`` when there is none).
    """
    df = a.ranked().copy()
    excluded = df["excluded"].to_numpy(dtype=bool)
    for col in RANK_COLUMNS:
        if col in df.columns:
            ranks = pd.array(df[col].to_numpy(), dtype="Int64")
            ranks[excluded] = pd.NA
            df[col] = ranks
    note = illustrative.cell_text(a)
    df[illustrative.COLUMN] = pd.array([note or pd.NA] * len(df), dtype="string")
    return df
