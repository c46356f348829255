"""`dressform consent grant|revoke|show`, `dressform keys dev|api` and `dressform verify`:
the consent ledger, signing and API keys, and provenance from the command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dressform.cli.options import Db, console, err

commands = typer.Typer()
consent_app = typer.Typer(help="The consent ledger of real people's clones.",
                          no_args_is_help=True)
keys_app = typer.Typer(help="Keys: C2PA signing credentials (dev) and studio API keys (api).",
                        no_args_is_help=True)
commands.add_typer(consent_app, name="consent")
commands.add_typer(keys_app, name="keys")


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
        from dressform.body.files import load_body

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
    """A clone's consents, which of them are in force today, and its audit trail."""
    from dressform.provenance.consent import state
    from dressform.store import open_store

    store = open_store(db)
    rec = store.clone(clone)
    console.print(f"clone {rec.id}: {'synthetic' if rec.synthetic else 'a real person'}"
                  f"{f' ({rec.source})' if rec.source else ''}")
    table = Table(title="consents")
    for h in ("id", "person", "uses", "territories", "from", "to", "licence", "state"):
        table.add_column(h, no_wrap=h in ("id", "state"))  # never cut what says what holds
    today = date.today()
    consents = store.consents(clone)
    for c in consents:
        table.add_row(c.id, c.person, ", ".join(c.uses), ", ".join(c.territories),
                      str(c.starts), str(c.expires), c.licence_ref, state(c, today))
    console.print(table)
    live = [c for c in consents if state(c, today) == "in force"]
    if rec.synthetic:
        console.print("synthetic: it needs no consent")
    elif live:
        console.print(f"in force on {today}: " + "; ".join(
            f"{c.id} ({', '.join(c.uses)} in {', '.join(c.territories)}, to {c.expires})"
            for c in live))
    else:
        console.print(f"none in force on {today}: every use of this clone is refused")
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


@keys_app.command("api")
def keys_api_cmd(name: Annotated[str, typer.Argument(help="Who the key is for")],
                 revoke: Annotated[str | None, typer.Option(
                     help="Revoke this key id instead of making one")] = None,
                 db: Db = None) -> None:
    """Make a studio API key (shown once; only its hash is stored), or revoke one."""
    from dressform.store import open_store

    store = open_store(db)
    if revoke:
        r = store.revoke_api_key(revoke)
        console.print(f"revoked {r.id} ({r.name})")
        return
    record, secret = store.add_api_key(name)
    err.print(f"API key {record.id} for {name} (shown once; send it as X-API-Key):")
    console.print(secret)


@commands.command("verify")
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
    mark, pdf = None, image.read_bytes()[:4] == b"%PDF"
    if not pdf:  # a lookbook's marks are in its pictures, each its shot's
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
    found = mark.hex() if mark else "in its pictures" if pdf else "none found"
    console.print(f"  watermark: {found}")
    if not m.present or m.state == "Invalid":
        raise DressformError(f"{image} has no valid C2PA manifest")
