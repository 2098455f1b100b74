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
// A strength hint as a new password is typed (inputs with data-password-hint): the length
// rule, then a rough estimate. The server decides (at least 12 characters, not a common
// password); this only helps while typing, and never sends the password anywhere.
(function () {
  "use strict";
  function hint(pw) {
    var n = Array.from(pw).length;
    if (n === 0) return "";
    if (n < 12) return (12 - n) + " more character" + (12 - n === 1 ? "" : "s") + " needed (at least 12).";
    var distinct = new Set(Array.from(pw.toLowerCase())).size;
    if (distinct <= 3) return "Long enough, but very repetitive: weak.";
    if (/^(?:0123456789|123456789|abcdefghij|qwertyuiop|asdfghjkl)/i.test(pw)) return "Long enough, but a keyboard or alphabet run: weak.";
    var words = pw.split(/[\s\-_.,;:]+/).filter(function (w) { return w.length > 0; }).length;
    if (n >= 20 || (n >= 16 && words >= 3)) return "Strong.";
    if (n >= 15 || words >= 3) return "Good. Longer is stronger.";
    return "Fair: acceptable. A few more words make it stronger.";
  }
  document.addEventListener("input", function (e) {
    var el = e.target;
    if (!el.hasAttribute || !el.hasAttribute("data-password-hint")) return;
    var out = document.querySelector('[data-hint-for="' + el.name + '"]');
    if (out) out.textContent = hint(el.value) || "At least 12 characters.";
  });
})();
// The phone's nav menu (<details class="navmenu">, layout.html) works without this; with it,
// Escape or a click elsewhere closes the open menu (Escape gives the focus back to its summary).
(function () {
  "use strict";
  function openMenu() { return document.querySelector("details.navmenu[open]"); }
  document.addEventListener("keydown", function (e) {
    var m = e.key === "Escape" && openMenu();
    if (!m) return;
    m.open = false;
    m.querySelector("summary").focus();
  });
  document.addEventListener("click", function (e) {
    var m = openMenu();
    if (m && !m.contains(e.target)) m.open = false;
  });
})();
