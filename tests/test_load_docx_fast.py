"""The fast DOCX reader gives exactly the blocks of the mammoth route.

Both routes run on: every .docx in the corpus, every kind of file the test
fixtures make (python-docx), the demo documents, and Word packages written
here by hand to reach the corners real Word files have (fields, text
boxes, tracked changes, notes, merged table cells, content controls,
symbols, numbering through style links...). A hypothesis test mixes those
pieces at random. The few files the fast reader leaves to mammoth are
checked to take that route and still read the same.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixtures_make import make_docx
from noticecheck.load.docx import FAST_NOTE, MAMMOTH_NOTE, load_docx, load_docx_mammoth
from noticecheck.model import BlockKind, Document, UnreadableInput

ROOT = Path(__file__).resolve().parent.parent
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
H, P, L = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
}
XMLNS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NS.items())
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _style(kind: str, style_id: str, name: str, inner: str = "") -> str:
    return f'<w:style w:type="{kind}" w:styleId="{style_id}"><w:name w:val="{name}"/>{inner}</w:style>'


STYLES = "".join(
    (
        _style("paragraph", "Normal", "Normal"),
        _style("paragraph", "Title", "Title"),
        _style("paragraph", "Subtitle", "Subtitle"),
        *(_style("paragraph", f"Heading{n}", f"heading {n}", f'<w:pPr><w:outlineLvl w:val="{n - 1}"/></w:pPr>') for n in range(1, 7)),
        _style("paragraph", "SectionHead", "Section Head", '<w:basedOn w:val="Heading1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr>'),
        _style("paragraph", "Heading", "Heading"),
        _style("paragraph", "OddHeading", "HEADING 2"),
        _style("paragraph", "ListParagraph", "List Paragraph"),
        _style("paragraph", "ListBullet", "List Bullet", '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>'),
        _style("paragraph", "ListNumber2", "List Number 2"),
        _style("paragraph", "FootnoteText", "footnote text"),
        _style("paragraph", "BodyText", "Body Text"),
        '<w:style w:type="paragraph" w:styleId="NoName"/>',  # a style without a name
        _style("character", "Strong", "Strong"),
        _style("character", "Hyperlink", "Hyperlink"),
        _style("character", "FootnoteReference", "footnote reference"),
        _style("numbering", "BulletList", "Bullet List", '<w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr>'),
        _style("table", "TableGrid", "Table Grid"),
        _style("paragraph", "Title", "Not the first Title"),  # a repeated id: the first definition wins
    )
)


def _levels(fmt: str) -> str:
    return "".join(f'<w:lvl w:ilvl="{i}"><w:numFmt w:val="{fmt}"/><w:lvlText w:val="%{i + 1}."/></w:lvl>' for i in range(9))


NUMBERING = (
    f'<w:abstractNum w:abstractNumId="0">{_levels("bullet")}</w:abstractNum>'
    f'<w:abstractNum w:abstractNumId="1">{_levels("decimal")}</w:abstractNum>'
    '<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:pStyle w:val="ListBullet"/></w:lvl></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="3"><w:numStyleLink w:val="BulletList"/></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="4"><w:lvl><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="5"><w:lvl w:ilvl="0">'
    '<mc:AlternateContent><mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="001"/></mc:Choice>'
    '<mc:Fallback><w:numFmt w:val="bullet"/></mc:Fallback></mc:AlternateContent></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="2"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="4"><w:abstractNumId w:val="3"/></w:num>'
    '<w:num w:numId="5"><w:abstractNumId w:val="99"/></w:num>'
    '<w:num w:numId="6"><w:abstractNumId w:val="4"/></w:num>'
    '<w:num w:numId="7"><w:abstractNumId w:val="5"/></w:num>'
)
DOCUMENT_RELS = {
    "rIdWeb": ("hyperlink", "https://oakhill.example.sch.uk/privacy"),
    "rIdIco": ("hyperlink", "https://ico.org.uk/make-a-complaint/"),
    "rIdMail": ("hyperlink", "mailto:dpo@oakhill.example.sch.uk?subject=Data"),
    "rIdFrag": ("hyperlink", "https://www.gov.uk/guidance#old"),
    "rIdImg": ("image", "media/logo.png"),
}
NOTE_RELS = {"rIdNote": ("hyperlink", "https://www.legislation.gov.uk/ukpga/2018/12")}


def _rels(relationships: dict[str, tuple[str, str]]) -> str:
    items = "".join(
        f'<Relationship Id="{rid}" Type="{REL}{kind}" Target="{target}"'
        + (' TargetMode="External"' if kind == "hyperlink" else "")
        + "/>"
        for rid, (kind, target) in relationships.items()
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_RELS}">{items}</Relationships>'


def _part(root: str, inner: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{root} {XMLNS}>{inner}</w:{root}>'


def _note(kind: str, note_id: int, text: str) -> str:
    return (
        f'<w:{kind} w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
        f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:{kind}Ref/></w:r>{text}</w:p></w:{kind}>'
    )


FOOTNOTES = _part(
    "footnotes",
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    + _note("footnote", 1, "<w:r><w:t xml:space=\"preserve\"> Data Protection Act 2018, see </w:t></w:r>"
            '<w:hyperlink r:id="rIdNote"><w:r><w:t>the Act</w:t></w:r></w:hyperlink>')
    + _note("footnote", 2, "<w:r><w:t>Second note.</w:t></w:r></w:p><w:p><w:r><w:t>Its second paragraph</w:t></w:r>"),
)  # fmt: skip
ENDNOTES = _part("endnotes", _note("endnote", 1, "<w:r><w:t>An endnote.</w:t></w:r>"))
COMMENTS = _part(
    "comments",
    '<w:comment w:id="0" w:author="Reviewer" w:initials="RV"><w:p><w:r><w:t>Check this date</w:t></w:r></w:p></w:comment>',
)


def word_package(
    body: str,
    *,
    styles: str | None = STYLES,
    numbering: str | None = NUMBERING,
    notes: bool = True,
    document_rels: dict[str, tuple[str, str]] | None = None,
    document_name: str = "word/document.xml",
    raw_document: str | bytes | None = None,
) -> bytes:
    """A Word package as Word lays it out, with `body` inside w:body."""
    rels = dict(DOCUMENT_RELS if document_rels is None else document_rels)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/></Types>'
        ),
        "_rels/.rels": _rels({"rId1": ("officeDocument", document_name)}).replace(
            f"{REL}officeDocument", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
        ),
        document_name: raw_document or _part("document", f"<w:body>{body}<w:sectPr/></w:body>"),
        "word/media/logo.png": "not really a picture",
    }
    if styles is not None:
        parts["word/styles.xml"] = _part("styles", styles)
        rels["rIdStyles"] = ("styles", "styles.xml")
    if numbering is not None:
        parts["word/numbering.xml"] = _part("numbering", numbering)
        rels["rIdNumbering"] = ("numbering", "numbering.xml")
    if notes:
        parts.update({"word/footnotes.xml": FOOTNOTES, "word/endnotes.xml": ENDNOTES, "word/comments.xml": COMMENTS})
        parts["word/_rels/footnotes.xml.rels"] = _rels(NOTE_RELS)
        rels.update(rIdFoot=("footnotes", "footnotes.xml"), rIdEnd=("endnotes", "endnotes.xml"), rIdCom=("comments", "comments.xml"))
    folder, name = document_name.rsplit("/", 1)
    parts[f"{folder}/_rels/{name}.rels"] = _rels(rels)
    if "word/document.xml" not in parts:
        parts["word/document.xml"] = _part("document", "<w:body><w:p><w:r><w:t>Decoy</w:t></w:r></w:p></w:body>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part_name, content in parts.items():
            archive.writestr(part_name, content)
    return buffer.getvalue()


def both_routes(data: bytes, name: str = "notice.docx"):
    """(fast Text, mammoth Text) for the same bytes."""
    doc = Document(source=name, data=data, filename=name)
    return load_docx(doc, DOCX_TYPE), load_docx_mammoth(doc, DOCX_TYPE)


def assert_same(data: bytes, *, fast: bool = True, name: str = "notice.docx"):
    """Both routes give the same blocks and title; `fast` says which route load_docx should take."""
    new, old = both_routes(data, name)
    assert new.blocks == old.blocks
    assert new.title == old.title
    assert (FAST_NOTE in new.notes) is fast, new.notes
    assert (MAMMOTH_NOTE in new.notes) is not fast, new.notes
    return new


def simple(text: str, props: str = "", run_props: str = "") -> str:
    """One paragraph of one run."""
    rpr = f"<w:rPr>{run_props}</w:rPr>" if run_props else ""
    ppr = f"<w:pPr>{props}</w:pPr>" if props else ""
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def run(text: str, run_props: str = "") -> str:
    rpr = f"<w:rPr>{run_props}</w:rPr>" if run_props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def field(instruction: str, *result_runs: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{instruction}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + "".join(result_runs) + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def style(style_id: str) -> str:
    return f'<w:pStyle w:val="{style_id}"/>'


def numbered(num_id: str, level: str | None = "0") -> str:
    ilvl = "" if level is None else f'<w:ilvl w:val="{level}"/>'
    return f'<w:numPr>{ilvl}<w:numId w:val="{num_id}"/></w:numPr>'


CHECKBOX_FIELD = field("FORMCHECKBOX").replace(
    '<w:fldChar w:fldCharType="begin"/>',
    '<w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox><w:default w:val="1"/></w:checkBox></w:ffData></w:fldChar>',
)
TEXT_BOX = (
    "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><wps:wsp><wps:txbx><w:txbxContent>"
    "<w:p><w:r><w:t>Drawing text box (mammoth skips it)</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></wp:anchor>"
    "</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
    "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Contact us</w:t></w:r></w:p>"
    "<w:p><w:r><w:t>Text box body with a link to </w:t></w:r><w:hyperlink r:id=\"rIdIco\"><w:r><w:t>the ICO</w:t></w:r></w:hyperlink></w:p>"
    "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)
IMAGE_LINKED = (
    '<w:r><w:drawing><wp:inline><wp:docPr id="1" name="Logo" descr="School logo">'
    '<a:hlinkClick r:id="rIdWeb"/></wp:docPr><a:graphic><a:graphicData><pic:pic><pic:blipFill>'
    '<a:blip r:embed="rIdImg"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
)
IMAGE_PLAIN = IMAGE_LINKED.replace('<a:hlinkClick r:id="rIdWeb"/>', "")
VML_IMAGE = '<w:r><w:pict><v:shape><v:imagedata r:id="rIdImg" o:title="crest"/></v:shape></w:pict></w:r>'

# Pieces of body XML, each a corner of what Word writes. Ids are stable for test names.
CASES = {
    "styles": (
        simple("Privacy notice for parents", style("Title")) + simple("How we use pupil information", style("Subtitle"))
        + "".join(simple(f"Heading level {n}", style(f"Heading{n}")) for n in range(1, 7))
        + simple("A custom section head", style("SectionHead")) + simple("Apple Pages heading", style("Heading"))
        + simple("Upper-case style name", style("OddHeading")) + simple("Body text", style("BodyText"))
        + simple("Undefined style", style("NoSuchStyle")) + simple("Style without a name", style("NoName"))
        + simple("Outline level in the paragraph", '<w:outlineLvl w:val="1"/>')
    ),
    "lists": (
        simple("Style list bullet (numbering from the style)", style("ListBullet"))
        + simple("List paragraph, no numbering", style("ListParagraph"))
        + simple("List paragraph, numbered", style("ListParagraph") + numbered("2"))
        + "".join(simple(f"Bullet level {n}", numbered("3", str(n))) for n in range(7))
        + "".join(simple(f"Number level {n}", numbered("2", str(n))) for n in range(7))
        + simple("Through a numbering style link", numbered("4"))
        + simple("Missing abstract numbering", numbered("5")) + simple("Numbering id zero", numbered("0"))
        + simple("No level index", numbered("3", None)) + simple("Level without index", numbered("6"))
        + simple("Numbering format in alternate content", numbered("7"))
        + simple("Footnote text style wins over numbering", style("FootnoteText") + numbered("3"))
        + simple("List Number 2 style", style("ListNumber2")) + simple("Heading with numbering", style("Heading2") + numbered("2"))
        + simple("\u2022\tTyped bullet") + simple("- typed dash")
        + "<w:p><w:r><w:t>Intro line</w:t><w:br/><w:t>- first</w:t><w:br/><w:t>- second</w:t></w:r></w:p>"
    ),
    "bold": (
        simple("How long we keep it", run_props="<w:b/>") + simple("Not bold when switched off", run_props='<w:b w:val="0"/>')
        + simple("Off spelled out", run_props='<w:b w:val="false"/>') + simple("Off as a word", run_props='<w:b w:val="off"/>')
        + simple("Strong character style", run_props='<w:rStyle w:val="Strong"/>')
        + simple("A bold sentence that ends like a sentence.", run_props="<w:b/>")
        + "<w:p>" + run("Bold lead", "<w:b/>") + "<w:r><w:br/></w:r>" + run("followed by ordinary text after a break") + "</w:p>"
        + "<w:p>" + run("Half ", "<w:b/>") + run("bold") + "</w:p>"
        + "<w:p>" + run("Split ", "<w:b/>") + run("over runs", "<w:b/><w:i/>") + run(" all bold", "<w:b/><w:strike/>") + "</w:p>"
        + "<w:p>" + run("x", '<w:vertAlign w:val="superscript"/><w:b/>') + run("2", '<w:vertAlign w:val="subscript"/>') + "</w:p>"
    ),
    "breaks_and_characters": (
        "<w:p><w:r><w:t>Line one</w:t><w:br/><w:t>line two</w:t><w:br/><w:br/><w:t>new paragraph after two breaks</w:t></w:r></w:p>"
        '<w:p><w:r><w:t>Page</w:t><w:br w:type="page"/><w:t>break</w:t><w:br w:type="column"/><w:t>and column</w:t>'
        '<w:br w:type="textWrapping"/><w:t>wrap</w:t><w:br w:type="odd"/><w:cr/><w:t>carriage return ignored</w:t></w:r></w:p>'
        "<w:p><w:r><w:t>Tab</w:t><w:tab/><w:t>separated</w:t><w:noBreakHyphen/><w:t>non</w:t><w:softHyphen/><w:t>soft</w:t>"
        '<w:sym w:font="Wingdings" w:char="F0FC"/><w:sym w:font="Symbol" w:char="F0B7"/><w:sym w:font="Unknown" w:char="0041"/>'
        "<w:lastRenderedPageBreak/><w:t>end</w:t></w:r></w:p>"
        "<w:p><w:r><w:t xml:space=\"preserve\">   </w:t></w:r></w:p><w:p/><w:p><w:bookmarkStart w:id=\"0\" w:name=\"only\"/></w:p>"
        "<w:p><w:r><w:t>Entities &amp; &lt;angles&gt; &quot;quoted&quot;&#13;a <!-- comment -->comment<?pi x?></w:t></w:r></w:p>"
    ),
    "links": (
        '<w:p><w:r><w:t xml:space="preserve">Read </w:t></w:r><w:hyperlink r:id="rIdWeb" w:history="1"><w:r><w:rPr>'
        '<w:rStyle w:val="Hyperlink"/></w:rPr><w:t>our full notice</w:t></w:r></w:hyperlink><w:r><w:t>.</w:t></w:r></w:p>'
        '<w:p><w:hyperlink r:id="rIdIco"><w:r><w:t>https://ico.org.uk/make-a-complaint/</w:t></w:r></w:hyperlink></w:p>'
        '<w:p><w:hyperlink r:id="rIdMail"><w:r><w:t>Email the DPO</w:t></w:r></w:hyperlink></w:p>'
        '<w:p><w:hyperlink r:id="rIdFrag" w:anchor="new"><w:r><w:t>guidance</w:t></w:r></w:hyperlink>'
        '<w:hyperlink w:anchor="_Toc1"><w:r><w:t>internal</w:t></w:r></w:hyperlink>'
        '<w:hyperlink><w:r><w:t> bare</w:t></w:r></w:hyperlink>'
        '<w:hyperlink r:id="rIdWeb" w:tgtFrame="_blank"><w:r><w:t> new window</w:t></w:r></w:hyperlink></w:p>'
        '<w:p><w:hyperlink r:id="rIdWeb"><w:r><w:t>split </w:t></w:r></w:hyperlink><w:hyperlink r:id="rIdWeb">'
        "<w:r><w:t>link</w:t></w:r></w:hyperlink><w:r><w:t> and </w:t></w:r>"
        '<w:hyperlink r:id="rIdWeb"><w:bookmarkStart w:id="1" w:name="inside"/><w:r><w:rPr><w:b/></w:rPr><w:t>bold</w:t></w:r>'
        "<w:r><w:t> link</w:t></w:r><w:bookmarkEnd w:id=\"1\"/></w:hyperlink></w:p>"
        "<w:p>" + run("Logo: ") + IMAGE_LINKED + IMAGE_PLAIN + run(" crest ") + VML_IMAGE + "</w:p>"
        + "<w:p>" + IMAGE_LINKED + "</w:p>"
        "<w:p><w:smartTag w:uri=\"urn:x\" w:element=\"place\"><w:r><w:t>Oak Hill</w:t></w:r></w:smartTag>"
        "<w:customXml w:element=\"x\"><w:r><w:t> school</w:t></w:r></w:customXml></w:p>"
    ),
    "fields": (
        "<w:p>" + run("See ") + field(' HYPERLINK "https://www.gov.uk/government/publications/data-protection-toolkit-for-schools" ',
                                        run("the toolkit", "<w:b/>"), run(" for schools")) + run(".") + "</w:p>"
        + "<w:p>" + field(" HYPERLINK https://www.gov.uk/ ", run("gov.uk"), run(" (again)")) + "</w:p>"
        + "<w:p>" + field(' HYPERLINK \\l "_Toc2" ', run("internal field link")) + "</w:p>"
        + "<w:p>" + field(" PAGE ", run("3")) + run(" pages") + "</w:p>"
        + "<w:p><w:fldSimple w:instr=\" DATE \"><w:r><w:t>1 May 2024</w:t></w:r></w:fldSimple><w:r><w:t>simple field</w:t></w:r></w:p>"
        + '<w:p><w:r><w:fldChar w:fldCharType="end"/><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>stray</w:t></w:r></w:p>'
        # A table of contents: one field over several paragraphs, with nested hyperlink fields.
        + '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr><w:sdtContent>'
        + '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \\o "1-3" \\h </w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + field(' HYPERLINK \\l "_Toc1" ', run("Who we are")) + "</w:p>"
        + "<w:p>" + field(' HYPERLINK \\l "_Toc2" ', run("What we collect"), run("\t")) + run("4") + "</w:p>"
        + '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:sdtContent></w:sdt>'
        + "<w:p>" + CHECKBOX_FIELD + run(" I agree") + "</w:p>"
    ),
    "tables": (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/></w:tblPr><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>'
        '<w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Data</w:t></w:r></w:p></w:tc>'
        "<w:tc><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Kept for</w:t></w:r></w:p></w:tc></w:tr>"
        '<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>Admissions</w:t></w:r></w:p></w:tc>'
        "<w:tc><w:p><w:r><w:t>One year</w:t></w:r></w:p><w:p><w:r><w:t>then destroyed</w:t></w:r></w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>hidden continuation text</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>Appeals: three years</w:t></w:r></w:p></w:tc></w:tr>"
        '<w:tr><w:trPr><w:del w:id="9" w:author="x" w:date="2024-01-01T00:00:00Z"/></w:trPr><w:tc><w:p><w:r><w:t>Deleted row</w:t></w:r></w:p></w:tc></w:tr>'
        '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>Spanning both columns</w:t></w:r></w:p>'
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Nested cell</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl></w:tc></w:tr>"
        "</w:tbl>"
        # A bookmark between rows makes mammoth keep every cell, merged or not.
        '<w:tbl><w:bookmarkStart w:id="5" w:name="t"/><w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>Top</w:t></w:r></w:p></w:tc></w:tr>'
        "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>kept continuation</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        '<w:tbl><w:tr><w:tc><w:sdt><w:sdtContent><w:p><w:r><w:t>Cell in a content control</w:t></w:r></w:p></w:sdtContent></w:sdt></w:tc></w:tr>'
        '<w:sdt><w:sdtContent><w:tr><w:tc><w:p><w:r><w:t>Row in a content control</w:t></w:r></w:p></w:tc></w:tr></w:sdtContent></w:sdt></w:tbl>'
    ),
    "tracked_changes": (
        "<w:p><w:r><w:t>Kept </w:t></w:r><w:ins w:id=\"1\" w:author=\"a\"><w:r><w:t>inserted </w:t></w:r></w:ins>"
        "<w:del w:id=\"2\" w:author=\"a\"><w:r><w:delText>deleted </w:delText></w:r></w:del>"
        "<w:moveFrom w:id=\"3\"><w:r><w:t>moved away</w:t></w:r></w:moveFrom><w:moveTo w:id=\"4\"><w:r><w:t>moved here</w:t></w:r></w:moveTo></w:p>"
        '<w:p><w:pPr><w:rPr><w:del w:id="5" w:author="a"/></w:rPr></w:pPr><w:r><w:t>Paragraph whose mark was deleted </w:t></w:r></w:p>'
        '<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>joins the next one</w:t></w:r></w:p>'
        '<w:p><w:pPr><w:rPr><w:del w:id="6" w:author="a"/></w:rPr></w:pPr><w:r><w:t>Deleted mark before a table</w:t></w:r></w:p>'
        '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>lands in the cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
    ),
    "text_boxes_and_notes": (
        "<w:p>" + run("Before the box, ") + TEXT_BOX + run("after the box.") + "</w:p>"
        + '<w:p><w:r><w:pict><v:rect><v:textbox><w:txbxContent><w:p><w:r><w:t>Rectangle text</w:t></w:r></w:p>'
        + "</w:txbxContent></v:textbox></v:rect></w:pict></w:r></w:p>"
        + "<w:p>" + run("We follow the law") + '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
        + run(" and guidance") + '<w:r><w:footnoteReference w:id="2"/></w:r><w:r><w:endnoteReference w:id="1"/></w:r>'
        + '<w:commentRangeStart w:id="0"/>' + run(" reviewed") + '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'
        + '<w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
    ),
    "content_controls": (
        '<w:sdt><w:sdtPr><w:alias w:val="School name"/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>Oak Hill Primary</w:t></w:r></w:p>'
        "</w:sdtContent></w:sdt>"
        '<w:p><w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="1"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r>'
        '<w:t>\u2612</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t xml:space="preserve"> I consent to photographs</w:t></w:r></w:p>'
        '<w:p><w:sdt><w:sdtPr><w14:checkbox/></w:sdtPr><w:sdtContent><w:r><w:t></w:t></w:r></w:sdtContent></w:sdt>'
        "<w:r><w:t>Empty box</w:t></w:r></w:p>"
        '<w:sdt><w:sdtPr><w14:checkbox/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>box</w:t></w:r><w:r><w:t> and words</w:t></w:r></w:p>'
        "</w:sdtContent></w:sdt><w:sdt><w:sdtPr/></w:sdt>"
        "<w:p><mc:AlternateContent><mc:Choice Requires=\"w14\"><w:r><w:t>choice</w:t></w:r></mc:Choice>"
        "<mc:Fallback><w:r><w:t>fallback run</w:t></w:r><mc:AlternateContent><mc:Fallback><w:r><w:t> nested</w:t></w:r>"
        "</mc:Fallback></mc:AlternateContent></mc:Fallback></mc:AlternateContent></w:p>"
        '<w:bookmarkStart w:id="7" w:name="_GoBack"/><w:bookmarkStart w:id="8" w:name="body"/>'
        "<w:p><w:permStart w:id=\"1\"/><w:r><w:t>Permission range</w:t></w:r><w:permEnd w:id=\"1\"/></w:p>"
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hand_written_corners_read_alike(case):
    assert_same(word_package(CASES[case]))


def test_all_corners_in_one_document_read_alike():
    # Fields, deleted marks and note numbers carry state from one paragraph to the next.
    assert_same(word_package("".join(CASES[name] for name in sorted(CASES))))


def test_what_the_fast_reader_gives_for_the_usual_structures():
    body = (
        simple("Privacy notice", style("Title"))
        + simple("What we collect", style("Heading2"))
        + "<w:p>" + run("We collect, see ") + '<w:hyperlink r:id="rIdWeb"><w:r><w:t>our site</w:t></w:r></w:hyperlink></w:p>'
        + simple("names", style("ListBullet"))
        + simple("How long we keep it", run_props="<w:b/>")
        + '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Payroll</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>six years</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
        + "<w:p>" + run("The law") + '<w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
    )
    text = assert_same(word_package(body))
    assert [(b.kind, b.text, b.level, b.line) for b in text.blocks] == [
        (H, "Privacy notice", 1, 1),
        (H, "What we collect", 2, 2),
        (P, "We collect, see our site (https://oakhill.example.sch.uk/privacy)", 0, 3),
        (L, "names", 0, 4),
        (H, "How long we keep it", 3, 5),
        (P, "Payroll", 0, 6),
        (P, "six years", 0, 7),
        (P, "The law[1]", 0, 8),
        (L, "Data Protection Act 2018, see the Act (https://www.legislation.gov.uk/ukpga/2018/12) \u2191", 0, 9),
    ]
    assert text.title == "Privacy notice"


def test_main_document_found_through_the_package_relationships():
    data = word_package(simple("The real body", style("Heading1")), document_name="word/main.xml")
    text = assert_same(data)
    assert [b.text for b in text.blocks] == ["The real body"]


def test_package_without_styles_numbering_or_notes():
    assert_same(word_package(CASES["lists"] + CASES["styles"], styles=None, numbering=None, notes=False))


@pytest.mark.parametrize(
    "why,data",
    [
        ("strict namespaces", word_package(simple("Strict"), raw_document=_part("document", "<w:body>" + simple("Strict") + "</w:body>").replace(
            NS["w"], "http://purl.oclc.org/ooxml/wordprocessingml/main"))),
        ("a DTD", word_package("", raw_document='<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY school "Oak Hill">]>'
                               + _part("document", "<w:body>" + simple("About &school;") + "</w:body>").split("?>", 1)[1])),
        ("CDATA", word_package("<w:p><w:r><w:t><![CDATA[Raw <text>]]> and more</w:t></w:r></w:p>")),
        ("UTF-16", word_package("", raw_document=_part("document", "<w:body>" + simple("Sixteen bits") + "</w:body>").replace(
            'encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_what_the_fast_reader_leaves_to_mammoth_still_reads_the_same(why, data):
    assert_same(data, fast=False)


def test_dangling_relationship_fails_as_before():
    data = word_package('<w:p><w:hyperlink r:id="rIdMissing"><w:r><w:t>broken</w:t></w:r></w:hyperlink></w:p>')
    doc = Document(source="x.docx", data=data, filename="x.docx")
    for load in (load_docx, load_docx_mammoth):
        with pytest.raises(UnreadableInput) as caught:
            load(doc, DOCX_TYPE)
        assert caught.value.code == "corrupt"


def test_empty_document_is_refused_by_both_routes():
    doc = Document(source="x.docx", data=word_package("<w:p/>"), filename="x.docx")
    for load in (load_docx, load_docx_mammoth):
        with pytest.raises(UnreadableInput) as caught:
            load(doc, DOCX_TYPE)
        assert caught.value.code == "empty"


# -- real files ----------------------------------------------------------------------


CORPUS_DOCX = sorted((ROOT / "corpus" / "notices").glob("*.docx"))


@pytest.mark.parametrize("path", CORPUS_DOCX, ids=lambda p: p.name)
def test_corpus_documents_read_alike(path):
    assert_same(path.read_bytes(), name=path.name)


def test_corpus_has_word_documents():
    assert len(CORPUS_DOCX) >= 6


FIXTURE_BLOCKS = [
    ("h1", "Privacy notice for parents"),
    ("p", "Oak Hill Primary is the data controller for the information in this notice."),
    ("h2", "What we collect"),
    ("li", "names and addresses"),
    ("bold", "How long we keep it"),
    ("p", "We keep records until the pupil is 25 \u2013 that\u2019s the IRMS guidance (\u00a3 not charged)."),
    ("h3", "Your rights"),
    ("bold", "A bold paragraph that is far too long to be taken for a heading by anyone reading it."),
    ("p", "Tabs\tand  double  spaces & <angle> brackets"),
]


def test_fixture_documents_read_alike(tmp_path):
    assert_same(Path(make_docx(tmp_path / "n.docx", FIXTURE_BLOCKS, title="Parents")).read_bytes())
    assert_same(Path(make_docx(tmp_path / "e.docx", [("p", "Only one paragraph")])).read_bytes())


def test_python_docx_tables_and_title_read_alike(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Workforce privacy notice", level=0)
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text = "Payroll data"
    table.cell(0, 1).text = "Kept for six years"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "Merged across"
    paragraph = document.add_paragraph("Numbered ", style="List Number")
    paragraph.add_run("and bold").bold = True
    document.add_paragraph("Quote", style="Intense Quote")
    document.add_page_break()
    document.add_paragraph("After the page break", style="List Bullet 2")
    document.save(tmp_path / "t.docx")
    assert_same((tmp_path / "t.docx").read_bytes())


def test_demo_documents_read_alike():
    from noticecheck.demo.documents import Block, to_docx

    blocks = [Block("h1", "Privacy notice"), Block("p", "We are the controller."), Block("h2", "Sharing"), Block("li", "the DfE")]
    assert_same(to_docx(blocks))


# -- random mixtures ------------------------------------------------------------------


def _top_level_pieces(body: str) -> list[str]:
    """The body's top-level elements, each serialised on its own (namespaces declared on it)."""
    from lxml import etree

    root = etree.fromstring(_part("document", f"<w:body>{body}</w:body>").encode())
    return [etree.tostring(element, encoding="unicode", with_tail=False) for element in root[0]]


# Fields left open or closed across pieces, so a mixture can carry a link over paragraphs.
FIELD_OPENER = (
    "<w:p>" + run("Begin field ") + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText>HYPERLINK "https://a.example/"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    + run("linked across") + "</w:p>"
)
FIELD_CLOSER = '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r>' + run("after the field") + "</w:p>"
DELETED_MARK = '<w:p><w:pPr><w:rPr><w:del w:id="1" w:author="a"/></w:rPr></w:pPr>' + run("deleted mark ") + "</w:p>"
PIECES = sorted(
    {piece for case in CASES.values() for piece in _top_level_pieces(case)}
    | {FIELD_OPENER, FIELD_CLOSER, DELETED_MARK, simple("Bold words", run_props="<w:b/>"), simple("item", numbered("3"))}
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8))
def test_random_mixtures_read_alike(pieces):
    try:
        new, old = both_routes(word_package("".join(pieces)))
    except UnreadableInput as exc:  # both must refuse alike: check the mammoth route refuses too
        with pytest.raises(UnreadableInput) as caught:
            load_docx_mammoth(Document(source="x", data=word_package("".join(pieces)), filename="x.docx"), DOCX_TYPE)
        assert caught.value.code == exc.code
        return
    assert new.blocks == old.blocks
    assert new.title == old.title
    assert FAST_NOTE in new.notes


def test_styles_read_in_c_where_no_alternate_content_agree_with_the_general_walk():
    # The styles reader takes lxml's own lookups when a part has no mc:AlternateContent; a comment
    # naming it sends the same part down the general walk, which must give the same styles.
    import zipfile

    from noticecheck.load.wordxml import _styles

    parts = [zipfile.ZipFile(path).read("word/styles.xml") for path in sorted((ROOT / "corpus").glob("*/*.docx"))]
    wrapped = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:styles {XMLNS}>{STYLES}'
        '<mc:AlternateContent><mc:Choice Requires="w14"><w:style w:type="paragraph" w:styleId="Alt">'
        '<w:name w:val="choice"/></w:style></mc:Choice><mc:Fallback><w:style w:type="paragraph" w:styleId="Alt">'
        '<w:name w:val="fallback"/></w:style></mc:Fallback></mc:AlternateContent></w:styles>'
    ).encode()
    assert len(parts) >= 5
    for data in parts:
        general = data.replace(b"?>", b"?><!-- AlternateContent -->", 1)
        assert b"AlternateContent" not in data and _styles(data) == _styles(general)
    styles = _styles(wrapped)
    assert styles.paragraph["Alt"] == "fallback" and styles.paragraph["Heading1"] == "heading 1"
    assert styles.paragraph["Title"] == "Title" and styles.numbering["BulletList"] == "3"
