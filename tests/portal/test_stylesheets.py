"""Our own stylesheets are well formed: a block left open (a lost ``}`` after a merge) puts
every rule below it inside the block, e.g. the desktop queue styled only on phones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = sorted((Path(__file__).resolve().parents[2] / "static" / "css").glob("*.css"))
COMMENT = re.compile(r"/\*.*?\*/", re.S)
STRING = re.compile(r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'")


def open_blocks(text: str) -> list[tuple[int, int]]:
    """(line, depth) where a block closes that was never opened, and the lines of the
    blocks still open at the end."""
    text = STRING.sub('""', COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text))
    stack: list[int] = []
    wrong: list[tuple[int, int]] = []
    for number, line in enumerate(text.split("\n"), 1):
        for ch in line:
            if ch == "{":
                stack.append(number)
            elif ch == "}":
                if not stack:
                    wrong.append((number, -1))
                else:
                    stack.pop()
    return wrong + [(line, len(stack)) for line in stack]


def test_the_checker_finds_an_unclosed_block():
    assert CSS, "no stylesheets found"
    assert open_blocks("a { b: c; }\n@media (x) {\n  d { e: f; }\n g { h: i; }") == [(2, 1)]
    assert open_blocks("a { b: c; }}") == [(1, -1)]
    assert open_blocks("/* { */ a { content: '}'; }") == []


@pytest.mark.parametrize("path", CSS, ids=lambda p: p.name)
def test_every_block_is_closed(path: Path):
    assert open_blocks(path.read_text(encoding="utf-8")) == []
