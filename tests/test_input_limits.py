"""Limits a real notice never reaches, each with its own clear status (files made by the tests).

A stray NUL byte does not make a notice "binary"; a file of dashes has "no
words" rather than "only whitespace"; a million characters of text is not a
notice ("too-long"); a Word file nested thousands of levels deep is "too
deeply nested", not "damaged".
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from noticecheck.load import MAX_TEXT_CHARACTERS, to_text
from noticecheck.model import Document, UnreadableInput

NOTICE = (Path(__file__).resolve().parent.parent / "corpus" / "notices" / "a01-primary-parents-2016.txt").read_bytes()


def _load(data: bytes, name: str):
    return to_text(Document(source=name, data=data, filename=name))


def _refusal(data: bytes, name: str) -> UnreadableInput:
    with pytest.raises(UnreadableInput) as caught:
        _load(data, name)
    return caught.value


def test_a_stray_nul_byte_does_not_make_a_notice_binary():
    text = _load(NOTICE[:400] + b"\x00" + NOTICE[400:], "notice.txt")
    assert len(text.blocks) > 10


def test_real_binary_data_is_still_binary():
    assert _refusal(bytes(range(256)) * 40, "blob.txt").code == "binary"


def test_a_file_of_dashes_has_no_words():
    refusal = _refusal((b"-" * 400 + b"\n") * 3, "rules.txt")
    assert refusal.code == "empty" and "no words" in str(refusal)
    assert "whitespace" in str(_refusal(b"  \n\t\n", "blank.txt"))


def test_a_million_characters_of_text_is_too_long():
    refusal = _refusal(b"We use your data. " * (MAX_TEXT_CHARACTERS // 18 + 100), "huge.txt")
    assert refusal.code == "too-long"
    assert "more than any privacy notice" in str(refusal)


def _nested_docx(depth: int) -> bytes:
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paragraph = "<w:p><w:r><w:t>Privacy notice</w:t></w:r></w:p>"
    xml = (f'<?xml version="1.0"?><w:document {ns}><w:body>' + "<w:sdt><w:sdtContent>" * depth + paragraph
           + "</w:sdtContent></w:sdt>" * depth + "</w:body></w:document>")  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def test_a_word_file_nested_thousands_deep_says_so():
    refusal = _refusal(_nested_docx(5000), "deep.docx")
    assert refusal.code == "too-deeply-nested"
    assert "RecursionError" not in str(refusal)
    assert _load(_nested_docx(20), "shallow.docx").blocks[0].text == "Privacy notice"


def test_sizes_that_only_cost_are_refused_before_parsing():
    from noticecheck.load import MAX_HTML_BYTES

    page = b"<html><body><h1>Privacy notice</h1>" + b"<p>We use your data.</p>" * (MAX_HTML_BYTES // 24 + 10) + b"</body></html>"
    refusal = _refusal(page, "page.html")
    assert refusal.code == "too-large" and "more than any notice page" in str(refusal)
    assert _refusal(b"We use your data. " * (4 * MAX_TEXT_CHARACTERS // 18 + 10), "huge.txt").code == "too-long"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(encoding):
    data = NOTICE.decode("utf-8").encode(encoding)  # no BOM: encode() with an explicit order writes none
    assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    text = _load(data, "notice.txt")
    assert text.blocks[0].text == _load(NOTICE, "notice.txt").blocks[0].text
    assert any("no BOM" in note for note in text.notes)


def test_a_word_file_whose_text_part_inflates_past_the_limit_says_so():
    from noticecheck.load.zipguard import MAX_TEXT_PART

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    run = "<w:r><w:rPr><w:b/></w:rPr><w:t>We use your data. </w:t></w:r>"
    xml = f'<?xml version="1.0"?><w:document {ns}><w:body><w:p>' + run * (MAX_TEXT_PART // len(run) + 10) + "</w:p></w:body></w:document>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", xml)
    assert len(buffer.getvalue()) < MAX_TEXT_PART // 50  # a small file...
    refusal = _refusal(buffer.getvalue(), "padded.docx")
    assert refusal.code == "too-large-decompressed"  # ...refused from the zip directory, before parsing
    assert str(refusal).startswith("too large when decompressed")
