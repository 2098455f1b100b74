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
