"""Page furniture: running headers, footers and page numbers, found and removed.

Used for PDF text and for plain text with form feeds (a PDF saved as text).
A line near the top or bottom of a page that repeats on most pages, or that
is a page number ("3", "Page 3 of 7", "- 3 -"), is not part of the notice
and would otherwise break paragraphs and pose as a heading. Removed lines
become None so the remaining lines keep their numbers.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from noticecheck.load.blocks import normalise
from noticecheck.precompiled import regex

FURNITURE_ZONE = 2  # lines at the top and bottom of a page that may be header/footer
FURNITURE_SHARE = 0.6  # on this share of pages (and at least 2) a line is furniture
FURNITURE_MAX_WORDS = 20
_PAGE_NUMBER = regex(r"^(?:page\s*)?#(?:\s*(?:of|/)\s*#)?$|^[-–—]\s*#\s*[-–—]$|\bpage\s*#\s*(?:of|/)\s*#$", re.I)
_DIGITS = regex(r"\d+")
FORM_FEED = "\f"


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


def without_furniture(pages: list[list[str]]) -> tuple[list[str | None], int]:
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


def paged_text_lines(lines: list[str]) -> tuple[list[str | None], int]:
    """Lines of a text file with form feeds, furniture removed.

    Blank lines around a page break are removed too, so a paragraph that
    runs over the break stays one paragraph.
    """
    pages: list[list[str]] = [[]]
    for line in lines:
        if FORM_FEED in line:
            pages.append([])
            line = line.replace(FORM_FEED, "")
        pages[-1].append(line)
    kept, dropped = without_furniture(pages)
    start = 0
    for page in pages[:-1]:
        end = start + len(page)  # the first line of the next page
        _blank_out(kept, end - 1, -1, start - 1)  # the foot of this page
        _blank_out(kept, end, 1, len(kept))  # the head of the next
        start = end
    return kept, dropped


def _blank_out(lines: list[str | None], index: int, step: int, limit: int) -> None:
    """Turn blank and removed lines from `index` towards `limit` into None, up to the first text."""
    while 0 <= index < len(lines) and index != limit:
        if lines[index] is not None and lines[index].strip():
            return
        lines[index] = None
        index += step
