/* Dashboard charts, drawn from the tables behind them (templates/includes/_chart.html) with the
   vendored Chart.js (static/vendor/chartjs/). A page loads both with defer, Chart.js first:
     <script src="{% static 'vendor/chartjs/chart.umd.min.js' %}" defer></script>
     <script src="{% static 'js/dashboard-charts.js' %}" defer></script>
   The table is the source: labels are its row headers, a series is a column (its header is the
   name), and columns marked data-role="low"/"high" are the 95% interval of the series before them.
   Each figure is read from data-value (a dot for the decimals), never from the text shown.
   Without JavaScript, or when Chart.js did not load, the tables stay and nothing breaks.
   When every chart is drawn, <html data-charts-ready="1"> tells tests they may look. */
(function () {
  "use strict";

  var root = document.documentElement;

  // Okabe and Ito's colour-blind-safe hues, in an order that keeps neighbours apart; their orange and
  // sky blue are darkened so that every colour has at least 3:1 against white (WCAG 1.4.11). Lines
  // differ by their points and dashes as well, so colour is never the only clue.
  var PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#b77e00", "#3c91c8", "#1c1b1a"];
  var POINTS = ["circle", "rect", "triangle", "rectRot", "crossRot", "star", "rectRounded"];
  var DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3]];
  var BAND_ALPHA = "2e"; // the interval band: the line's colour at 18% opacity
  var HORIZONTAL_AFTER = 8; // more labels than this: bars lie down, one row each, labels readable
  // A4 less the 15 mm margins of static/css/dashboard.css: 180 mm at 96 px to the inch.
  var PRINT_WIDTH = 680;
  var PRINT_HEIGHT = 300;
  var PRINT_PIXEL_RATIO = 2;

  var ink = cssVar("--ink", "#1c1b1a");
  var line = cssVar("--line", "#d9d4cc");
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var language = root.lang || "vi";
  var formats = {};
  var drawn = [];

  function cssVar(name, fallback) {
    var value = window.getComputedStyle(root).getPropertyValue(name).trim();
    return value || fallback;
  }

  function formatter(digits) {
    if (!formats[digits]) {
      formats[digits] = new Intl.NumberFormat(language, { maximumFractionDigits: digits });
    }
    return formats[digits];
  }

  // A figure as the table shows it: "82,4%" in Vietnamese, "12,5 ngày", "1.234".
  function show(value, unit, unitLabel) {
    if (value === null || value === undefined || isNaN(value)) {
      return "—";
    }
    if (unit === "%") {
      return formatter(1).format(value) + "%";
    }
    if (unit === "days") {
      return formatter(1).format(value) + (unitLabel ? " " + unitLabel : "");
    }
    return formatter(0).format(value);
  }

  function fontSize() {
    // Follows the reader's text size (js/text-size.js sets it on <html>).
    return Math.round(parseFloat(window.getComputedStyle(document.body).fontSize) * 0.85) || 13;
  }

  function readNumber(cell) {
    var raw = cell.getAttribute("data-value");
    if (raw === null || raw === "") {
      return null;
    }
    var value = Number(raw);
    return isFinite(value) ? value : null;
  }

  function readTable(table) {
    var headers = table.tHead.rows[0].cells;
    var columns = [];
    var series = [];
    for (var i = 1; i < headers.length; i++) {
      var role = headers[i].getAttribute("data-role") || "value";
      if (role === "value") {
        series.push({ label: headers[i].textContent.trim(), values: [], low: null, high: null });
      } else if (series.length) {
        series[series.length - 1][role] = [];
      }
      columns[i] = { series: series[series.length - 1], role: role === "value" ? "values" : role };
    }
    var labels = [];
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      labels.push(row.cells[0].textContent.trim());
      for (var j = 1; j < row.cells.length; j++) {
        var column = columns[j];
        if (column && column.series && column.series[column.role]) {
          column.series[column.role].push(readNumber(row.cells[j]));
        }
      }
    });
    return { labels: labels, series: series };
  }

  function lineDatasets(series) {
    var datasets = [];
    series.forEach(function (each, index) {
      var colour = PALETTE[index % PALETTE.length];
      datasets.push({
        label: each.label,
        data: each.values,
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: 2,
        borderDash: DASHES[index % DASHES.length],
        pointStyle: POINTS[index % POINTS.length],
        pointRadius: 3,
        pointHoverRadius: 5,
        tension: 0,
        spanGaps: false,
        fill: false,
        low: each.low,
        high: each.high
      });
      if (each.low && each.high) {
        // The band: its lower edge, then its upper edge filled down to it ("-1": the dataset before).
        var edge = { data: null, isBand: true, borderWidth: 0, pointRadius: 0, pointHoverRadius: 0,
                     pointHitRadius: 0, spanGaps: false, backgroundColor: colour + BAND_ALPHA };
        datasets.push(Object.assign({}, edge, { label: each.label + " (low)", data: each.low, fill: false }));
        datasets.push(Object.assign({}, edge, { label: each.label + " (high)", data: each.high, fill: "-1" }));
      }
    });
    return datasets;
  }

  function barDatasets(series, stacked) {
    return series.map(function (each, index) {
      var colour = PALETTE[index % PALETTE.length];
      return {
        label: each.label,
        data: each.values,
        backgroundColor: colour,
        // A white edge between stacked blocks keeps neighbours apart in grey print and for any eye.
        borderColor: "#ffffff",
        borderWidth: stacked ? 1 : 0,
        maxBarThickness: 40
      };
    });
  }

  function valueAxis(unit, unitLabel, stacked) {
    var axis = {
      beginAtZero: true,
      stacked: stacked,
      grid: { color: line },
      ticks: {
        callback: function (value) { return show(value, unit === "%" ? "%" : "", ""); }
      }
    };
    if (unit === "%") {
      axis.min = 0;
      axis.max = 100;
    } else if (unit === "days") {
      axis.title = { display: Boolean(unitLabel), text: unitLabel };
      axis.ticks.callback = function (value) { return formatter(1).format(value); };
    } else {
      axis.ticks.precision = 0;
    }
    return axis;
  }

  function labelAxis(stacked, box) {
    return {
      stacked: stacked,
      grid: { display: false },
      ticks: {
        autoSkip: true,
        // A long commune name is cut on a phone; the tooltip and the table give it whole.
        callback: function (value) {
          var label = String(this.getLabelForValue(value));
          var room = box.clientWidth < 480 ? 16 : 32;
          return label.length > room ? label.slice(0, room - 1) + "…" : label;
        }
      }
    };
  }

  function options(kind, data, figure, box) {
    var unit = figure.getAttribute("data-unit") || "";
    var unitLabel = figure.getAttribute("data-msg-unit") || "";
    var intervalLabel = figure.getAttribute("data-msg-interval") || "95%";
    var stacked = kind === "stacked";
    var horizontal = kind === "bar" && data.labels.length > HORIZONTAL_AFTER;
    var shown = data.series.length;
    var scales = horizontal
      ? { y: labelAxis(stacked, box), x: valueAxis(unit, unitLabel, stacked) }
      : { x: labelAxis(stacked, box), y: valueAxis(unit, unitLabel, stacked) };
    return {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: reduceMotion ? false : { duration: 500 },
      interaction: { mode: "index", intersect: false, axis: horizontal ? "y" : "x" },
      scales: scales,
      plugins: {
        legend: {
          display: shown > 1,
          position: "bottom",
          labels: {
            usePointStyle: kind === "line",
            boxHeight: kind === "line" ? 8 : undefined,
            filter: function (item, chartData) { return !chartData.datasets[item.datasetIndex].isBand; }
          }
        },
        tooltip: {
          filter: function (item) { return !item.dataset.isBand; },
          callbacks: {
            label: function (item) {
              var dataset = item.dataset;
              var text = dataset.label + ": " + show(item.raw, unit, unitLabel);
              var low = dataset.low && dataset.low[item.dataIndex];
              var high = dataset.high && dataset.high[item.dataIndex];
              if (typeof low === "number" && typeof high === "number") {
                text += " (" + intervalLabel + " " + show(low, unit, "") + "–" + show(high, unit, unitLabel) + ")";
              }
              return text;
            }
          }
        }
      }
    };
  }

  function draw(figure, done) {
    var table = figure.querySelector("table.chart-table");
    var box = figure.querySelector("[data-chart-canvas]");
    if (!table || !box || !table.tHead || !table.tBodies.length) {
      done();
      return;
    }
    var kind = figure.getAttribute("data-chart");
    if (["line", "bar", "stacked"].indexOf(kind) < 0) {
      kind = "bar";
    }
    var data = readTable(table);
    var horizontal = kind === "bar" && data.labels.length > HORIZONTAL_AFTER;
    if (horizontal) {
      // One row per label: the CSS gives the box its height from this count (dashboard.css).
      box.style.setProperty("--chart-rows", String(data.labels.length));
      figure.classList.add("chart--horizontal");
    }
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", box.getAttribute("data-label") || table.caption.textContent.trim());
    box.appendChild(canvas);
    figure.classList.add("is-drawn");

    var config = options(kind, data, figure, box);
    var finished = false;
    function once() {
      if (!finished) {
        finished = true;
        done();
      }
    }
    if (config.animation) {
      config.animation.onComplete = once;
      // A chart that cannot animate (its figure hidden) must not keep the page "not ready" forever.
      window.setTimeout(once, 2000);
    }
    var chart = new window.Chart(canvas, {
      type: kind === "line" ? "line" : "bar",
      data: {
        labels: data.labels,
        datasets: kind === "line" ? lineDatasets(data.series) : barDatasets(data.series, kind === "stacked")
      },
      options: config
    });
    drawn.push({ chart: chart, box: box });
    if (!config.animation) {
      once();
    }
  }

  function drawAll() {
    var figures = document.querySelectorAll("figure.chart");
    var pending = figures.length + 1;
    function done() {
      pending -= 1;
      if (pending === 0) {
        root.dataset.chartsReady = "1";
      }
    }
    if (window.Chart) {
      window.Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
      window.Chart.defaults.font.size = fontSize();
      window.Chart.defaults.color = ink;
      window.Chart.defaults.borderColor = line;
      Array.prototype.forEach.call(figures, function (figure) { draw(figure, done); });
    } else {
      pending = 1; // Chart.js did not load: the tables are the charts
    }
    done();
  }

  // --- Print: each chart redrawn at the printed width and twice the pixels, the tables shown ------
  var printing = false;

  function beforePrint() {
    if (printing) {
      return;
    }
    printing = true;
    Array.prototype.forEach.call(document.querySelectorAll("details.chart-data:not([open])"), function (fold) {
      fold.setAttribute("data-opened-for-print", "");
      fold.open = true;
    });
    drawn.forEach(function (entry) {
      entry.chart.stop();
      entry.chart.options.devicePixelRatio = PRINT_PIXEL_RATIO;
      var height = entry.box.closest(".chart--horizontal") ? entry.box.clientHeight : PRINT_HEIGHT;
      entry.chart.resize(PRINT_WIDTH, height);
    });
  }

  function afterPrint() {
    if (!printing) {
      return;
    }
    printing = false;
    Array.prototype.forEach.call(document.querySelectorAll("details[data-opened-for-print]"), function (fold) {
      fold.removeAttribute("data-opened-for-print");
      fold.open = false;
    });
    // Next frame: when "afterprint" or the media change fires, the page may still be laid out for print.
    window.requestAnimationFrame(function () {
      drawn.forEach(function (entry) {
        entry.chart.options.devicePixelRatio = undefined;
        entry.chart.resize();
      });
    });
  }

  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
  // Chromium may lay out for print (Ctrl+P's preview, headless PDF) with the print media query only.
  if (window.matchMedia) {
    var print = window.matchMedia("print");
    var onChange = function (event) {
      if (event.matches) {
        beforePrint();
      } else {
        afterPrint();
      }
    };
    if (print.addEventListener) {
      print.addEventListener("change", onChange);
    } else if (print.addListener) {
      print.addListener(onChange);
    }
  }

  // The reader chose a larger text size: the charts' words follow.
  if (window.MutationObserver) {
    new MutationObserver(function () {
      if (!window.Chart) {
        return;
      }
      window.Chart.defaults.font.size = fontSize();
      drawn.forEach(function (entry) { entry.chart.update("none"); });
    }).observe(root, { attributes: true, attributeFilter: ["data-text-size"] });
  }

  drawAll();
}());

/* The dashboards' "Print" button (a button needs a script; the CSP allows no inline handler). */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
