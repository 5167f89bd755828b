/* Report downloads made in the background. A download button asks the
   server for the report (a POST of its form); the server answers with the
   export to follow, and this script asks for its state until it is ready,
   saying on the page how far it is (waiting, the page being laid out), then
   starts the download and leaves a link to the file. A failure says why.
   Without JavaScript the forms post as they are, to the export's own page,
   which says where it stands and offers the file once it is ready. */
(function () {
  "use strict";

  var FIRST_POLL_MS = 400;
  var LATER_POLL_MS = 1500;
  var QUICK_POLLS = 40;  // about 16 s of quick polls, then slower

  function readJson(response) {
    return response.json().then(function (body) {
      if (!response.ok) throw new Error(body.error || "");
      return body;
    });
  }

  function say(status, text, fileUrl) {
    status.textContent = text;
    if (fileUrl) {
      var link = document.createElement("a");
      link.href = fileUrl;
      link.textContent = status.dataset.file;
      status.appendChild(document.createTextNode(" "));
      status.appendChild(link);
    }
  }

  function setBusy(button, busy) {
    if (busy) {
      button.setAttribute("aria-disabled", "true");
      button.classList.add("is-busy");
    } else {
      button.removeAttribute("aria-disabled");
      button.classList.remove("is-busy");
    }
  }

  function follow(state, status, button, polls) {
    say(status, state.message, state.file_url);
    if (state.status === "ready") {
      setBusy(button, false);
      window.location.assign(state.file_url);
      return;
    }
    if (state.finished) {  // failed: the message says why
      setBusy(button, false);
      return;
    }
    setTimeout(function () {
      fetch(state.status_url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(readJson)
        .then(function (next) { follow(next, status, button, polls + 1); })
        .catch(function (error) { failed(status, button, error); });
    }, polls < QUICK_POLLS ? FIRST_POLL_MS : LATER_POLL_MS);
  }

  function failed(status, button, error) {
    say(status, (error && error.message) || status.dataset.failed);
    setBusy(button, false);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-report-export]");
    if (!form || !window.fetch || !window.FormData) return;
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button.getAttribute("aria-disabled") === "true") return;
    var status = form.closest(".report-downloads").querySelector("[data-report-status]");
    setBusy(button, true);
    say(status, status.dataset.starting);
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(readJson)
      .then(function (state) { follow(state, status, button, 0); })
      .catch(function (error) { failed(status, button, error); });
  });
})();
