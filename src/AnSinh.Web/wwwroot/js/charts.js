// Draws every <canvas data-chart='{"labels":[..],"values":[..],"label":".."}'> as a horizontal bar chart (long Vietnamese category names stay readable).
// Data comes from attributes because the Content-Security-Policy forbids inline script.
document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
  var spec = JSON.parse(canvas.getAttribute('data-chart'));
  new Chart(canvas, {
    type: 'bar',
    data: { labels: spec.labels, datasets: [{ label: spec.label, data: spec.values, backgroundColor: '#0d6efd' }] },
    options: { indexAxis: 'y', responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false } } }
  });
});
