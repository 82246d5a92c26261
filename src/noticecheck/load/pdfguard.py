"""Refuse a PDF bomb before PDFium inflates it.

A PDF of 1.4 MB can hold content streams that inflate to 1 GB; PDFium then
needs twice that in memory, and under a memory limit the process dies with
every other document's result. `check_pdf_size` inflates each Flate stream
incrementally, a megabyte at a time, counting and discarding the output, and
refuses the file once the total passes `MAX_DECOMPRESSED`, so peak memory stays
at about one megabyte whatever the file claims. Streams in other encodings
(JPEG images and the like) are not inflated and cost nothing here.

The page count is checked after opening (PDFium reads it from the page tree
without decoding any page).
"""

from __future__ import annotations

import zlib

from noticecheck.load.errors import human_size
from noticecheck.model import UnreadableInput
from noticecheck.precompiled import regex

MAX_DECOMPRESSED = 100 * 1024 * 1024  # all Flate streams together; a real notice needs a few MB
MAX_PAGES = 1000  # a real notice has a few dozen
_STEP = 1024 * 1024
# "stream" then an end of line starts stream data; "endstream" ends it.
_STREAM = regex(rb"(?<!end)stream\r?\n")


def too_large_decompressed(detail: str) -> UnreadableInput:
    return UnreadableInput("too-large-decompressed", f"too large when decompressed: {detail}")


def check_pdf_size(data: bytes, limit: int = MAX_DECOMPRESSED) -> int:
    """The total inflated size of the PDF's Flate streams; raises UnreadableInput past `limit`."""
    total = 0
    position = 0
    while True:
        match = _STREAM.search(data, position)
        if match is None:
            return total
        end = data.find(b"endstream", match.end())
        if end < 0:
            end = len(data)
        total += _inflated_size(memoryview(data)[match.end() : end], limit - total)
        position = end
        if total > limit:
            raise too_large_decompressed(
                f"its streams expand past {human_size(limit)} (from a {human_size(len(data))} file); "
                "a privacy notice never needs that much"
            )


def _inflated_size(raw: memoryview, budget: int) -> int:
    """How many bytes `raw` inflates to, stopping just past `budget`; 0 when it is not zlib data."""
    inflater = zlib.decompressobj()
    size = 0
    pending = raw
    try:
        while pending and size <= budget:
            size += len(inflater.decompress(pending, _STEP))
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        return size  # not Flate, or damaged: PDFium will judge it
    return size


def check_pages(count: int, limit: int = MAX_PAGES) -> None:
    if count > limit:
        raise too_large_decompressed(f"it has {count} pages, more than the {limit} a notice could need")


__all__ = ["MAX_DECOMPRESSED", "MAX_PAGES", "check_pages", "check_pdf_size", "too_large_decompressed"]
