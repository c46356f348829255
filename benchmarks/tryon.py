"""Shopper try-on against a running server (`dressform serve`): drapes prepared on the grid,
then a load script of shoppers (their numbers from a sampled diverse cast) at 1 and 2 at a
time, each timed from the POST to the dressed clone's GLB received; then the page itself in
headless Chromium, timed from the click to the 3-D view loaded; and the error of the short
re-drape (8 steps) against the same drape settled to rest.

`python benchmarks/tryon.py` runs only this and replaces its section of BENCHMARKS.md;
`make bench` runs it with everything else. Prepared drapes are kept in
`.dressform/bench-tryon` (remove it to time the preparation again).
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

from bench_format import table
from clones import replace_section
from dressform.body.cast import cast, sized_as
from dressform.body.measure import measure
from dressform.fit.ease import EASE_TOLERANCE_CM
from dressform.tryon.catalogue import catalogue_garment
from dressform.tryon.library import DrapeLibrary
from dressform.tryon.shopper import ShopperBody, try_on

TITLE = "### web try-on: first view"
DATA = Path(".dressform/bench-tryon")
TEE = catalogue_garment("tee")
SHOPPERS = 40


def shoppers(n: int, seed: int = 11) -> list[dict]:
    """Shoppers' forms from a diverse cast: height, weight, and for every other one their
    bust, waist and hip as a tape would read them."""
    people = cast(n, seed=seed)
    out = []
    for k, (spec, body) in enumerate(zip(people.specs, people.bodies, strict=True)):
        m = measure(body)
        form = {"sex": sized_as(spec.sex), "height_cm": round(m.height_cm, 1),
                "weight_kg": round(m.weight_kg, 1)}
        if k % 2:
            form |= {"bust_cm": round(m.bust_girth_cm, 1), "waist_cm": round(m.waist_girth_cm, 1),
                     "hip_cm": round(m.hip_girth_cm, 1)}
        out.append(form)
    return out


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: Path) -> tuple[subprocess.Popen, str]:
    port = _port()
    env = {**os.environ, "DRESSFORM_DATA": str(DATA), "DRESSFORM_DATABASE_URL": f"sqlite:///{db}",
           "DRESSFORM_WEB_SHOP_REQUESTS_PER_MINUTE": "100000"}
    proc = subprocess.Popen([sys.executable, "-m", "dressform.cli", "serve", "--port", str(port),
                             "--no-access-log"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            httpx.get(f"{url}/healthz", timeout=2)
            return proc, url
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the server did not start")


def one(url: str, form: dict) -> tuple[float, int]:
    t = time.perf_counter()
    with httpx.Client(base_url=url, timeout=120) as c:
        r = c.post("/api/shop/tryons", json={"body": form, "garment": "tee"})
        if r.status_code == 201:
            c.get(r.json()["model_url"]).raise_for_status()
    return time.perf_counter() - t, r.status_code


def load(url: str, forms: list[dict], concurrency: int) -> tuple[list[float], dict[int, int]]:
    with cf.ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda f: one(url, f), forms))
    codes: dict[int, int] = {}
    for _, code in results:
        codes[code] = codes.get(code, 0) + 1
    return [s for s, code in results if code == 201], codes


def browser(url: str, forms: list[dict]) -> tuple[list[float], list[float]]:
    """(first view after the click, page open to the house model shown) per shopper, ms."""
    from playwright.sync_api import sync_playwright

    views, opens = [], []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium",
                              args=["--enable-unsafe-swiftshader"])
        for form in forms:
            page = b.new_page(viewport={"width": 1366, "height": 900})
            t = time.perf_counter()
            page.goto(url)
            page.select_option("#sex", form["sex"])
            page.wait_for_function("document.body.dataset.house === '1'", timeout=120_000)
            opens.append(1000 * (time.perf_counter() - t))
            page.fill("#height", str(form["height_cm"]))
            page.fill("#weight", str(form["weight_kg"]))
            for field in ("bust", "waist", "hip"):
                if f"{field}_cm" in form:
                    page.fill(f"#{field}", str(form[f"{field}_cm"]))
            page.click("#try")
            page.wait_for_function("window.firstViewMs > 0", timeout=120_000)
            views.append(page.evaluate("window.firstViewMs"))
            page.close()
        b.close()
    return views, opens


def redrape_error(forms: list[dict], library: DrapeLibrary
                  ) -> tuple[float, float, float, float]:
    """Mean |ease settled to the try-on's tolerance − ease at rest| at the bust and waist
    (cm), and the mean steps taken by each, over `forms`."""
    bust, waist, short_steps, rest_steps = [], [], [], []
    for form in forms:
        short, rest = (try_on(ShopperBody(**form), TEE, None, library, tolerance_cm=tol)
                       for tol in (EASE_TOLERANCE_CM, 0.0))
        eases = [{x.name: x.ease_cm for x in t.report.ease} for t in (short, rest)]
        short_steps.append(short.dressed.frames)
        rest_steps.append(rest.dressed.frames)
        bust.append(abs(eases[0]["bust_girth_cm"] - eases[1]["bust_girth_cm"]))
        waist.append(abs(eases[0]["waist_girth_cm"] - eases[1]["waist_girth_cm"]))
    return (statistics.mean(bust), statistics.mean(waist), statistics.mean(short_steps),
            statistics.mean(rest_steps))


def tryon_lines() -> list[str]:
    library = DrapeLibrary(DATA / "tryon")
    t = time.perf_counter()
    made = refused = 0
    for sex in ("female", "male"):
        m, r = library.prepare(TEE, sex)
        made, refused = made + m, refused + r
    prep = time.perf_counter() - t
    forms = shoppers(SHOPPERS)
    lines = [TITLE,
             "The T-shirt of the demo collection prepared at 25 mm on the 12 grid bodies "
             "(6 women, 6 men) in each one's size and one either side:",
             "",
             *table(("prepared drapes", "refused as too small", "seconds"),
                    [(made, refused, f"{prep:.0f} (0 when already on disk)")]),
             "",
             f"{SHOPPERS} shoppers from a sampled diverse cast (seed 11), half giving height "
             "and weight only, half also bust, waist and hip, each asking for the advised "
             "size, against one server (`dressform serve`, on the same cores as the load "
             "script and the browser). Target: first view ≤ 3 s p95, the page's own timing "
             "from the click to model-viewer's load event of the shopper's dressed clone "
             "(Chromium renders with SwiftShader, software WebGL; its one-time start happens "
             "while the page shows the garment on the house model).",
             "", "| what | shoppers at once | n | p50 (s) | p95 (s) | max (s) | answers |",
             "|---|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = serve(Path(tmp) / "store.db")
        try:
            one(url, forms[0])  # the server's first request loads the body model
            for conc in (1, 2):
                secs, codes = load(url, forms, conc)
                said = ", ".join(f"{v}× {k}" for k, v in sorted(codes.items()))
                lines.append(f"| POST try-on + GET model | {conc} | {len(secs)} | "
                             f"{percentile(secs, 50):.2f} | {percentile(secs, 95):.2f} | "
                             f"{max(secs):.2f} | {said} |")
            views, opens = browser(url, forms[:12])
            lines.append(f"| page: click → dressed clone on screen (Chromium) | 1 | "
                         f"{len(views)} | {percentile(views, 50) / 1000:.2f} | "
                         f"{percentile(views, 95) / 1000:.2f} | {max(views) / 1000:.2f} | |")
            lines.append(f"| page: open → garment on the house model (viewer start-up) | 1 | "
                         f"{len(opens)} | {percentile(opens, 50) / 1000:.2f} | "
                         f"{percentile(opens, 95) / 1000:.2f} | {max(opens) / 1000:.2f} | |")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    bust, waist, steps, rest_steps = redrape_error(forms[:8], library)
    lines += ["", *table(
        ("try-on re-drape against the same drape settled to rest, 8 shoppers",
         "steps (try-on / rest, mean)", "bust ease off (cm, mean)", "waist ease off (cm, mean)"),
        [(f"settled until its eases hold to {EASE_TOLERANCE_CM * 10:g} mm",
          f"{steps:.0f} / {rest_steps:.0f}", f"{bust:.2f}", f"{waist:.2f}")])]
    return lines


if __name__ == "__main__":
    replace_section(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("BENCHMARKS.md"),
                    tryon_lines())
