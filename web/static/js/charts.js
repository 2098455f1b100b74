/*
 * Teamshape charts and table downloads.
 *
 * Load after Teamshape's ECharts build (web/echarts/entry.js, built by
 * scripts/build-echarts.sh: only the chart types and components the pages use,
 * exposing window.echarts.init and getInstanceByDom), both deferred; the layout
 * writes their content-hashed URLs (internal/assets):
 *   <script src="{{asset "vendor/echarts/echarts.custom.min.js"}}" defer></script>
 *   <script src="{{asset "js/charts.js"}}" defer></script>
 *
 * Charts: <div class="chart" data-chart="{{.Option}}"
 *              data-chart-title="Team heatmap" data-chart-height="420"></div>
 *   data-chart        ECharts option as JSON (built server-side by internal/chart;
 *                     parsed with JSON.parse, never evaluated)
 *   data-chart-title  optional; adds a "Download PNG" button and an aria-label
 *   data-chart-height optional height in px (else the element's CSS height,
 *                     else 360px)
 * After setOption the element gets data-chart-ready="1" (or "error").
 *
 * Tables: <table data-csv="team-heatmap.csv"> gets a "Download CSV" button.
 *   Cells or rows with data-csv-exclude are left out (e.g. action columns).
 *
 * No inline handlers, no eval; the only global is window.Teamshape.
 */
(function () {
  'use strict';

  var DEFAULT_HEIGHT = 360;
  var instances = [];

  function safeFilename(title, ext) {
    var base = String(title || '')
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80);
    return (base || 'chart') + '.' + ext;
  }

  function downloadBlob(blob, filename) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.rel = 'noopener';
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function dataURLToBlob(dataURL) {
    var comma = dataURL.indexOf(',');
    var header = dataURL.slice(0, comma);
    var mime = (/^data:([^;,]+)/.exec(header) || [])[1] || 'application/octet-stream';
    var bin = atob(dataURL.slice(comma + 1));
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) {
      bytes[i] = bin.charCodeAt(i);
    }
    return new Blob([bytes], { type: mime });
  }

  function makeButton(text, className) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = className;
    b.textContent = text;
    return b;
  }

  function actionsBar(kind) {
    var bar = document.createElement('div');
    bar.className = 'chart-actions ' + kind;
    return bar;
  }

  /* ---------- charts ---------- */

  function initChart(el) {
    if (el.dataset.chartReady === '1' || typeof window.echarts === 'undefined') {
      return null;
    }
    var option;
    try {
      option = JSON.parse(el.getAttribute('data-chart'));
    } catch (e) {
      el.dataset.chartReady = 'error';
      return null;
    }
    if (!option || typeof option !== 'object') {
      el.dataset.chartReady = 'error';
      return null;
    }

    var h = parseInt(el.getAttribute('data-chart-height') || '', 10);
    if (h > 0 && h < 5000) {
      el.style.height = h + 'px';
    } else if (el.clientHeight === 0) {
      el.style.height = DEFAULT_HEIGHT + 'px';
    }

    var title = el.getAttribute('data-chart-title') || '';
    if (!el.hasAttribute('role')) {
      el.setAttribute('role', 'img');
    }
    if (title && !el.hasAttribute('aria-label')) {
      el.setAttribute('aria-label', title);
    }

    var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { renderer: 'canvas' });
    try {
      chart.setOption(option, true);
    } catch (e) {
      el.dataset.chartReady = 'error';
      return null;
    }
    instances.push(chart);

    if (title) {
      var bar = actionsBar('chart-actions-png');
      var btn = makeButton('Download PNG', 'chart-download chart-download-png');
      btn.addEventListener('click', function () {
        var url = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
        downloadBlob(dataURLToBlob(url), safeFilename(title, 'png'));
      });
      bar.appendChild(btn);
      el.insertAdjacentElement('afterend', bar);
    }

    if (typeof ResizeObserver === 'function') {
      var pending = false;
      new ResizeObserver(function () {
        if (pending) { return; }
        pending = true;
        window.requestAnimationFrame(function () {
          pending = false;
          if (!chart.isDisposed()) { chart.resize(); }
        });
      }).observe(el);
    }

    el.dataset.chartReady = '1';
    return chart;
  }

  var resizeQueued = false;
  function onWindowResize() {
    if (resizeQueued) { return; }
    resizeQueued = true;
    window.requestAnimationFrame(function () {
      resizeQueued = false;
      instances.forEach(function (c) {
        if (!c.isDisposed()) { c.resize(); }
      });
    });
  }

  /* ---------- tables → CSV ---------- */

  function cellText(cell) {
    var v = cell.hasAttribute('data-csv-value') ? cell.getAttribute('data-csv-value') : cell.textContent;
    return String(v || '').replace(/\s+/g, ' ').trim();
  }

  // A cell that a spreadsheet would read as a formula is prefixed with a
  // single quote. Plain numbers such as -2 or +1.5 are left alone: they
  // cannot carry a formula.
  function csvField(text) {
    var s = text;
    if (/^[=+\-@\t\r]/.test(s) && !/^[+-]?\d+(\.\d+)?$/.test(s)) {
      s = "'" + s;
    }
    if (/[",\r\n;]/.test(s) || /^\s|\s$/.test(s) || s.charAt(0) === "'") {
      s = '"' + s.replace(/"/g, '""') + '"';
    }
    return s;
  }

  function tableToCSV(table) {
    var lines = [];
    Array.prototype.forEach.call(table.rows, function (row) {
      if (row.hasAttribute('data-csv-exclude')) { return; }
      var fields = [];
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (cell.hasAttribute('data-csv-exclude')) { return; }
        fields.push(csvField(cellText(cell)));
        for (var i = 1; i < (cell.colSpan || 1); i++) {
          fields.push('');
        }
      });
      lines.push(fields.join(','));
    });
    return lines.join('\r\n') + '\r\n';
  }

  function initTable(table) {
    if (table.dataset.csvReady === '1') { return; }
    var name = table.getAttribute('data-csv') || '';
    var filename = safeFilename(name.replace(/\.csv$/i, ''), 'csv');
    var bar = actionsBar('table-actions-csv');
    var btn = makeButton('Download CSV', 'csv-download');
    btn.addEventListener('click', function () {
      // The BOM makes spreadsheet apps read the file as UTF-8.
      var blob = new Blob(['\ufeff', tableToCSV(table)], { type: 'text/csv;charset=utf-8' });
      downloadBlob(blob, filename);
    });
    bar.appendChild(btn);
    table.insertAdjacentElement('afterend', bar);
    table.dataset.csvReady = '1';
  }

  /* ---------- start ---------- */

  function initAll(root) {
    var scope = root || document;
    Array.prototype.forEach.call(scope.querySelectorAll('[data-chart]'), initChart);
    Array.prototype.forEach.call(scope.querySelectorAll('table[data-csv]'), initTable);
  }

  window.Teamshape = Object.assign(window.Teamshape || {}, {
    initCharts: initAll,
    tableToCSV: tableToCSV
  });

  window.addEventListener('resize', onWindowResize);
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { initAll(document); });
  } else {
    initAll(document);
  }
}());
