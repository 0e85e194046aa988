// Draws every <canvas data-chart="ID">: its Chart.js configuration is the JSON in element #ID
// (written by Django's json_script). The table after each chart carries the same figures.
document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
  var config = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
  config.options = Object.assign({responsive: true, maintainAspectRatio: false}, config.options || {});
  new Chart(canvas, config);
});
