"""How BENCHMARKS.md is written: every section is its "### " title, ONE line naming the machine,
date and command it was run with, then its figures as Markdown tables.

A section function returns its lines (title first, figures as tables from `table`); whoever
writes the file stamps each title with `stamped` — `run.py` for a whole run, `replace_section`
(clones.py) for one script re-run alone — so a section always says how it was last made.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
import platform
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

#: What the file says above its sections.
PREAMBLE = [
    "# dressform benchmarks",
    "",
    "Each section: the machine, date and command it was last run with, then its figures. "
    "`make bench` (`python benchmarks/run.py`) runs every section; "
    "`python benchmarks/<section>.py` re-runs one and replaces it here.",
]


def machine() -> str:
    """The CPU, its cores, Python and torch: "AMD EPYC, 2 cores, Python 3.11.7, torch …"."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        torch = importlib.metadata.version("torch")
    except importlib.metadata.PackageNotFoundError:
        torch = "not installed"
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"torch {torch}")


def command(argv: Sequence[str] | None = None) -> str:
    """The command that is running, as typed from the repository root:
    "python benchmarks/drape.py" (with its arguments, if any)."""
    argv = list(sys.argv if argv is None else argv)
    return " ".join(["python", f"benchmarks/{Path(argv[0]).name}", *argv[1:]])


def stamp(run_by: str, when: dt.date | None = None, on: str | None = None) -> str:
    """A section's one header line: machine · date · command."""
    return f"{on or machine()} · {when or dt.datetime.now(dt.UTC).date():%Y-%m-%d} · {run_by}"


def stamped(lines: Iterable[str], run_by: str, when: dt.date | None = None,
            on: str | None = None) -> list[str]:
    """`lines` with the header line (`stamp`) and a blank line under every "### " section
    title (a blank line the section had there already is not doubled)."""
    header = stamp(run_by, when, on)
    out: list[str] = []
    for line in lines:
        if line == "" and out[-2:] == [header, ""]:
            continue
        out.append(line)
        if line.startswith("### "):
            out += [header, ""]
    return out


def cell(value: object) -> str:
    """A table cell: the value's text on one line, its pipes escaped."""
    return " ".join(str(value).split()).replace("|", "\\|")


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    """A Markdown table: the header row, the rule, one line per row (as many cells)."""
    out = ["| " + " | ".join(cell(h) for h in header) + " |",
           "|" + "---|" * len(header)]
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"a row of {len(row)} cells under {len(header)} headers: {row}")
        out.append("| " + " | ".join(cell(c) for c in row) + " |")
    return out
