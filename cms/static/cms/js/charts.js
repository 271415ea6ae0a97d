/* Draws the statistics page's charts with Apache ECharts (vendored, no CDN).
   Each chart is a <div data-chart="ID"> whose data is the JSON in <script id="ID">;
   the same numbers are printed in the table that follows it (the chart's
   aria-describedby). Labels are at least 14 px (more in 大字版: they follow the
   page's root font size), dark grey (#555 or darker) and wrap onto a second line
   instead of being cut. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") return;
  var palette = ["#b3121a", "#1f5fa8", "#d98c1f", "#2e8b57", "#7a4fa3", "#4a90a4", "#c0504d", "#8c6d31"];
  var TEXT = "#444";
  var AXIS = "#555";

  function fontSize() {
    var root = parseFloat(window.getComputedStyle(document.documentElement).fontSize) || 16;
    return Math.max(14, Math.round(root * 0.875));
  }

  function option(data, el) {
    var size = fontSize();
    var text = { fontSize: size, color: TEXT };
    var unit = data.unit ? " " + data.unit : "";
    var tooltipFormat = function (p) { return p.name + "：" + p.value + unit; };
    if (data.type === "pie") {
      return {
        color: palette,
        textStyle: text,
        tooltip: { trigger: "item", formatter: tooltipFormat, textStyle: { fontSize: size } },
        // On a phone the labels name every slice; a legend there would scroll.
        legend: { show: el.clientWidth > 480, bottom: 0, type: "scroll", textStyle: text, pageTextStyle: text },
        series: [{
          name: data.name, type: "pie", radius: ["34%", "60%"], center: ["50%", "44%"],
          // Labels kept inside the chart's box (alignTo "edge"), wrapping when long.
          label: { formatter: "{b}\n{c}" + unit, fontSize: size, color: TEXT, overflow: "break",
                   width: Math.max(56, el.clientWidth * 0.22), alignTo: "edge", edgeDistance: 6,
                   lineHeight: Math.round(size * 1.25) },
          labelLine: { length: 8, length2: 0 },
          labelLayout: { hideOverlap: false },
          data: data.categories.map(function (c, i) { return { name: c, value: data.values[i] }; })
        }]
      };
    }
    var n = Math.max(1, data.categories.length);
    var horizontal = data.type === "bar" && n > 8;
    var width = el.clientWidth || 600;
    var labelWidth = horizontal
      ? Math.min(size * 9, width * 0.4)
      : Math.max(size * 3, (width - 80) / n - 6);
    var axisLabel = { fontSize: size, color: AXIS, overflow: "break", width: labelWidth, lineHeight: Math.round(size * 1.3) };
    if (data.type === "line") {
      axisLabel = { fontSize: size, color: AXIS, hideOverlap: true };
    } else {
      axisLabel.interval = 0;
    }
    var categoryAxis = {
      type: "category", data: data.categories, axisLabel: axisLabel,
      axisLine: { lineStyle: { color: AXIS } }, axisTick: { lineStyle: { color: AXIS } }
    };
    var valueAxis = {
      type: "value", minInterval: 1, name: data.unit,
      nameTextStyle: { fontSize: size, color: AXIS },
      axisLabel: { fontSize: size, color: AXIS, hideOverlap: true }
    };
    if (horizontal) categoryAxis.inverse = true;
    return {
      color: palette,
      textStyle: text,
      grid: { left: 12, right: horizontal ? size * 4 : 24, top: size * 2.5, bottom: 12, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + unit; }, textStyle: { fontSize: size } },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: [{
        name: data.name, type: data.type, data: data.values, smooth: false,
        areaStyle: data.type === "line" ? { opacity: 0.12 } : undefined,
        label: { show: data.type === "bar", position: horizontal ? "right" : "top", fontSize: size, color: TEXT },
        barMaxWidth: 36
      }]
    };
  }

  var charts = [];
  function draw() {
    charts.forEach(function (entry) {
      var el = entry.el, data = entry.data;
      if (data.type === "bar" && data.categories.length > 8) {
        el.style.height = Math.max(320, data.categories.length * fontSize() * 2.6 + 80) + "px";
      }
      entry.chart.resize();
      entry.chart.setOption(option(data, el), true);
    });
  }
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) return;
    var data = JSON.parse(source.textContent);
    charts.push({ el: el, data: data, chart: echarts.init(el, null, { renderer: "svg" }) });
  });
  draw();
  window.addEventListener("resize", draw);
  window.addEventListener("cms:textsize", draw);
})();
