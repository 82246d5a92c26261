"""Decide what kind of file a Document holds: content first, then name, then hint.

Magic bytes win because names and Content-Type headers lie (a CMS serving a
PDF as text/html, a 404 page saved as notice.pdf). The file extension beats
the caller's media-type hint because the user chose the file. Garbage is
refused here, before any decoder runs, with a message saying what was found.
"""

from __future__ import annotations

import io
import os
import re

from noticecheck.load.encoding import bom_encoding, bomless_utf16
from noticecheck.load.errors import corrupt, empty, unknown_type
from noticecheck.media import DOCX, HTML, LOADABLE, MARKDOWN, NOTICE_TYPES, ODT, PDF, PLAIN
from noticecheck.model import Document, UnreadableInput
from noticecheck.precompiled import regex

MEDIA_TYPES = LOADABLE
TEXT_TYPES = (PLAIN, MARKDOWN, HTML)

BY_SUFFIX = {suffix: t.name for t in NOTICE_TYPES if t.loads for suffix in t.suffixes}
SUPPORTED_SUFFIXES = tuple(BY_SUFFIX)

# A caller's hint (e.g. a Content-Type header) -> the loadable type it means.
_HINT_ALIASES = {name: t.name for t in NOTICE_TYPES if t.loads for name in (t.name, *t.aliases)}

# Formats we recognise only to refuse them with a useful message.
_FOREIGN_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Word/Office file (.doc); save it as .docx or PDF"),
    (b"{\\rtf", "an RTF file; save it as .docx, PDF or plain text"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image, not a document"),
    (b"\xff\xd8\xff", "a JPEG image, not a document"),
    (b"GIF87a", "a GIF image, not a document"),
    (b"GIF89a", "a GIF image, not a document"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive; unpack it first"),
    (b"Rar!", "a RAR archive; unpack it first"),
)

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# C0 controls other than tab, LF, VT, FF, CR and ESC never appear in real text.
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B} | {0x7F}
_CONTROL_SHARE = 0.05
_SAMPLE = 65536

# A document that opens as HTML: doctype/html/head/body first, after an
# optional XML declaration and comments.
_HTML_STRONG = regex(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.I | re.S,
)
# Fragments: several common tags. Only used when the name says nothing.
_HTML_WEAK = regex(r"<(?:p|div|h[1-6]|br|ul|ol|li|table|meta|title|span|section|article|a\s+href)\b[^>]*>", re.I)


def suffix_of(doc: Document) -> str:
    name = doc.filename or (doc.source if doc.source != "-" else "")
    # URLs: drop query and fragment before taking the extension.
    name = name.split("?", 1)[0].split("#", 1)[0]
    return os.path.splitext(name)[1].lower()


def hint_of(doc: Document) -> str | None:
    if not doc.media_type:
        return None
    return _HINT_ALIASES.get(doc.media_type.split(";", 1)[0].strip().lower())


def sniff(doc: Document) -> str:
    """The media type of `doc`, one of MEDIA_TYPES; raises UnreadableInput for input no loader can take."""
    data = doc.data
    if not data:
        raise empty()
    suffix = suffix_of(doc)
    by_name = BY_SUFFIX.get(suffix)

    head = data[:1024]
    if b"%PDF-" in head:
        return PDF
    if data.startswith(_ZIP_MAGIC):
        return _sniff_zip(data, by_name)
    for magic, what in _FOREIGN_MAGIC:
        if data.startswith(magic):
            raise unknown_type(f"this is {what}")

    prefix = _text_prefix(data)
    if prefix is None:
        raise _not_text(suffix, by_name)

    if _HTML_STRONG.match(prefix):
        return HTML
    if suffix and by_name is None and doc.media_type is None:
        # A local file named .xyz, .rtf or .csv is not a notice we can read, even if it
        # decodes as text; a web page ("/privacy.aspx") comes with a media type instead.
        raise unknown_type(f"unsupported file type {suffix!r} (supported: {', '.join(SUPPORTED_SUFFIXES)})")
    if by_name in TEXT_TYPES:
        return by_name
    # A .pdf/.docx/.odt that turns out to be text is read as text: the
    # content is what we have, and refusing it would help nobody.
    hint = hint_of(doc)
    if by_name is None and hint in TEXT_TYPES:
        return hint
    if by_name is None and len(_HTML_WEAK.findall(prefix[:8192])) >= 2:
        return HTML
    return PLAIN


def _text_prefix(data: bytes) -> str | None:
    """The start of the data as text, or None when it looks binary."""
    sample = data[:_SAMPLE]
    bom = bom_encoding(sample)
    if bom:
        name, skip = bom
        text = sample[skip:].decode(name, errors="replace")
        controls = sum(1 for ch in text if ord(ch) in _CONTROL)
        if text and controls / len(text) > _CONTROL_SHARE:
            return None
        return text
    utf16 = bomless_utf16(sample)
    if utf16:
        return sample.decode(utf16, errors="replace")
    if sample.count(b"\x00") * 4 > len(sample):
        # Text has no NULs to speak of (binary files are full of them). A stray
        # NUL or two in a real notice is counted with the other control
        # characters below.
        return None
    controls = sum(1 for b in sample if b in _CONTROL)
    if controls / len(sample) > _CONTROL_SHARE:
        return None
    return sample.decode("latin-1")  # enough for tag and doctype matching


def _not_text(suffix: str, by_name: str | None) -> UnreadableInput:
    if by_name == PDF:
        return corrupt("not a valid PDF: the file has a .pdf name but no %PDF header")
    if by_name in (DOCX, ODT):
        return corrupt(f"not a valid {suffix[1:].upper()} file: it is not a ZIP archive")
    if suffix and by_name is None:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        return unknown_type(f"unsupported file type {suffix!r} and the content is not text (supported: {supported})")
    return UnreadableInput("binary", "binary data, not text: this does not look like a notice")


def _sniff_zip(data: bytes, by_name: str | None) -> str:
    import zipfile  # only for ZIP-shaped input: a plain-text check need not pay for its import

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = _small_member(archive, "mimetype") if "mimetype" in names else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        if by_name in (DOCX, ODT):
            return by_name  # the loader reports the damage in its own words
        raise corrupt(f"a damaged ZIP archive: {exc}") from None
    if mimetype is not None:
        if mimetype == ODT:
            return ODT
        if mimetype.startswith("application/vnd.oasis.opendocument"):
            raise unknown_type(f"an OpenDocument file of type {mimetype}, not a text document (.odt)")
    if "word/document.xml" in names:
        return DOCX
    if "[Content_Types].xml" in names:
        raise unknown_type("an Office file that is not a Word document (spreadsheet or presentation?)")
    if by_name in (DOCX, ODT):
        return by_name
    raise unknown_type("a ZIP archive that is neither a Word (.docx) nor an OpenDocument (.odt) document")


def _small_member(archive: zipfile.ZipFile, name: str) -> str | None:
    import zipfile

    info = archive.getinfo(name)
    if info.file_size > 200:  # the ODF mimetype member is a few dozen bytes
        return None
    try:
        return archive.read(info).decode("ascii", errors="replace").strip()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return None
