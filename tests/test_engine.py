"""The rule engine: applicability in context, historical sentences, document-level exemptions, anchors."""

from datetime import date

import pytest

from helpers import check_snippet, rules_fired
from noticecheck.model import Severity

DFE_TEXT = "How we use pupil information\n\nWe share pupils' data with the Department for Education through the school census."


def _finding(result, rule):
    return next(f for f in result.findings if f.rule == rule)


def test_youth_support_needs_pupils_aged_13_plus():
    assert "youth-support-missing" in rules_fired(check_snippet(DFE_TEXT, audience="pupils", age_range=(11, 18)))
    assert "youth-support-missing" not in rules_fired(check_snippet(DFE_TEXT, audience="pupils", age_range=(4, 11)))


def test_unknown_school_type_lowers_severity_instead_of_guessing():
    text = "We use pupil data to support learning."
    known = _finding(check_snippet(text, school_type="academy"), "dpo-missing")
    unknown = _finding(check_snippet(text), "dpo-missing")
    assert known.severity == Severity.ERROR
    assert unknown.severity == Severity.WARNING


def test_unknown_ages_skip_the_13_plus_rule():
    # most English schools are primaries, so a notice that never says its ages is not told it lacks 13+ content
    assert "youth-support-missing" not in rules_fired(check_snippet(DFE_TEXT, audience="pupils"))
    said = DFE_TEXT + "\n\nOur students take GCSEs in Year 11."
    assert "youth-support-missing" in rules_fired(check_snippet(said, audience="pupils"))


def test_dfe_rules_do_not_apply_to_workforce_or_wales():
    staff = check_snippet("We use staff data to pay salaries.", audience="workforce")
    assert not {"npd-missing", "dfe-sharing-missing"} & rules_fired(staff)
    welsh = check_snippet(DFE_TEXT, audience="pupils", jurisdiction="wales")
    assert "npd-missing" not in rules_fired(welsh)


def test_dpo_not_required_of_independent_schools():
    text = "We use pupil data to support learning."
    assert "dpo-missing" in rules_fired(check_snippet(text, school_type="maintained"))
    assert "dpo-missing" not in rules_fired(check_snippet(text, school_type="independent"))


def test_dpa_1998_in_a_historical_sentence_is_not_a_finding():
    historical = "The UK GDPR and the Data Protection Act 2018 replaced the Data Protection Act 1998 in May 2018."
    current = "We process your data in accordance with the Data Protection Act 1998."
    assert "outdated-dpa-1998" not in rules_fired(check_snippet(historical))
    f = _finding(check_snippet(current), "outdated-dpa-1998")
    assert f.kind == "fault" and f.line == 1 and "Data Protection Act 1998" in f.quote


def test_gdpr_is_fine_once_uk_gdpr_is_named():
    assert "outdated-eu-gdpr" in rules_fired(check_snippet("Under the GDPR you have rights."))
    assert "outdated-eu-gdpr" not in rules_fired(check_snippet("Under the UK GDPR you have rights. The GDPR gives you rights."))


def test_educational_record_15_school_days_is_not_an_outdated_sar_term():
    text = "We will give you access to your child's educational record within 15 school days."
    assert "outdated-sar-terms" not in rules_fired(check_snippet(text))
    assert "outdated-sar-terms" in rules_fired(check_snippet("We will reply to a subject access request within 40 days."))


def test_complaints_route_rule_starts_on_19_june_2026():
    text = "You can complain to the Information Commissioner's Office at https://ico.org.uk/make-a-complaint/."
    assert "complaints-route-missing" not in rules_fired(check_snippet(text, as_of=date(2026, 6, 18)))
    assert "complaints-route-missing" in rules_fired(check_snippet(text, as_of=date(2026, 6, 19)))


@pytest.mark.parametrize(
    "footer,stale",
    [
        ("Last reviewed: September 2023", True),
        ("Last reviewed: September 2025", False),
        ("Next review due: September 2027", False),
        ("Next review due: July 2024", True),
        ("This notice was updated to reflect the Data Protection Act 2018.", None),
    ],
)
def test_review_date(footer, stale):
    result = check_snippet(f"We use pupil data to support learning.\n\n{footer}")
    fired = [f for f in result.findings if f.rule == "review-date-stale"]
    if stale is None:  # no real date: reported at info level as "no date"
        assert fired and fired[0].severity == Severity.INFO and fired[0].kind == "missing"
    elif stale:
        assert fired and fired[0].kind == "fault"
    else:
        assert not fired


def test_missing_findings_anchor_on_the_related_heading():
    text = "Privacy notice\n\nHow long we keep information\n\nWe keep records only for as long as necessary, then destroy them."
    f = _finding(check_snippet(text), "retention-period-missing")
    assert f.kind == "missing"
    assert f.line == 3 and f.quote == "How long we keep information"


def test_findings_are_sorted_most_severe_first():
    result = check_snippet("We hold names. The Data Protection Act 1998 applies.")
    severities = [f.severity for f in result.findings]
    assert severities == sorted(severities, reverse=True)


def test_a_line_of_placeholders_is_reported_once():
    text = "Our DPO is [insert name]. Email [DPO email] or call [phone number].\n\nWe use pupil data to support learning.\n"
    hits = [f for f in check_snippet(text).findings if f.rule == "placeholder-text"]
    assert len(hits) == 1 and hits[0].line == 1


def test_independent_schools_get_no_census_or_npd_findings():
    text = "Privacy notice for parents\n\nWe use your child's data to support their learning."
    state = rules_fired(check_snippet(text, audience="parents", school_type="academy"))
    independent = rules_fired(check_snippet(text, audience="parents", school_type="independent"))
    assert {"dfe-sharing-missing", "npd-missing"} <= state
    assert not {"dfe-sharing-missing", "npd-missing"} & independent


def test_unknown_school_type_keeps_census_finding_at_full_severity():
    # most schools are state schools: not knowing the type is no reason to soften the census finding
    findings = check_snippet("We use your child's data to support their learning.", audience="parents").findings
    assert [f.severity for f in findings if f.rule == "dfe-sharing-missing"] == [Severity.ERROR]


def test_variant_fix_follows_the_context():
    text = "We use the data to support learning."
    fix = {s: next(f.fix for f in check_snippet(text, school_type=s).findings if f.rule == "lawful-basis-missing")
           for s in ("independent", "maintained")}
    assert "6(1)(e)" in fix["maintained"] and "6(1)(e)" not in fix["independent"] and "6(1)(b)" in fix["independent"]


def test_user_severity_override_beats_a_variant_severity():
    from noticecheck.api import CheckOptions, check_document
    from noticecheck.model import Document
    from noticecheck.rulebook import default_rulebook

    text = "Our Data Protection Officer (if applicable) can be contacted at dpo@example.org."
    doc = Document(source="n.txt", data=text.encode(), filename="n.txt")
    options = CheckOptions(school_type="academy", as_of=date(2026, 11, 24))
    default = [f.severity for f in check_document(doc, default_rulebook(), options, today=options.as_of).findings if f.rule == "dpo-if-applicable"]
    book = default_rulebook().with_severities({"dpo-if-applicable": "info"})
    overridden = [f.severity for f in check_document(doc, book, options, today=options.as_of).findings if f.rule == "dpo-if-applicable"]
    assert default == [Severity.WARNING] and overridden == [Severity.INFO]
