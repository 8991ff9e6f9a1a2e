// The window caller: a clerk signs in, chooses a window and works its queue.
// State lives on the hall node; the page keeps only the chosen window (in
// localStorage), so a reload shows exactly what the node has.
"use strict";
const $ = (id) => document.getElementById(id);
const state = { me: null, window: Number(localStorage.getItem("hallq.window")) || 0, snap: null, services: [] };

function show(id) {
  for (const s of ["login", "choose", "panel"]) $(s).classList.toggle("hidden", s !== id);
  $("signout").classList.toggle("hidden", id === "login");
}

function say(text) { $("msg").textContent = text || ""; }

async function boot() {
  await hallq.loadMessages();
  hallq.translate();
  document.title = hallq.t("web.caller.title");
  try {
    state.me = await hallq.api("GET", "/api/v1/me");
  } catch (e) {
    show("login");
    $("name").focus();
    return;
  }
  if (!state.me.account) { show("login"); return; }
  $("who").textContent = hallq.t("web.window.clerk", state.me.account.name);
  $("ratings-link").classList.toggle("hidden", state.me.account.role !== "manager");
  if (state.window && state.me.windows.includes(state.window)) return openPanel();
  await chooseWindow();
}

async function chooseWindow() {
  show("choose");
  const windows = await hallq.api("GET", "/api/v1/windows");
  const list = $("window-list");
  list.textContent = "";
  for (const w of windows) {
    const b = document.createElement("button");
    b.textContent = hallq.t("web.window.label", w.number) + " " + w.name;
    b.id = "choose-" + w.number;
    b.onclick = async () => {
      $("choose-msg").textContent = "";
      try { await hallq.api("POST", "/api/v1/windows/" + w.number + "/signin"); } catch (e) { $("choose-msg").textContent = e.message; return; }
      state.window = w.number;
      localStorage.setItem("hallq.window", String(w.number));
      state.me.windows.push(w.number);
      openPanel();
    };
    list.appendChild(b);
  }
}

async function openPanel() {
  show("panel");
  $("title").textContent = hallq.t("web.caller.title") + " · " + hallq.t("web.window.label", state.window);
  await refresh();
  follow();
}

let refreshing = null;
async function refresh() {
  if (refreshing) return refreshing;
  refreshing = (async () => {
    try {
      const [snap, waiting] = await Promise.all([
        hallq.api("GET", "/api/v1/snapshot"),
        hallq.api("GET", "/api/v1/windows/" + state.window + "/waiting"),
      ]);
      render(snap, waiting);
    } finally { refreshing = null; }
  })();
  return refreshing;
}

function render(snap, waiting) {
  state.snap = snap;
  const w = snap.windows.find((x) => x.number === state.window);
  if (!w) return;
  const cur = w.current;
  const paused = w.state !== "open";
  $("current-card").classList.toggle("paused", paused);
  $("paused-banner").classList.toggle("hidden", !paused);
  $("current-number").textContent = cur ? cur.number : hallq.t("web.current.none");
  $("current-state").textContent = cur ? hallq.t("state." + cur.state) + (cur.recalls ? " · " + hallq.t("web.btn.recall") + " " + cur.recalls : "") : "";
  $("pause-label").textContent = hallq.t(paused ? "web.btn.resume" : "web.btn.pause");
  const called = cur && cur.state === "called", serving = cur && cur.state === "serving";
  $("btn-call").disabled = !!cur || paused || waiting.length === 0;
  $("btn-recall").disabled = !called;
  $("btn-start").disabled = !called;
  $("btn-no_show").disabled = !called;
  $("btn-finish").disabled = !serving;
  $("btn-park").disabled = !serving;
  $("btn-transfer").disabled = !cur;
  $("waiting-count").textContent = hallq.t("web.waiting", waiting.length);
  const ul = $("waiting");
  ul.textContent = "";
  for (const t of waiting.slice(0, 50)) {
    const li = document.createElement("li");
    const n = document.createElement("span");
    n.className = "num";
    n.textContent = t.number;
    const info = document.createElement("span");
    info.textContent = (t.priority !== "normal" ? hallq.t("web.priority." + t.priority) + " · " : "") + t.issued_at.slice(11, 16);
    li.append(n, info);
    ul.appendChild(li);
  }
  const pk = $("parked");
  pk.textContent = "";
  for (const t of w.parked || []) {
    const li = document.createElement("li");
    const n = document.createElement("span");
    n.className = "num";
    n.textContent = t.number;
    const b = document.createElement("button");
    b.textContent = hallq.t("web.btn.return");
    b.onclick = () => act("return", { ticket: t.number });
    li.append(n, b);
    pk.appendChild(li);
  }
  const sel = $("transfer-to");
  if (sel.options.length === 0) {
    for (const s of snap.services) {
      const o = document.createElement("option");
      o.value = s.code;
      o.textContent = s.code + " " + (hallq.lang === "en" ? s.name_en : s.name_zh);
      sel.appendChild(o);
    }
  }
}

async function act(action, body) {
  say("");
  try {
    if (action === "call") await hallq.api("POST", "/api/v1/windows/" + state.window + "/call", {});
    else if (action === "pause") {
      const w = state.snap.windows.find((x) => x.number === state.window);
      await hallq.api("POST", "/api/v1/windows/" + state.window + "/state", { state: w.state === "open" ? "paused" : "open" });
    } else await hallq.api("POST", "/api/v1/windows/" + state.window + "/" + action, body || {});
  } catch (e) {
    say(e.message);
    if (e.status === 401) return boot();
  }
  await refresh();
}

let source = null;
function follow() {
  if (source) source.close();
  source = new EventSource("/api/v1/events");
  let timer = null;
  const later = () => { clearTimeout(timer); timer = setTimeout(refresh, 80); };
  for (const ev of ["snapshot", "call", "ticket", "window"]) source.addEventListener(ev, later);
  source.onopen = () => { $("conn").textContent = ""; };
  source.onerror = () => { $("conn").textContent = hallq.t("web.conn.lost"); };
}

for (const a of ["call", "recall", "start", "finish", "no_show", "park", "pause"]) $("btn-" + a).onclick = () => act(a);
$("btn-transfer").onclick = () => { $("transfer-box").classList.remove("hidden"); $("transfer-to").focus(); };
$("transfer-cancel").onclick = () => { $("transfer-box").classList.add("hidden"); $("transfer-to").blur(); };
$("transfer-go").onclick = async () => { $("transfer-box").classList.add("hidden"); $("transfer-to").blur(); await act("transfer", { service: $("transfer-to").value }); };
// In the transfer box, Enter transfers and Escape cancels, so a transfer
// is T, arrow keys, Enter without the mouse.
$("transfer-to").addEventListener("keydown", (ev) => {
  if (ev.key === "Enter") { ev.preventDefault(); $("transfer-go").click(); }
  if (ev.key === "Escape") { ev.preventDefault(); $("transfer-cancel").click(); }
});
$("signout").onclick = async () => {
  try { if (state.window) await hallq.api("POST", "/api/v1/windows/" + state.window + "/signout"); } catch (e) {}
  try { await hallq.api("POST", "/api/v1/logout"); } catch (e) {}
  localStorage.removeItem("hallq.window");
  state.window = 0;
  if (source) source.close();
  show("login");
};
hallq.bindLogin(boot);
const keys = { " ": "call", r: "recall", s: "start", f: "finish", x: "no_show", p: "park", z: "pause" };
document.addEventListener("keydown", (ev) => {
  if ($("panel").classList.contains("hidden") || ev.target.tagName === "INPUT" || ev.target.tagName === "SELECT" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const k = ev.key.toLowerCase();
  if (k === "t" && !$("btn-transfer").disabled) { ev.preventDefault(); $("btn-transfer").click(); return; }
  const a = keys[k];
  if (!a) return;
  ev.preventDefault();
  const b = $("btn-" + a);
  if (b && !b.disabled) act(a);
});
boot();
