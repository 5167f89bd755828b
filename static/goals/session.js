// The session's end announced (issue 13, KWCAG 2.2 adjustable time limits):
// a few minutes before the session ends, a warning with a button that
// continues it. Should it end anyway, what was typed on the entry page is kept
// in this browser tab and put back in its fields after logging in again.
(function () {
  "use strict";
  var body = document.body;
  var seconds = parseInt(body.getAttribute("data-session-seconds") || "0", 10);
  var keepalive = body.getAttribute("data-keepalive");
  var box = document.getElementById("session-warning");
  if (!seconds || !keepalive || !box) return;
  var lead = Math.min(300, Math.floor(seconds / 2));
  var timers = [];
  var DRAFT = "goals-draft:" + location.pathname;

  function entryForm() {
    return document.getElementById("entry-form");
  }

  function saveDraft() {
    var form = entryForm();
    if (!form) return;
    var values = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (element.name && element.type !== "hidden" && element.type !== "submit") {
        values[element.name] = element.type === "checkbox" ? element.checked : element.value;
      }
    });
    try { sessionStorage.setItem(DRAFT, JSON.stringify(values)); } catch (error) { /* full */ }
  }

  function restoreDraft() {
    var form = entryForm();
    var stored = null;
    try { stored = sessionStorage.getItem(DRAFT); } catch (error) { return; }
    if (!form || !stored) return;
    sessionStorage.removeItem(DRAFT);
    var values = JSON.parse(stored);
    var restored = 0;
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || !(element.name in values)) return;
      if (element.type === "checkbox") {
        element.checked = values[element.name];
      } else if (element.value !== values[element.name]) {
        element.value = values[element.name];
        element.dispatchEvent(new Event("input", { bubbles: true }));
        restored += 1;
      }
    });
    var notice = document.getElementById("draft-restored");
    if (restored && notice) notice.hidden = false;
  }

  function schedule() {
    timers.forEach(clearTimeout);
    box.hidden = true;
    timers = [
      setTimeout(function () {
        box.hidden = false;
        box.querySelector("button").focus();
        saveDraft();
      }, (seconds - lead) * 1000),
      // Just before the end: keep what was typed, for after logging in again.
      setTimeout(saveDraft, Math.max(0, seconds - 5) * 1000)
    ];
  }

  function continueSession() {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var headers = token ? { "X-CSRFToken": token.value } : {};
    fetch(keepalive, { method: "POST", headers: headers, credentials: "same-origin" })
      .then(function (response) {
        if (response.ok) {
          try { sessionStorage.removeItem(DRAFT); } catch (error) { /* none */ }
          schedule();
        }
      });
  }

  box.querySelector("button").addEventListener("click", continueSession);

  restoreDraft();
  schedule();
})();
