"""The store against SQLite and PostgreSQL (`DRESSFORM_TEST_PG_URL`, set by .ci/run and
`make test` from scripts/test-postgres.sh): migrations, consent ledger, jobs, outputs, audit."""

from __future__ import annotations

import os
from datetime import date

import pytest
from sqlalchemy import create_engine, inspect, text

from dressform.errors import InvalidInputError, UnknownNameError
from dressform.store import open_store
from dressform.store.db import StoreError
from dressform.store.records import OutputRecord

PG = os.environ.get("DRESSFORM_TEST_PG_URL")


def _fresh_postgres(url: str) -> str:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    if not PG:
        if os.environ.get("CI"):
            pytest.fail("CI must test the store on PostgreSQL: DRESSFORM_TEST_PG_URL unset")
        pytest.skip("no PostgreSQL (run scripts/test-postgres.sh)")
    return _fresh_postgres(PG)


def test_migrations_create_every_table_at_head(url):
    store = open_store(url)
    tables = set(inspect(store.engine).get_table_names())
    assert {"clones", "consents", "garments", "campaigns", "jobs", "outputs", "audit_events",
            "api_keys", "patterns", "leases", "alembic_version"} <= tables
    with store.engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == "0003"
    store.close()
    open_store(url).close()  # opening again migrates nothing and loses nothing


def test_consent_ledger_grant_revoke_and_audit(url):
    store = open_store(url)
    store.put_clone("ada", {"sex": 1.0}, synthetic=False, source="ada.glb")
    c = store.grant("ada", "Ada Example", ("campaign", "e-commerce"), ("eu", "US"),
                    date(2026, 1, 1), date(2026, 12, 31), "LIC-1")
    assert c.territories == ("EU", "US")
    assert store.current_consent("ada", date(2026, 6, 1)) == c
    later = store.grant("ada", "Ada Example", ("social",), ("worldwide",), date(2027, 1, 1),
                        date(2027, 12, 31), "LIC-2")
    assert store.current_consent("ada", date(2027, 3, 1)) == later
    store.revoke(c.id, "asked by email")
    # A revocation ends that consent, and only that one.
    assert store.current_consent("ada", date(2027, 3, 1)) == later
    assert store.current_consent("ada", date(2026, 6, 1), "campaign", ("EU",)).id == c.id
    again = store.grant("ada", "Ada Example", ("campaign",), ("EU",), date(2026, 5, 1),
                        date(2026, 12, 31), "LIC-3")  # a new consent from its own start
    assert store.current_consent("ada", date(2026, 6, 1), "campaign", ("EU",)) == again
    assert store.current_consent("ada", date(2026, 4, 1), "campaign", ("EU",)).id == c.id
    kinds = [e.kind for e in store.events(clone_id="ada")]
    assert kinds == ["clone.added", "consent.granted", "consent.granted", "consent.revoked",
                     "consent.granted"]
    with pytest.raises(UnknownNameError, match="no clone 'bob'"):
        store.grant("bob", "Bob", ("campaign",), ("worldwide",), date(2026, 1, 1),
                    date(2026, 2, 1), "L")
    store.put_clone("synth", {}, synthetic=True)
    with pytest.raises(InvalidInputError, match="synthetic"):
        store.grant("synth", "Nobody", ("campaign",), ("worldwide",), date(2026, 1, 1),
                    date(2026, 2, 1), "L")
    with pytest.raises(InvalidInputError, match="already on record as synthetic"):
        store.put_clone("synth", {}, synthetic=False)
    store.close()


def test_jobs_and_outputs_are_never_duplicated(url):
    store = open_store(url)
    store.put_clone("c1", {}, synthetic=True)
    store.put_campaign("spring", {"name": "spring"}, "/tmp/out", {"tee": {"block": "tshirt"}})
    jobs = store.ensure_jobs("spring", [("k1", "c1", {"pose": "relaxed"}),
                                        ("k2", "c1", {"pose": "seated"})])
    again = store.ensure_jobs("spring", [("k2", "c1", {}), ("k1", "c1", {})])
    assert [j.id for j in again] == [jobs[1].id, jobs[0].id]
    assert len(store.jobs("spring")) == 2
    out = OutputRecord(jobs[0].id, "/tmp/out/a.jpg", "ab" * 32, 10, 20, "c1", None, 1.5)
    store.record_output(out, "spring")
    store.record_output(out, "spring")
    assert store.outputs("spring") == [out]
    assert {j.key: j.status for j in store.jobs("spring")} == {"k1": "done", "k2": "pending"}
    store.set_job(jobs[1].id, "failed", "RenderError: boom", attempts=3)
    failed = store.jobs("spring")[1]
    assert (failed.status, failed.attempts, failed.reason) == ("failed", 3, "RenderError: boom")
    with pytest.raises(ValueError, match="job state"):
        store.set_job(jobs[1].id, "exploded")
    store.close()


def test_a_campaign_lease_is_held_by_one_runner_at_a_time(url):
    import time

    store = open_store(url)
    a = store.acquire_lease("spring", "runner-a", 0.3)
    assert a.owner == "runner-a" and store.acquire_lease("spring", "runner-b", 60) == a
    assert store.renew_lease("spring", "runner-a", 0.3)
    time.sleep(0.35)  # runner a stopped renewing: its lease lapsed
    assert store.acquire_lease("spring", "runner-b", 60).owner == "runner-b"
    assert not store.renew_lease("spring", "runner-a", 60)  # a has lost it for good
    store.release_lease("spring", "runner-a")  # not a's to give up: nothing happens
    assert store.lease("spring").owner == "runner-b"
    store.release_lease("spring", "runner-b")
    assert store.lease("spring") is None
    with pytest.raises(InvalidInputError, match="positive time"):
        store.acquire_lease("spring", "runner-c", 0)
    store.close()


def test_the_store_files_are_private(tmp_path):
    """The database and its WAL and shared-memory files: 0600 whatever the umask, and a file
    left readable by others is tightened when opened."""
    old = os.umask(0o022)
    try:
        path = tmp_path / "data" / "dressform.db"
        store = open_store(f"sqlite:///{path}")
        store.put_clone("ada", {}, synthetic=True)
        files = [path, path.with_name("dressform.db-wal"), path.with_name("dressform.db-shm")]
        assert [oct(f.stat().st_mode & 0o777) for f in files] == ["0o600"] * 3
        store.close()
        path.chmod(0o644)
        open_store(f"sqlite:///{path}").close()
        assert path.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)


def test_a_bad_database_url_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="cannot use database URL"):
        open_store("nosuchdb://x")
    with pytest.raises(StoreError, match="cannot open the database"):
        open_store("postgresql+pg8000://nobody:x@127.0.0.1:1/none")


def test_an_old_database_is_migrated_with_its_data(tmp_path):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from dressform.store.db import MIGRATIONS

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("insert into clones (id, spec, synthetic, source, created_at) "
                          "values ('old', '{}', 1, '', '2026-01-01 00:00:00')"))
    engine.dispose()
    store = open_store(url)
    assert store.clone("old").synthetic
    _, key = store.add_api_key("after the upgrade")
    assert store.api_key(key) is not None and store.api_key(key + "x") is None
    store.close()
