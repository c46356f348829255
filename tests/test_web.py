"""The HTTP API: shopper try-on (no login, rate-limited, nothing kept), the studio (API keys),
limits, and a schemathesis run: the OpenAPI document is the contract."""

from __future__ import annotations

import logging
import time

import pytest
import schemathesis
from fastapi.testclient import TestClient

from web_fixtures import SHOPPER, make_app


@pytest.fixture(scope="module")
def web(tryon_data, tmp_path_factory):
    app, key = make_app(tryon_data, tmp_path_factory.mktemp("web") / "store.db")
    with TestClient(app) as client:
        client.headers["X-API-Key"] = key
        yield client


def tryon(client, size=None, body=None):
    return client.post("/api/shop/tryons", json={"body": body or SHOPPER, "garment": "tee",
                                                 "size": size})


def test_shopper_tries_on_gets_advice_and_a_model(web, caplog):
    caplog.set_level(logging.DEBUG)
    r = tryon(web)
    assert r.status_code == 201, r.text
    t = r.json()
    assert t["size"] == t["advice"]["size"] == "L"
    assert "bust 93 cm" in t["advice"]["reason"] and t["fits"]
    bust = next(e for e in t["ease"] if e["girth"] == "bust")
    assert 2 < bust["ease_cm"] < 25 and abs(bust["body_cm"] - 93.2) < 1.5
    glb = web.get(t["model_url"])
    assert glb.status_code == 200 and glb.headers["content-type"] == "model/gltf-binary"
    assert glb.content[:4] == b"glTF"
    heat = web.get(t["heat_map_url"])
    assert heat.content[:4] == b"glTF" and heat.content != glb.content
    assert t["worn_with"] == "navy trousers"  # in a complete look (the fit is the tee's)
    assert web.get(f"/api/shop/tryons/{t['id']}").json()["size"] == "L"
    # A shopper's measurements never reach a log line.
    for value in ("160.37", "63.21", "93.17", "93.2"):
        assert value not in caplog.text


def test_one_call_forgets_the_shopper(web):
    t = tryon(web).json()
    assert web.delete(f"/api/shop/tryons/{t['id']}").status_code == 204
    for path in (f"/api/shop/tryons/{t['id']}", t["model_url"]):
        r = web.get(path)
        assert r.status_code == 404 and "deleted or has expired" in r.json()["detail"]


def test_tryons_expire_on_a_timer_with_nobody_calling(tmp_path):
    app, _ = make_app(tmp_path, tmp_path / "s.db", retention_s=0.5)
    with TestClient(app) as client:
        s = app.state.sessions.add({}, b"glTF", b"glTF")
        assert client.get(f"/api/shop/tryons/{s.id}/model.glb").status_code == 200
        time.sleep(0.8)  # no request in between: the server's own timer forgets it
        assert len(app.state.sessions) == 0
        assert client.get(f"/api/shop/tryons/{s.id}/model.glb").status_code == 404


def test_shopper_errors_are_4xx_with_the_reason(web):
    r = tryon(web, body={**SHOPPER, "height_cm": 300})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "height_cm"
    assert "300" not in r.text  # the input is not echoed back
    r = tryon(web, body={"sex": "female", "height_cm": 150, "weight_kg": 40, "bust_cm": 170})
    assert r.status_code == 422 and "do not go together" in r.json()["detail"]
    r = tryon(web, size="XXXL")
    assert r.status_code == 404 and "no size 'XXXL'" in r.json()["detail"]
    r = tryon(web, size="5XL")
    assert r.status_code == 409 and "not prepared" in r.json()["detail"]
    r = web.post("/api/shop/tryons", json={"body": SHOPPER, "garment": "ballgown"})
    assert r.status_code == 404 and "no garment" in r.json()["detail"]
    r = web.post("/api/shop/advice", json={"body": SHOPPER, "garment": "tee"})
    assert r.status_code == 200 and r.json()["size"] == "L"


def test_shoppers_are_rate_limited_but_can_always_be_forgotten(tmp_path):
    app, _ = make_app(tmp_path, tmp_path / "s.db", shop_requests_per_minute=3)
    with TestClient(app) as client:
        s = app.state.sessions.add({}, b"glTF", b"glTF")
        codes = [client.get("/api/shop/garments").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        r = client.get("/api/shop/garments")
        assert int(r.headers["Retry-After"]) >= 1
        # Erasure is never rate-limited away.
        assert client.delete(f"/api/shop/tryons/{s.id}").status_code == 204
        assert len(app.state.sessions) == 0
        assert client.delete(f"/api/shop/tryons/{s.id}").status_code == 404


def serve_in_thread(monkeypatch, tmp_path, **env: str):  # type: ignore[no-untyped-def]
    """`dressform serve` as the command line starts it (its uvicorn options kept), run on a
    free port in a thread: the server and its URL."""
    import socket
    import threading

    import uvicorn

    from dressform.cli.web import serve_cmd

    for name, value in {"DRESSFORM_DATA": str(tmp_path),
                        "DRESSFORM_DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}",
                        **env}.items():
        monkeypatch.setenv(name, value)
    started: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(app=app, **kw))
    serve_cmd(access_log=False)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        started["port"] = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(**{**started, "log_level": "warning"}))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    return server, f"http://127.0.0.1:{started['port']}"


@pytest.mark.parametrize("trusted", ["", "127.0.0.1"])
def test_made_up_forwarding_headers_change_nothing(monkeypatch, tmp_path, trusted):
    """A client is known by its socket's address: once its bucket is empty, naming itself
    anew in X-Forwarded-For gets it nothing, unless the request came through a proxy the
    settings trust."""
    import httpx

    server, url = serve_in_thread(monkeypatch, tmp_path, DRESSFORM_WEB_TRUSTED_PROXIES=trusted,
                                  DRESSFORM_WEB_SHOP_REQUESTS_PER_MINUTE="3")
    try:
        with httpx.Client(base_url=url) as http:
            codes = [http.get("/api/shop/garments").status_code for _ in range(4)]
            assert codes == [200, 200, 200, 429]
            codes = {http.get("/api/shop/garments", headers={
                "X-Forwarded-For": f"203.0.113.{i}", "X-Real-IP": f"203.0.113.{i}",
                "Forwarded": f"for=203.0.113.{i}"}).status_code for i in range(10)}
    finally:
        server.should_exit = True
    assert codes == ({429} if not trusted else {200})


def test_errors_name_the_problem_and_no_server_path(tmp_path):
    import tempfile

    app, key = make_app(tmp_path, tmp_path / "s.db")
    with TestClient(app) as client:
        for data in (b"not a dxf", b"0\nSECTION\n2\nENTITIES\n0\nENDSEC\n0\nEOF\n"):
            r = client.post("/api/patterns", headers={"X-API-Key": key},
                            files={"file": ("Skirt.dxf", data)})
            assert r.status_code == 422 and "Skirt.dxf" in r.json()["detail"]
            assert "dressform-upload" not in r.text and tempfile.gettempdir() not in r.text
        # NaN fails every bound: it is reported as not a number, not as "should be ≤ 215".
        nan = '{"height_cm": NaN, "weight_kg": 60}'  # JSON has no NaN; Python's reader does
        json = {"Content-Type": "application/json", "X-API-Key": key}
        r = client.post("/api/shop/advice", content=f'{{"body": {nan}, "garment": "tee"}}',
                        headers=json)
        assert r.status_code == 422 and "finite number" in r.json()["detail"][0]["msg"]
        for field in ("spec", "measurements"):
            r = client.post("/api/clones", content=f'{{"id": "x", "{field}": {nan}}}',
                            headers=json)
            assert r.status_code == 422 and "finite number" in r.text, r.text


def test_request_bodies_are_limited(tryon_data, tmp_path):
    app, key = make_app(tryon_data, tmp_path / "s.db", max_upload_bytes=1000)
    with TestClient(app) as client:
        r = client.post("/api/patterns", headers={"X-API-Key": key},
                        files={"file": ("big.dxf", b"0" * 5000)})
        assert r.status_code == 413 and "1000 byte limit" in r.json()["detail"]


def test_work_over_the_time_limit_is_answered_504(tryon_data, tmp_path):
    app, key = make_app(tryon_data, tmp_path / "s.db", request_timeout_s=0.01)
    with TestClient(app) as client:
        r = client.post("/api/clones", headers={"X-API-Key": key}, json={
            "id": "slow", "measurements": {"height_cm": 170, "weight_kg": 70}})
        assert r.status_code == 504 and "0.01 s" in r.json()["detail"]
        r = tryon(client)
        assert r.status_code == 504 and "try again in a minute" in r.json()["detail"]


def test_studio_needs_a_live_key(web):
    for headers in ({"X-API-Key": ""}, {"X-API-Key": "dfk_wrong"}):
        r = web.get("/api/clones", headers=headers)
        assert r.status_code == 401
    store = web.app.state.store
    record, key = store.add_api_key("temp")
    assert web.get("/api/clones", headers={"X-API-Key": key}).status_code == 200
    store.revoke_api_key(record.id)
    assert web.get("/api/clones", headers={"X-API-Key": key}).status_code == 401


def test_clones_consent_and_erasure(web):
    r = web.post("/api/clones", json={"id": "ada", "spec": {"sex": "female", "height_cm": 170,
                                                            "weight_kg": 60}})
    assert r.status_code == 201, r.text
    r = web.post("/api/clones", json={"id": "bo", "synthetic": False, "sex": "male",
                                      "measurements": {"height_cm": 181, "weight_kg": 82,
                                                       "bust_girth_cm": 102}})
    assert r.status_code == 201, r.text
    got = web.get("/api/clones/bo").json()
    assert abs(got["measurements"]["bust_girth_cm"] - 102) < 1.5
    assert {c["id"] for c in web.get("/api/clones").json()} >= {"ada", "bo"}
    png = web.get("/api/clones/ada/preview.png")
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
    bad = web.post("/api/clones", json={"id": "cy", "spec": {"height_cm": 400}})
    assert bad.status_code == 422 and "height" in bad.json()["detail"]
    c = web.post("/api/clones/bo/consents", json={
        "person": "Bo", "uses": ["campaign"], "starts": "2026-01-01", "expires": "2027-01-01",
        "licence_ref": "L-1"})
    assert c.status_code == 201, c.text
    cid = c.json()["id"]
    assert web.post(f"/api/consents/{cid}/revoke", json={"reason": "asked"}).json()["revoked_at"]
    assert web.post("/api/clones/ada/consents", json={
        "person": "A", "uses": ["campaign"], "starts": "2026-01-01", "expires": "2027-01-01",
        "licence_ref": "L"}).status_code == 422  # synthetic: needs no consent
    assert web.delete("/api/clones/bo").status_code == 204
    assert web.get("/api/clones/bo").status_code == 404
    assert web.get("/api/clones/bo/consents").status_code == 404


def test_patterns_upload_grade_and_reject(web, tmp_path):
    from dressform.garment.blocks import draft
    from dressform.garment.io.files import write_pattern
    from dressform.garment.sizes import builtin_chart

    dxf = write_pattern(draft("skirt", {**builtin_chart("women").size("M").body_cm,
                                        "height_cm": 168}), tmp_path / "skirt.dxf")
    r = web.post("/api/patterns", files={"file": ("Skirt.dxf", dxf.read_bytes())})
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "skirt" and r.json()["source"] == "dxf-aama"
    assert len(r.json()["panels"]) >= 2
    assert web.get("/api/patterns/skirt").json()["panels"]
    gc = write_pattern(draft("tshirt", {**builtin_chart("women").size("S").body_cm,
                                        "height_cm": 165}), tmp_path / "tee.json")
    r = web.post("/api/patterns", files={"file": ("tee.json", gc.read_bytes())})
    assert r.status_code == 201, r.text
    assert r.json()["source"] == "garmentcode" and r.json()["stitches"] > 0
    for name, data in (("x.dxf", b"not a dxf"), ("x.txt", b"hello"), ("x.json", b"{}")):
        r = web.post("/api/patterns", files={"file": (name, data)})
        assert r.status_code == 422, (name, r.text)
    r = web.post("/api/patterns", files={"file": ("Our Skirt!.dxf", dxf.read_bytes())})
    assert r.status_code == 422 and "?name=" in r.json()["detail"]
    r = web.post("/api/patterns?name=our-skirt", files={"file": ("Our Skirt!.dxf",
                                                                 dxf.read_bytes())})
    assert r.status_code == 201 and r.json()["name"] == "our-skirt"
    g = web.post("/api/patterns/grade", json={"block": "tshirt", "chart": "women"})
    assert g.status_code == 201 and not g.json()["problems"]
    assert "tshirt-m" in {p["name"] for p in web.get("/api/patterns").json()}
    assert web.get("/api/patterns/nope").status_code == 404


def wait_job(client, job_id, timeout=240):
    deadline = time.time() + timeout
    while time.time() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.5)
    raise AssertionError(f"job {job_id} did not finish")


def test_drape_fit_and_render_jobs(web):
    web.post("/api/clones", json={"id": "dee", "spec": {"sex": "female", "height_cm": 166,
                                                        "weight_kg": 60}})
    too_fine = web.post("/api/drapes", json={"clone": "dee", "garment": "tshirt",
                                             "size": "M", "spacing_mm": 10})
    assert too_fine.status_code == 422 and "particles" in too_fine.json()["detail"]
    r = web.post("/api/drapes", json={"clone": "dee", "garment": "tshirt", "size": "M",
                                      "spacing_mm": 40, "max_frames": 150})
    assert r.status_code == 202, r.text
    job = r.json()
    early = web.get(f"/api/drapes/{job['id']}/model.glb")
    assert early.status_code in (200, 409)
    job = wait_job(web, job["id"])
    assert job["status"] == "done", job["error"]
    assert web.get(f"/api/drapes/{job['id']}/model.glb").content[:4] == b"glTF"
    fit = web.get(f"/api/drapes/{job['id']}/fit").json()
    bust = next(e for e in fit["ease"] if e["girth"] == "bust_girth_cm")
    assert bust["ease_cm"] > 0 and "bust ease" in fit["summary"]
    slim = web.get(f"/api/drapes/{job['id']}/fit", params={"intent": "slim"})
    assert slim.status_code == 200 and slim.json()["ease"] == fit["ease"]
    assert web.get(f"/api/drapes/{job['id']}/fit", params={"intent": "fitted"}).status_code == 422
    bad = web.post("/api/renders", json={"drape": job["id"], "camera": "drone"})
    assert bad.status_code == 422 and "drone" in bad.json()["detail"]
    r = web.post("/api/renders", json={"drape": job["id"], "width": 200, "height": 300})
    render = wait_job(web, r.json()["id"])
    assert render["status"] == "done", render["error"]
    png = web.get(f"/api/renders/{render['id']}.png")
    from io import BytesIO

    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(BytesIO(png.content)).convert("L"), float)
    assert pixels.shape == (300, 200) and pixels.std() > 10  # not blank


def test_a_bad_campaign_is_refused_with_its_line(web):
    r = web.post("/api/campaigns", content=b"name: x\nshots: {poses: [sitting]}\n",
                 headers={"Content-Type": "application/yaml"})
    assert r.status_code == 422 and "request:" in r.json()["detail"]
    assert web.get("/api/campaigns/nope").status_code == 404


def test_the_api_reads_no_server_paths(web):
    from campaign_fixtures import campaign_text

    web.post("/api/clones", json={"id": "ada", "spec": {"sex": "female"}})
    text = campaign_text(name="paths").replace(
        "{name: tee, block: tshirt, size: M, chart: women, color: red}",
        "{name: tee, pattern: /etc/passwd, color: red}")
    r = web.post("/api/campaigns", content=text.encode())
    assert r.status_code == 422 and "cannot name a pattern" in r.json()["detail"]
    text = campaign_text(name="paths").replace("chart: women", "chart: /etc/passwd.csv")
    r = web.post("/api/campaigns", content=text.encode())
    assert r.status_code == 422 and "one of women, men" in r.json()["detail"]
    r = web.post("/api/patterns/grade", json={"block": "tshirt", "chart": "/etc/x.csv"})
    assert r.status_code == 404 and "unknown size chart" in r.json()["detail"]


# --- schemathesis: the OpenAPI document is the contract ---------------------------------

def test_the_openapi_document_is_the_contract(tmp_path):
    """Schemathesis against the OpenAPI document, every check (`schemathesis.toml` says the
    few refusals no schema can foresee): generated requests, valid and not, for every
    operation; no status, header or body the document does not declare, and no 5xx. No
    drape may start (1 particle allowed) and no try-on size is prepared. `make conformance`
    is the longer run."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.checks import CHECKS

    app, key = make_app(tmp_path, tmp_path / "store.db", max_cloth_vertices=1,
                        shop_requests_per_minute=100_000)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 25
    checks = CHECKS.get_all()
    for op in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=op.as_strategy(generation_mode=mode))
            @settings(max_examples=4, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def check(case):  # type: ignore[no-untyped-def]
                case.call_and_validate(headers={"X-API-Key": key}, checks=checks)

            try:
                check()
            except Unsatisfiable:  # nothing in the request can be wrong (GET /healthz)
                assert mode == GenerationMode.NEGATIVE
