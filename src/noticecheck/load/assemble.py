"""Inline text pieces to blocks, for formats that are trees (HTML, Word via HTML, ODT).

A tree walker tells the assembler when a block element opens and closes
and feeds it text with a line number and a bold flag; the assembler joins
the pieces and applies the rules every tree format shares:

* two line breaks in a row (`<br><br>`) end a paragraph (old CMS pages);
* a short, all-bold paragraph, or an all-bold first line before a break,
  is a heading (level 3): many notices are written with bold instead of
  heading styles.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from noticecheck.load.blocks import is_short_title, make_block, normalise
from noticecheck.model import Block, BlockKind

BOLD_HEADING_LEVEL = 3
_BREAK = "\n"  # a line break inside a block's pieces


@dataclass
class _Piece:
    text: str
    line: int
    bold: bool


@dataclass
class _Context:
    kind: BlockKind
    level: int
    bold_heading_ok: bool
    pieces: list[_Piece] = field(default_factory=list)


class Assembler:
    """Collects pieces per open block element and emits Blocks in order."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._stack = [_Context(BlockKind.PARAGRAPH, 0, True)]

    @property
    def kind(self) -> BlockKind:
        """The kind of block now open (PARAGRAPH at the top level)."""
        return self._stack[-1].kind

    @property
    def level(self) -> int:
        return self._stack[-1].level

    def open(self, kind: BlockKind, level: int = 0, *, bold_heading_ok: bool = False) -> None:
        """A block element starts: text before it belongs to the enclosing block."""
        self._flush(self._stack[-1])
        self._stack.append(_Context(kind, level, bold_heading_ok))

    def close(self) -> None:
        """The innermost block element ends."""
        if len(self._stack) > 1:
            self._flush(self._stack.pop())

    def text(self, text: str, line: int, *, bold: bool = False) -> None:
        if text:
            self._stack[-1].pieces.append(_Piece(text, line, bold))

    def line_break(self, line: int) -> None:
        self._stack[-1].pieces.append(_Piece(_BREAK, line, False))

    def finish(self) -> list[Block]:
        while len(self._stack) > 1:
            self.close()
        self._flush(self._stack[0])
        return self.blocks

    # -- emitting ----------------------------------------------------------

    def _flush(self, context: _Context) -> None:
        pieces, context.pieces = context.pieces, []
        for segment in _segments(pieces):
            if context.bold_heading_ok:
                lead, segment = _bold_lead(segment)
                if lead:
                    self._add(BlockKind.HEADING, lead, BOLD_HEADING_LEVEL)
            if segment:
                self._add(context.kind, segment, context.level)

    def _add(self, kind: BlockKind, pieces: list[_Piece], level: int) -> None:
        text = "".join(" " if p.text == _BREAK else p.text for p in pieces)
        line = next((p.line for p in pieces if p.text.strip()), pieces[0].line)
        block = make_block(kind, text, line, level)
        if block is not None:
            self.blocks.append(block)


def _segments(pieces: list[_Piece]) -> Iterator[list[_Piece]]:
    """Split at two or more breaks with only whitespace between them."""
    segment: list[_Piece] = []
    breaks = 0
    for piece in pieces:
        if piece.text == _BREAK:
            breaks += 1
        elif piece.text.strip():
            if breaks >= 2:
                done = _trimmed(segment)
                if done:
                    yield done
                segment = []
            breaks = 0
        segment.append(piece)
    segment = _trimmed(segment)
    if segment:
        yield segment


def _trimmed(segment: list[_Piece]) -> list[_Piece]:
    end = len(segment)
    while end and (segment[end - 1].text == _BREAK or not segment[end - 1].text.strip()):
        end -= 1
    return segment[:end]


def _bold_lead(segment: list[_Piece]) -> tuple[list[_Piece], list[_Piece]]:
    """(heading pieces, the rest) when the text up to the first break is short and all bold."""
    cut = next((i for i, p in enumerate(segment) if p.text == _BREAK), len(segment))
    lead, rest = segment[:cut], segment[cut + 1 :]
    filled = [p for p in lead if p.text.strip()]
    if not filled or not all(p.bold for p in filled):
        return [], segment
    if not is_short_title(normalise("".join(p.text for p in lead))):
        return [], segment
    return lead, rest
