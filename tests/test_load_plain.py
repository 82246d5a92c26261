"""Plain text and Markdown: headings inferred from layout, lists, wrapped lines, line numbers, encodings."""

from __future__ import annotations

import codecs
import textwrap

import pytest

from noticecheck.load import to_text
from noticecheck.model import BlockKind, Document, UnreadableInput

H, P, L = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM


def load(text: str, name: str = "notice.txt"):
    return to_text(Document(source=name, data=textwrap.dedent(text).encode("utf-8"), filename=name))


def shape(text: str, name: str = "notice.txt") -> list[tuple[BlockKind, str]]:
    return [(b.kind, b.text) for b in load(text, name).blocks]


def headings(text: str) -> list[str]:
    return [b.text for b in load(text).blocks if b.is_heading]


def test_web_export_layout_short_lines_become_headings():
    blocks = shape(
        """\
         Privacy Notice - How we use information about pupils

        Why does the school gather information about pupils

        We collect pupil information under the Education Act 1996. We use it for teaching.

        Keeping pupil records safe
        Oakfield Academy keeps information about pupils on computer systems and on paper.

        Which organisations receive pupil records?

        Pupil records regularly go to the following bodies:

        · the next school a pupil moves to
        · the county council
        ·the Department for Education (DfE)
        """
    )
    assert blocks == [
        (H, "Privacy Notice - How we use information about pupils"),
        (H, "Why does the school gather information about pupils"),
        (P, "We collect pupil information under the Education Act 1996. We use it for teaching."),
        (H, "Keeping pupil records safe"),
        (P, "Oakfield Academy keeps information about pupils on computer systems and on paper."),
        (H, "Which organisations receive pupil records?"),
        (P, "Pupil records regularly go to the following bodies:"),
        (L, "the next school a pupil moves to"),
        (L, "the county council"),
        (L, "the Department for Education (DfE)"),
    ]


def test_title_is_level_1_and_inferred_headings_level_2():
    text = load("Privacy notice for parents\n\nWhat we collect\n\nNames and addresses of parents are kept.\n")
    assert [(b.text, b.level) for b in text.blocks if b.is_heading] == [
        ("Privacy notice for parents", 1),
        ("What we collect", 2),
    ]
    assert text.title == "Privacy notice for parents"


def test_long_question_is_a_heading_but_long_statement_is_not():
    found = headings(
        """\
        Why do we need to collect and keep this information about you and your family at all?

        We need it to run the school and meet our duties under education law.

        Once a student starts courses leading to qualifications at fourteen a learner number arrives

        More text follows here in a sentence.
        """
    )
    assert found == ["Why do we need to collect and keep this information about you and your family at all?"]


def test_no_headings_at_all():
    blocks = load(
        """\
        We collect information about pupils so that we can teach them well and keep them safe.

        We share information with the local authority and the Department for Education when the law says so.

        You can ask for a copy of the information we hold about you by writing to the school office.
        """
    ).blocks
    assert [b.kind for b in blocks] == [P, P, P]


def test_all_caps_lines_are_headings_but_postcodes_are_not():
    blocks = shape(
        """\
        PRIVACY NOTICE

        Pupils in secondary schools and alternative provision

        WHO WE SHARE DATA WITH
        We share data with the DfE.

        Write to: Oak School, 1 High Street, Anytown
        AB1 2CD
        """
    )
    assert (H, "PRIVACY NOTICE") in blocks
    assert (H, "WHO WE SHARE DATA WITH") in blocks
    assert (H, "Pupils in secondary schools and alternative provision") in blocks
    assert (H, "AB1 2CD") not in blocks


def test_short_colon_line_is_a_heading_long_one_introduces_a_list():
    blocks = shape(
        """\
        Contact:
        If you have a concern, please write to the data protection officer.

        The information helps our teachers to:

        - plan lessons
        - check progress
        """
    )
    assert blocks[0] == (H, "Contact:")
    assert (P, "The information helps our teachers to:") in blocks
    assert blocks[-2:] == [(L, "plan lessons"), (L, "check progress")]


def test_hard_wrapped_paragraphs_are_joined_and_not_mistaken_for_headings():
    text = """\
    How the school uses pupil information

    Our school gathers information about pupils because section 537A of the
    Education Act 1996 requires census returns and the Children Act 1989 asks
    us to keep children safe. The Data Protection Act 2018 and the UK General
    Data Protection Regulation also apply, and their articles on lawful use set
    out which basis we rely on for each kind of record we keep about pupils.

    Keeping records

    Records are stored safely for the periods listed in our retention schedule,
    which follows national guidance written for schools in England. You can read
    the schedule on our website, or you can ask at the school office, where a
    printed copy is kept for anybody who wants to read it during opening hours.
    """
    blocks = load(text).blocks
    assert [b.kind for b in blocks] == [H, P, H, P]
    assert blocks[1].text.startswith("Our school gathers information about pupils because section 537A of the Education Act 1996")
    assert blocks[1].text.endswith("each kind of record we keep about pupils.")
    assert "Data Protection Act 2018 and the UK General" in blocks[1].text
    assert [b.line for b in blocks] == [1, 3, 9, 11]


def test_wrapped_line_starting_lower_case_continues_the_paragraph():
    blocks = shape(
        """\
        The department explains how it shares research data on this page:
        https://www.gov.uk/data-protection-how-we-collect-and-share-research-data

        Requesting access
        """
    )
    assert blocks[0] == (
        P,
        "The department explains how it shares research data on this page: "
        "https://www.gov.uk/data-protection-how-we-collect-and-share-research-data",
    )


def test_hyphen_at_line_end_keeps_the_word_whole():
    blocks = load("We care about pupil well-\nbeing and their safety at school.\n").blocks
    assert blocks[0].text == "We care about pupil well-being and their safety at school."


@pytest.mark.parametrize("marker", ["-", "*", "•", "·", "○", "▪", "–", "o", "1.", "2)", "a)", "(i)"])
def test_bullet_markers_are_stripped(marker):
    blocks = load(f"We use data to:\n\n{marker} support learning\n{marker} keep pupils safe\n").blocks
    assert [(b.kind, b.text) for b in blocks[1:]] == [(L, "support learning"), (L, "keep pupils safe")]


def test_numbered_heading_versus_numbered_list():
    blocks = shape(
        """\
        1. Who we are
        Oak School is the data controller for the information in this notice.

        2. What we collect

        We collect:
        1. names
        2. addresses

        3. WHO WE SHARE IT WITH
        """
    )
    assert blocks[0] == (H, "1. Who we are")
    assert (H, "2. What we collect") in blocks
    assert blocks[-3:] == [(L, "names"), (L, "addresses"), (H, "3. WHO WE SHARE IT WITH")]


def test_address_block_is_paragraphs_not_headings():
    blocks = load(
        """\
        If you would like to discuss anything in this notice, please contact:

        Jane Example
        Oak School
        1 High Street
        Anytown
        AB1 2CD
        """
    ).blocks
    assert not any(b.is_heading for b in blocks)
    assert [b.text for b in blocks[1:]] == ["Jane Example", "Oak School", "1 High Street", "Anytown", "AB1 2CD"]


def test_list_that_lost_its_bullets_after_a_colon():
    blocks = shape("We share pupil data with:\nOur local authority\nThe Department for Education\nThe NHS school nursing team\n")
    assert blocks[1:] == [
        (L, "Our local authority"),
        (L, "The Department for Education"),
        (L, "The NHS school nursing team"),
    ]


def test_contact_detail_lines_are_not_headings():
    blocks = shape("Write to us.\n\nEmail: office@oak.sch.uk\n\nTelephone: 01234 567890\n\nhttps://oak.sch.uk/privacy\n")
    assert all(kind is P for kind, _ in blocks)


def test_markdown_headings_links_and_emphasis():
    text = load(
        """\
        # Privacy notice

        Intro with a [link to the ICO](https://ico.org.uk/make-a-complaint/) and <https://www.gov.uk/dfe>.

        Setext heading
        --------------

        We **North Herts Academy** collect *some* data. Mail <dpo@example.org>.

        **Your rights**

        ## Who we share with ##
        """,
        name="notice.md",
    )
    assert text.media_type == "text/markdown"
    assert [(b.kind, b.text, b.level) for b in text.blocks] == [
        (H, "Privacy notice", 1),
        (P, "Intro with a link to the ICO (https://ico.org.uk/make-a-complaint/) and https://www.gov.uk/dfe.", 0),
        (H, "Setext heading", 2),
        (P, "We North Herts Academy collect some data. Mail dpo@example.org.", 0),
        (H, "Your rights", 2),
        (H, "Who we share with", 2),
    ]


def test_line_numbers_point_at_the_original_lines():
    source = "\n\nTitle of the notice\n\n\nFirst paragraph here.\n\n- item one\n- item two\n\n\nLast words.\n"
    blocks = load(source).blocks
    lines = source.split("\n")
    for block in blocks:
        assert block.text.split()[-1] in lines[block.line - 1]
    assert [b.line for b in blocks] == [3, 6, 8, 9, 12]


def test_crlf_and_cr_line_endings_count_like_editors():
    blocks = load("Heading one\r\n\r\nText here.\r\n\r\nMore text.\r\n").blocks
    assert [b.line for b in blocks] == [1, 3, 5]
    blocks = to_text(Document("x.txt", b"Heading one\r\rText here.\r", filename="x.txt")).blocks
    assert [b.line for b in blocks] == [1, 3]


def test_whitespace_is_normalised():
    blocks = load("Some   text\twith \u00a0 odd\u200b spacing .\n").blocks
    assert blocks[0].text == "Some text with odd spacing ."


def test_cp1252_text_decodes_curly_quotes_and_pounds():
    data = "We don\u2019t charge \u00a310 for a copy of \u201cyour\u201d data.\n".encode("cp1252")
    text = to_text(Document("n.txt", data, filename="n.txt"))
    assert text.blocks[0].text == "We don\u2019t charge \u00a310 for a copy of \u201cyour\u201d data."
    assert "decoded as cp1252" in text.notes


@pytest.mark.parametrize("codec,bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_utf16_with_bom(codec, bom):
    data = bom + "Privacy notice\n\nWe don\u2019t charge \u00a310.\n".encode(codec)
    text = to_text(Document("n.txt", data, filename="n.txt"))
    assert [b.text for b in text.blocks] == ["Privacy notice", "We don\u2019t charge \u00a310."]
    assert text.notes == (f"decoded as {codec} (BOM)",)


def test_utf8_bom_is_not_part_of_the_text():
    text = to_text(Document("n.txt", codecs.BOM_UTF8 + "Privacy notice\n".encode(), filename="n.txt"))
    assert text.blocks[0].text == "Privacy notice"
    assert text.blocks[0].line == 1


def test_whitespace_only_file_is_empty():
    with pytest.raises(UnreadableInput) as caught:
        to_text(Document("n.txt", b" \n\t\n \r\n", filename="n.txt"))
    assert caught.value.code == "empty"


def test_sentences_that_lost_their_full_stop_and_labels_are_not_headings():
    found = headings(
        """\
        Our contact details

        We will review this notice every year

        Data Protection Officer: Mrs J Example

        PLEASE READ THIS NOTICE CAREFULLY.

        Date reviewed: 12/02/2025

        March 2025

        Last updated April 2013

        Privacy Notice: How we use pupil information
        """
    )
    assert found == ["Our contact details", "Privacy Notice: How we use pupil information"]


def test_markdown_comments_are_not_notice_text():
    from noticecheck.load import to_text
    from noticecheck.model import Document

    md = b"# Notice\n\n<!-- noticecheck: disable=dpo-missing -- we are an independent school -->\nWe use data.\n<!-- an author's\nnote over lines -->\nMore text <!-- inline --> here.\n"
    text = to_text(Document(source="n.md", data=md, filename="n.md"))
    joined = " ".join(b.text for b in text.blocks)
    assert "independent" not in joined and "author" not in joined and "inline" not in joined
    assert "More text" in joined and "here." in joined
    assert next(b for b in text.blocks if b.text.startswith("More text")).line == 7


def test_a_markdown_link_wrapped_over_two_lines_reads_as_its_text():
    """Text saved from a page wraps lines anywhere, also inside "[text](url)"; the link is still read
    as a link, not left as a bracketed slot that looks like a template placeholder."""
    from helpers import check_snippet, rules_fired

    notice = (
        "We are required by law to pass some information about pupils to our [local\n"
        "authority](https://www.example-council.gov.uk/) and to the Department for Education.\n"
    )
    result = check_snippet(notice)
    joined = " ".join(b.text for b in load(notice).blocks)
    assert "local authority (https://www.example-council.gov.uk/)" in joined and "[" not in joined
    assert "placeholder-text" not in rules_fired(result)


def _all_caps_by_letters(text: str) -> bool:
    """The definition: at least four letters, every one a capital, and a word of three letters or more."""
    import re

    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 4 or any(not ch.isupper() for ch in letters):
        return False
    return any(len(word) >= 3 for word in re.findall(r"[^\W\d_]+", text))


def test_is_all_caps_quick_reject_keeps_the_definition():
    # is_all_caps first rejects any line that upper-casing changes; that must never change an answer
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from noticecheck.load.plain import is_all_caps

    alphabet = st.sampled_from(list("abzABZ019 .:-'\u00df\u01c5\u01c6\u01c4\ufb01\u00e9\u00c9\u00aa\u0131\u0130\u017f\u03a3\u2160"))

    @settings(max_examples=400, deadline=None)
    @given(st.text(alphabet, max_size=24))
    def agree(text):
        assert is_all_caps(text) == _all_caps_by_letters(text)

    agree()
    assert is_all_caps("PRIVACY NOTICE") and not is_all_caps("Privacy notice") and not is_all_caps("ME14 1XQ")
