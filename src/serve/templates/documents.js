// Documents page: while a build runs, the bar and the stage follow
// /documents/progress once a second, and the page reloads when the build
// ends (to list the new files). Without this script the page refreshes
// itself every few seconds (<noscript> meta refresh) and has a link.
(function () {
  var bar = document.getElementById("build-progress");
  var stage = document.getElementById("build-stage");
  var count = document.getElementById("build-count");
  if (!bar || !window.fetch) return;
  function poll() {
    fetch("/documents/progress", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (p) {
        if (!p.running) {
          window.location.reload();
          return;
        }
        bar.max = Math.max(p.total, 1);
        bar.value = p.done;
        if (stage) stage.textContent = p.stage;
        if (count) count.textContent = p.total ? p.done + "/" + p.total : "";
        setTimeout(poll, 1000);
      })
      .catch(function () {
        // The server is busy or gone: fall back to reloading the page.
        setTimeout(function () { window.location.reload(); }, 3000);
      });
  }
  setTimeout(poll, 1000);
})();
