"""Studio endpoints for clones and their consents: add a clone (from a spec or fitted to tape
measurements), list, measure, preview and erase clones; record and withdraw a real person's
consent."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Body, Response

from dressform.errors import InvalidInputError
from dressform.store.db import Store
from dressform.web.limits import bounded
from dressform.web.studio.deps import SettingsDep, StoreDep
from dressform.web.studio.models import PNG, CloneIn, CloneOut, ConsentIn

if TYPE_CHECKING:
    from dressform.body.mesh import Body as BodyMesh
    from dressform.render.preview import ViewName

router = APIRouter()


def make_clone(store: Store, body: CloneIn) -> CloneOut:
    """Build (or fit) the clone `body` asks for and keep it in `store`."""
    from dressform.body.clone import clone_from_measurements
    from dressform.body.spec import make_spec

    if (body.spec is None) == (body.measurements is None):
        raise InvalidInputError("give either `spec` or `measurements`")
    if body.measurements is not None:
        fitted = clone_from_measurements(body.measurements, sex=body.sex)
        spec, unreachable = fitted.spec, fitted.unreachable
    else:
        from dressform.body.bodies import build

        spec, unreachable = make_spec(**(body.spec or {})), {}
        build(spec)  # an implausible body is refused now, not when a drape needs it
    rec = store.put_clone(body.id, spec.model_dump(mode="json"), body.synthetic, body.source)
    return CloneOut(id=rec.id, synthetic=rec.synthetic, source=rec.source, spec=rec.spec,
                    unreachable=unreachable or None)


def clone_body(store: Store, clone_id: str) -> BodyMesh:
    from dressform.body.bodies import build
    from dressform.body.spec import make_spec

    return build(make_spec(**store.clone(clone_id).spec))


def preview_png(store: Store, clone_id: str, view: ViewName) -> bytes:
    """The clone's quick lit preview, as PNG bytes."""
    from dressform.render.preview import render_body

    buf = io.BytesIO()
    render_body(clone_body(store, clone_id), width=256, height=384, view=view).save(
        buf, format="PNG")
    return buf.getvalue()


@router.post("/clones", response_model=CloneOut, status_code=201)
async def create_clone(body: CloneIn, store: StoreDep, settings: SettingsDep) -> CloneOut:
    """Add a clone from a spec, or fitted to tape measurements."""
    return await bounded(settings.request_timeout_s, make_clone, store, body)


@router.get("/clones", response_model=list[CloneOut])
def list_clones(store: StoreDep) -> list[CloneOut]:
    return [CloneOut(id=c.id, synthetic=c.synthetic, source=c.source, spec=c.spec)
            for c in store.clones()]


@router.get("/clones/{clone_id}", response_model=CloneOut)
async def get_clone(clone_id: str, store: StoreDep, settings: SettingsDep) -> CloneOut:
    """A clone with all its measurements (cm, kg)."""
    from dressform.body.measure import measure

    c = store.clone(clone_id)
    body = await bounded(settings.request_timeout_s, clone_body, store, clone_id)
    m = {k: round(v, 1) for k, v in measure(body).as_dict().items()}
    return CloneOut(id=c.id, synthetic=c.synthetic, source=c.source, spec=c.spec,
                    measurements=m)


@router.get("/clones/{clone_id}/preview.png", responses={200: {"content": {PNG: {}}}})
async def clone_preview(clone_id: str, store: StoreDep, settings: SettingsDep,
                        view: Literal["front", "back", "side", "three-quarter"] = "front"
                        ) -> Response:
    """A quick lit preview of the clone (the cast gallery's picture)."""
    store.clone(clone_id)  # 404 first
    png = await bounded(settings.request_timeout_s, preview_png, store, clone_id, view)
    return Response(png, media_type=PNG)


@router.delete("/clones/{clone_id}", status_code=204)
def delete_clone(clone_id: str, store: StoreDep) -> Response:
    """Erase the clone and its consents (outputs already made stay, with their record)."""
    store.delete_clone(clone_id)
    return Response(status_code=204)


@router.post("/clones/{clone_id}/consents", status_code=201)
def grant(clone_id: str, body: ConsentIn, store: StoreDep) -> dict[str, Any]:
    """Record a real person's consent for their clone."""
    c = store.grant(clone_id, body.person, tuple(body.uses), tuple(body.territories),
                    body.starts, body.expires, body.licence_ref)
    return c.model_dump(mode="json")


@router.get("/clones/{clone_id}/consents")
def consents(clone_id: str, store: StoreDep) -> list[dict[str, Any]]:
    store.clone(clone_id)
    return [c.model_dump(mode="json") for c in store.consents(clone_id)]


@router.post("/consents/{consent_id}/revoke")
def revoke(consent_id: str, store: StoreDep,
           reason: Annotated[str, Body(embed=True, max_length=500)] = "") -> dict[str, Any]:
    """Withdraw a consent: every later shot of the clone is refused."""
    return store.revoke(consent_id, reason).model_dump(mode="json")
