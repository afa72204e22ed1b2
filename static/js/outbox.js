// The outbox: leans saved with no connection wait here (IndexedDB, through idb-keyval) until they
// can be sent. Used by the pages (offline.js) and by the service worker (sw.js), which both send.
// Each lean keeps its client_id, so sending one twice still stores it once on the server.
(function (scope) {
  "use strict";
  var store = idbKeyval.createStore("leanlog", "outbox");
  var LOGIN_PATH = "/accounts/login/";
  var TOKEN = /name="csrfmiddlewaretoken" value="([^"]+)"/;
  var sending = null;

  function itemFrom(url, dogId, formData) {
    // Everything the form would have posted, except the token: a fresh one is read at send time.
    var fields = [];
    formData.forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") { fields.push([name, value]); }
    });
    var get = function (name) { return formData.get(name) || ""; };
    return {
      client_id: get("client_id") || (scope.crypto.randomUUID ? scope.crypto.randomUUID() : String(Date.now())),
      url: new URL(url, scope.location.origin).pathname,
      dog: String(dogId),
      occurred_at: get("occurred_at"),
      time_zone: get("time_zone"),
      fields: fields,
      queued_at: new Date().toISOString(),
      problem: "",
    };
  }

  function add(item) {
    // Keyed by client_id: the same lean queued twice is still one lean.
    var fields = item.fields.filter(function (pair) { return pair[0] !== "client_id"; });
    fields.push(["client_id", item.client_id]);
    item.fields = fields;
    return idbKeyval.set(item.client_id, item, store);
  }

  function all() {
    return idbKeyval.values(store).then(function (items) {
      return items.sort(function (a, b) { return a.queued_at < b.queued_at ? -1 : 1; });
    });
  }

  function isSignIn(response) {
    return new URL(response.url).pathname === LOGIN_PATH;
  }

  function sendOne(item) {
    // The token is read now, from the form as the server gives it today: an old one would be refused.
    return fetch(item.url, { credentials: "same-origin", cache: "no-store" }).then(function (page) {
      if (isSignIn(page)) { return "sign-in"; }
      if (page.status === 404) { return "gone"; }
      if (!page.ok) { return "later"; }
      return page.text().then(function (html) {
        var token = TOKEN.exec(html);
        if (!token) { return "later"; }
        var body = new URLSearchParams();
        item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
        body.append("csrfmiddlewaretoken", token[1]);
        return fetch(item.url, { method: "POST", body: body, credentials: "same-origin" }).then(function (answer) {
          if (isSignIn(answer)) { return "sign-in"; }
          // Saved on this phone while someone else was signed in: it waits for them.
          if (answer.status === 409) { return "other-person"; }
          // Saved (or saved before, under the same client_id): the server sends us to the journal.
          if (answer.ok && answer.redirected) { return "sent"; }
          // The form came back with a problem (a time now in the future, say): keep it and say so.
          if (answer.ok) { return "refused"; }
          return "later";
        });
      });
    });
  }

  function flush() {
    // One run at a time across the site's pages and its worker (Web Locks), so a lean goes once;
    // were two runs to meet anyway (no Web Locks), the client_id still keeps it to one lean.
    if (sending) { return sending; }
    var locks = scope.navigator && scope.navigator.locks;
    sending = (locks ? locks.request("leanlog-outbox", run) : run()).finally(function () { sending = null; });
    return sending;
  }

  function run() {
    var result = { sent: 0, waiting: 0, signIn: false, problems: 0, otherPerson: 0, offline: false };
    return all().then(function (items) {
      var chain = Promise.resolve(false);
      items.forEach(function (item) {
        chain = chain.then(function (stop) {
          if (stop) { result.waiting += 1; return true; }
          return sendOne(item).then(function (outcome) {
            if (outcome === "sent") {
              result.sent += 1;
              return idbKeyval.del(item.client_id, store).then(function () { return false; });
            }
            result.waiting += 1;
            if (outcome === "sign-in") { result.signIn = true; return true; }
            if (outcome === "later") { return true; }
            if (outcome === "other-person") { result.otherPerson += 1; return false; }
            result.problems += 1;
            item.problem = outcome;
            return idbKeyval.set(item.client_id, item, store).then(function () { return false; });
          }, function () {
            // No connection after all: everything stays for the next try.
            result.offline = true;
            result.waiting += 1;
            return true;
          });
        });
      });
      return chain;
    }).then(function () { return result; });
  }

  scope.LeanlogOutbox = { SYNC_TAG: "leanlog-outbox", itemFrom: itemFrom, add: add, all: all, flush: flush };
})(self);
