// SOP editor: "Add a row" buttons copy the last row of their table, emptied. Without JS the
// form still offers a few spare rows; saving adds more.
(function () {
  "use strict";
  document.querySelectorAll("button[data-add-row]").forEach(function (btn) {
    var body = document.querySelector('tbody[data-rows="' + btn.dataset.addRow + '"]');
    if (!body || !body.lastElementChild) {
      return;
    }
    btn.hidden = false;
    btn.addEventListener("click", function () {
      var row = body.lastElementChild.cloneNode(true);
      row.querySelectorAll("input, textarea").forEach(function (el) { el.value = ""; });
      row.querySelectorAll("select").forEach(function (el) { el.selectedIndex = 0; });
      body.appendChild(row);
      var first = row.querySelector("select, input");
      if (first) {
        first.focus();
      }
    });
  });
})();
