"""PDF to blocks: pypdfium2 text extraction, page furniture removed, then the plain splitter.

Line numbers are lines of the extracted text, pages in order, so a finding
can be matched against `pdftotext`-style output. Running headers/footers
(the same short line near the top or bottom of most pages, "Page 3 of 7")
are dropped but keep their line numbers, so the rest still count true.

PDFium is not thread-safe; the scanner may load documents from worker
threads, so every PDFium call here runs under one lock.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass

from noticecheck.load.blocks import normalise
from noticecheck.load.errors import corrupt
from noticecheck.load.plain import split_lines, text_to_blocks
from noticecheck.model import Document, Text, UnreadableInput

_PDFIUM_LOCK = threading.Lock()
FURNITURE_ZONE = 2  # lines at the top and bottom of a page that may be header/footer
FURNITURE_SHARE = 0.6  # on this share of pages (and at least 2) a line is furniture
FURNITURE_MAX_WORDS = 12
PARAGRAPH_GAP = 1.25  # a line pitch this many times the usual one starts a new block
MIN_CHARS_PER_PAGE = 20  # fewer extractable characters than this per page: a scan
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?#(?:\s*(?:of|/)\s*#)?$|^[-–—]\s*#\s*[-–—]$", re.I)
_DIGITS = re.compile(r"\d+")
_BOILERPLATE_TITLES = re.compile(r"^(?:untitled|microsoft word\b|document\d*$|title$)", re.I)


def load_pdf(doc: Document, media_type: str) -> Text:
    """Extract the text layer of a PDF and split it into blocks."""
    pages, meta_title = _extract(doc.data)
    chars = sum(len("".join("".join(page.lines).split())) for page in pages)
    if chars < MIN_CHARS_PER_PAGE * len(pages):
        raise UnreadableInput(
            "no-text-layer",
            f"no text layer ({len(pages)} page(s), {chars} characters of text): this looks like a scan; OCR needed",
        )
    lines, dropped = _without_furniture([page.lines for page in pages])
    breaks = {offset + i for offset, page in zip(_offsets(pages), pages) for i in page.gaps_before}
    blocks = text_to_blocks(lines, wrapped=True, breaks=breaks)
    if not blocks:
        raise UnreadableInput("no-text-layer", "no text layer, OCR needed")
    notes = [f"extracted text from {len(pages)} PDF page(s)"]
    if dropped:
        notes.append(f"dropped {dropped} repeated page header/footer line(s)")
    title = meta_title or (blocks[0].text if blocks[0].is_heading else None)
    return Text(source=doc.source, blocks=tuple(blocks), media_type=media_type, title=title, notes=tuple(notes))


@dataclass(frozen=True)
class _Page:
    lines: list[str]
    gaps_before: frozenset[int]  # indexes of lines with extra space above them


def _offsets(pages: list[_Page]) -> list[int]:
    offsets, total = [], 0
    for page in pages:
        offsets.append(total)
        total += len(page.lines)
    return offsets


def _extract(data: bytes) -> tuple[list[_Page], str | None]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_raw

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
    indexes, so a line's first character index is the running offset. The
    distance between consecutive lines' (font-based, "loose") boxes is the
    line pitch; a pitch well above the page's usual one is paragraph spacing
    or a heading, which the text alone cannot show.
    """
    text = textpage.get_text_range()
    lines = split_lines(text)
    count = textpage.count_chars()
    bottoms: list[tuple[int, float]] = []
    offset = 0
    for index, line in enumerate(lines):
        if line.strip() and offset < count:
            first = offset + (len(line) - len(line.lstrip()))
            bottoms.append((index, textpage.get_charbox(min(first, count - 1), loose=True)[1]))
        offset += len(line) + 2
    pitches = [(index, above - below) for (_, above), (index, below) in zip(bottoms, bottoms[1:])]
    # The usual pitch is the commonest one (to the point): body text inside
    # paragraphs. A median would land on paragraph spacing in a notice made
    # of many one- and two-line paragraphs.
    common = Counter(round(p) for _, p in pitches if p > 0)
    if sum(common.values()) < 3:
        return _Page(lines, frozenset())
    usual = min(common, key=lambda pitch: (-common[pitch], pitch))
    # Negative pitch: the text moved up the page (a new column or a text box).
    gaps = frozenset(index for index, pitch in pitches if pitch > PARAGRAPH_GAP * usual or pitch < 0)
    return _Page(lines, gaps)


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


def _furniture_key(line: str) -> str:
    """Compare lines as written, except that numbers in page-number lines may differ.

    Digits are only blanked in lines that mention a page or hold little else,
    so "Section 1" / "Section 2" at the top of pages stay headings.
    """
    key = normalise(line).lower()
    if "page" in key or len(_DIGITS.sub("", key).strip(" -–—/|.")) <= 2:
        key = _DIGITS.sub("#", key)
    return key


def _zone(lines: list[str]) -> list[int]:
    """Indexes of the first and last few non-blank lines of a page."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:FURNITURE_ZONE] + filled[-FURNITURE_ZONE:]))


def _without_furniture(pages: list[list[str]]) -> tuple[list[str | None], int]:
    """All lines in order; running headers/footers and page numbers replaced by None."""
    zones = [_zone(lines) for lines in pages]
    seen: Counter[str] = Counter()
    for lines, zone in zip(pages, zones):
        seen.update({_furniture_key(lines[i]) for i in zone})
    threshold = max(2, math.ceil(FURNITURE_SHARE * len(pages)))
    out: list[str | None] = []
    dropped = 0
    for lines, zone in zip(pages, zones):
        zone_set = set(zone)
        for index, line in enumerate(lines):
            if index in zone_set:
                key = _furniture_key(line)
                repeated = len(pages) >= 2 and seen[key] >= threshold and len(key.split()) <= FURNITURE_MAX_WORDS
                if repeated or _PAGE_NUMBER.match(key):
                    out.append(None)
                    dropped += 1
                    continue
            out.append(line)
    return out, dropped
