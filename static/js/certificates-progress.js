/* The batch page of a decision's certificates (templates/scoring/certificates/certificate_batch.html):
   reads progress.json every 2 seconds and moves the <progress> bar and the counts until every document
   is issued or failed, then reloads once so the table shows each document's final status and the
   buttons that go with it. Without this script the page refreshes itself (a <noscript> refresh) and
   shows the same figures. No dependencies. */
(function () {
  "use strict";

  var INTERVAL_MS = 2000;
  var panel = document.querySelector("[data-progress-url]");
  if (!panel || panel.getAttribute("data-done") === "true") { return; }
  var url = panel.getAttribute("data-progress-url");
  var bar = panel.querySelector("progress");

  function show(data) {
    bar.value = data.percent;
    bar.textContent = data.percent + "%";
    panel.querySelectorAll("[data-field]").forEach(function (element) {
      var value = data[element.getAttribute("data-field")];
      if (value !== undefined) { element.textContent = String(value); }
    });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.done) {
          panel.setAttribute("data-done", "true");
          window.location.reload();
        } else {
          window.setTimeout(poll, INTERVAL_MS);
        }
      })
      // A lost connection or a restarted server: try again at the next tick.
      .catch(function () { window.setTimeout(poll, INTERVAL_MS); });
  }

  window.setTimeout(poll, INTERVAL_MS);
})();
