// A form with data-confirm asks before it is sent (an irreversible step, e.g. ending
// an award); so does a submit button with its own data-confirm (the "提交" beside a
// "保存草稿" of the same form), for that button only. A static file, not an inline
// handler: Content-Security-Policy.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) {
    return;
  }
  const button = event.submitter;
  const question = (button && button.dataset.confirm) || form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
