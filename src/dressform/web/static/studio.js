// The studio page: the cast, campaigns with live progress (server-sent events read through
// fetch, so the API key travels in a header, never in a URL) and outputs with provenance.
const $ = (id) => document.getElementById(id);
let key = sessionStorage.getItem("dressform-key") || "";

async function api(path, opts = {}) {
  const r = await fetch(path, { ...opts, headers: { ...(opts.headers || {}), "X-API-Key": key } });
  if (!r.ok) {
    let detail = r.statusText;
    try { detail = (await r.json()).detail; } catch (e) { /* not JSON */ }
    throw new Error(typeof detail === "string" ? detail : JSON.stringify(detail));
  }
  return r;
}

async function image(path) {
  return URL.createObjectURL(await (await api(path)).blob());
}

function cell(tr, content) {
  const td = document.createElement("td");
  if (content instanceof Node) td.append(content); else td.textContent = content ?? "";
  tr.append(td);
}

async function loadCast() {
  const clones = await (await api("/api/clones")).json();
  $("cast").replaceChildren(...clones.map((c) => {
    const fig = document.createElement("figure");
    const img = document.createElement("img");
    img.alt = c.id;
    image(`/api/clones/${c.id}/preview.png`).then((u) => { img.src = u; }).catch(() => {});
    const cap = document.createElement("figcaption");
    const s = c.spec;
    cap.textContent = `${c.id} · ${Math.round(s.height_cm)} cm · ${Math.round(s.weight_kg)} kg · MST-${s.skin_tone}${c.synthetic ? "" : " · real"}`;
    fig.append(img, cap);
    return fig;
  }));
  if (!clones.length) $("cast").textContent = "No clones yet.";
}

function campaignRow(c) {
  let div = document.getElementById(`campaign-${c.id}`);
  if (!div) {
    div = document.createElement("div");
    div.id = `campaign-${c.id}`;
    div.className = "campaign";
    div.innerHTML = `<strong></strong> <span class="muted"></span><progress max="1" value="0"></progress>`;
    div.addEventListener("click", () => loadOutputs(c.id));
    $("campaigns").append(div);
  }
  const done = (c.status.done || 0) + (c.status.failed || 0) + (c.status.refused || 0);
  div.querySelector("strong").textContent = c.id;
  const parts = Object.entries(c.status).map(([k, v]) => `${v} ${k}`).join(", ");
  div.querySelector("span").textContent = `${c.running ? "running" : "idle"} — ${parts || "no shots yet"}${c.error ? " — " + c.error : ""}`;
  const bar = div.querySelector("progress");
  bar.max = Math.max(1, c.shots); bar.value = done;
  div.dataset.running = String(c.running);
}

async function follow(id) {
  // Server-sent events over fetch: `event: progress` lines until `event: end`.
  const r = await api(`/api/campaigns/${id}/events`);
  const reader = r.body.getReader();
  const text = new TextDecoder();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += text.decode(value, { stream: true });
    let at;
    while ((at = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, at); buf = buf.slice(at + 2);
      const data = block.split("\n").find((l) => l.startsWith("data: "));
      if (data) campaignRow(JSON.parse(data.slice(6)));
      if (block.startsWith("event: end")) { loadOutputs(id); return; }
    }
  }
}

async function loadCampaigns() {
  const list = await (await api("/api/campaigns")).json();
  $("campaigns").replaceChildren();
  list.forEach(campaignRow);
  if (!list.length) $("campaigns").textContent = "No campaigns yet.";
  for (const c of list) if (c.running) follow(c.id).catch((e) => { $("error").textContent = e.message; });
  if (list.length) loadOutputs(list[list.length - 1].id);
}

async function loadOutputs(id) {
  $("outputs-of").textContent = `of ${id}`;
  const outs = await (await api(`/api/campaigns/${id}/outputs`)).json();
  $("outputs").querySelector("tbody").replaceChildren(...outs.map((o) => {
    const tr = document.createElement("tr");
    const img = document.createElement("img");
    img.width = 64; img.alt = `output ${o.job_id}`;
    image(o.url).then((u) => { img.src = u; }).catch(() => {});
    const p = o.provenance || {};
    cell(tr, img); cell(tr, o.clone_id); cell(tr, `${o.width}×${o.height}`);
    cell(tr, p.state || "none"); cell(tr, p.signer); cell(tr, p.synthetic ? "synthetic (AI-generated)" : "not declared");
    cell(tr, o.consent_id || (p.clone && p.clone.synthetic_clone ? "not needed (synthetic clone)" : "—"));
    return tr;
  }));
}

async function open(ev) {
  if (ev) ev.preventDefault();
  key = $("key").value.trim() || key;
  sessionStorage.setItem("dressform-key", key);
  $("error").textContent = "";
  try {
    await Promise.all([loadCast(), loadCampaigns()]);
    document.body.dataset.ready = "1";
  } catch (e) {
    $("error").textContent = e.message;
  }
}

$("key-form").addEventListener("submit", open);
if (key) open();
