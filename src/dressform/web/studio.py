"""The studio API (API key in `X-API-Key`): clones, consent, the pattern library, drapes, fit
reports, renders and campaigns. Each endpoint is a thin shell over the library call the CLI
makes; long work is a job (202, then GET it)."""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse, Response, StreamingResponse
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, ConfigDict, Field

from dressform.campaign.spec import NAME, GarmentItem
from dressform.campaign.work import DrapeTask, drape_look
from dressform.errors import InvalidInputError, UnknownNameError
from dressform.files import atomic_open
from dressform.fit.verdict import Intent
from dressform.store.db import Store
from dressform.store.records import PatternRecord
from dressform.web.jobs import Job, JobBoard
from dressform.web.limits import bounded
from dressform.web.settings import WebSettings
from dressform.web.shop import GLB

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                              description="a key from `dressform keys api`")
PNG = "image/png"
Id = Annotated[str, Field(pattern=NAME, max_length=80)]


class CloneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Id
    synthetic: bool = Field(True, description="false: a real person's clone (needs consent)")
    spec: dict[str, Any] | None = Field(None, description="a BodySpec (people's units)")
    measurements: dict[str, float] | None = Field(
        None, description="tape measurements (cm/kg, dressform names) to fit a clone to")
    sex: Literal["female", "male"] = "female"
    source: str = Field("", max_length=500)


class CloneOut(BaseModel):
    id: str
    synthetic: bool
    source: str
    spec: dict[str, Any]
    measurements: dict[str, float] | None = None
    unreachable: dict[str, float] | None = None


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    person: str = Field(min_length=1, max_length=200)
    uses: list[str] = Field(min_length=1)
    territories: list[str] = Field(default_factory=lambda: ["worldwide"])
    starts: date
    expires: date
    licence_ref: str = Field(min_length=1, max_length=200)


class PatternOut(BaseModel):
    name: str
    source: str
    panels: list[str]
    stitches: int


class GradeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    block: str
    chart: str = "women"
    prefix: Id | None = Field(None, description="library names are <prefix>-<size>")


class GradeOut(BaseModel):
    patterns: list[str]
    problems: list[str]


class DrapeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    clone: Id
    garment: Id = Field(description="a block name or a pattern of the library")
    size: str = Field("own", max_length=16, description="for a block: a chart size or own")
    fabric: str = "cotton_jersey"
    color: str = "white"
    spacing_mm: float = Field(25.0, ge=10.0, le=60.0)
    max_frames: int = Field(300, ge=10, le=2000)


class RenderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    drape: str = Field(max_length=80, description="a finished drape job's id")
    camera: str = "front"
    backdrop: str = "white"
    width: int = Field(512, ge=64, le=2048)
    height: int = Field(768, ge=64, le=2048)


class JobOut(BaseModel):
    id: str
    kind: str
    status: str
    detail: dict[str, Any]
    error: str
    seconds: float
    result: dict[str, Any] | None = None


class CampaignOut(BaseModel):
    id: str
    running: bool
    shots: int
    status: dict[str, int]
    error: str = ""


class OutputOut(BaseModel):
    job_id: int
    clone_id: str
    consent_id: str | None
    width: int
    height: int
    sha256: str
    url: str
    provenance: dict[str, Any] | None = None


def _job_out(job: Job) -> JobOut:
    result = job.result if isinstance(job.result, dict) else None
    return JobOut(id=job.id, kind=job.kind, status=job.status, detail=job.detail,
                  error=job.error, seconds=round(job.seconds, 2), result=result)


def studio_router(settings: WebSettings, store: Store, board: JobBoard) -> APIRouter:
    def authorised(key: Annotated[str | None, Depends(api_key_header)]) -> str:
        if not key:
            raise HTTPException(401, "this endpoint needs an API key in the X-API-Key header "
                                     "(make one with `dressform keys api`)",
                                headers={"WWW-Authenticate": "APIKey"})
        record = store.api_key(key)
        if record is None:
            raise HTTPException(401, "the API key is unknown or revoked",
                                headers={"WWW-Authenticate": "APIKey"})
        return record.id

    router = APIRouter(prefix="/api", tags=["studio"], dependencies=[Depends(authorised)])
    work = settings.data / "studio"
    runs: dict[str, dict[str, Any]] = {}  # campaign id → {"thread", "error"}
    limit = settings.request_timeout_s

    # -- clones -------------------------------------------------------------------------------
    def make_clone(body: CloneIn) -> CloneOut:
        from dressform.body.clone import clone_from_measurements
        from dressform.body.spec import make_spec

        if (body.spec is None) == (body.measurements is None):
            raise InvalidInputError("give either `spec` or `measurements`")
        if body.measurements is not None:
            fitted = clone_from_measurements(body.measurements, sex=body.sex)
            spec, unreachable = fitted.spec, fitted.unreachable
        else:
            from dressform.body.build import build

            spec, unreachable = make_spec(**(body.spec or {})), {}
            build(spec)  # an implausible body is refused now, not when a drape needs it
        rec = store.put_clone(body.id, spec.model_dump(mode="json"), body.synthetic,
                              body.source)
        return CloneOut(id=rec.id, synthetic=rec.synthetic, source=rec.source, spec=rec.spec,
                        unreachable=unreachable or None)

    @router.post("/clones", response_model=CloneOut, status_code=201)
    async def create_clone(body: CloneIn) -> CloneOut:
        """Add a clone from a spec, or fitted to tape measurements."""
        return await bounded(limit, make_clone, body)

    @router.get("/clones", response_model=list[CloneOut])
    def list_clones() -> list[CloneOut]:
        return [CloneOut(id=c.id, synthetic=c.synthetic, source=c.source, spec=c.spec)
                for c in store.clones()]

    def clone_body(clone_id: str) -> Any:
        from dressform.body.build import build
        from dressform.body.spec import make_spec

        return build(make_spec(**store.clone(clone_id).spec))

    @router.get("/clones/{clone_id}", response_model=CloneOut)
    async def get_clone(clone_id: str) -> CloneOut:
        """A clone with all its measurements (cm, kg)."""
        from dressform.body.measure import measure

        c = store.clone(clone_id)
        body = await bounded(limit, clone_body, clone_id)
        m = {k: round(v, 1) for k, v in measure(body).as_dict().items()}
        return CloneOut(id=c.id, synthetic=c.synthetic, source=c.source, spec=c.spec,
                        measurements=m)

    @router.get("/clones/{clone_id}/preview.png", responses={200: {"content": {PNG: {}}}})
    async def clone_preview(clone_id: str,
                            view: Literal["front", "back", "side", "three-quarter"] = "front"
                            ) -> Response:
        """A quick lit preview of the clone (the cast gallery's picture)."""
        from dressform.render.preview import render_body

        def draw() -> bytes:
            import io

            buf = io.BytesIO()
            render_body(clone_body(clone_id), width=256, height=384, view=view).save(
                buf, format="PNG")
            return buf.getvalue()

        store.clone(clone_id)  # 404 first
        return Response(await bounded(limit, draw), media_type=PNG)

    @router.delete("/clones/{clone_id}", status_code=204)
    def delete_clone(clone_id: str) -> Response:
        """Erase the clone and its consents (outputs already made stay, with their record)."""
        store.delete_clone(clone_id)
        return Response(status_code=204)

    # -- consent ------------------------------------------------------------------------------
    @router.post("/clones/{clone_id}/consents", status_code=201)
    def grant(clone_id: str, body: ConsentIn) -> dict[str, Any]:
        """Record a real person's consent for their clone."""
        c = store.grant(clone_id, body.person, tuple(body.uses), tuple(body.territories),
                        body.starts, body.expires, body.licence_ref)
        return c.model_dump(mode="json")

    @router.get("/clones/{clone_id}/consents")
    def consents(clone_id: str) -> list[dict[str, Any]]:
        store.clone(clone_id)
        return [c.model_dump(mode="json") for c in store.consents(clone_id)]

    @router.post("/consents/{consent_id}/revoke")
    def revoke(consent_id: str, reason: Annotated[str, Body(embed=True, max_length=500)] = ""
               ) -> dict[str, Any]:
        """Withdraw a consent: every later shot of the clone is refused."""
        return store.revoke(consent_id, reason).model_dump(mode="json")

    # -- patterns -----------------------------------------------------------------------------
    def library_name(key: str, hint: str = "") -> str:
        """`key` if it can name a library pattern (and so a file of it), else 422."""
        if not re.fullmatch(NAME, key) or len(key) > 80:
            raise InvalidInputError(f"{key!r} cannot name a pattern (lower-case letters, "
                                    f"digits, - and _){hint}")
        return key

    def library_file(name: str) -> str:
        """The library pattern `name` written where a drape worker can read it."""
        rec = store.pattern(library_name(name))
        path = work / "patterns" / f"{rec.name}.json"
        with atomic_open(path, "w") as f:
            f.write(rec.pattern)
        return str(path)

    def pattern_out(rec: PatternRecord) -> PatternOut:
        from dressform.garment.pattern import Pattern

        p = Pattern.model_validate_json(rec.pattern)
        return PatternOut(name=rec.name, source=rec.source, panels=[x.name for x in p.panels],
                          stitches=len(p.stitches))

    def read_upload(filename: str, data: bytes) -> Any:
        from dressform.garment.io.files import read_pattern

        suffix = Path(filename).suffix.lower()
        if suffix not in (".dxf", ".json"):
            raise InvalidInputError(f"{filename}: upload a DXF-AAMA (.dxf) or GarmentCode "
                                    "JSON (.json) pattern")
        with tempfile.TemporaryDirectory(prefix="dressform-upload-") as tmp:
            path = Path(tmp) / f"upload{suffix}"
            path.write_bytes(data)
            return read_pattern(path)

    @router.post("/patterns", response_model=PatternOut, status_code=201)
    async def upload_pattern(file: Annotated[UploadFile, File(description=".dxf or .json")],
                             name: Annotated[str | None, Query(pattern=NAME, max_length=80)
                                             ] = None) -> PatternOut:
        """Add a pattern to the library from a DXF-AAMA or GarmentCode JSON file; it is
        checked (closed panels, stitches that match) before it is kept."""
        from dressform.garment.validate import check

        data = await file.read()
        pattern = await bounded(limit, read_upload, file.filename or "pattern", data)
        check(pattern)
        key = library_name(name or Path(file.filename or pattern.name).stem.lower()
                           .replace(" ", "-"), hint=": give ?name=")
        source = "dxf-aama" if (file.filename or "").lower().endswith(".dxf") else "garmentcode"
        return pattern_out(store.put_pattern(key, pattern.model_dump_json(), source))

    @router.post("/patterns/grade", response_model=GradeOut, status_code=201)
    async def grade(body: GradeIn) -> GradeOut:
        """Draft a block in every size of a chart into the library, and check the nest."""
        from dressform.garment.grading import grade as grade_block
        from dressform.garment.grading import grading_problems
        from dressform.garment.sizes import builtin_chart

        # Over HTTP a chart is one of the built-in ones: a path would read the server's files.
        graded = await bounded(limit, grade_block, body.block, builtin_chart(body.chart))
        names = [library_name(f"{body.prefix or body.block}-{size}".lower()) for size in graded]
        for key, p in zip(names, graded.values(), strict=True):
            store.put_pattern(key, p.model_dump_json(), "draft")
        return GradeOut(patterns=names, problems=grading_problems(graded))

    @router.get("/patterns", response_model=list[PatternOut])
    def list_patterns() -> list[PatternOut]:
        return [pattern_out(p) for p in store.patterns()]

    @router.get("/patterns/{name}")
    def get_pattern(name: str) -> dict[str, Any]:
        """The pattern as dressform JSON (mm)."""
        return json.loads(store.pattern(name).pattern)

    # -- drapes, fit, renders -----------------------------------------------------------------
    def garment_item(body: DrapeIn) -> GarmentItem:
        from dressform.garment.blocks import BLOCKS

        if body.garment in BLOCKS:
            return GarmentItem(name=body.garment, block=body.garment, size=body.size,
                               fabric=body.fabric, color=body.color)  # type: ignore[arg-type]
        return GarmentItem(name=body.garment, pattern=library_file(body.garment),
                           fabric=body.fabric, color=body.color)  # type: ignore[arg-type]

    def check_size(item: GarmentItem, spacing_mm: float) -> int:
        """The cloth's particle count (refused over the limit before any work starts); a
        library pattern is checked to be sewable too."""
        from dressform.drape.cloth_mesh import mesh_pattern
        from dressform.drape.folding import fold_bands
        from dressform.garment.blocks import draft_size
        from dressform.garment.io.files import read_pattern
        from dressform.garment.sizes import load_chart
        from dressform.garment.validate import check

        if item.pattern:
            pattern = check(read_pattern(item.pattern))
        else:
            assert item.block is not None
            chart = load_chart(item.chart or "women")
            size = chart.sizes[-1] if item.size == "own" else chart.size(item.size)
            pattern = draft_size(item.block, size, 190.0)
        n = mesh_pattern(fold_bands(pattern), spacing_mm).vertex_count
        if n > settings.max_cloth_vertices:
            raise InvalidInputError(
                f"at {spacing_mm:g} mm this garment has {n} cloth particles, over the "
                f"server's {settings.max_cloth_vertices}: use a coarser spacing")
        return n

    @router.post("/drapes", response_model=JobOut, status_code=202)
    async def start_drape(body: DrapeIn) -> JobOut:
        """Drape a garment (block or library pattern) on a clone: a job; its result is the
        dressed clone (GLB), its fit report and renders."""
        clone = store.clone(body.clone)
        item = garment_item(body)
        particles = await bounded(limit, check_size, item, body.spacing_mm)
        job_id_dir = work / "drapes"
        task_out = job_id_dir / f"{body.clone}-{body.garment}-{time.time_ns()}.glb"
        task = DrapeTask(clone.spec, (item,), "", body.spacing_mm, body.max_frames, task_out)

        def finish(path: Any) -> dict[str, Any]:
            return {"path": str(path), "particles": particles}

        job = board.submit("drape", drape_look, task, body.model_dump(), finish)
        return _job_out(job)

    @router.get("/jobs", response_model=list[JobOut])
    def list_jobs(kind: Literal["drape", "render"] | None = None) -> list[JobOut]:
        return [_job_out(j) for j in board.list(kind)]

    @router.get("/jobs/{job_id}", response_model=JobOut)
    def get_job(job_id: str) -> JobOut:
        return _job_out(board.get(job_id))

    def finished(job_id: str, kind: str) -> Job:
        job = board.get(job_id)
        if job.kind != kind:
            raise UnknownNameError(f"job {job_id!r} is not a {kind}")
        if job.status == "failed":
            raise InvalidInputError(f"{kind} {job_id} failed: {job.error}")
        if job.status != "done":
            raise HTTPException(409, f"{kind} {job_id} is still {job.status}")
        return job

    @router.get("/drapes/{job_id}/model.glb", responses={200: {"content": {GLB: {}}}})
    def drape_model(job_id: str) -> FileResponse:
        """The dressed clone (GLB with the pattern kept for re-drapes)."""
        return FileResponse(existing(finished(job_id, "drape").result["path"]), media_type=GLB)

    @router.get("/drapes/{job_id}/fit")
    async def drape_fit(job_id: str,
                        intent: Intent = "regular"
                        ) -> dict[str, Any]:
        """The fit report of a finished drape: ease per girth, verdict per region, lengths."""
        path = finished(job_id, "drape").result["path"]
        return await bounded(limit, fit_summary, path, intent)

    @router.post("/renders", response_model=JobOut, status_code=202)
    async def start_render(body: RenderIn) -> JobOut:
        """A proof of a finished drape (preview rasteriser; `dressform shoot` and campaigns
        make the photoreal ones): a job; GET /api/renders/{id}.png when done."""
        from dressform.render.studio import Studio

        try:  # names checked now, not in the worker; a preset is a value, not a resource
            Studio(camera=body.camera, backdrop=body.backdrop)
        except UnknownNameError as exc:
            raise InvalidInputError(str(exc)) from None
        dressed = finished(body.drape, "drape").result["path"]
        out = work / "renders" / f"{body.drape}-{body.camera}-{time.time_ns()}.png"
        job = board.submit("render", render_proof,
                           (dressed, str(out), body.camera, body.backdrop, body.width,
                            body.height), body.model_dump(),
                           lambda path: {"path": str(path)})
        return _job_out(job)

    @router.get("/renders/{job_id}.png", responses={200: {"content": {PNG: {}}}})
    def render_png(job_id: str) -> FileResponse:
        return FileResponse(existing(finished(job_id, "render").result["path"]), media_type=PNG)

    # -- campaigns ----------------------------------------------------------------------------
    def progress(campaign_id: str) -> CampaignOut:
        jobs = store.jobs(campaign_id)
        run = runs.get(campaign_id, {})
        thread = run.get("thread")
        return CampaignOut(id=campaign_id, running=bool(thread and thread.is_alive()),
                           shots=len(jobs), status=dict(Counter(j.status for j in jobs)),
                           error=run.get("error", ""))

    def known_campaign(campaign_id: str) -> None:
        if campaign_id not in runs and campaign_id not in {c.id for c in store.campaigns()}:
            raise UnknownNameError(f"no campaign {campaign_id!r}")

    def served_campaign(campaign: Any) -> Any:
        """The campaign with each `pattern` (a name in the pattern library, over HTTP: a
        path would read the server's files) replaced by its file; charts built in only."""
        from dressform.garment.sizes import BUILTIN

        items = []
        for g in campaign.collection:
            if g.chart is not None and g.chart not in BUILTIN:
                raise InvalidInputError(f"collection {g.name}: chart {g.chart!r} — over the "
                                        f"API a chart is one of {', '.join(BUILTIN)}")
            items.append(g.model_copy(update={"pattern": library_file(g.pattern)})
                         if g.pattern else g)
        return campaign.model_copy(update={"collection": items})

    @router.post("/campaigns", response_model=CampaignOut, status_code=202,
                 openapi_extra={"requestBody": {"required": True, "content": {
                     "application/yaml": {"schema": {"type": "string"}}}}})
    async def start_campaign(request: Request) -> CampaignOut:
        """Start (or resume) a campaign from its YAML file (the request body); follow it
        with GET /api/campaigns/{name} or its event stream."""
        from dressform.campaign.executors import make_executor
        from dressform.campaign.run import run_campaign
        from dressform.campaign.spec import parse_campaign
        from dressform.provenance.keys import credentials

        try:
            text = (await request.body()).decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInputError("the campaign file must be UTF-8 text") from None
        campaign = served_campaign(parse_campaign(text, "request"))
        creds = credentials()
        running = runs.get(campaign.name, {}).get("thread")
        if running is not None and running.is_alive():
            raise HTTPException(409, f"campaign {campaign.name!r} is already running")

        def run() -> None:
            executor = make_executor("local", 1)
            try:
                run_campaign(campaign, settings.data / "campaigns" / campaign.name,
                             store=store, executor=executor, credentials=creds)
            except Exception as exc:  # kept for GET: the thread has no one else to tell
                runs[campaign.name]["error"] = str(exc) or type(exc).__name__
            finally:
                executor.shutdown()

        thread = threading.Thread(target=run, name=f"campaign-{campaign.name}", daemon=True)
        runs[campaign.name] = {"thread": thread, "error": ""}
        thread.start()
        return progress(campaign.name)

    @router.get("/campaigns", response_model=list[CampaignOut])
    def list_campaigns() -> list[CampaignOut]:
        ids = dict.fromkeys([c.id for c in store.campaigns()] + list(runs))
        return [progress(c) for c in ids]

    @router.get("/campaigns/{campaign_id}", response_model=CampaignOut)
    def get_campaign(campaign_id: str) -> CampaignOut:
        known_campaign(campaign_id)
        return progress(campaign_id)

    @router.get("/campaigns/{campaign_id}/events",
                responses={200: {"content": {"text/event-stream": {}}}})
    async def campaign_events(campaign_id: str,
                              interval: Annotated[float, Query(ge=0.2, le=30)] = 1.0
                              ) -> StreamingResponse:
        """Progress as server-sent events (`progress` on every change, `end` when the run
        is over)."""
        known_campaign(campaign_id)

        async def stream() -> AsyncIterator[str]:
            last = None
            while True:
                now = progress(campaign_id)
                data = now.model_dump_json()
                if data != last:
                    yield f"event: progress\ndata: {data}\n\n"
                    last = data
                if not now.running:
                    yield f"event: end\ndata: {data}\n\n"
                    return
                await asyncio.sleep(interval)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache"})

    @router.get("/campaigns/{campaign_id}/outputs", response_model=list[OutputOut])
    async def campaign_outputs(campaign_id: str,
                               provenance: bool = True) -> list[OutputOut]:
        """The campaign's images, each with what its C2PA manifest says (checked now)."""
        known_campaign(campaign_id)
        outs = store.outputs(campaign_id)

        def read(path: str) -> dict[str, Any] | None:
            from dressform.provenance.keys import trust_anchors
            from dressform.provenance.manifest import verify

            if not Path(path).is_file():
                return {"state": "missing"}
            m = verify(path, trust_anchors(None))
            return {"state": m.state, "title": m.title, "source_type": m.source_type,
                    "synthetic": m.synthetic, "signer": m.signer, "clone": m.clone}

        result = []
        for o in outs:
            info = await bounded(limit, read, o.path) if provenance else None
            result.append(OutputOut(job_id=o.job_id, clone_id=o.clone_id,
                                    consent_id=o.consent_id, width=o.width, height=o.height,
                                    sha256=o.sha256, provenance=info,
                                    url=f"/api/campaigns/{campaign_id}/outputs/{o.job_id}"))
        return result

    @router.get("/campaigns/{campaign_id}/outputs/{job_id}",
                responses={200: {"content": {"image/jpeg": {}, PNG: {}}}})
    def campaign_output(campaign_id: str, job_id: int) -> FileResponse:
        for o in store.outputs(campaign_id):
            if o.job_id == job_id:
                return FileResponse(existing(o.path))
        raise UnknownNameError(f"campaign {campaign_id!r} has no output of job {job_id}")

    return router


def existing(path: str) -> str:
    """`path`, if the file is still there (else 404: it was removed by hand)."""
    if not Path(path).is_file():
        raise UnknownNameError(f"the file {Path(path).name} is no longer on the server")
    return path


def fit_summary(dressed: str, intent: str) -> dict[str, Any]:
    """The fit report of the garment in a dressed GLB, as JSON."""
    from dressform.body.export import load_body, load_garments
    from dressform.drape.redrape import restore
    from dressform.fit.report import assess

    body = load_body(dressed)
    mesh = load_garments(dressed)[0]
    garment, _, fabric = restore(mesh.vertices, mesh.extras)
    report = assess(garment, body, fabric, intent)  # type: ignore[arg-type]
    return {
        "summary": report.summary(), "tight": report.tight,
        "ease": [{"girth": e.name, **e.rounded_cm()} for e in report.ease],
        "verdicts": {k: {"verdict": v.verdict, "reason": v.reason}
                     for k, v in report.verdicts.items()},
        "lengths": [c.describe() for c in report.lengths],
    }


def render_proof(arg: tuple[str, str, str, str, int, int]) -> str:
    """(dressed GLB, PNG out, camera, backdrop, width, height) → the PNG written (in a
    worker process)."""
    from dressform.files import atomic_path
    from dressform.render.shoot import raster_proof

    dressed, out, camera, backdrop, width, height = arg
    image = raster_proof(dressed, camera=camera, backdrop=backdrop, width=width, height=height)
    with atomic_path(out) as tmp:
        image.save(tmp, format="PNG")
    return out
