"""The interactive map page (folium/Leaflet) of an assessment, usable with no internet.

Leaflet, jQuery and Font Awesome come from the pinned XStatic packages as local ``file://``
URIs (folium's defaults are CDNs); the page has no basemap unless ``online_basemap`` is
set. Every attribute shown in a popup, a tooltip or the layer list is HTML-escaped, and
big layers are simplified and rounded before they go into the page.

The page exposes ``window.siteassess`` for whoever embeds it: ``setScores({id: {score,
rank, excluded}})`` recolours the sites, ``select(id, pan)`` highlights one, ``count()``
gives the number of sites drawn; a click on a site calls ``window.siteassessOnSiteClick(id)``
when the embedding page defines it. No Qt here.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from siteassess.i18n import format_number, register, translate
from siteassess.project import ROLE_TITLES
from siteassess.reports.webmap_assets import API_JS, STYLE

if TYPE_CHECKING:
    import geopandas as gpd

    from siteassess.assessment import Assessment
    from siteassess.layers import Layer

# Score classes (lower bound, colour), best first; excluded sites are grey.
SCORE_CLASSES: tuple[tuple[float, str], ...] = (
    (80.0, "#1a9850"),
    (70.0, "#91cf60"),
    (60.0, "#fee08b"),
    (50.0, "#fc8d59"),
    (0.0, "#d73027"),
)
EXCLUDED_COLOUR = "#9e9e9e"
BIG_LAYER_VERTICES = 20_000  # above this, simplify and round harder
PERMANENT_LABELS_UP_TO = 40  # sites; beyond, names show on hover only

_FR = {
    "Brownfields": "Friches",
    "Substations": "Postes électriques",
    "Power lines": "Lignes électriques",
    "Flood zones": "Zones inondables",
    "Fibre": "Fibre optique",
    "Internet exchanges": "Points d’échange internet",
    "Cadastral parcels": "Parcelles cadastrales",
    "Context": "Contexte",
    "ILLUSTRATIVE": "ILLUSTRATIF",
    "Score": "Note",
    "Rank": "Rang",
    "Score (out of 100)": "Note (sur 100)",
    "Excluded site": "Friche exclue",
    "Approximate outline (dashed)": "Contour approximatif (tirets)",
    "Approximate outline": "Contour approximatif",
    "ILLUSTRATIVE, not real data:": "ILLUSTRATIF, pas des données réelles :",
    "Substation": "Poste",
    "Legend": "Légende",
    "Exchange": "Point d’échange internet",
    "Flood zone": "Zone inondable",
    "Site id": "Identifiant",
    "Commune": "Commune",
    "Status": "Statut",
    "Area": "Surface",
    "Exclusions": "Exclusions",
    "Source": "Source",
    "Voltage": "Tension",
    "State": "État",
    "Market": "Marché",
    "Scenario": "Scénario",
    "Name": "Nom",
    "n/a": "n.d.",
    "in_service": "en service",
    "authorised": "autorisé, non construit",
    "out_of_service": "hors service",
    "unknown": "inconnu",
    "frequent": "fréquent",
    "medium": "moyen",
    "extreme": "extrême",
    "OpenStreetMap (online)": "OpenStreetMap (en ligne)",
}
register("fr", _FR)

_LINESTYLE = {"color": "#7b3294", "weight": 2, "opacity": 0.9}
_FLOOD_FILL = {"frequent": "#08519c", "medium": "#3182bd", "extreme": "#9ecae1"}


def is_illustrative(source: str | None) -> bool:
    """True when a layer's ``source`` says its data are illustrative, not real."""
    text = (source or "").lower()
    return "illustrative" in text or "illustratif" in text


def score_colour(score: float | None, excluded: bool) -> str:
    """The colour of a site on the map and in the table (by score class; grey if excluded)."""
    if excluded or score is None or math.isnan(score):
        return EXCLUDED_COLOUR
    return next(c for low, c in SCORE_CLASSES if score >= low)


def site_scores(a: Assessment) -> dict[str, dict[str, Any]]:
    """Per site id, its score, rank (None when excluded) and exclusion, for ``setScores``."""
    t = a.table
    out: dict[str, dict[str, Any]] = {}
    for i, sid in enumerate(a.site_ids):
        s = float(t.scores[i])
        out[sid] = {
            "score": None if math.isnan(s) else round(s, 3),
            "rank": None if t.excluded[i] else int(t.ranks[i]),
            "excluded": bool(t.excluded[i]),
        }
    return out


def offline_assets() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Leaflet, jQuery and Font Awesome as local ``file://`` URIs (JS list, CSS list)."""
    from xstatic.pkg import font_awesome, jquery, leaflet

    def uri(base: str, *parts: str) -> str:
        path = Path(base).joinpath(*parts)
        if not path.is_file():
            raise FileNotFoundError(f"{path}: web asset missing; reinstall the xstatic packages")
        return path.resolve().as_uri()

    js = [
        ("leaflet", uri(leaflet.BASE_DIR, "leaflet.js")),
        ("jquery", uri(jquery.BASE_DIR, "jquery.min.js")),
    ]
    css = [
        ("leaflet_css", uri(leaflet.BASE_DIR, "leaflet.css")),
        ("font_awesome_css", uri(font_awesome.BASE_DIR, "css", "all.min.css")),
    ]
    return js, css


@dataclass(frozen=True)
class _Tr:
    """Translates the page's texts into one language."""

    lang: str

    def __call__(self, text: str) -> str:
        return translate(text, self.lang)


@dataclass(frozen=True)
class MapOptions:
    """How to draw the page: language, optional online basemap."""

    lang: str = "en"
    online_basemap: bool = False


def build_map_html(a: Assessment, options: MapOptions | None = None) -> str:
    """The whole HTML page of the assessment's map (sites coloured by score, every layer)."""
    import folium
    from folium.utilities import JsCode

    opts = options or MapOptions()

    t = _Tr(opts.lang)

    m = a.measurements
    sites = m.sites
    bounds = _bounds_4326(sites)
    fmap = folium.Map(
        location=[(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2],
        zoom_start=9,
        tiles=None,
        control_scale=False,
    )
    # New lists on this instance only: folium's class lists stay untouched (no CDN links).
    fmap.default_js, fmap.default_css = offline_assets()
    if opts.online_basemap:
        folium.TileLayer("OpenStreetMap", name=t("OpenStreetMap (online)")).add_to(fmap)
    permanent = len(sites) <= PERMANENT_LABELS_UP_TO
    api = _api_script(fmap.get_name(), site_scores(a), opts.lang, permanent)
    fmap.add_child(_script(api))

    illustrative: list[str] = []
    roles: set[str] = set()
    order = ("parcels", "context", "flood", "power_lines", "fibre", "substations", "exchanges")
    layers = sorted(
        (lyr for lyr in m.layers if lyr.spec.role != "sites" and lyr.data is not None),
        key=lambda lyr: order.index(lyr.spec.role) if lyr.spec.role in order else 0,
    )
    for lyr in layers:
        title = _layer_title(lyr, t)
        roles.add(lyr.spec.role)
        if is_illustrative(lyr.spec.source):
            illustrative.append(t(ROLE_TITLES.get(lyr.spec.role, lyr.spec.role)))
        data = _layer_features(lyr, m.working_crs, t)
        if not data["features"]:
            continue
        points = lyr.spec.role in ("substations", "exchanges")
        folium.GeoJson(
            data,
            name=html.escape(title),
            marker=folium.CircleMarker(radius=5) if points else None,
            on_each_feature=JsCode("function (f, l) { siteassess.bindFeature(f, l); }"),
            show=lyr.spec.role not in ("parcels",) or lyr.features < 5000,
        ).add_to(fmap)

    sites_spec = m.project.layers_of("sites")[0]
    sites_title = t("Brownfields")
    if is_illustrative(sites_spec.source):
        sites_title += f" ({t('ILLUSTRATIVE')})"
        illustrative.append(t("Brownfields"))
    folium.GeoJson(
        _site_features(a, t),
        name=html.escape(sites_title),
        on_each_feature=JsCode("function (f, l) { siteassess.registerSite(f, l); }"),
        class_name="sa-site",
    ).add_to(fmap)
    fmap.add_child(_script("siteassess.finish();"))
    fmap.add_child(_script(f"L.control.scale({{imperial: false}}).addTo({fmap.get_name()});"))
    # Collapsed to an icon: the layer list opens on a click and leaves the map clear.
    folium.LayerControl(collapsed=True).add_to(fmap)
    # Room on the right for the legend and the layer list.
    fmap.fit_bounds(
        [[bounds[1], bounds[0]], [bounds[3], bounds[2]]],
        padding_top_left=(40, 40),
        padding_bottom_right=(260, 40),
    )
    root = fmap.get_root()
    # In the body, so that it comes after (and overrides) the stylesheets of the head.
    root.html.add_child(_raw(STYLE))  # type: ignore[attr-defined]
    approx = bool(sites["approximate"].any()) if "approximate" in sites.columns else False
    root.html.add_child(_raw(_legend(t, approx, illustrative, roles)))  # type: ignore[attr-defined]
    out: str = root.render()
    return out


def write_map_html(a: Assessment, path: str | Path, options: MapOptions | None = None) -> Path:
    """Write the map page to ``path`` (atomically) and return the path."""
    from siteassess.atomic import atomic_write_bytes

    target = Path(path)
    atomic_write_bytes(target, build_map_html(a, options).encode("utf-8"))
    return target


# ------------------------------------------------------------------------------ layers


def _layer_title(lyr: Layer, t: _Tr) -> str:
    title = t(ROLE_TITLES.get(lyr.spec.role, lyr.spec.role))
    title += f" — {lyr.spec.name or Path(lyr.spec.path).name}"
    if is_illustrative(lyr.spec.source):
        title += f" ({t('ILLUSTRATIVE')})"
    return str(title)


def _bounds_4326(gdf: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    b = gdf.to_crs(4326).total_bounds
    return float(b[0]), float(b[1]), float(b[2]), float(b[3])


def _geometries_4326(gdf: gpd.GeoDataFrame, working_crs: Any) -> list[Any]:
    """Geometries in lon/lat: simplified (big layers) and rounded to about 0.1 m or 1 m."""
    import geopandas as gpd
    import numpy as np
    import shapely

    geoms = gdf.geometry.to_numpy()
    vertices = int(shapely.get_num_coordinates(geoms).sum())
    big = vertices > BIG_LAYER_VERTICES
    if big:
        tolerance = 10.0 if vertices > 10 * BIG_LAYER_VERTICES else 3.0  # metres
        geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    lonlat = gpd.GeoSeries(geoms, crs=working_crs).to_crs(4326).to_numpy()
    decimals = 5 if big else 6
    rounded = shapely.transform(lonlat, lambda xy: np.round(xy, decimals))
    return list(rounded)


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _table(title: str, rows: Sequence[tuple[str, Any]], source: str | None, t: _Tr) -> str:
    body = "".join(
        f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>"
        for k, v in rows
        if v is not None and str(v) != "" and str(v) != "nan"
    )
    foot = f'<div class="sa-src">{_esc(t("Source"))}: {_esc(source)}</div>' if source else ""
    return f'<div class="sa-pop"><b>{_esc(title)}</b><table>{body}</table>{foot}</div>'


def _layer_features(lyr: Layer, working_crs: Any, t: _Tr) -> dict[str, Any]:
    gdf = lyr.frame()
    gdf = gdf.loc[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
    geoms = _geometries_4326(gdf, working_crs)
    role = lyr.spec.role
    source = lyr.spec.source
    feats = []
    for geom, (_, row) in zip(geoms, gdf.iterrows(), strict=True):
        props = _props(role, row, t)
        name = props.pop("_name")
        rows = props.pop("_rows")
        feats.append(
            {
                "type": "Feature",
                "geometry": geom.__geo_interface__,
                "properties": {
                    "style": props["style"],
                    "_tip": _esc(name) if name else "",
                    "_popup": _table(name or t(ROLE_TITLES.get(role, role)), rows, source, t),
                },
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def _value(row: Any, key: str) -> Any:
    v = row.get(key)
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return v


def _kv_colour(kv: float | None) -> str:
    """Substations and lines in greys by voltage (the score colours stay for the sites)."""
    return "#000000" if (kv or 0) >= 400 else "#525252" if (kv or 0) >= 225 else "#969696"


def _props(role: str, row: Any, t: _Tr) -> dict[str, Any]:
    """Name, popup rows and style of one feature of a layer, by role."""
    name = _value(row, "name")
    kv = _value(row, "kv")
    kv_text = f"{format_number(float(kv), t.lang, 0)} kV" if kv else None
    if role == "substations":
        state = _value(row, "state")
        colour = _kv_colour(kv)
        style = {"color": "#ffffff", "weight": 1, "fill": True, "fillColor": colour}
        style["fillOpacity"] = 0.9
        style["radius"] = 6 if (kv or 0) >= 400 else 5 if (kv or 0) >= 225 else 4
        if state not in (None, "in_service"):
            style.update({"fillOpacity": 0.15, "color": colour, "weight": 2})
        rows = [(t("Voltage"), kv_text), (t("State"), t(state) if state else None)]
        label = f"{name} — {kv_text}" if name and kv_text else name
        return {"_name": label, "_rows": rows, "style": style}
    if role == "power_lines":
        colour = _kv_colour(kv)
        return {
            "_name": name or kv_text,
            "_rows": [(t("Voltage"), kv_text)],
            "style": {"color": colour, "weight": 2.5, "opacity": 0.9},
        }
    if role == "flood":
        scen = _value(row, "scenario")
        fill = _FLOOD_FILL.get(str(scen), "#6baed6")
        style = {"color": fill, "weight": 1, "fillColor": fill, "fillOpacity": 0.35}
        return {
            "_name": t(scen) if scen else None,
            "_rows": [(t("Scenario"), t(scen) if scen else None)],
            "style": style,
        }
    if role == "fibre":
        return {"_name": name, "_rows": [(t("Name"), name)], "style": dict(_LINESTYLE)}
    if role == "exchanges":
        market = _value(row, "market")
        style = {"color": "#ffffff", "weight": 1.5, "fill": True, "fillColor": "#542788"}
        style.update({"fillOpacity": 1, "radius": 6})
        return {"_name": name, "_rows": [(t("Name"), name), (t("Market"), market)], "style": style}
    rows = [(str(k), v) for k, v in row.items() if k != "geometry" and not str(k).startswith("_")][
        :10
    ]
    style = {"color": "#737373", "weight": 1, "fillColor": "#bdbdbd", "fillOpacity": 0.2}
    return {"_name": name, "_rows": rows, "style": style}


def _site_features(a: Assessment, t: _Tr) -> dict[str, Any]:
    m = a.measurements
    sites = m.sites
    spec = m.project.layers_of("sites")[0]
    geoms = _geometries_4326(sites, m.working_crs)
    area = m.measures["area_ha"] if "area_ha" in m.measures.columns else None
    lang = t.lang
    feats = []
    for geom, (sid, row) in zip(geoms, sites.iterrows(), strict=True):
        key = str(sid)
        name = str(_value(row, "name") or key)
        approx = bool(_value(row, "approximate"))
        rows: list[tuple[str, Any]] = [
            (t("Site id"), key),
            (t("Commune"), _value(row, "commune")),
            (t("Status"), _value(row, "status")),
        ]
        if area is not None:
            rows.append((t("Area"), format_number(float(area.loc[sid]), lang, 1, "ha")))
        if a.exclusions.get(key):
            rows.append((t("Exclusions"), "; ".join(a.exclusions[key])))
        if approx:
            rows.append((t("Approximate outline"), _value(row, "outline_note") or "✓"))
        popup = _table(name, rows, spec.source, t).replace("</b>", "</b><!--score-->", 1)
        feats.append(
            {
                "type": "Feature",
                "geometry": geom.__geo_interface__,
                "properties": {
                    "site_id": key,
                    "_tip": _esc(name),
                    "_popup": popup,
                    "_approx": approx,
                },
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def _legend(t: _Tr, approx: bool, illustrative: Sequence[str], roles: set[str]) -> str:
    # The score classes as one bar, worst to best, with their bounds below.
    classes = list(reversed(SCORE_CLASSES))
    cells = "".join(f'<span style="background:{c}"></span>' for _, c in classes)
    ticks = "".join(f"<span>{low:g}</span>" for low, _ in classes) + "<span>100</span>"
    items = [f'<div class="sa-bar">{cells}</div><div class="sa-ticks">{ticks}</div>']
    items.append(
        f'<div><i style="background:{EXCLUDED_COLOUR}"></i>{_esc(t("Excluded site"))}</div>'
    )
    if approx:
        items.append(f'<div><i class="sa-dash"></i>{_esc(t("Approximate outline (dashed)"))}</div>')
    symbols = []
    if "substations" in roles:
        for kv, label in ((400, "400 kV"), (225, "225 kV"), (63, "< 225 kV")):
            dot = f'<i class="sa-dot" style="background:{_kv_colour(kv)}"></i>'
            symbols.append(f"<div>{dot}{_esc(t('Substation'))} {_esc(label)}</div>")
    if "exchanges" in roles:
        symbols.append(
            f'<div><i class="sa-dot" style="background:#542788"></i>{_esc(t("Exchange"))}</div>'
        )
    if "fibre" in roles:
        line = f'<i class="sa-line" style="border-color:{_LINESTYLE["color"]}"></i>'
        symbols.append(f"<div>{line}{_esc(t('Fibre'))}</div>")
    if "flood" in roles:
        for scen in ("frequent", "medium", "extreme"):
            box = f'<i style="background:{_FLOOD_FILL[scen]};opacity:.6"></i>'
            symbols.append(f"<div>{box}{_esc(t('Flood zone'))} ({_esc(t(scen))})</div>")
    warn = ""
    if illustrative:
        names = ", ".join(_esc(n) for n in dict.fromkeys(illustrative))
        warn = f'<div class="sa-warn">⚠ {_esc(t("ILLUSTRATIVE, not real data:"))} {names}</div>'
    head = _esc(t("Score (out of 100)"))
    cols = f'<div class="sa-col"><b>{head}</b>{"".join(items)}</div>'
    if symbols:
        cols += f'<div class="sa-col">{"".join(symbols)}</div>'
    summary = f"<summary>{_esc(t('Legend'))}</summary>"
    return (
        # The warning stays outside the foldable part: illustrative data is always flagged.
        f'<div class="sa-legend"><details open>{summary}<div class="sa-cols">{cols}</div>'
        f"</details>{warn}</div>"
    )


def _raw(text: str) -> Any:
    """An element that outputs ``text`` as is (never parsed as a Jinja template)."""
    from branca.element import Element

    el = Element(template="{{ this.raw }}")
    el.raw = text  # type: ignore[attr-defined]
    return el


def _script(code: str) -> Any:
    """A map child whose script is ``code`` (passed as data, never parsed as a template)."""
    from branca.element import MacroElement
    from jinja2 import Template

    el = MacroElement()  # type: ignore[no-untyped-call]
    el._template = Template("{% macro script(this, kwargs) %}{{ this.code }}{% endmacro %}")
    el.code = code  # type: ignore[attr-defined]
    return el


def _api_script(map_name: str, scores: Mapping[str, Any], lang: str, permanent: bool) -> str:
    texts = {
        "score": translate("Score", lang),
        "rank": translate("Rank", lang),
        "excluded": translate("Excluded site", lang),
        "na": translate("n/a", lang),
    }
    classes = [[low, colour] for low, colour in SCORE_CLASSES]
    data = {
        "scores": scores,
        "classes": classes,
        "excludedColour": EXCLUDED_COLOUR,
        "texts": texts,
        "locale": "fr-FR" if lang == "fr" else "en-GB",
        "labels": permanent,
    }
    # json.dumps then "<" escaped: no "</script>" can close the script from inside the data.
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return API_JS.replace("__MAP__", map_name).replace("__DATA__", payload)
