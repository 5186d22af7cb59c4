/* A Leaflet map of the server-rendered results of a page without live updates
   (the partner finder): markers from the "map-markers" JSON, no tiles (there is
   no internet, so the markers sit on a blank map). Its control titles come from
   Django's JavaScript catalogue (/jsi18n/, loaded before this script). */
(function () {
  "use strict";
  var mapNode = document.getElementById("map");
  var data = document.getElementById("map-markers");
  if (!mapNode || !data || !window.L) { return; }
  var script = document.currentScript;
  L.Icon.Default.imagePath = script ? script.dataset.images : "";
  var map = L.map(mapNode, { attributionControl: false, zoomControl: false }).setView([51.5, 7.5], 4);
  // Leaflet's own control titles are English: they go through the catalogue.
  L.control.zoom({ zoomInTitle: gettext("Zoom in"), zoomOutTitle: gettext("Zoom out") }).addTo(map);
  var points = JSON.parse(data.textContent).map(function (m) {
    L.marker([m.lat, m.lon], { title: m.title, alt: m.title }).addTo(map);
    return [m.lat, m.lon];
  });
  if (points.length) { map.fitBounds(points, { padding: [30, 30], maxZoom: 11 }); }
  mapNode.dataset.markers = String(points.length);
  mapNode.dataset.ready = "1";
})();
