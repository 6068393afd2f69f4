/* Drents ontwikkelfonds: the only script of the site (CSP: script-src 'self', no inline script).
   After a failed submit, move the focus to the error summary (GOV.UK / NL Design System pattern),
   so a screen reader reads what went wrong and a keyboard user can follow the links to the fields. */
(function () {
  var summary = document.querySelector(".fund-error-summary");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }
})();

/* "Kies alle": a checkbox that ticks every box of its table (finance: approve many at once).
   Without script the boxes still work one by one; the control is hidden until this runs. */
(function () {
  var boxes = document.querySelectorAll("[data-fund-check-all]");
  Array.prototype.forEach.call(boxes, function (all) {
    var name = all.getAttribute("data-fund-check-all");
    var wrapper = all.closest(".fund-check-all");
    if (wrapper) { wrapper.hidden = false; }
    all.addEventListener("change", function () {
      var targets = document.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
      Array.prototype.forEach.call(targets, function (box) { box.checked = all.checked; });
    });
  });
})();
