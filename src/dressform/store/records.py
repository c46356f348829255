"""What the store hands out: typed, immutable records (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

#: A job's life: pending → running → done, or failed (after its retries) or refused (consent).
JOB_STATES = ("pending", "running", "done", "failed", "refused")


@dataclass(frozen=True)
class CloneRecord:
    id: str
    spec: dict[str, Any]
    synthetic: bool
    source: str


@dataclass(frozen=True)
class JobRecord:
    id: int
    campaign_id: str
    key: str
    clone_id: str
    shot: dict[str, Any]
    status: str
    attempts: int
    reason: str


@dataclass(frozen=True)
class OutputRecord:
    job_id: int
    path: str
    sha256: str
    width: int
    height: int
    clone_id: str
    consent_id: str | None
    seconds: float


@dataclass(frozen=True)
class AuditEvent:
    at: datetime
    kind: str
    detail: str
    campaign_id: str | None = None
    clone_id: str | None = None
    consent_id: str | None = None


@dataclass(frozen=True)
class CampaignRecord:
    id: str
    spec: dict[str, Any]
    output_dir: str
    created_at: datetime


@dataclass(frozen=True)
class ApiKeyRecord:
    id: str
    name: str
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class PatternRecord:
    name: str
    pattern: str  # dressform pattern JSON
    source: str  # "dxf-aama", "garmentcode", "draft"


@dataclass(frozen=True)
class LeaseRecord:
    """Who is running a campaign: `owner` (one runner), its host and process, and until when
    the lease holds unless renewed."""

    campaign_id: str
    owner: str
    host: str
    pid: int
    acquired_at: datetime
    expires_at: datetime

    def describe(self) -> str:
        return f"runner {self.owner} (process {self.pid} on {self.host})"
