"""The interactive map page (folium/Leaflet) of an assessment, usable with no internet.

Leaflet, jQuery and Font Awesome come from the pinned XStatic packages as local ``file://``
URIs (folium's defaults are CDNs); the page has no basemap unless ``online_basemap`` is
set. Every attribute shown in a popup, a tooltip or the layer list is HTML-escaped, and
big layers are simplified and rounded before they go into the page.

Labels (sites, substations with name and voltage, commune names) are placed by the page
itself at every zoom, greedily by priority and without overlap; names from the data are
set as text, never as HTML. Background tiles: OpenStreetMap and IGN's Plan IGN when the
online basemap is on, and a local tile source (an XYZ folder by ``file://`` URL, or an
MBTiles file whose tiles the embedding page serves through ``window.siteassessTile``).

The page exposes ``window.siteassess`` for whoever embeds it: ``setScores([[id, {score,
rank, excluded}], …])`` recolours the sites (pairs, see :func:`js_pairs`), and so does
``setScoreArrays({score, rank, excluded})`` (arrays in the order of the page's sites,
:func:`score_arrays`),
``select(id, pan)`` highlights one and frames it with its supply options, ``view()``
gives the centre, zoom, base layer and hidden layers (to keep them across a rebuild),
``count()`` gives the number of sites drawn; a click on a site calls
``window.siteassessOnSiteClick(id)`` when the embedding page defines it. No Qt.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from siteassess.i18n import format_number, has_translation, pgettext, translate
from siteassess.project import ROLE_TITLES
from siteassess.reports.i18n_reports import UNTRANSLATED, colon
from siteassess.reports.mapstyle import (
    COMMUNE,
    COMMUNE_TEXT,
    KV225,
    KV400,
    KV_LOW,
    SUPPLY,
    ZONE_FILL,
    kv_class,
    kv_colour,
)
from siteassess.reports.messages import reason_text
from siteassess.reports.webmap_assets import API_JS, STYLE
from siteassess.roles import role

if TYPE_CHECKING:
    import geopandas as gpd

    from siteassess.assessment import Assessment
    from siteassess.layers import Layer
    from siteassess.layers.tiles import TileSource

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
PERMANENT_LABELS_UP_TO = 40  # sites; beyond, only the 10 best are named when zoomed out
# A national screen (24,000 sites) would make a 39 MB page. Above this many sites the page
# carries only each site's outline simplified in the working CRS, its id and name; the
# sites show as points below ``OUTLINES_FROM_ZOOM``; a site's popup text, supply options
# and full outline come when it is selected (:func:`site_detail_js`).
MANY_SITES = 3000
SITE_TOLERANCE_M = 10.0  # simplification of the outlines of many sites, in metres
OUTLINES_FROM_ZOOM = 11  # many sites: points only when zoomed out further
NAME_COLUMNS = ("nom", "name", "nom_commune", "nom_com", "libelle", "NOM", "NOM_COM", "LIBELLE")
OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
PLAN_IGN_URL = (
    "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM"
    "&FORMAT=image/png&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
)
PLAN_IGN_ATTRIBUTION = "© IGN – Plan IGN v2"
ONLINE_TILE_URLS = (OSM_URL, PLAN_IGN_URL)  # the only remote URLs the page may request
MAX_ZOOM = 19


_LINESTYLE = {"color": role("fibre").colour, "weight": 2, "opacity": 0.9}
_FLOOD_FILL = {"frequent": "#08519c", "medium": "#3182bd", "extreme": "#9ecae1"}


def score_colour(score: float | None, excluded: bool) -> str:
    """The colour of a site on the map and in the table (by score class; grey if excluded)."""
    if excluded or score is None or math.isnan(score):
        return EXCLUDED_COLOUR
    return next(c for low, c in SCORE_CLASSES if score >= low)


def site_scores(a: Assessment) -> dict[str, dict[str, Any]]:
    """Per site id, its score, rank (None when excluded) and exclusion, for ``setScores``."""
    import numpy as np

    t = a.table
    scores = np.asarray(t.scores, dtype=float)
    known = ~np.isnan(scores)
    score = np.where(known, np.round(scores, 3), 0.0).tolist()
    excluded = np.asarray(t.excluded, dtype=bool).tolist()
    ranks = np.asarray(t.ranks).astype(int).tolist()
    return {
        sid: {
            "score": s if k else None,
            "rank": None if x else r,
            "excluded": x,
        }
        for sid, s, k, r, x in zip(a.site_ids, score, known.tolist(), ranks, excluded, strict=True)
    }


def score_arrays(a: Assessment) -> dict[str, list[Any]]:
    """The scores, ranks (None when excluded) and exclusions in the order of the sites, for
    ``setScoreArrays``: a re-ranking of 24,000 sites sends 0.5 MB, not 1.5 MB of pairs."""
    import numpy as np

    t = a.table
    scores = np.asarray(t.scores, dtype=float)
    excluded = np.asarray(t.excluded, dtype=bool)
    score = np.round(scores, 3).astype(object)
    score[np.isnan(scores)] = None
    rank = np.asarray(t.ranks).astype(int).astype(object)
    rank[excluded] = None
    return {"score": score.tolist(), "rank": rank.tolist(), "excluded": excluded.tolist()}


def _to_wgs84(crs: Any) -> Any:
    """A transformer from ``crs`` to lon/lat, made once per CRS (making one takes 10 ms)."""
    from pyproj import Transformer

    key = str(crs)
    found = _TRANSFORMERS.get(key)
    if found is None:
        found = _TRANSFORMERS[key] = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return found


_TRANSFORMERS: dict[str, Any] = {}


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


def asset_folders() -> tuple[Path, ...]:
    """The folders of the pinned web assets the page loads (Leaflet, jQuery, Font Awesome
    with its fonts): with the page's own folder, the only ``file:`` places it may read."""
    from xstatic.pkg import font_awesome, jquery, leaflet

    return tuple(Path(pkg.BASE_DIR).resolve() for pkg in (leaflet, jquery, font_awesome))


def online_tile_hosts() -> frozenset[str]:
    """The hosts of the online basemaps' tiles (requested over https only)."""
    from urllib.parse import urlsplit

    return frozenset(str(urlsplit(url).hostname) for url in ONLINE_TILE_URLS)


def js_pairs(mapping: Mapping[str, Any]) -> list[list[Any]]:
    """A mapping keyed by data (site ids, layer names) as ``[key, value]`` pairs.

    The page turns them into objects without a prototype: sent as a JavaScript object, a
    site id ``__proto__`` would set the object's prototype instead of being a key.
    """
    return [[key, value] for key, value in mapping.items()]


@dataclass(frozen=True)
class _Tr:
    """Translates the page's texts into one language."""

    lang: str

    def __call__(self, text: str) -> str:
        if not has_translation(text, self.lang):
            UNTRANSLATED.add(text)  # the tests keep it empty
        return translate(text, self.lang)


@dataclass(frozen=True)
class MapView:
    """What the planner was looking at: centre, zoom, base layer and hidden layers."""

    lat: float
    lng: float
    zoom: float
    base: str | None = None  # the base layer's name as the layer list shows it
    hidden: tuple[str, ...] = ()  # names of the layers the planner switched off
    shown: tuple[str, ...] = ()  # ... and of those switched on


def map_view_from_js(value: Any) -> MapView | None:
    """The view the page's ``siteassess.view()`` returned (as JSON text or a dict), or None."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if not isinstance(value, Mapping):
        return None
    try:
        lat, lng, zoom = float(value["lat"]), float(value["lng"]), float(value["zoom"])
    except (KeyError, TypeError, ValueError):
        return None
    if not all(math.isfinite(v) for v in (lat, lng, zoom)):
        return None
    base = value.get("base")

    def names(key: str) -> tuple[str, ...]:
        raw = value.get(key)
        return tuple(str(h) for h in raw if isinstance(h, str)) if isinstance(raw, list) else ()

    return MapView(
        lat=lat,
        lng=lng,
        zoom=zoom,
        base=str(base) if isinstance(base, str) else None,
        hidden=names("hidden"),
        shown=names("shown"),
    )


@dataclass(frozen=True)
class MapOptions:
    """How to draw the page: language, online basemap, local tiles, a view to keep."""

    lang: str = "en"
    online_basemap: bool = False
    tiles: TileSource | None = None  # a local MBTiles file or XYZ folder
    view: MapView | None = None  # None: fit the sites


def build_map_html(a: Assessment, options: MapOptions | None = None) -> str:
    """The whole HTML page of the assessment's map (sites coloured by score, every layer)."""
    import folium
    from folium.utilities import JsCode

    opts = options or MapOptions()
    t = _Tr(opts.lang)
    view = opts.view
    hidden = set(view.hidden) if view else set()
    switched_on = set(view.shown) if view else set()

    m = a.measurements
    sites = m.sites
    bounds = _bounds_4326(sites)
    fmap = folium.Map(
        location=[view.lat, view.lng]
        if view
        else [(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2],
        zoom_start=round(view.zoom) if view else 9,
        tiles=None,
        control_scale=False,
        max_zoom=MAX_ZOOM,
    )
    # New lists on this instance only: folium's class lists stay untouched (no CDN links).
    fmap.default_js, fmap.default_css = offline_assets()
    bases, base = _base_choices(opts, t)
    api = _api_script(fmap.get_name(), a, t, base, view)
    fmap.add_child(_script(api))
    _add_base_layers(fmap, bases, base)  # after the script: the MBTiles layer uses its API

    illustrative: list[str] = []
    roles: set[str] = set()
    communes = False
    order = ("parcels", "context", "flood", "power_lines", "fibre", "substations", "exchanges")
    layers = sorted(
        (
            lyr
            for lyr in m.layers
            if lyr.spec.role != "sites"
            and lyr.data is not None
            and lyr.data.geometry.notna().any()  # a table (capacity per substation): no map
        ),
        key=lambda lyr: order.index(lyr.spec.role) if lyr.spec.role in order else 0,
    )
    each = JsCode("function (f, l) { siteassess.bindFeature(f, l); }")
    for lyr in layers:
        title = _layer_title(lyr, t)
        shown = lyr.spec.role not in ("parcels",) or lyr.features < 5000
        shown = (shown or html.escape(title) in switched_on) and html.escape(title) not in hidden
        roles.add(lyr.spec.role)
        if lyr.is_illustrative:
            illustrative.append(t(ROLE_TITLES.get(lyr.spec.role, lyr.spec.role)))
        name_col = area_name_column(lyr)
        if name_col is not None:
            # Outlines with names (communes): drawn on a canvas, not clickable, named by
            # the page's labels when zoomed in.
            communes = True
            folium.GeoJson(
                _area_features(lyr, a, name_col),
                name=html.escape(title),
                on_each_feature=each,
                show=shown,
                interactive=False,
                pane="sa-communes",
                renderer=JsCode('L.canvas({padding: 0.3, pane: "sa-communes"})'),
            ).add_to(fmap)
            continue
        data = _layer_features(lyr, a, t)
        if not data["features"]:
            continue
        extra: dict[str, Any] = {}
        if lyr.spec.role == "substations":
            extra["pointToLayer"] = JsCode(
                "function (f, ll) { return siteassess.substation(f, ll); }"
            )
        elif lyr.spec.role == "exchanges":
            extra["marker"] = folium.CircleMarker(radius=5)
        folium.GeoJson(
            data, name=html.escape(title), on_each_feature=each, show=shown, **extra
        ).add_to(fmap)

    sites_spec = m.project.layers_of("sites")[0]
    sites_title = t("Brownfields")
    if sites_spec.is_illustrative:
        sites_title += f" ({t('ILLUSTRATIVE')})"
        illustrative.append(t("Brownfields"))
    # Many sites: on one canvas (thousands of SVG paths would slow every pan and zoom).
    light: dict[str, Any] = {"renderer": JsCode("siteassess.canvas")} if many_sites(a) else {}
    folium.GeoJson(
        _site_features(a, t),
        name=html.escape(sites_title),
        on_each_feature=JsCode("function (f, l) { siteassess.registerSite(f, l); }"),
        class_name="sa-site",
        show=html.escape(sites_title) not in hidden,
        **light,
    ).add_to(fmap)
    fmap.add_child(_script("siteassess.finish();"))
    fmap.add_child(_script(f"L.control.scale({{imperial: false}}).addTo({fmap.get_name()});"))
    # Collapsed to an icon: the layer list opens on a click and leaves the map clear.
    folium.LayerControl(collapsed=True).add_to(fmap)
    if view is None:
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
    # What the score is made of: each weighted criterion, as it names itself.
    from siteassess.criteria import CRITERIA

    weights = [
        (t(CRITERIA[c.name].label if c.name in CRITERIA else c.title), c.weight)
        for c in a.criteria
        if c.weight > 0
    ]
    legend = _legend(t, approx, illustrative, roles, communes, weights)
    root.html.add_child(_raw(legend))  # type: ignore[attr-defined]
    out: str = root.render()
    return out


_BaseChoice = tuple[str, "dict[str, Any] | str"]


def _base_choices(opts: MapOptions, t: _Tr) -> tuple[list[_BaseChoice], str | None]:
    """The background choices (local tiles, online tiles, none) and the one shown.

    Each choice is a name and either the keyword arguments of a folium ``TileLayer`` or the
    JavaScript expression of a Leaflet layer (the MBTiles reader, the empty background).
    """
    layers: list[tuple[str, dict[str, Any] | str]] = []
    if opts.tiles is not None:
        src = opts.tiles
        name = html.escape(f"{t('Local tiles')} — {src.name}")
        attr = html.escape(src.attribution or src.path.name)
        native = {"min_native_zoom": src.min_zoom, "max_native_zoom": src.max_zoom}
        if src.kind == "xyz":
            layers.append((name, {"tiles": src.url_template(), "attr": attr, **native}))
        else:
            spec: dict[str, Any] = {
                "minNativeZoom": src.min_zoom,
                "maxNativeZoom": src.max_zoom,
                "maxZoom": MAX_ZOOM,
                "attribution": attr,
            }
            if src.bounds is not None:
                west, south, east, north = src.bounds
                spec["bounds"] = [[south, west], [north, east]]
            layers.append((name, f"siteassess.localTiles({_json(spec)})"))
    if opts.online_basemap:
        online = (
            ("OpenStreetMap (online)", OSM_URL, OSM_ATTRIBUTION),
            ("Plan IGN (online)", PLAN_IGN_URL, PLAN_IGN_ATTRIBUTION),
        )
        for title, url, attr in online:
            layers.append(
                (html.escape(t(title)), {"tiles": url, "attr": attr, "max_native_zoom": 19})
            )
    if not layers:
        return [], None
    layers.append((html.escape(t("No background")), "L.layerGroup()"))
    names = [n for n, _ in layers]
    wanted = opts.view.base if opts.view is not None and opts.view.base in names else names[0]
    return layers, wanted


def _add_base_layers(fmap: Any, layers: Sequence[_BaseChoice], wanted: str | None) -> None:
    import folium

    for name, layer in layers:
        show = name == wanted
        if isinstance(layer, str):
            _js_layer(layer, name, show).add_to(fmap)
        else:
            folium.TileLayer(
                name=name, overlay=False, show=show, max_zoom=MAX_ZOOM, **layer
            ).add_to(fmap)


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
    if lyr.is_illustrative:
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


def _geo_dicts(geoms: Sequence[Any]) -> list[Any]:
    """GeoJSON geometry mappings of shapely geometries, written by GEOS all at once (five
    times faster than one ``__geo_interface__`` per geometry on 24,000 sites)."""
    import numpy as np
    import shapely

    arr = np.asarray(list(geoms), dtype=object)
    if not len(arr):
        return []
    ok = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
    written = shapely.to_geojson(arr[ok]).tolist()
    parsed = iter(json.loads("[" + ",".join(written) + "]"))
    return [
        next(parsed) if good else getattr(g, "__geo_interface__", None)
        for g, good in zip(arr, ok.tolist(), strict=True)
    ]


LABEL_CHARS = 48  # a longer name is cut in the map's labels (its popup gives it whole)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip(" -,;(") + "…"


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _table(title: str, rows: Sequence[tuple[str, Any]], source: str | None, t: _Tr) -> str:
    body = "".join(
        f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>"
        for k, v in rows
        if v is not None and str(v) != "" and str(v) != "nan"
    )
    head = _esc(t("Source") + colon(t.lang))  # "Source : " in French
    foot = f'<div class="sa-src">{head}{_esc(source)}</div>' if source else ""
    return f'<div class="sa-pop"><b>{_esc(title)}</b><table>{body}</table>{foot}</div>'


def _near_sites(lyr: Layer, a: Assessment) -> gpd.GeoDataFrame:
    """The layer's features the page draws: those within the layer's read window around the
    sites (a table of all France's substations is read whole; the page needs the region)."""
    import shapely

    from siteassess.layers import window_for

    gdf = lyr.frame()
    gdf = gdf.loc[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
    m = a.measurements
    win = window_for(lyr.spec.role, tuple(m.sites.total_bounds), m.project)
    if win is None or gdf.empty:
        return gdf
    return gdf.loc[gdf.intersects(shapely.box(*win[0]))]


def _layer_features(lyr: Layer, a: Assessment, t: _Tr) -> dict[str, Any]:
    working_crs = a.measurements.working_crs
    gdf = _near_sites(lyr, a)
    geoms = _geometries_4326(gdf, working_crs)
    role = lyr.spec.role
    source = lyr.source_text(t.lang)
    feats = []
    for geom, (_, row) in zip(_geo_dicts(geoms), gdf.iterrows(), strict=True):
        props = _props(role, row, t)
        name = props.pop("_name")
        rows = props.pop("_rows")
        feats.append(
            {
                "type": "Feature",
                "geometry": geom,
                "properties": {
                    "style": props["style"],
                    "_tip": _esc(name) if name else "",
                    "_popup": _table(name or t(ROLE_TITLES.get(role, role)), rows, source, t),
                    **props.get("_extra", {}),
                },
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def area_name_column(lyr: Layer) -> str | None:
    """For a context layer of named polygons (communes), its name column, else None."""
    if lyr.spec.role != "context" or lyr.data is None or lyr.data.empty:
        return None
    import shapely

    kinds = set(shapely.get_type_id(lyr.data.geometry.values).tolist())
    if not kinds or not kinds <= {3, 6}:  # polygons and multipolygons only
        return None
    given = getattr(lyr.spec, "commune_field", None) or lyr.spec.name_field
    if given is not None:
        return str(given) if given in lyr.data.columns else None
    return next((c for c in NAME_COLUMNS if c in lyr.data.columns), None)


def _area_features(lyr: Layer, a: Assessment, name_col: str) -> dict[str, Any]:
    """Outlines with a label point and area for the page's labels (names as plain text)."""
    import geopandas as gpd
    import numpy as np
    import shapely

    working_crs = a.measurements.working_crs
    gdf = _near_sites(lyr, a)
    geoms = _geometries_4326(gdf, working_crs)
    points = gpd.GeoSeries(shapely.point_on_surface(gdf.geometry.values), crs=working_crs).to_crs(
        4326
    )
    areas = gdf.geometry.area.to_numpy() / 1e6
    style = {"color": COMMUNE, "weight": 1, "opacity": 0.9, "fill": False}
    feats = []
    for geom, name, pt, km2 in zip(_geo_dicts(geoms), gdf[name_col], points, areas, strict=True):
        text = "" if name is None or (isinstance(name, float) and math.isnan(name)) else str(name)
        feats.append(
            {
                "type": "Feature",
                "geometry": geom,
                "properties": {
                    "style": style,
                    "_area_label": text,
                    "_at": [round(float(pt.y), 5), round(float(pt.x), 5)],
                    "_km2": round(float(km2), 2) if np.isfinite(km2) else 0.0,
                },
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def _value(row: Any, key: str) -> Any:
    v = row.get(key)
    if v is None or (isinstance(v, float) and math.isnan(v)) or _missing(v):
        return None
    return v


def _props(role: str, row: Any, t: _Tr) -> dict[str, Any]:
    """Name, popup rows and style of one feature of a layer, by role."""
    name = _value(row, "name")
    kv = _value(row, "kv")
    kv_text = f"{format_number(float(kv), t.lang, 0)} kV" if kv else None
    if role == "substations":
        state = _value(row, "state")
        rows = [(t("Voltage"), kv_text), (t("State"), t(state) if state else None)]
        label = f"{name} — {kv_text}" if name and kv_text else name
        # Drawn by the page (siteassess.substation): shape and colour by voltage class,
        # hollow when not in service; the label (plain text) shows when zoomed in.
        extra = {"_kv": kv_class(kv), "_built": state == "in_service"}
        extra["_label"] = f"{name} {kv_text}" if name and kv_text else (name or "")
        return {"_name": label, "_rows": rows, "style": {}, "_extra": extra}
    if role == "power_lines":
        colour = kv_colour(kv)
        return {
            "_name": name or kv_text,
            "_rows": [(t("Voltage"), kv_text)],
            "style": {"color": colour, "weight": 2.5, "opacity": 0.9},
        }
    if role == "flood":
        scen = _value(row, "scenario")
        fill = _FLOOD_FILL.get(str(scen), "#6baed6")
        style = {"color": fill, "weight": 1, "fillColor": fill, "fillOpacity": 0.35}
        shown = pgettext("flood scenario", str(scen), t.lang) if scen else None
        return {
            "_name": shown,
            "_rows": [(t("Scenario"), shown)],
            "style": style,
        }
    if role == "zoning":
        from siteassess.criteria.zoning import TYPE_NAMES

        ztype = _value(row, "zone_type")
        fill = ZONE_FILL.get(str(ztype), "#bdbdbd")
        label = _value(row, "zone_label")
        rows = [
            (t("PLU zone"), label),
            (t("Full name"), _value(row, "zone_label_long")),
            (t("Zone type"), t(TYPE_NAMES[str(ztype)]) if ztype in TYPE_NAMES else None),
        ]
        style = {"color": fill, "weight": 1, "fillColor": fill, "fillOpacity": 0.25}
        return {"_name": label, "_rows": rows, "style": style}
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


def many_sites(a: Assessment) -> bool:
    """Whether the page draws the sites the light way (see :data:`MANY_SITES`)."""
    return len(a.site_ids) > MANY_SITES


def site_geometries(
    sites: gpd.GeoDataFrame, working_crs: Any, tolerance_m: float | None
) -> list[Any]:
    """Site outlines in lon/lat: simplified by ``tolerance_m`` metres in the working CRS
    (None: as :func:`_geometries_4326` draws any layer), rounded to about 1 m."""
    if tolerance_m is None:
        return _geometries_4326(sites, working_crs)
    import geopandas as gpd
    import numpy as np
    import shapely

    geoms = shapely.simplify(sites.geometry.to_numpy(), tolerance_m, preserve_topology=True)
    lonlat = gpd.GeoSeries(geoms, crs=working_crs).to_crs(4326).to_numpy()
    return list(shapely.transform(lonlat, lambda xy: np.round(xy, 5)))


def _site_features(a: Assessment, t: _Tr) -> dict[str, Any]:
    m = a.measurements
    sites = m.sites
    if many_sites(a):
        geoms = site_geometries(sites, m.working_crs, SITE_TOLERANCE_M)
        names = sites["name"].to_numpy() if "name" in sites.columns else [None] * len(sites)
        approx = (
            sites["approximate"].to_numpy()
            if "approximate" in sites.columns
            else [False] * len(sites)
        )
        light = []
        for geom, sid, name, ap in zip(_geo_dicts(geoms), a.site_ids, names, approx, strict=True):
            text = sid if _missing(name) else str(name)
            light.append(
                {
                    "type": "Feature",
                    "geometry": geom,
                    "properties": {
                        "site_id": sid,
                        "_name": _short(text),
                        "_approx": not _missing(ap) and bool(ap),
                    },
                }
            )
        return {"type": "FeatureCollection", "features": light}
    geoms = _geometries_4326(sites, m.working_crs)
    feats = []
    for geom, (sid, row) in zip(_geo_dicts(geoms), sites.iterrows(), strict=True):
        key = str(sid)
        name = str(_value(row, "name") or key)
        approx = bool(_value(row, "approximate"))
        feats.append(
            {
                "type": "Feature",
                "geometry": geom,
                "properties": {
                    "site_id": key,
                    "_name": _short(name),  # plain text: the page's labels set it as text
                    "_tip": _esc(name),
                    "_popup": _popup_of(a, sid, row, t),
                    "_approx": approx,
                },
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def _missing(v: Any) -> bool:
    """None, NaN or pandas' NA (a missing value of a table)."""
    if v is None:
        return True
    if isinstance(v, str | bytes):
        return False
    import pandas as pd

    return bool(pd.api.types.is_scalar(v) and pd.isna(v))


def site_popup(a: Assessment, site_id: str, t: _Tr) -> str:
    """The popup of a site (its score is added by the page at ``<!--score-->``)."""
    label = a.measurements.sites.index[a.site_ids.index(site_id)]  # as the file gave it
    return _popup_of(a, label, a.measurements.sites.loc[label], t)


def _popup_of(a: Assessment, label: Any, row: Any, t: _Tr) -> str:
    m = a.measurements
    site_id = str(label)
    spec = m.project.layers_of("sites")[0]
    area = m.measures["area_ha"] if "area_ha" in m.measures.columns else None
    lang = t.lang
    name = str(_value(row, "name") or site_id)
    approx = bool(_value(row, "approximate"))
    rows: list[tuple[str, Any]] = [
        (t("Site id"), site_id),
        (t("Commune"), _value(row, "commune")),
        (t("Status"), _value(row, "status")),
    ]
    if area is not None:
        rows.append((t("Area"), format_number(float(area.loc[label]), lang, 1, "ha")))
    if a.reasons.get(site_id):
        texts = [reason_text(r, lang) for r in a.reasons[site_id]]
        rows.append((t("Exclusions"), "; ".join(texts)))
    designated = a.designation(site_id)
    if designated is not None:
        what, src, date = designated
        given = " · ".join(x for x in (src, date) if x)
        rows.append(
            (t("Designated by the State (not scored)"), f"{what} — {given}" if given else what)
        )
    if approx:
        # The file's own note is data in its own language (the sample's is English).
        note = _value(row, "outline_note") if lang == "en" else None
        rows.append((t("Approximate outline"), note or t("not surveyed")))
    source = spec.source_fr if lang == "fr" and spec.source_fr else spec.source
    return _table(name, rows, source, t).replace("</b>", "</b><!--score-->", 1)


def site_detail_js(a: Assessment, site_id: str, lang: str) -> str:
    """The call that gives the page one site's full outline (not simplified, rounded to
    about 0.1 m), popup and supply options, before it is selected.

    A page of many sites (:data:`MANY_SITES`) carries none of these; any page draws the
    selected site with its full outline.
    """
    import numpy as np
    import shapely

    m = a.measurements
    ids = a.site_ids
    if site_id not in ids:
        return ""
    t = _Tr(lang)
    outline = m.sites.geometry.iloc[ids.index(site_id)]
    to_wgs = _to_wgs84(m.working_crs)

    def lonlat(xy: Any) -> Any:
        return np.round(np.column_stack(to_wgs.transform(xy[:, 0], xy[:, 1])), 6)

    full = shapely.transform(outline, lonlat)
    detail = {
        "outline": full.__geo_interface__ if not full.is_empty else None,
        "popup": site_popup(a, site_id, t),
        "supply": supply_data(a, t, [site_id]).get(site_id, []),
    }
    return f"siteassess.siteDetail({_json(site_id)}, {_json(detail)});"


def supply_data(
    a: Assessment, t: _Tr, ids: Sequence[str] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Per site (all, or ``ids``), its supply options for the page: position, label text,
    whether framed.

    Names, voltages and distances are the power criterion's (nothing is measured here).
    """
    from siteassess.reports.supply import supply_points

    to_wgs = _to_wgs84(a.measurements.working_crs)
    points = {sid: supply_points(a, sid) for sid in (a.site_ids if ids is None else ids)}
    flat = [o for opts in points.values() for o in opts]
    lons, lats = to_wgs.transform([o.x for o in flat], [o.y for o in flat])
    lonlat = iter(zip(lons, lats, strict=True))
    out: dict[str, list[dict[str, Any]]] = {}
    for sid, opts in points.items():
        options = []
        for o in opts:
            lon, lat = next(lonlat)
            kv = format_number(o.kv, t.lang, 0, "kV") if math.isfinite(o.kv) else ""
            km = format_number(o.distance_m / 1000, t.lang, 1, "km")
            options.append(
                {
                    "lat": round(float(lat), 6),
                    "lng": round(float(lon), 6),
                    "text": " · ".join(x for x in (o.name, kv, km) if x),
                    "frame": o.frame,
                }
            )
        if options:
            out[sid] = options
    return out


def _legend(
    t: _Tr,
    approx: bool,
    illustrative: Sequence[str],
    roles: set[str],
    communes: bool,
    weights: Sequence[tuple[str, float]] = (),
) -> str:
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
    if weights:
        parts = [f"<b>{_esc(t('Weights'))}</b>"]
        parts += [
            f'<div class="sa-weight">{_esc(label)} {format_number(w * 100, t.lang, 0, "%")}</div>'
            for label, w in weights
        ]
        items.append(f'<div class="sa-weights">{"".join(parts)}</div>')
    symbols = []
    if "substations" in roles:
        for cls, label in (("400", "400 kV"), ("225", "225 kV"), ("low", "< 225 kV")):
            symbols.append(
                f"<div>{_substation_svg(cls, True)}{_esc(t('Substation'))} {_esc(t(label))}</div>"
            )
        hollow = _substation_svg("225", False)
        symbols.append(f"<div>{hollow}{_esc(t('authorised, not built (hollow)'))}</div>")
        ring = f'<i class="sa-ring" style="border-color:{SUPPLY}"></i>'
        symbols.append(f"<div>{ring}{_esc(t('Supply option of the selected site'))}</div>")
    if communes:
        line = f'<i class="sa-line" style="border-color:{COMMUNE};border-top-width:1px"></i>'
        symbols.append(f"<div>{line}{_esc(t('Communes'))}</div>")
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
            scen_text = pgettext("flood scenario", scen, t.lang)
            symbols.append(f"<div>{box}{_esc(t('Flood zone'))} ({_esc(scen_text)})</div>")
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


SUBSTATION_SIZES = {"400": 18, "225": 13, "low": 9}  # pixels


def _substation_svg(cls: str, built: bool) -> str:
    """The substation symbol of a voltage class: triangles (225, 400 kV), a square below."""
    size = SUBSTATION_SIZES[cls]
    colour = {"400": KV400, "225": KV225, "low": KV_LOW}[cls]
    fill, stroke = (colour, "#222222") if built else ("#ffffff", colour)
    if cls == "low":
        shape = f'<rect x="1" y="1" width="{size - 2}" height="{size - 2}"/>'
    else:
        shape = f'<path d="M{size / 2:g} 1 L{size - 1} {size - 1.5:g} L1 {size - 1.5:g} Z"/>'
    return (
        f'<svg class="sa-sub-svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{1 if built else 2}">{shape}</svg>'
    )


def _js_layer(code: str, name: str, show: bool) -> Any:
    """A base layer whose Leaflet object is the JavaScript expression ``code`` (data, never
    parsed as a template)."""
    import folium
    from jinja2 import Template

    class JsLayer(folium.map.Layer):
        code = ""
        _template = Template(
            "{% macro script(this, kwargs) %}var {{ this.get_name() }} = {{ this.code }};"
            "{% endmacro %}"
        )

    layer = JsLayer(name=name, overlay=False, control=True, show=show)
    layer._name = "JsLayer"
    layer.code = code
    return layer


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


def _api_script(
    map_name: str, a: Assessment, t: _Tr, base: str | None, view: MapView | None
) -> str:
    lang = t.lang
    texts = {
        "score": translate("Score", lang),
        "rank": translate("Rank", lang),
        "excluded": translate("Excluded site", lang),
        "na": translate("n/a", lang),
    }
    classes = [[low, colour] for low, colour in SCORE_CLASSES]
    data = {
        "scores": js_pairs(site_scores(a)),
        "classes": classes,
        "excludedColour": EXCLUDED_COLOUR,
        "texts": texts,
        "locale": "fr-FR" if lang == "fr" else "en-GB",
        "manySites": len(a.site_ids) > PERMANENT_LABELS_UP_TO,
        # Many sites: light features, points when zoomed out, the rest on selection.
        "light": many_sites(a),
        "outlinesFromZoom": OUTLINES_FROM_ZOOM,
        "supply": [] if many_sites(a) else js_pairs(supply_data(a, t)),
        "subIcons": {
            f"{cls}-{int(built)}": _substation_svg(cls, built)
            for cls in SUBSTATION_SIZES
            for built in (True, False)
        },
        "subSizes": SUBSTATION_SIZES,
        "supplyColour": SUPPLY,
        "communeText": COMMUNE_TEXT,
        "base": base,
        # The planner's switches, carried over to the next page.
        "hidden": js_pairs({**dict.fromkeys(view.shown, False), **dict.fromkeys(view.hidden, True)})
        if view
        else [],
    }
    # json.dumps then "<" escaped: no "</script>" can close the script from inside the data.
    payload = _json(data)
    return API_JS.replace("__MAP__", map_name).replace("__DATA__", payload)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")
