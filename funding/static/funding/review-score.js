// The running total and Ctrl+S / Ctrl+Enter of the scoring form (review_score.html).
(function () {
  const form = document.getElementById("scoring-form");
  const out = document.getElementById("running-total");
  function update() {
    if (!out) return;
    let weights = 0, sum = 0, complete = true;
    form.querySelectorAll(".criterion").forEach((row) => {
      const w = parseFloat(row.dataset.weight), max = parseFloat(row.dataset.max);
      const input = row.querySelector("input[type=number]");
      const v = parseFloat(input.value);
      weights += w;
      if (isNaN(v)) { complete = false; return; }
      input.setCustomValidity(v < 0 || v > max ? input.title || "0 – " + max : "");
      sum += w * Math.min(Math.max(v, 0), max) / max;
    });
    out.textContent = weights ? (sum / weights * 100).toFixed(2) + (complete ? "" : " …") : "—";
  }
  form.addEventListener("input", update);
  update();
  document.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey)) return;
    const action = event.key === "s" ? "save" : event.key === "Enter" ? "submit" : null;
    const button = action && form.querySelector('button[value="' + action + '"]');
    if (button) { event.preventDefault(); button.click(); }
  });
})();
