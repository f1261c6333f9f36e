// The indicator dashboard (/indicators/): ECharts bar, trend and map from the page's json_script data.
(function () {
  const source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  // translated labels come from data-label-* attributes of #chart-trend / #chart-map (escaped by the template)
  const labels = Object.assign({}, document.getElementById("chart-trend").dataset, document.getElementById("chart-map").dataset);
  labels.province = labels.labelProvince; labels.target = labels.labelTarget;
  labels.noData = labels.labelNoData; labels.mapMissing = labels.labelMapMissing;
  const colours = {met: "#2e8b57", on_track: "#1f4e8c", at_risk: "#d68910", missed: "#c0392b", no_data: "#9aa5b1"};
  const groups = echarts.init(document.getElementById("chart-groups"));
  groups.setOption({
    tooltip: {trigger: "axis"}, legend: {top: 0}, grid: {left: 40, right: 10, top: 40, bottom: 30},
    xAxis: {type: "category", data: data.groups}, yAxis: {type: "value", minInterval: 1},
    series: data.series.map(s => ({name: s.name, type: "bar", stack: "s", data: s.data, itemStyle: {color: colours[s.status]}}))
  });
  const trend = echarts.init(document.getElementById("chart-trend"));
  const series = [{name: labels.province, type: "line", data: data.trend.map(r => r.province === null ? null : +r.province.toFixed(2)),
                   markLine: data.target_value !== null && data.indicator !== "T16" ? {data: [{yAxis: data.target_value, name: labels.target}], symbol: "none"} : undefined}];
  if (data.unit_name) series.push({name: data.unit_name, type: "line", data: data.trend.map(r => r.unit === null ? null : +r.unit.toFixed(2))});
  trend.setOption({tooltip: {trigger: "axis"}, legend: {top: 0}, grid: {left: 50, right: 20, top: 40, bottom: 30},
    xAxis: {type: "category", data: data.trend.map(r => r.period)}, yAxis: {type: "value", scale: true}, series: series});
  const el = document.getElementById("chart-map");
  const map = echarts.init(el);
  fetch(el.dataset.geo).then(r => r.json()).then(geo => {
    echarts.registerMap("hainan", geo);
    const regions = data.map.filter(d => !d.yangpu);
    const yangpu = data.map.find(d => d.yangpu);
    const values = regions.map(d => d.value).filter(v => v !== null);
    map.setOption({
      tooltip: {trigger: "item", formatter: p => p.name + (p.value === undefined || isNaN(p.value) ? labels.noData : "：" + (Array.isArray(p.value) ? p.value[2] : p.value))},
      visualMap: {min: values.length ? Math.min(...values) : 0, max: values.length ? Math.max(...values) : 100, calculable: true,
                  inRange: {color: ["#c0392b", "#f4d03f", "#2e8b57"]}, left: 10, bottom: 10, seriesIndex: [0, 2]},
      // main view: Hainan Island; inset (bottom right): the whole province with 三沙市 (South China Sea islands)
      geo: [{map: "hainan", roam: true, boundingCoords: [[108.55, 20.2], [111.1, 18.1]], top: 10, bottom: 10, left: 60, right: 180,
             silent: true, itemStyle: {areaColor: "#eee"}},
            {map: "hainan", right: 10, bottom: 10, width: 150, height: 200, silent: true, itemStyle: {areaColor: "#f4f4f4", borderColor: "#bbb"}}],
      series: [
        {id: "regions", name: data.indicator, type: "map", map: "hainan", geoIndex: 0,
         data: regions.map(d => ({name: d.name, value: d.value === null ? NaN : d.value, status: d.status}))},
        {id: "yangpu", name: "洋浦经济开发区", type: "scatter", coordinateSystem: "geo", symbolSize: 14,
         itemStyle: {color: colours[yangpu ? yangpu.status : "no_data"], borderColor: "#fff", borderWidth: 2},
         label: {show: true, formatter: "洋浦", position: "right"},
         data: yangpu ? [{name: yangpu.name, value: [...data.yangpu, yangpu.value]}] : []},
        {id: "inset", name: data.indicator, type: "map", map: "hainan", geoIndex: 1,
         data: regions.filter(d => d.name === "三沙市").map(d => ({name: d.name, value: d.value === null ? NaN : d.value}))}
      ]
    });
    el.dataset.ready = "1";
  }).catch(err => { el.textContent = labels.mapMissing + err; });
  window.addEventListener("resize", () => { groups.resize(); trend.resize(); map.resize(); });
})();
