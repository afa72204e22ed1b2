// Leanlog's small behaviours. Loaded on every page; no inline scripts anywhere (CSP).
(function () {
  "use strict";
  // Fill an empty time zone field with the browser's own zone (sign-up, settings).
  document.querySelectorAll("[data-browser-time-zone]").forEach(function (field) {
    if (!field.value || field.dataset.browserTimeZone === "replace") {
      try {
        var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
        if (zone) { field.value = zone; }
      } catch (e) { /* keep the server's default */ }
    }
  });
})();
