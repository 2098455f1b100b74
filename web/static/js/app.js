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
