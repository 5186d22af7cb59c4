/* Exports of the search page with a progress bar.
 *
 * Without JavaScript the "Export CSV" / "Export Excel" links download the file
 * directly. With it, the file is fetched and read as a stream: the CSV shows
 * "n of N rows" (N from the X-Total-Count header; every row is one line, so
 * rows are counted by line ends), the workbook, which the server writes before
 * sending, shows the bytes received of its Content-Length. When it is complete
 * it is handed to the browser as a download with the server's file name. An
 * error (a bad parameter, too many rows, engine unavailable) shows the
 * server's message instead. Text goes through Django's JavaScript catalogue
 * (/jsi18n/, loaded before this script), numbers are formatted for the page's
 * language.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-export-status]");
  if (!box || !window.fetch || !window.ReadableStream || !window.Blob) {
    return; // the plain links keep working
  }
  var bar = box.querySelector("progress");
  var status = box.querySelector(".export-progress");
  var busy = false;
  var lang = document.documentElement.lang || undefined;

  function number(value) {
    return value.toLocaleString(lang);
  }

  function filenameOf(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename="([^"]+)"/.exec(header);
    return match ? match[1] : fallback;
  }

  function show(text, value, max) {
    status.textContent = text;
    if (max > 0) {
      bar.max = max;
      bar.value = Math.min(value, max);
    } else {
      bar.removeAttribute("value"); // indeterminate
    }
  }

  function rowsText(count) {
    return interpolate(ngettext("%s row", "%s rows", count), [number(count)]);
  }

  function kilobytes(bytes) {
    return interpolate(gettext("%s kB"), [number(Math.round(bytes / 1024))]);
  }

  function save(blob, filename) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  async function failure(response) {
    try {
      var data = await response.json();
      return data.detail || response.statusText;
    } catch (error) {
      return interpolate(gettext("The export failed (%s)."), [response.status]);
    }
  }

  async function download(link) {
    var format = link.dataset.export;
    busy = true;
    bar.hidden = false;
    show(gettext("Starting the export…"), 0, 0);
    try {
      var response = await fetch(link.href, { credentials: "same-origin" });
      if (!response.ok) {
        bar.hidden = true;
        status.textContent = await failure(response);
        return;
      }
      var total = parseInt(response.headers.get("X-Total-Count") || "0", 10);
      var length = parseInt(response.headers.get("Content-Length") || "0", 10);
      var reader = response.body.getReader();
      var chunks = [];
      var received = 0;
      var lines = 0;
      for (;;) {
        var step = await reader.read();
        if (step.done) break;
        chunks.push(step.value);
        received += step.value.length;
        if (format === "csv") {
          for (var i = 0; i < step.value.length; i++) {
            if (step.value[i] === 10) lines++;
          }
          var rows = Math.max(0, lines - 1); // the first line is the header
          show(interpolate(gettext("%(done)s of %(total)s"),
            { done: number(rows), total: rowsText(total) }, true), rows, total);
        } else {
          var size = length ? interpolate(gettext("%(done)s of %(total)s"),
            { done: kilobytes(received), total: kilobytes(length) }, true) : kilobytes(received);
          show(interpolate(gettext("%(size)s (%(rows)s)"), { size: size, rows: rowsText(total) }, true),
            received, length);
        }
      }
      var type = response.headers.get("Content-Type") || "application/octet-stream";
      save(new Blob(chunks, { type: type }), filenameOf(response, "hubnet-search." + format));
      show(interpolate(gettext("Done: %s."), [rowsText(total)]), 1, 1);
    } catch (error) {
      status.textContent = gettext("The export was interrupted; please try again.");
    } finally {
      busy = false;
    }
  }

  // map.js updates the results (and the address) without reloading the page:
  // the links take the query of the address when used, not of the first load.
  function sync(link) {
    link.href = link.pathname + window.location.search;
  }

  ["focusin", "mouseover"].forEach(function (name) {
    box.addEventListener(name, function (event) {
      var link = event.target.closest("a[data-export]");
      if (link) sync(link);
    });
  });

  box.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-export]");
    if (!link) return;
    event.preventDefault();
    sync(link);
    if (!busy) download(link);
  });
})();
