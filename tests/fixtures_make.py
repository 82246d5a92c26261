"""Build real PDF, DOCX and ODT files for tests, on the fly, from a list of blocks.

A block is a (kind, text) pair: "h1", "h2", "h3" (headings), "p" (paragraph),
"li" (bullet list item), "bold" (a paragraph set entirely in bold). Every
builder writes a genuine file with the usual library (fpdf2, python-docx,
pypdf) or, for ODT, the ODF zip layout written by hand, so the loaders are
tested against what real software produces.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

Blocks = Sequence[tuple[str, str]]

_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
_FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


def _pdf(header: str | None = None, footer_page_numbers: bool = False):
    from fpdf import FPDF

    class _Pdf(FPDF):
        def header(self) -> None:
            if header:
                self.set_font(self.body_font, "", 8)
                self.cell(0, 8, header, new_x="LMARGIN", new_y="NEXT")

        def footer(self) -> None:
            if footer_page_numbers:
                self.set_y(-15)
                self.set_font(self.body_font, "", 8)
                self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = _Pdf()
    # A Unicode TTF when the system has one, so curly quotes and bullets survive;
    # otherwise a core font, and callers must keep to latin-1.
    if all(os.path.exists(os.path.join(_FONT_DIR, f)) for f in _FONTS.values()):
        for style, filename in _FONTS.items():
            pdf.add_font("body", style, os.path.join(_FONT_DIR, filename))
        pdf.body_font = "body"
    else:
        pdf.body_font = "helvetica"
    pdf.set_auto_page_break(True, margin=20)
    return pdf


def unicode_pdf_fonts() -> bool:
    """Whether make_pdf can render characters outside latin-1."""
    return all(os.path.exists(os.path.join(_FONT_DIR, f)) for f in _FONTS.values())


def make_pdf(
    path: str | os.PathLike | io.BytesIO,
    blocks: Blocks,
    *,
    header: str | None = None,
    page_numbers: bool = False,
    page_break_before: Sequence[int] = (),
) -> str:
    """A text PDF: headings in bold and larger, paragraphs wrapped at the page width.

    `header` repeats a running header on every page, `page_numbers` adds a
    "Page N of M" footer, `page_break_before` starts a new page before the
    blocks at those indexes.
    """
    pdf = _pdf(header, page_numbers)
    pdf.add_page()
    sizes = {"h1": 18, "h2": 14, "h3": 12}
    for index, (kind, text) in enumerate(blocks):
        if index in page_break_before:
            pdf.add_page()
        if kind in sizes:
            pdf.set_font(pdf.body_font, "B", sizes[kind])
            pdf.ln(3)
            pdf.multi_cell(0, sizes[kind] * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        elif kind == "li":
            pdf.set_font(pdf.body_font, "", 11)
            bullet = "\u2022" if pdf.body_font == "body" else "-"
            pdf.multi_cell(0, 6, f"{bullet} {text}", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font(pdf.body_font, "B" if kind == "bold" else "", 11)
            pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    if hasattr(path, "write"):
        path.write(bytes(pdf.output()))
        return ""
    pdf.output(str(path))
    return str(path)


def make_encrypted_pdf(path: str | os.PathLike, password: str = "s3cret") -> str:
    """A text PDF that needs a user password to open."""
    from pypdf import PdfReader, PdfWriter

    plain = io.BytesIO()
    make_pdf(plain, [("h1", "Privacy notice"), ("p", "We collect pupil information to support learning.")])
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(plain.getvalue())).pages:
        writer.add_page(page)
    # RC4: pypdf's AES needs the cryptography package, and pdfium refuses both alike.
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    with open(path, "wb") as handle:
        writer.write(handle)
    return str(path)


def make_image_only_pdf(path: str | os.PathLike, pages: int = 2) -> str:
    """A PDF whose pages hold only drawn shapes (what a scan looks like to a text extractor)."""
    pdf = _pdf()
    for _ in range(pages):
        pdf.add_page()
        pdf.set_fill_color(40, 40, 40)
        pdf.rect(20, 20, 170, 8, style="F")
        for row in range(12):
            pdf.rect(20, 40 + row * 10, 150 - (row % 3) * 20, 3, style="F")
    pdf.output(str(path))
    return str(path)


def make_docx(path: str | os.PathLike, blocks: Blocks, *, title: str | None = None) -> str:
    """A Word document using the real built-in styles (Heading 1/2/3, List Bullet)."""
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    for kind, text in blocks:
        if kind in ("h1", "h2", "h3"):
            document.add_heading(text, level=int(kind[1]))
        elif kind == "li":
            document.add_paragraph(text, style="List Bullet")
        elif kind == "bold":
            document.add_paragraph().add_run(text).bold = True
        else:
            document.add_paragraph(text)
    document.save(str(path))
    return str(path)


_ODF_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}
ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"


def _odt_paragraph(kind: str, text: str) -> str:
    body = escape(text)
    if kind in ("h1", "h2", "h3"):
        return f'<text:h text:style-name="Heading_20_{kind[1]}" text:outline-level="{kind[1]}">{body}</text:h>'
    if kind == "li":
        return f'<text:list text:style-name="L1"><text:list-item><text:p text:style-name="P2">{body}</text:p></text:list-item></text:list>'
    if kind == "bold":
        return f'<text:p text:style-name="P1">{body}</text:p>'
    return f'<text:p text:style-name="Standard">{body}</text:p>'


def make_odt(
    path: str | os.PathLike,
    blocks: Blocks,
    *,
    title: str | None = None,
    extra_body_xml: str = "",
) -> str:
    """An OpenDocument text file, written as LibreOffice lays it out.

    The mimetype member comes first and uncompressed (the ODF signature);
    `extra_body_xml` is appended raw inside office:text for special cases.
    """
    xmlns = " ".join(f"xmlns:{prefix}={quoteattr(uri)}" for prefix, uri in _ODF_NS.items())
    body = "".join(_odt_paragraph(kind, text) for kind, text in blocks)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {xmlns} office:version="1.3">'
        "<office:automatic-styles>"
        '<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Standard">'
        '<style:text-properties fo:font-weight="bold"/></style:style>'
        '<style:style style:name="P2" style:family="paragraph" style:parent-style-name="List_20_Paragraph"/>'
        "</office:automatic-styles>"
        f"<office:body><office:text>{body}{extra_body_xml}</office:text></office:body></office:document-content>"
    )
    meta_title = f"<dc:title>{escape(title)}</dc:title>" if title else ""
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {xmlns} office:version="1.3">'
        f"<office:meta>{meta_title}</office:meta></office:document-meta>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODT_MIMETYPE}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("meta.xml", meta)
        archive.writestr("META-INF/manifest.xml", manifest)
    return str(path)


def make_zip_bomb_docx(path: str | os.PathLike, *, mode: str = "ratio") -> str:
    """A .docx-shaped zip that would inflate far beyond reason.

    mode="ratio": one 24 MiB member of zeros (compresses ~1000:1);
    mode="total": 21 members of 5 MiB zeros (each under the per-member
    ratio floor, 105 MiB together). Written with streaming writes, so
    building it never holds the inflated data in memory.
    """
    sizes = {"ratio": [24], "total": [5] * 21}[mode]
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        for index, mebibytes in enumerate(sizes):
            with archive.open(f"word/media/padding{index}.bin", "w") as member:
                for _ in range(mebibytes):
                    member.write(chunk)
    return str(path)


def make_pdf_bomb(path: str | os.PathLike, *, inflated_mib: int = 150, pages: int = 1) -> str:
    """A small, valid PDF whose page content streams inflate to `inflated_mib` MiB in all.

    Each page draws one line of text, then pads its content stream with spaces
    (valid content-stream whitespace), compressed with zlib as /FlateDecode.
    Built with a streaming compressor, so making it never holds the inflated
    content in memory. Written by the demo's minimal PDF writer (a real xref table).
    """
    text = b"BT /F1 12 Tf 72 720 Td (Privacy notice for pupils) Tj ET\n"
    per_page = inflated_mib * (1 << 20) // pages
    chunk = b" " * (1 << 20)
    streams = []
    for _ in range(pages):
        packer = zlib.compressobj(9)
        parts = [packer.compress(text)]
        for _ in range(per_page // len(chunk)):
            parts.append(packer.compress(chunk))
        parts.append(packer.flush())
        streams.append(b"".join(parts))
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(f"{4 + 2 * i} 0 R".encode() for i in range(pages)) + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for index, stream in enumerate(streams):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (5 + 2 * index)
        )
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
    from noticecheck.demo.documents import _assemble_pdf  # the demo's own minimal PDF writer

    with open(path, "wb") as fh:
        fh.write(_assemble_pdf(objects))
    return str(path)
