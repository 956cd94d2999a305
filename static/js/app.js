// Page behaviour the templates cannot express without inline script (the CSP forbids it).
(function () {
  "use strict";

  // After a failed submit the error summary takes the keyboard focus, so that a keyboard or
  // screen-reader user lands on the list of what to correct; each entry links to its field.
  function focusErrorSummary(root) {
    var summary = root.querySelector ? root.querySelector("[data-error-summary]") : null;
    if (!summary && root.matches && root.matches("[data-error-summary]")) summary = root;
    if (summary) summary.focus();
  }

  // A link in the error summary moves focus to the control itself, not just scrolls to it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var control = document.getElementById(link.getAttribute("href").slice(1));
    if (control) {
      event.preventDefault();
      control.focus();
      control.scrollIntoView({ block: "center" });
    }
  });

  document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); });
  document.addEventListener("htmx:afterSettle", function (event) {
    focusErrorSummary(event.detail.elt || document);
  });
})();
