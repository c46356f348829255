"""What studio endpoints depend on, for `Depends`: the application's settings, store, job
board and campaign runs (which `create_app` puts on `app.state`), where studio results are
written, and the API-key check every studio endpoint is behind."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader

from dressform.store.db import Store
from dressform.web.jobs import CampaignRuns, JobBoard
from dressform.web.settings import WebSettings

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                              description="a key from `dressform keys api`")


def get_settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_board(request: Request) -> JobBoard:
    board: JobBoard = request.app.state.jobs
    return board


def get_campaign_runs(request: Request) -> CampaignRuns:
    runs: CampaignRuns = request.app.state.campaign_runs
    return runs


SettingsDep = Annotated[WebSettings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
BoardDep = Annotated[JobBoard, Depends(get_board)]
RunsDep = Annotated[CampaignRuns, Depends(get_campaign_runs)]


def get_work_dir(settings: SettingsDep) -> Path:
    """Where the studio writes what its workers read and make (patterns, drapes, renders)."""
    return settings.data / "studio"


WorkDir = Annotated[Path, Depends(get_work_dir)]


def authorised(key: Annotated[str | None, Depends(api_key_header)], store: StoreDep) -> str:
    """The id of the request's live API key, else 401."""
    if not key:
        raise HTTPException(401, "this endpoint needs an API key in the X-API-Key header "
                                 "(make one with `dressform keys api`)",
                            headers={"WWW-Authenticate": "APIKey"})
    record = store.api_key(key)
    if record is None:
        raise HTTPException(401, "the API key is unknown or revoked",
                            headers={"WWW-Authenticate": "APIKey"})
    return record.id
