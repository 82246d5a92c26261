"""OpenDocument text (.odt) to blocks, straight from content.xml with lxml.

`text:h` is a heading with its outline level; `text:p` a paragraph, or a
list item inside `text:list-item`, or a heading when its paragraph style is
a Heading/Title style; a short paragraph set all in bold is a heading like
in HTML. Tables of contents, notes, annotations and tracked deletions are
skipped: they repeat or contradict the body.

Block `line` is the block's ordinal in document order (see office.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from noticecheck.load.assemble import Assembler
from noticecheck.load.blocks import link_suffix
from noticecheck.load.errors import corrupt
from noticecheck.load.office import dc_title, numbered_text, parse_member
from noticecheck.load.zipguard import open_checked
from noticecheck.model import BlockKind, Document, Text
from noticecheck.precompiled import regex

KIND = "ODT"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
XLINK = "http://www.w3.org/1999/xlink"


def _t(name: str) -> str:
    return f"{{{TEXT}}}{name}"


H, P, SPAN, A, S, TAB, LINE_BREAK = _t("h"), _t("p"), _t("span"), _t("a"), _t("s"), _t("tab"), _t("line-break")
LIST_ITEMS = {_t("list-item"), _t("list-header")}
CELL = f"{{{TABLE}}}table-cell"
STYLE_NAME = _t("style-name")
SKIP = frozenset(
    {
        _t("note"), _t("tracked-changes"), _t("table-of-content"), _t("alphabetical-index"),
        _t("illustration-index"), _t("table-index"), _t("object-index"), _t("user-index"),
        _t("bibliography"), _t("sequence-decls"), _t("variable-decls"), _t("user-field-decls"),
        _t("bookmark-ref"), f"{{{OFFICE}}}annotation", f"{{{OFFICE}}}forms",
    }
)  # fmt: skip
_HEADING_STYLE = regex(r"^heading(?:_20_|\s)?(\d)?$", re.I)
_TITLE_STYLES = {"title": 1, "subtitle": 2}


@dataclass(frozen=True)
class _Style:
    parent: str | None
    bold: bool


def load_odt(doc: Document, media_type: str) -> Text:
    """Read content.xml of an .odt and split it into blocks."""
    with open_checked(doc.data, KIND) as archive:
        content = parse_member(archive, "content.xml", KIND)
        title = dc_title(archive, "meta.xml")
    body = content.find(f"{{{OFFICE}}}body/{{{OFFICE}}}text")
    if body is None:
        raise corrupt("damaged ODT file: content.xml has no office:text body (not a text document?)")
    blocks = _Walker(_automatic_styles(content)).walk(body)
    return numbered_text(
        doc, media_type, blocks, title=title, what="OpenDocument file", notes=("read from OpenDocument content.xml",)
    )


def _automatic_styles(content) -> dict[str, _Style]:
    """Automatic (per-document) styles: which are bold, and which named style each extends."""
    styles: dict[str, _Style] = {}
    container = content.find(f"{{{OFFICE}}}automatic-styles")
    if container is None:
        return styles
    for element in container.iter(f"{{{STYLE}}}style"):
        name = element.get(f"{{{STYLE}}}name")
        if not name:
            continue
        props = element.find(f"{{{STYLE}}}text-properties")
        bold = props is not None and props.get(f"{{{FO}}}font-weight") in ("bold", "700", "800", "900")
        styles[name] = _Style(element.get(f"{{{STYLE}}}parent-style-name"), bold)
    return styles


class _Walker:
    def __init__(self, styles: dict[str, _Style]) -> None:
        self.styles = styles
        self.out = Assembler()
        self.bold_depth = 0

    def walk(self, body) -> list:
        stack: list[tuple[object, bool]] = [(child, False) for child in reversed(body)]
        while stack:
            element, leaving = stack.pop()
            if leaving:
                self._leave(element)
                self._text(element.tail)
                continue
            if not isinstance(element.tag, str) or element.tag in SKIP:
                self._text(element.tail)  # comments and skipped parts: only what follows them counts
                continue
            self._enter(element)
            stack.append((element, True))
            stack.extend((child, False) for child in reversed(element))
        return self.out.finish()

    def _text(self, text: str | None) -> None:
        if text:
            self.out.text(text, 0, bold=self.bold_depth > 0)

    def _enter(self, element) -> None:
        tag = element.tag
        style = element.get(STYLE_NAME)
        if tag == H:
            level = _int(element.get(_t("outline-level")), 1)
            self.out.open(BlockKind.HEADING, min(max(level, 1), 6))
        elif tag == P:
            self._paragraph(style)
        elif tag in LIST_ITEMS:
            self.out.open(BlockKind.LIST_ITEM)
        elif tag == CELL:
            self.out.open(BlockKind.PARAGRAPH)
        elif tag == S:
            self.out.text(" " * _int(element.get(_t("c")), 1), 0)
        elif tag == TAB:
            self.out.text(" ", 0)
        elif tag == LINE_BREAK:
            self.out.line_break(0)
        if self._bold(style) and tag != P:
            self.bold_depth += 1
        self._text(element.text)

    def _paragraph(self, style: str | None) -> None:
        level = self._heading_level(style)
        if level:
            self.out.open(BlockKind.HEADING, level)
        elif self.out.kind is BlockKind.PARAGRAPH:
            self.out.open(BlockKind.PARAGRAPH, bold_heading_ok=True)
        else:
            self.out.open(self.out.kind, self.out.level)  # a paragraph inside a list item
        if self._bold(style):
            self.bold_depth += 1

    def _leave(self, element) -> None:
        tag = element.tag
        if self._bold(element.get(STYLE_NAME)):
            self.bold_depth -= 1
        if tag == A:
            suffix = link_suffix(element.get(f"{{{XLINK}}}href"), "".join(element.itertext()))
            if suffix:
                self.out.text(suffix, 0, bold=self.bold_depth > 0)
        elif tag in (H, P, CELL) or tag in LIST_ITEMS:
            self.out.close()

    def _bold(self, style: str | None) -> bool:
        seen = 0
        while style and seen < 10:  # parent chains are short; the bound guards against cycles
            found = self.styles.get(style)
            if found is None:
                return False
            if found.bold:
                return True
            style, seen = found.parent, seen + 1
        return False

    def _heading_level(self, style: str | None) -> int:
        seen = 0
        while style and seen < 10:
            lowered = style.lower()
            if lowered in _TITLE_STYLES:
                return _TITLE_STYLES[lowered]
            match = _HEADING_STYLE.match(lowered)
            if match:
                return int(match.group(1) or 1)
            found = self.styles.get(style)
            style, seen = (found.parent if found else None), seen + 1
        return 0


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
