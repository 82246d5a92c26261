"""Small, dependency-free writers for the demo's notices: HTML body, PDF, scanned PDF, DOCX, text.

A notice is a list of `Block(kind, text)` with kind "h1", "h2", "p" or "li".
The demo must run from a plain install (fpdf2 and python-docx are only test
dependencies), so the PDF and Word files are written by hand: a PDF with
the standard Helvetica fonts and real text operators (what a school's "Save
as PDF" gives), an image-only PDF (what a scanner gives: no text layer at
all), and a minimal WordprocessingML package with real heading styles.
"""

from __future__ import annotations

import html
import io
import textwrap
import zipfile
import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    kind: str  # "h1" | "h2" | "p" | "li"
    text: str


# -- HTML ------------------------------------------------------------------


def to_html_fragment(blocks: list[Block]) -> str:
    """The notice as HTML elements (no <html> wrapper); consecutive items share one <ul>."""
    out: list[str] = []
    in_list = False
    for block in blocks:
        if block.kind == "li" and not in_list:
            out.append("<ul>")
            in_list = True
        elif block.kind != "li" and in_list:
            out.append("</ul>")
            in_list = False
        tag = block.kind if block.kind in ("h1", "h2", "li") else "p"
        out.append(f"<{tag}>{html.escape(block.text)}</{tag}>")
    if in_list:
        out.append("</ul>")
    return "\n".join(out)


# -- PDF -------------------------------------------------------------------

_PAGE_W, _PAGE_H, _MARGIN = 595, 842, 56  # A4 in points
_STYLES = {"h1": ("F2", 18, 26), "h2": ("F2", 13, 20), "p": ("F1", 10.5, 14), "li": ("F1", 10.5, 14)}


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")  # the fonts use WinAnsiEncoding
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _assemble_pdf(objects: list[bytes]) -> bytes:
    """Objects numbered from 1, in order; object 1 must be the catalog."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(content)
    return b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(packed), extra) + packed + b"\nendstream"


def _layout_pages(blocks: list[Block]) -> list[bytes]:
    """Content streams, one per page, with simple word wrapping."""
    pages: list[list[bytes]] = [[]]
    y = _PAGE_H - _MARGIN
    for block in blocks:
        font, size, leading = _STYLES.get(block.kind, _STYLES["p"])
        indent = 14 if block.kind == "li" else 0
        # Helvetica averages about half an em per character; wrap a little early.
        width_chars = int((_PAGE_W - 2 * _MARGIN - indent) / (size * 0.52))
        text = f"\u2022 {block.text}" if block.kind == "li" else block.text
        lines = textwrap.wrap(text, width_chars) or [""]
        if block.kind.startswith("h"):
            y -= leading * 0.4  # space above headings
        for line in lines:
            if y < _MARGIN + leading:
                pages.append([])
                y = _PAGE_H - _MARGIN
            y -= leading
            pages[-1].append(
                b"BT /%s %g Tf 1 0 0 1 %d %d Tm %s Tj ET" % (font.encode(), size, _MARGIN + indent, y, _pdf_string(line))
            )
        y -= leading * 0.5  # paragraph gap
    return [b"\n".join(ops) for ops in pages]


def to_pdf(blocks: list[Block], title: str = "Privacy notice") -> bytes:
    """A text PDF of the notice, as an office suite's "export to PDF" would give."""
    contents = _layout_pages(blocks)
    n = len(contents)
    # 1 catalog, 2 pages, 3 Helvetica, 4 Helvetica-Bold, 5 info, then (page, content) pairs.
    page_ids = [6 + 2 * i for i in range(n)]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % p for p in page_ids), n),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title %s /Producer (noticecheck demo) >>" % _pdf_string(title),
    ]
    for i, content in enumerate(contents):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> "
            b"/Contents %d 0 R >>" % (_PAGE_W, _PAGE_H, page_ids[i] + 1)
        )
        objects.append(_stream(content))
    return _assemble_pdf(objects)


def to_scanned_pdf(pages: int = 1) -> bytes:
    """An image-only PDF: grey "lines of text" drawn as pixels, with no text layer.

    This is what a school gets when it scans a printed notice; a checker can
    only report it as unreadable (it would need OCR).
    """
    width, height = 620, 877
    rows = bytearray()
    for y in range(height):
        inked = 80 < y < height - 80 and (y // 9) % 3 == 0 and (y // 9) % 17 != 0
        for x in range(width):
            # ragged right edge, so the stripes look like lines of words
            rows.append(90 if inked and 60 < x < width - 60 - ((y // 9) * 37 % 120) and (x // 23) % 6 != 5 else 250)
    image = _stream(
        bytes(rows),
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 "
        % (width, height),
    )
    page_ids = [5 + 2 * i for i in range(pages)]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % p for p in page_ids), pages),
        image,
        b"<< /Producer (noticecheck demo scanner) >>",
    ]
    draw = _stream(b"q %d 0 0 %d 0 0 cm /Im1 Do Q" % (_PAGE_W, _PAGE_H))
    for page_id in page_ids:
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /XObject << /Im1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (_PAGE_W, _PAGE_H, page_id + 1)
        )
        objects.append(draw)
    return _assemble_pdf(objects)


# -- DOCX ------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
</Types>"""
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
_DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>
</Relationships>"""
_STYLE_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{_W}">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:rPr><w:b/><w:sz w:val="26"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/></w:style>
</w:styles>"""
# One bullet list definition; list paragraphs point at it through numPr,
# which is how Word marks a list item (a style name alone is not enough).
_NUMBERING_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{_W}">
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>"""
_DOCX_STYLE = {"h1": "Heading1", "h2": "Heading2", "li": "ListBullet"}


def to_docx(blocks: list[Block]) -> bytes:
    """A Word document with heading and list styles (so mammoth sees real structure)."""
    paragraphs = []
    for block in blocks:
        style = _DOCX_STYLE.get(block.kind)
        numbering = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>' if block.kind == "li" else ""
        props = f'<w:pPr><w:pStyle w:val="{style}"/>{numbering}</w:pPr>' if style else ""
        text = html.escape(block.text, quote=False)
        paragraphs.append(f'<w:p>{props}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>')
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}"><w:body>'
        + "".join(paragraphs)
        + "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        # Fixed timestamps make the file byte-identical across runs, so an
        # unchanged notice keeps its sha256 between demo scans.
        for name, data in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("word/_rels/document.xml.rels", _DOC_RELS),
            ("word/styles.xml", _STYLE_XML),
            ("word/numbering.xml", _NUMBERING_XML),
            ("word/document.xml", document),
        ):
            zf.writestr(zipfile.ZipInfo(name, date_time=(2025, 9, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}
