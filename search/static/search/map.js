/* Progressive enhancement of /search/: a Leaflet map of the results (no tiles:
   there is no internet, so markers sit on a blank map), and live updates: when
   the form changes, /api/v1/search is fetched and the result cards, the total,
   the facet counts and the markers are re-rendered. Without JavaScript the page
   works as a plain GET form. Text comes from Django's JavaScript catalogue
   (/jsi18n/, loaded before this script). */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var mapNode = document.getElementById("map");
  if (!form || !mapNode || !window.L) { return; }
  var script = document.currentScript;
  L.Icon.Default.imagePath = script ? script.dataset.images : "";
  var map = L.map(mapNode, { attributionControl: false, zoomControl: false }).setView([51.5, 7.5], 4);
  // Leaflet's own control titles are English: they go through the catalogue.
  L.control.zoom({ zoomInTitle: gettext("Zoom in"), zoomOutTitle: gettext("Zoom out") }).addTo(map);
  var layer = L.layerGroup().addTo(map);
  mapNode.dataset.ready = "1";

  function showMarkers(markers) {
    layer.clearLayers();
    var points = [];
    markers.forEach(function (m) {
      L.marker([m.lat, m.lon], { title: m.title, alt: m.title }).addTo(layer);
      points.push([m.lat, m.lon]);
    });
    if (points.length) { map.fitBounds(points, { padding: [30, 30], maxZoom: 10 }); }
    mapNode.dataset.markers = String(markers.length);
  }

  function text(tag, value, className) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    node.textContent = value;
    return node;
  }

  // Kind and level labels in the page's language (the API gives codes).
  var labelsNode = document.getElementById("badge-labels");
  var labels = labelsNode ? JSON.parse(labelsNode.textContent) : { kinds: {}, levels: {} };

  function card(hit) {
    var li = document.createElement("li");
    li.className = "card result";
    li.dataset.id = hit.id;
    var h3 = document.createElement("h3");
    var a = document.createElement("a");
    a.href = hit.record.url || "#";
    // Highlights are HTML-safe fragments (<mark> only, the rest escaped).
    if (hit.highlights.title) { a.innerHTML = hit.highlights.title[0]; } else { a.textContent = hit.title; }
    h3.appendChild(a);
    li.appendChild(h3);
    var badges = document.createElement("ul");
    badges.className = "badges";
    badges.appendChild(text("li", labels.kinds[hit.kind] || hit.kind, "badge"));
    badges.appendChild(text("li", hit.origin, "badge badge-origin"));
    if (hit.level) { badges.appendChild(text("li", labels.levels[hit.level] || hit.level, "badge")); }
    li.appendChild(badges);
    var snippet = (hit.highlights.summary || hit.highlights.description || [])[0];
    if (snippet) {
      var p = document.createElement("p");
      p.className = "snippet";
      p.innerHTML = snippet;
      li.appendChild(p);
    }
    return li;
  }

  function render(data) {
    var total = document.createElement("span");
    total.id = "result-total";
    total.textContent = data.total.toLocaleString(document.documentElement.lang || undefined);
    // The count sits inside the sentence, where each language puts it.
    var parts = ngettext("%s result", "%s results", data.total).split("%s");
    document.getElementById("result-summary").replaceChildren(parts[0], total, parts.slice(1).join(""));
    var list = document.getElementById("result-list");
    list.replaceChildren.apply(list, data.hits.length ? data.hits.map(card) :
      [text("li", gettext("Nothing found. Widen the scope or remove a filter."), "empty")]);
    document.querySelectorAll(".facet").forEach(function (group) {
      var counts = {};
      (data.facets[group.dataset.facet] || []).forEach(function (b) { counts[String(b.value)] = b.count; });
      group.querySelectorAll(".count").forEach(function (span) {
        span.textContent = "(" + (counts[span.dataset.value] || 0) + ")";
      });
    });
    var next = document.getElementById("next-page");
    if (next) { next.hidden = true; }
    showMarkers(data.hits.filter(function (h) { return h.location; }).map(function (h) {
      return { lat: h.location.lat, lon: h.location.lon, title: h.title };
    }));
  }

  var pending = null;
  function update() {
    var query = new URLSearchParams(new FormData(form)).toString();
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch("/api/v1/search?" + query, { signal: pending.signal, headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        render(data);
        history.replaceState(null, "", "/search/?" + query);
        form.dataset.updated = String((Number(form.dataset.updated) || 0) + 1);
      })
      .catch(function () { /* keep the server-rendered page */ });
  }

  var timer = null;
  form.addEventListener("change", update);
  form.addEventListener("input", function (event) {
    if (event.target.type !== "search") { return; }
    clearTimeout(timer);
    timer = setTimeout(update, 300);
  });
  // Narrowing or widening the place keeps what the form holds now (the links
  // were rendered before the live updates changed it).
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.narrow, .breadcrumb a");
    if (!link) { return; }
    var target = new URL(link.href, window.location.href).searchParams;
    var query = new URLSearchParams(new FormData(form));
    ["nuts", "scope", "after"].forEach(function (name) { query.delete(name); });
    ["nuts", "scope"].forEach(function (name) {
      target.getAll(name).forEach(function (value) { query.append(name, value); });
    });
    event.preventDefault();
    window.location.href = "/search/?" + query.toString();
  });

  var initial = document.getElementById("map-markers");
  showMarkers(initial ? JSON.parse(initial.textContent) : []);
})();
