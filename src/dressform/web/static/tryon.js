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

function garmentTitle() {
  const g = garments.find((x) => x.name === current.garment);
  return g ? g.title : "garment";
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
    if (current) erase(current.id);  // the try-on it replaces
    window.tryonStarted = started;
    show(data);
  } catch (e) {
    $("error").textContent = "The server could not be reached.";
  } finally {
    $("try").disabled = false;
  }
}

// Deletes the try-on `id`; true only when the server confirmed it is gone (204, or 404:
// deleted or expired already). A busy or unreachable server is asked again a few times.
async function erase(id) {
  for (let attempt = 1; attempt <= 4; attempt++) {
    let wait = attempt;
    try {
      const r = await fetch(`/api/shop/tryons/${id}`, { method: "DELETE" });
      if (r.status === 204 || r.status === 404) return true;
      if (r.status !== 429 && r.status < 500) return false;
      wait = Math.min(Number(r.headers.get("Retry-After")) || attempt, 5);
    } catch (e) { /* the network failed: ask again */ }
    if (attempt < 4) await new Promise((done) => setTimeout(done, wait * 1000));
  }
  return false;
}

async function forget() {
  if (!current) return;
  $("forget").disabled = true;
  $("error").textContent = "";
  $("status").textContent = "Deleting your clone…";
  if (!(await erase(current.id))) {
    // Say only what the server confirmed: the clone is still there.
    $("forget").disabled = false;
    $("status").textContent = "Your clone";
    $("error").textContent = "Your clone could not be deleted yet: please press Forget again. " +
      `Otherwise it is deleted ${Math.round(current.retention_s / 60)} min after your last look.`;
    return;
  }
  current = null;
  // Nothing of the clone stays on the page either: its numbers, its advice, its 3-D view.
  $("advice-size").textContent = "—";
  for (const id of ["advice-reason", "verdict", "timing"]) $(id).textContent = "";
  $("ease").querySelector("tbody").replaceChildren();
  for (const id of ["height", "weight", "bust", "waist", "hip"]) $(id).value = "";
  $("viewer").removeAttribute("src");
  $("heat").checked = false; $("heat").disabled = true; $("forget").disabled = true;
  $("legend").classList.remove("on");
  $("status").textContent = "Forgotten: your clone and measurements are deleted.";
  showHouseModel();
}

$("viewer").addEventListener("load", () => {
  if (!current) {
    if (!$("status").textContent.startsWith("Forgotten")) {  // keep saying it was deleted
      $("status").textContent = "On our model — enter your measurements to see it on you.";
    }
    document.body.dataset.house = "1";
    return;
  }
  // Say what the model wears besides the garment: the fit is the garment's alone.
  const look = current.worn_with ? ` with ${current.worn_with}` : "";
  $("status").textContent = $("heat").checked ? `Stretch heat map of the ${garmentTitle()}` : `Your clone${look}`;
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
