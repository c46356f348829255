"""`dressform serve` and `dressform tryon prepare`: the web app, and the drapes that make its
try-on quick."""

from __future__ import annotations

from typing import Annotated

import typer

from dressform.cli.options import Db, console, progress

commands = typer.Typer()
tryon_app = typer.Typer(help="Shopper try-on: drapes prepared on a grid of bodies.",
                        no_args_is_help=True)
commands.add_typer(tryon_app, name="tryon")


@commands.command("serve")
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
    settings = WebSettings.from_env(**overrides)
    app = create_app(settings)
    console.print(f"dressform on http://{host}:{port}/ (studio: /studio, API: /docs)")
    # Forwarding headers are believed only from the configured proxies (uvicorn's default
    # believes loopback, which lets any local client name itself and dodge the rate limit).
    uvicorn.run(app, host=host, port=port, access_log=access_log, log_level="info",
                **settings.server_options())  # type: ignore[arg-type]


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
