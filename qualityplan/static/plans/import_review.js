// Plan import review: hovering an extracted item highlights and scrolls to its source text.
document.querySelectorAll("[data-src]").forEach(function (row) {
  row.addEventListener("mouseenter", function () {
    var mark = document.getElementById(row.dataset.src);
    document.querySelectorAll("mark.focus").forEach(function (m) { m.classList.remove("focus"); });
    if (mark) { mark.classList.add("focus"); mark.scrollIntoView({block: "nearest"}); }
  });
});
