"""Run a campaign durably: every shot is a job in the store; a run does only what is missing.

At-least-once with idempotent outputs: a job's image is written under its own name in one step
(renamed into place) and recorded after it exists, in the same transaction that marks the job
done. If the runner dies between the two, the next run finds the image, checks its signed
manifest names this job, and records it without rendering again; if it dies earlier, the job is
simply done again. Consent is checked at every point an image becomes a published output
(`dressform.campaign.gate`): when a shot is dispatched (first try or retry), before its image
is recorded, before an image a dead run left unrecorded is recovered, and when the proofs are
built. An image whose consent ended meanwhile is deleted, not published, and every refusal is
one `consent.refused` audit event with its reason. A revoked consent stops every remaining
shot of that clone (until a new grant). A failed shot is retried with exponential back-off,
then reported with its reason; the others go on.

One runner per campaign at a time (`dressform.campaign.lease`): a second waits for the first,
so no shot is made twice at once. Scratch folders left by killed workers are swept at start.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from dressform.campaign.executors import Executor
from dressform.campaign.gate import DISPATCH, RECORD, RECOVERY, allowed, audit_refusal, consent_ref
from dressform.campaign.lease import Lease
from dressform.campaign.plan import DrapeJob, Plan, Shot, drape_path, plan, posed_path
from dressform.campaign.spec import Campaign
from dressform.campaign.work import (
    DrapeTask,
    PoseTask,
    ShotResult,
    ShotTask,
    drape_look,
    pose_look,
    sha256_file,
    shoot_look,
    watermark_payload,
)
from dressform.errors import InvalidInputError
from dressform.files import remove_partials, sweep_scratch
from dressform.provenance.consent import Consent, ConsentError
from dressform.provenance.keys import Credentials
from dressform.store.db import Store
from dressform.store.records import JobRecord, OutputRecord

#: on_event(kind, shot, detail): kind is waiting (detail: who holds the campaign), planned,
#: skipped, adopted, drape-started, drape-done, pose-started, pose-done, started, warning
#: (detail: what a made shot shows amiss), done, retry, failed, refused, published.
Events = Callable[[str, Shot | None, str], None]


@dataclass
class RunReport:
    campaign: str
    shots: int
    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    adopted: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    published: list[Path] = field(default_factory=list)
    #: Shots made, but with something to know (a garment not at rest in the pose), by output.
    warnings: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return not self.failed and not self.refused


def stored_clones(campaign: Campaign, store: Store) -> dict[str, dict[str, Any]]:
    """The specs of the cast's clones that live in the store (a clear error for a missing
    one)."""
    out = {}
    for m in campaign.cast.clones:
        if m.clone is not None:
            rec = store.clone(m.clone)
            out[m.clone] = {"spec": rec.spec, "synthetic": rec.synthetic}
    return out


def plan_campaign(campaign: Campaign, store: Store) -> Plan:
    return plan(campaign, stored_clones(campaign, store))


class _Runner:
    def __init__(self, campaign: Campaign, root: Path, store: Store, executor: Executor,
                 creds: Credentials, today: date, on_event: Events, backoff_s: float,
                 lease: Lease) -> None:
        self.c, self.root, self.store, self.ex = campaign, root, store, executor
        self.creds, self.today, self.emit, self.backoff_s = creds, today, on_event, backoff_s
        self.lease = lease
        self.jobs: dict[str, JobRecord] = {}
        self.attempts: dict[str, int] = {}
        self.made_under: dict[str, str | None] = {}  # the consent each shot was dispatched with
        self.report = RunReport(campaign.name, 0)
        self.generation = 0  # bumped when a crashed worker pool is replaced

    # -- consent --------------------------------------------------------------------------------
    def consent(self, shot: Shot) -> Consent | None:
        """The consent that allows the shot now (None: synthetic), or a ConsentError."""
        return allowed(self.store, self.c, shot.member, self.today)

    def refuse(self, shot: Shot, exc: ConsentError, point: str) -> None:
        """Refuse the shot: its job, the report, and its one audit event."""
        audit_refusal(self.store, self.c, shot.member, shot.output, exc, point)
        self.store.set_job(self.jobs[shot.key].id, "refused", str(exc))
        self.report.refused[shot.output] = str(exc)
        self.emit("refused", shot, str(exc))

    # -- tasks ----------------------------------------------------------------------------------
    def shot_task(self, shot: Shot, consent: Consent | None) -> ShotTask:
        o = self.c.outputs
        manifest = {"campaign": self.c.name, "clone_id": shot.member.clone_id,
                    "synthetic_clone": shot.member.synthetic,
                    "consent_ref": consent.id if consent else None,
                    "licence_ref": consent.licence_ref if consent else None,
                    "use": self.c.use, "job": shot.key, "shot": shot.describe()}
        title = (f"{self.c.name}: {shot.member.name} in {shot.drape.look}, {shot.pose}, "
                 f"{shot.camera}")
        return ShotTask(drape_path(self.root, shot.drape), self.root / shot.output, shot.pose,
                        shot.camera, shot.light, shot.backdrop, shot.expression, o.quality,
                        o.renderer, self.c.shots.hair, o.label, self.creds, title, manifest,
                        watermark_payload(shot.key),
                        size=None if o.width is None or o.height is None else (o.width, o.height),
                        posed=posed_path(self.root, shot.drape, shot.pose) if shot.redraped
                        else None, wear=shot.wear or {})

    def drape_task(self, d: DrapeJob) -> DrapeTask:
        return DrapeTask(d.member.spec, d.garments, d.layering, self.c.drape.spacing_mm,
                         self.c.drape.max_frames, drape_path(self.root, d))

    # -- what is already there ------------------------------------------------------------------
    def finished(self, shot: Shot, recorded: dict[int, OutputRecord]) -> bool:
        """Whether the shot's image exists and is on record (or can be adopted)."""
        from dressform.provenance.manifest import verify

        job = self.jobs[shot.key]
        path = self.root / shot.output
        if not path.is_file():
            return False
        out = recorded.get(job.id)
        if job.status == "done" and out is not None and out.sha256 == sha256_file(path):
            self.report.skipped.append(shot.output)
            self.emit("skipped", shot, "")
            return True
        m = verify(path, self.creds.trust)
        untrusted_only = all(f == "signingCredential.untrusted" for f in m.failures)
        if m.state in ("Trusted", "Valid") and untrusted_only and m.clone.get("job") == shot.key:
            # Written by a run that died before recording it: record it now, if its consent
            # still allows it.
            try:
                consent = self.consent(shot)
            except ConsentError as exc:
                path.unlink()
                self.refuse(shot, exc, RECOVERY)
                return True
            if consent_ref(consent) == m.clone.get("consent_ref"):
                self._adopt(shot, path, consent)
                return True
        path.unlink()  # not this job's signed image, or not under today's consent: remake it
        return False

    def _adopt(self, shot: Shot, path: Path, consent: Consent | None) -> None:
        from PIL import Image

        with Image.open(path) as im:
            w, h = im.size
        self.lease.check()
        self.store.record_output(OutputRecord(self.jobs[shot.key].id, str(path),
                                              sha256_file(path), w, h, shot.member.clone_id,
                                              consent_ref(consent), 0.0), self.c.name)
        self.report.adopted.append(shot.output)
        self.emit("adopted", shot, "")

    # -- the loop -------------------------------------------------------------------------------
    def run(self, p: Plan) -> RunReport:
        c = self.c
        for m in p.members:
            if m.synthetic:
                self.store.put_clone(m.clone_id, m.spec, True, f"campaign {c.name}")
        self.store.put_campaign(c.name, c.model_dump(mode="json"), str(self.root),
                                {g.name: g.model_dump(mode="json") for g in c.collection})
        for j in self.store.ensure_jobs(c.name, [(s.key, s.member.clone_id, s.describe())
                                                 for s in p.shots]):
            self.jobs[j.key] = j
            self.attempts[j.key] = 0
        self.report.shots = len(p.shots)
        self.root.mkdir(parents=True, exist_ok=True)
        remove_partials(self.root)
        recorded = {o.job_id: o for o in self.store.outputs(c.name)}
        todo = [s for s in p.shots if not self.finished(s, recorded)]
        # Each shot waits for its look's drape on its clone, and (out of the A-pose) for that
        # drape re-draped into its pose: both made once, shared by the shots that need them.
        groups: dict[str, list[Shot]] = {}  # a drape's key, or "drape key/pose"
        for s in todo:
            groups.setdefault(s.drape.key, []).append(s)
        drapes = {d.key: d for d in p.drapes if d.key in groups}
        pending: dict[Future[Any], tuple[str, Any, int]] = {}
        later: list[tuple[float, str, Any]] = []  # (when, kind, item) waiting to retry
        tries: dict[str, int] = {}

        def group_key(kind: str, item: Any) -> str:
            return (item.key if kind in ("drape", "shot") else f"{item[0].key}/{item[1]}")

        def shots_of(kind: str, item: Any) -> list[Shot]:
            return [item] if kind == "shot" else groups[group_key(kind, item)]

        def submit_shot(shot: Shot) -> None:
            self.lease.check()
            try:
                consent = self.consent(shot)
            except ConsentError as exc:
                self.refuse(shot, exc, DISPATCH)
                return
            self.made_under[shot.key] = consent_ref(consent)
            self.attempts[shot.key] += 1
            self.store.set_job(self.jobs[shot.key].id, "running",
                               attempts=self.jobs[shot.key].attempts + self.attempts[shot.key])
            self.emit("started", shot, f"attempt {self.attempts[shot.key]}")
            pending[self.ex.submit(shoot_look, self.shot_task(shot, consent))] = (
                "shot", shot, self.generation)

        def submit_pose(d: DrapeJob, pose: str) -> None:
            shots = groups[f"{d.key}/{pose}"]
            target = posed_path(self.root, d, pose)
            if target.is_file():
                for s in shots:
                    submit_shot(s)
                return
            tries[f"{d.key}/{pose}"] = tries.get(f"{d.key}/{pose}", 0) + 1
            self.emit("pose-started", shots[0], f"{d.look} on {d.member.name} into {pose}")
            pending[self.ex.submit(pose_look, PoseTask(drape_path(self.root, d), pose,
                                                       target))] = (
                "pose", (d, pose), self.generation)

        def after_drape(d: DrapeJob) -> None:
            by_pose: dict[str, list[Shot]] = {}
            for s in groups[d.key]:
                if s.redraped:
                    by_pose.setdefault(s.pose, []).append(s)
                else:
                    submit_shot(s)
            for pose, shots in by_pose.items():
                groups[f"{d.key}/{pose}"] = shots
                submit_pose(d, pose)

        def submit_drape(d: DrapeJob) -> None:
            live = []
            for s in groups[d.key]:  # no drape for a clone no one may shoot
                try:
                    self.consent(s)
                    live.append(s)
                except ConsentError as exc:
                    self.refuse(s, exc, DISPATCH)
            groups[d.key] = live
            if not live:
                return
            if drape_path(self.root, d).is_file():
                after_drape(d)
                return
            tries[d.key] = tries.get(d.key, 0) + 1
            self.emit("drape-started", live[0], f"{d.look} on {d.member.name}")
            pending[self.ex.submit(drape_look, self.drape_task(d))] = ("drape", d,
                                                                     self.generation)

        def fail(kind: str, item: Any, exc: BaseException) -> None:
            n = self.attempts[item.key] if kind == "shot" else tries[group_key(kind, item)]
            reason = f"{type(exc).__name__}: {exc}"
            if n <= c.retries and not isinstance(exc, InvalidInputError | ConsentError):
                delay = self.backoff_s * 2 ** (n - 1)
                later.append((time.monotonic() + delay, kind, item))
                for s in shots_of(kind, item):
                    self.emit("retry", s, f"{reason}; retrying in {delay:.0f} s")
                return
            for s in shots_of(kind, item):
                self.store.set_job(self.jobs[s.key].id, "failed", reason)
                self.store.audit("job.failed", f"{s.output}: {reason}", c.name,
                                 s.member.clone_id)
                self.report.failed[s.output] = reason
                self.emit("failed", s, reason)

        def finish(shot: Shot, result: ShotResult) -> None:
            self.lease.check()
            try:
                consent = self.consent(shot)  # it may have ended while the image rendered
            except ConsentError as exc:
                result.path.unlink(missing_ok=True)
                self.refuse(shot, exc, RECORD)
                return
            if consent_ref(consent) != self.made_under.get(shot.key):
                # Its manifest names a consent since ended; another allows it now: remake it.
                result.path.unlink(missing_ok=True)
                submit_shot(shot)
                return
            self.store.record_output(OutputRecord(
                self.jobs[shot.key].id, str(result.path), result.sha256, result.width,
                result.height, shot.member.clone_id, consent_ref(consent),
                result.seconds), c.name)
            self.report.done.append(shot.output)
            for note in result.notes:
                self.report.warnings.setdefault(shot.output, []).append(note)
                self.emit("warning", shot, note)
            self.emit("done", shot, f"{result.seconds:.1f} s")

        def resubmit(kind: str, item: Any) -> None:
            if kind == "drape":
                submit_drape(item)
            elif kind == "pose":
                submit_pose(*item)
            else:
                submit_shot(item)

        for d in drapes.values():
            submit_drape(d)
        while pending or later:
            now = time.monotonic()
            for entry in [x for x in later if x[0] <= now]:
                later.remove(entry)
                resubmit(entry[1], entry[2])
            if not pending:  # (a retry refused at dispatch leaves nothing to wait for)
                if later:
                    time.sleep(max(0.0, min(t for t, _, _ in later) - time.monotonic()))
                continue
            timeout = max(0.05, min(t for t, _, _ in later) - now) if later else None
            done, _ = wait(list(pending), timeout=timeout, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                kind, item, generation = pending.pop(fut)
                try:
                    value = fut.result()
                except BrokenProcessPool as exc:
                    # Every job of a crashed pool fails with it: replace the pool once.
                    broken = broken or generation == self.generation
                    fail(kind, item, exc)
                    continue
                except Exception as exc:  # a job's failure is reported, not raised
                    fail(kind, item, exc)
                    continue
                if kind == "drape":
                    self.emit("drape-done", None, str(value))
                    after_drape(item)
                elif kind == "pose":
                    self.emit("pose-done", None, str(value))
                    for s in groups[group_key(kind, item)]:
                        submit_shot(s)
                else:
                    finish(item, value)
            if broken:
                self.ex.restart()
                self.generation += 1
        return self.report


def run_campaign(campaign: Campaign, output_dir: str | Path, *, store: Store,
                 executor: Executor, credentials: Credentials, today: date | None = None,
                 on_event: Events | None = None, backoff_s: float = 1.0,
                 wait_s: float | None = None) -> RunReport:
    """Run every missing shot of `campaign` into `output_dir` on `executor`, recording jobs
    and outputs in `store`; then write the signed contact sheet and lookbook of the finished
    shots whose consent still allows them. Holds the campaign's lease throughout: another
    runner of it is waited for up to `wait_s` seconds (None: as long as it takes), then a
    `CampaignBusyError`."""
    from dressform.campaign.publish import publish

    start = time.perf_counter()
    emit: Events = on_event or (lambda kind, shot, detail: None)
    root = Path(output_dir).resolve()  # outputs are recorded by absolute path
    day = today or datetime.now(UTC).date()
    sweep_scratch()
    with Lease(store, campaign.name, wait_s=wait_s,
               on_wait=lambda held: emit("waiting", None, held.describe())) as lease:
        runner = _Runner(campaign, root, store, executor, credentials, day, emit, backoff_s,
                         lease)
        p = plan_campaign(campaign, store)
        emit("planned", None, f"{len(p.shots)} shots")
        report = runner.run(p)
        lease.check()
        report.published = publish(campaign, p, store, root, credentials, day)
    for path in report.published:
        emit("published", None, str(path))
    report.seconds = time.perf_counter() - start
    return report
