// Draws the incubation board's charts with the vendored ECharts; the same numbers
// are in the tables under each chart.
(function () {
  "use strict";
  var source = document.getElementById("board-data");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);

  function bar(labels, series) {
    return {
      tooltip: { trigger: "axis" },
      legend: series.length > 1 ? {} : undefined,
      grid: { left: 40, right: 20, top: series.length > 1 ? 40 : 20, bottom: 30 },
      xAxis: { type: "category", data: labels },
      yAxis: { type: "value", minInterval: 1 },
      series: series.map(function (s) {
        return { type: "bar", name: s.name, data: s.values, label: { show: true, position: "top" } };
      }),
    };
  }

  var options = {
    stages: bar(data.stages.labels, [{ name: "", values: data.stages.values }]),
    graduations: bar(data.graduations.labels, [{ name: "", values: data.graduations.values }]),
    activities: bar(data.activities.years, data.activities.series),
  };
  document.querySelectorAll(".incubator-chart").forEach(function (node) {
    var option = options[node.dataset.chart];
    if (option) {
      var chart = echarts.init(node);
      chart.setOption(option);
      window.addEventListener("resize", function () { chart.resize(); });
    }
  });
})();
