/* Drents ontwikkelfonds: the only script of the site (CSP: script-src 'self', no inline script).
   After a failed submit, move the focus to the error summary (GOV.UK / NL Design System pattern),
   so a screen reader reads what went wrong and a keyboard user can follow the links to the fields. */
(function () {
  var summary = document.querySelector(".fund-error-summary");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }
})();
