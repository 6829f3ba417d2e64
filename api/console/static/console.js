/* Tokenwatch console: draws the charts whose data each page embeds as JSON
   (<script type="application/json">), and wires the "this is wrong" buttons.
   No inline script anywhere (CSP script-src 'self'); crawled text is escaped
   with echarts.format.encodeHTML before it enters a tooltip. */
(function () {
  "use strict";

  var ZH_UNITS = [[1e12, "万亿"], [1e8, "亿"], [1e4, "万"]];
  var EN_UNITS = [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "K"]];

  function lang() { return document.body.dataset.lang || "en"; }
  function esc(s) { return echarts.format.encodeHTML(s == null ? "" : String(s)); }
  function num(v) { return String(Number(v.toPrecision(3))); }
  function volume(v) {
    if (v == null) { return ""; }
    var units = lang() === "zh" ? ZH_UNITS : EN_UNITS;
    for (var i = 0; i < units.length; i++) {
      if (Math.abs(v) >= units[i][0]) { return num(v / units[i][0]) + units[i][1]; }
    }
    return num(v);
  }
  function articleLink(id, text) {
    return '<a href="/console/articles/' + encodeURIComponent(id) + '">' + esc(text || id) + "</a>";
  }
  /* a time axis padded by a day (or 3% of the range) on both sides: a point at either end
     (or a single point) is drawn whole inside the grid, not cut by its edge */
  function timeAxis() {
    function pad(v) { return Math.max(86400000, (v.max - v.min) * 0.03); }
    return { type: "time", minInterval: 86400000,
             min: function (v) { return v.min - pad(v); },
             max: function (v) { return v.max + pad(v); },
             axisLabel: { formatter: "{yyyy}-{MM}-{dd}", hideOverlap: true } };
  }
  function dataOf(el) {
    var s = document.getElementById(el.dataset.source);
    return s ? JSON.parse(s.textContent) : null;
  }

  function volumeChart(el, d, chart) {
    var pts = d.points || [];
    chart.setOption({
      grid: { left: 70, right: 30, top: 20, bottom: 40 },
      xAxis: timeAxis(),
      yAxis: { type: "value", axisLabel: { formatter: volume } },
      tooltip: {
        trigger: "item", enterable: true, confine: true, className: "tip",
        formatter: function (p) {
          var x = pts[p.dataIndex];
          return "<b>" + esc(x.date) + "</b> " + esc(volume(x.value)) +
            '<div class="quote">' + esc(x.quote) + "</div>" +
            articleLink(x.article_id, x.article_title) +
            (x.source ? " · " + esc(x.source) : "");
        }
      },
      series: [{ type: "line", symbolSize: 9, data: pts.map(function (x) { return [x.date, x.value]; }) }]
    });
    chart.on("click", function (p) {
      var x = pts[p.dataIndex];
      if (x && x.article_id) { location.href = "/console/articles/" + encodeURIComponent(x.article_id); }
    });
    el.dataset.points = String(pts.length);
  }

  function heatChart(el, d, chart) {
    chart.setOption({
      grid: { left: 150, right: 20, top: 10, bottom: 60 },
      xAxis: { type: "category", data: d.weeks, splitArea: { show: true } },
      yAxis: { type: "category", data: d.labels },
      visualMap: { min: 0, max: Math.max(1, d.max), orient: "horizontal", left: "center",
                   bottom: 0, itemHeight: 80, calculable: false },
      tooltip: { formatter: function (p) {
        return esc(d.labels[p.value[1]]) + " · " + esc(d.weeks[p.value[0]]) + ": " + esc(p.value[2]);
      } },
      series: [{ type: "heatmap", data: d.cells }]
    });
    el.dataset.points = String(d.cells.length);
  }

  function seriesChart(el, d, chart) {
    var series = [];
    if (d.volumes.length) {
      series.push({ name: "tokens", type: "line", yAxisIndex: 0,
                    data: d.volumes.map(function (x) { return [x.date, x.value]; }) });
    }
    var bySide = {};
    d.prices.forEach(function (x) {
      var k = (x.side || "price") + " " + (x.currency || "");
      (bySide[k] = bySide[k] || []).push([x.date, x.value]);
    });
    Object.keys(bySide).forEach(function (k) {
      series.push({ name: k, type: "line", yAxisIndex: 1, data: bySide[k] });
    });
    series.push({ name: "mentions", type: "bar", yAxisIndex: 2,
                  data: d.mentions.map(function (x) { return [x.month, x.mentions]; }) });
    chart.setOption({
      legend: { top: 0 }, grid: { left: 70, right: 110, top: 30, bottom: 30 },
      tooltip: { trigger: "axis" }, xAxis: { type: "time" },
      yAxis: [{ type: "value", axisLabel: { formatter: volume } },
              { type: "value", position: "right" },
              { type: "value", position: "right", offset: 50, minInterval: 1 }],
      series: series
    });
    el.dataset.points = String(series.reduce(function (n, s) { return n + s.data.length; }, 0));
  }

  var LABELS = ["Company", "Agency", "Model", "Policy", "Article", "Observation", "RiskSignal", "Source",
                "company", "agency", "model", "policy"];

  function graphChart(el, d, chart) {
    var nodes = {}, edges = {};
    function add(g) {
      g.nodes.forEach(function (n) { if (!nodes[n.id]) { nodes[n.id] = n; } });
      g.edges.forEach(function (e) { edges[e.source + ">" + e.target + ">" + e.type] = e; });
    }
    function draw() {
      var list = Object.keys(nodes).map(function (id) {
        var n = nodes[id], cat = LABELS.indexOf(n.label) % 8;
        return { id: n.id, name: n.name, category: cat < 0 ? 0 : cat,
                 symbolSize: n.expandable ? 22 : 12, value: n.label, expandable: n.expandable };
      });
      chart.setOption({
        tooltip: { formatter: function (p) {
          return p.dataType === "edge" ? esc(p.data.type) : esc(p.data.name) + " · " + esc(p.data.value);
        } },
        legend: { data: LABELS.slice(0, 8), top: 0 },
        series: [{ type: "graph", layout: "force", roam: true, draggable: true,
                   force: { repulsion: 180, edgeLength: 90, layoutAnimation: false },
                   label: { show: true, position: "right", width: 220, overflow: "truncate" },
                   labelLayout: { hideOverlap: true },
                   categories: LABELS.slice(0, 8).map(function (l) { return { name: l }; }),
                   data: list,
                   links: Object.keys(edges).map(function (k) { return edges[k]; }) }]
      });
      el.dataset.nodes = String(list.length);
    }
    function filters() {
      var form = document.querySelector('[data-graph-filter="' + el.id + '"]');
      var params = new URLSearchParams();
      if (form) {
        new FormData(form).forEach(function (v, k) { if (v) { params.append(k, v); } });
      }
      return params.toString();
    }
    function fetchGraph(id, replace) {
      return fetch("/console/entities/" + encodeURIComponent(id) + "/graph.json?" + filters(),
                   { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (g) {
          if (!g) { return; }
          if (replace) { nodes = {}; edges = {}; }
          add(g); draw();
          el.dataset.expanded = (el.dataset.expanded ? el.dataset.expanded + " " : "") + id;
        });
    }
    add(d); draw();
    chart.on("click", function (p) {
      if (p.dataType !== "node") { return; }
      if (p.data.expandable) { fetchGraph(p.data.id, false); }
      else if (p.data.value === "Article") { location.href = "/console/articles/" + encodeURIComponent(p.data.id); }
    });
    var form = document.querySelector('[data-graph-filter="' + el.id + '"]');
    if (form) {
      form.addEventListener("change", function () { fetchGraph(el.dataset.entity, true); });
      form.addEventListener("submit", function (e) { e.preventDefault(); });
    }
  }

  function compareChart(el, d, chart) {
    var fmt = d.kind === "token_volume" ? volume : function (v) { return String(Number(v.toPrecision(4))); };
    chart.setOption({
      legend: { top: 0 }, grid: { left: 70, right: 30, top: 30, bottom: 30 },
      xAxis: timeAxis(),
      yAxis: { type: "value", axisLabel: { formatter: fmt } },
      tooltip: {
        trigger: "item", enterable: true, confine: true, className: "tip",
        formatter: function (p) {
          var x = d.series[p.seriesIndex].points[p.dataIndex];
          return "<b>" + esc(p.seriesName) + " · " + esc(x.date) + "</b> " + esc(fmt(x.value)) +
            '<div class="quote">' + esc(x.quote) + "</div>" + articleLink(x.article_id, x.article_title) +
            (x.source ? " · " + esc(x.source) : "");
        }
      },
      series: d.series.map(function (s) {
        return { name: s.name, type: "line", symbolSize: 8,
                 data: s.points.map(function (x) { return [x.date, x.value]; }) };
      })
    });
    el.dataset.points = String(d.series.reduce(function (n, s) { return n + s.points.length; }, 0));
  }

  var CHARTS = { compare: compareChart, volume: volumeChart, heat: heatChart, series: seriesChart, graph: graphChart };

  function init(root) {
    if (typeof echarts === "undefined") { return; }
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.ready) { return; }
      var d = dataOf(el), draw = CHARTS[el.dataset.chart];
      if (!d || !draw) { return; }
      var chart = echarts.init(el);
      // no entry animation: a line "grows" from the left for a second, so the page (and its
      // screenshot) would show the right-hand points late
      chart.setOption({ animation: false });
      draw(el, d, chart);
      el.dataset.ready = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  function wireCorrections() {
    var form = document.getElementById("correction-form");
    if (!form) { return; }
    function fill(src) {
      form.elements.target.value = src.dataset.target || src.dataset.ref || "";
      form.elements.start.value = src.dataset.start || "";
      form.elements.end.value = src.dataset.end || "";
      form.elements.kind.value = src.dataset.kind === "metric" ? "wrong_value" : "wrong_subject";
      form.scrollIntoView({ block: "center" });
      form.elements.kind.focus();
    }
    document.querySelectorAll("button.wrong, #article-text mark").forEach(function (b) {
      b.addEventListener("click", function (e) { e.stopPropagation(); fill(b); });
    });
  }

  /* the rule editor shows the fieldset of the chosen kind only (the server reads only its
     fields, `<type>.<field>`, so the others may stay in the form) */
  function wireRuleForms(root) {
    root.querySelectorAll("select[data-rule-type-select]").forEach(function (select) {
      if (select.dataset.wired) { return; }
      select.dataset.wired = "1";
      function show() {
        select.form.querySelectorAll("fieldset[data-rule-type]").forEach(function (fs) {
          fs.hidden = fs.dataset.ruleType !== select.value;
        });
      }
      select.addEventListener("change", show);
      show();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document); wireCorrections(); wireRuleForms(document);
  });
  document.addEventListener("htmx:afterSwap", function (e) { init(e.target); wireRuleForms(document); });
})();
