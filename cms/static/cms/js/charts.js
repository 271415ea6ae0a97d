/* Draws the statistics page's charts with Apache ECharts (vendored, no CDN).
   Each chart is a <div data-chart="ID"> whose data is the JSON in <script id="ID">;
   the same numbers are printed in the table that follows it. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") return;
  var palette = ["#b3121a", "#1f5fa8", "#d98c1f", "#2e8b57", "#7a4fa3", "#4a90a4", "#c0504d", "#8c6d31"];

  function option(data) {
    var unit = data.unit ? " " + data.unit : "";
    var tooltipFormat = function (p) { return p.name + "：" + p.value + unit; };
    if (data.type === "pie") {
      return {
        color: palette,
        tooltip: { trigger: "item", formatter: tooltipFormat },
        legend: { bottom: 0, type: "scroll" },
        series: [{
          name: data.name, type: "pie", radius: ["38%", "68%"], center: ["50%", "45%"],
          label: { formatter: "{b}\n{c}" + unit },
          data: data.categories.map(function (c, i) { return { name: c, value: data.values[i] }; })
        }]
      };
    }
    var horizontal = data.type === "bar" && data.categories.length > 8;
    var categoryAxis = { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: horizontal ? 0 : (data.categories.length > 5 ? 30 : 0) } };
    var valueAxis = { type: "value", minInterval: 1, name: data.unit };
    if (horizontal) categoryAxis.inverse = true;
    return {
      color: palette,
      grid: { left: horizontal ? 150 : 48, right: 24, top: 32, bottom: 60, containLabel: !horizontal },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + unit; } },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: [{
        name: data.name, type: data.type, data: data.values, smooth: false,
        areaStyle: data.type === "line" ? { opacity: 0.12 } : undefined,
        label: { show: data.type === "bar", position: horizontal ? "right" : "top" },
        barMaxWidth: 36
      }]
    };
  }

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) return;
    var data = JSON.parse(source.textContent);
    if (data.type === "bar" && data.categories.length > 8) {
      el.style.height = Math.max(320, data.categories.length * 28 + 80) + "px";
    }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option(data));
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
