// The shopper's try-on page: measurements → POST /api/shop/tryons → the dressed clone in
// <model-viewer>, the stretch heat map on a toggle, the size advice and why.
const $ = (id) => document.getElementById(id);
let garments = [];
let current = null;

function fillSizes() {
  const g = garments.find((x) => x.name === $("garment").value);
  const sizes = g ? g.sizes[$("sex").value] : [];
  $("size").replaceChildren(new Option("the size you advise", ""), ...sizes.map((s) => new Option(s, s)));
}

async function loadGarments() {
  const r = await fetch("/api/shop/garments");
  garments = await r.json();
  $("garment").replaceChildren(...garments.map((g) => new Option(g.title, g.name)));
  fillSizes();
  showHouseModel();
}

function showHouseModel() {
  // The garment on the house model while the shopper types: it also gets the 3-D view's
  // one-time start (WebGL, shaders, lighting) done before their own clone arrives.
  if (current) return;
  const url = `/api/shop/garments/${$("garment").value}/model.glb?sex=${$("sex").value}`;
  $("viewer").src = url;
}

function number(id) {
  const v = $(id).value.trim();
  return v === "" ? null : Number(v);
}

function explain(detail) {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return detail.map((e) => `${e.loc.slice(-1)[0]}: ${e.msg}`).join("; ");
  return "something went wrong";
}

function show(t) {
  current = t;
  $("advice-size").textContent = t.size === t.advice.size ? t.size : `${t.size} (we advise ${t.advice.size})`;
  $("advice-reason").textContent = `${t.advice.size}: ${t.advice.reason}.`;
  $("verdict").textContent = t.verdict;
  $("verdict").className = "verdict " + (t.fits ? "ok" : "bad");
  $("ease").querySelector("tbody").replaceChildren(...t.ease.map((e) => {
    const tr = document.createElement("tr");
    for (const v of [e.girth.replaceAll("_", " "), `${e.body_cm} cm`, `${e.garment_cm} cm`, `${e.ease_cm > 0 ? "+" : ""}${e.ease_cm} cm`]) {
      const td = document.createElement("td"); td.textContent = v; tr.append(td);
    }
    return tr;
  }));
  $("timing").textContent = `Dressed in ${t.seconds} s. Kept for ${Math.round(t.retention_s / 60)} min after your last look, then forgotten.`;
  $("heat").disabled = false;
  $("forget").disabled = false;
  setModel();
}

function setModel() {
  if (!current) return;
  const heat = $("heat").checked;
  $("legend").classList.toggle("on", heat);
  $("status").textContent = "Loading the 3-D view…";
  $("viewer").src = heat ? current.heat_map_url : current.model_url;
}

async function tryOn(ev) {
  ev.preventDefault();
  $("error").textContent = "";
  const body = { sex: $("sex").value, height_cm: number("height"), weight_kg: number("weight"),
                 bust_cm: number("bust"), waist_cm: number("waist"), hip_cm: number("hip"),
                 body_shape: $("shape").value || null };
  const req = { body, garment: $("garment").value, size: $("size").value || null };
  $("try").disabled = true;
  $("status").textContent = "Making your clone and dressing it…";
  const started = performance.now();
  try {
    const r = await fetch("/api/shop/tryons", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(req) });
    const data = await r.json();
    if (!r.ok) { $("error").textContent = explain(data.detail); $("status").textContent = "Could not dress your clone."; return; }
    if (current) fetch(`/api/shop/tryons/${current.id}`, { method: "DELETE" });
    window.tryonStarted = started;
    show(data);
  } catch (e) {
    $("error").textContent = "The server could not be reached.";
  } finally {
    $("try").disabled = false;
  }
}

async function forget() {
  if (!current) return;
  await fetch(`/api/shop/tryons/${current.id}`, { method: "DELETE" });
  current = null;
  $("viewer").removeAttribute("src");
  $("heat").checked = false; $("heat").disabled = true; $("forget").disabled = true;
  $("legend").classList.remove("on");
  $("status").textContent = "Forgotten: your clone and measurements are deleted.";
}

$("viewer").addEventListener("load", () => {
  if (!current) {
    $("status").textContent = "On our model — enter your measurements to see it on you.";
    document.body.dataset.house = "1";
    return;
  }
  $("status").textContent = $("heat").checked ? "Stretch heat map" : "Your clone";
  if (window.tryonStarted) { window.firstViewMs = performance.now() - window.tryonStarted; window.tryonStarted = null; }
  document.body.dataset.loaded = String(Number(document.body.dataset.loaded || 0) + 1);
});
$("viewer").addEventListener("error", () => {
  // The house model may not be prepared yet: then the view simply waits for the clone.
  if (current) $("status").textContent = "The 3-D view failed to load.";
});
$("body-form").addEventListener("submit", tryOn);
$("sex").addEventListener("change", () => { fillSizes(); showHouseModel(); });
$("garment").addEventListener("change", () => { fillSizes(); showHouseModel(); });
$("heat").addEventListener("change", setModel);
$("forget").addEventListener("click", forget);
if (!customElements.get("model-viewer")) {
  setTimeout(() => { if (!customElements.get("model-viewer")) $("status").textContent = "The 3-D viewer is not installed (run make install)."; }, 3000);
}
loadGarments();
