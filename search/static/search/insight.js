/* Progressive enhancement of /insight/: the regions table drawn on a Leaflet
   map (no tiles: circles proportional to the records at each region's NUTS
   label point). Without JavaScript the table says the same. */
(function () {
  "use strict";
  var node = document.getElementById("insight-map");
  var data = document.getElementById("insight-markers");
  if (!node || !data || !window.L) { return; }
  var markers = JSON.parse(data.textContent);
  var map = L.map(node, { attributionControl: false, zoomControl: false }).setView([51.5, 7.5], 4);
  L.control.zoom({ zoomInTitle: gettext("Zoom in"), zoomOutTitle: gettext("Zoom out") }).addTo(map);
  var top = Math.max.apply(null, markers.map(function (m) { return m.count; }).concat([1]));
  var points = [];
  markers.forEach(function (m) {
    L.circleMarker([m.lat, m.lon], {
      radius: 4 + 20 * Math.sqrt(m.count / top), color: "#1f5fa8", weight: 1, fillOpacity: 0.5
    }).bindTooltip(m.label + ": " + m.count).addTo(map);
    points.push([m.lat, m.lon]);
  });
  if (points.length) { map.fitBounds(points, { padding: [30, 30], maxZoom: 8 }); }
  node.dataset.markers = String(markers.length);
})();
