"""`dressform campaign plan|run`, `dressform consent grant|revoke|show`, `dressform keys dev`
and `dressform verify`: campaigns, the consent ledger and provenance from the command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dressform.console import console, err, progress

Db = Annotated[str | None, typer.Option("--db", help=(
    "Database URL (default: $DRESSFORM_DATABASE_URL, else SQLite in .dressform/)"))]

campaign_app = typer.Typer(help="Campaigns: every shot of a campaign file, durable and "
                                "resumable.", no_args_is_help=True)
consent_app = typer.Typer(help="The consent ledger of real people's clones.",
                          no_args_is_help=True)
keys_app = typer.Typer(help="Keys: C2PA signing credentials (dev) and studio API keys (api).",
                        no_args_is_help=True)


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"


DEMO = Path(__file__).with_name("campaign") / "demo.yaml"


@campaign_app.command("example")
def example_cmd() -> None:
    """Print an example campaign file (the demo's) to start from."""
    typer.echo(DEMO.read_text(encoding="utf-8"), nl=False)


@campaign_app.command("plan")
def plan_cmd(file: Annotated[Path, typer.Argument(help="Campaign YAML file")],
             workers: Annotated[int, typer.Option(help="Workers to estimate for")] = 1,
             db: Db = None) -> None:
    """Check a campaign file and list its shots with an estimated time."""
    from dressform.body.cast import sex_word
    from dressform.body.spec import BodySpec
    from dressform.campaign.run import plan_campaign
    from dressform.campaign.spec import load_campaign
    from dressform.store import open_store

    campaign = load_campaign(file)
    p = plan_campaign(campaign, open_store(db))
    cast = Table(title=f"{campaign.name}: cast")
    for h in ("clone", "kind", "sex", "age", "height cm", "weight kg", "skin (Monk)"):
        cast.add_column(h, justify="left" if h in ("clone", "kind", "sex") else "right")
    for m in p.members:
        spec = BodySpec(**m.spec)
        cast.add_row(m.name, "synthetic" if m.synthetic else "real person",
                     sex_word(spec.sex), f"{spec.age_years:.0f}", f"{spec.height_cm:.0f}",
                     "" if spec.weight_kg is None else f"{spec.weight_kg:.0f}",
                     str(spec.skin_tone))
    console.print(cast)
    table = Table(title=f"{campaign.name}: {len(p.shots)} shots")
    for h in ("clone", "look", "pose", "camera", "light / backdrop", "expression"):
        table.add_column(h)
    for s in p.shots:
        table.add_row(s.member.name, s.drape.look, s.pose, s.camera,
                      f"{s.light} / {s.backdrop}", s.expression)
    console.print(table)
    kinds = sum(not m.synthetic for m in p.members)
    console.print(f"{len(p.members)} clones ({kinds} of real people, consent checked at run "
                  f"time), {len(p.drapes)} drapes, {len(p.shots)} shots; about "
                  f"{_minutes(p.estimate_s(workers))} with {workers} worker(s) "
                  f"({campaign.outputs.renderer}, {campaign.outputs.quality})")


@campaign_app.command("run")
def run_cmd(file: Annotated[Path, typer.Argument(help="Campaign YAML file")],
            output: Annotated[Path | None, typer.Option(
                "-o", "--output", help="Output folder (default: out/<campaign name>)")] = None,
            executor: Annotated[str, typer.Option(help="local (process pool) or ray")
                                ] = "local",
            workers: Annotated[int, typer.Option(help="Worker processes / Ray CPUs")] = 1,
            address: Annotated[str | None, typer.Option(
                help="Address of a running Ray cluster (host:port)")] = None,
            key: Annotated[Path | None, typer.Option(help="Signing key (PEM)")] = None,
            chain: Annotated[Path | None, typer.Option(
                help="Certificate chain (PEM, signer first)")] = None,
            db: Db = None) -> None:
    """Run every missing shot of a campaign: drape, render, label, sign, record."""
    from dressform.campaign.executors import make_executor
    from dressform.campaign.run import run_campaign
    from dressform.campaign.spec import load_campaign
    from dressform.provenance.keys import credentials
    from dressform.store import open_store

    campaign = load_campaign(file)
    creds = credentials(key, chain)
    store = open_store(db)
    out = output or Path("out") / campaign.name
    ex = make_executor(executor, workers, address)
    try:
        with progress() as bar:
            task = bar.add_task(f"{campaign.name}: planning", total=None)

            def on_event(kind: str, shot, detail: str) -> None:  # type: ignore[no-untyped-def]
                if kind == "planned":
                    bar.update(task, total=int(detail.split()[0]), completed=0)
                elif kind in ("done", "skipped", "adopted", "failed", "refused"):
                    bar.advance(task)
                    bar.update(task, description=f"{campaign.name}: {kind} {shot.output}")
                    if kind in ("failed", "refused"):
                        err.print(f"[yellow]{kind}[/] {shot.output}: {detail}")
                elif kind == "warning":
                    err.print(f"[yellow]warning[/] {shot.output}: {detail}")
                elif kind in ("drape-started", "pose-started", "started", "retry"):
                    what = shot.output if kind in ("started", "retry") else detail
                    bar.update(task, description=f"{campaign.name}: {kind} {what}")

            report = run_campaign(campaign, out, store=store, executor=ex, credentials=creds,
                                  on_event=on_event)
    except KeyboardInterrupt:
        # Workers die with the runner; what was recorded stays, the rest is redone next time.
        ex.shutdown(wait=False)
        err.print(f"[yellow]interrupted[/]: run `dressform campaign run {file}` again to "
                  "finish (finished shots are kept)")
        raise typer.Exit(130) from None
    ex.shutdown()
    console.print(f"{campaign.name}: {len(report.done)} rendered, {len(report.skipped)} "
                  f"already done, {len(report.adopted)} recovered, {len(report.failed)} "
                  f"failed, {len(report.refused)} refused, in {_minutes(report.seconds)}"
                  + (f"; {len(report.warnings)} with warnings (above)" if report.warnings
                     else ""))
    for path in report.published:
        console.print(f"wrote {path}")
    if not report.complete:
        raise typer.Exit(1)


@campaign_app.command("status")
def status_cmd(name: Annotated[str, typer.Argument(help="Campaign name (from its file)")],
               db: Db = None) -> None:
    """How far a campaign got: its shots by state, and why any failed or were refused."""
    from collections import Counter

    from dressform.store import open_store

    store = open_store(db)
    jobs = store.jobs(name)
    if not jobs:
        from dressform.errors import UnknownNameError

        raise UnknownNameError(f"no campaign {name!r} has run with this store")
    counts = Counter(j.status for j in jobs)
    console.print(f"{name}: {len(jobs)} shots: " + ", ".join(
        f"{counts[s]} {s}" for s in ("done", "pending", "running", "failed", "refused")
        if counts[s]))
    problems = [j for j in jobs if j.status in ("failed", "refused")]
    if problems:
        table = Table(title="not done")
        for h in ("shot", "state", "attempts", "why"):
            table.add_column(h)
        for j in problems:
            table.add_row(j.shot.get("output", j.key), j.status, str(j.attempts), j.reason)
        console.print(table)


@consent_app.command("grant")
def grant_cmd(clone: Annotated[str, typer.Argument(help="Clone id in the store")],
              person: Annotated[str, typer.Option(help="The person the clone is of")],
              uses: Annotated[str, typer.Option(help=(
                  "Granted uses, comma-separated: e-commerce, campaign, social, "
                  "runway-video, try-on"))],
              expires: Annotated[str, typer.Option(help="Last day of the grant (YYYY-MM-DD)")],
              licence: Annotated[str, typer.Option(help="Licence / compensation reference")],
              territories: Annotated[str, typer.Option(help=(
                  "Comma-separated ISO country or region codes, or worldwide"))] = "worldwide",
              starts: Annotated[str | None, typer.Option(help="First day (default today)")
                                ] = None,
              file: Annotated[Path | None, typer.Option(help=(
                  "The clone's file (from `dressform clone`), to add it to the store"))] = None,
              db: Db = None) -> None:
    """Record a real person's consent to uses of their clone (adding the clone from --file)."""
    from dressform.errors import InvalidInputError
    from dressform.store import open_store

    store = open_store(db)
    if file is not None:
        from dressform.body.export import load_body

        spec = load_body(file).spec
        store.put_clone(clone, spec.model_dump(mode="json"), synthetic=False, source=str(file))
    try:
        first = date.fromisoformat(starts) if starts else date.today()
        last = date.fromisoformat(expires)
    except ValueError as exc:
        raise InvalidInputError(f"dates are YYYY-MM-DD: {exc}") from None
    c = store.grant(clone, person, tuple(u.strip() for u in uses.split(",") if u.strip()),
                    tuple(t.strip() for t in territories.split(",") if t.strip()), first, last,
                    licence)
    console.print(f"granted {c.id}: {person}'s clone {clone} for {', '.join(c.uses)} in "
                  f"{', '.join(c.territories)}, {c.starts} to {c.expires} (licence "
                  f"{c.licence_ref})")


@consent_app.command("revoke")
def revoke_cmd(consent: Annotated[str, typer.Argument(help="Consent id")],
               reason: Annotated[str, typer.Option(help="Why (for the audit log)")] = "",
               db: Db = None) -> None:
    """Revoke a consent: running and future jobs of that clone are refused."""
    from dressform.store import open_store

    c = open_store(db).revoke(consent, reason)
    console.print(f"revoked {c.id} ({c.person}'s clone {c.clone_id}) at {c.revoked_at}")


@consent_app.command("show")
def show_cmd(clone: Annotated[str, typer.Argument(help="Clone id")], db: Db = None) -> None:
    """A clone's consents and its audit trail."""
    from dressform.store import open_store

    store = open_store(db)
    rec = store.clone(clone)
    console.print(f"clone {rec.id}: {'synthetic' if rec.synthetic else 'a real person'}"
                  f"{f' ({rec.source})' if rec.source else ''}")
    table = Table(title="consents")
    for h in ("id", "person", "uses", "territories", "from", "to", "licence", "state"):
        table.add_column(h)
    today = date.today()
    for c in store.consents(clone):
        state = ("revoked" if c.revoked_at else "expired" if c.expires < today else
                 "not yet" if c.starts > today else "in force")
        table.add_row(c.id, c.person, ", ".join(c.uses), ", ".join(c.territories),
                      str(c.starts), str(c.expires), c.licence_ref, state)
    console.print(table)
    log = Table(title="audit")
    for h in ("when (UTC)", "event", "detail"):
        log.add_column(h)
    for e in store.events(clone_id=clone)[-20:]:
        log.add_row(f"{e.at:%Y-%m-%d %H:%M:%S}", e.kind, e.detail)
    console.print(log)


@keys_app.command("dev")
def keys_dev_cmd(folder: Annotated[Path | None, typer.Option(help=(
                     "Where to write them (default .dressform/keys)"))] = None,
                 force: Annotated[bool, typer.Option(help="Replace existing keys")] = False
                 ) -> None:
    """Make a local development CA and signing certificate (never for published images)."""
    from dressform.provenance.keys import make_dev_credentials

    c = make_dev_credentials(folder, overwrite=force)
    console.print(f"wrote {c.key}, {c.chain} and the CA {c.trust}: images signed with them "
                  "verify as trusted only where that CA is trusted (`dressform verify --trust`)")


def verify_cmd(image: Annotated[Path, typer.Argument(help="A .jpg or .png")],
               trust: Annotated[Path | None, typer.Option(help=(
                   "Trust anchors (PEM); default $DRESSFORM_SIGNING_TRUST, else the "
                   "development CA"))] = None
               ) -> None:
    """Check an image's C2PA manifest and invisible watermark and print what they say."""
    from PIL import Image

    from dressform.errors import DressformError
    from dressform.provenance.keys import trust_anchors
    from dressform.provenance.manifest import verify
    from dressform.provenance.watermark import decode

    m = verify(image, trust_anchors(trust))
    with Image.open(image) as im:
        mark = decode(im)
    if not m.present:
        console.print(f"{image}: [yellow]no C2PA manifest[/]")
    else:
        colour = {"Trusted": "green", "Valid": "yellow"}.get(m.state or "", "red")
        console.print(f"{image}: manifest [{colour}]{m.state}[/]"
                      f"{' (' + ', '.join(m.failures) + ')' if m.failures else ''}")
        console.print(f"  title: {m.title}\n  source: {m.source_type} "
                      f"({'synthetic' if m.synthetic else 'not declared synthetic'})\n"
                      f"  signed by: {m.signer} (issuer {m.issuer})")
        for k, v in m.clone.items():
            console.print(f"  {k}: {v}")
    console.print(f"  watermark: {mark.hex() if mark else 'none found'}")
    if not m.present or m.state == "Invalid":
        raise DressformError(f"{image} has no valid C2PA manifest")
