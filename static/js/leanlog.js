// Leanlog's small behaviours. Loaded on every page; no inline scripts anywhere (CSP).
// The scripts' words come from the catalogue at /jsi18n/, loaded just before this file. A page
// taken from the phone's cache with no connection may have come without it: English words then.
(function (scope) {
  "use strict";
  if (typeof scope.gettext === "function") { return; }
  scope.gettext = function (msgid) { return msgid; };
  scope.ngettext = function (singular, plural, count) { return count === 1 ? singular : plural; };
  scope.interpolate = function (fmt, values, named) {
    if (named) { return fmt.replace(/%\(\w+\)s/g, function (match) { return String(values[match.slice(2, -2)]); }); }
    return fmt.replace(/%s/g, function () { return String(values.shift()); });
  };
})(window);
// A new id for a form that adds something (a lean, a dog, an event, a weighing).
(function (scope) {
  "use strict";
  scope.leanlogNewId = function () {
    if (scope.crypto && scope.crypto.randomUUID) { return scope.crypto.randomUUID(); }
    var bytes = scope.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  };
})(window);
(function () {
  "use strict";
  // Fill an empty time zone field with the browser's own zone (sign-up, settings).
  document.querySelectorAll("[data-browser-time-zone]").forEach(function (field) {
    if (!field.value || field.dataset.browserTimeZone === "replace") {
      try {
        var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
        if (!zone) { return; }
        // The list holds the zones of places; a device set to another IANA name (Etc/UTC,
        // Etc/GMT-3) still gets its own, which the server accepts.
        var listed = Array.prototype.some.call(field.options || [], function (option) { return option.value === zone; });
        if (field.options && !listed) { field.add(new Option(zone.replace(/_/g, " "), zone)); }
        field.value = zone;
      } catch (e) { /* keep the server's default */ }
    }
  });
  // Settings: offer the device's zone in one click, only when it differs and the list knows it.
  document.querySelectorAll("[data-use-browser-time-zone]").forEach(function (button) {
    var select = document.getElementById(button.dataset.useBrowserTimeZone);
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return; }
    if (!select || !zone || select.value === zone) { return; }
    var known = Array.prototype.some.call(select.options, function (option) { return option.value === zone; });
    if (!known) { return; }
    button.append(" (" + zone + ")");
    button.hidden = false;
    button.addEventListener("click", function () {
      select.value = zone;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      button.hidden = true;
      select.focus();
    });
  });

  // Bootstrap's markup without its 80 KB script: panels, the account menu and dismissible
  // messages only ever open and close, which these few lines do.
  document.querySelectorAll('[data-bs-toggle="collapse"]').forEach(function (button) {
    var panel = document.querySelector(button.dataset.bsTarget);
    if (!panel) { return; }
    button.addEventListener("click", function () {
      var open = panel.classList.toggle("show");
      button.classList.toggle("collapsed", !open);
      button.setAttribute("aria-expanded", String(open));
    });
  });
  var menus = document.querySelectorAll('[data-bs-toggle="dropdown"]');
  function closeMenus(except) {
    menus.forEach(function (toggle) {
      if (toggle === except) { return; }
      toggle.nextElementSibling.classList.remove("show");
      toggle.setAttribute("aria-expanded", "false");
    });
  }
  menus.forEach(function (toggle) {
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      closeMenus(toggle);
      var open = toggle.nextElementSibling.classList.toggle("show");
      toggle.setAttribute("aria-expanded", String(open));
    });
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest(".dropdown")) { closeMenus(null); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closeMenus(null); }
  });
  document.querySelectorAll('[data-bs-dismiss="alert"]').forEach(function (button) {
    button.addEventListener("click", function () { button.closest(".alert").remove(); });
  });
})();
// Copy a link (an invitation) to the clipboard with one tap; the field stays selectable as a fallback.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.dataset.copy);
      if (!field) { return; }
      field.select();
      // Translators: on a Copy button once it has copied a link (an invitation, the link for the vet).
      var done = function () { button.textContent = gettext("Copied"); };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
})();
// A form that adds something (a dog, an event, a weighing): a double tap must not add it twice.
// The second submit waits for the first page to come; back to a page kept in memory, it may go again.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-submit-once]");
  // A form shown afresh gets a new id, also when the page came from the phone's cache or back
  // from the browser's memory: the server adds what one id sends once, so an id used before
  // would lose the new entry. A form sent back with errors keeps its id ("kept").
  function freshen(form, restored) {
    var id = form.querySelector("[data-client-id]");
    // Back from memory, a form sent back with errors is renewed too: its id was never stored,
    // and if it was sent again since, a new entry from it must not be taken for that one.
    if (id && (id.dataset.clientId === "fresh" || restored)) { id.value = window.leanlogNewId(); }
  }
  forms.forEach(function (form) {
    freshen(form);
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending) { event.preventDefault(); return; }
      form.dataset.sending = "1";
      // Not disabled: a disabled submit button would leave its own name and value out of the post.
      form.querySelectorAll("button[type=submit]").forEach(function (button) { button.setAttribute("aria-busy", "true"); });
    });
  });
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    forms.forEach(function (form) {
      delete form.dataset.sending;
      form.querySelectorAll("button[type=submit]").forEach(function (button) { button.removeAttribute("aria-busy"); });
      freshen(form, true);
    });
  });
})();
// A journal row shows one line of signs and triggers; on a narrow screen the ones that do not fit
// wrap out of sight. A "+2" at the end of the line says how many (all stay for screen readers).
(function () {
  "use strict";
  var lists = document.querySelectorAll(".ll-lean-more:not(.ll-lean-full) .ll-badges");
  if (!lists.length) { return; }
  function count(list) {
    var old = list.querySelector(".ll-badge-more");
    if (old) { old.remove(); }
    var items = Array.prototype.slice.call(list.children);
    items.forEach(function (item) { item.classList.remove("visually-hidden"); });
    if (!items.length) { return; }
    var top = items[0].offsetTop;
    var fit = items.filter(function (item) { return item.offsetTop <= top; }).length;
    if (fit === items.length) { return; }
    var more = document.createElement("li");
    more.className = "badge ll-badge ll-badge-more";
    more.setAttribute("aria-hidden", "true");
    list.appendChild(more);
    // The ones that do not fit leave the line (kept for screen readers), and the marker takes
    // their place; if it does not fit either, the last badge on the line gives it room.
    for (;;) {
      items.slice(fit).forEach(function (item) { item.classList.add("visually-hidden"); });
      more.textContent = "+" + (items.length - fit);
      if (more.offsetTop <= top || fit <= 1) { return; }
      fit -= 1;
    }
  }
  function countAll() { lists.forEach(count); }
  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; countAll(); });
  });
  // Again once the fonts are in: a badge's width changes with them.
  window.addEventListener("load", countAll);
  countAll();
})();
