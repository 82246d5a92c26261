"""A notice whose page lost its line breaks: headings that run into sentences are split out again.

The texts here are written for the test; the real-notice floors for flattened
text are in tests/test_realnotices_eval.py.
"""

from __future__ import annotations

from helpers import check_snippet, present
from noticecheck.model import Block, BlockKind, Text
from noticecheck.rulebook import default_rulebook
from noticecheck.sections import _split_run_on_headings

CUES = default_rulebook().cues
FILLER = "Thank you for reading this notice about how our school looks after information. " * 4


def headings_of(paragraph: str) -> list[str]:
    text = Text("n.txt", (Block(BlockKind.PARAGRAPH, paragraph, 1),), "text/plain")
    return [b.text for b in _split_run_on_headings(text, CUES).blocks if b.is_heading]


def test_a_heading_run_into_the_next_sentence_is_split_out():
    found = headings_of(
        FILLER + "The lawful basis on which we use this information We rely on Article 6(1)(e), public task, "
        "because the Education Act 1996 requires us to keep pupil records."
    )
    assert found == ["The lawful basis on which we use this information"]


def test_a_title_case_heading_is_split_where_the_sentence_starts_in_lower_case():
    found = headings_of(FILLER + "How Long We Keep Information We keep pupil files until the pupil is 25, then destroy them.")
    assert found == ["How Long We Keep Information"]


def test_a_sentence_that_only_lost_its_full_stop_is_not_taken_for_a_heading():
    # "is" makes it a statement; the capital after it is a name
    assert headings_of(FILLER + "Our data protection officer is Mrs Amira Khan We can be reached at the office.") == []
    # ends on a word that needs more after it
    assert headings_of(FILLER + "Our lawful basis for processing is Public Task under Article 6(1)(e) of the UK GDPR.") == []
    # a pointer to a web page is not a heading
    assert headings_of(FILLER + "Find out why at https://www.gov.uk/education Why we share it We share it by law.") == []


def test_short_paragraphs_kept_their_line_breaks_and_are_left_alone():
    assert headings_of("Why we collect and use pupil information We collect it to support learning.") == []


def test_a_flattened_notice_no_longer_counts_a_lead_in_whose_list_was_lost():
    flat = (
        FILLER + "The kinds of pupil information we hold and pass on include: "
        "The lawful basis on which we use this information We collect and use pupil information "
        "under Article 6(1)(e) of the UK GDPR, as a public task."
    )
    assert "categories" not in present(check_snippet(flat))
    assert "lawful_basis" in present(check_snippet(flat))


def test_a_lead_in_followed_by_another_lead_in_lost_its_list():
    flat = (
        FILLER + "We might keep the following categories of personal information about you: "
        "We might also keep the following more sensitive kinds of personal information: "
        "Why we collect and use this information We use it to support your child's learning."
    )
    assert "categories" not in present(check_snippet(flat))


def test_a_lead_in_with_its_list_run_in_still_counts():
    flat = (
        FILLER + "The categories of pupil information that we process include: name, address, date of birth, "
        "attendance and reasons for absence, assessment results, medical conditions and behaviour records "
        "Why we collect and use pupil information We use pupil information to support learning."
    )
    assert "categories" in present(check_snippet(flat))


def test_splitting_grows_linearly_with_the_paragraph():
    """Many colons, boundaries or would-be headings in one paragraph cost linear time, not quadratic."""
    from test_pattern_growth import assert_grows_like_prose

    for unit in ("We keep: ", "a. Why we share it We ", "x: Y ", "The lawful basis We "):
        assert_grows_like_prose(lambda text: headings_of(text), unit, 8_000)
