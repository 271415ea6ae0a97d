// Draws the roll-up bar chart from the JSON the page carries (same numbers as the table).
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("rollup-chart");
  var data = document.getElementById("rollup-chart-data");
  if (!holder || !data || typeof echarts === "undefined") return;
  var chart = JSON.parse(data.textContent);
  var plot = echarts.init(holder);
  plot.setOption({
    tooltip: { trigger: "axis" },
    grid: { left: 60, right: 20, bottom: 100 },
    xAxis: { type: "category", data: chart.labels, axisLabel: { rotate: 30 } },
    yAxis: { type: "value" },
    series: [{ type: "bar", name: chart.title, data: chart.values }],
  });
  window.addEventListener("resize", function () { plot.resize(); });
});
