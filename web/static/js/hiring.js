// Hiring pages: "Copy brief" buttons copy the text of the textarea they name.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("button[data-copy]") : null;
    if (!b) {
      return;
    }
    var ta = document.getElementById(b.getAttribute("data-copy"));
    if (!ta) {
      return;
    }
    var done = function () {
      var old = b.textContent;
      b.textContent = "Copied";
      setTimeout(function () { b.textContent = old; }, 1500);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(ta.value).then(done, function () { ta.select(); });
    } else {
      ta.select();
      document.execCommand("copy");
      done();
    }
  });
})();
