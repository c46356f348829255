"""Studio endpoints for drapes, their fit reports and renders, as jobs: start one (202), follow
it on /api/jobs, then fetch what it made."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

from dressform.campaign.spec import GarmentItem
from dressform.campaign.work import DrapeTask, drape_look
from dressform.errors import InvalidInputError, UnknownNameError
from dressform.fit.verdict import Intent
from dressform.store.db import Store
from dressform.web.jobs import Job, JobBoard
from dressform.web.limits import bounded
from dressform.web.shop import GLB
from dressform.web.studio.deps import BoardDep, SettingsDep, StoreDep, WorkDir
from dressform.web.studio.files import existing, library_file
from dressform.web.studio.models import PNG, DrapeIn, JobOut, RenderIn

router = APIRouter()


def job_out(job: Job) -> JobOut:
    result = job.result if isinstance(job.result, dict) else None
    return JobOut(id=job.id, kind=job.kind, status=job.status, detail=job.detail,
                  error=job.error, seconds=round(job.seconds, 2), result=result)


def finished(board: JobBoard, job_id: str, kind: str) -> Job:
    """Job `job_id` of `kind` if it is done: 404 for another kind, 422 if it failed, 409
    while it runs."""
    job = board.get(job_id)
    if job.kind != kind:
        raise UnknownNameError(f"job {job_id!r} is not a {kind}")
    if job.status == "failed":
        raise InvalidInputError(f"{kind} {job_id} failed: {job.error}")
    if job.status != "done":
        raise HTTPException(409, f"{kind} {job_id} is still {job.status}")
    return job


def garment_item(body: DrapeIn, store: Store, work: Path) -> GarmentItem:
    """The garment `body` names: a block in a size, else a library pattern's file."""
    from dressform.garment.blocks import BLOCKS

    if body.garment in BLOCKS:
        return GarmentItem(name=body.garment, block=body.garment, size=body.size,
                           fabric=body.fabric, color=body.color)  # type: ignore[arg-type]
    return GarmentItem(name=body.garment, pattern=library_file(store, work, body.garment),
                       fabric=body.fabric, color=body.color)  # type: ignore[arg-type]


def check_size(item: GarmentItem, spacing_mm: float, max_vertices: int) -> int:
    """The cloth's particle count (refused over `max_vertices` before any work starts); a
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
    if n > max_vertices:
        raise InvalidInputError(
            f"at {spacing_mm:g} mm this garment has {n} cloth particles, over the "
            f"server's {max_vertices}: use a coarser spacing")
    return n


def fit_summary(dressed: str, intent: str) -> dict[str, Any]:
    """The fit report of the garment in a dressed GLB, as JSON."""
    from dressform.body.files import load_body
    from dressform.drape.worn import load_worn
    from dressform.fit.report import assess

    worn = load_worn(dressed)[0]
    report = assess(worn.restored(), load_body(dressed), worn.fabric,
                    intent)  # type: ignore[arg-type]
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
    from dressform.shoot.still import raster_proof

    dressed, out, camera, backdrop, width, height = arg
    image = raster_proof(dressed, camera=camera, backdrop=backdrop, width=width, height=height)
    with atomic_path(out) as tmp:
        image.save(tmp, format="PNG")
    return out


@router.post("/drapes", response_model=JobOut, status_code=202)
async def start_drape(body: DrapeIn, store: StoreDep, board: BoardDep, settings: SettingsDep,
                      work: WorkDir) -> JobOut:
    """Drape a garment (block or library pattern) on a clone: a job; its result is the
    dressed clone (GLB), its fit report and renders."""
    clone = store.clone(body.clone)
    item = garment_item(body, store, work)
    particles = await bounded(settings.request_timeout_s, check_size, item, body.spacing_mm,
                              settings.max_cloth_vertices)
    out = work / "drapes" / f"{body.clone}-{body.garment}-{time.time_ns()}.glb"
    task = DrapeTask(clone.spec, (item,), "", body.spacing_mm, body.max_frames, out)

    def finish(path: Any) -> dict[str, Any]:
        return {"path": str(path), "particles": particles}

    return job_out(board.submit("drape", drape_look, task, body.model_dump(), finish))


@router.get("/jobs", response_model=list[JobOut])
def list_jobs(board: BoardDep, kind: Literal["drape", "render"] | None = None) -> list[JobOut]:
    return [job_out(j) for j in board.list(kind)]


@router.get("/jobs/{job_id}", response_model=JobOut)
def get_job(job_id: str, board: BoardDep) -> JobOut:
    return job_out(board.get(job_id))


@router.get("/drapes/{job_id}/model.glb", responses={200: {"content": {GLB: {}}}})
def drape_model(job_id: str, board: BoardDep) -> FileResponse:
    """The dressed clone (GLB with the pattern kept for re-drapes)."""
    return FileResponse(existing(finished(board, job_id, "drape").result["path"]),
                        media_type=GLB)


@router.get("/drapes/{job_id}/fit")
async def drape_fit(job_id: str, board: BoardDep, settings: SettingsDep,
                    intent: Intent = "regular") -> dict[str, Any]:
    """The fit report of a finished drape: ease per girth, verdict per region, lengths."""
    path = finished(board, job_id, "drape").result["path"]
    return await bounded(settings.request_timeout_s, fit_summary, path, intent)


@router.post("/renders", response_model=JobOut, status_code=202)
async def start_render(body: RenderIn, board: BoardDep, work: WorkDir) -> JobOut:
    """A proof of a finished drape (preview rasteriser; `dressform shoot` and campaigns
    make the photoreal ones): a job; GET /api/renders/{id}.png when done."""
    from dressform.render.studio import Studio

    try:  # names checked now, not in the worker; a preset is a value, not a resource
        Studio(camera=body.camera, backdrop=body.backdrop)
    except UnknownNameError as exc:
        raise InvalidInputError(str(exc)) from None
    dressed = finished(board, body.drape, "drape").result["path"]
    out = work / "renders" / f"{body.drape}-{body.camera}-{time.time_ns()}.png"
    job = board.submit("render", render_proof,
                       (dressed, str(out), body.camera, body.backdrop, body.width,
                        body.height), body.model_dump(),
                       lambda path: {"path": str(path)})
    return job_out(job)


@router.get("/renders/{job_id}.png", responses={200: {"content": {PNG: {}}}})
def render_png(job_id: str, board: BoardDep) -> FileResponse:
    return FileResponse(existing(finished(board, job_id, "render").result["path"]),
                        media_type=PNG)
