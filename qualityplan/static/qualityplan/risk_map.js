// Open quality risks by city/county on the Hainan map (/risk/): ECharts, data from the page's json_script.
(function () {
  const source = document.getElementById("risk-map-data");
  const el = document.getElementById("risk-map");
  if (!source || !el || typeof echarts === "undefined") return;
  const rows = JSON.parse(source.textContent);
  const esc = echarts.format.encodeHTML;
  const byName = Object.fromEntries(rows.map(r => [r.name, r]));
  const chart = echarts.init(el);
  fetch(el.dataset.geo).then(r => r.json()).then(geo => {
    echarts.registerMap("hainan", geo);
    chart.setOption({
      tooltip: {trigger: "item", formatter: p => {
        const r = byName[p.name];
        if (!r) return esc(p.name);
        const levels = Object.entries(r.levels).map(([level, n]) => esc(level) + " " + n).join(" · ");
        return esc(r.name) + "：" + esc(el.dataset.labelOpen) + " " + r.value + (levels ? "（" + levels + "）" : "");
      }},
      visualMap: {min: 0, max: Math.max(1, ...rows.map(r => r.value)), calculable: true, left: 10, bottom: 10,
                  inRange: {color: ["#f4f4f4", "#f4d03f", "#c0392b"]}},
      geo: {map: "hainan", roam: true, boundingCoords: [[108.55, 20.2], [111.1, 18.1]], silent: true, itemStyle: {areaColor: "#eee"}},
      series: [{id: "risks", type: "map", map: "hainan", geoIndex: 0, data: rows.map(r => ({name: r.name, value: r.value}))}]
    });
    el.dataset.ready = "1";
  }).catch(err => { el.textContent = el.dataset.labelMapMissing + err; });
  window.addEventListener("resize", () => chart.resize());
})();
