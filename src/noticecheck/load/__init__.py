"""Bytes to `Text`: the loaders' front door.

`to_text` checks the size cap, sniffs the media type, and hands the Document
to the one module that reads that format. Format modules import their heavy
libraries (bs4, pypdfium2, mammoth, lxml, charset-normalizer) only when
called, so checking a .txt file never pays for PDF support.

Every refusal is an `UnreadableInput` with a stable code; nothing else
escapes for any input bytes (a property test holds us to that).
"""

from __future__ import annotations

from collections.abc import Callable

from noticecheck.load.errors import human_size, too_large
from noticecheck.load.sniff import DOCX, HTML, MARKDOWN, ODT, PDF, PLAIN, SUPPORTED_SUFFIXES, sniff
from noticecheck.model import Document, Text, UnreadableInput

DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # far above any real notice; guards memory


def _plain(doc: Document, media_type: str) -> Text:
    from noticecheck.load.plain import load_plain

    return load_plain(doc, media_type)


def _html(doc: Document, media_type: str) -> Text:
    from noticecheck.load.html import load_html

    return load_html(doc, media_type)


def _pdf(doc: Document, media_type: str) -> Text:
    from noticecheck.load.pdf import load_pdf

    return load_pdf(doc, media_type)


def _docx(doc: Document, media_type: str) -> Text:
    from noticecheck.load.docx import load_docx

    return load_docx(doc, media_type)


def _odt(doc: Document, media_type: str) -> Text:
    from noticecheck.load.odt import load_odt

    return load_odt(doc, media_type)


# A long notice runs to 15,000 words (about 100,000 characters); ten times that is not a notice.
MAX_TEXT_CHARACTERS = 1_000_000
# Checked before parsing, because parsing is what costs: plain text takes at most 4 bytes a
# character, and a school's notice page, scripts and styles included, weighs well under this.
MAX_HTML_BYTES = 5 * 1024 * 1024

_LOADERS: dict[str, Callable[[Document, str], Text]] = {
    PLAIN: _plain,
    MARKDOWN: _plain,
    HTML: _html,
    PDF: _pdf,
    DOCX: _docx,
    ODT: _odt,
}


def to_text(doc: Document, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Text:
    """Sniff, decode and split `doc` into blocks; raises UnreadableInput for bad input."""
    if len(doc.data) > max_bytes:
        raise too_large(len(doc.data), max_bytes)
    media_type = sniff(doc)
    _check_size_before_parsing(doc, media_type)
    try:
        text = _LOADERS[media_type](doc, media_type)
    except RecursionError:
        # A Word or web page nested thousands of levels deep: no real notice is.
        raise UnreadableInput("too-deeply-nested", "too deeply nested to read (thousands of levels of markup)") from None
    characters = sum(len(block.text) for block in text.blocks)
    if characters > MAX_TEXT_CHARACTERS:
        raise UnreadableInput(
            "too-long",
            f"{characters:,} characters of text, more than any privacy notice (limit {MAX_TEXT_CHARACTERS:,}): "
            "is this the right file?",
        )
    return text


def _check_size_before_parsing(doc: Document, media_type: str) -> None:
    if media_type in (PLAIN, MARKDOWN) and len(doc.data) > 4 * MAX_TEXT_CHARACTERS:
        raise UnreadableInput(
            "too-long", f"{human_size(len(doc.data))} of text, more than any privacy notice: is this the right file?"
        )
    if media_type == HTML and len(doc.data) > MAX_HTML_BYTES:
        raise UnreadableInput(
            "too-large",
            f"a web page of {human_size(len(doc.data))}, more than any notice page (limit {human_size(MAX_HTML_BYTES)})",
        )


__all__ = ["DEFAULT_MAX_BYTES", "MAX_HTML_BYTES", "MAX_TEXT_CHARACTERS", "SUPPORTED_SUFFIXES", "sniff", "to_text"]
