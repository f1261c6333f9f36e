// Public target page: the Hainan map of the regions' values. The same data is in the table below (text alternative).
(function () {
  const el = document.getElementById("target-map");
  const source = document.getElementById("map-data");
  if (!el || !source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const colours = {met: "#1d6b2f", on_track: "#0b4f9c", at_risk: "#c77700", missed: "#a31515", no_data: "#9aa0a6"};
  const chart = echarts.init(el);
  fetch(el.dataset.geo).then(r => r.json()).then(geo => {
    echarts.registerMap("hainan", geo);
    chart.setOption({
      aria: {enabled: true},
      tooltip: {trigger: "item", formatter: p => p.name + (p.data && p.data.label ? "：" + p.data.label : "")},
      series: [{type: "map", map: "hainan", roam: true, boundingCoords: [[108.55, 20.2], [111.1, 18.1]],
        itemStyle: {areaColor: "#eef0f3", borderColor: "#6b6f75"},
        data: data.regions.map(r => ({name: r.name, label: (r.value === null ? "—" : r.value) + " · " + r.status_label,
          itemStyle: {areaColor: colours[r.status] || colours.no_data}}))}]
    });
    el.dataset.ready = "1";
  }).catch(() => { el.hidden = true; });
  window.addEventListener("resize", () => chart.resize());
})();
