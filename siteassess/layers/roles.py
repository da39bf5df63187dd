"""Standard columns per layer role, so criteria never guess field names.

sites: index ``site_id``, ``name``, ``approximate``; substations: ``name``, ``kv``,
``state`` (in_service | authorised | out_of_service | unknown); power_lines: ``kv``;
exchanges: ``name``, ``market``; flood (vector): ``scenario`` (frequent | medium |
extreme); fibre: ``name``; parcels: ``idpar`` (the 14-character cadastral parcel id);
zoning: ``zone_type`` (U | AUc | AUs | A | N), ``zone_label``, ``zone_label_long``;
heat_network: ``name``, ``network_id``, ``operator``, ``delivered_mwh``, ``point_only``;
heat_pdp: ``network_id``; grid_capacity: ``point``, ``mw``, ``year``,
``quote_part_eur_per_mw``, ``source``, ``by_substation``.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd

from siteassess.errors import DataIssue, LayerContentError, Quantity, Reason
from siteassess.layers.readers import to_number
from siteassess.layers.voltage import parse_voltage_kv
from siteassess.project import LayerSpec
from siteassess.roles import REGISTRY

SCENARIOS = ("frequent", "medium", "extreme")  # most to least probable
STATES = ("in_service", "authorised", "out_of_service", "unknown")
FLAP_MARKETS = ("Frankfurt", "London", "Amsterdam", "Paris")

# Scenario names met in files, mapped to the three Directive scenarios (lower case).
SCENARIO_ALIASES = {
    "frequent": "frequent",
    "frequente": "frequent",
    "fréquente": "frequent",
    "forte": "frequent",
    "high": "frequent",
    "medium": "medium",
    "moyenne": "medium",
    "moyen": "medium",
    "extreme": "extreme",
    "extrême": "extreme",
    "faible": "extreme",
    "low": "extreme",
}

# Scenario codes of the French flood-directive maps (TRI; COVADIS standard "Directive
# inondation" v2): code in lower case -> (scenario, drawn with climate change). 03Mcc is
# the medium scenario with climate change; the 2020 coastal maps add climate-change
# variants of the other scenarios (suffix "cc_ct").
TRI_SCENARIO_CODES = {
    "01for": ("frequent", False),
    "01forcc_ct": ("frequent", True),
    "02moy": ("medium", False),
    "03mcc": ("medium", True),
    "03mcc_ct": ("medium", True),
    "04fai": ("extreme", False),
    "04faicc_ct": ("extreme", True),
}
SCENARIO_ALIASES.update({code: scen for code, (scen, _) in TRI_SCENARIO_CODES.items()})

Normaliser = Callable[[gpd.GeoDataFrame, LayerSpec, str, list[DataIssue]], gpd.GeoDataFrame]


def _column(gdf: gpd.GeoDataFrame, field: str | None, key: str, spec: LayerSpec, src: str) -> str:
    if field is None:
        raise LayerContentError(f"layer {spec.label}: set {key} for this layer")
    if field not in gdf.columns:
        cols = ", ".join(c for c in gdf.columns if c != gdf.geometry.name)
        raise LayerContentError(
            f"layer {spec.label}: {src} has no column {field!r} ({key}); columns: {cols}"
        )
    return field


def _text_or_na(values: pd.Series, *, code: bool = False) -> pd.Series:
    """Stripped text, with blanks as missing (an INSEE ``code`` stays text: 2A004, 01004)."""
    if code and pd.api.types.is_numeric_dtype(values):
        # A code read as a number lost its leading zero (01004 -> 1004): give it back.
        num = pd.to_numeric(values, errors="coerce")
        text = num.map(lambda v: f"{int(v):05d}" if pd.notna(v) else pd.NA).astype("string")
        return text
    text = values.astype("string").str.strip()
    return text.where(text != "")


def _first_present(gdf: gpd.GeoDataFrame, *names: str) -> str | None:
    return next((n for n in names if n in gdf.columns), None)


def sites(
    gdf: gpd.GeoDataFrame, spec: LayerSpec, src: str, issues: list[DataIssue]
) -> gpd.GeoDataFrame:
    """Index by a unique text id; a name; the approximate-outline flag."""
    id_field = spec.id_field or _first_present(gdf, "site_id", "id")
    id_col = _column(gdf, id_field, "id_field", spec, src)
    ids = gdf[id_col].astype("string").str.strip()
    blank = ids.isna() | (ids == "")
    if blank.any():
        raise LayerContentError(
            f"layer {spec.label}: {src}: {int(blank.sum())} sites have no id in {id_col!r}; "
            "every site needs a unique id"
        )
    dup = ids[ids.duplicated()].unique()
    if len(dup):
        raise LayerContentError(
            f"layer {spec.label}: {src}: site ids are not unique in {id_col!r}: "
            f"{', '.join(map(str, dup[:5]))}"
        )
    name_field = spec.name_field or _first_present(gdf, "name", "nom")
    names = (
        gdf[_column(gdf, name_field, "name_field", spec, src)].astype("string")
        if name_field
        else ids
    )
    approx_field = spec.approximate_field or _first_present(gdf, "approximate")
    approx = (
        gdf[_column(gdf, approx_field, "approximate_field", spec, src)]
        .map(lambda v: str(v).strip().lower() in ("true", "1", "yes", "oui", "vrai"))
        .astype(bool)
        if approx_field
        else pd.Series(False, index=gdf.index)
    )
    out = gdf.assign(name=names.fillna(ids).to_numpy(), approximate=approx.to_numpy())
    # The commune: named fields, else Cartofriches' (renamed by its importer to these).
    for key, field, default in (
        ("commune_field", spec.commune_field, "commune"),
        ("insee_field", spec.insee_field, "insee"),
    ):
        col = default if field is None else _column(gdf, field, key, spec, src)
        if col in gdf.columns:
            out[default] = _text_or_na(gdf[col], code=default == "insee").to_numpy()
    # A designation by the State (fast track, « site clé en main »…), its source and date:
    # only when the project names the fields (a flag shown everywhere, never scored).
    for key, field, col in (
        ("designation_field", spec.designation_field, "designation"),
        ("designation_source_field", spec.designation_source_field, "designation_source"),
        ("designation_date_field", spec.designation_date_field, "designation_date"),
    ):
        if field is not None:
            out[col] = _text_or_na(gdf[_column(gdf, field, key, spec, src)]).to_numpy()
    out.index = pd.Index(ids.to_numpy(dtype=str), name="site_id")
    return out


def substations(
    gdf: gpd.GeoDataFrame, spec: LayerSpec, src: str, issues: list[DataIssue]
) -> gpd.GeoDataFrame:
    """``kv`` and ``state`` from the importer, or from kv_field / status_field.

    A ``kv`` or ``state`` column already in the file is parsed like any other: a file's own
    ``kv`` may hold text such as ``225kV`` and its ``state`` words such as ``en service``.
    """
    out = gdf
    kv_field = spec.kv_field or _first_present(gdf, "kv", "voltage", "tension")
    col = _column(gdf, kv_field, "kv_field", spec, src)
    out = out.assign(kv=_kv(gdf[col], spec, src, issues, _kv_unit(gdf, col, spec)))
    status_field = spec.status_field or _first_present(gdf, "state")
    if status_field:
        col = _column(gdf, status_field, "status_field", spec, src)
        out = out.assign(state=_states(gdf[col]))
    else:
        out = out.assign(state="in_service")
    if "name" not in out.columns or spec.name_field:
        name_field = spec.name_field or _first_present(gdf, "nom", "code")
        out = out.assign(
            name=gdf[name_field].astype("string")
            if name_field
            else pd.Series([f"#{i}" for i in range(len(gdf))], index=gdf.index)
        )
    return out


# The highest AC voltage in service anywhere is 1,150 kV: above that, values are volts.
MAX_PLAUSIBLE_KV = 1_200.0


def _kv_unit(gdf: gpd.GeoDataFrame, col: str, spec: LayerSpec) -> str:
    """The unit of bare numbers in ``col``: voltage_unit, except for an importer's ``kv``.

    An importer (rte-odre, osm-power) gives ``kv`` as numbers already in kV, so that
    voltage_unit = "V", set for the file's own voltage column, does not divide them again.
    """
    if col == "kv" and spec.kv_field is None and pd.api.types.is_numeric_dtype(gdf[col]):
        return "kV"
    return spec.voltage_unit or "kV"


def _kv(
    values: pd.Series, spec: LayerSpec, src: str, issues: list[DataIssue], unit: str
) -> np.ndarray:
    """Voltages in kV; values that can only be volts are reported (and converted)."""
    kv = parse_voltage_kv(values, unit)
    volts = kv > MAX_PLAUSIBLE_KV
    if volts.any():
        issues.append(
            DataIssue.of(
                spec.label,
                Reason.of(
                    "voltages_in_volts",
                    "{n} voltages above {most} (up to {top}): they look like volts; set "
                    'voltage_unit = "V" for this layer',
                    n=int(volts.sum()),
                    most=Quantity(float(MAX_PLAUSIBLE_KV), "kV"),
                    top=float(np.nanmax(kv)),
                ),
                source=src,
                action="read as volts",
            )
        )
        kv = np.where(volts, kv / 1000, kv)
    return kv


def _states(values: pd.Series) -> np.ndarray:
    """Standard states from status words; values already standard are kept."""
    text = values.astype("string").str.strip().str.lower()
    guess = np.where(
        text.str.contains("constr|accord|author|projet|plan", regex=True, na=False),
        "authorised",
        np.where(
            text.str.contains("hors|disus|abandon", regex=True, na=False),
            "out_of_service",
            "in_service",
        ),
    )
    known = text.isin(STATES).fillna(False).to_numpy(dtype=bool)
    return np.where(known, text.fillna("").to_numpy(dtype=object), guess)


def power_lines(
    gdf: gpd.GeoDataFrame, spec: LayerSpec, src: str, issues: list[DataIssue]
) -> gpd.GeoDataFrame:
    """``kv`` from the importer or kv_field (volts for OSM: voltage_unit = "V")."""
    kv_field = spec.kv_field or _first_present(gdf, "kv", "voltage", "tension")
    col = _column(gdf, kv_field, "kv_field", spec, src)
    return gdf.assign(kv=_kv(gdf[col], spec, src, issues, _kv_unit(gdf, col, spec)))


def exchanges(
    gdf: gpd.GeoDataFrame, spec: LayerSpec, src: str, issues: list[DataIssue]
) -> gpd.GeoDataFrame:
    """``name`` and ``market`` (FLAP names matched without case; others kept as written)."""
    name_col = _column(
        gdf, spec.name_field or _first_present(gdf, "name", "nom"), "name_field", spec, src
    )
    market_col = _column(
        gdf, spec.market_field or _first_present(gdf, "market", "marche"), "market_field", spec, src
    )
    canon = {m.lower(): m for m in FLAP_MARKETS}
    market = gdf[market_col].astype("string").str.strip()
    market = market.map(lambda m: canon.get(str(m).lower(), m) if pd.notna(m) else "other")
    return gdf.assign(name=gdf[name_col].astype("string"), market=market.astype("string"))


def flood(
    gdf: gpd.GeoDataFrame, spec: LayerSpec, src: str, issues: list[DataIssue]
) -> gpd.GeoDataFrame:
    """``scenario`` normalised to frequent | medium | extreme; other values skipped."""
    # A file's own "scenario" column is normalised too (it may say "moyenne").
    col = _column(
        gdf, spec.scenario_field or _first_present(gdf, "scenario"), "scenario_field", spec, src
    )
    raw = gdf[col].astype("string").str.strip().str.lower()
    scen = raw.map(lambda v: SCENARIO_ALIASES.get(str(v)) if pd.notna(v) else None)
    bad = scen.isna()
    if bad.any():
        values = sorted({str(v) for v in gdf.loc[bad, col].unique()})[:5]
        issues.append(
            DataIssue.of(
                spec.label,
                Reason.of(
                    "unknown_scenario",
                    "{n} zones have an unknown scenario {values} in {column}; known: {known}",
                    n=int(bad.sum()),
                    values=str(values),
                    column=repr(col),
                    known=", ".join(SCENARIOS),
                ),
                source=src,
                action="skipped",
                count=int(bad.sum()),
            )
        )
    return gdf.loc[~bad].assign(scenario=scen[~bad].astype("string"))


def fibre(
    gdf: gpd.GeoDataFrame, spec: LayerSpec, src: str, issues: list[DataIssue]
) -> gpd.GeoDataFrame:
    """``name`` when the file gives one."""
    name_field = spec.name_field or _first_present(gdf, "name", "nom")
    if name_field:
        return gdf.assign(
            name=gdf[_column(gdf, name_field, "name_field", spec, src)].astype("string")
        )
    return gdf.assign(name=pd.Series("", index=gdf.index, dtype="string"))


def parcels(
    gdf: gpd.GeoDataFrame, spec: LayerSpec, src: str, issues: list[DataIssue]
) -> gpd.GeoDataFrame:
    """``idpar``: the parcel id from id_field, else an ``idpar`` or ``id`` column.

    Ids are trimmed and upper-cased (``59205000AP0021``) so that they join the parcel
    lists of inventories such as Cartofriches; without any id column the layer is kept
    as read (it can still be drawn, not joined).
    """
    id_field = spec.id_field or _first_present(gdf, "idpar", "id")
    if id_field is None:
        return gdf
    col = _column(gdf, id_field, "id_field", spec, src)
    ids = gdf[col].astype("string").str.strip().str.upper()
    return gdf.assign(idpar=ids.replace("", pd.NA))


# Zone types of the CNIG PLU/PLUi standard (v2017, ``zone_urba.typezone``), most to least
# open to building. The 2014 standard's STECAL codes ``Ah``, ``Nh`` and its ``Nd`` are
# sectors within A and N zones: they count as their zone type.
ZONE_TYPES = ("U", "AUc", "AUs", "A", "N")
ZONE_TYPE_ALIASES = {t.lower(): t for t in ZONE_TYPES} | {"ah": "A", "nh": "N", "nd": "N"}


def zone_type_of(values: pd.Series) -> pd.Series:
    """CNIG zone types (``U`` … ``N``) from ``typezone`` codes, without case; else NA."""
    key = values.astype("string").str.strip().str.lower()
    return key.map(ZONE_TYPE_ALIASES).astype("string")


def zoning(
    gdf: gpd.GeoDataFrame, spec: LayerSpec, src: str, issues: list[DataIssue]
) -> gpd.GeoDataFrame:
    """``zone_type`` (U | AUc | AUs | A | N), ``zone_label`` and ``zone_label_long``.

    From the cnig-plu importer, else from a file's ``typezone``, ``libelle`` (or
    name_field) and ``libelong`` columns (any case). Zones of an unknown type are skipped
    and reported once.
    """
    lower = {str(c).lower(): str(c) for c in gdf.columns}
    type_col = "zone_type" if "zone_type" in gdf.columns else lower.get("typezone")
    if type_col is None:
        cols = ", ".join(c for c in gdf.columns if c != gdf.geometry.name)
        raise LayerContentError(
            f"layer {spec.label}: {src} has no zone type column (typezone of the CNIG PLU "
            f'standard); give a Géoportail de l’Urbanisme zone_urba file (format = "cnig-plu"). '
            f"Columns: {cols}"
        )
    ztype = zone_type_of(gdf[type_col])
    label_col = (
        _column(gdf, spec.name_field, "name_field", spec, src)
        if spec.name_field
        else ("zone_label" if "zone_label" in gdf.columns else lower.get("libelle"))
    )
    long_col = "zone_label_long" if "zone_label_long" in gdf.columns else lower.get("libelong")
    blank = pd.Series(pd.NA, index=gdf.index, dtype="string")
    label = _text_or_na(gdf[label_col]) if label_col else blank
    long = _text_or_na(gdf[long_col]) if long_col else blank
    bad = ztype.isna().to_numpy(dtype=bool)
    if bad.any():
        shown = sorted({"<blank>" if pd.isna(v) else str(v) for v in gdf.loc[bad, type_col]})
        issues.append(
            DataIssue.of(
                spec.label,
                Reason.of(
                    "unknown_zone_type",
                    "{n} zones have an unknown zone type {values} in {column}; known: {known}",
                    n=int(bad.sum()),
                    values=str(shown[:8]),
                    column=repr(type_col),
                    known=", ".join(ZONE_TYPES),
                ),
                source=src,
                action="skipped",
                count=int(bad.sum()),
            )
        )
    out = gdf.assign(zone_type=ztype, zone_label=label.fillna(ztype), zone_label_long=long)
    return out.loc[~bad]


POINT_TYPES = ("Point", "MultiPoint")
POLYGON_TYPES = ("Polygon", "MultiPolygon")


def numbers(values: pd.Series) -> np.ndarray:
    """Numbers as floats, from numbers or from text written either way (``1234.5``,
    ``1 234,5`` with spaces between thousands, as a file re-saved in French has them);
    blanks and words are NaN, never 0."""
    text = values.astype("string").str.replace(r"[\s\u202f\u00a0]", "", regex=True)
    out: np.ndarray = to_number(text).to_numpy(dtype=float, na_value=np.nan)
    return out


def _numbers_or_nan(gdf: gpd.GeoDataFrame, col: str | None) -> np.ndarray:
    return np.full(len(gdf), np.nan) if col is None else numbers(gdf[col])


def _text_column(gdf: gpd.GeoDataFrame, col: str | None) -> pd.Series:
    if col is None:
        return pd.Series(pd.NA, index=gdf.index, dtype="string")
    return _text_or_na(gdf[col])


def _drop_geometry(
    gdf: gpd.GeoDataFrame,
    spec: LayerSpec,
    src: str,
    issues: list[DataIssue],
    drop: np.ndarray,
    reason: Reason,
) -> gpd.GeoDataFrame:
    if drop.any():
        issues.append(
            DataIssue.of(
                spec.label,
                reason,
                source=src,
                action=Reason("skipped", "skipped"),
                count=int(drop.sum()),
            )
        )
    return gdf.loc[~drop]


def heat_network(
    gdf: gpd.GeoDataFrame, spec: LayerSpec, src: str, issues: list[DataIssue]
) -> gpd.GeoDataFrame:
    """``name``, ``network_id``, ``operator``, ``delivered_mwh`` (annual heat delivered,
    NaN when not given) and ``point_only`` (True for a network given as a point: its trace
    is unknown). From the ``fcu`` importer, or from name_field / id_field and columns of
    those names. Polygons are skipped: a priority perimeter goes in a ``heat_pdp`` layer."""
    kinds = gdf.geometry.geom_type.to_numpy(dtype=object)
    polygons = np.isin(kinds, POLYGON_TYPES)
    gdf = _drop_geometry(
        gdf,
        spec,
        src,
        issues,
        polygons,
        Reason.of(
            "heat_network_polygons",
            "{n} features are polygons: a heat networks layer holds traces (lines) or "
            "points; priority development perimeters go in a layer of their own",
            n=int(polygons.sum()),
        ),
    )
    kinds = kinds[~polygons]
    id_col = _column(gdf, spec.id_field, "id_field", spec, src) if spec.id_field else None
    id_col = id_col or _first_present(gdf, "network_id")
    name_col = spec.name_field or _first_present(gdf, "name", "nom", "nom_reseau")
    if name_col is not None:
        _column(gdf, name_col, "name_field", spec, src)
    ids = _text_column(gdf, id_col)
    names = _text_column(gdf, name_col).fillna(ids)
    return gdf.assign(
        name=names.fillna("").astype("string"),
        network_id=ids,
        operator=_text_column(gdf, _first_present(gdf, "operator", "gestionnaire")),
        delivered_mwh=_numbers_or_nan(gdf, _first_present(gdf, "delivered_mwh")),
        point_only=np.isin(kinds, POINT_TYPES),
    )


def heat_pdp(
    gdf: gpd.GeoDataFrame, spec: LayerSpec, src: str, issues: list[DataIssue]
) -> gpd.GeoDataFrame:
    """Polygons, with the ``network_id`` of the network each perimeter belongs to (from the
    ``fcu`` importer or id_field; missing when not given). Other geometries are skipped."""
    kinds = gdf.geometry.geom_type.to_numpy(dtype=object)
    other = ~np.isin(kinds, POLYGON_TYPES)
    gdf = _drop_geometry(
        gdf,
        spec,
        src,
        issues,
        other,
        Reason.of(
            "heat_pdp_not_polygons",
            "{n} features are not polygons: a priority development perimeter is an area",
            n=int(other.sum()),
        ),
    )
    id_col = _column(gdf, spec.id_field, "id_field", spec, src) if spec.id_field else None
    return gdf.assign(network_id=_text_column(gdf, id_col or _first_present(gdf, "network_id")))


def grid_capacity(
    gdf: gpd.GeoDataFrame, spec: LayerSpec, src: str, issues: list[DataIssue]
) -> gpd.GeoDataFrame:
    """One row per capacity step: ``point`` (the zone or the substation it belongs to),
    ``mw`` available from ``year``, ``quote_part_eur_per_mw`` and ``source``.

    Zones (polygons, RTE's « zones de mutualisation ») are named by name_field (default
    ``name``, ``nom`` or ``zone``); a table without coordinates names its substation by
    substation_field (default ``code_poste``, ``Code poste`` or ``poste``), matched to the
    substations layer's code, else its name. mw_field (``mw``), year_field (``year``,
    ``annee``), quote_part_field (``quote_part_keur_per_mw``: k€/MW, as the CRE publishes
    it) and source_field (``source``). Steps of one zone or substation add up. Rows
    without MW or year are skipped and reported: a capacity is never guessed.
    """
    table = bool(gdf.geometry.isna().all())
    if table:
        key_field = spec.substation_field or _first_present(
            gdf, "code_poste", "Code poste", "poste", "substation"
        )
        key = _column(gdf, key_field, "substation_field", spec, src)
    else:
        key_field = spec.name_field or spec.id_field or _first_present(gdf, "name", "nom", "zone")
        key = _column(gdf, key_field, "name_field", spec, src)
    mw_col = _column(
        gdf,
        spec.mw_field or _first_present(gdf, "mw", "capacity_mw", "capacite_mw"),
        "mw_field",
        spec,
        src,
    )
    year_col = _column(
        gdf,
        spec.year_field or _first_present(gdf, "year", "annee", "année"),
        "year_field",
        spec,
        src,
    )
    qp_field = spec.quote_part_field or _first_present(gdf, "quote_part_keur_per_mw", "quote_part")
    qp = (
        numbers(gdf[_column(gdf, qp_field, "quote_part_field", spec, src)]) * 1000.0
        if qp_field
        else np.full(len(gdf), np.nan)
    )
    source_field = spec.source_field or _first_present(gdf, "source")
    source = (
        _text_or_na(gdf[_column(gdf, source_field, "source_field", spec, src)])
        if source_field
        else pd.Series(pd.NA, index=gdf.index, dtype="string")
    )
    mw, year = numbers(gdf[mw_col]), numbers(gdf[year_col])
    point = _text_or_na(gdf[key])
    bad = np.isnan(mw) | np.isnan(year) | point.isna().to_numpy()
    if bad.any():
        issues.append(
            DataIssue.of(
                spec.label,
                Reason.of(
                    "capacity_row_incomplete",
                    "{n} capacity rows have no MW, no year or no zone or substation ({columns})",
                    n=int(bad.sum()),
                    columns=", ".join(repr(c) for c in (key, mw_col, year_col)),
                ),
                source=src,
                action="skipped",
                count=int(bad.sum()),
            )
        )
    out = gdf.assign(
        point=point.to_numpy(),
        mw=mw,
        year=year,
        quote_part_eur_per_mw=qp,
        source=source.to_numpy(),
        by_substation=table,
    )
    return out.loc[~bad]


def passthrough(
    gdf: gpd.GeoDataFrame, spec: LayerSpec, src: str, issues: list[DataIssue]
) -> gpd.GeoDataFrame:
    """Context layers are kept as read."""
    return gdf


# Each role's normaliser, as the role registry (siteassess.roles) names it.
NORMALISERS: dict[str, Normaliser] = {r.name: globals()[r.normaliser] for r in REGISTRY}
