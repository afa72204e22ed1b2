// Light or dark, before the page is drawn: the owner's choice from settings (data-theme-choice),
// or the device's own setting when they chose to follow it. Paper is always light.
(function () {
  "use strict";
  var root = document.documentElement;
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var print = window.matchMedia ? window.matchMedia("print") : null;
  var printing = false;

  function wanted() {
    if (printing) { return "light"; }
    var choice = root.getAttribute("data-theme-choice") || "system";
    if (choice === "light" || choice === "dark") { return choice; }
    return dark && dark.matches ? "dark" : "light";
  }

  function apply() {
    root.setAttribute("data-bs-theme", wanted());
    document.dispatchEvent(new CustomEvent("leanlog:theme"));
  }

  function listen(query, handler) {
    if (!query) { return; }
    if (query.addEventListener) { query.addEventListener("change", handler); } else { query.addListener(handler); }
  }

  apply();
  listen(dark, apply);
  listen(print, function (event) { printing = event.matches; apply(); });
  window.addEventListener("beforeprint", function () { printing = true; apply(); });
  window.addEventListener("afterprint", function () { printing = false; apply(); });
})();
