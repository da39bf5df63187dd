"""The script and style sheet the map page adds to folium's (plain text, no Qt).

``API_JS`` defines ``window.siteassess`` (see :mod:`siteassess.reports.webmap`); its
``__MAP__`` and ``__DATA__`` are replaced by the map's variable and the page's data.
Every object keyed by data (site ids, layer names) is made with ``Object.create(null)``
and filled from ``[key, value]`` pairs: a site id ``__proto__``, ``constructor`` or
``toString`` is then a key like any other, never the object's prototype or a method.
"""

STYLE = """<style>
.leaflet-container.folium-map { background: #eef0ea; font-size: 12px; }
.leaflet-control-layers, .leaflet-control-scale { font: 12px/1.4 sans-serif; }
.sa-legend { position: fixed; bottom: 26px; right: 10px; z-index: 1000; background: #fff;
  padding: 5px 8px; font: 11px/1.4 sans-serif; border-radius: 4px; box-shadow: 0 1px 4px #0004; }
.sa-legend i { display: inline-block; width: 14px; height: 11px; margin-right: 6px;
  border: 1px solid #555; vertical-align: middle; }
.sa-legend i.sa-dash { background: #fff; border: 2px dashed #333; height: 7px; }
.sa-legend i.sa-dot { width: 10px; height: 10px; border-radius: 50%; margin: 0 8px 0 2px; }
.sa-legend i.sa-line { height: 0; border: 0; border-top: 3px solid; margin-bottom: 2px; }
.sa-cols { display: flex; gap: 14px; }
.sa-weights { margin-top: 6px; }
.sa-bar { display: flex; width: 150px; height: 10px; margin: 3px 0 0; border: 1px solid #555; }
.sa-bar span { flex: 1; }
.sa-ticks { display: flex; justify-content: space-between; width: 180px; margin-left: -12px;
  font-size: 10px; color: #444; }
.sa-ticks span { width: 30px; text-align: center; }
.sa-legend summary { cursor: pointer; color: #444; font-weight: bold; }
.sa-warn { margin-top: 4px; color: #8a4b00; max-width: 380px; font-weight: bold; }
.sa-pop table { border-collapse: collapse; font-size: 12px; }
.sa-pop th { text-align: left; padding-right: 8px; color: #555; font-weight: normal; }
.sa-score { font-weight: bold; margin: 2px 0 4px; }
.sa-src { color: #666; font-size: 11px; margin-top: 4px; max-width: 280px; }
.sa-legend i.sa-ring { width: 12px; height: 12px; border-radius: 50%; background: none;
  border: 2.5px solid; margin: 0 6px 0 0; }
.sa-legend svg.sa-sub-svg { vertical-align: middle; margin: 0 6px 0 0; }
.sa-sub { background: none; border: 0; }
.sa-sub svg { display: block; overflow: visible; }
.sa-zoom-far .sa-sub svg { transform: scale(0.6); }
.sa-zoom-far .sa-sub-low { display: none; }
.sa-zoom-far .leaflet-sa-communes-pane { opacity: 0.45; }
.leaflet-sa-labels-pane { pointer-events: none; }
.sa-lbl { position: absolute; left: 0; top: 0; white-space: nowrap; font: 11px/13px sans-serif;
  color: #222; text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; }
.sa-lbl.sa-label { font-weight: bold; padding: 0 3px; background: #ffffffd9; border-radius: 2px;
  text-shadow: none; }
.sa-lbl.sa-lbl-sel { color: #0b3c8c; outline: 1.5px solid #0b3c8c; }
.sa-lbl.sa-lbl-sub { font-size: 10.5px; }
.sa-lbl.sa-lbl-supply { font-weight: bold; color: #0b3c8c; background: #fffffff0;
  padding: 0 3px; border-radius: 2px; text-shadow: none; }
.sa-lbl.sa-lbl-area { font-style: italic; color: #56626e; font-size: 11px; }
</style>"""

API_JS = """
window.siteassess = (function (map, data) {
  // A dictionary without a prototype, from [key, value] pairs.
  var dict = function (pairs) {
    var out = Object.create(null);
    (pairs || []).forEach(function (p) { out[p[0]] = p[1]; });
    return out;
  };
  var api = {map: map, sites: dict(), dots: dict(), selected: null, labels: [], dict: dict};
  Object.assign(api, data);
  api.scores = dict(data.scores);
  api.order = (data.scores || []).map(function (p) { return p[0]; });  // the sites' order
  api.supply = dict(data.supply);
  api.hidden = dict(data.hidden);
  // Many sites ("light"): drawn on a canvas, points only when zoomed out; each site's
  // popup text, supply options and full outline come through siteDetail on selection.
  api.details = dict();
  api.canvas = data.light ? L.canvas({padding: 0.3}) : null;
  api.fullOutline = null;  // {id, layer}: the selected site drawn with its full outline
  api.outlinesShown = function () {
    return !api.light || map.getZoom() >= api.outlinesFromZoom;
  };
  api.esc = function (s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  };
  api.fmt = function (v, d) {
    if (v === null || v === undefined) { return api.texts.na; }
    var f = {minimumFractionDigits: d, maximumFractionDigits: d};
    return Number(v).toLocaleString(api.locale, f);
  };
  api.colour = function (id) {
    var s = api.scores[id];
    if (!s || s.excluded || s.score === null) { return api.excludedColour; }
    for (var i = 0; i < api.classes.length; i++) {
      if (s.score >= api.classes[i][0]) { return api.classes[i][1]; }
    }
    return api.classes[api.classes.length - 1][1];
  };
  api.fullStyle = function (id, sel) {
    var f = api.sites[id].feature;
    return {color: sel ? "#0b3c8c" : "#303030", weight: sel ? 4 : 1.5,
            dashArray: f.properties._approx ? "6 4" : null, stroke: true, fill: true,
            fillColor: api.colour(id), fillOpacity: sel ? 0.9 : 0.75};
  };
  api.style = function (id) {
    var sel = id === api.selected;
    var full = sel && api.fullOutline && api.fullOutline.id === id;
    if (full || !api.outlinesShown()) { return {stroke: false, fill: false}; }
    return api.fullStyle(id, sel);
  };
  api.popup = function (id) {
    var s = api.scores[id] || {};
    var head = s.excluded ? api.texts.excluded : api.texts.rank + " " + api.esc(s.rank);
    head = '<div class="sa-score">' + head + " — " + api.texts.score + " " +
           api.fmt(s.score, 1) + "/100</div>";
    var p = api.sites[id].feature.properties, d = api.details[id];
    var body = p._popup || (d && d.popup) ||
               '<div class="sa-pop"><b>' + api.esc(p._name) + "</b><!--score--></div>";
    return body.replace("<!--score-->", head);
  };
  api.siteDetail = function (id, d) {
    if (!api.sites[id] || !d) { return; }
    api.details[id] = d;
    if (d.supply && d.supply.length) { api.supply[id] = d.supply; }
    if (api.selected === id) { api.showOutline(id); api.showSupply(id); api.restyle(); }
    [api.sites[id], api.dots[id]].forEach(function (l) {
      if (l && l.isPopupOpen()) { l.getPopup().update(); }  // an open popup gets its text
    });
  };
  api.showOutline = function (id) {
    if (api.fullOutline && api.fullOutline.id === id) { return; }
    if (api.fullOutline) { map.removeLayer(api.fullOutline.layer); api.fullOutline = null; }
    var d = api.details[id];
    if (!d || !d.outline || !api.sites[id]) { return; }
    var layer = L.geoJSON(d.outline, {interactive: false,
                                      style: function () { return api.fullStyle(id, true); }});
    layer.addTo(map);
    api.fullOutline = {id: id, layer: layer};
  };

  // ---------------------------------------------------------------- labels
  // Candidates are placed greedily by priority at each view; a label that would overlap
  // one already placed (or a labelled symbol) is left out. Texts are set as plain text.
  api.labelPane = map.createPane("sa-labels");
  api.labelPane.style.zIndex = 640;
  // Commune outlines under every other layer.
  map.createPane("sa-communes").style.zIndex = 350;
  api.measure = document.createElement("canvas").getContext("2d");
  api.fonts = {"sa-label": "bold 11px sans-serif", "sa-lbl-sub": "10.5px sans-serif",
               "sa-lbl-supply": "bold 11px sans-serif", "sa-lbl-area": "italic 11px sans-serif"};
  api.addLabel = function (item) { api.labels.push(item); api.sorted = null; return item; };
  api.siteLabel = function (item) {
    var s = api.scores[item.id] || {}, sel = item.id === api.selected;
    var rank = s.excluded || !s.rank ? 9999 : s.rank;
    item.prio = sel ? 1000 : (s.excluded ? 400 : 800 - Math.min(rank, 399));
    // Many sites: only the ten best are named when zoomed out.
    item.minZoom = (!api.manySites || sel || rank <= 10) ? 0 : 12;
    item.extra = sel ? " sa-lbl-sel" : "";
  };
  api.placeLabels = function () {
    var pane = api.labelPane, zoom = map.getZoom(), size = map.getSize();
    while (pane.firstChild) { pane.removeChild(pane.firstChild); }
    for (var k = 0; k < api.labels.length; k++) {
      if (api.labels[k].id !== undefined) { api.siteLabel(api.labels[k]); }
    }
    var items = api.labels.slice().sort(function (a, b) { return b.prio - a.prio; });
    var grid = {}, cell = 64, placed = 0, inView = map.getBounds().pad(0.05);
    var cells = function (b, add) {
      for (var gx = Math.floor(b[0] / cell); gx <= Math.floor(b[2] / cell); gx++) {
        for (var gy = Math.floor(b[1] / cell); gy <= Math.floor(b[3] / cell); gy++) {
          var key = gx + ":" + gy, list = grid[key];
          if (add) { (grid[key] = list || []).push(b); continue; }
          if (!list) { continue; }
          for (var i = 0; i < list.length; i++) {
            var o = list[i];
            if (b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]) { return true; }
          }
        }
      }
      return false;
    };
    var shown = function (item) {
      return zoom >= item.minZoom && (!item.owner || map.hasLayer(item.owner)) &&
             inView.contains(item.ll);
    };
    // The symbols of everything that may be named are obstacles for the other labels.
    var visible = items.filter(shown);
    visible.forEach(function (item) {
      if (item.r) {
        var c = map.latLngToContainerPoint(item.ll);
        item.p = c;
        cells([c.x - item.r, c.y - item.r, c.x + item.r, c.y + item.r], true);
      }
    });
    for (var n = 0; n < visible.length && placed < 300; n++) {
      var item = visible[n];
      if (!item.text) { continue; }
      var c = item.p || map.latLngToContainerPoint(item.ll);
      if (item.w === undefined) {
        api.measure.font = api.fonts[item.cls] || "11px sans-serif";
        item.w = Math.ceil(api.measure.measureText(item.text).width) + (item.pad || 0);
      }
      var w = item.w, h = 14, r = (item.r || 0) + 3, spots;
      if (item.area) {
        spots = [[c.x - w / 2, c.y - h / 2]];
      } else {
        // Right, left, above, below, then the four corners.
        spots = [[c.x + r, c.y - h / 2], [c.x - r - w, c.y - h / 2],
                 [c.x - w / 2, c.y - r - h], [c.x - w / 2, c.y + r],
                 [c.x + r - 3, c.y - r - h + 3], [c.x + r - 3, c.y + r - 3],
                 [c.x - r - w + 3, c.y - r - h + 3], [c.x - r - w + 3, c.y + r - 3]];
      }
      for (var s = 0; s < spots.length; s++) {
        var b = [spots[s][0], spots[s][1], spots[s][0] + w, spots[s][1] + h];
        if (b[0] < 2 || b[1] < 2 || b[2] > size.x - 2 || b[3] > size.y - 2) { continue; }
        if (cells(b, false)) { continue; }
        cells(b, true);
        var el = document.createElement("div");
        el.className = "sa-lbl " + item.cls + (item.extra || "");
        el.textContent = item.text;
        var at = map.containerPointToLayerPoint([b[0], b[1]]);
        L.DomUtil.setPosition(el, at);
        pane.appendChild(el);
        placed++;
        break;
      }
    }
    api.placed = placed;
  };
  api.scheduled = false;
  api.relabel = function () {
    if (api.scheduled) { return; }
    api.scheduled = true;
    L.Util.requestAnimFrame(function () { api.scheduled = false; api.placeLabels(); });
  };
  map.on("zoomstart", function () { api.labelPane.style.display = "none"; });
  map.on("zoomend", function () { api.labelPane.style.display = ""; });
  map.on("moveend resize overlayadd overlayremove", api.relabel);

  // ------------------------------------------------------------------- sites
  api.markers = L.layerGroup();
  api.registerSite = function (feature, layer) {
    var id = feature.properties.site_id;
    api.sites[id] = layer;
    var open = function () { return api.popup(id); };
    var pick = function () {
      api.select(id, false);
      if (typeof window.siteassessOnSiteClick === "function") { window.siteassessOnSiteClick(id); }
    };
    layer.bindPopup(open);
    layer.on("click", pick);
    // A dot at the centre keeps small sites visible and clickable when zoomed out.
    var centre = layer.getBounds ? layer.getBounds().getCenter() : layer.getLatLng();
    var opts = {radius: 7, className: "sa-site-marker"};
    if (api.canvas) { opts.renderer = api.canvas; }
    var dot = L.circleMarker(centre, opts);
    dot.bindPopup(open);
    dot.on("click", pick);
    api.markers.addLayer(dot);
    api.dots[id] = dot;
    api.addLabel({id: id, ll: centre, text: feature.properties._name, cls: "sa-label",
                  r: 7, pad: 6, owner: dot});
  };

  // ----------------------------------------------------------- other layers
  api.substation = function (feature, latlng) {
    var p = feature.properties, key = p._kv + "-" + (p._built ? 1 : 0);
    var size = api.subSizes[p._kv] || 9;
    var icon = L.divIcon({className: "sa-sub sa-sub-" + p._kv, html: api.subIcons[key],
                          iconSize: [size, size], iconAnchor: [size / 2, size / 2]});
    var zoom = {"400": 10, "225": 12, "low": 13}[p._kv] || 13;
    var marker = L.marker(latlng, {icon: icon, keyboard: false,
                                    zIndexOffset: {"400": 300, "225": 200}[p._kv] || 0});
    api.addLabel({ll: latlng, text: p._label, cls: "sa-lbl-sub", r: size / 2, owner: marker,
                  minZoom: zoom, prio: {"400": 600, "225": 300}[p._kv] || 200});
    return marker;
  };
  api.bindFeature = function (feature, layer) {
    var p = feature.properties;
    if (p._popup) { layer.bindPopup(p._popup); }
    if (p._tip) { layer.bindTooltip(p._tip); }
    if (p._area_label) {
      // A commune's name: larger communes first, all of them when zoomed in further.
      api.addLabel({ll: L.latLng(p._at[0], p._at[1]), text: p._area_label, area: true,
                    cls: "sa-lbl-area", owner: layer,
                    minZoom: p._km2 >= 15 ? 10 : (p._km2 >= 5 ? 11 : 12),
                    prio: 100 + Math.min(p._km2, 99)});
    }
  };

  // ------------------------------------------------------- selection, supply
  api.supplyLayer = L.layerGroup();
  api.supplyLabels = [];
  api.rings = [];
  api.ringRadius = function () { return map.getZoom() < 10 ? 8 : 13; };
  api.showSupply = function (id) {
    api.supplyLayer.clearLayers();
    api.rings = [];
    api.labels = api.labels.filter(function (l) { return !l.supply; });
    var options = api.supply[id] || [], site = api.sites[id];
    if (!site) { return; }
    var centre = site.getBounds().getCenter();
    options.forEach(function (o, k) {
      var ll = L.latLng(o.lat, o.lng);
      L.polyline([centre, ll], {color: api.supplyColour, weight: 1.5, dashArray: "5 5",
                                opacity: 0.8, interactive: false}).addTo(api.supplyLayer);
      var ring = L.circleMarker(ll, {radius: api.ringRadius(), color: api.supplyColour,
                                     weight: 2.5, fill: false, interactive: false});
      api.rings.push(ring);
      ring.addTo(api.supplyLayer);
      api.addLabel({ll: ll, text: o.text, cls: "sa-lbl-supply", r: 13, pad: 6, owner: ring,
                    minZoom: o.frame ? 0 : 10, prio: 950 - k, supply: true});
    });
  };
  // Framing a site (zooming to it and its supply options) is done at the next animation
  // frame, for the last site asked for. Leaflet starts an animated zoom one frame after
  // setView asked for it (_tryAnimatedZoom's requestAnimFrame, which neither stop() nor a
  // new setView cancels; _animatingZoom is false until it runs): a second framing at the
  // current zoom, set at once (_resetView), was undone when the first's zoom started, and
  // a re-frame on moveend came too late to see it (the second's own moveend came first).
  // A framing asked for now runs after any zoom Leaflet has scheduled (animation frame
  // callbacks run in the order they were asked for), and after the end of a running one.
  api.framing = null;  // the site to frame, null when none is
  api.frameQueued = false;
  api.frameBounds = function (id) {
    var s = api.sites[id].getBounds();
    var b = L.latLngBounds(s.getSouthWest(), s.getNorthEast());
    (api.supply[id] || []).forEach(function (o) { if (o.frame) { b.extend([o.lat, o.lng]); } });
    return b;
  };
  api.frameOptions = function () {
    var wide = map.getSize().x > 700;
    return {maxZoom: 15, paddingTopLeft: [50, 50], paddingBottomRight: [wide ? 230 : 50, 50]};
  };
  // The view that frames a site: {lat, lng, zoom}.
  api.frameView = function (id) {
    var t = map._getBoundsCenterZoom(api.frameBounds(id), api.frameOptions());
    return {lat: t.center.lat, lng: t.center.lng, zoom: t.zoom};
  };
  api.frame = function (id) {
    api.framing = id;
    if (!api.frameQueued) {
      api.frameQueued = true;
      L.Util.requestAnimFrame(api.frameNow);
    }
  };
  api.frameNow = function () {
    if (map._animatingZoom) {
      // Leaflet drops a new view asked for during a zoom animation: frame once it ends.
      map.once("zoomend", function () { L.Util.requestAnimFrame(api.frameNow); });
      return;
    }
    api.frameQueued = false;
    var id = api.framing;
    api.framing = null;
    if (id !== null && api.sites[id]) { map.fitBounds(api.frameBounds(id), api.frameOptions()); }
  };
  api.restyle = function () {
    if (api.fullOutline) {
      api.fullOutline.layer.setStyle(api.fullStyle(api.fullOutline.id, true));
      api.fullOutline.layer.bringToFront();
    }
    Object.keys(api.sites).forEach(function (id) {
      api.sites[id].setStyle(api.style(id));
      var sel = id === api.selected;
      api.dots[id].setStyle({color: sel ? "#0b3c8c" : "#303030", weight: sel ? 3 : 1.5,
                             fillColor: api.colour(id), fillOpacity: 0.95});
    });
  };
  // Scores as [id, {score, rank, excluded}] pairs (an object literal would lose "__proto__").
  api.setScores = function (pairs) { api.scores = dict(pairs); api.restyle(); api.relabel(); };
  // The same as arrays in the order of the page's sites (a third of the text of pairs).
  api.setScoreArrays = function (s) {
    if (!s || !s.score || s.score.length !== api.order.length) { return; }
    var out = dict();
    for (var i = 0; i < api.order.length; i++) {
      out[api.order[i]] = {score: s.score[i], rank: s.rank[i], excluded: s.excluded[i]};
    }
    api.scores = out;
    api.restyle();
    api.relabel();
  };
  api.select = function (id, pan) {
    api.selected = id;
    if (api.framing !== id) { api.framing = null; }  // the last selection wins
    api.showOutline(id);
    api.restyle();
    var l = api.sites[id];
    if (l) {
      l.bringToFront();
      api.dots[id].bringToFront();
      api.showSupply(id);
      if (pan) { api.frame(id); }
    }
    api.relabel();
  };

  // ----------------------------------------------------- tiles and the view
  api.tileQueue = [];
  api.requestTile = function (z, x, y, done) {
    if (typeof window.siteassessTile === "function") { window.siteassessTile(z, x, y, done); }
    else { api.tileQueue.push([z, x, y, done]); }
  };
  api.bridgeReady = function () {
    var queue = api.tileQueue;
    api.tileQueue = [];
    queue.forEach(function (r) { api.requestTile(r[0], r[1], r[2], r[3]); });
  };
  // Tiles of a local MBTiles file, served by the embedding page (data: URLs, no network).
  api.localTiles = function (options) {
    var Layer = L.GridLayer.extend({
      createTile: function (coords, done) {
        var img = document.createElement("img");
        img.alt = "";
        api.requestTile(coords.z, coords.x, coords.y, function (url) {
          if (!url) { done(null, img); return; }
          img.onload = function () { done(null, img); };
          img.onerror = function () { done(null, img); };
          img.src = url;
        });
        return img;
      }
    });
    return new Layer(options);
  };
  map.on("baselayerchange", function (e) { api.base = e.name; });
  map.on("overlayadd", function (e) { api.hidden[e.name] = false; });
  map.on("overlayremove", function (e) { api.hidden[e.name] = true; });
  api.view = function () {
    var c = map.getCenter(), names = Object.keys(api.hidden);
    return {lat: c.lat, lng: c.lng, zoom: map.getZoom(), base: api.base,
            hidden: names.filter(function (n) { return api.hidden[n]; }),
            shown: names.filter(function (n) { return !api.hidden[n]; })};
  };
  api.finish = function () {
    api.markers.addTo(api.map);
    api.supplyLayer.addTo(api.map);
    // On a small map the legend starts folded (its title still opens it).
    var details = document.querySelector(".sa-legend details");
    if (details && api.map.getSize().x < 900) { details.removeAttribute("open"); }
    var outlines = api.outlinesShown();
    var toggle = function () {
      var zoom = api.map.getZoom(), zoomedOut = zoom < 13;
      if (api.outlinesShown() !== outlines) { outlines = !outlines; api.restyle(); }
      Object.keys(api.dots).forEach(function (id) { api.dots[id].setRadius(zoomedOut ? 7 : 4); });
      api.rings.forEach(function (ring) { ring.setRadius(api.ringRadius()); });
      // Zoomed far out: smaller substations, none below 225 kV, fainter communes.
      var box = api.map.getContainer();
      if (zoom < 10) { L.DomUtil.addClass(box, "sa-zoom-far"); }
      else { L.DomUtil.removeClass(box, "sa-zoom-far"); }
    };
    api.map.on("zoomend", toggle);
    toggle();
    api.restyle();
    api.relabel();
  };
  api.fitAll = function () {
    api.framing = null;
    var group = L.featureGroup(Object.values(api.sites));
    api.map.fitBounds(group.getBounds(), {paddingTopLeft: [40, 40], paddingBottomRight: [260, 40]});
  };
  api.count = function () { return Object.keys(api.sites).length; };
  return api;
})(__MAP__, __DATA__);
"""
