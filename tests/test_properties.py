"""Property tests: the pure pipeline never crashes and every finding points inside the notice."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import check_snippet

WORDS = st.sampled_from(
    "We use share keep pupil data information with the local authority DfE retention years GDPR UK "
    "Data Protection Act 1998 rights access complain ICO school census youth support 13 [insert name] "
    "Reviewed September 2019 not never consent withdraw transfer outside automated profiling DPO : ? . , ( ) "
    "£10 40 days Connexions ESFA gsi.gov.uk https://www.gov.uk/x".split()
)
LINES = st.lists(st.lists(WORDS, min_size=0, max_size=25).map(" ".join), min_size=0, max_size=30).map("\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINES)
def test_any_text_gives_a_result_with_findings_inside_the_notice(text):
    result = check_snippet(text or " ")
    if result.status != "checked":
        assert result.error_code in {"empty", "binary"}
        return
    last_line = max(1, text.count("\n") + 1)
    for finding in result.findings:
        assert 1 <= finding.line <= last_line
        assert finding.message and finding.fix and finding.source_link.startswith("https://")
    for section in result.sections.values():
        assert section.present or not section.evidence
        for ev in section.evidence:
            assert 1 <= ev.line <= last_line


@settings(max_examples=60, deadline=None)
@given(LINES)
def test_checking_is_deterministic(text):
    a, b = check_snippet(text or " "), check_snippet(text or " ")
    assert a == b
