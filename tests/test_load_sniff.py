"""Sniffing, size cap and bad input: every refusal has its code and a readable message."""

from __future__ import annotations

import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixtures_make import make_docx, make_odt, make_pdf
from noticecheck.load import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, sniff, to_text
from noticecheck.model import Document, Text, UnreadableInput

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"


def doc(data: bytes, name: str | None = None, media_type: str | None = None) -> Document:
    return Document(source=name or "-", data=data, filename=name, media_type=media_type)


def code_of(document: Document, **kwargs) -> str:
    with pytest.raises(UnreadableInput) as caught:
        to_text(document, **kwargs)
    message = str(caught.value)
    assert message and "\n" not in message  # one clear line
    return caught.value.code


def test_supported_suffixes_and_default_cap():
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".odt")
    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024


@pytest.mark.parametrize(
    "data,name,hint,expected",
    [
        (b"Just text.", "a.txt", None, "text/plain"),
        (b"# Title", "a.md", None, "text/markdown"),
        (b"# Title", "a.markdown", None, "text/markdown"),
        (b"<p>x</p>", "a.htm", None, "text/html"),
        (b"Plain words only.", "page.html", None, "text/html"),  # the name decides for text content
        (b"<!DOCTYPE html><p>x</p>", "a.txt", None, "text/html"),  # an HTML document is HTML whatever its name
        (b"  <html><body>x</body></html>", None, None, "text/html"),
        (b"<div><p>a</p><p>b</p></div>", None, None, "text/html"),  # fragment, no name
        (b"<div><p>a</p><p>b</p></div>", "notes.txt", None, "text/plain"),  # but a .txt keeps its tags as text
        (b"Words", None, "text/html; charset=utf-8", "text/html"),  # the hint is used when nothing else says
        (b"Words", "a.txt", "text/html", "text/plain"),  # the name beats the hint
        (b"Words", None, "text/markdown", "text/markdown"),
        (b"Words", None, None, "text/plain"),
        (b"%PDF-1.4 rest", "a.txt", "text/html", "application/pdf"),  # magic beats name and hint
        (b"Words", "https://x.example/notice.md?v=2#top", None, "text/markdown"),
    ],
)
def test_sniff(data, name, hint, expected):
    assert sniff(Document(source=name or "-", data=data, filename=None, media_type=hint)) == expected


def test_sniff_office_files_by_content(tmp_path):
    with open(make_docx(tmp_path / "a.docx", [("p", "x")]), "rb") as handle:
        assert sniff(doc(handle.read(), "renamed.bin")) == DOCX
    with open(make_odt(tmp_path / "a.odt", [("p", "x")]), "rb") as handle:
        assert sniff(doc(handle.read(), None)) == ODT


def test_empty_file():
    assert code_of(doc(b"", "n.txt")) == "empty"


@pytest.mark.parametrize("name", ["n.txt", None, "n.md", "n.html"])
def test_binary_garbage(name):
    rng = random.Random(7)
    garbage = bytes(rng.randrange(256) for _ in range(4096))
    assert code_of(doc(garbage, name)) == "binary"
    assert code_of(doc(b"text\x00with\x00nuls", name)) == "binary"
    assert code_of(doc(b"\x01\x02\x03\x04\x05 control soup \x06\x07\x08\x0e\x0f\x10\x11\x12", name)) == "binary"


def test_unknown_type_for_unsupported_extension_and_unrecognised_content():
    garbage = os.urandom(2048).replace(b"%PDF", b"xxxx")
    assert code_of(doc(b"\x00" + garbage, "photo.xyz")) == "unknown-type"


def test_unsupported_extension_is_refused_even_when_the_content_is_text():
    with pytest.raises(UnreadableInput) as caught:
        to_text(doc(b"We use pupil data to support learning.", "notes.xyz"))
    assert caught.value.code == "unknown-type" and "'.xyz'" in str(caught.value)
    # a web page with an odd path but a media type, and stdin with no name, are sniffed instead
    page = Document(source="https://x/p.aspx", data=b"We use pupil data.", filename="p.aspx", media_type="text/plain")
    assert to_text(page).blocks
    assert to_text(doc(b"We use pupil data.", None)).blocks


@pytest.mark.parametrize(
    "data,fragment",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), ".doc"),
        (b"{\\rtf1\\ansi Hello}", "RTF"),
        (b"\x89PNG\r\n\x1a\n" + bytes(50), "PNG"),
        (b"\xff\xd8\xff\xe0" + bytes(50), "JPEG"),
    ],
)
def test_recognised_foreign_formats_are_named(data, fragment):
    with pytest.raises(UnreadableInput) as caught:
        to_text(doc(data, "notice.docx"))
    assert caught.value.code == "unknown-type"
    assert fragment in str(caught.value)


def test_binary_content_behind_a_document_name_is_corrupt():
    assert code_of(doc(b"\x00\x01\x02" * 100, "notice.pdf")) == "corrupt"
    assert code_of(doc(b"\x00\x01\x02" * 100, "notice.docx")) == "corrupt"


def test_too_large_is_checked_before_decoding_and_says_how_to_raise_it():
    document = doc(b"%PDF-1.4 not even a real pdf" + b"x" * 2000, "big.pdf")
    with pytest.raises(UnreadableInput) as caught:
        to_text(document, max_bytes=1024)
    assert caught.value.code == "too-large"
    assert "--max-bytes" in str(caught.value)
    assert "1 KiB" in str(caught.value)


def test_cap_is_inclusive():
    assert isinstance(to_text(doc(b"x" * 100, "n.txt"), max_bytes=100), Text)


def test_real_files_of_every_format_load(tmp_path):
    blocks = [("h1", "Privacy notice"), ("p", "We collect names and addresses of pupils.")]
    made = [
        make_pdf(tmp_path / "n.pdf", blocks),
        make_docx(tmp_path / "n.docx", blocks),
        make_odt(tmp_path / "n.odt", blocks),
    ]
    for path in made:
        with open(path, "rb") as handle:
            text = to_text(doc(handle.read(), os.path.basename(path)))
        assert [b.text for b in text.blocks] == ["Privacy notice", "We collect names and addresses of pupils."]


_NAMES = st.sampled_from([None, "n.txt", "n.md", "n.html", "n.pdf", "n.docx", "n.odt", "n.xyz", "n"])
_PREFIXES = st.sampled_from(
    [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"PK\x05\x06" + bytes(18), b"<html><body>", b"\xff\xfe", b"\xfe\xff",
     b"\xef\xbb\xbf", b"# Title\n\n", b"<!doctype html>", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]  # fmt: skip
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=_PREFIXES, body=st.binary(max_size=2048), name=_NAMES)
def test_any_bytes_give_text_or_unreadable_input(prefix, body, name):
    try:
        result = to_text(doc(prefix + body, name))
    except UnreadableInput as exc:
        assert exc.code in {"empty", "binary", "unknown-type", "encrypted", "no-text-layer", "corrupt", "zip-bomb"}
        assert str(exc)
    else:
        assert isinstance(result, Text)
        assert result.blocks
        assert all(b.text and b.text == " ".join(b.text.split()) and b.line >= 1 for b in result.blocks)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=1500), name=st.sampled_from(["n.txt", "n.md", "n.html", None]))
def test_any_unicode_text_gives_text_or_empty(text, name):
    try:
        result = to_text(doc(text.encode("utf-8"), name))
    except UnreadableInput as exc:
        assert exc.code in {"empty", "binary"}
    else:
        assert all(b.line >= 1 for b in result.blocks)
