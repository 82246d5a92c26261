"""Word (.docx) and OpenDocument (.odt): real files, damaged files and zip bombs."""

from __future__ import annotations

import io
import zipfile

import pytest

from fixtures_make import make_docx, make_odt, make_zip_bomb_docx
from noticecheck.load import to_text
from noticecheck.model import BlockKind, Document, UnreadableInput

H, P, L = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT_TYPE = "application/vnd.oasis.opendocument.text"

BLOCKS = [
    ("h1", "Privacy notice for parents"),
    ("p", "Oak Hill Primary is the data controller for the information in this notice."),
    ("h2", "What we collect"),
    ("p", "We collect:"),
    ("li", "names and addresses"),
    ("li", "attendance records"),
    ("bold", "How long we keep it"),
    ("p", "We keep records until the pupil is 25 \u2013 that\u2019s the IRMS guidance (\u00a3 not charged)."),
    ("h3", "Your rights"),
]
EXPECTED = [
    (H, "Privacy notice for parents", 1),
    (P, "Oak Hill Primary is the data controller for the information in this notice.", 0),
    (H, "What we collect", 2),
    (P, "We collect:", 0),
    (L, "names and addresses", 0),
    (L, "attendance records", 0),
    (H, "How long we keep it", 3),
    (P, "We keep records until the pupil is 25 \u2013 that\u2019s the IRMS guidance (\u00a3 not charged).", 0),
    (H, "Your rights", 3),
]


def load_file(path, name: str | None = None):
    with open(path, "rb") as handle:
        data = handle.read()
    return to_text(Document(source=str(path), data=data, filename=name or str(path)))


def load_bytes(data: bytes, name: str):
    return to_text(Document(source=name, data=data, filename=name))


def refused(data: bytes, name: str) -> UnreadableInput:
    with pytest.raises(UnreadableInput) as caught:
        load_bytes(data, name)
    return caught.value


@pytest.mark.parametrize("make,media_type", [(make_docx, DOCX_TYPE), (make_odt, ODT_TYPE)])
def test_headings_lists_and_bold_paragraphs(tmp_path, make, media_type):
    text = load_file(make(tmp_path / "notice", BLOCKS, title="Parents' privacy notice"))
    assert text.media_type == media_type
    assert [(b.kind, b.text, b.level) for b in text.blocks] == EXPECTED
    assert [b.line for b in text.blocks] == list(range(1, len(EXPECTED) + 1))  # paragraph ordinals
    assert text.title == "Parents' privacy notice"


def test_docx_title_falls_back_to_first_heading(tmp_path):
    assert load_file(make_docx(tmp_path / "n.docx", BLOCKS)).title == "Privacy notice for parents"


def test_docx_title_style_and_table(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Workforce privacy notice", level=0)  # the built-in Title style
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Payroll data"
    table.cell(0, 1).text = "Kept for six years"
    document.save(tmp_path / "t.docx")
    blocks = load_file(tmp_path / "t.docx").blocks
    assert [(b.kind, b.text, b.level) for b in blocks] == [
        (H, "Workforce privacy notice", 1),
        (P, "Payroll data", 0),
        (P, "Kept for six years", 0),
    ]


def test_docx_without_extension_is_sniffed(tmp_path):
    text = load_file(make_docx(tmp_path / "upload", BLOCKS), name="upload")
    assert text.media_type == DOCX_TYPE


def test_odt_inline_markup_links_spaces_and_skipped_parts(tmp_path):
    extra = (
        '<text:table-of-content><text:index-body><text:p>Contents entry 1</text:p></text:index-body></text:table-of-content>'
        '<text:p text:style-name="Title">Staff notice</text:p>'
        "<text:p>Email<text:s/>the<text:s text:c=\"3\"/>DPO at "
        '<text:a xlink:href="mailto:dpo@school.example">our DPO</text:a>'
        "<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>Footnote</text:p></text:note-body></text:note>"
        " or see <text:a xlink:href=\"https://ico.org.uk/\">the ICO</text:a>.<text:tab/>Thanks."
        "<office:annotation><text:p>Reviewer comment</text:p></office:annotation></text:p>"
        "<text:p><text:span text:style-name=\"P1\">Bold span heading</text:span></text:p>"
        "<text:list><text:list-item><text:p>outer item</text:p><text:list><text:list-item>"
        "<text:p>inner item</text:p></text:list-item></text:list></text:list-item></text:list>"
    )
    blocks = load_file(make_odt(tmp_path / "x.odt", [], extra_body_xml=extra)).blocks
    assert [(b.kind, b.text, b.level) for b in blocks] == [
        (H, "Staff notice", 1),
        (P, "Email the DPO at our DPO (dpo@school.example) or see the ICO (https://ico.org.uk/). Thanks.", 0),
        (H, "Bold span heading", 3),
        (L, "outer item", 0),
        (L, "inner item", 0),
    ]


def test_odt_whose_mimetype_is_a_spreadsheet_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    error = refused(buffer.getvalue(), "sheet.odt")
    assert error.code == "unknown-type"
    assert "spreadsheet" in str(error)


@pytest.mark.parametrize("name", ["bad.docx", "bad.odt"])
def test_damaged_office_files_are_corrupt(tmp_path, name):
    good = make_docx(tmp_path / "g.docx", BLOCKS) if name.endswith("docx") else make_odt(tmp_path / "g.odt", BLOCKS)
    with open(good, "rb") as handle:
        data = handle.read()
    assert refused(data[: len(data) // 2], name).code == "corrupt"  # central directory cut off
    assert refused(b"PK\x03\x04" + b"\x00" * 200, name).code == "corrupt"


def test_docx_with_broken_xml_is_corrupt():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><w:body><w:p>unclosed")
    error = refused(buffer.getvalue(), "broken.docx")
    assert error.code == "corrupt"
    assert "DOCX" in str(error)


def test_odt_with_broken_content_xml_is_corrupt():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODT_TYPE)
        archive.writestr("content.xml", "<office:document-content><unclosed>")
    error = refused(buffer.getvalue(), "broken.odt")
    assert error.code == "corrupt"
    assert "content.xml" in str(error)


def test_odt_entities_are_not_expanded():
    buffer = io.BytesIO()
    body = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        "<text:p>Before &secret; after</text:p></office:text></office:body></office:document-content>"
    )
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODT_TYPE)
        archive.writestr("content.xml", body)
    try:
        text = load_bytes(buffer.getvalue(), "x.odt")
    except UnreadableInput as exc:
        assert exc.code == "corrupt"
    else:
        assert "root:" not in " ".join(b.text for b in text.blocks)


def test_zip_that_is_not_a_document_is_unknown_type():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photos/a.txt", "hello")
    assert refused(buffer.getvalue(), "archive.zip").code == "unknown-type"


@pytest.mark.parametrize("mode", ["ratio", "total"])
def test_zip_bomb_is_refused_before_inflating(tmp_path, mode):
    path = make_zip_bomb_docx(tmp_path / "bomb.docx", mode=mode)
    with open(path, "rb") as handle:
        data = handle.read()
    assert len(data) < 2 * 1024 * 1024  # the file itself is small
    error = refused(data, "bomb.docx")
    assert error.code == "zip-bomb"
    assert "refused" in str(error)


def test_ordinary_word_file_is_read_without_mammoth_or_beautifulsoup(tmp_path):
    # The fast route reads the XML itself: neither library is even imported,
    # which keeps a cold `noticecheck check notice.docx` quick too.
    import subprocess
    import sys

    path = make_docx(tmp_path / "n.docx", BLOCKS)
    script = (
        "import sys\n"
        "from noticecheck.load import to_text\n"
        "from noticecheck.model import Document\n"
        f"data = open({str(path)!r}, 'rb').read()\n"
        "text = to_text(Document(source='n.docx', data=data, filename='n.docx'))\n"
        "print(len(text.blocks), text.notes[0], 'mammoth' in sys.modules, 'bs4' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.split() == [str(len(EXPECTED)), "read", "from", "the", "Word", "XML", "False", "False"]
