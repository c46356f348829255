"""`dressform serve`, `dressform keys api` and `dressform tryon prepare`."""

from __future__ import annotations

from typing import Annotated

import typer

from dressform.campaign_cli import Db, keys_app
from dressform.console import console, err, progress

tryon_app = typer.Typer(help="Shopper try-on: drapes prepared on a grid of bodies.",
                        no_args_is_help=True)


def serve_cmd(host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
              port: Annotated[int, typer.Option(help="Port")] = 8000,
              db: Db = None,
              retention: Annotated[float | None, typer.Option(
                  help="Minutes a shopper's try-on is kept after its last use")] = None,
              access_log: Annotated[bool, typer.Option(
                  help="Log each request's method and path (never bodies)")] = True) -> None:
    """Start the web app: try-on page at /, studio at /studio, API docs at /docs."""
    import uvicorn

    from dressform.web import WebSettings, create_app

    overrides: dict[str, object] = {}
    if db:
        overrides["database_url"] = db
    if retention is not None:
        overrides["retention_s"] = retention * 60.0
    app = create_app(WebSettings.from_env(**overrides))
    console.print(f"dressform on http://{host}:{port}/ (studio: /studio, API: /docs)")
    uvicorn.run(app, host=host, port=port, access_log=access_log, log_level="info")


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


@tryon_app.command("prepare")
def prepare_cmd(garments: Annotated[list[str] | None, typer.Option(
                    "--garment", help="Catalogue garment (repeat; default: all)")] = None,
                sexes: Annotated[list[str] | None, typer.Option(
                    "--sex", help="female or male (repeat; default: both)")] = None,
                spread: Annotated[int, typer.Option(
                    help="Sizes either side of each grid body's own")] = 1) -> None:
    """Drape the catalogue on the grid bodies (what makes a shopper's try-on take seconds)."""
    from dressform.tryon.catalogue import CATALOGUE, SEXES, catalogue_garment, grid
    from dressform.tryon.library import DrapeLibrary, sizes_for
    from dressform.web.settings import WebSettings

    settings = WebSettings.from_env()
    library = DrapeLibrary(settings.data / "tryon", settings.tryon_spacing_mm)
    chosen = [catalogue_garment(g) for g in garments] if garments else list(CATALOGUE)
    for sex in sexes or SEXES:
        grid(sex)  # checks the name
    total = sum(len(sizes_for(g, b, spread)) for g in chosen for s in (sexes or SEXES)
                for b in grid(s))
    made = refused = 0
    with progress() as bar:
        task = bar.add_task("preparing try-on drapes", total=total)

        def on(what: str) -> None:
            bar.update(task, description=what)

        for g in chosen:
            for sex in sexes or SEXES:
                m, r = library.prepare(g, sex, spread, lambda w: (on(w), bar.advance(task)))
                made, refused = made + m, refused + r
    console.print(f"{made} drapes ready, {refused} refused (too small for that body) in "
                  f"{library.root}")
