/* Progressive enhancement of /insight/: the regions table drawn on a Leaflet
   map (no tiles: circles proportional to the records at each region's NUTS
   label point). Without JavaScript the table says the same. */
(function () {
  "use strict";
  var node = document.getElementById("insight-map");
  var data = document.getElementById("insight-markers");
  if (!node || !data || !window.L) { return; }
  var markers = JSON.parse(data.textContent);
  // No zoom animation: the map is drawn once, at its final view.
  var map = L.map(node, { attributionControl: false, zoomControl: false, zoomAnimation: false });
  L.control.zoom({ zoomInTitle: gettext("Zoom in"), zoomOutTitle: gettext("Zoom out") }).addTo(map);
  var points = markers.map(function (m) { return [m.lat, m.lon]; });
  if (points.length) {
    map.fitBounds(points, { padding: [40, 40], maxZoom: 7, animate: false });
  } else {
    map.setView([51.5, 7.5], 4);
  }
  var most = Math.max.apply(null, markers.map(function (m) { return m.count; }).concat([1]));
  markers.forEach(function (m) {
    L.circleMarker([m.lat, m.lon], {
      radius: 4 + 20 * Math.sqrt(m.count / most), color: "#1f5fa8", weight: 1, fillOpacity: 0.5
    }).bindTooltip(m.label + ": " + m.count).addTo(map);
  });
  node.dataset.markers = String(markers.length);
})();
