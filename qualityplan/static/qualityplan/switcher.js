// Selects marked data-autosubmit (the shared year/plan switcher) submit their form when changed.
document.addEventListener("change", function (event) {
  const el = event.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) {
    el.form.submit();
  }
});
