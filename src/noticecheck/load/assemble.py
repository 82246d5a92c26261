"""Inline text pieces to blocks, for formats that are trees (HTML, Word via HTML, ODT).

A tree walker tells the assembler when a block element opens and closes
and feeds it text with a line number and a bold flag; the assembler joins
the pieces and applies the rules every tree format shares:

* two line breaks in a row (`<br><br>`) end a paragraph (old CMS pages);
* a short, all-bold paragraph, or an all-bold first line before a break,
  is a heading (level 3): many notices are written with bold instead of
  heading styles;
* text that starts with a bullet character ("&bull; item" in a <div>, or
  "- item<br>- item" in one <p>) is a list item, marker removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from noticecheck.load.blocks import bullet_body, is_short_title, make_block, normalise
from noticecheck.model import Block, BlockKind

BOLD_HEADING_LEVEL = 3


@dataclass
class _Piece:
    text: str
    line: int
    bold: bool
    is_break: bool = False  # a line break (<br>, text:line-break); text is then ""


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
        self._stack[-1].pieces.append(_Piece("", line, False, is_break=True))

    def finish(self) -> list[Block]:
        while len(self._stack) > 1:
            self.close()
        self._flush(self._stack[0])
        return self.blocks

    # -- emitting ----------------------------------------------------------

    def _flush(self, context: _Context) -> None:
        pieces = context.pieces
        if not pieces:
            return  # most flushes: a block element opening inside an empty one
        context.pieces = []
        for segment in _segments(pieces):
            if context.bold_heading_ok:
                lead, segment = _bold_lead(segment)
                if lead:
                    self._add(BlockKind.HEADING, lead, BOLD_HEADING_LEVEL)
            for kind, part in _bulleted(segment, context.kind):
                self._add(kind, part, context.level)

    def _add(self, kind: BlockKind, pieces: list[_Piece], level: int) -> None:
        text = _joined(pieces)
        if kind is BlockKind.LIST_ITEM:
            text = bullet_body(text) or text
        line = next((p.line for p in pieces if p.text.strip()), pieces[0].line)
        block = make_block(kind, text, line, level)
        if block is not None:
            self.blocks.append(block)


def _joined(pieces: list[_Piece]) -> str:
    return "".join(" " if p.is_break else p.text for p in pieces)


def _bulleted(segment: list[_Piece], kind: BlockKind) -> Iterator[tuple[BlockKind, list[_Piece]]]:
    """Split a segment at line breaks that start bullet lines; each bullet line is a list item."""
    if not segment:
        return
    if kind is BlockKind.HEADING:
        yield kind, segment
        return
    lines: list[list[_Piece]] = [[]]
    for piece in segment:
        if piece.is_break:
            lines.append([])
        else:
            lines[-1].append(piece)
    prose: list[_Piece] = []
    for line in lines:
        if bullet_body(_joined(line)) is not None:
            if prose:
                yield kind, prose
                prose = []
            yield BlockKind.LIST_ITEM, line
        else:
            if prose:
                prose.append(_Piece("", line[0].line if line else 0, False, is_break=True))
            prose.extend(line)
    if prose:
        yield kind, prose


def _segments(pieces: list[_Piece]) -> Iterator[list[_Piece]]:
    """Split at two or more breaks with only whitespace between them."""
    segment: list[_Piece] = []
    breaks = 0
    for piece in pieces:
        if piece.is_break:
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
    while end and not segment[end - 1].text.strip():  # breaks have no text
        end -= 1
    return segment[:end]


def _bold_lead(segment: list[_Piece]) -> tuple[list[_Piece], list[_Piece]]:
    """(heading pieces, the rest) when the text up to the first break is short and all bold."""
    cut = next((i for i, p in enumerate(segment) if p.is_break), len(segment))
    lead, rest = segment[:cut], segment[cut + 1 :]
    filled = [p for p in lead if p.text.strip()]
    if not filled or not all(p.bold for p in filled):
        return [], segment
    if not is_short_title(normalise("".join(p.text for p in lead))):
        return [], segment
    return lead, rest
