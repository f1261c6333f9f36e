// Behaviour shared by every page. No inline scripts or on*= handlers anywhere (Content-Security-Policy:
// script-src 'self'): templates mark elements with data-* attributes and this file wires them up.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    // <select data-autosubmit>: submit the form on change (language, plan, year, filters)
    document.addEventListener("change", function (ev) {
      var el = ev.target;
      if (el && el.matches && el.matches("[data-autosubmit]") && el.form) el.form.submit();
    });
    // plan import review: hovering a row highlights its source passage (rows carry data-src="<mark id>")
    document.querySelectorAll("[data-src]").forEach(function (row) {
      row.addEventListener("mouseenter", function () {
        var mark = document.getElementById(row.dataset.src);
        document.querySelectorAll("mark.focus").forEach(function (m) { m.classList.remove("focus"); });
        if (mark) { mark.classList.add("focus"); mark.scrollIntoView({block: "nearest"}); }
      });
    });
  });
})();
