// Leanlog's service worker (served by accounts/phone_views.py at /sw.js, so its scope is the whole site).
// Pages: network first, the owner's dog pages and lean forms kept for when there is no connection.
// Static files: from the cache, refreshed in the background. A lean saved with no connection goes
// to the outbox (static/js/outbox.js) and is sent when the connection returns.
// Words: pages are kept in the language they were drawn in, the offline page and the scripts' words
// (the catalogue at /jsi18n/?lang=…, one copy per language) in the language of the page last seen.
// A service worker has no gettext: words it showed itself would be written here by Django.
"use strict";

const VERSION = {{ version|safe }};
const PRECACHE = {{ precache|safe }};
const STATIC_CACHE = "leanlog-static-" + VERSION;
const PAGE_CACHE = "leanlog-pages";
const OFFLINE_URL = PRECACHE[0];
const LOGIN_PATH = "/accounts/login/";
const CATALOGUE_PATH = "{% url 'javascript-catalog' %}";

importScripts(PRECACHE.find(function (url) { return url.indexOf("idb-keyval") !== -1; }));
importScripts(PRECACHE.find(function (url) { return url.indexOf("js/outbox.") !== -1; }));

// The pages kept for offline use: home, a dog's page, its lean form.
const KEPT_PAGES = [/^\/$/, /^\/dogs\/\d+\/$/, /^\/dogs\/\d+\/incidents\/new\/$/];
const LEAN_FORM = /^\/dogs\/(\d+)\/incidents\/new\/$/;

function isKept(url) {
  return url.origin === self.location.origin && KEPT_PAGES.some(function (pattern) { return pattern.test(url.pathname); });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then(function (cache) { return cache.addAll(PRECACHE); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf("leanlog-static-") === 0 && name !== STATIC_CACHE;
        }).map(function (name) { return caches.delete(name); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

function keepPage(request, response) {
  // Only a page the owner really saw: a redirect to sign-in means the session ended, and then
  // nothing of the account may stay on the phone.
  if (response.redirected && new URL(response.url).pathname === LOGIN_PATH) {
    return caches.delete(PAGE_CACHE);
  }
  if (response.ok && !response.redirected) {
    return caches.open(PAGE_CACHE).then(function (cache) { return cache.put(request.url, response); });
  }
  return Promise.resolve();
}

function page(event) {
  const request = event.request;
  const url = new URL(request.url);
  return fetch(request).then(function (response) {
    if (isKept(url)) { event.waitUntil(keepPage(request, response.clone())); }
    return response;
  }).catch(function () {
    // ignoreVary: the page varies on the session cookie, which a stored request never shows.
    return caches.match(request.url, { cacheName: PAGE_CACHE, ignoreVary: true }).then(function (kept) {
      return kept || caches.match(OFFLINE_URL);
    });
  });
}

function leanPost(event) {
  // Try the network with a copy: with no connection the lean goes to the outbox instead of being lost.
  const request = event.request;
  const copy = request.clone();
  return fetch(request).catch(function () {
    const dogId = LEAN_FORM.exec(new URL(request.url).pathname)[1];
    return copy.formData().then(function (data) {
      return LeanlogOutbox.add(LeanlogOutbox.itemFrom(request.url, dogId, data));
    }).then(function () {
      if (self.registration.sync) { self.registration.sync.register(LeanlogOutbox.SYNC_TAG).catch(function () {}); }
      return Response.redirect("/dogs/" + dogId + "/", 303);
    });
  });
}

function staticFile(event, options) {
  // From the cache at once; the network copy refreshes it for next time.
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(event.request, options).then(function (cached) {
      const fresh = fetch(event.request).then(function (response) {
        if (response.ok) { cache.put(event.request, response.clone()); }
        return response;
      });
      if (cached) {
        event.waitUntil(fresh.catch(function () {}));
        return cached;
      }
      return fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && request.method === "POST" && LEAN_FORM.test(url.pathname)) {
    event.respondWith(leanPost(event));
  } else if (request.method !== "GET") {
    return;
  } else if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staticFile(event));
  } else if (url.pathname === CATALOGUE_PATH) {
    // The scripts' words, as a static file: its URL names the language, whatever it varies on.
    event.respondWith(staticFile(event, { ignoreVary: true }));
  }
});

function tellPages(message) {
  return self.clients.matchAll({ type: "window" }).then(function (pages) {
    pages.forEach(function (client) { client.postMessage(message); });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === LeanlogOutbox.SYNC_TAG) {
    event.waitUntil(LeanlogOutbox.flush().then(function (result) {
      return tellPages({ type: "outbox", result: result });
    }));
  }
});

function inLanguage(response, lang) {
  // Drawn in the language of the page the owner sees now (Django names it in Content-Language).
  return !lang || (response.headers.get("Content-Language") || "").toLowerCase() === lang.toLowerCase();
}

function keepWords(lang, scripts) {
  // The offline page and the scripts' words in the page's language: a page from the cache has
  // its own words with no connection, and the offline page speaks the owner's language.
  const catalogues = scripts.map(function (href) { return new URL(href, self.location.origin); })
    .filter(function (url) { return url.origin === self.location.origin && url.pathname === CATALOGUE_PATH; });
  return caches.open(STATIC_CACHE).then(function (cache) {
    function keep(href, fresh) {
      return cache.match(href, { ignoreVary: true }).then(function (kept) {
        if (kept && fresh(kept)) { return null; }
        return fetch(href, { credentials: "same-origin" }).then(function (response) {
          if (response.ok && !response.redirected) { return cache.put(href, response); }
          return null;
        });
      }).catch(function () {});
    }
    return Promise.all([
      keep(OFFLINE_URL, function (kept) { return inLanguage(kept, lang); }),
    ].concat(catalogues.map(function (url) { return keep(url.href, function () { return true; }); })));
  });
}

self.addEventListener("message", function (event) {
  const data = event.data || {};
  if (data.type === "keep-pages" && Array.isArray(data.urls)) {
    const lang = typeof data.lang === "string" ? data.lang : "";
    // The dog pages and lean forms the owner can reach from here, kept for a walk with no signal.
    // Only those not kept yet (or kept in another language): a page opened with a connection
    // refreshes its own copy, and a phone on mobile data should not fetch every dog's pages on every visit.
    event.waitUntil(caches.open(PAGE_CACHE).then(function (cache) {
      return Promise.all(data.urls.map(function (href) {
        const url = new URL(href, self.location.origin);
        if (!isKept(url)) { return null; }
        return cache.match(url.href, { ignoreVary: true }).then(function (kept) {
          if (kept && inLanguage(kept, lang)) { return null; }
          return fetch(url.href, { credentials: "same-origin" })
            .then(function (response) { return keepPage(new Request(url.href), response); });
        }).catch(function () {});
      }));
    }).then(function () { return keepWords(lang, Array.isArray(data.scripts) ? data.scripts : []); }));
  } else if (data.type === "forget-pages") {
    event.waitUntil(caches.delete(PAGE_CACHE));
  }
});

self.addEventListener("push", function (event) {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { body: event.data.text() }; }
  event.waitUntil(self.registration.showNotification(data.title || "Leanlog", {
    body: data.body || "",
    icon: PRECACHE.find(function (url) { return url.indexOf("icon-192") !== -1; }),
    data: { url: data.url || "/" },
    tag: "leanlog-reminder",
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  const target = (event.notification.data && event.notification.data.url) || "/";
  event.waitUntil(self.clients.openWindow(target));
});
