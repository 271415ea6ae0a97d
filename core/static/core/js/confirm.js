// A form with data-confirm asks before it is sent (an irreversible step, e.g. ending
// an award). A static file, not an inline handler: Content-Security-Policy.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form instanceof HTMLFormElement ? form.dataset.confirm : null;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
