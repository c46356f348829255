"""The shopper API: no login, rate-limited per client. A shopper's measurements and clone
live only in their try-on session (memory, `ShopSessions`) and never in a log line."""

from __future__ import annotations

import logging
import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from dressform.tryon.catalogue import CATALOGUE, SEXES, catalogue_garment, chart_for
from dressform.tryon.library import DrapeLibrary
from dressform.tryon.shopper import (
    ShopperBody,
    TryOn,
    advise,
    house_model,
    shopper_clone,
    try_on,
    tryon_glbs,
)
from dressform.web.limits import bounded
from dressform.web.problems import ERASE_ERRORS, SHOP_ERRORS
from dressform.web.sessions import ShopSessions
from dressform.web.settings import WebSettings

log = logging.getLogger("dressform.web.shop")
GLB = "model/gltf-binary"  # the media type of glTF binary files
#: How long a try-on waits for the solver before answering 503.
BUSY_WAIT_S = 15.0


class GarmentOut(BaseModel):
    name: str
    title: str
    fabric: str
    color: str
    sizes: dict[str, list[str]] = Field(description="chart sizes by sex")


class AdviceRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: ShopperBody
    garment: str = Field(description="a garment of GET /api/shop/garments")


class AdviceOut(BaseModel):
    size: str
    reason: str


class TryOnRequest(AdviceRequest):
    size: str | None = Field(None, max_length=16, description="default: the advised size")


class EaseOut(BaseModel):
    girth: str
    body_cm: float
    garment_cm: float
    ease_cm: float


class TryOnOut(BaseModel):
    id: str
    garment: str
    size: str
    advice: AdviceOut
    fits: bool = Field(description="the size went on and nowhere is tight")
    verdict: str
    ease: list[EaseOut]
    model_url: str
    heat_map_url: str
    clone: dict[str, float] = Field(description="the clone's height, weight and girths")
    grid_body: str = Field(description="the prepared drape it started from")
    worn_with: str | None = Field(
        None, description="what completes the look in the model, e.g. 'navy trousers' (the "
                          "fit is the garment's alone)")
    seconds: float
    retention_s: float


def _summary(t: TryOn) -> dict[str, Any]:
    m = t.clone.measurements
    ease = [] if t.report is None else [
        {"girth": e.name.removesuffix("_girth_cm"), **e.rounded_cm()} for e in t.report.ease]
    return {
        "garment": t.garment.name, "size": t.size,
        "advice": {"size": t.advice.size, "reason": t.advice.reason},
        "fits": t.dressed is not None and t.report is not None and not t.report.tight,
        "verdict": t.verdict, "ease": ease, "grid_body": t.grid_key, "worn_with": t.worn_with,
        "clone": {k: round(getattr(m, k), 1) for k in
                  ("height_cm", "weight_kg", "bust_girth_cm", "waist_girth_cm", "hip_girth_cm")},
        "seconds": round(t.seconds, 2),
    }


def shop_router(settings: WebSettings, library: DrapeLibrary, sessions: ShopSessions,
                limit: Any) -> APIRouter:
    router = APIRouter(prefix="/api/shop", tags=["shopper"])
    # Every route is rate-limited but the erasure: forgetting a shopper must always work.
    limited = [Depends(limit)]
    # One try-on at a time: the solver's (warp's) kernels are not shared between threads,
    # and on a small machine two at once finish no sooner than one after the other.
    solver = threading.Lock()

    def out(session_id: str, summary: dict[str, Any], request: Request) -> TryOnOut:
        base = str(request.url_for("tryon_model", session_id=session_id).path)
        return TryOnOut(id=session_id, model_url=base, heat_map_url=f"{base}?heat=true",
                        retention_s=settings.retention_s, **summary)

    @router.get("/garments", response_model=list[GarmentOut], dependencies=limited,
                responses=SHOP_ERRORS)
    def garments() -> list[GarmentOut]:
        """The garments a shopper can try on, with their sizes."""
        return [GarmentOut(name=g.name, title=g.title, fabric=g.fabric, color=g.color,
                           sizes={s: chart_for(s).labels for s in SEXES}) for g in CATALOGUE]

    houses: dict[tuple[str, str], bytes] = {}

    @router.get("/garments/{name}/model.glb", dependencies=limited,
                responses={**SHOP_ERRORS, 200: {"content": {GLB: {}}}})
    async def garment_model(name: str, sex: Literal["female", "male"] = "female") -> Response:
        """The garment on the house model (a grid body in its own size), for the page to
        show before the shopper's clone exists. 409 until it is prepared."""
        garment = catalogue_garment(name)
        if (name, sex) not in houses:
            houses[(name, sex)] = await bounded(settings.request_timeout_s, house_model,
                                                garment, sex, library)
        return Response(houses[(name, sex)], media_type=GLB,
                        headers={"Cache-Control": "public, max-age=3600"})

    @router.post("/advice", response_model=AdviceOut, dependencies=limited, responses=SHOP_ERRORS)
    async def advice(req: AdviceRequest) -> AdviceOut:
        """The size to buy, from the shopper's clone and the size chart (no drape)."""
        garment = catalogue_garment(req.garment)
        clone = await bounded(settings.request_timeout_s, shopper_clone, req.body)
        a = advise(garment, req.body.sex, clone.measurements.as_dict())
        return AdviceOut(size=a.size, reason=a.reason)

    @router.post("/tryons", response_model=TryOnOut, status_code=201, dependencies=limited,
                 responses=SHOP_ERRORS)
    async def start_tryon(req: TryOnRequest, request: Request) -> TryOnOut:
        """Make the shopper's clone and dress it: size advice, fit verdict, and the dressed
        clone as GLB (plain and as a stretch heat map) kept for `retention_s`, shown in a
        complete look (`worn_with`, a base layer, shoes); the fit is the garment's."""
        garment = catalogue_garment(req.garment)

        def run() -> tuple[dict[str, Any], bytes, bytes]:
            # A shopper waits for the one before (a second or so), not for a size being
            # prepared (a minute): then the answer is "busy, try again".
            if not solver.acquire(timeout=BUSY_WAIT_S):
                raise HTTPException(503, "the fitting room is busy: please try again in a "
                                         "moment", headers={"Retry-After": "10"})
            try:
                t = try_on(req.body, garment, req.size, library,
                           prepare=settings.prepare_on_demand)
            finally:
                solver.release()
            return (_summary(t), *tryon_glbs(t))

        # A size no grid body has yet is draped first (a minute or more); the drape is kept
        # when the request gives up, so the shopper's next try is quick.
        summary, glb, heat = await bounded(
            settings.request_timeout_s, run,
            hint="this size is being prepared for try-on; please try again in a minute")
        session = sessions.add(summary, glb, heat)
        log.info("try-on %s in size %s: %.2f s", garment.name, summary["size"],
                 summary["seconds"])
        return out(session.id, summary, request)

    @router.get("/tryons/{session_id}", response_model=TryOnOut, dependencies=limited,
                responses=SHOP_ERRORS)
    def get_tryon(session_id: str, request: Request) -> TryOnOut:
        s = sessions.get(session_id)
        return out(s.id, s.summary, request)

    @router.get("/tryons/{session_id}/model.glb", name="tryon_model",
                responses={**SHOP_ERRORS, 200: {"content": {GLB: {}}}}, dependencies=limited)
    def tryon_model(session_id: str, heat: Annotated[bool, Query()] = False) -> Response:
        """The dressed clone (GLB, Y up, metres) in a complete look: the garment, what
        completes it (`worn_with`), a base layer and shoes (meshes whose extras hold
        `dressform_wear`); `heat=true`: the garment painted with its stretch (blue slack →
        red at the fabric's limit), the rest in its own colours."""
        s = sessions.get(session_id)
        return Response(s.heat_glb if heat else s.glb, media_type=GLB,
                        headers={"Cache-Control": "private, no-store"})

    @router.delete("/tryons/{session_id}", status_code=204, responses=ERASE_ERRORS)
    def delete_tryon(session_id: str) -> Response:
        """Forget the try-on now: the clone, the measurements and the models (never
        rate-limited)."""
        sessions.get(session_id)  # 404 when unknown
        sessions.delete(session_id)
        return Response(status_code=204)

    return router
