// Bar charts from data the page carries in a <script type="application/json"> (no inline JS:
// the CSP allows only scripts from 'self'). <canvas data-chart="id-of-json">; the JSON holds
// labels, datasets and optionally "stacked": true.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof Chart === "undefined") return;
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const data = JSON.parse(source.textContent);
    // Counts never get fractional ticks ("0,2 anak"); numbers read as Indonesians write them.
    const whole = data.datasets.every((d) => d.data.every((v) => v == null || Number.isInteger(v)));
    const ticks = whole ? { precision: 0 } : {};
    const locale = document.documentElement.lang === "en" ? "en" : "id-ID";
    new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: data.datasets },
      options: {
        locale,
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: data.datasets.length > 1 } },
        scales: data.stacked
          ? { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks } }
          : { y: { beginAtZero: true, ticks } },
      },
    });
  });
});
