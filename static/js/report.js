// The pattern report's charts and print button. Data comes from the json_script block
// "report-data" only: no inline scripts or styles anywhere (CSP). Every chart has a table
// with the same numbers next to it, so nothing is lost when scripts do not run.
(function () {
  "use strict";

  var source = document.getElementById("report-data");
  if (!source) { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];

  var GREEN = "#2f6f5e";
  var GREEN_SOFT = "rgba(47, 111, 94, 0.78)";
  var AMBER = "#c77700";
  // Light on paper and in the light theme; in the dark theme (theme.js) text, grid lines and bars
  // turn light enough to read on the dark cards (bars over 3:1 against them).
  var INK = { light: "#495057", dark: "#c9d1ce" };
  var GRID = { light: "rgba(0, 0, 0, 0.1)", dark: "rgba(255, 255, 255, 0.14)" };
  var BARS = { light: GREEN_SOFT, dark: "#5aa88d" };
  var LINE = { light: AMBER, dark: "#f0a43a" };
  function theme() { return document.documentElement.getAttribute("data-bs-theme") === "dark" ? "dark" : "light"; }
  var ROW_HEIGHT = 28;
  var AXIS_ROOM = 36;

  function drawCharts() {
    if (typeof window.Chart === "undefined") { return; }
    var Chart = window.Chart;
    var quiet = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = INK[theme()];
    Chart.defaults.borderColor = GRID[theme()];
    if (quiet) { Chart.defaults.animation = false; }

    var weekly = document.getElementById("chart-weekly");
    if (weekly) {
      charts.push(new Chart(weekly, {
        data: {
          labels: data.weekly.labels,
          datasets: [
            {
              type: "bar",
              label: "Leans",
              data: data.weekly.incidents,
              backgroundColor: BARS[theme()],
              borderRadius: 3,
              yAxisID: "y",
              order: 2
            },
            {
              type: "line",
              label: "Mean intensity (1–5)",
              data: data.weekly.meanIntensity,
              borderColor: LINE[theme()],
              backgroundColor: LINE[theme()],
              pointRadius: 3,
              spanGaps: true,
              cubicInterpolationMode: "monotone",
              yAxisID: "intensity",
              order: 1
            }
          ]
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          interaction: { mode: "index", intersect: false },
          plugins: {
            // Bars first in the legend, as they are what the chart is about; the line is drawn on top.
            legend: {
              position: "bottom",
              labels: { boxWidth: 12 },
              reverse: true
            },
            tooltip: {
              callbacks: {
                title: function (items) { return "Week of " + items[0].label; }
              }
            }
          },
          scales: {
            x: { grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0 } },
            y: {
              beginAtZero: true,
              ticks: { precision: 0 },
              title: { display: true, text: "Leans" }
            },
            intensity: {
              position: "right",
              min: 0,
              max: 5,
              ticks: { stepSize: 1 },
              grid: { drawOnChartArea: false },
              title: { display: true, text: "Intensity" }
            }
          }
        }
      }));
    }

    Object.keys(data.breakdowns).forEach(function (key) {
      var canvas = document.getElementById("chart-" + key);
      var part = data.breakdowns[key];
      if (!canvas || !part.labels.length) { return; }
      // One row per answer: the chart grows with the list instead of squeezing it.
      canvas.parentNode.style.height = (part.labels.length * ROW_HEIGHT + AXIS_ROOM) + "px";
      charts.push(new Chart(canvas, {
        type: "bar",
        data: {
          labels: part.labels,
          datasets: [{
            label: "Share of leans",
            data: part.pcts,
            backgroundColor: BARS[theme()],
            borderRadius: 3,
            barThickness: 16
          }]
        },
        options: {
          indexAxis: "y",
          responsive: true,
          maintainAspectRatio: false,
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                label: function (item) {
                  var count = part.counts[item.dataIndex];
                  return item.raw + "% (" + count + (count === 1 ? " lean)" : " leans)");
                }
              }
            }
          },
          scales: {
            x: {
              beginAtZero: true,
              max: 100,
              // The same 0-25-50-75-100 steps on every breakdown, so they compare at a glance.
              ticks: { stepSize: 25, callback: function (value) { return value + "%"; } }
            },
            y: { grid: { display: false } }
          }
        }
      }));
    });
  }

  // Printing: charts take the paper's width, and the breakdowns print as their tables.
  var reopened = [];
  function beforePrint() {
    document.querySelectorAll(".ll-breakdowns details:not([open])").forEach(function (details) {
      details.open = true;
      reopened.push(details);
    });
    // No animation on paper: a chart caught mid-animation would print half drawn.
    charts.forEach(function (chart) {
      chart.options.animation = false;
      chart.resize();
      chart.update("none");
    });
  }
  function afterPrint() {
    reopened.forEach(function (details) { details.open = false; });
    reopened = [];
    charts.forEach(function (chart) { chart.resize(); });
  }
  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
  if (window.matchMedia) {
    var printing = window.matchMedia("print");
    var onChange = function (event) { if (event.matches) { beforePrint(); } else { afterPrint(); } };
    if (printing.addEventListener) { printing.addEventListener("change", onChange); }
  }

  document.querySelectorAll("[data-report-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // A new theme (the device turned dark, or paper): draw the charts again in its colours.
  document.addEventListener("leanlog:theme", function () {
    if (!charts.length) { return; }
    charts.forEach(function (chart) { chart.destroy(); });
    charts = [];
    drawCharts();
  });

  drawCharts();
})();
