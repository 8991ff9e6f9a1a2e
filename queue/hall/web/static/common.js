// Shared by the caller, the ratings page and the pad: the catalogue's text,
// JSON calls and the staff sign-in form.
"use strict";
const hallq = {
  msgs: {},
  // Chinese first, as the hall is; ?lang=en (remembered) switches.
  lang: (new URLSearchParams(location.search).get("lang") || localStorage.getItem("hallq.lang") || "zh-CN") === "en" ? "en" : "zh-CN",
  async loadMessages() {
    localStorage.setItem("hallq.lang", this.lang);
    const r = await fetch("/api/v1/messages?lang=" + encodeURIComponent(this.lang));
    this.msgs = (await r.json()).messages;
  },
  // t formats a catalogue message: %s and %d are replaced in order.
  t(id, ...args) {
    let s = this.msgs[id] || id;
    for (const a of args) s = s.replace(/%[sd]/, String(a));
    return s;
  },
  token: null, // bearer token (the pad); the caller uses its session cookie
  async api(method, path, body) {
    const headers = {};
    if (this.token) headers["Authorization"] = "Bearer " + this.token;
    if (method !== "GET") headers["Idempotency-Key"] = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now());
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const r = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin"});
    const data = await r.json().catch(() => ({}));
    if (!r.ok) {
      const e = new Error((data.error && data.error.message) || r.statusText);
      e.status = r.status;
      e.code = data.error && data.error.code;
      throw e;
    }
    return data;
  },
  // Fill every element with data-t="message.id" from the catalogue.
  translate(root) {
    for (const el of (root || document).querySelectorAll("[data-t]")) el.textContent = this.t(el.dataset.t);
  },
  // bindLogin makes the page's #login form (#name, #password, #login-msg)
  // sign staff in and then call signedIn; a refusal is shown in the form.
  bindLogin(signedIn) {
    const $ = (id) => document.getElementById(id);
    $("login").onsubmit = async (ev) => {
      ev.preventDefault();
      $("login-msg").textContent = "";
      try {
        await this.api("POST", "/api/v1/login", { name: $("name").value, password: $("password").value });
        $("password").value = "";
        await signedIn();
      } catch (e) { $("login-msg").textContent = e.message; }
    };
  },
};
