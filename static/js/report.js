// The pattern report's print button, and its tables opened for paper. The charts are drawn
// on the server (journal/report/charts.py); every one has a table with the same numbers.
(function () {
  "use strict";

  // Printing: charts take the paper's width, and the breakdowns print as their tables.
  var reopened = [];
  function beforePrint() {
    document.querySelectorAll("main details.ll-numbers:not([open])").forEach(function (details) {
      details.open = true;
      reopened.push(details);
    });
  }
  function afterPrint() {
    reopened.forEach(function (details) { details.open = false; });
    reopened = [];
  }
  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
  if (window.matchMedia) {
    var printing = window.matchMedia("print");
    var onChange = function (event) { if (event.matches) { beforePrint(); } else { afterPrint(); } };
    if (printing.addEventListener) { printing.addEventListener("change", onChange); }
  }

  // The dog and the period at the foot of every printed page. Margin boxes take only fixed
  // text, so the rule is written here from the page's own footer line (CSSOM, not inline CSS).
  var footer = document.querySelector(".ll-print-footer");
  var sheet = Array.prototype.find.call(document.styleSheets, function (candidate) {
    return candidate.href && candidate.href.indexOf("/report") !== -1;
  });
  function quoted(text) { return "\"" + text.replace(/\\/g, "\\\\").replace(/"/g, "\\\"") + "\""; }
  if (footer && sheet) {
    try {
      sheet.insertRule("@page { @bottom-left { content: " + quoted(footer.textContent.trim()) + "; font-family: var(--bs-font-sans-serif); font-size: 8pt; color: #555; } }", sheet.cssRules.length);
      document.documentElement.classList.add("ll-has-page-footer");
    } catch (e) { /* the fixed footer line stays */ }
  }
  // The page numbers in the reader's language (report.css says them in English without scripts).
  if (sheet) {
    // Without the words' catalogue (a page kept offline), the English of report.css.
    var pageOf = "Page %(page)s of %(pages)s";
    if (typeof gettext === "function") {
      // Translators: at the foot of each printed page of the report.
      pageOf = gettext("Page %(page)s of %(pages)s");
    }
    var numbers = pageOf.split(/(%\(pages?\)s)/).filter(Boolean).map(function (part) {
      return part === "%(page)s" ? "counter(page)" : part === "%(pages)s" ? "counter(pages)" : quoted(part);
    }).join(" ");
    try {
      sheet.insertRule("@page { @bottom-right { content: " + numbers + "; } }", sheet.cssRules.length);
    } catch (e) { /* the English numbers stay */ }
  }

  document.querySelectorAll("[data-report-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

})();
