/* Similar records on a record page. Without JavaScript the section holds a
 * link to the page of similar records; with it, the list is fetched from the
 * same address (?fragment=1) and replaces the link. A failed fetch leaves the
 * link in place.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-similar-src]");
  if (!box || !window.fetch) {
    return;
  }
  fetch(box.getAttribute("data-similar-src"), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.text();
    })
    .then(function (html) {
      var slot = box.querySelector("[data-similar-slot]");
      slot.innerHTML = html;
    })
    .catch(function () {});
})();
