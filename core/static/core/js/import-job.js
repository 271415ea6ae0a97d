// Polls an unfinished import (core/import_job.html) and shows its progress;
// reloads the page when it has finished.
(function () {
  const box = document.getElementById("import-job");
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin"})
      .then((r) => r.json())
      .then((data) => {
        document.getElementById("import-status").textContent = data.status_display;
        document.getElementById("import-progress").value = data.percent;
        document.getElementById("import-rows").textContent = data.processed_rows;
        document.getElementById("import-total").textContent = data.total_rows;
        if (data.finished) { window.location.reload(); } else { setTimeout(poll, 1000); }
      })
      .catch(() => setTimeout(poll, 3000));
  }
  setTimeout(poll, 1000);
})();
