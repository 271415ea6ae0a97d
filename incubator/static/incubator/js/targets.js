// Draws each target's trend by year (line) against its threshold (dashed) with the
// vendored ECharts; the same numbers are in the table under each chart.
(function () {
  "use strict";
  var source = document.getElementById("targets-data");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  document.querySelectorAll(".incubator-chart").forEach(function (node) {
    var t = data[node.dataset.chart];
    if (!t) {
      return;
    }
    var chart = echarts.init(node);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [t.value_label, t.threshold_label] },
      grid: { left: 40, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: t.years },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [
        { type: "line", name: t.value_label, data: t.values, label: { show: true }, connectNulls: false },
        {
          type: "line",
          name: t.threshold_label,
          data: t.years.map(function () { return t.threshold; }),
          lineStyle: { type: "dashed" },
          symbol: "none",
        },
      ],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
