// Small progressive enhancements; every form still works without JavaScript.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form.auto-submit");
  if (form && event.target.tagName === "SELECT") form.submit();
});
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
// A stacked list on a phone shows each cell under its column's heading (app.css, table.stack).
function labelStackedTables(root) {
  root.querySelectorAll("table.stack").forEach((table) => {
    const headings = Array.from(table.querySelectorAll("thead th")).flatMap((th) =>
      Array(th.colSpan || 1).fill(th.textContent.trim()),
    );
    table.querySelectorAll("tbody tr, tfoot tr").forEach((row) => {
      let column = 0;
      Array.from(row.children).forEach((cell) => {
        if (headings[column] && !cell.dataset.label) cell.dataset.label = headings[column];
        column += cell.colSpan || 1;
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", () => labelStackedTables(document));
document.addEventListener("htmx:afterSwap", (event) => labelStackedTables(event.target));
