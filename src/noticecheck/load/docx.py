"""Word (.docx) to blocks: mammoth turns the document into HTML, html.py splits it.

One splitter for web pages and Word files means headings, lists and
bold-only "headings" are read alike. Mammoth maps Word's paragraph styles to
HTML; the style map below adds the built-in styles it leaves as plain
paragraphs (Title, Subtitle, list styles applied without numbering).

Block `line` is the block's ordinal in document order (see office.py).
"""

from __future__ import annotations

import io

from noticecheck.load.errors import corrupt
from noticecheck.load.office import dc_title, numbered_text
from noticecheck.load.zipguard import open_checked
from noticecheck.model import Document, Text, UnreadableInput

KIND = "DOCX"
_STYLE_MAP = "\n".join(
    (
        "p[style-name='Title'] => h1:fresh",
        "p[style-name='Subtitle'] => h2:fresh",
        "p[style-name='List Bullet'] => ul > li:fresh",
        "p[style-name='List Bullet 2'] => ul > li:fresh",
        "p[style-name='List Number'] => ol > li:fresh",
        "p[style-name='List Number 2'] => ol > li:fresh",
        "p[style-name='List Paragraph'] => ul > li:fresh",
    )
)


def load_docx(doc: Document, media_type: str) -> Text:
    """Convert a .docx to HTML with mammoth and split it into blocks."""
    from noticecheck.load.html import html_to_blocks

    with open_checked(doc.data, KIND) as archive:
        if "word/document.xml" not in archive.namelist():
            raise corrupt("damaged DOCX file: it has no word/document.xml (not a Word document?)")
        title = dc_title(archive, "docProps/core.xml")
    markup = _to_html(doc.data)
    blocks, first_h1, _ = html_to_blocks(markup, web_page=False)
    return numbered_text(
        doc, media_type, blocks, title=title or first_h1, what="Word document", notes=("converted from Word with mammoth",)
    )


def _to_html(data: bytes) -> str:
    import mammoth

    # Skip images: mammoth would otherwise inline every picture as base64.
    skip_images = mammoth.images.img_element(lambda image: {})
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=_STYLE_MAP,
            convert_image=skip_images,
            include_embedded_style_map=False,
        )
    except UnreadableInput:
        raise
    except Exception as exc:  # noqa: BLE001 - mammoth surfaces zip, XML and its own errors alike
        raise corrupt(f"damaged DOCX file: {type(exc).__name__}: {exc}") from None
    return result.value
