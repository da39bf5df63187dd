"""Voltage strings as met in real files: ``400kV``, ``<45kV``, ``400000;225000``, ``225``."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def parse_voltage_kv(values: pd.Series, unit: str = "kV") -> np.ndarray:
    """The highest voltage in kV of each value; NaN when there is none.

    ``unit`` is the unit of bare numbers (``"V"`` for OpenStreetMap, ``"kV"`` otherwise);
    a number followed by ``kV`` is always kV. Several values separated by ``;`` give the
    highest. ``<45kV`` gives NaN: the voltage is not known, only that it is low.
    """
    scale = 1e-3 if unit == "V" else 1.0
    if pd.api.types.is_numeric_dtype(values):
        return np.asarray(values.to_numpy(dtype=float) * scale)
    # Files hold few distinct voltage strings: parse each once.
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    parsed = np.array([_parse_one(str(u), scale) for u in uniques] + [np.nan])
    return parsed[np.where(codes < 0, len(uniques), codes)]


def _parse_one(text: str, scale: float) -> float:
    text = text.strip()
    if text.startswith("<"):
        return np.nan
    best = np.nan
    for part in text.split(";"):
        m = _NUMBER.search(part)
        if not m:
            continue
        x = float(m.group(0).replace(",", "."))
        x = x if "kv" in part.lower() else x * scale
        best = x if np.isnan(best) else max(best, x)
    return float(best)
