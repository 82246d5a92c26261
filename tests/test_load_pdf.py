"""PDF: real files made with fpdf2/pypdf, read back through pypdfium2."""

from __future__ import annotations

import pytest

from fixtures_make import make_encrypted_pdf, make_image_only_pdf, make_pdf
from noticecheck.load import to_text
from noticecheck.model import BlockKind, Document, UnreadableInput

H, P, L = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM

LONG = (
    "Our census returns are made under section 537A of the Education Act 1996 and we comply "
    "with Article 6(1)(c) of the UK GDPR. This paragraph is long enough to wrap over several lines of the "
    "page, so the loader has to join the lines back into one paragraph."
)
SECOND = (
    "We hold pupil data securely for the time set out in our retention schedule, which follows the IRMS "
    "toolkit for schools, and then destroy it safely."
)
BLOCKS = [
    ("h1", "Privacy notice for pupils"),
    ("h2", "Why do we collect pupil data?"),
    ("p", LONG),
    ("p", "We use the pupil data to:"),
    ("li", "support pupil learning"),
    ("li", "monitor and report on pupil progress and tell parents about it in the termly report that goes home"),
    ("h2", "Storing pupil data"),
    ("p", SECOND),
    ("bold", "Contact us"),
    ("p", "Write to the school office."),
]


def load_file(path) -> object:
    with open(path, "rb") as handle:
        return to_text(Document(source=str(path), data=handle.read(), filename=str(path)))


@pytest.fixture(scope="module")
def notice_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "notice.pdf"
    return make_pdf(path, BLOCKS, header="Oak School privacy notice 2026", page_numbers=True, page_break_before=[6])


def test_pdf_blocks_follow_the_document(notice_pdf):
    text = load_file(notice_pdf)
    assert text.media_type == "application/pdf"
    assert [(b.kind, b.text) for b in text.blocks] == [
        (H, "Privacy notice for pupils"),
        (H, "Why do we collect pupil data?"),
        (P, LONG),
        (P, "We use the pupil data to:"),
        (L, "support pupil learning"),
        (L, "monitor and report on pupil progress and tell parents about it in the termly report that goes home"),
        (H, "Storing pupil data"),
        (P, SECOND),
        (H, "Contact us"),
        (P, "Write to the school office."),
    ]


def test_pdf_heading_levels_follow_font_size(notice_pdf):
    levels = [(b.text, b.level) for b in load_file(notice_pdf).blocks if b.is_heading]
    assert levels[0] == ("Privacy notice for pupils", 1)
    assert levels[1] == ("Why do we collect pupil data?", 2)
    assert levels[2] == ("Storing pupil data", 2)


def test_running_header_and_page_numbers_are_dropped(notice_pdf):
    text = load_file(notice_pdf)
    joined = " ".join(b.text for b in text.blocks)
    assert "Oak School privacy notice 2026" not in joined
    assert "Page 1" not in joined and "of 2" not in joined
    assert any("header/footer" in note for note in text.notes)


def test_line_numbers_count_lines_of_the_extracted_text(notice_pdf):
    import pypdfium2

    pdf = pypdfium2.PdfDocument(notice_pdf)
    lines = []
    for page in pdf:
        lines.extend(page.get_textpage().get_text_range().replace("\r\n", "\n").split("\n"))
    pdf.close()
    for block in load_file(notice_pdf).blocks:
        first_words = " ".join(block.text.split()[:2])
        assert lines[block.line - 1].lstrip("• ").startswith(first_words), (block, lines[block.line - 1])


def test_wrapped_title_stays_one_heading(tmp_path):
    title = "Privacy notice for pupils, parents, carers and everybody else who would like to know about it"
    path = make_pdf(tmp_path / "t.pdf", [("h1", title), ("p", LONG)])
    blocks = load_file(path).blocks
    assert (blocks[0].kind, blocks[0].text) == (H, title)


def test_encrypted_pdf_is_refused_with_its_own_code(tmp_path):
    with pytest.raises(UnreadableInput) as caught:
        load_file(make_encrypted_pdf(tmp_path / "locked.pdf"))
    assert caught.value.code == "encrypted"
    assert str(caught.value) == "encrypted PDF: remove the password and try again"


def test_scanned_pdf_without_text_layer(tmp_path):
    with pytest.raises(UnreadableInput) as caught:
        load_file(make_image_only_pdf(tmp_path / "scan.pdf"))
    assert caught.value.code == "no-text-layer"
    assert "OCR" in str(caught.value)


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n% truncated right after the header", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n"],
)
def test_broken_pdf_is_corrupt(data):
    with pytest.raises(UnreadableInput) as caught:
        to_text(Document("broken.pdf", data, filename="broken.pdf"))
    assert caught.value.code == "corrupt"
    assert str(caught.value).startswith("damaged PDF")


def test_truncated_real_pdf_is_corrupt_or_readable_never_a_crash(notice_pdf):
    with open(notice_pdf, "rb") as handle:
        data = handle.read()
    for cut in (len(data) // 3, len(data) // 2, len(data) - 10):
        try:
            to_text(Document("cut.pdf", data[:cut], filename="cut.pdf"))
        except UnreadableInput as exc:
            assert exc.code in ("corrupt", "no-text-layer")


def test_pdf_sniffed_by_content_whatever_the_name(notice_pdf):
    with open(notice_pdf, "rb") as handle:
        data = handle.read()
    assert to_text(Document("download", data, filename="download.txt")).media_type == "application/pdf"


# -- PDF bombs: refused before PDFium inflates them -------------------------------


def test_a_pdf_bomb_is_refused_before_it_is_inflated(tmp_path):
    import resource

    from fixtures_make import make_pdf_bomb

    from noticecheck.load.pdfguard import MAX_DECOMPRESSED

    path = make_pdf_bomb(tmp_path / "bomb.pdf", inflated_mib=MAX_DECOMPRESSED // (1 << 20) + 50)
    data = open(path, "rb").read()
    assert len(data) < 1 << 20  # a small file...
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(UnreadableInput) as caught:
        to_text(Document(source=path, data=data, filename="bomb.pdf"))
    assert caught.value.code == "too-large-decompressed"
    assert str(caught.value).startswith("too large when decompressed")
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 64 * 1024  # ...that never cost the 150 MiB it claims (peak RSS, KiB)


def test_a_pdf_just_under_the_limit_is_still_read(tmp_path):
    from fixtures_make import make_pdf_bomb

    path = make_pdf_bomb(tmp_path / "padded.pdf", inflated_mib=8)
    text = load_file(path)
    assert text.blocks[0].text == "Privacy notice for pupils"


def test_a_pdf_bomb_in_a_directory_costs_only_its_own_result(tmp_path):
    import json
    import subprocess
    import sys

    from fixtures_make import make_pdf_bomb

    make_pdf_bomb(tmp_path / "bomb.pdf", inflated_mib=150)
    (tmp_path / "notice.txt").write_text("Privacy notice\n\nWe are the data controller for your information.\n")
    command = [sys.executable, "-c", "from noticecheck.cli import main; main()", "check", "--isolated", "--format", "json", str(tmp_path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    documents = {d["source"].rsplit("/", 1)[-1]: d for d in json.loads(done.stdout)["documents"]}
    assert documents["bomb.pdf"]["error"]["code"] == "too-large-decompressed"
    assert documents["notice.txt"]["status"] == "checked"
