"""`dressform campaign example|plan|run|status`: every shot of a campaign file, durable and
resumable."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dressform.cli.options import Db, console, err, make_console, progress

commands = typer.Typer()
campaign_app = typer.Typer(help="Campaigns: every shot of a campaign file, durable and "
                                "resumable.", no_args_is_help=True)
commands.add_typer(campaign_app, name="campaign")


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"


#: The demo's campaign file, kept in `dressform.campaign` (package data), beside its code.
DEMO = Path(__file__).resolve().parents[1] / "campaign" / "demo.yaml"


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
            wait: Annotated[float | None, typer.Option(
                help="Seconds to wait while another runner has the campaign (default: as long "
                     "as it takes; 0: stop at once)")] = None,
            db: Db = None) -> None:
    """Run every missing shot of a campaign: drape, render, label, sign, record. One runner
    per campaign at a time: a second waits for the first."""
    import signal

    from dressform.campaign.executors import make_executor
    from dressform.campaign.run import run_campaign
    from dressform.campaign.spec import load_campaign
    from dressform.provenance.keys import credentials
    from dressform.store import open_store

    if wait is not None and wait < 0:
        from dressform.errors import InvalidInputError

        raise InvalidInputError(f"--wait is 0 seconds or more, not {wait}")
    campaign = load_campaign(file)
    creds = credentials(key, chain)
    store = open_store(db)
    out = output or Path("out") / campaign.name
    ex = make_executor(executor, workers, address)

    def stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # SIGTERM as Ctrl-C: the lease given up, scratch removed

    signal.signal(signal.SIGTERM, stop)
    try:
        with progress() as bar:
            task = bar.add_task(f"{campaign.name}: planning", total=None)

            def on_event(kind: str, shot, detail: str) -> None:  # type: ignore[no-untyped-def]
                if kind == "waiting":
                    err.print(f"waiting: {detail} is running campaign {campaign.name}")
                elif kind == "planned":
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
                                  on_event=on_event, wait_s=wait)
    except BaseException as exc:
        # Workers die with the runner; what was recorded stays, the rest is redone next time.
        ex.shutdown(wait=False)
        if not isinstance(exc, KeyboardInterrupt):
            raise
        # A fresh console: the interrupt can land inside `err`'s own print and leave it
        # buffering for good, and this line is the one the user must see.
        make_console(stderr=True).print(
            f"[yellow]interrupted[/]: run `dressform campaign run {file}` again to finish "
            "(finished shots are kept)")
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
    """How far a campaign got: its shots by state, and why any failed or were refused. Shots
    left running by a runner that is gone are abandoned: the next run makes them."""
    from collections import Counter

    from dressform.store import open_store
    from dressform.store.db import lease_live

    store = open_store(db)
    jobs = store.jobs(name)
    if not jobs:
        from dressform.errors import UnknownNameError

        raise UnknownNameError(f"no campaign {name!r} has run with this store")
    lease = store.lease(name)
    running = lease is not None and lease_live(lease)
    counts = Counter(j.status if j.status != "running" or running else "abandoned"
                     for j in jobs)
    words = {"abandoned": "abandoned, will resume"}
    console.print(f"{name}: {len(jobs)} shots: " + ", ".join(
        f"{counts[s]} {words.get(s, s)}" for s in ("done", "pending", "running", "abandoned",
                                                   "failed", "refused") if counts[s]))
    if running:
        assert lease is not None
        console.print(f"being run by {lease.describe()}")
    problems = [j for j in jobs if j.status in ("failed", "refused")]
    if problems:
        table = Table(title="not done")
        for h in ("shot", "state", "attempts", "why"):
            table.add_column(h)
        for j in problems:
            table.add_row(j.shot.get("output", j.key), j.status, str(j.attempts), j.reason)
        console.print(table)

