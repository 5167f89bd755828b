// A warning before leaving a page with input not saved yet (issue 13). Every
// form marked data-unsaved-warning counts, with the inputs that belong to it
// through their form attribute; sending that form is saving, not leaving.
(function () {
  "use strict";
  var dirty = false;

  function watched(element) {
    var form = element && element.form;
    return form && form.hasAttribute("data-unsaved-warning");
  }

  function changed(event) {
    if (watched(event.target)) {
      dirty = true;
    }
  }

  document.addEventListener("input", changed);
  document.addEventListener("change", changed);
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("data-unsaved-warning")) {
      dirty = false;
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
