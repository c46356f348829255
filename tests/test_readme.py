"""Every Python snippet of README.md runs as written.

Each ```python block is run on its own, in a fresh namespace and an empty working folder (what
it writes stays there), compiled against README.md's own line numbers: a failure names the
block's first line and its traceback points at the README line that failed. Shell examples are
```bash blocks and are not run.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
FENCE = re.compile(r"^```(\S*)[ \t]*$")
#: The languages a README block may be fenced as: Python is run, shell is only shown.
LANGUAGES = {"python", "bash"}


def fenced_blocks(text: str) -> list[tuple[str, int, str]]:
    """(language, first line of the code, code) of every fenced block, 1-based lines."""
    blocks: list[tuple[str, int, str]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        start = i + 2  # the code's first line, 1-based
        i += 1
        body: list[str] = []
        while i < len(lines) and lines[i].rstrip() != "```":
            body.append(lines[i])
            i += 1
        if i == len(lines):
            raise AssertionError(f"README.md:{start - 1}: a fenced block is never closed")
        blocks.append((opening.group(1), start, "\n".join(body) + "\n"))
        i += 1
    return blocks


BLOCKS = fenced_blocks(README.read_text(encoding="utf-8"))
PYTHON = [(line, code) for language, line, code in BLOCKS if language == "python"]


def test_readme_has_python_snippets() -> None:
    assert PYTHON, "README.md has no ```python block"


@pytest.mark.parametrize(
    "language,line",
    [(lang, line) for lang, line, _ in BLOCKS],
    ids=[f"README.md:{line}" for _, line, _ in BLOCKS],
)
def test_blocks_say_their_language(language: str, line: int) -> None:
    assert language in LANGUAGES, (
        f"README.md:{line - 1}: a fenced block is {language or 'unlabelled'!r}; fence Python "
        "as ```python (it is run) and shell as ```bash"
    )


@pytest.mark.parametrize("line,code", PYTHON, ids=[f"README.md:{line}" for line, _ in PYTHON])
def test_python_snippet_runs(
    line: int, code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    # Padding puts every statement on its README line, in tracebacks too.
    compiled = compile("\n" * (line - 1) + code, str(README), "exec")
    namespace = {"__name__": "__readme__"}
    try:
        exec(compiled, namespace)
    except Exception:
        pytest.fail(
            f"the snippet at README.md line {line} failed:\n{traceback.format_exc()}", pytrace=False
        )
