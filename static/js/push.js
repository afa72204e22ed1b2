// Settings: turn reminders by web push on or off for this browser. The server keeps one
// subscription per browser, for the signed-in owner only (accounts/phone_views.py).
(function () {
  "use strict";
  var section = document.querySelector("[data-push]");
  var keyElement = document.getElementById("vapid-public-key");
  if (!section || !keyElement || !("serviceWorker" in navigator) || !("PushManager" in window)) { return; }
  var state = section.querySelector("[data-push-state]");
  var on = section.querySelector("[data-push-on]");
  var off = section.querySelector("[data-push-off]");
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    return Uint8Array.from(raw, function (c) { return c.charCodeAt(0); });
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        // Translators: shown under the reminders switch when the server refused without saying why.
        if (!response.ok) { throw new Error(data.error || gettext("The server said no.")); }
        return data;
      });
    });
  }

  function show(subscribed, words) {
    state.textContent = words || (subscribed
      ? gettext("This browser shows your daily reminder.")
      : gettext("This browser does not show reminders yet."));
    on.hidden = subscribed;
    off.hidden = !subscribed;
  }

  navigator.serviceWorker.ready.then(function (registration) {
    return registration.pushManager.getSubscription().then(function (subscription) {
      show(!!subscription);
      on.addEventListener("click", function () {
        on.disabled = true;
        registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(JSON.parse(keyElement.textContent)),
        }).then(function (made) {
          return post(section.dataset.pushSubscribe, made.toJSON()).catch(function (error) {
            return made.unsubscribe().then(function () { throw error; });
          });
        }).then(function () { show(true); }, function (error) {
          show(false, Notification.permission === "denied"
            ? gettext("This browser blocks notifications from Leanlog: allow them in its site settings first.")
            : error.message);
        }).finally(function () { on.disabled = false; });
      });
      off.addEventListener("click", function () {
        off.disabled = true;
        registration.pushManager.getSubscription().then(function (current) {
          if (!current) { return null; }
          return post(section.dataset.pushUnsubscribe, { endpoint: current.endpoint }).catch(function () {})
            .then(function () { return current.unsubscribe(); });
        }).then(function () { show(false); }).finally(function () { off.disabled = false; });
      });
    });
  });
})();
