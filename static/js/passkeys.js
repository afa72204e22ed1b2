// Passkeys: ask the browser to make one, or to use one, through Leanlog's own JSON endpoints
// (accounts/two_factor/passkey_views.py). Each place that offers a passkey is an element with
// data-passkey="register" or "sign-in", data-begin and data-complete; it stays hidden where the
// browser cannot do passkeys, so the page keeps its password and code forms only.
(() => {
  "use strict";

  // Browsers refuse passkeys on a bare IP address (say 127.0.0.1): localhost works.
  const numericAddress = /^[0-9.]+$|^\[/.test(location.hostname);
  const supported =
    window.isSecureContext &&
    typeof window.PublicKeyCredential === "function" &&
    typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function" &&
    typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function" &&
    !numericAddress;

  // Messages Leanlog's endpoints send in its own words; anything else gets a general one.
  const OWN_CODES = new Set(["app_first", "sign_in_again", "paused", "locked_out", "user_not_verified"]);

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body || {}),
    });
    let data = {};
    try {
      data = await response.json();
    } catch {
      data = {};
    }
    if (!response.ok) {
      const error = new Error(data.detail || "");
      error.code = data.code || "";
      if (!error.code && response.status === 429) {
        // The sign-in lockout answers with its own page, not JSON.
        error.code = "paused";
        error.message = gettext("Too many failed sign-ins. Wait a few minutes, then try again.");
      }
      throw error;
    }
    return data;
  }

  function explain(error, mode) {
    if (error.name === "NotAllowedError" || error.name === "AbortError") {
      return gettext("No passkey was used. Try again when you are ready.");
    }
    if (error.name === "InvalidStateError") {
      return gettext("This device already holds a passkey for your account.");
    }
    if (OWN_CODES.has(error.code) && error.message) {
      return error.message;
    }
    if (mode === "register") {
      return gettext("The passkey was not added. Try again.");
    }
    return gettext("Leanlog did not accept that passkey. Try again, or sign in with your password.");
  }

  async function register(box) {
    const options = await post(box.dataset.begin);
    const credential = await navigator.credentials.create({
      publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
    });
    const body = credential.toJSON();
    const name = box.querySelector("[data-passkey-name]");
    body.name = name ? name.value : "";
    return post(box.dataset.complete, body);
  }

  async function signIn(box) {
    const options = await post(box.dataset.begin);
    const credential = await navigator.credentials.get({
      publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options),
    });
    let url = box.dataset.complete;
    const next = document.querySelector("input[name=next]");
    if (next && next.value) {
      url += "?" + new URLSearchParams({ next: next.value }).toString();
    }
    return post(url, credential.toJSON());
  }

  function start(box) {
    const button = box.querySelector("[data-passkey-start]");
    const status = box.querySelector("[data-passkey-status]");
    const mode = box.dataset.passkey;
    button.addEventListener("click", async (event) => {
      event.preventDefault();
      button.disabled = true;
      status.textContent = "";
      try {
        const result = await (mode === "register" ? register(box) : signIn(box));
        window.location.assign(result.redirect_url);
      } catch (error) {
        status.textContent = explain(error, mode);
        button.disabled = false;
      }
    });
  }

  for (const box of document.querySelectorAll("[data-passkey]")) {
    if (supported) {
      box.hidden = false;
      start(box);
    }
  }
  // At a numbered address the page says so, and on this computer's own address offers localhost.
  const addressNotes = document.querySelectorAll("[data-passkey-numeric-address]");
  for (const note of document.querySelectorAll("[data-passkey-unsupported]")) {
    note.hidden = supported || (numericAddress && addressNotes.length > 0);
  }
  for (const note of addressNotes) {
    note.hidden = supported || !numericAddress;
    const here = note.querySelector("[data-passkey-localhost]");
    if (here && /^127\.|^\[::1\]$/.test(location.hostname)) {
      const link = here.querySelector("a");
      link.href = location.href.replace(location.host, location.host.replace(location.hostname, "localhost"));
      link.textContent = link.href.split("#")[0];
      here.hidden = false;
    }
  }
})();
