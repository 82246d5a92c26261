"""Word (.docx) to blocks: straight from the XML, with mammoth as the fallback.

The fast route (wordxml.py reads the parts with lxml, wordtree.py turns
them into blocks) gives the very blocks the mammoth route gives, in a tenth
of the time. The mammoth route converts the document to HTML and html.py
splits that; it stays for the files the fast reader does not model (see
wordxml.NeedsMammoth: strict-namespace documents, DTDs, damaged parts) and
for anything unforeseen, so such a file reads exactly as it always did.

One splitter's rules for web pages and Word files means headings, lists and
bold-only "headings" are read alike. Mammoth maps Word's paragraph styles to
HTML; the style map below adds the built-in styles it leaves as plain
paragraphs (Title, Subtitle, list styles applied without numbering), and
wordtree.py applies the same map.

Block `line` is the block's ordinal in document order (see office.py).
"""

from __future__ import annotations

import io
import zipfile

from noticecheck.load.errors import corrupt
from noticecheck.load.office import dc_title, numbered_text, parse_member
from noticecheck.load.zipguard import open_checked
from noticecheck.model import Block, Document, Text, UnreadableInput

KIND = "DOCX"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W_VAL = f"{W}val"
STYLES = "word/styles.xml"
REFERRING_PARTS = ("word/document.xml", "word/numbering.xml", "word/footnotes.xml", "word/endnotes.xml")
_STYLE_REFS = tuple(f"{W}{name}" for name in ("pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink"))
SLIM_STYLES_ABOVE = 64 * 1024
FAST_NOTE = "read from the Word XML"
MAMMOTH_NOTE = "converted from Word with mammoth"


def load_docx(doc: Document, media_type: str) -> Text:
    """Read a .docx straight from its XML; what the fast reader does not model goes through mammoth."""
    from noticecheck.load.wordtree import document_blocks
    from noticecheck.load.wordxml import read_document

    with open_checked(doc.data, KIND) as archive:
        title = _checked_title(archive)
        try:
            blocks = document_blocks(read_document(archive))
        except (UnreadableInput, RecursionError):
            raise  # a file too deep for one route is too deep for the other
        except Exception:  # noqa: BLE001 - wordxml.NeedsMammoth, or a file nobody foresaw: the old route judges it
            return _through_mammoth(doc, media_type, archive, title)
    return _numbered(doc, media_type, blocks, title, FAST_NOTE)


def load_docx_mammoth(doc: Document, media_type: str) -> Text:
    """The mammoth route for any .docx (the fallback; tests compare the two routes with it)."""
    with open_checked(doc.data, KIND) as archive:
        return _through_mammoth(doc, media_type, archive, _checked_title(archive))


def _checked_title(archive: zipfile.ZipFile) -> str | None:
    if "word/document.xml" not in archive.namelist():
        raise corrupt("damaged DOCX file: it has no word/document.xml (not a Word document?)")
    return dc_title(archive, "docProps/core.xml")


def _through_mammoth(doc: Document, media_type: str, archive: zipfile.ZipFile, title: str | None) -> Text:
    from noticecheck.load.html import html_to_blocks

    markup = _to_html(_with_slim_styles(archive) or doc.data)
    blocks, _, _ = html_to_blocks(markup, web_page=False)
    return _numbered(doc, media_type, blocks, title, MAMMOTH_NOTE)


def _numbered(doc: Document, media_type: str, blocks: list[Block], title: str | None, note: str) -> Text:
    first_h1 = next((b.text for b in blocks if b.is_heading and b.level == 1), None)
    return numbered_text(doc, media_type, blocks, title=title or first_h1, what="Word document", notes=(note,))


def _with_slim_styles(archive: zipfile.ZipFile) -> bytes | None:
    """The document re-zipped with only the styles it uses, or None to use it as it is.

    Mammoth parses every XML part with a pure-Python DOM; a styles part
    carrying hundreds of unused style definitions (templates do: python-docx
    ships 380 KB of them) costs it a quarter of a second. Dropping styles
    nothing refers to changes no output and makes conversion 5-10x faster.
    """
    if STYLES not in archive.namelist():
        return None
    info = archive.getinfo(STYLES)
    if info.file_size < SLIM_STYLES_ABOVE:
        return None
    try:
        slim = _slim_styles(archive)
    except UnreadableInput:
        return None  # leave damaged styles for mammoth to judge
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for member in archive.infolist():
            target.writestr(member.filename, slim if member.filename == STYLES else archive.read(member))
    return out.getvalue()


def _slim_styles(archive: zipfile.ZipFile) -> bytes:
    from lxml import etree

    used: set[str] = set()
    for part in REFERRING_PARTS:
        if part in archive.namelist():
            root = parse_member(archive, part, KIND)
            used.update(v for e in root.iter(*_STYLE_REFS) if (v := e.get(W_VAL)))
    styles = parse_member(archive, STYLES, KIND)
    by_id = {e.get(f"{W}styleId"): e for e in styles.iter(f"{W}style")}
    keep = {sid for sid, e in by_id.items() if e.get(f"{W}default") in ("1", "true")}
    pending = list(used | keep)
    while pending:  # styles are based on or linked to others: keep the whole chain
        element = by_id.get(pending.pop())
        if element is None:
            continue
        keep.add(element.get(f"{W}styleId"))
        for ref in element.iter(f"{W}basedOn", f"{W}link", f"{W}numStyleLink", f"{W}styleLink"):
            value = ref.get(W_VAL)
            if value and value not in keep:
                pending.append(value)
    for sid, element in by_id.items():
        if sid not in keep:
            styles.remove(element)
    for latent in styles.findall(f"{W}latentStyles"):
        styles.remove(latent)
    return etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)


def _to_html(data: bytes) -> str:
    import mammoth

    from noticecheck.load.wordtree import STYLE_MAP

    # Skip images: mammoth would otherwise inline every picture as base64.
    skip_images = mammoth.images.img_element(lambda image: {})
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=skip_images,
            include_embedded_style_map=False,
        )
    except (UnreadableInput, RecursionError):
        raise  # too deep to read is its own status (load.to_text), not damage
    except Exception as exc:  # noqa: BLE001 - mammoth surfaces zip, XML and its own errors alike
        raise corrupt(f"damaged DOCX file: {type(exc).__name__}: {exc}") from None
    return result.value
