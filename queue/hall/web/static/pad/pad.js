// The window's rating pad (评价器): a tablet with a device token, opened
// once as /pad/#token=hd_...; the token is kept in localStorage. It asks
// about the ticket its window finished last; a low rating asks for reasons.
"use strict";
const $ = (id) => document.getElementById(id);
const faces = { 5: "★★★★★", 4: "★★★★", 3: "★★★", 2: "★★", 1: "★" };
let current = null, level = 0, thanksUntil = 0;

function view(id) { for (const s of ["idle", "ask", "thanks"]) $(s).classList.toggle("hidden", s !== id); }

async function poll() {
  if (Date.now() < thanksUntil) return;
  try {
    const st = await hallq.api("GET", "/api/v1/pad");
    $("window-name").textContent = hallq.t("web.pad.window", st.window);
    if (!st.ticket) { current = null; view("idle"); return; }
    if (current && current.id === st.ticket.id) return;
    current = st.ticket;
    level = 0;
    $("question").textContent = hallq.t("web.pad.ask", current.number);
    $("reasons-box").classList.add("hidden");
    for (const b of $("levels").children) b.classList.remove("chosen");
    for (const c of $("reasons").querySelectorAll("input")) c.checked = false;
    $("msg").textContent = "";
    view("ask");
  } catch (e) {
    $("window-name").textContent = e.message;
  }
}

async function send() {
  const reasons = [...$("reasons").querySelectorAll("input:checked")].map((c) => c.value);
  try {
    await hallq.api("POST", "/api/v1/ratings", { ticket: current.id, level, reasons: level <= 2 ? reasons : [] });
    thanksUntil = Date.now() + 5000;
    view("thanks");
  } catch (e) { $("msg").textContent = e.message; }
}

async function boot() {
  const m = location.hash.match(/token=([\w-]+)/);
  if (m) { localStorage.setItem("hallq.padToken", m[1]); history.replaceState(null, "", location.pathname); }
  hallq.token = localStorage.getItem("hallq.padToken");
  await hallq.loadMessages();
  hallq.translate();
  document.title = hallq.t("web.pad.title");
  for (const l of [5, 4, 3, 2, 1]) {
    const b = document.createElement("button");
    b.className = "l" + l;
    b.id = "level-" + l;
    const face = document.createElement("span");
    face.className = "face";
    face.textContent = faces[l];
    b.append(face, hallq.t("web.rating." + l));
    b.onclick = () => {
      level = l;
      for (const x of $("levels").children) x.classList.toggle("chosen", x === b);
      if (l <= 2) $("reasons-box").classList.remove("hidden");
      else send();
    };
    $("levels").appendChild(b);
  }
  for (const r of ["attitude", "slow", "unclear", "materials", "wait", "other"]) {
    const lab = document.createElement("label");
    const c = document.createElement("input");
    c.type = "checkbox";
    c.value = r;
    c.id = "reason-" + r;
    lab.append(c, hallq.t("web.reason." + r));
    $("reasons").appendChild(lab);
  }
  $("submit").onclick = send;
  await poll();
  setInterval(poll, 1500);
}
boot();
