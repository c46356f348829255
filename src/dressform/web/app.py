"""`create_app`: the FastAPI application — studio API, shopper API, pages, static assets."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from dressform.body.spec import describe_validation_error
from dressform.errors import DressformError, UnknownNameError
from dressform.provenance.consent import ConsentError
from dressform.store.db import StoreError, open_store
from dressform.tryon.library import DrapeLibrary
from dressform.tryon.shopper import NotPrepared
from dressform.web.jobs import CampaignRuns, JobBoard
from dressform.web.limits import BodySizeLimit, RateLimiter
from dressform.web.problems import PLAIN_ERRORS, STUDIO_ERRORS
from dressform.web.sessions import ShopSessions
from dressform.web.settings import WebSettings
from dressform.web.shop import shop_router
from dressform.web.studio import ROUTERS as STUDIO_ROUTERS
from dressform.web.studio import authorised

STATIC = Path(__file__).with_name("static")
#: The 3-D viewer, copied from npm's @google/model-viewer by `make install` (not committed).
VIEWER = STATIC / "vendor" / "model-viewer.min.js"
log = logging.getLogger("dressform.web")


class RedactTryOnIds(logging.Filter):
    """Takes the try-on id out of access-log lines: whoever holds it sees that shopper's
    clone until it expires, and logs are read by more people than shoppers would like."""

    PATH = re.compile(r"(/api/shop/tryons/)[^/?\s\"]+")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(self.PATH.sub(r"\1<id>", a) if isinstance(a, str) else a
                                for a in record.args)
        return True


def redact_access_log() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactTryOnIds) for f in access.filters):
        access.addFilter(RedactTryOnIds())


def documented_methods(paths: dict[str, dict[str, object]], path: str) -> list[str]:
    """The methods the OpenAPI `paths` give `path`: the template that matches it with the
    most literal segments (`/api/patterns/grade` before `/api/patterns/{name}`)."""
    def pattern(template: str) -> str:  # {param} matches one segment, the rest literally
        return "".join("[^/]+" if part.startswith("{") else re.escape(part)
                       for part in re.split(r"(\{[^/}]+\})", template))

    def literal(template: str) -> int:
        return sum(not part.startswith("{") for part in template.split("/"))

    matching = [t for t in paths if re.fullmatch(pattern(t), path)]
    if not matching:
        return []
    best = max(matching, key=literal)
    return [m.upper() for m in paths[best] if m in ("get", "post", "put", "patch", "delete")]


def status_for(exc: DressformError) -> int:
    """The HTTP status a stage error is answered with (its message is the body)."""
    if isinstance(exc, UnknownNameError):
        return 404
    if isinstance(exc, ConsentError):
        return 403
    if isinstance(exc, NotPrepared):
        return 409
    if isinstance(exc, StoreError):
        return 503
    return 422  # bad input, and work that cannot be done with it (a diverging drape)


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """The application for `settings` (default: `WebSettings.from_env()`)."""
    settings = settings or WebSettings.from_env()
    store = open_store(settings.database_url)
    library = DrapeLibrary(settings.data / "tryon", settings.tryon_spacing_mm)
    sessions = ShopSessions(settings.retention_s, settings.max_sessions)
    board = JobBoard()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        redact_access_log()
        if not VIEWER.is_file():
            log.warning("the 3-D viewer is missing (%s): run `make install`", VIEWER)
        expiry = asyncio.create_task(sessions.expire_forever(), name="shop-session-expiry")
        try:
            yield
        finally:
            expiry.cancel()
            with suppress(asyncio.CancelledError):
                await expiry
            board.shutdown()
            store.close()

    app = FastAPI(
        title="dressform", version="0.1.0", lifespan=lifespan,
        description="Digital clones in fashion: the studio API (clones, patterns, drapes, "
                    "fit, renders, campaigns, consent; API key in `X-API-Key`) and the "
                    "shopper try-on API (no login, rate-limited, nothing kept).")
    app.state.settings, app.state.store, app.state.library = settings, store, library
    app.state.sessions, app.state.jobs = sessions, board
    app.state.campaign_runs = CampaignRuns()
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code != 405:
            return await http_exception_handler(request, exc)
        # Starlette's Allow names only the first route on the path (a path's GET and POST
        # are separate routes): name the methods the OpenAPI document gives this path.
        allowed = documented_methods(app.openapi()["paths"], request.url.path)
        return JSONResponse({"detail": exc.detail}, status_code=405,
                            headers={"Allow": ", ".join(allowed)})

    @app.exception_handler(DressformError)
    async def stage_error(_: Request, exc: DressformError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=status_for(exc))

    @app.exception_handler(ValidationError)
    async def invalid_record(_: Request, exc: ValidationError) -> JSONResponse:
        # A library record (a consent, a pattern) refusing what the request carried.
        return JSONResponse({"detail": describe_validation_error(exc, exc.title)},
                            status_code=422)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Pydantic's report, without echoing the input back (it may be a shopper's body).
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""),
                   "type": e.get("type", "")} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)

    app.include_router(shop_router(settings, library, sessions,
                                   RateLimiter(settings.shop_requests_per_minute)))
    for router in STUDIO_ROUTERS:  # every studio endpoint is behind an API key
        app.include_router(router, prefix="/api", tags=["studio"], responses=STUDIO_ERRORS,
                           dependencies=[Depends(authorised)])
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def tryon_page() -> FileResponse:
        return FileResponse(STATIC / "tryon.html")

    @app.get("/studio", include_in_schema=False)
    def studio_page() -> FileResponse:
        return FileResponse(STATIC / "studio.html")

    @app.get("/healthz", tags=["server"], responses=PLAIN_ERRORS)
    def health() -> dict[str, object]:
        return {"ok": True, "viewer": VIEWER.is_file(), "shopper_sessions": len(sessions)}

    return app
