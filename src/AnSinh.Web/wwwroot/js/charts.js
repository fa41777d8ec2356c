// Draws every <canvas data-chart='…'> from its attribute (the Content-Security-Policy forbids inline script):
// {"labels":[..],"values":[..],"label":".."} as a horizontal bar chart (long Vietnamese category names stay readable),
// or {"labels":[..],"datasets":[{"label":"..","values":[..]},..]} as vertical stacked bars (months along the bottom).
var palette = ['#0d6efd', '#198754', '#fd7e14', '#6f42c1', '#dc3545', '#20c997', '#6c757d'];
document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
  var spec = JSON.parse(canvas.getAttribute('data-chart'));
  if (spec.datasets) {
    new Chart(canvas, {
      type: 'bar',
      data: { labels: spec.labels, datasets: spec.datasets.map(function (d, i) { return { label: d.label, data: d.values, backgroundColor: palette[i % palette.length] }; }) },
      options: { responsive: true, maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true } } }
    });
    return;
  }
  new Chart(canvas, {
    type: 'bar',
    data: { labels: spec.labels, datasets: [{ label: spec.label, data: spec.values, backgroundColor: '#0d6efd' }] },
    options: { indexAxis: 'y', responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false } } }
  });
});
