"""The script and style sheet the map page adds to folium's (plain text, no Qt).

``API_JS`` defines ``window.siteassess`` (see :mod:`siteassess.reports.webmap`); its
``__MAP__`` and ``__DATA__`` are replaced by the map's variable and the page's data.
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
.sa-label { font: bold 11px/1.2 sans-serif; padding: 1px 4px; background: #ffffffd9; }
</style>"""

API_JS = """
window.siteassess = (function (map, data) {
  var api = {map: map, sites: {}, selected: null};
  Object.assign(api, data);
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
  api.style = function (id) {
    var f = api.sites[id].feature, sel = id === api.selected;
    return {color: sel ? "#0b3c8c" : "#303030", weight: sel ? 4 : 1.5,
            dashArray: f.properties._approx ? "6 4" : null,
            fillColor: api.colour(id), fillOpacity: sel ? 0.9 : 0.75};
  };
  api.popup = function (id) {
    var s = api.scores[id] || {};
    var head = s.excluded ? api.texts.excluded : api.texts.rank + " " + api.esc(s.rank);
    head = '<div class="sa-score">' + head + " — " + api.texts.score + " " +
           api.fmt(s.score, 1) + "/100</div>";
    return api.sites[id].feature.properties._popup.replace("<!--score-->", head);
  };
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
    var dot = L.circleMarker(centre, {radius: 7, className: "sa-site-marker"});
    dot.bindPopup(open);
    dot.bindTooltip(feature.properties._tip, {permanent: api.labels, direction: "right",
                                              offset: [8, 0], className: "sa-label"});
    dot.on("click", pick);
    api.markers.addLayer(dot);
    api.dots[id] = dot;
  };
  api.dots = {};
  api.bindFeature = function (feature, layer) {
    if (feature.properties._popup) { layer.bindPopup(feature.properties._popup); }
    if (feature.properties._tip) { layer.bindTooltip(feature.properties._tip); }
  };
  api.restyle = function () {
    for (var id in api.sites) {
      api.sites[id].setStyle(api.style(id));
      var sel = id === api.selected;
      api.dots[id].setStyle({color: sel ? "#0b3c8c" : "#303030", weight: sel ? 3 : 1.5,
                             fillColor: api.colour(id), fillOpacity: 0.95});
    }
  };
  api.setScores = function (scores) { api.scores = scores; api.restyle(); };
  api.select = function (id, pan) {
    api.selected = id;
    api.restyle();
    var l = api.sites[id];
    if (l) {
      l.bringToFront();
      api.dots[id].bringToFront();
      if (pan) { api.map.fitBounds(l.getBounds(), {maxZoom: 14, padding: [60, 60]}); }
    }
  };
  api.finish = function () {
    api.markers.addTo(api.map);
    // On a small map the legend starts folded (its title still opens it).
    var details = document.querySelector(".sa-legend details");
    if (details && api.map.getSize().x < 900) { details.removeAttribute("open"); }
    var toggle = function () {
      var zoomedOut = api.map.getZoom() < 13;
      for (var id in api.dots) { api.dots[id].setRadius(zoomedOut ? 7 : 4); }
    };
    api.map.on("zoomend", toggle);
    toggle();
    api.restyle();
  };
  api.fitAll = function () {
    var group = L.featureGroup(Object.values(api.sites));
    api.map.fitBounds(group.getBounds(), {paddingTopLeft: [40, 40], paddingBottomRight: [260, 40]});
  };
  api.count = function () { return Object.keys(api.sites).length; };
  return api;
})(__MAP__, __DATA__);
"""
