// Draws every <canvas data-chart='…'> from its attribute (the Content-Security-Policy forbids inline script):
// {"labels":[..],"values":[..],"label":".."} as a horizontal bar chart (long Vietnamese category names stay readable),
// {"labels":[..],"series":[{"label":"..","values":[..]},..]} as horizontal bars side by side (two measures per name),
// or {"labels":[..],"datasets":[{"label":"..","values":[..]},..]} as vertical stacked bars (months along the bottom).
var palette = ['#0d6efd', '#198754', '#fd7e14', '#6f42c1', '#dc3545', '#20c997', '#6c757d'];
function sets(list) {
  return list.map(function (d, i) { return { label: d.label, data: d.values, backgroundColor: palette[i % palette.length] }; });
}
document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
  var spec = JSON.parse(canvas.getAttribute('data-chart'));
  if (spec.datasets) {
    new Chart(canvas, {
      type: 'bar',
      data: { labels: spec.labels, datasets: sets(spec.datasets) },
      options: { responsive: true, maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true } } }
    });
    return;
  }
  var series = spec.series || [{ label: spec.label, values: spec.values }];
  new Chart(canvas, {
    type: 'bar',
    data: { labels: spec.labels, datasets: sets(series) },
    options: { indexAxis: 'y', responsive: true, maintainAspectRatio: false, plugins: { legend: { display: series.length > 1 } } }
  });
});
