"""Every rule's fix must be safe to paste into a notice as it stands.

A school business manager copies our fix wording into the draft. So a fix
holds placeholders in square brackets ("[school name]", "[DPO email]") where
the school's own details go, never invented names, addresses or numbers: those
would be published as if real, and would pass our own checks when pasted. It
makes no claim that is often false ("we do not transfer data outside the UK"),
and the wording matches the notice (staff, a primary school, an independent
school). Fixes are checked in every context that picks a different variant.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from helpers import check_snippet, rules_fired
from noticecheck.engine import applicability, with_variant
from noticecheck.model import Context, Text
from noticecheck.rulebook import default_rulebook
from noticecheck.sections import find_sections

BOOK = default_rulebook()
AS_OF = date(2026, 11, 24)

# The contexts in which a rule may pick a different fix, as the engine sees them.
CONTEXTS = {
    "unknown": Context(as_of=AS_OF),
    "primary": Context(as_of=AS_OF, audience="pupils", age_low=4, age_high=11, school_type="maintained"),
    "secondary": Context(as_of=AS_OF, audience="parents", age_low=11, age_high=18, school_type="academy"),
    "independent": Context(as_of=AS_OF, audience="parents", age_low=3, age_high=18, school_type="independent"),
    "workforce": Context(as_of=AS_OF, audience="workforce", school_type="maintained"),
    "governors": Context(as_of=AS_OF, audience="governors", school_type="academy"),
}
_EMPTY = find_sections(Text(source="-", blocks=(), media_type="text/plain"), BOOK.cues)


def fixes(context_name: str) -> list[tuple[str, str]]:
    """(rule id, the fix the engine would give in that context) for every rule that applies there."""
    context = CONTEXTS[context_name]
    chosen = [with_variant(rule, _EMPTY, context) for rule in BOOK.rules]
    return [(rule.id, rule.fix) for rule in chosen if applicability(rule, context)[0] is not None]


ALL_FIXES = sorted({(rid, fix) for name in CONTEXTS for rid, fix in fixes(name)} | {
    (rule.id, variant["fix"].strip()) for rule in BOOK.rules for variant in rule.variants if "fix" in variant
})

# Details that look like someone's real contact details.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w/])(\+44\s?|0)\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}\b")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")
HONORIFIC_NAME = re.compile(r"\b(Mr|Mrs|Ms|Miss|Mx|Dr)\.? [A-Z][a-z]*")
# a date that would pass as the notice's own review date
DATE = re.compile(r"\b(\d{1,2} )?(January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b")
URL_HOST = re.compile(r"https?://([^/\s]+)")
# Real public details a fix may give: the ICO's helpline, and pages of government and the ICO.
REAL_NUMBERS = {"0303 123 1113"}
REAL_HOSTS = re.compile(r"^(www\.)?(gov\.uk|ico\.org\.uk|legislation\.gov\.uk)$")
# Capitalised names a fix may use: public bodies, laws and documents, not an invented school or person.
PROPER_NAME = re.compile(r"(?<![.:!?]\s)(?<!^)\b(?:[A-Z][a-z'’]+|UK|NHS|IRMS|DfE|ICO)(?:\s+(?:of|for|and|the|in|on|to|about)?\s*(?:[A-Z][a-z'’]+|UK|NHS|GDPR|DfE|ICO|\d{4}))+")
PUBLIC_NAMES = re.compile(
    r"^(UK GDPR( Article)?|Data Protection Act 2018|Information About Individual Pupils|(England )?Regulations \d{4}|Skills Funding Agency|IRMS Information Management Toolkit for Schools|Department for Education|Information Commissioner's Office|Information Commissioner|"
    r"Education Act 1996|Education (?:\(.*\) )?Regulations|Learning Records Service|National Pupil Database|Integrated Care Board|"
    r"Schedule \d|Article \d|Part \d|Teaching Regulation Agency|UK Health Security Agency|Office for Health Improvement and Disparities|"
    r"Keeping Children Safe in Education|Information Management Toolkit for Schools|IRMS|NHS|DfE|ICO|Data Privacy Framework|"
    r"Protection of Freedoms Act 2012|Working Together to Safeguard Children|Supply of Information|School Workforce|Education Act 2005|"
    r"International Data Transfer Agreement|UK Addendum|UK Extension|General Data Protection Regulation|UK General Data Protection Regulation|"
    r"Disclosure and Barring Service|Teachers' Pension|Teachers’ Pension|Local Government Pension Scheme|HMRC|"
    r"Data Protection Officer|Your Rights|Contact Us|Subject Access|"
    # closed bodies that outdated-body's fix names in order to replace them
    r"Get Information about Schools|Public Health England|Primary Care Trust|Clinical Commissioning Group|Local Safeguarding Children Board)$"
)


@pytest.mark.parametrize("rule_id,fix", ALL_FIXES, ids=lambda v: v if len(v) < 40 else None)
def test_fix_invents_no_contact_details(rule_id, fix):
    assert not EMAIL.search(fix), f"{rule_id}: an e-mail address in the fix; use a placeholder such as [DPO email]"
    for number in PHONE.finditer(fix):
        assert number.group(0) in REAL_NUMBERS, f"{rule_id}: invented phone number {number.group(0)!r}"
    assert not POSTCODE.search(fix), f"{rule_id}: a postcode in the fix"
    assert not HONORIFIC_NAME.search(fix), f"{rule_id}: a person's name in the fix; use [name] or a role"
    assert not DATE.search(fix), f"{rule_id}: a date in the fix; use [month and year]"
    for host in URL_HOST.findall(fix):
        assert REAL_HOSTS.match(host), f"{rule_id}: link to {host}, not a real public page"
    for name in PROPER_NAME.finditer(fix):
        assert PUBLIC_NAMES.match(name.group(0)), f"{rule_id}: {name.group(0)!r} looks like an invented name"


def _neutral(text: str) -> str:
    """The fix with any concrete contact detail, name or date blanked out."""
    for pattern in (EMAIL, POSTCODE, HONORIFIC_NAME, DATE):
        text = pattern.sub("[detail]", text)
    return PHONE.sub(lambda m: m.group(0) if m.group(0) in REAL_NUMBERS else "[detail]", text)


@pytest.mark.parametrize("context_name", sorted(CONTEXTS))
def test_pasted_fix_passes_no_check_by_an_invented_detail(context_name):
    """Pasted alone into a notice, a fix gets the same findings with its details blanked out:
    nothing it holds (an address, a number) satisfies a check the school has not met."""
    ctx = CONTEXTS[context_name]
    options = dict(audience=ctx.audience, school_type=ctx.school_type, jurisdiction="england",
                   age_range=(ctx.age_low, ctx.age_high) if ctx.age_high else None)
    for rule_id, fix in fixes(context_name):
        pasted = rules_fired(check_snippet(f"Privacy notice\n\n{fix}\n", **options))
        blanked = rules_fired(check_snippet(f"Privacy notice\n\n{_neutral(fix)}\n", **options))
        assert pasted - {"placeholder-text"} == blanked - {"placeholder-text"}, (
            f"{rule_id} ({context_name}): pasting its fix satisfies {sorted(blanked - pasted)} by an invented detail"
        )


@pytest.mark.parametrize("rule_id,fix", [f for f in ALL_FIXES if "[" in f[1]], ids=lambda v: v if len(v) < 40 else None)
def test_unfilled_placeholder_is_caught_when_pasted(rule_id, fix):
    """A fix pasted without filling in its [placeholders] is reported, never passed silently."""
    result = check_snippet(f"Privacy notice\n\n{fix}\n")
    assert "placeholder-text" in rules_fired(result), f"{rule_id}: its placeholders are not caught by placeholder-text"


OFTEN_FALSE = re.compile(
    r"\bwe do not (transfer|send|store|use profiling|use automated|make (any )?decisions)|\bwe do not use (any )?profiling\b|"
    r"\b(no|none of the) (data|information) (leaves|is transferred outside)",
    re.I,
)


@pytest.mark.parametrize("rule_id,fix", ALL_FIXES, ids=lambda v: v if len(v) < 40 else None)
def test_fix_makes_no_claim_that_is_often_false(rule_id, fix):
    assert not OFTEN_FALSE.search(fix), f"{rule_id}: the fix states as fact something many schools cannot say"


MISSING_KINDS = {"section-missing", "absent", "missing-items"}


def test_primary_school_fixes_say_nothing_only_older_pupils_need():
    """What a primary school is told to add (rules about something missing) fits a primary school."""
    for rule_id, fix in fixes("primary"):
        if BOOK.get(rule_id).check["kind"] not in MISSING_KINDS:
            continue
        assert not re.search(r"\b25\b|exam(ination)? boards?|Learning Records Service|unique learner number|youth support", fix, re.I), (
            f"{rule_id}: a primary school is told {fix!r}"
        )


def test_independent_school_is_not_offered_what_only_state_schools_have():
    """No public task, and none of the state-school data (free school meals, the school census)."""
    for rule_id, fix in fixes("independent"):
        assert not re.search(r"public task|6\(1\)\(e\)|task (carried out )?in the public interest", fix, re.I), f"{rule_id}: {fix!r}"
        assert not re.search(r"free school meal|school census|unique pupil number", fix, re.I), f"{rule_id}: {fix!r}"


def test_independent_prep_school_is_not_told_about_exam_boards():
    prep = Context(as_of=AS_OF, audience="parents", age_low=3, age_high=11, school_type="independent")
    for rule in BOOK.rules:
        fix = with_variant(rule, _EMPTY, prep).fix
        assert not re.search(r"exam(ination)? boards?", fix, re.I), f"{rule.id}: {fix!r}"


def test_workforce_fixes_are_worded_for_staff():
    for rule_id, fix in fixes("workforce"):
        rule = BOOK.get(rule_id)
        if rule.pack == "gdpr":
            assert not re.search(r"\bpupils?\b|\bchild(ren)?\b|\bparents?\b", fix, re.I), f"{rule_id}: a workforce notice is told {fix!r}"


def test_governance_fixes_are_worded_for_governors():
    for rule_id, fix in fixes("governors"):
        rule = BOOK.get(rule_id)
        if rule.pack == "gdpr":
            assert not re.search(r"\bpupils?\b|\bchild(ren)?\b|\bparents?\b|\bemploy", fix, re.I), f"{rule_id}: a governance notice is told {fix!r}"
