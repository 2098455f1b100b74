/*
 * Teamshape charts and table downloads.
 *
 * The layout loads this script alone, deferred, with the content-hashed URL of
 * Teamshape's ECharts build (web/echarts/entry.js, built by
 * scripts/build-echarts.sh: only the chart types and components the pages use,
 * exposing window.echarts.init and getInstanceByDom) in data-echarts:
 *   <script src="{{asset "js/charts.js"}}"
 *           data-echarts="{{asset "vendor/echarts/echarts.custom.min.js"}}" defer></script>
 *
 * ECharts (584 kB, a long task to evaluate on a phone) is loaded only when a
 * chart comes within 200px of the viewport, and each chart is drawn then, in a
 * task of its own: charts below the first screen cost nothing until the reader
 * scrolls to them. After the page's load event ECharts is prefetched at idle
 * time (downloaded, not run), so that scrolling to a chart does not wait for
 * the network. Everything that takes room (the chart's height, its download
 * button) is laid out at once, so a chart drawn later moves nothing.
 *
 * Charts: <div class="chart" data-chart="{{.Option}}"
 *              data-chart-title="Team heatmap" data-chart-height="420"></div>
 *   data-chart        ECharts option as JSON (built server-side by internal/chart;
 *                     parsed with JSON.parse, never evaluated)
 *   data-chart-title  optional; adds a "Download PNG" button and an aria-label
 *   data-chart-height optional height in px (else the element's CSS height,
 *                     else 360px)
 * A chart may sit in <div class="chart-scroll"> (a wide chart that scrolls
 * sideways on a phone): its download button goes after that box.
 * After setOption the element gets data-chart-ready="1" (or "error").
 *   data-chart-cell-href  optional, with data-chart-rows and data-chart-cols (JSON
 *                     arrays): a click on a cell whose value is [col, row, ...] opens
 *                     the URL with {row} and {col} replaced by those entries
 *                     (URI-encoded); the heatmap's cells open a person's rating of a
 *                     competency. The same links are in the chart's table for
 *                     keyboards and screen readers.
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

  // The ECharts build's URL, from this script's data-echarts attribute.
  var echartsURL = (document.currentScript && document.currentScript.getAttribute('data-echarts')) || '';
  var echartsScript = null; // the <script> loading ECharts, once asked for
  var waiting = [];         // charts to draw once ECharts has loaded

  // withECharts calls draw(el) once ECharts is there, loading it if needed;
  // each chart is drawn in a task of its own.
  function withECharts(el) {
    if (typeof window.echarts !== 'undefined') {
      setTimeout(function () { draw(el); }, 0);
      return;
    }
    waiting.push(el);
    if (echartsScript) { return; }
    echartsScript = document.createElement('script');
    echartsScript.src = echartsURL;
    echartsScript.async = true;
    echartsScript.addEventListener('load', function () {
      var els = waiting;
      waiting = [];
      els.forEach(withECharts);
    });
    echartsScript.addEventListener('error', function () {
      waiting.forEach(function (e) { e.dataset.chartReady = 'error'; });
      waiting = [];
    });
    document.head.appendChild(echartsScript);
  }

  // prepare lays a chart out at once (height, label, download button), and
  // has it drawn when it comes near the viewport.
  function prepare(el) {
    if (el.dataset.chartPrepared === '1') { return; }
    el.dataset.chartPrepared = '1';
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
    if (title) {
      var bar = actionsBar('chart-actions-png');
      var btn = makeButton('Download PNG', 'chart-download chart-download-png');
      btn.addEventListener('click', function () {
        var chart = window.echarts && window.echarts.getInstanceByDom(el);
        if (!chart) { return; } // not drawn yet
        var url = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
        downloadBlob(dataURLToBlob(url), safeFilename(title, 'png'));
      });
      bar.appendChild(btn);
      (el.closest('.chart-scroll') || el).insertAdjacentElement('afterend', bar);
    }

    if (nearViewport) {
      nearViewport.observe(el);
    } else {
      withECharts(el);
    }
  }

  // nearViewport starts drawing a chart when it comes within 200px of the viewport.
  var nearViewport = typeof IntersectionObserver === 'function' ? new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      if (e.isIntersecting) {
        nearViewport.unobserve(e.target);
        withECharts(e.target);
      }
    });
  }, { rootMargin: '0px 0px 200px 0px' }) : null;

  // linkCells makes a chart's cells links (data-chart-cell-href, see above).
  function linkCells(el, chart) {
    var href = el.getAttribute('data-chart-cell-href');
    if (!href) { return; }
    var rows, cols;
    try {
      rows = JSON.parse(el.getAttribute('data-chart-rows') || '[]');
      cols = JSON.parse(el.getAttribute('data-chart-cols') || '[]');
    } catch (e) {
      return;
    }
    chart.on('click', function (p) {
      var v = p && p.value;
      if (!Array.isArray(v) || rows[v[1]] === undefined || cols[v[0]] === undefined) { return; }
      window.location.assign(href
        .replace('{row}', encodeURIComponent(rows[v[1]]))
        .replace('{col}', encodeURIComponent(cols[v[0]])));
    });
  }

  // draw renders a prepared chart with ECharts.
  function draw(el) {
    if (el.dataset.chartReady === '1') {
      return;
    }
    var option;
    try {
      option = JSON.parse(el.getAttribute('data-chart'));
    } catch (e) {
      el.dataset.chartReady = 'error';
      return;
    }
    if (!option || typeof option !== 'object') {
      el.dataset.chartReady = 'error';
      return;
    }

    var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { renderer: 'canvas' });
    try {
      chart.setOption(option, true);
    } catch (e) {
      el.dataset.chartReady = 'error';
      return;
    }
    instances.push(chart);
    linkCells(el, chart);

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
  }

  // prefetch downloads ECharts at idle time after the page's load event (if no
  // chart has asked for it yet), so that it is cached when one does.
  function prefetch() {
    if (echartsScript || !echartsURL || !document.querySelector('[data-chart]')) { return; }
    var link = document.createElement('link');
    link.rel = 'prefetch';
    link.as = 'script';
    link.href = echartsURL;
    document.head.appendChild(link);
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
    Array.prototype.forEach.call(scope.querySelectorAll('[data-chart]'), prepare);
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
  window.addEventListener('load', function () {
    (window.requestIdleCallback || setTimeout)(prefetch);
  });
}());
