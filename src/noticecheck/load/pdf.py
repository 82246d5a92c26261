"""PDF to blocks: pypdfium2 text extraction, page furniture removed, then the plain splitter.

Line numbers are lines of the extracted text, pages in order (`Text.page_starts`
says where each page begins, so a finding can say "page 3, line 12"). Running
headers/footers are dropped (pages.py) but keep their line numbers, so the
rest still count true. Where the text layer cannot show layout, the page
geometry fills in: extra vertical space starts a paragraph, and a line
indented under a bullet continues that item.

PDFium is not thread-safe; the scanner may load documents from worker
threads, so every PDFium call here runs under one lock.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass

from noticecheck.load.blocks import normalise
from noticecheck.load.errors import corrupt
from noticecheck.load.pages import without_furniture
from noticecheck.load.pdfguard import check_pages, check_pdf_size
from noticecheck.load.lines import split_lines, starts_with_bullet
from noticecheck.load.plain import text_to_blocks
from noticecheck.model import Document, Text, UnreadableInput
from noticecheck.precompiled import regex

_PDFIUM_LOCK = threading.Lock()
MIN_CHARS_PER_PAGE = 20  # fewer extractable characters than this per page: a scan
PARAGRAPH_GAP = 1.25  # a line pitch this many times the usual one starts a new block
FONT_CHANGE = 0.15  # line heights differing by more than this share: a change of style
INDENT_TOLERANCE = 2.0  # points: how far right of a bullet a line must start to belong to its item
_FIRST_LETTER = regex(r"[^\W_]")
_BOILERPLATE_TITLES = regex(r"^(?:untitled|microsoft word\b|document\d*$|title$)", re.I)


def load_pdf(doc: Document, media_type: str) -> Text:
    """Extract the text layer of a PDF and split it into blocks."""
    pages, meta_title = _extract(doc.data)
    chars = sum(len("".join("".join(page.lines).split())) for page in pages)
    if chars < MIN_CHARS_PER_PAGE * len(pages):
        raise UnreadableInput(
            "no-text-layer",
            f"no text layer, OCR needed ({len(pages)} page(s) but only {chars} characters of text: a scan?)",
        )
    lines, dropped = without_furniture([page.lines for page in pages])
    breaks = _real_gaps(lines, pages)
    lefts = [left for page in pages for left in page.lefts]
    joins, list_ends = _list_continuations(lines, lefts, breaks)
    levels = _heading_levels(lines, [h for page in pages for h in page.heights])
    blocks = text_to_blocks(lines, wrapped=True, breaks=breaks | list_ends, joins=joins, heading_levels=levels)
    if not blocks:
        raise UnreadableInput("no-text-layer", "no text layer, OCR needed")
    notes = [f"extracted text from {len(pages)} PDF page(s)"]
    if dropped:
        notes.append(f"dropped {dropped} repeated page header/footer line(s)")
    title = meta_title or (blocks[0].text if blocks[0].is_heading else None)
    page_starts = tuple(offset + 1 for offset in _offsets(pages))  # so findings can say "page 3, line 12"
    return Text(source=doc.source, blocks=tuple(blocks), media_type=media_type, title=title, notes=tuple(notes),
                page_starts=page_starts)


@dataclass(frozen=True)
class _Page:
    lines: list[str]
    gaps_before: frozenset[int]  # indexes of lines with extra space above them
    lefts: list[float | None]  # x of each line's first character (None for blank lines)
    heights: list[float | None]  # font height of each line's first letter (None for blank lines)


def _heading_levels(lines: list[str | None], heights: list[float | None]) -> dict[int, int]:
    """Lines set larger than the body text, with a heading level by size (largest = 1).

    With only one larger size in use, its lines are level 2 and the splitter
    decides which, if any, is the title.
    """
    sizes = Counter(round(h) for line, h in zip(lines, heights) if line is not None and h)
    if not sizes:
        return {}
    body = min(sizes, key=lambda size: (-sizes[size], size))
    larger = sorted((size for size in sizes if size > body * (1 + FONT_CHANGE)), reverse=True)
    if not larger:
        return {}
    first_level = 1 if len(larger) > 1 else 2
    level_of = {size: min(first_level + rank, 6) for rank, size in enumerate(larger)}
    return {
        index: level_of[round(h)]
        for index, (line, h) in enumerate(zip(lines, heights))
        if line is not None and h and round(h) in level_of
    }


def _real_gaps(lines: list[str | None], pages: list[_Page]) -> set[int]:
    """Global indexes of lines with paragraph spacing above, ignoring space left by removed furniture."""
    gaps: set[int] = set()
    for offset, page in zip(_offsets(pages), pages):
        for index in page.gaps_before:
            above = offset + index - 1
            while above >= offset and lines[above] is not None and not lines[above].strip():
                above -= 1
            if above >= offset and lines[above] is not None:
                gaps.add(offset + index)
    return gaps


def _list_continuations(lines: list[str | None], lefts: list[float | None], breaks: set[int]) -> tuple[set[int], set[int]]:
    """(lines that continue the list item above, lines that end a list) judged by indentation.

    The text layer has no indentation, so "...by the Department for" /
    "Education (DfE)" would read as an item and a heading, and a paragraph
    right after a list would run into its last item. The x position shows
    whether a line sits under the item's text or back at the margin.
    """
    joins: set[int] = set()
    ends: set[int] = set()
    bullet_x: float | None = None
    for index, (line, left) in enumerate(zip(lines, lefts)):
        if line is None or left is None:
            continue  # page furniture and blank lines do not end an item
        if starts_with_bullet(line):
            bullet_x = left
        elif bullet_x is not None and left > bullet_x + INDENT_TOLERANCE and index not in breaks:
            joins.add(index)
        elif bullet_x is not None and left >= bullet_x - INDENT_TOLERANCE:
            pass  # level with the bullet: no hanging indent to go by; the text decides
        else:
            if bullet_x is not None:
                ends.add(index)  # back out at the margin: the list is over
            bullet_x = None
    return joins, ends


def _offsets(pages: list[_Page]) -> list[int]:
    offsets, total = [], 0
    for page in pages:
        offsets.append(total)
        total += len(page.lines)
    return offsets


def _extract(data: bytes) -> tuple[list[_Page], str | None]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_raw

    check_pdf_size(data)  # before PDFium inflates anything
    with _PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if exc.err_code == pdfium_raw.FPDF_ERR_PASSWORD:
                raise UnreadableInput("encrypted", "encrypted PDF: remove the password and try again") from None
            if exc.err_code == pdfium_raw.FPDF_ERR_SECURITY:
                raise UnreadableInput("encrypted", "PDF uses an unsupported security handler: remove the protection and try again") from None
            raise corrupt(f"damaged PDF: {_reason(exc)}") from None
        try:
            if len(pdf) == 0:
                raise corrupt("damaged PDF: it has no pages")
            check_pages(len(pdf))
            pages = []
            for index in range(len(pdf)):
                page = pdf[index]
                try:
                    textpage = page.get_textpage()
                    try:
                        pages.append(_read_page(textpage))
                    finally:
                        textpage.close()
                finally:
                    page.close()
            title = _meta_title(pdf)
        except pdfium.PdfiumError as exc:
            raise corrupt(f"damaged PDF: {_reason(exc)}") from None
        finally:
            pdf.close()
    return pages, title


def _read_page(textpage) -> _Page:
    """The page's lines, and where the vertical gap above a line says a new paragraph starts.

    pdfium separates lines with a generated CRLF that occupies two character
    indexes, so a line's first character index is the running offset. For
    each line we take the font-based ("loose") box of its first letter: its
    left edge (indentation), bottom (baseline position) and height (font
    size). A new block starts where the font size changes, or where the
    distance to the line above is well over the usual pitch for that font
    size: paragraph spacing, which the text alone cannot show.
    """
    text = textpage.get_text_range()
    lines = split_lines(text)
    count = textpage.count_chars()
    boxes: list[tuple[int, float, float]] = []  # (line index, bottom, height)
    lefts: list[float | None] = [None] * len(lines)
    heights: list[float | None] = [None] * len(lines)
    offset = 0
    for index, line in enumerate(lines):
        if line.strip() and offset < count:
            first = offset + (len(line) - len(line.lstrip()))
            lefts[index] = textpage.get_charbox(min(first, count - 1), loose=True)[0]
            # Height from the first letter: a bullet may be set in a symbol font.
            letter = _FIRST_LETTER.search(line)
            at = offset + letter.start() if letter else first
            _, bottom, _, top = textpage.get_charbox(min(at, count - 1), loose=True)
            boxes.append((index, bottom, top - bottom))
            heights[index] = top - bottom
        offset += len(line) + 2
    return _Page(lines, _gaps(boxes), lefts, heights)


def _gaps(boxes: list[tuple[int, float, float]]) -> frozenset[int]:
    """Indexes of lines that start a new block by their position or size."""
    pairs = list(zip(boxes, boxes[1:]))
    heights = Counter(round(box[2]) for box in boxes)
    pitches = Counter(round(above[1] - below[1]) for above, below in pairs if above[1] > below[1])
    if sum(pitches.values()) < 3 or not heights:
        return frozenset()
    # The usual pitch and height are the commonest (to the point): body text
    # inside paragraphs. A median would land on paragraph spacing in a
    # notice made of many one- and two-line paragraphs.
    usual_pitch = min(pitches, key=lambda p: (-pitches[p], p))
    usual_height = max(min(heights, key=lambda h: (-heights[h], h)), 1)
    gaps = set()
    for (_, bottom_above, height_above), (index, bottom, height) in pairs:
        pitch = bottom_above - bottom
        scale = max(min(height_above, height), 1) / usual_height
        if pitch < 0:
            gaps.add(index)  # the text moved up the page: a new column or a text box
        elif abs(height - height_above) > FONT_CHANGE * max(height, height_above):
            gaps.add(index)  # a heading ends or starts
        elif pitch > PARAGRAPH_GAP * usual_pitch * max(scale, 1):
            gaps.add(index)
    return frozenset(gaps)


def _reason(exc: Exception) -> str:
    text = str(exc)
    match = re.search(r"\(PDFium: ([^)]*)\)", text)
    return match.group(1).lower() if match else text


def _meta_title(pdf) -> str | None:
    try:
        title = normalise(pdf.get_metadata_dict().get("Title", "") or "")
    except Exception:  # noqa: BLE001 - metadata is optional; a broken info dict is not a broken PDF
        return None
    if not title or _BOILERPLATE_TITLES.match(title):
        return None
    return title
