"""The campaign runner: outputs signed, watermarked and recorded once; re-runs do only what
is missing; consent checked at run time; failures retried then reported; a killed runner
resumed without losing or duplicating anything; the same campaign on a local Ray cluster."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from campaign_fixtures import SPEC, TEE, campaign_text, load, prime, quick_shot
from dressform.campaign.executors import InlineExecutor
from dressform.campaign.run import plan_campaign, run_campaign, watermark_payload
from dressform.campaign.spec import GarmentItem
from dressform.campaign.work import DrapeTask, drape_look
from dressform.errors import InvalidInputError, RenderError
from dressform.provenance.keys import make_dev_credentials
from dressform.provenance.manifest import verify
from dressform.provenance.watermark import decode, detect
from dressform.render.studio import BACKDROPS, CAMERAS
from dressform.store import open_store

TODAY = date(2026, 11, 29)


@pytest.fixture(scope="session")
def dressed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("drape") / "tee.glb"
    return drape_look(DrapeTask(SPEC, (GarmentItem(**TEE),), "over", 40.0, 80, out))


@pytest.fixture(scope="session")
def creds(tmp_path_factory):
    return make_dev_credentials(tmp_path_factory.mktemp("keys"))


def _studio(tmp_path: Path, dressed: Path, creds):
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
    run.db = f"sqlite:///{tmp_path / 'db.sqlite'}"  # type: ignore[attr-defined]
    return run


@pytest.fixture
def studio(tmp_path, dressed, creds):
    """`_studio` with real drapes and shots (from the preview rasteriser)."""
    return _studio(tmp_path, dressed, creds)


@pytest.fixture
def quick(tmp_path, creds, monkeypatch):
    """`_studio` for tests of the runner's bookkeeping: shots by `quick_shot`, and an empty
    stand-in for the drape, which the stand-in never reads."""
    import dressform.campaign.run as run_module

    monkeypatch.setattr(run_module, "shoot_look", quick_shot)
    stand_in = tmp_path / "stand-in.glb"
    stand_in.write_bytes(b"")
    return _studio(tmp_path, stand_in, creds)


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
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", book.read_bytes())  # however it is spaced
    assert book.read_bytes().startswith(b"%PDF") and len(pages) >= 2
    for proof in (sheet, book):  # proofs are published images too: signed, naming each shot
        m = verify(proof, creds.trust)
        assert m.trusted and m.synthetic
        assert sorted(i["output"] for i in m.clone["images"]) == sorted(s.output for s in p.shots)
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
def test_consent_refuses_shots_and_audits(quick, grant, reason):
    if grant is not None:
        _grant(quick.store, **grant)
    report = quick(campaign_text())
    assert report.done == [] and len(report.refused) == 2
    assert all(reason in why for why in report.refused.values()), report.refused
    refusals = quick.store.events(kind="consent.refused", clone_id="ada")
    assert len(refusals) == 2 and all(reason in e.detail for e in refusals)  # one per shot
    assert not list(quick.out.glob("ada/**/*.jpg"))
    assert {j.status for j in quick.store.jobs("test")} == {"refused"}


def test_a_valid_consent_is_named_in_each_manifest(quick, creds):
    consent = _grant(quick.store)
    report = quick(campaign_text())
    assert len(report.done) == 2
    for out in quick.store.outputs("test"):
        assert out.consent_id == consent.id
        assert verify(out.path, creds.trust).clone["consent_ref"] == consent.id


def test_every_refusal_after_a_revocation_is_audited_once(quick, monkeypatch):
    """Revoked after the first image: the one rendered meanwhile is refused before it is
    recorded, the one whose first attempt failed is refused at its retry, the first is left
    out of the proofs: one audit event each, with its reason, its image and its point."""
    import dressform.campaign.run as run_module

    consent = _grant(quick.store)
    tries: dict[str, int] = {}

    def back_fails_once(task):
        tries[task.camera] = tries.get(task.camera, 0) + 1
        if task.camera == "back" and tries["back"] == 1:
            raise RenderError("worker lost (simulated)")
        return quick_shot(task)

    def revoke_after_first(kind, shot, detail):
        if kind == "done":
            quick.store.revoke(consent.id, "withdrawn by the model")

    monkeypatch.setattr(run_module, "shoot_look", back_fails_once)
    report = quick(campaign_text(cameras="[front, back, side]"), on_event=revoke_after_first)
    assert len(report.done) == 1 and len(report.refused) == 2
    assert all("revoked" in r for r in report.refused.values())
    refusals = quick.store.events(kind="consent.refused", clone_id="ada")
    assert all(e.consent_id == consent.id and e.detail.startswith("revoked: ")
               for e in refusals)
    # ...and the image made before the revocation is left out of the proofs: a third.
    assert sorted(e.detail.rsplit(", ", 1)[1] for e in refusals) == [
        "at dispatch)", "before recording)", "left out of the contact sheet and lookbook)"]
    assert all(any(f"({out}, " in e.detail for e in refusals) for out in report.refused)
    assert report.published == []  # nothing left that may be shown


def test_an_image_whose_consent_ends_while_it_renders_is_not_published(quick):
    consent = _grant(quick.store)

    def revoke_on_start(kind, shot, detail):
        if kind == "started":
            quick.store.revoke(consent.id)

    report = quick(campaign_text(cameras="[front]"), on_event=revoke_on_start)
    assert report.done == [] and len(report.refused) == 1
    assert not list(quick.out.glob("ada/**/*.jpg"))
    assert len(quick.store.events(kind="consent.refused")) == 1


class Killed(BaseException):
    """The runner killed (kill -9) after an image was written, before it was recorded."""


class DiesAfterFirstImage(InlineExecutor):
    def submit(self, fn, arg):
        super().submit(fn, arg)
        raise Killed


def test_an_unrecorded_image_is_recovered_only_with_consent(quick):
    """A runner dies between writing an image and recording it; the consent is revoked; the
    next run deletes the image (one audit event), records nothing and publishes nothing."""
    consent = _grant(quick.store)
    with pytest.raises(Killed):
        quick(campaign_text(), executor=DiesAfterFirstImage())
    assert len(list(quick.out.glob("ada/**/*.jpg"))) == 1 and quick.store.outputs("test") == []
    quick.store.revoke(consent.id, "withdrawn")
    report = quick(campaign_text())
    assert report.adopted == [] and report.done == [] and len(report.refused) == 2
    assert not list(quick.out.glob("ada/**/*.jpg")) and quick.store.outputs("test") == []
    assert report.published == [] and not (quick.out / "contact_sheet.png").exists()
    refusals = quick.store.events(kind="consent.refused")
    assert len(refusals) == 2 and all(e.consent_id == consent.id for e in refusals)
    assert sum("on recovery" in e.detail for e in refusals) == 1


def test_a_grant_after_a_revocation_is_a_new_consent(quick):
    """A revocation ends that consent; a later grant is in force from its own start, is the
    one the shots are made and signed under, and `consent show` says exactly that."""
    from typer.testing import CliRunner

    from dressform.cli.app import app

    first = _grant(quick.store)
    quick.store.revoke(first.id, "withdrawn")
    until = max(date.today(), TODAY) + timedelta(days=365)  # in force for `show` too
    second = _grant(quick.store, licence_ref="LIC-8", expires=until)
    report = quick(campaign_text())
    assert len(report.done) == 2 and report.complete
    assert {o.consent_id for o in quick.store.outputs("test")} == {second.id}
    shown = CliRunner().invoke(app, ["consent", "show", "ada", "--db", quick.db])
    assert shown.exit_code == 0, shown.output
    in_force = next(ln for ln in shown.output.splitlines() if ln.startswith("in force on"))
    assert second.id in in_force and first.id not in in_force
    rows = {ln.split("│")[1].strip(): ln for ln in shown.output.splitlines()
            if ln.startswith("│") and "consent-" in ln}
    assert "revoked" in rows[first.id] and "in force" in rows[second.id]
    quick.store.revoke(second.id)
    shown = CliRunner().invoke(app, ["consent", "show", "ada", "--db", quick.db])
    assert "none in force" in shown.output


def test_an_image_made_under_a_consent_revoked_and_granted_again_is_remade(quick, creds):
    """Revoked and granted anew while the image rendered: its manifest names the ended
    consent, so it is made again under the new one, never recorded under the old."""
    first = _grant(quick.store)
    renewed: list[str] = []

    def revoke_and_grant_on_start(kind, shot, detail):
        if kind == "started" and not renewed:
            quick.store.revoke(first.id, "withdrawn")
            renewed.append(_grant(quick.store, licence_ref="LIC-9").id)

    report = quick(campaign_text(cameras="[front]"), on_event=revoke_and_grant_on_start)
    assert len(report.done) == 1 and report.complete
    (out,) = quick.store.outputs("test")
    assert out.consent_id == renewed[0]
    assert verify(out.path, creds.trust).clone["consent_ref"] == renewed[0]
    assert quick.store.jobs("test")[0].attempts == 2


def test_proofs_are_signed_watermarked_and_rebuilt_without_a_revoked_clone(quick, creds):
    consent = _grant(quick.store)
    text = campaign_text(cast="clones: [{name: ada, clone: ada}, {name: sam, spec: {sex: male, "
                              "age_years: 40, height_cm: 180, weight_kg: 80}}]",
                         cameras="[front]")
    report = quick(text)
    sheet, book = quick.out / "contact_sheet.png", quick.out / "lookbook.pdf"
    assert set(report.published) == {sheet, book}

    def shown(proof: Path) -> dict[str, str | None]:
        m = verify(proof, creds.trust)
        assert m.trusted and m.synthetic and m.clone["campaign"] == "test"
        return {i["clone_id"]: i["consent_ref"] for i in m.clone["images"]}

    assert shown(sheet) == shown(book) == {"ada": consent.id, "test.sam": None}
    from dressform.campaign.publish import proof_payload

    with Image.open(sheet) as im:
        assert detect(im.convert("RGB"), proof_payload("test", "contact_sheet.png"))
    quick.store.revoke(consent.id, "withdrawn")
    again = quick(text)
    assert again.skipped and set(again.published) == {sheet, book}
    assert shown(sheet) == shown(book) == {"test.sam": None}
    left_out = [e for e in quick.store.events(kind="consent.refused")
                if "left out of the contact sheet and lookbook" in e.detail]
    assert len(left_out) == 1 and left_out[0].clone_id == "ada"


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
                            start_new_session=True, preexec_fn=_as_in_a_terminal)


def _as_in_a_terminal() -> None:
    """Ctrl-C as a terminal delivers it: a suite started in the background (`cmd &` in a
    script) passes its children SIGINT ignored, and Python then never raises
    KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for(condition: Callable[[], bool], seconds: float) -> None:
    """Poll `condition` until it holds: a moment in another process's run, not a guess at
    how long its start-up takes."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


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
    # Ctrl-C: a clear word and exit status 130. Interrupted on a campaign too long to finish
    # between its shots being planned and the signal arriving, however loaded the machine.
    busy_text = campaign_text(cast="clones: [{name: sam, spec: {sex: female, age_years: 30, "
                                   "height_cm: 168, weight_kg: 62}}]",
                              cameras=f"[{', '.join(CAMERAS)}]",
                              backdrops=f"[{', '.join(BACKDROPS)}]")
    busy_file, busy_db = tmp_path / "busy.yaml", f"sqlite:///{tmp_path / 'busy.sqlite'}"
    busy_file.write_text(busy_text)
    busy_store = open_store(busy_db)
    prime(load(busy_text), busy_store, tmp_path / "busy", dressed)
    interrupted = _run_cli(["campaign", "run", str(busy_file), "-o", str(tmp_path / "busy"),
                            "--db", busy_db, "--workers", "1"], env)
    # Once its shots are planned the runner is at work, with every shot still to make.
    _wait_for(lambda: len(busy_store.jobs("test")) > 0, 120)
    interrupted.send_signal(signal.SIGINT)
    stopped = interrupted.wait(timeout=300)  # it ends the shot in hand, on a loaded machine too
    said = interrupted.stderr.read().decode()
    assert stopped == 130, said[-2000:]
    assert "interrupted" in said
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


SAM = "clones: [{name: sam, spec: {sex: female, age_years: 30, height_cm: 168, weight_kg: 62}}]"


def test_two_runners_of_one_campaign_never_make_a_shot_twice(quick, monkeypatch):
    """The second runner waits on the first's lease, then finds every shot made."""
    import threading

    import dressform.campaign.run as run_module

    made: list[str] = []

    def slow(task):
        made.append(task.camera)
        time.sleep(0.3)
        return quick_shot(task)

    monkeypatch.setattr(run_module, "shoot_look", slow)
    started = threading.Event()
    first = threading.Thread(target=quick, args=(campaign_text(cast=SAM),), kwargs={
        "on_event": lambda kind, shot, detail: kind == "started" and started.set()})
    first.start()
    assert started.wait(60)
    waited: list[str] = []
    second = quick(campaign_text(cast=SAM), on_event=lambda kind, shot, detail: (
        kind == "waiting" and waited.append(detail)))
    first.join()
    assert sorted(made) == ["back", "front"]  # each shot once
    assert second.done == [] and len(second.skipped) == 2
    assert len(quick.store.events(kind="output.written")) == 2
    assert len(waited) == 1 and "runner" in waited[0]
    assert quick.store.lease("test") is None  # given up at the end


def test_a_held_campaign_is_refused_and_a_dead_runners_shots_are_abandoned(quick):
    from typer.testing import CliRunner

    from dressform.cli.app import app
    from dressform.errors import DressformError

    def status() -> str:
        shown = CliRunner().invoke(app, ["campaign", "status", "test", "--db", quick.db])
        assert shown.exit_code == 0, shown.output
        return shown.output

    quick(campaign_text(cast=SAM))
    job = quick.store.jobs("test")[0]
    # A runner killed while it made this shot: the job says running, no runner holds it.
    quick.store.set_job(job.id, "running")
    (quick.out / job.shot["output"]).unlink()
    assert "2 shots: 1 done, 1 abandoned, will resume" in status()
    quick.store.acquire_lease("test", "other-runner", 60)  # a live runner at work on it
    assert "1 running" in status() and "being run by runner other-runner" in status()
    with pytest.raises(DressformError, match="being run by runner other-runner"):
        quick(campaign_text(cast=SAM), wait_s=0)
    # That runner is killed: its process is gone, so its lease no longer holds.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with quick.store.engine.begin() as conn:
        from sqlalchemy import text

        conn.execute(text("update leases set pid = :pid"), {"pid": dead.pid})
    assert "1 abandoned, will resume" in status()
    # A lapsed lease, of a runner elsewhere, no longer holds either.
    quick.store.release_lease("test", "other-runner")
    quick.store.acquire_lease("test", "elsewhere", 0.05)
    time.sleep(0.1)
    assert "1 abandoned, will resume" in status()
    report = quick(campaign_text(cast=SAM), wait_s=0)
    assert report.done == [job.shot["output"]] and "2 shots: 2 done" in status()
    with pytest.raises(InvalidInputError, match="0 seconds or more"):
        quick(campaign_text(cast=SAM), wait_s=-1)


def test_scratch_folders_are_swept_at_start_and_removed_on_sigterm(quick, tmp_path,
                                                                   monkeypatch):
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    killed = scratch / f"dressform-job-{gone.pid}-abcd1234"  # a killed run's, 6 MB of them
    unnamed_old = scratch / "dressform-render-k2j4h5g6"  # from before folders named their pid
    for d in (killed, unnamed_old):
        d.mkdir()
        (d / "render.png").write_bytes(b"x" * 1000)
    os.utime(unnamed_old, (time.time() - 3 * 86400,) * 2)
    kept = [scratch / f"dressform-render-{os.getpid()}-zzzz1111",  # a live process's
            scratch / "dressform-job-q1w2e3r4", scratch / "dressform-notes"]
    for d in kept:
        d.mkdir()
    quick(campaign_text(cast=SAM))
    assert not killed.exists() and not unnamed_old.exists()
    assert all(d.exists() for d in kept)
    # A worker stopped with its runner (SIGTERM, from die_with_parent) removes its own.
    code = ("import os, sys, time, types\n"
            "sys.modules['torch'] = types.SimpleNamespace(set_num_threads=lambda n: None)\n"
            "from dressform.campaign.work import worker_init\n"
            "from dressform.files import scratch_dir\n"
            "worker_init(os.getppid())\n"
            "with scratch_dir('job') as d:\n"
            "    print(d, flush=True)\n"
            "    try:\n"  # as a pool's worker does: every exception of a job is caught
            "        time.sleep(60)\n"
            "    except BaseException:\n"
            "        time.sleep(60)\n")
    worker = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "TMPDIR": str(scratch)})
    folder = Path(worker.stdout.readline().strip())
    assert folder.is_dir()
    worker.terminate()
    assert worker.wait(timeout=30) == 128 + signal.SIGTERM  # gone at once, not caught
    assert not folder.exists()
