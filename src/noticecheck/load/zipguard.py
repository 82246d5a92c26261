"""Open a DOCX/ODT zip only after its declared sizes say it is safe to inflate.

A zip bomb is refused from the central directory alone, before a single byte
is decompressed: too much declared content in total, or one large member
that compresses suspiciously well. A member that lies about its size cannot
get past this either: Python's zipfile stops at the declared size and fails
the CRC check, which the loaders report as a damaged file.
"""

from __future__ import annotations

import io
import zipfile

from noticecheck.load.errors import corrupt, human_size
from noticecheck.model import UnreadableInput

MAX_TOTAL_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 200
RATIO_CHECK_MIN_SIZE = 10 * 1024 * 1024  # small members may compress as well as they like
MAX_MEMBERS = 10_000
# The XML that holds a document's text (word/document.xml, content.xml): a 15,000-word notice
# with heavy formatting needs a few MiB; parsing 9 MiB took 17 s and 300 MB, for no notice.
TEXT_PARTS = frozenset({"word/document.xml", "content.xml"})
MAX_TEXT_PART = 8 * 1024 * 1024


def open_checked(data: bytes, kind: str) -> zipfile.ZipFile:
    """A ZipFile over `data` whose declared sizes passed the checks; `kind` names the format in messages."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise corrupt(f"damaged {kind} file: {exc}") from None
    try:
        check_sizes(archive.infolist(), kind)
    except UnreadableInput:
        archive.close()
        raise
    return archive


def check_sizes(members: list[zipfile.ZipInfo], kind: str) -> None:
    """Raise UnreadableInput("zip-bomb") when the declared sizes are unsafe."""
    if len(members) > MAX_MEMBERS:
        raise UnreadableInput("zip-bomb", f"refused: this {kind} file holds {len(members)} parts (a zip bomb?)")
    total = 0
    for info in members:
        total += info.file_size
        if info.filename in TEXT_PARTS and info.file_size > MAX_TEXT_PART:
            raise UnreadableInput(
                "too-large-decompressed",
                f"too large when decompressed: the text of this {kind} file is {human_size(info.file_size)} of XML, "
                f"more than any notice needs (limit {human_size(MAX_TEXT_PART)})",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECK_MIN_SIZE and ratio > MAX_RATIO:
            raise UnreadableInput(
                "zip-bomb",
                f"refused: part {info.filename!r} of this {kind} file would expand from "
                f"{human_size(info.compress_size)} to {human_size(info.file_size)} (a zip bomb?)",
            )
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise UnreadableInput(
            "zip-bomb",
            f"refused: this {kind} file would expand to {human_size(total)}, over the "
            f"{human_size(MAX_TOTAL_UNCOMPRESSED)} limit (a zip bomb?)",
        )
