"""The campaign runner: outputs signed, watermarked and recorded once; re-runs do only what
is missing; consent checked at run time; failures retried then reported; a killed runner
resumed without losing or duplicating anything; the same campaign on a local Ray cluster."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from campaign_fixtures import SPEC, TEE, campaign_text, load, prime
from dressform.campaign.executors import InlineExecutor
from dressform.campaign.run import plan_campaign, run_campaign, watermark_payload
from dressform.campaign.spec import GarmentItem
from dressform.campaign.work import DrapeTask, drape_look
from dressform.errors import RenderError
from dressform.provenance.keys import make_dev_credentials
from dressform.provenance.manifest import verify
from dressform.provenance.watermark import decode
from dressform.store import open_store

TODAY = date(2026, 11, 29)


@pytest.fixture(scope="session")
def dressed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("drape") / "tee.glb"
    return drape_look(DrapeTask(SPEC, (GarmentItem(**TEE),), "over", 40.0, 80, out))


@pytest.fixture(scope="session")
def creds(tmp_path_factory):
    return make_dev_credentials(tmp_path_factory.mktemp("keys"))


@pytest.fixture
def studio(tmp_path, dressed, creds):
    """A store with the real person 'ada', and a way to run a campaign text in tmp_path."""
    store = open_store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    store.put_clone("ada", SPEC, synthetic=False, source="ada.glb")

    def run(text: str, **kw):
        campaign = load(text)
        prime(campaign, store, tmp_path / "out", dressed)
        return run_campaign(campaign, tmp_path / "out", store=store,
                            executor=kw.pop("executor", InlineExecutor()), credentials=creds,
                            today=kw.pop("today", TODAY), backoff_s=0.01, **kw)

    run.store = store  # type: ignore[attr-defined]
    run.out = tmp_path / "out"  # type: ignore[attr-defined]
    return run


def _grant(store, **kw):
    fields = {"uses": ("campaign",), "territories": ("EU",), "starts": date(2026, 1, 1),
              "expires": date(2026, 12, 31), "licence_ref": "LIC-7"} | kw
    return store.grant("ada", "Ada Example", **fields)


def test_outputs_are_signed_watermarked_recorded_and_resumed(studio, creds):
    text = campaign_text(cast="clones: [{name: sam, spec: {sex: female, age_years: 30, "
                              "height_cm: 168, weight_kg: 62}}]").replace(
        "quality: draft}", "quality: draft, width: 480, height: 720}")
    report = studio(text)
    assert len(report.done) == 2 and report.complete
    p = plan_campaign(load(text), studio.store)
    for shot in p.shots:
        path = studio.out / shot.output
        m = verify(path, creds.trust)
        assert m.trusted and m.synthetic and not m.failures
        assert m.clone["job"] == shot.key and m.clone["clone_id"] == "test.sam"
        assert m.clone["synthetic_clone"] is True and m.clone["consent_ref"] is None
        with Image.open(path) as im:
            assert im.size == (480, 720)
            assert decode(im) == watermark_payload(shot.key)
            pixels = np.asarray(im.convert("L"), dtype=float)
        assert pixels.std() > 10  # a figure on the backdrop, not a blank frame
    sheet = studio.out / "contact_sheet.png"
    book = studio.out / "lookbook.pdf"
    assert {sheet, book} == set(report.published)
    assert book.read_bytes().startswith(b"%PDF") and book.read_bytes().count(b"/Type /Page") >= 2
    assert verify(sheet).present is False  # proofs are not outputs
    again = studio(text)
    assert (len(again.skipped), again.done) == (2, [])
    (studio.out / p.shots[1].output).unlink()
    third = studio(text)
    assert third.done == [p.shots[1].output] and third.skipped == [p.shots[0].output]
    assert len(studio.store.outputs("test")) == 2


def test_an_output_written_but_not_recorded_is_adopted(studio, tmp_path, creds):
    text = campaign_text(cast="clones: [{name: sam, spec: {sex: female, age_years: 30, "
                              "height_cm: 168, weight_kg: 62}}]")
    studio(text)
    # A runner that died after writing the images but before recording them: a fresh
    # database over the same folder finds them, checks their manifests, and records them.
    fresh = open_store(f"sqlite:///{tmp_path / 'other.sqlite'}")
    report = run_campaign(load(text), studio.out, store=fresh, executor=InlineExecutor(),
                          credentials=creds, today=TODAY)
    assert len(report.adopted) == 2 and report.done == []
    assert len(fresh.outputs("test")) == 2


@pytest.mark.parametrize(("grant", "reason"), [
    (None, "no consent on record"),
    ({"expires": TODAY - timedelta(days=1)}, "expired"),
    ({"uses": ("social", "e-commerce")}, "not 'campaign'"),
    ({"territories": ("US",)}, "not EU"),
    ({"starts": TODAY + timedelta(days=3)}, "starts on"),
])
def test_consent_refuses_shots_and_audits(studio, grant, reason):
    if grant is not None:
        _grant(studio.store, **grant)
    report = studio(campaign_text())
    assert report.done == [] and len(report.refused) == 2
    assert all(reason in why for why in report.refused.values()), report.refused
    refusals = studio.store.events(kind="consent.refused", clone_id="ada")
    assert len(refusals) >= 2 and reason in refusals[0].detail
    assert not list(studio.out.glob("ada/**/*.jpg"))
    assert {j.status for j in studio.store.jobs("test")} == {"refused"}


def test_a_valid_consent_is_named_in_each_manifest(studio, creds):
    consent = _grant(studio.store)
    report = studio(campaign_text())
    assert len(report.done) == 2
    for out in studio.store.outputs("test"):
        assert out.consent_id == consent.id
        assert verify(out.path, creds.trust).clone["consent_ref"] == consent.id


def test_a_revocation_stops_the_remaining_shots(studio):
    consent = _grant(studio.store)
    events = []

    def revoke_after_first(kind, shot, detail):
        events.append(kind)
        if kind == "done" and events.count("done") == 1:
            studio.store.revoke(consent.id, "withdrawn by the model")

    report = studio(campaign_text(cameras="[front, back, side]"), on_event=revoke_after_first)
    assert len(report.done) == 1 and len(report.refused) == 2
    assert all("revoked" in r for r in report.refused.values())
    kinds = [e.kind for e in studio.store.events(clone_id="ada")]
    assert "consent.revoked" in kinds and "consent.refused" in kinds


def test_an_image_whose_consent_ends_while_it_renders_is_not_published(studio):
    consent = _grant(studio.store)

    def revoke_on_start(kind, shot, detail):
        if kind == "started":
            studio.store.revoke(consent.id)

    report = studio(campaign_text(cameras="[front]"), on_event=revoke_on_start)
    assert report.done == [] and len(report.refused) == 1
    assert not list(studio.out.glob("ada/**/*.jpg"))


def test_failures_are_retried_with_backoff_then_reported(studio, monkeypatch, tmp_path, cli):
    import dressform.campaign.run as run_module

    real = run_module.shoot_look
    calls: dict[str, int] = {}

    def flaky(task):
        calls[task.camera] = calls.get(task.camera, 0) + 1
        if task.camera == "back":
            raise RenderError("Blender crashed (simulated)")
        if task.camera == "side" and calls["side"] == 1:
            raise RenderError("worker lost (simulated)")
        return real(task)

    monkeypatch.setattr(run_module, "shoot_look", flaky)
    text = campaign_text(cast="clones: [{name: sam, spec: {sex: female, age_years: 30, "
                              "height_cm: 168, weight_kg: 62}}]",
                         cameras="[front, back, side]")
    report = studio(text)
    assert calls == {"front": 1, "back": 2, "side": 2}  # retries: 1
    assert len(report.done) == 2
    assert list(report.failed) == ["sam/tee/a-pose_back_high-key_white_neutral.jpg"]
    assert "Blender crashed" in next(iter(report.failed.values()))
    job = next(j for j in studio.store.jobs("test") if j.shot["camera"] == "back")
    assert (job.status, job.attempts) == ("failed", 2)
    assert [e.kind for e in studio.store.events(kind="job.failed")] == ["job.failed"]
    shown = cli("campaign", "status", "test", "--db", f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert shown.returncode == 0 and "3 shots: 2 done, 1 failed" in shown.stdout
    assert "crashed (simulated)" in shown.stdout  # the reason, in a table


def test_bad_input_fails_at_once_and_spares_the_other_looks(studio, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    text = campaign_text(cast="clones: [{name: sam, spec: {sex: female, age_years: 30, "
                              "height_cm: 168, weight_kg: 62}}]", cameras="[front]")
    text = text.replace("looks: [{name: tee, garments: [tee]}]",
                        "looks: [{name: tee, garments: [tee]}, {name: odd, garments: "
                        "[odd]}]").replace(
        "color: red}]", f"color: red}}, {{name: odd, pattern: '{broken}'}}]")
    report = studio(text)
    assert len(report.done) == 1 and len(report.failed) == 1
    assert "broken.json" in next(iter(report.failed.values()))


def _run_cli(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dressform.cli", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def _marked_processes(marker: str) -> list[int]:
    """Live processes whose environment carries `marker` (the runners and workers of a
    test: workers inherit it)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if f"DRESSFORM_TEST_MARK={marker}".encode() in (proc / "environ").read_bytes():
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(tmp_path, dressed, creds):
    """Kill the runner (and so its workers) 20+ times at random moments, then let it finish:
    every shot exists exactly once, every file is whole and verifies, no duplicate rows."""
    text = campaign_text(cast="clones: [{name: sam, spec: {sex: female, age_years: 30, "
                              "height_cm: 168, weight_kg: 62}}]",
                         cameras="[front, back, side, three-quarter]",
                         backdrops="[white, sage]")
    file = tmp_path / "campaign.yaml"
    file.write_text(text)
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store = open_store(db)
    out = tmp_path / "out"
    prime(load(text), store, out, dressed)
    env = {**os.environ, "DRESSFORM_SIGNING_KEY": str(creds.key),
           "DRESSFORM_SIGNING_CHAIN": str(creds.chain),
           "DRESSFORM_SIGNING_TRUST": str(creds.trust), "DRESSFORM_TEST_MARK": str(tmp_path)}
    args = ["campaign", "run", str(file), "-o", str(out), "--db", db, "--workers", "1"]
    interrupted = _run_cli(args, env)  # Ctrl-C: a clear word and exit status 130
    time.sleep(4.0)
    interrupted.send_signal(signal.SIGINT)
    assert interrupted.wait(timeout=60) == 130
    assert "interrupted" in interrupted.stderr.read().decode()
    rng = random.Random(7)
    kills, deadline = 0, time.monotonic() + 240
    while kills < 20 and time.monotonic() < deadline:
        proc = _run_cli(args, env)
        try:
            proc.wait(timeout=rng.uniform(0.5, 6.0))
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)  # the runner only: its workers die with it
            proc.wait()
            kills += 1
            continue
        if proc.returncode == 0:  # it finished between kills: start over on a clean slate
            for p in out.rglob("*.jpg"):
                p.unlink()
    assert kills >= 20
    final = _run_cli(args, env)
    assert final.wait(timeout=300) == 0, final.stderr.read().decode()[-2000:]
    time.sleep(1.0)
    assert _marked_processes(env["DRESSFORM_TEST_MARK"]) == []  # no orphaned workers
    p = plan_campaign(load(text), store)
    images = sorted(out.rglob("*.jpg"))
    assert sorted(out / s.output for s in p.shots) == images  # each exactly once
    assert not [f for f in out.rglob(".*") if f.is_file() and ".drapes" not in f.parts]
    for path in images:
        with Image.open(path) as im:
            im.load()  # whole, not truncated
        assert verify(path, creds.trust).trusted
    outputs = store.outputs("test")
    jobs = store.jobs("test")
    assert len(jobs) == len(p.shots) and {j.status for j in jobs} == {"done"}
    assert sorted(o.path for o in outputs) == sorted(str(i) for i in images)
    status = subprocess.run([sys.executable, "-m", "dressform.cli", "campaign", "status", "test",
                             "--db", db], capture_output=True, text=True, env=env, timeout=120)
    assert f"{len(p.shots)} shots: {len(p.shots)} done" in status.stdout


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_campaign_runs_on_a_local_ray_cluster(tmp_path, dressed, creds):
    """A Ray head started on loopback, the campaign sent to it by address."""
    ray = str(Path(sys.executable).with_name("ray"))
    port = _free_port()
    # Token authentication guards clusters reachable from a network; this one listens on
    # loopback for the length of the test.
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled"}
    subprocess.run([ray, "start", "--head", "--node-ip-address=127.0.0.1", f"--port={port}",
                    "--num-cpus=1", "--include-dashboard=false", "--disable-usage-stats"],
                   check=True, capture_output=True, env=env, timeout=120)
    try:
        text = campaign_text(cast="clones: [{name: sam, spec: {sex: female, age_years: 30, "
                                  "height_cm: 168, weight_kg: 62}}]")
        file = tmp_path / "campaign.yaml"
        file.write_text(text)
        db = f"sqlite:///{tmp_path / 'db.sqlite'}"
        store = open_store(db)
        prime(load(text), store, tmp_path / "out", dressed)
        done = subprocess.run(
            [sys.executable, "-m", "dressform.cli", "campaign", "run", str(file), "-o",
             str(tmp_path / "out"), "--db", db, "--executor", "ray", "--address",
             f"127.0.0.1:{port}", "--key", str(creds.key), "--chain", str(creds.chain)],
            capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        assert "2 rendered" in done.stdout
        outputs = store.outputs("test")
        assert len(outputs) == 2
        assert all(verify(o.path, creds.trust).trusted for o in outputs)
    finally:
        subprocess.run([ray, "stop", "--force"], capture_output=True, env=env, timeout=120)


def test_a_size_smaller_than_the_clone_is_refused_before_draping(studio):
    text = campaign_text(cast="clones: [{name: big, spec: {sex: female, age_years: 45, "
                              "height_cm: 160, weight_kg: 100}}]", cameras="[front]")
    text = (text.replace("looks: [{name: tee, garments: [tee]}]",
                         "looks: [{name: small, garments: [xs]}]")
            .replace("color: red}]", "color: red}, {name: xs, block: tshirt, size: XS, "
                                     "chart: women}]"))
    report = studio(text)
    assert report.done == [] and len(report.failed) == 1
    reason = next(iter(report.failed.values()))
    assert "xs in size XS of the" in reason and "choose a larger size" in reason


def test_a_pose_is_re_draped_once_for_all_its_shots(studio, monkeypatch):
    import warnings

    import dressform.drape.posed as posed
    from dressform.errors import DressformWarning

    real = posed.posed_garments
    note = "re-draped into the relaxed pose, the tee: did not come to rest (a test)"

    def uneasy(*args, **kwargs):  # the re-drape warns, as one that does not settle does
        out = real(*args, **kwargs)
        warnings.warn(DressformWarning(note), stacklevel=1)
        return out

    monkeypatch.setattr(posed, "posed_garments", uneasy)
    events: list[tuple[str, str]] = []
    text = campaign_text(cast="clones: [{name: sam, spec: {sex: female, age_years: 30, "
                              "height_cm: 168, weight_kg: 62}}]").replace(
        "shots: {cameras:", "shots: {poses: [relaxed], cameras:")
    report = studio(text, on_event=lambda kind, shot, detail: events.append((kind, detail)))
    assert len(report.done) == 2 and report.complete
    assert [k for k, _ in events].count("pose-started") == 1
    # The shots are made, and each made from the re-drape carries its warning.
    assert all(note in report.warnings[shot] for shot in report.done)
    assert ("warning", note) in events
    assert len(list((studio.out / ".drapes").glob("*_relaxed.npz"))) == 1
    front, back = (np.asarray(Image.open(studio.out / f"sam/tee/relaxed_{c}_high-key_white_"
                                         "neutral.jpg").convert("L"), dtype=float)
                   for c in ("front", "back"))
    assert np.abs(front - back).mean() > 2  # two views, not one image twice
