// Small progressive enhancements; every form still works without JavaScript.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form.auto-submit");
  if (form && event.target.tagName === "SELECT") form.submit();
});
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
