// Import pages: upload with a progress bar, preview and confirm in place. Without this
// script the forms post normally; with it, the chosen file is kept, so the confirm sends
// it again by itself when the page did not embed it.
(function () {
  "use strict";
  if (window.Teamshape && window.Teamshape.importReady) { return; }
  window.Teamshape = window.Teamshape || {};
  window.Teamshape.importReady = true;

  var remembered = null; // the file of the last preview

  // A confirm form that asks for the file again gets the remembered one.
  function prepare(root) {
    if (!remembered) { return; }
    root.querySelectorAll("form[data-import] [data-reupload]").forEach(function (label) {
      var input = label.querySelector('input[type="file"]');
      if (input) { input.required = false; }
      label.hidden = true;
    });
  }

  function show(form, text, fraction) {
    var box = form.querySelector(".import-progress");
    if (!box) { return; }
    box.hidden = false;
    var bar = box.querySelector("progress");
    if (fraction === null) { bar.removeAttribute("value"); } else { bar.value = Math.round(fraction * 100); }
    box.querySelector("span").textContent = text;
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches || !form.matches("form[data-import]") || e.defaultPrevented) { return; }
    e.preventDefault();
    var data = new FormData(form);
    var input = form.querySelector('input[type="file"]');
    if (input && input.files.length) {
      remembered = input.files[0];
    } else if (input && remembered) {
      data.set("file", remembered);
    }
    var confirming = !/\/preview$/.test(form.getAttribute("action"));
    var button = form.querySelector('button[type="submit"]');
    if (button) { button.disabled = true; }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action"));
    xhr.responseType = "document";
    xhr.upload.addEventListener("progress", function (ev) {
      if (ev.lengthComputable) { show(form, "Uploading… " + Math.round(100 * ev.loaded / ev.total) + "%", ev.loaded / ev.total); }
    });
    xhr.upload.addEventListener("load", function () {
      show(form, confirming ? "Importing… (new people's passwords take a moment)" : "Checking every row…", null);
    });
    xhr.addEventListener("load", function () {
      var doc = xhr.response;
      var main = doc && doc.querySelector("main");
      if (!main) {
        show(form, "Something went wrong (status " + xhr.status + "); try again.", 0);
        if (button) { button.disabled = false; }
        return;
      }
      var current = document.querySelector("main");
      var fresh = document.adoptNode(main);
      current.replaceWith(fresh);
      document.title = doc.title;
      prepare(fresh);
      window.scrollTo(0, 0);
    });
    xhr.addEventListener("error", function () {
      show(form, "The upload failed; check your connection and try again.", 0);
      if (button) { button.disabled = false; }
    });
    xhr.send(data);
  });
})();
