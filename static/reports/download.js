/* Report downloads that say they are being prepared. A report can take a few
   seconds to make: on click the button is disabled and the page says
   "보고서를 만드는 중입니다…" until the file arrives. Without JavaScript the
   buttons are plain links and still download. */
(function () {
  "use strict";

  function filenameOf(response) {
    var header = response.headers.get("Content-Disposition") || "";
    var encoded = /filename\*=utf-8''([^;]+)/i.exec(header);
    if (encoded) return decodeURIComponent(encoded[1]);
    var plain = /filename="?([^";]+)"?/i.exec(header);
    return plain ? plain[1] : "report";
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 30000);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("a[data-report-download]");
    if (!button || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (!window.fetch || !window.URL || !URL.createObjectURL) return;
    event.preventDefault();
    if (button.getAttribute("aria-disabled") === "true") return;
    var section = button.closest(".report-downloads");
    var status = section.querySelector("[data-report-status]");
    button.setAttribute("aria-disabled", "true");
    button.classList.add("is-busy");
    status.textContent = status.dataset.preparing;
    fetch(button.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.blob().then(function (blob) {
          save(blob, filenameOf(response));
          status.textContent = status.dataset.done;
        });
      })
      .catch(function () { status.textContent = status.dataset.failed; })
      .then(function () {
        button.removeAttribute("aria-disabled");
        button.classList.remove("is-busy");
      });
  });
})();
