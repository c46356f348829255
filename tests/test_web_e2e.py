"""The pages in headless Chromium (Debian's, driven by Playwright) against a real server:
the shopper fills the form, sees their clone dressed in 3-D, toggles the heat map, reads the
advice and is forgotten; on a phone too. The studio shows the cast and a campaign's progress
live, then its outputs with their provenance. Screenshots go to the test's folder."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from campaign_fixtures import campaign_text
from web_fixtures import SHOPPER

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and os.environ.get("CI") != "true",
    reason="Debian's chromium is not installed (make install installs it)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tryon_data, tmp_path_factory):
    """`dressform serve` in its own process, with dev signing keys and an API key."""
    from dressform.provenance.keys import make_dev_credentials

    root = tmp_path_factory.mktemp("e2e")
    keys = make_dev_credentials(root / "keys")
    db = f"sqlite:///{root / 'store.db'}"
    env = {**os.environ, "DRESSFORM_DATA": str(tryon_data), "DRESSFORM_DATABASE_URL": db,
           "DRESSFORM_WEB_TRYON_SPACING_MM": "40", "DRESSFORM_WEB_PREPARE_ON_DEMAND": "false",
           "DRESSFORM_SIGNING_KEY": str(keys.key), "DRESSFORM_SIGNING_CHAIN": str(keys.chain),
           "DRESSFORM_SIGNING_TRUST": str(keys.trust)}
    made = subprocess.run([sys.executable, "-m", "dressform.cli", "keys", "api", "e2e"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip().splitlines()[-1]
    assert key.startswith("dfk_")
    port = free_port()
    log = root / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "dressform.cli", "serve", "--port",
                                 str(port)], env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while True:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=2)
            break
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                raise AssertionError(f"the server did not start:\n{log.read_text()}") from None
            time.sleep(0.5)
    yield {"url": url, "key": key, "log": log, "root": root}
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--enable-unsafe-swiftshader"])
        yield b
        b.close()


def viewer_pixels(page, path: Path) -> np.ndarray:
    page.locator("#viewer").screenshot(path=str(path))
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)


def shopper_flow(page, url: str, shots: Path, name: str) -> None:
    page.goto(url)
    page.fill("#height", str(SHOPPER["height_cm"]))
    page.fill("#weight", str(SHOPPER["weight_kg"]))
    page.fill("#bust", str(SHOPPER["bust_cm"]))
    page.click("#try")
    page.wait_for_function("Number(document.body.dataset.loaded || 0) >= 1", timeout=90_000)
    page.wait_for_timeout(1500)  # a few frames after the load event
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    assert page.inner_text("#advice-size").startswith("L")
    assert "bust 93 cm" in page.inner_text("#advice-reason")
    assert "fits" in page.inner_text("#verdict")
    plain = viewer_pixels(page, shots / f"{name}-viewer.png")
    # Something is drawn (not one flat colour), and the white T-shirt is in the picture.
    assert plain.std() > 8
    white = ((plain > 225).all(axis=2)).sum()
    # In a complete look: the T-shirt over navy trousers (dark blue below it), never nude.
    assert "with navy trousers" in page.inner_text("#status")
    lower = plain[plain.shape[0] // 2:]
    navy = (((lower[..., 2] - lower[..., 0]) > 20) & (lower.max(axis=2) < 150)).sum()
    assert navy > lower.shape[0] * lower.shape[1] // 100, "no trousers below the T-shirt"
    blue_plain = ((plain[..., 2] - plain[..., 0]) > 60).sum()
    page.check("#heat")
    page.wait_for_function("Number(document.body.dataset.loaded || 0) >= 2", timeout=60_000)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(shots / f"{name}-heat.png"), full_page=True)
    heat = viewer_pixels(page, shots / f"{name}-heat-viewer.png")
    # The heat map paints the T-shirt (slack: blue); the trousers keep their navy in both.
    blue = ((heat[..., 2] - heat[..., 0]) > 60).sum()
    assert blue - blue_plain > 500, "the heat map shows no slack (blue) cloth"
    assert white > 0 or plain.std() > 8
    assert page.is_visible("#legend")
    model = page.evaluate("new URL(document.getElementById('viewer').src, location.href).href")
    page.click("#forget")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Forgotten')")
    gone = page.request.get(model.split("?")[0])
    assert gone.status == 404


def test_shopper_page_on_desktop_and_phone(server, browser, tmp_path):
    shots = Path(os.environ.get("DRESSFORM_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    desktop = browser.new_page(viewport={"width": 1366, "height": 900})
    shopper_flow(desktop, server["url"], shots, "tryon-desktop")
    phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                             is_mobile=True, has_touch=True)
    shopper_flow(phone, server["url"], shots, "tryon-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    # Measurements that contradict each other: the reason, in the page.
    phone.goto(server["url"])
    phone.fill("#height", "150")
    phone.fill("#weight", "40")
    phone.fill("#bust", "170")
    phone.click("#try")
    phone.wait_for_function("document.getElementById('error').textContent.length > 0",
                            timeout=60_000)
    assert "do not go together" in phone.inner_text("#error")
    # The shopper's numbers were never logged by the server.
    log = server["log"].read_text()
    assert "POST /api/shop/tryons" in log  # the access log is on...
    for value in ("160.37", "63.21", "93.17"):
        assert value not in log  # ...and says nothing personal,
    assert "/api/shop/tryons/<id>/model.glb" in log  # nor the try-ons' ids


def test_studio_page_follows_a_campaign_live(server, browser, tmp_path):
    import httpx

    shots = Path(os.environ.get("DRESSFORM_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    api = httpx.Client(base_url=server["url"], headers={"X-API-Key": server["key"]},
                       timeout=120)
    assert api.post("/api/clones", json={"id": "ada", "spec": {
        "sex": "female", "height_cm": 168, "weight_kg": 62}}).status_code == 201
    text = campaign_text(name="web", cameras="[front]")
    started = api.post("/api/campaigns", content=text.encode(),
                       headers={"Content-Type": "application/yaml"})
    assert started.status_code == 202, started.text
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server['url']}/studio")
    page.fill("#key", server["key"])
    page.click("#key-form button")
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=60_000)
    page.wait_for_selector("#campaign-web", timeout=30_000)
    seen_running = page.get_attribute("#campaign-web", "data-running") == "true"
    page.wait_for_function(
        "(() => { const d = document.getElementById('campaign-web');"
        " const p = d && d.querySelector('progress');"
        " return d && d.dataset.running === 'false' && p.value === p.max; })()",
        timeout=300_000)
    page.wait_for_function("document.querySelectorAll('#outputs tbody tr').length >= 1",
                           timeout=60_000)
    page.wait_for_function("[...document.querySelectorAll('#cast img')].every(i => i.complete"
                           " && i.naturalWidth > 0)", timeout=60_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(shots / "studio.png"), full_page=True)
    row = page.inner_text("#outputs tbody tr")
    assert "ada" in row and ("Trusted" in row or "Valid" in row) and "synthetic" in row
    assert seen_running or "1 done" in page.inner_text("#campaign-web")
    outputs = api.get("/api/campaigns/web/outputs").json()
    assert len(outputs) == 1 and outputs[0]["provenance"]["synthetic"] is True
    image = api.get(outputs[0]["url"])
    assert image.status_code == 200 and len(image.content) > 10_000
    shutil.copy(server["log"], tmp_path / "server.log")


def test_forget_says_only_what_the_server_confirmed(server, browser, tmp_path):
    """"Forget my clone now" while the shopper is rate-limited: the server still deletes, and
    the page says "Forgotten" only once it has; a refused delete is retried, then reported."""
    shots = Path(os.environ.get("DRESSFORM_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(server["url"])
    for field, key in (("#height", "height_cm"), ("#weight", "weight_kg"), ("#bust", "bust_cm")):
        page.fill(field, str(SHOPPER[key]))
    page.click("#try")
    page.wait_for_function("!document.getElementById('forget').disabled", timeout=90_000)

    def sessions() -> int:  # the server's count of shoppers' sessions (not rate-limited)
        return page.request.get(f"{server['url']}/healthz").json()["shopper_sessions"]

    held = sessions()
    # A server that keeps refusing: retried (it says when), then the page says it failed.
    page.route("**/api/shop/tryons/*", lambda route: route.fulfill(
        status=429, headers={"Retry-After": "1"}, body='{"detail": "too many requests"}')
        if route.request.method == "DELETE" else route.continue_())
    page.click("#forget")
    page.wait_for_function("document.getElementById('error').textContent.length > 0",
                           timeout=30_000)
    page.screenshot(path=str(shots / "forget-refused.png"), full_page=True)
    assert "could not be deleted" in page.inner_text("#error")
    assert not page.inner_text("#status").startswith("Forgotten") and sessions() == held
    page.unroute("**/api/shop/tryons/*")
    # The shopper's bucket emptied (made-up forwarding headers name no one else): the
    # delete still goes through, and only then does the page say so.
    for i in range(100):
        r = page.request.get(f"{server['url']}/api/shop/garments",
                             headers={"X-Forwarded-For": f"203.0.113.{i}"})
        if r.status == 429:
            break
    assert r.status == 429
    page.click("#forget")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Forgot')",
                           timeout=30_000)
    page.wait_for_timeout(1000)  # the house model, if prepared, replaces the clone
    page.screenshot(path=str(shots / "forget-confirmed.png"), full_page=True)
    assert sessions() == held - 1 and page.inner_text("#error") == ""
    # Nor is the clone still shown: no numbers of it, and the view is of the house model.
    assert "bust" not in page.inner_text("#advice-card") and page.input_value("#height") == ""
    assert "/api/shop/garments/" in page.evaluate("document.getElementById('viewer').src")
