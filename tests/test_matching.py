"""The literal pre-filter must never change what matches, only where the regex engine looks."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noticecheck.load import to_text
from noticecheck.matching import compile_matcher, required_literals, required_sets
from noticecheck.model import Document
from noticecheck.rulebook import _matchers, default_rulebook
from noticecheck.sections import all_matches, find_sections, sentence_matches

BOOK = default_rulebook()
MATCHERS = list(_matchers(BOOK.cues, BOOK.rules))

WORDS = st.sampled_from(
    "We share keep retain pupil data information with the local authority Department for Education DfE NHS "
    "rights access erase object portability complain complaint ICO Information Commissioner's Office concern "
    "controller DPO data protection officer outside UK EEA automated decision profiling previous school "
    "receive from census National Pupil Database youth support 13 years age 25 until retention schedule "
    "Article 6(1)(e) 9(2)(g) public task consent withdraw contact office@example.org 01632 960 123 "
    "Data Protection Act 1998 GDPR UK £10 40 days Connexions ESFA gsi.gov.uk [insert name] XXXX reviewed "
    "September 2019 not never : ? . , ( ) - \u2019 İstanbul".split()
)
NOTICE = st.lists(st.lists(WORDS, min_size=1, max_size=30).map(" ".join), min_size=1, max_size=25).map("\n\n".join)


def _analysis(text: str):
    return find_sections(to_text(Document(source="t.txt", data=text.encode(), filename="t.txt")), BOOK.cues)


def _naive_first_per_sentence(matcher, analysis):
    out = []
    for i, s in enumerate(analysis.sentences):
        found = [m for m in (p.regex.search(analysis.joined, s.start, analysis.end_of(i)) for p in matcher.parts) if m]
        if found:
            out.append(min((m.start(), -m.end()) for m in found))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NOTICE)
def test_prefiltered_matching_equals_plain_matching(text):
    analysis = _analysis(text)
    for matcher in MATCHERS:
        got = [(m.start(), -m.end()) for m in sentence_matches(matcher, analysis)]
        assert got == _naive_first_per_sentence(matcher, analysis), matcher.pattern[:80]
        every = sorted((m.start(), m.end()) for m in all_matches(matcher, analysis))
        naive = sorted(
            (m.start(), m.end())
            for p in matcher.parts
            for i, s in enumerate(analysis.sentences)
            for m in p.regex.finditer(analysis.joined, s.start, analysis.end_of(i))
        )
        assert every == naive, matcher.pattern[:80]
        for part in matcher.parts:
            # presence is judged on the text with placeholders blanked ("[insert ...]" proves nothing)
            assert analysis.part_found(part, body_only=False) == bool(part.regex.search(analysis.content)), part.regex.pattern[:80]
            assert analysis.part_found(part, body_only=False, content_only=False) == bool(part.regex.search(analysis.blanked))


def test_required_literals_prefer_rare_words():
    # common words ("we", "data", "with the") filter nothing; the verb does
    source = r"\b(we|the school) (share|pass)s? (data|information) with the (NHS|DfE)\b"
    assert required_literals(source, re.I) == (" pass", " share")
    # and a second set that must hold too, in the same sentence
    assert required_sets(source, re.I)[:2] == [(" pass", " share"), (" with the dfe", " with the nhs")]
    assert required_literals(r"\bretention (schedule|policy)", re.I) == ("retention ",)
    assert required_literals(r"[a-z]+@[a-z]+", re.I) == ("@",)
    assert required_literals(r"\d+", re.I) is None
    matcher = compile_matcher([r"\bfoo\b", r"\d+"], re.I)
    assert [p.anchors for p in matcher.parts] == [("foo",), None]


def test_screened_search_finds_what_the_regex_finds():
    """The pre-filtered whole-text search gives the regex's own first match, on texts with and without its words."""
    from noticecheck.matching import Screened

    patterns = [
        r"\b(GCSEs?|A[- ]levels?|years? (7|8|9|1[0-3])\b|(pupils|students) aged 1[3-9])\b",
        r"\b(academy|free school(?!\s+meals?)|the trust)\b",
        r"\b(welsh government|in wales|cymru)\b",
        r"\bschool\b.*\bfees\b",  # unbounded: searched from the start
    ]
    texts = [
        "Our pupils in Year 6 move on. Students aged 14 sit GCSEs; year 75 is not a year group.",
        "We are a free school meals provider, then an Academy run by The Trust.",
        "No nation named here at all, nor any fees.",
        "The school charges fees. In Wales the Welsh Government...",
        "year 7" * 3,
        "",
    ]
    for pattern in patterns:
        regex = re.compile(pattern, re.IGNORECASE)
        screened = Screened(regex)
        for text in texts:
            got, want = screened.search(text, text.lower()), regex.search(text)
            assert (got and got.span()) == (want and want.span()), (pattern, text)
            assert screened.findall(text, text.lower()) == regex.findall(text)
