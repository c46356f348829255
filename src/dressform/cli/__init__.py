"""`dressform` command line: thin shells over the library, with Rich tables and progress.

`app` (the root, `dressform.cli.app`) gathers one module per command group; `options` holds
what they share. Run it as `dressform ARGS` or `python -m dressform.cli ARGS`.
"""
