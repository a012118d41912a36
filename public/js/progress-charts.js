// Progress charts: draws each <canvas data-chart> with Chart.js from its data- attributes.
// The numbers are always in the table beneath; once a chart is drawn, that table folds away
// into its <details> (numbers on demand). Without JavaScript the tables stay open.
(function () {
  'use strict';
  function draw() {
    if (typeof window.Chart !== 'function') return;
    var palette = ['#0b5cad', '#116329', '#a40e26', '#7a4d00'];
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      var labels, series;
      try {
        labels = JSON.parse(canvas.getAttribute('data-labels') || '[]');
        series = JSON.parse(canvas.getAttribute('data-series') || '[]');
      } catch (e) {
        return;
      }
      var type = canvas.getAttribute('data-chart') === 'line' ? 'line' : 'bar';
      // Bars run sideways (a row per label) unless data-axis="x" asks for columns (one per day, a histogram).
      var axis = canvas.getAttribute('data-axis') === 'x' || type === 'line' ? 'x' : 'y';
      var max = Number(canvas.getAttribute('data-max')) || undefined;
      var box = canvas.closest('.chart-box');
      if (box) box.hidden = false;
      new window.Chart(canvas, {
        type: type,
        data: {
          labels: labels,
          datasets: series.map(function (s, i) {
            return {
              label: s.label,
              data: s.data,
              backgroundColor: palette[i % palette.length],
              borderColor: palette[i % palette.length],
              spanGaps: true,
              tension: 0.2,
            };
          }),
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          indexAxis: axis,
          scales: axis === 'y' ? { x: { min: 0, max: max } } : { y: { min: 0, max: max } },
          plugins: { legend: { display: type === 'line' } },
        },
      });
      var details = box && box.nextElementSibling;
      if (details && details.tagName === 'DETAILS') details.open = false;
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw);
  else draw();
})();
