// Leanlog away from a signal: registers the service worker, keeps leans saved offline in the outbox
// (outbox.js) and sends them when the connection returns, says how many are waiting, guards Save
// against a double tap and offers to install the app on a phone. No inline scripts (CSP).
(function () {
  "use strict";
  var status = document.getElementById("outbox-status");
  var leanForm = document.querySelector("form[data-outbox-dog]");
  var worker = "serviceWorker" in navigator ? navigator.serviceWorker : null;

  // --- A fresh lean form: its own client_id and the time now, also when it came from the cache.

  function nowIn(zone) {
    // The owner's wall clock, in their Leanlog time zone (the phone's own zone may differ).
    var parts = {};
    try {
      new Intl.DateTimeFormat("en-GB", {
        timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23",
      }).formatToParts(new Date()).forEach(function (part) { parts[part.type] = part.value; });
    } catch (e) { return ""; }
    return parts.year + "-" + parts.month + "-" + parts.day + "T" + parts.hour + ":" + parts.minute;
  }

  function freshen(form) {
    var id = form.querySelector("[data-client-id]");
    if (!id || id.dataset.clientId !== "fresh") { return; }
    id.value = window.leanlogNewId();
    var zone = form.querySelector("input[name=time_zone]");
    var when = form.querySelector("input[name=occurred_at]");
    var now = zone ? nowIn(zone.value) : "";
    if (when && now) { when.value = now; }
  }

  // --- Saying what waits in the outbox.

  // Leans sent while this page is open, by the page itself or by the worker: said until the page goes.
  var sentHere = 0;

  function say(result, count) {
    if (!status) { return; }
    if (result && result.sent) { sentHere += result.sent; }
    var words = [];
    if (count) {
      words.push(interpolate(ngettext("%(count)s lean waiting to be sent.", "%(count)s leans waiting to be sent.", count), { count: count }, true));
      if (result && result.signIn) {
        // Translators: followed by a "Sign in" link; the lean(s) waiting in the phone's outbox are sent once the owner signs in.
        words.push(ngettext("Your session has ended: sign in again and it goes at once.", "Your session has ended: sign in again and they go at once.", count));
      } else if (result && result.otherPerson) {
        // Translators: leans saved on this phone while another account was signed in; they wait for that account.
        words.push(interpolate(ngettext("One was saved by another account on this phone: it goes when that account signs in again.", "%(count)s were saved by another account on this phone: they go when that account signs in again.", result.otherPerson), { count: result.otherPerson }, true));
      } else if (result && result.problems) {
        // Translators: leans the server refused to store (a time in the future, say); the owner logs them again by hand.
        words.push(interpolate(ngettext("The server refused one: open the journal and log it again by hand.", "The server refused %(count)s: open the journal and log it again by hand.", result.problems), { count: result.problems }, true));
      } else if (!navigator.onLine || (result && result.offline)) {
        words.push(ngettext("It goes as soon as this phone is back online.", "They go as soon as this phone is back online.", count));
      }
    } else if (sentHere) {
      words.push(interpolate(ngettext("Sent %(count)s lean saved while offline.", "Sent %(count)s leans saved while offline.", sentHere), { count: sentHere }, true));
    }
    status.querySelector("[data-outbox-text]").textContent = words.join(" ");
    var signIn = status.querySelector("[data-outbox-sign-in]");
    signIn.hidden = !(count && result && result.signIn);
    signIn.href = "/accounts/login/?next=" + encodeURIComponent(location.pathname);
    // The page on screen was drawn before the lean arrived: offer it fresh.
    var reload = status.querySelector("[data-outbox-reload]");
    reload.hidden = !(sentHere && !count);
    reload.href = location.pathname + location.search;
    status.classList.toggle("alert-success", !count);
    status.classList.toggle("alert-warning", !!count);
    status.hidden = words.length === 0;
  }

  function refresh(result) {
    if (!window.LeanlogOutbox) { return Promise.resolve(); }
    return LeanlogOutbox.all().then(function (items) { say(result, items.length); });
  }

  function send() {
    if (!window.LeanlogOutbox) { return Promise.resolve(); }
    return LeanlogOutbox.all().then(function (items) {
      if (!items.length) { return refresh(null); }
      if (!navigator.onLine) { return refresh({ offline: true }); }
      return LeanlogOutbox.flush().then(refresh);
    });
  }

  // --- Save: once per tap; with no connection, into the outbox.

  function queue(form) {
    var item = LeanlogOutbox.itemFrom(form.action || location.href, form.dataset.outboxDog, new FormData(form));
    return LeanlogOutbox.add(item).then(function () {
      if (worker) {
        worker.ready.then(function (registration) {
          if (registration.sync) { return registration.sync.register(LeanlogOutbox.SYNC_TAG); }
        }).catch(function () {});
      }
    });
  }

  document.querySelectorAll("form.ll-lean-form").forEach(function (form) {
    freshen(form);
    form.addEventListener("submit", function (event) {
      var save = form.querySelector("button[type=submit]");
      if (form.dataset.sending) { event.preventDefault(); return; }
      form.dataset.sending = "1";
      if (save) { save.disabled = true; save.setAttribute("aria-busy", "true"); }
      if (navigator.onLine || !form.dataset.outboxDog || !window.LeanlogOutbox) { return; }
      event.preventDefault();
      queue(form).then(function () {
        if (worker && worker.controller) {
          // The dog's page opens from the cache and shows what waits.
          location.href = "/dogs/" + form.dataset.outboxDog + "/";
          return;
        }
        delete form.dataset.sending;
        if (save) { save.disabled = false; save.removeAttribute("aria-busy"); }
        form.reset();
        form.querySelector("[data-client-id]").dataset.clientId = "fresh";
        freshen(form);
        return refresh({ offline: true });
      });
    });
  });

  // Back to a page the browser kept in memory: a new tap is a new lean.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form.ll-lean-form").forEach(function (form) {
      delete form.dataset.sending;
      var save = form.querySelector("button[type=submit]");
      if (save) { save.disabled = false; save.removeAttribute("aria-busy"); }
      // A form sent back with errors too: its id was never stored (see leanlog.js).
      var id = form.querySelector("[data-client-id]");
      if (id) { id.value = window.leanlogNewId(); }
    });
  });

  window.addEventListener("online", send);
  window.addEventListener("offline", function () { refresh({ offline: true }); });

  // --- The service worker.

  if (worker) {
    worker.register("/sw.js").then(function () { return worker.ready; }).then(function (registration) {
      var keep = Array.prototype.map.call(document.querySelectorAll("a[data-keep-offline]"), function (a) { return a.href; });
      // This page too: the very first visit came before the worker, so it was not kept on the way in.
      keep.push(location.href);
      // With the page's language and scripts: the worker keeps the offline page and the scripts' words to match.
      var scripts = Array.prototype.map.call(document.scripts, function (script) { return script.src; }).filter(Boolean);
      if (keep.length && registration.active) {
        registration.active.postMessage({ type: "keep-pages", urls: keep, lang: document.documentElement.lang, scripts: scripts });
      }
    }).catch(function () { /* no worker: the site still works online */ });
    worker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "outbox") { refresh(event.data.result); }
    });
  }

  // Signing out: nothing of the account stays in the page cache (the outbox stays, to send later).
  document.querySelectorAll("form[data-sign-out]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.caches) { return; }
      event.preventDefault();
      caches.delete("leanlog-pages").catch(function () {}).then(function () { form.submit(); });
    });
  });

  send();

  // --- An install hint, on phones whose browser offers to install.

  var hint = document.getElementById("install-hint");
  var DISMISSED = "leanlog-install-hint-dismissed";
  if (hint) {
    var offer = null;
    window.addEventListener("beforeinstallprompt", function (event) {
      var dismissed = false;
      try { dismissed = localStorage.getItem(DISMISSED) === "1"; } catch (e) { /* private mode */ }
      if (dismissed || !window.matchMedia("(pointer: coarse)").matches) { return; }
      event.preventDefault();
      offer = event;
      hint.hidden = false;
    });
    hint.querySelector("[data-install]").addEventListener("click", function () {
      if (!offer) { return; }
      offer.prompt();
      offer.userChoice.finally(function () { hint.hidden = true; offer = null; });
    });
    hint.querySelector("[data-install-dismiss]").addEventListener("click", function () {
      hint.hidden = true;
      try { localStorage.setItem(DISMISSED, "1"); } catch (e) { /* private mode */ }
    });
    window.addEventListener("appinstalled", function () { hint.hidden = true; });
  }
})();
