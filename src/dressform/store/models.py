"""The tables. Rows are an implementation detail of `dressform.store`: other stages receive
typed records (`Consent`, `JobRecord`, ...), never rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[str]: JSON}


class CloneRow(Base):
    """A clone: its spec, and whether it is synthetic or a real person's twin."""

    __tablename__ = "clones"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    spec: Mapped[dict[str, Any]]
    synthetic: Mapped[bool]
    source: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ConsentRow(Base):
    __tablename__ = "consents"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    clone_id: Mapped[str] = mapped_column(ForeignKey("clones.id"), index=True)
    person: Mapped[str] = mapped_column(Text)
    uses: Mapped[list[str]]
    territories: Mapped[list[str]]
    starts: Mapped[date] = mapped_column(Date)
    expires: Mapped[date] = mapped_column(Date)
    licence_ref: Mapped[str] = mapped_column(Text)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class GarmentRow(Base):
    """A garment of a campaign's collection: its block or pattern, size rule, fabric, colour."""

    __tablename__ = "garments"
    __table_args__ = (UniqueConstraint("campaign_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    spec: Mapped[dict[str, Any]]


class CampaignRow(Base):
    __tablename__ = "campaigns"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    spec: Mapped[dict[str, Any]]
    output_dir: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class JobRow(Base):
    """One shot of a campaign. `key` is derived from everything that makes the shot, so a
    re-run finds its job again and a changed shot is a new job."""

    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("campaign_id", "key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    clone_id: Mapped[str] = mapped_column(String(80))
    shot: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutputRow(Base):
    """A written output: one per job at most (the unique job id makes re-recording a no-op)."""

    __tablename__ = "outputs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), unique=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), index=True)
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    clone_id: Mapped[str] = mapped_column(String(80))
    consent_id: Mapped[str | None] = mapped_column(String(80))
    seconds: Mapped[float]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    """Append-only: who did what to which clone, consent or campaign, and what was refused."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    campaign_id: Mapped[str | None] = mapped_column(String(80))
    clone_id: Mapped[str | None] = mapped_column(String(80))
    consent_id: Mapped[str | None] = mapped_column(String(80))
    detail: Mapped[str] = mapped_column(Text, default="")


class ApiKeyRow(Base):
    """A studio API key: only its SHA-256 is kept, so a leaked database leaks no key."""

    __tablename__ = "api_keys"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PatternRow(Base):
    """A sewing pattern in the studio's library (uploaded or drafted), as dressform JSON."""

    __tablename__ = "patterns"
    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    pattern: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LeaseRow(Base):
    """The runner that holds a campaign: it renews `expires_at` while it works, so the lease of
    a runner that died lapses by itself; `beats` counts every write, for compare-and-set."""

    __tablename__ = "leases"
    campaign_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    owner: Mapped[str] = mapped_column(String(80))
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    acquired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    beats: Mapped[int] = mapped_column(Integer, default=0)
