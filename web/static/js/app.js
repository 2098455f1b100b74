// Teamshape page behaviour: no inline scripts (the CSP forbids them).
(function () {
  "use strict";
  function csrf() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
  }
  // Forms with data-confirm ask before submitting.
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (f.dataset && f.dataset.confirm && !window.confirm(f.dataset.confirm)) {
      e.preventDefault();
    }
  });
  // Selects with data-autosubmit submit their form on change.
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.dataset && el.dataset.autosubmit !== undefined && el.form) {
      el.form.submit();
    }
  });
  // Quick rating forms (data-quick-rate: one competency) are posted in place: the answer
  // is confirmed in the form's status, where the reader is looking, and the page does not
  // move. Without this script they are plain forms that return to their row.
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (e.defaultPrevented || !f.matches || !f.matches("form[data-quick-rate]") || !window.fetch) { return; }
    e.preventDefault();
    var status = f.querySelector(".quick-status");
    var button = f.querySelector("button[type=submit]");
    var say = function (text, bad) {
      status.textContent = text;
      status.classList.toggle("bad", !!bad);
    };
    button.disabled = true;
    say("Saving…");
    fetch(f.action, { method: "POST", body: new URLSearchParams(new FormData(f)), credentials: "same-origin" })
      .then(function (res) {
        return res.text().then(function (html) { return { res: res, html: html }; });
      })
      .then(function (r) {
        var page = new DOMParser().parseFromString(r.html, "text/html");
        if (!r.res.ok) {
          var alert = page.querySelector(".alert");
          say(alert ? alert.textContent.trim() : "Not saved (error " + r.res.status + ").", true);
          return;
        }
        var unchanged = /done=unchanged/.test(r.res.url);
        say(unchanged ? "Nothing changed, so nothing was saved." : "Saved.");
        if (!unchanged) {
          f.querySelectorAll("input[type=text]").forEach(function (i) { i.value = ""; });
          // The row's own cells as the server now shows them (the self-rating).
          var fresh = page.getElementById(f.id);
          var row = f.closest("tr"), freshRow = fresh && fresh.closest("tr");
          if (row && freshRow) {
            var cell = row.querySelector("[data-self-level]"), freshCell = freshRow.querySelector("[data-self-level]");
            if (cell && freshCell) { cell.innerHTML = freshCell.innerHTML; }
          }
        }
      })
      .catch(function () { say("Not saved: the server could not be reached.", true); })
      .then(function () { button.disabled = false; });
  });
  window.Teamshape = window.Teamshape || {};
  window.Teamshape.csrf = csrf;
})();
