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

from noticecheck.load.errors import too_large
from noticecheck.load.sniff import DOCX, HTML, MARKDOWN, ODT, PDF, PLAIN, SUPPORTED_SUFFIXES, sniff
from noticecheck.model import Document, Text

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
    return _LOADERS[media_type](doc, media_type)


__all__ = ["DEFAULT_MAX_BYTES", "SUPPORTED_SUFFIXES", "sniff", "to_text"]
