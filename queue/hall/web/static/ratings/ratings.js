// The hall manager's ratings follow-up (评价跟进): a day's ratings, by
// default only the low ones the hall flags, with reasons and comments, and
// the day's satisfaction rate. The manager signs in here or at the caller
// (the session cookie is the same).
"use strict";
const $ = (id) => document.getElementById(id);

function show(id) { for (const s of ["login", "list"]) $(s).classList.toggle("hidden", s !== id); }

async function boot() {
  let me;
  try { me = await hallq.api("GET", "/api/v1/me"); } catch (e) { show("login"); $("name").focus(); return; }
  if (!me.account || me.account.role !== "manager") { show("login"); $("login-msg").textContent = hallq.t("web.ratings.manager_only"); return; }
  $("who").textContent = hallq.t("web.window.clerk", me.account.name);
  show("list");
  await load();
}

let ratings = []; // the ratings of the date shown; null when they could not be read

async function load() {
  $("msg").textContent = "";
  if (!$("date").value) {
    // Start on the hall's business day (its time zone, not the browser's).
    try { $("date").value = (await hallq.api("GET", "/api/v1/tally")).day; } catch (e) { /* the list below says why */ }
  }
  const q = new URLSearchParams();
  if ($("date").value) q.set("date", $("date").value);
  try {
    ratings = await hallq.api("GET", "/api/v1/ratings?" + q);
  } catch (e) {
    // The list of the date before must not stand under the new date,
    // nor "no ratings" stand for a list that could not be read.
    ratings = null;
    $("msg").textContent = e.message;
  }
  render();
}

// render shows the day's ratings read by load: all, or only the flagged.
function render() {
  $("rows").textContent = "";
  if (ratings === null) {
    $("summary").textContent = $("empty").textContent = "";
    return;
  }
  const all = ratings;
  // 好评率: the three upper levels (非常满意, 满意, 基本满意), as halls publish it.
  const good = all.filter((r) => r.level >= 3).length;
  const flagged = all.filter((r) => r.flagged);
  const rate = all.length ? (100 * good / all.length).toFixed(1) + "%" : "—";
  $("summary").textContent = hallq.t("web.ratings.summary", all.length, rate, flagged.length);
  const rows = $("flagged").checked ? flagged : all;
  const tb = $("rows");
  for (const r of rows) {
    const tr = document.createElement("tr");
    if (r.flagged) tr.className = "flagged";
    const reasons = (r.reasons || []).map((x) => hallq.t("web.reason." + x)).join("、");
    for (const text of [r.time, r.number, hallq.t("web.window.label", r.window), r.clerk || "",
      hallq.t("web.rating." + r.level), reasons + (r.comment ? (reasons ? " · " : "") + r.comment : "")]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.appendChild(td);
    }
    tb.appendChild(tr);
  }
  $("empty").textContent = rows.length ? "" : hallq.t("web.ratings.none");
}

$("date").onchange = load;
$("flagged").onchange = render;
hallq.bindLogin(boot);
(async () => {
  await hallq.loadMessages();
  hallq.translate();
  document.title = hallq.t("web.ratings.title");
  await boot();
})();
