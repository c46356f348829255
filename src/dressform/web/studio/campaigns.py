"""Studio endpoints for campaigns: start (or resume) one from its YAML file, follow its
progress (polled or as server-sent events), and fetch its images with what their C2PA
manifests say."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse, StreamingResponse

from dressform.campaign.spec import Campaign, parse_campaign
from dressform.errors import InvalidInputError, UnknownNameError
from dressform.store.db import Store
from dressform.web.jobs import CampaignRuns
from dressform.web.limits import bounded
from dressform.web.studio.deps import RunsDep, SettingsDep, StoreDep, WorkDir
from dressform.web.studio.files import existing, library_file
from dressform.web.studio.models import PNG, CampaignOut, OutputOut

router = APIRouter()


def progress(store: Store, runs: CampaignRuns, campaign_id: str) -> CampaignOut:
    jobs = store.jobs(campaign_id)
    return CampaignOut(id=campaign_id, running=runs.running(campaign_id), shots=len(jobs),
                       status=dict(Counter(j.status for j in jobs)),
                       error=runs.error(campaign_id))


def known_campaign(store: Store, runs: CampaignRuns, campaign_id: str) -> None:
    """404 unless `campaign_id` ran here or is in the store."""
    if campaign_id not in runs and campaign_id not in {c.id for c in store.campaigns()}:
        raise UnknownNameError(f"no campaign {campaign_id!r}")


def served_campaign(campaign: Campaign, store: Store, work: Path) -> Campaign:
    """The campaign with each `pattern` (a name in the pattern library, over HTTP: a
    path would read the server's files) replaced by its file; charts built in only."""
    from dressform.garment.sizes import BUILTIN

    items = []
    for g in campaign.collection:
        if g.chart is not None and g.chart not in BUILTIN:
            raise InvalidInputError(f"collection {g.name}: chart {g.chart!r} — over the "
                                    f"API a chart is one of {', '.join(BUILTIN)}")
        items.append(g.model_copy(update={"pattern": library_file(store, work, g.pattern)})
                     if g.pattern else g)
    return campaign.model_copy(update={"collection": items})


def manifest_summary(path: str) -> dict[str, Any]:
    """What the C2PA manifest of the image at `path` says, checked now."""
    from dressform.provenance.keys import trust_anchors
    from dressform.provenance.manifest import verify

    if not Path(path).is_file():
        return {"state": "missing"}
    m = verify(path, trust_anchors(None))
    return {"state": m.state, "title": m.title, "source_type": m.source_type,
            "synthetic": m.synthetic, "signer": m.signer, "clone": m.clone}


@router.post("/campaigns", response_model=CampaignOut, status_code=202,
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/yaml": {"schema": {"type": "string"}}}}})
async def start_campaign(request: Request, store: StoreDep, settings: SettingsDep,
                         runs: RunsDep, work: WorkDir) -> CampaignOut:
    """Start (or resume) a campaign from its YAML file (the request body); follow it
    with GET /api/campaigns/{name} or its event stream."""
    from dressform.campaign.executors import make_executor
    from dressform.campaign.run import run_campaign
    from dressform.provenance.keys import credentials

    try:
        text = (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInputError("the campaign file must be UTF-8 text") from None
    campaign = served_campaign(parse_campaign(text, "request"), store, work)
    creds = credentials()
    if runs.running(campaign.name):
        raise HTTPException(409, f"campaign {campaign.name!r} is already running")

    def run() -> None:
        executor = make_executor("local", 1)
        try:
            run_campaign(campaign, settings.data / "campaigns" / campaign.name,
                         store=store, executor=executor, credentials=creds)
        except Exception as exc:
            runs.fail(campaign.name, str(exc) or type(exc).__name__)
        finally:
            executor.shutdown()

    runs.start(campaign.name, run)
    return progress(store, runs, campaign.name)


@router.get("/campaigns", response_model=list[CampaignOut])
def list_campaigns(store: StoreDep, runs: RunsDep) -> list[CampaignOut]:
    ids = dict.fromkeys([c.id for c in store.campaigns()] + runs.names())
    return [progress(store, runs, c) for c in ids]


@router.get("/campaigns/{campaign_id}", response_model=CampaignOut)
def get_campaign(campaign_id: str, store: StoreDep, runs: RunsDep) -> CampaignOut:
    known_campaign(store, runs, campaign_id)
    return progress(store, runs, campaign_id)


@router.get("/campaigns/{campaign_id}/events",
            responses={200: {"content": {"text/event-stream": {}}}})
async def campaign_events(campaign_id: str, store: StoreDep, runs: RunsDep,
                          interval: Annotated[float, Query(ge=0.2, le=30)] = 1.0
                          ) -> StreamingResponse:
    """Progress as server-sent events (`progress` on every change, `end` when the run
    is over)."""
    known_campaign(store, runs, campaign_id)

    async def stream() -> AsyncIterator[str]:
        last = None
        while True:
            now = progress(store, runs, campaign_id)
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
async def campaign_outputs(campaign_id: str, store: StoreDep, runs: RunsDep,
                           settings: SettingsDep, provenance: bool = True) -> list[OutputOut]:
    """The campaign's images, each with what its C2PA manifest says (checked now)."""
    known_campaign(store, runs, campaign_id)
    result = []
    for o in store.outputs(campaign_id):
        info = (await bounded(settings.request_timeout_s, manifest_summary, o.path)
                if provenance else None)
        result.append(OutputOut(job_id=o.job_id, clone_id=o.clone_id,
                                consent_id=o.consent_id, width=o.width, height=o.height,
                                sha256=o.sha256, provenance=info,
                                url=f"/api/campaigns/{campaign_id}/outputs/{o.job_id}"))
    return result


@router.get("/campaigns/{campaign_id}/outputs/{job_id}",
            responses={200: {"content": {"image/jpeg": {}, PNG: {}}}})
def campaign_output(campaign_id: str, job_id: int, store: StoreDep) -> FileResponse:
    for o in store.outputs(campaign_id):
        if o.job_id == job_id:
            return FileResponse(existing(o.path))
    raise UnknownNameError(f"campaign {campaign_id!r} has no output of job {job_id}")
