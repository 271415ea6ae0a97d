// Draws the roll-up bar chart from the JSON the page carries (same numbers as the table).
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("rollup-chart");
  var data = document.getElementById("rollup-chart-data");
  if (!holder || !data || typeof echarts === "undefined") return;
  var chart = JSON.parse(data.textContent);
  var series = [{ type: "bar", name: chart.actual_label, data: chart.values }];
  if (chart.targets) {
    series.push({ type: "bar", name: chart.target_label, data: chart.targets });
  }
  var plot = echarts.init(holder);
  plot.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 80, right: 20, bottom: 110 },
    xAxis: { type: "category", data: chart.labels, axisLabel: { rotate: 30 } },
    yAxis: { type: "value" },
    series: series,
  });
  window.addEventListener("resize", function () { plot.resize(); });
});
