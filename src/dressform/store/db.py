"""`Store`: clones, consents, campaigns, jobs, outputs and the audit log in one database.

SQLite by default (`.dressform/dressform.db` under the working folder, or `$DRESSFORM_DATA`),
PostgreSQL by URL (`postgresql+pg8000://user:password@host/db`, or `$DRESSFORM_DATABASE_URL`).
Opening a store brings its schema up to date with Alembic, so an old database is migrated, not
recreated. One process writes (the campaign runner or a CLI command); workers never touch the
database, they return results to the runner.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, make_url, select, update
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from dressform.errors import DressformError, InvalidInputError, UnknownNameError
from dressform.paths import data_dir
from dressform.processes import alive
from dressform.provenance.consent import Consent, governing, state
from dressform.store.models import (
    ApiKeyRow,
    AuditRow,
    CampaignRow,
    CloneRow,
    ConsentRow,
    GarmentRow,
    JobRow,
    LeaseRow,
    OutputRow,
    PatternRow,
)
from dressform.store.records import (
    JOB_STATES,
    ApiKeyRecord,
    AuditEvent,
    CampaignRecord,
    CloneRecord,
    JobRecord,
    LeaseRecord,
    OutputRecord,
    PatternRecord,
)

#: Every studio API key starts with this, so a key pasted in the wrong place is recognisable.
API_KEY_PREFIX = "dfk_"

MIGRATIONS = Path(__file__).with_name("migrations")


class StoreError(DressformError):
    """The database cannot be opened or migrated (wrong URL, server down, newer schema)."""


def default_url() -> str:
    """`$DRESSFORM_DATABASE_URL`, else SQLite in `data_dir()`."""
    url = os.environ.get("DRESSFORM_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{(data_dir() / 'dressform.db').resolve()}"


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(t: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes: they were written in UTC."""
    return t if t is None or t.tzinfo else t.replace(tzinfo=UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers (a CLI `show`) run beside the writing runner; the busy timeout waits
    # for a lock instead of failing at once; foreign keys are off in SQLite unless asked.
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def migrate(engine: Engine) -> None:
    """Bring the schema of `engine`'s database to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _private_sqlite(url: str) -> None:
    """Make a SQLite store's file owner-only (0600) before SQLite opens it, and tighten one
    made looser before: it holds people's consents and bodies. SQLite gives the -wal and -shm
    files it makes the database file's mode, so they follow."""
    try:
        u = make_url(url)
    except ArgumentError:
        return  # create_engine says what is wrong with it
    if not u.drivername.startswith("sqlite") or u.database in (None, "", ":memory:") or (
            u.database.startswith("file:")):
        return
    path = Path(u.database)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with suppress(OSError):  # gone meanwhile, or someone else's file
            if p.stat().st_mode & 0o077:
                p.chmod(0o600)


def open_store(url: str | None = None) -> Store:
    """The store at `url` (default: `default_url()`), created or migrated as needed; a SQLite
    store's files are readable by their owner only."""
    url = url or default_url()
    _private_sqlite(url)
    try:
        engine = create_engine(url)
    except Exception as exc:  # an unknown dialect or a malformed URL
        raise StoreError(f"cannot use database URL {url!r}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        migrate(engine)
    except DBAPIError as exc:  # server down, wrong credentials, no such database...
        raise StoreError(f"cannot open the database at {engine.url!r}: {exc.orig}") from exc
    return Store(engine)


class Store:
    """Reads and writes records; every method is one transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._session = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with self._session.begin() as s:
            yield s

    def close(self) -> None:
        self.engine.dispose()

    # -- clones -------------------------------------------------------------------------------
    def put_clone(self, clone_id: str, spec: dict[str, Any], synthetic: bool,
                  source: str = "") -> CloneRecord:
        """Add the clone, or update its spec and source (its id and kind never change)."""
        with self._tx() as s:
            row = s.get(CloneRow, clone_id)
            if row is None:
                row = CloneRow(id=clone_id, spec=spec, synthetic=synthetic, source=source,
                               created_at=_now())
                s.add(row)
                s.add(AuditRow(at=_now(), kind="clone.added", clone_id=clone_id,
                               detail="synthetic" if synthetic else "real person"))
            elif row.synthetic != synthetic:
                raise InvalidInputError(f"clone {clone_id!r} is already on record as "
                                        f"{'synthetic' if row.synthetic else 'a real person'}")
            else:
                row.spec, row.source = spec, source
            return CloneRecord(row.id, row.spec, row.synthetic, row.source)

    def clone(self, clone_id: str) -> CloneRecord:
        with self._tx() as s:
            row = _required(s, CloneRow, CloneRow.id, clone_id, "clone", "the store")
            return CloneRecord(row.id, row.spec, row.synthetic, row.source)

    def clones(self) -> list[CloneRecord]:
        with self._tx() as s:
            return [CloneRecord(r.id, r.spec, r.synthetic, r.source)
                    for r in s.scalars(select(CloneRow).order_by(CloneRow.id))]

    def delete_clone(self, clone_id: str) -> None:
        """Erase a clone and its consents (a person's right to erasure). Outputs already made
        keep their files and rows; the audit log keeps that the clone existed and was erased."""
        with self._tx() as s:
            row = s.get(CloneRow, clone_id)
            if row is None:
                raise UnknownNameError(f"no clone {clone_id!r} in the store")
            for c in s.scalars(select(ConsentRow).where(ConsentRow.clone_id == clone_id)):
                s.delete(c)
            s.flush()  # the consents go first: they refer to the clone
            s.delete(row)
            s.add(AuditRow(at=_now(), kind="clone.deleted", clone_id=clone_id))

    # -- consent ------------------------------------------------------------------------------
    def grant(self, clone_id: str, person: str, uses: tuple[str, ...],
              territories: tuple[str, ...], starts: date, expires: date,
              licence_ref: str) -> Consent:
        """Record a new consent for a real person's clone (validated as a `Consent`)."""
        consent = Consent(id=f"consent-{uuid.uuid4().hex[:10]}", clone_id=clone_id,
                          person=person, uses=uses, territories=territories, starts=starts,
                          expires=expires, licence_ref=licence_ref)
        with self._tx() as s:
            clone = s.get(CloneRow, clone_id)
            if clone is None:
                raise UnknownNameError(f"no clone {clone_id!r} in the store: add it first")
            if clone.synthetic:
                raise InvalidInputError(f"clone {clone_id!r} is synthetic: it needs no consent")
            s.add(ConsentRow(**consent.model_dump(mode="python") | {
                "uses": list(consent.uses), "territories": list(consent.territories),
                "created_at": _now()}))
            s.add(AuditRow(at=_now(), kind="consent.granted", clone_id=clone_id,
                           consent_id=consent.id,
                           detail=f"{', '.join(uses)} in {', '.join(consent.territories)} "
                                  f"{starts}..{expires}, licence {licence_ref}"))
        return consent

    def revoke(self, consent_id: str, reason: str = "") -> Consent:
        with self._tx() as s:
            row = s.get(ConsentRow, consent_id)
            if row is None:
                raise UnknownNameError(f"no consent {consent_id!r} in the store")
            if row.revoked_at is None:
                row.revoked_at = _now()
                s.add(AuditRow(at=_now(), kind="consent.revoked", clone_id=row.clone_id,
                               consent_id=consent_id, detail=reason))
            return _consent(row)

    def consents(self, clone_id: str) -> list[Consent]:
        with self._tx() as s:
            rows = s.scalars(select(ConsentRow).where(ConsentRow.clone_id == clone_id)
                             .order_by(ConsentRow.created_at)).all()
            return [_consent(r) for r in rows]

    def consent(self, consent_id: str) -> Consent:
        with self._tx() as s:
            row = s.get(ConsentRow, consent_id)
            if row is None:
                raise UnknownNameError(f"no consent {consent_id!r} in the store")
            return _consent(row)

    def current_consent(self, clone_id: str, on: date, use: str | None = None,
                        territories: tuple[str, ...] = ()) -> Consent | None:
        """The consent that governs `clone_id` on day `on` (the semantics are
        `dressform.provenance.consent`'s): for a `use` in `territories`, the newest consent
        that allows it, else the one whose refusal says why; with no use, the newest consent
        in force, else the newest one. A revocation ends only the consent revoked: a grant
        made after it is in force from its own start."""
        all_ = self.consents(clone_id)
        if use is not None:
            return governing(all_, use, territories, on)
        live = [c for c in all_ if state(c, on) == "in force"]
        return (live or all_ or [None])[-1]

    # -- campaigns and jobs -------------------------------------------------------------------
    def campaigns(self) -> list[CampaignRecord]:
        with self._tx() as s:
            return [CampaignRecord(r.id, r.spec, r.output_dir, _utc(r.created_at) or r.created_at)
                    for r in s.scalars(select(CampaignRow).order_by(CampaignRow.created_at))]

    def put_campaign(self, campaign_id: str, spec: dict[str, Any], output_dir: str,
                     garments: dict[str, dict[str, Any]]) -> None:
        with self._tx() as s:
            row = s.get(CampaignRow, campaign_id)
            if row is None:
                s.add(CampaignRow(id=campaign_id, spec=spec, output_dir=output_dir,
                                  created_at=_now(), updated_at=_now()))
                s.flush()
            else:
                row.spec, row.output_dir, row.updated_at = spec, output_dir, _now()
            have = {g.name: g for g in s.scalars(
                select(GarmentRow).where(GarmentRow.campaign_id == campaign_id))}
            for name, g in garments.items():
                if name in have:
                    have[name].spec = g
                else:
                    s.add(GarmentRow(campaign_id=campaign_id, name=name, spec=g))

    def ensure_jobs(self, campaign_id: str, jobs: list[tuple[str, str, dict[str, Any]]]
                    ) -> list[JobRecord]:
        """The campaign's job for each `(key, clone_id, shot)`, created where missing."""
        with self._tx() as s:
            have = {j.key: j for j in s.scalars(select(JobRow).where(
                JobRow.campaign_id == campaign_id))}
            for key, clone_id, shot in jobs:
                if key not in have:
                    row = JobRow(campaign_id=campaign_id, key=key, clone_id=clone_id,
                                 shot=shot, status="pending", attempts=0, reason="",
                                 updated_at=_now())
                    s.add(row)
                    have[key] = row
            s.flush()
            return [_job(have[k]) for k, _, _ in jobs]

    def jobs(self, campaign_id: str) -> list[JobRecord]:
        with self._tx() as s:
            return [_job(r) for r in s.scalars(select(JobRow).where(
                JobRow.campaign_id == campaign_id).order_by(JobRow.id))]

    def set_job(self, job_id: int, status: str, reason: str = "",
                attempts: int | None = None) -> None:
        if status not in JOB_STATES:
            raise ValueError(f"job state {status!r} is not one of {JOB_STATES}")
        with self._tx() as s:
            row = s.get(JobRow, job_id)
            if row is None:
                raise UnknownNameError(f"no job {job_id}")
            row.status, row.reason, row.updated_at = status, reason, _now()
            if attempts is not None:
                row.attempts = attempts

    def record_output(self, out: OutputRecord, campaign_id: str) -> None:
        """Record `out` and mark its job done, in one transaction; recording the same job's
        output again replaces the row (same file, same id), never adds a second one."""
        with self._tx() as s:
            row = s.scalars(select(OutputRow).where(OutputRow.job_id == out.job_id)).first()
            fields = {"path": out.path, "sha256": out.sha256, "width": out.width,
                      "height": out.height, "clone_id": out.clone_id,
                      "consent_id": out.consent_id, "seconds": out.seconds}
            if row is None:
                s.add(OutputRow(job_id=out.job_id, campaign_id=campaign_id,
                                created_at=_now(), **fields))
            else:
                for k, v in fields.items():
                    setattr(row, k, v)
            job = s.get(JobRow, out.job_id)
            if job is not None:
                job.status, job.reason, job.updated_at = "done", "", _now()
            s.add(AuditRow(at=_now(), kind="output.written", campaign_id=campaign_id,
                           clone_id=out.clone_id, consent_id=out.consent_id,
                           detail=out.path))

    def outputs(self, campaign_id: str) -> list[OutputRecord]:
        with self._tx() as s:
            return [OutputRecord(r.job_id, r.path, r.sha256, r.width, r.height, r.clone_id,
                                 r.consent_id, r.seconds)
                    for r in s.scalars(select(OutputRow).where(
                        OutputRow.campaign_id == campaign_id).order_by(OutputRow.job_id))]

    # -- leases: one runner per campaign ------------------------------------------------------
    def lease(self, campaign_id: str) -> LeaseRecord | None:
        """The campaign's lease as it stands (live or lapsed), or None."""
        seen = self._lease_seen(campaign_id)
        return None if seen is None else seen[0]

    def _lease_seen(self, campaign_id: str) -> tuple[LeaseRecord, int] | None:
        with self._tx() as s:
            row = s.get(LeaseRow, campaign_id)
            return None if row is None else (_lease(row), row.beats)

    def acquire_lease(self, campaign_id: str, owner: str, ttl_s: float) -> LeaseRecord:
        """Take the campaign's lease for `owner` for `ttl_s` seconds if it is free, lapsed,
        held by a process of this host that is gone, or `owner`'s already; the lease as it
        then stands (another runner's when it could not be taken). A compare-and-set: of two
        runners that try at once, one gets it."""
        if not 1 <= len(owner) <= 80 or ttl_s <= 0:
            raise InvalidInputError(f"a lease needs an owner of 1 to 80 characters and a "
                                    f"positive time, not {owner!r} for {ttl_s} s")
        seen = self._lease_seen(campaign_id)
        held = None if seen is None else seen[0]
        if held is not None and held.owner != owner and lease_live(held):
            return held
        now = _now()
        fields = {"owner": owner, "host": socket.gethostname(), "pid": os.getpid(),
                  "acquired_at": held.acquired_at if held and held.owner == owner else now,
                  "expires_at": now + timedelta(seconds=ttl_s)}
        try:
            # Only writes in this transaction: SQLite then takes its write lock (waiting for
            # it) before it reads, where a read first could not be upgraded after a rival's.
            with self._tx() as s:
                if seen is None:
                    s.add(LeaseRow(campaign_id=campaign_id, beats=0, **fields))
                else:
                    s.execute(update(LeaseRow).where(
                        LeaseRow.campaign_id == campaign_id, LeaseRow.beats == seen[1])
                        .values(beats=LeaseRow.beats + 1, **fields))
        except (IntegrityError, OperationalError):
            pass  # another runner took it first: say whose it is
        now_held = self.lease(campaign_id)
        return now_held if now_held is not None else self.acquire_lease(campaign_id, owner,
                                                                         ttl_s)

    def renew_lease(self, campaign_id: str, owner: str, ttl_s: float) -> bool:
        """Extend `owner`'s lease by `ttl_s` from now; False when it is no longer theirs."""
        with self._tx() as s:
            done = s.execute(update(LeaseRow).where(
                LeaseRow.campaign_id == campaign_id, LeaseRow.owner == owner).values(
                expires_at=_now() + timedelta(seconds=ttl_s), beats=LeaseRow.beats + 1))
            return bool(getattr(done, "rowcount", 0))

    def release_lease(self, campaign_id: str, owner: str) -> None:
        """Give the lease up (nothing if it is not `owner`'s)."""
        with self._tx() as s:
            s.execute(delete(LeaseRow).where(LeaseRow.campaign_id == campaign_id,
                                             LeaseRow.owner == owner))

    # -- API keys -----------------------------------------------------------------------------
    def add_api_key(self, name: str) -> tuple[ApiKeyRecord, str]:
        """A new key for `name`: (its record, the secret). The secret is shown once and
        only its hash is kept."""
        secret = API_KEY_PREFIX + secrets.token_urlsafe(24)
        record = ApiKeyRecord(f"key-{uuid.uuid4().hex[:10]}", name, _now(), None)
        with self._tx() as s:
            s.add(ApiKeyRow(id=record.id, name=name, sha256=_digest(secret),
                            created_at=record.created_at, revoked_at=None))
            s.add(AuditRow(at=_now(), kind="apikey.created", detail=f"{record.id} ({name})"))
        return record, secret

    def api_key(self, secret: str) -> ApiKeyRecord | None:
        """The live key whose secret this is, else None."""
        with self._tx() as s:
            row = s.scalars(select(ApiKeyRow).where(ApiKeyRow.sha256 == _digest(secret))).first()
            if row is None or row.revoked_at is not None:
                return None
            return _api_key(row)

    def revoke_api_key(self, key_id: str) -> ApiKeyRecord:
        with self._tx() as s:
            row = s.get(ApiKeyRow, key_id)
            if row is None:
                raise UnknownNameError(f"no API key {key_id!r}")
            if row.revoked_at is None:
                row.revoked_at = _now()
                s.add(AuditRow(at=_now(), kind="apikey.revoked", detail=key_id))
            return _api_key(row)

    # -- pattern library ----------------------------------------------------------------------
    def put_pattern(self, name: str, pattern_json: str, source: str) -> PatternRecord:
        """Add or replace the library's pattern `name` (dressform pattern JSON)."""
        with self._tx() as s:
            row = s.get(PatternRow, name)
            if row is None:
                row = PatternRow(name=name, pattern=pattern_json, source=source,
                                 created_at=_now())
                s.add(row)
            else:
                row.pattern, row.source = pattern_json, source
            return PatternRecord(row.name, row.pattern, row.source)

    def pattern(self, name: str) -> PatternRecord:
        with self._tx() as s:
            row = _required(s, PatternRow, PatternRow.name, name, "pattern", "the library")
            return PatternRecord(row.name, row.pattern, row.source)

    def patterns(self) -> list[PatternRecord]:
        with self._tx() as s:
            return [PatternRecord(r.name, r.pattern, r.source)
                    for r in s.scalars(select(PatternRow).order_by(PatternRow.name))]

    # -- audit --------------------------------------------------------------------------------
    def audit(self, kind: str, detail: str = "", campaign_id: str | None = None,
              clone_id: str | None = None, consent_id: str | None = None) -> None:
        with self._tx() as s:
            s.add(AuditRow(at=_now(), kind=kind, detail=detail, campaign_id=campaign_id,
                           clone_id=clone_id, consent_id=consent_id))

    def events(self, kind: str | None = None, clone_id: str | None = None,
               campaign_id: str | None = None) -> list[AuditEvent]:
        q = select(AuditRow).order_by(AuditRow.id)
        if kind:
            q = q.where(AuditRow.kind == kind)
        if clone_id:
            q = q.where(AuditRow.clone_id == clone_id)
        if campaign_id:
            q = q.where(AuditRow.campaign_id == campaign_id)
        with self._tx() as s:
            return [AuditEvent(_utc(r.at) or r.at, r.kind, r.detail, r.campaign_id,
                               r.clone_id, r.consent_id) for r in s.scalars(q)]


def _consent(row: ConsentRow) -> Consent:
    return Consent(id=row.id, clone_id=row.clone_id, person=row.person, uses=tuple(row.uses),
                   territories=tuple(row.territories), starts=row.starts, expires=row.expires,
                   licence_ref=row.licence_ref, revoked_at=_utc(row.revoked_at))


def _required(s: Session, table: Any, column: Any, key: str, what: str, where: str) -> Any:
    """The row of `table` with this key, else `UnknownNameError` naming some that exist."""
    row = s.get(table, key)
    if row is None:
        known = s.scalars(select(column).order_by(column).limit(21)).all()
        listed = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "")
        raise UnknownNameError(f"no {what} {key!r} in {where} (known: {listed or 'none'})")
    return row


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _api_key(row: ApiKeyRow) -> ApiKeyRecord:
    return ApiKeyRecord(row.id, row.name, _utc(row.created_at) or row.created_at,
                        _utc(row.revoked_at))


def _lease(row: LeaseRow) -> LeaseRecord:
    return LeaseRecord(row.campaign_id, row.owner, row.host, row.pid,
                       _utc(row.acquired_at) or row.acquired_at,
                       _utc(row.expires_at) or row.expires_at)


def lease_live(lease: LeaseRecord, now: datetime | None = None) -> bool:
    """Whether a lease still holds: not lapsed, and not held by a process of this host that
    has died (its runner was killed: no need to wait for the lease to lapse)."""
    if (now or _now()) >= lease.expires_at:
        return False
    return lease.host != socket.gethostname() or alive(lease.pid)


def _job(row: JobRow) -> JobRecord:
    return JobRecord(row.id, row.campaign_id, row.key, row.clone_id, dict(row.shot), row.status,
                     row.attempts, row.reason)
