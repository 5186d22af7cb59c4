/* Autocomplete of the search box: record titles from /api/v1/suggest after
 * three letters, as an ARIA 1.2 combobox with a listbox popup. Arrow keys move
 * through the suggestions, Enter searches for the one chosen, Escape closes the
 * list. Suggestions keep the search's scope and chosen kinds. Without
 * JavaScript the box is a plain search field.
 */
(function () {
  "use strict";

  var input = document.getElementById("search-text");
  var list = document.getElementById("search-suggestions");
  if (!input || !list || !window.fetch) {
    return;
  }
  var MIN_LENGTH = 3;
  var active = -1;
  var pending = null;
  var timer = null;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  function options() {
    return list.querySelectorAll("[role='option']");
  }

  function close() {
    list.hidden = true;
    list.replaceChildren();
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    var items = options();
    if (!items.length) { return; }
    active = (index + items.length) % items.length;
    items.forEach(function (item, i) {
      item.setAttribute("aria-selected", i === active ? "true" : "false");
    });
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  function choose(index) {
    var item = options()[index];
    if (!item) { return; }
    input.value = item.dataset.title;
    close();
    input.form.requestSubmit();
  }

  function show(suggestions) {
    close();
    suggestions.forEach(function (suggestion, i) {
      var item = document.createElement("li");
      item.id = list.id + "-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.title = suggestion.title;
      item.textContent = suggestion.title;
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();  // keep the focus in the box
        choose(i);
      });
      list.appendChild(item);
    });
    if (suggestions.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  }

  // The search's own scope and kinds, so nothing is suggested that the search
  // would not find.
  function scopedQuery(prefix) {
    var query = new URLSearchParams({ prefix: prefix, size: "8" });
    var form = input.form;
    var scope = form.querySelector("input[name='scope']");
    if (scope && scope.value) { query.set("scope", scope.value); }
    form.querySelectorAll("input[name='kinds']:checked").forEach(function (kind) {
      query.append("kinds", kind.value);
    });
    return query;
  }

  function fetchSuggestions() {
    var prefix = input.value.trim();
    if (pending) { pending.abort(); }
    if (prefix.length < MIN_LENGTH) { close(); return; }
    pending = new AbortController();
    fetch("/api/v1/suggest?" + scopedQuery(prefix), {
      signal: pending.signal,
      headers: { Accept: "application/json" }
    })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (suggestions) {
        if (input.value.trim() === prefix) { show(suggestions); }
      })
      .catch(function () { /* no suggestions: the box still searches */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", function (event) {
    var open = !list.hidden;
    if (event.key === "ArrowDown" && open) {
      event.preventDefault();
      highlight(active + 1);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      highlight(active - 1);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", close);
})();
