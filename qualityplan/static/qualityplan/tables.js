/* Long tables (issue 13): click a header to sort, type to filter the rows shown, export what is shown as CSV.
   Applies to every table.table with a <thead> and at least MIN_ROWS body rows, except tables marked data-plain.
   Labels come from #table-i18n (translated in the template); no inline script (CSP script-src 'self'). */
(function () {
  "use strict";
  var MIN_ROWS = 10;

  function labels() {
    var el = document.getElementById("table-i18n");
    return el ? el.dataset : { filter: "Filter", export: "CSV", shown: "" };
  }

  function cellText(row, i) {
    var c = row.cells[i];
    return c ? c.innerText.trim() : "";
  }

  function compare(a, b) {
    var na = parseFloat(a.replace(/[,%\s]/g, "")), nb = parseFloat(b.replace(/[,%\s]/g, ""));
    if (!isNaN(na) && !isNaN(nb) && /^[-+]?[\d,.]+%?$/.test(a.replace(/\s/g, "")) && /^[-+]?[\d,.]+%?$/.test(b.replace(/\s/g, ""))) {
      return na - nb;
    }
    return a.localeCompare(b, "zh-Hans-CN", { numeric: true });
  }

  function simple(table) {  // one header row, no spanning cells in the body: safe to sort and export
    if (!table.tHead || table.tHead.rows.length !== 1 || !table.tBodies.length) return false;
    return !table.querySelector("tbody td[rowspan], tbody td[colspan]:not(:only-child)");
  }

  function csvEscape(s) {
    return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function exportCsv(table) {
    var lines = [];
    var head = Array.prototype.map.call(table.tHead.rows[0].cells, function (c) { return csvEscape(c.innerText.trim()); });
    lines.push(head.join(","));
    Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
      if (r.hidden) return;
      lines.push(Array.prototype.map.call(r.cells, function (c) { return csvEscape(c.innerText.trim()); }).join(","));
    });
    var blob = new Blob(["\ufeff" + lines.join("\r\n")], { type: "text/csv;charset=utf-8" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = (document.title.split("·")[0].trim() || "table") + ".csv";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  }

  function enhance(table, t) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    if (rows.length < MIN_ROWS || table.dataset.plain !== undefined || !simple(table)) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      if (!th.innerText.trim()) return;
      th.classList.add("sortable");
      th.setAttribute("aria-sort", "none");
      th.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) { if (o.classList.contains("sortable")) o.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        rows.slice().sort(function (a, b) { var r = compare(cellText(a, i), cellText(b, i)); return asc ? r : -r; })
          .forEach(function (r) { body.appendChild(r); });
      });
    });
    var tools = document.createElement("div");
    tools.className = "table-tools";
    var filter = document.createElement("input");
    filter.type = "search";
    filter.placeholder = t.filter;
    filter.setAttribute("aria-label", t.filter);
    var count = document.createElement("span");
    count.className = "muted";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "table-export";
    button.textContent = t.export;
    button.addEventListener("click", function () { exportCsv(table); });
    filter.addEventListener("input", function () {
      var q = filter.value.trim().toLowerCase(), shown = 0;
      rows.forEach(function (r) { r.hidden = q !== "" && r.innerText.toLowerCase().indexOf(q) < 0; if (!r.hidden) shown++; });
      count.textContent = q ? (t.shown || "").replace("%s", shown) : "";
    });
    tools.appendChild(count);
    tools.appendChild(filter);
    tools.appendChild(button);
    var anchor = table.closest(".table-wrap") || table;
    anchor.parentNode.insertBefore(tools, anchor);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var t = labels();
    Array.prototype.forEach.call(document.querySelectorAll("table.table"), function (table) { enhance(table, t); });
  });
})();
