"""The root `dressform` app: every command module's commands, registered one way.

Each module in `MODULES` exposes `commands`, a nameless Typer holding its commands and its
named sub-groups; the root merges each in, so the command line is the union of the modules.
"""

from __future__ import annotations

import typer

from dressform.cli import body, campaign, consent, demo, drape, fit, forecast, pattern, shoot, web
from dressform.cli.options import run

#: In the order `dressform --help` lists them.
MODULES = (body, pattern, drape, fit, shoot, campaign, consent, web, forecast, demo)

app = typer.Typer(
    name="dressform",
    help="dressform: digital clones for fashion — bodies, measurements, casts, patterns, "
         "drapes, photoreal shoots.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
for module in MODULES:
    app.add_typer(module.commands)


def main() -> None:
    """The `dressform` console script."""
    run(app)

