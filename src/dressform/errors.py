"""Exception types every dressform stage raises for bad input.

Each message says what was wrong and what is allowed, so that the CLI can print it as one line
and the HTTP API can return it as a 4xx with the same text.
"""

from __future__ import annotations


class DressformError(Exception):
    """Base class: a problem the user can act on (never a bug in dressform)."""


class DressformWarning(UserWarning):
    """A result made, but short of the mark in a way the user should hear of (a garment that
    did not come to rest in a pose): the CLI prints it as a warning."""


class InvalidInputError(DressformError, ValueError):
    """A value is missing, not a number, of the wrong type or outside its allowed range."""


class ImplausibleBodyError(InvalidInputError):
    """Body dimensions no adult (or child) could have, or a set that contradicts itself badly."""


class UnknownNameError(InvalidInputError, KeyError):
    """A name (measurement, skin tone, preset, expression, size...) that dressform does not know."""

    def __str__(self) -> str:  # KeyError would quote the message; keep it readable.
        return str(self.args[0]) if self.args else ""


class PatternError(InvalidInputError):
    """A sewing pattern that cannot be sewn: open or crossing outlines, mismatched seams..."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in the pattern: " if len(self.problems) > 1 else ""
        super().__init__(head + "; ".join(self.problems))

    def __reduce__(self) -> tuple[type, tuple[list[str]]]:
        # Rebuilt from its problems when it crosses a process boundary (a campaign worker),
        # not from its message (which would be read as a list of one-letter problems).
        return (type(self), (self.problems,))


class FitError(DressformError):
    """An optimisation (e.g. clone-from-measurements) failed to produce a usable result."""


class ExportError(DressformError):
    """Writing or reading a mesh / file failed (unsupported format, unreadable file)."""


class RenderError(DressformError):
    """The renderer could not produce an image (no GPU context, crashed, blank result)."""


__all__ = [
    "DressformError",
    "ExportError",
    "FitError",
    "ImplausibleBodyError",
    "InvalidInputError",
    "PatternError",
    "RenderError",
    "UnknownNameError",
]
