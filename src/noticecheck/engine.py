"""Run the rulebook over an analysed notice: `Analysis` + `Context` -> `Finding`s. Pure.

Rules are data; this module knows only the handful of check kinds the rule
schema allows (pattern, absent, missing-items, stale-date, reading-age) and
how a rule's `applies_to` meets the context. Every kind takes the same
document-wide `when` and `unless` conditions (a section present, a pattern
or phrase found), checked here before the kind runs. A pattern check can
also ask for a second pattern in the same sentence (`if_sentence`: consent
named *for the census*) and skip matches denied by a negation just before
them (`skip_negated`: "we do not rely on legitimate interests"); a
missing-items item can carry its own precondition (the Art 9 condition is
only expected where Art 9 is cited). As for the applicability of a rule:

- a condition that is false drops the rule (a primary school gets no
  youth-support finding);
- a condition that cannot be judged because the context is unknown lowers
  the rule's severity one step, rather than guessing either way;
- a rule's `variants` change its severity, message or fix by context or by
  what the notice says (a workforce notice gets a fix worded for staff).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

from noticecheck.dates import find_dates
from noticecheck.matching import Matcher
from noticecheck.model import Context, Finding, Incompleteness, Severity
from noticecheck.precompiled import regex
from noticecheck.rulebook import Rule, Rulebook
from noticecheck.sections import Analysis, Sentence, all_matches, is_negated, quote, sentence_matches

DEFAULT_MAX_FINDINGS = 5


class _Format(dict):
    """str.format_map that leaves unknown {names} alone instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# ---------------------------------------------------------------- applicability


# applies_to key -> (the context value it reads, whether that value meets the condition)
_CONDITIONS = {
    "audiences": (lambda c: c.audience, lambda value, allowed: value in allowed),
    "min_age": (lambda c: c.age_high, lambda value, minimum: value >= minimum),
    "school_types": (lambda c: c.school_type, lambda value, allowed: value in allowed),
    "jurisdictions": (lambda c: c.jurisdiction, lambda value, allowed: value in allowed),
}


# Why a rule did not run, per condition: (value, allowed) -> words for reports.
_WHY_NOT = {
    "audiences": lambda value, allowed: f"it is for {' or '.join(allowed)} notices; this one is for {value}",
    "min_age": lambda value, minimum: f"it is for schools with pupils aged {minimum} or over; the oldest here are {value}",
    "school_types": lambda value, allowed: f"it is for {' or '.join(allowed)} schools; this one is {value}",
    "jurisdictions": lambda value, allowed: f"it is for notices in {' or '.join(allowed)}; this one is for {value}",
}
_UNKNOWN_WORDS = {"audiences": "audience", "min_age": "pupils' ages", "school_types": "school type", "jurisdictions": "jurisdiction"}


def applicability(rule: Rule, context: Context) -> tuple[Severity | None, str]:
    """(the severity the rule runs at, "") in this context, or (None, why it does not apply)."""
    if context.as_of < rule.applies_from:
        return None, f"it applies from {rule.applies_from.isoformat()}"
    if rule.applies_until is not None and context.as_of > rule.applies_until:
        return None, f"it applied until {rule.applies_until.isoformat()}"
    unknown: list[str] = []
    cond = rule.applies_to
    # an unknown school type is not "independent": most schools are state schools
    if context.school_type is not None and context.school_type in cond.get("except_school_types", ()):
        return None, f"it is not for {context.school_type} schools"
    for key, (read, meets) in _CONDITIONS.items():
        if key not in cond:
            continue
        value = read(context)
        if value is None:
            unknown.append(_UNKNOWN_WORDS[key])
        elif not meets(value, cond[key]):
            return None, _WHY_NOT[key](value, cond[key])
    if unknown and cond.get("unknown") == "skip":
        return None, f"the notice does not say its {' or '.join(unknown)}"
    return (rule.severity.lowered() if unknown else rule.severity), ""


# context keys of a variant's `when` -> whether a known context meets them (unknown never does)
_VARIANT_CONTEXT = {
    "audiences": lambda c, allowed: c.audience in allowed,
    "school_types": lambda c, allowed: c.school_type in allowed,
    "min_age": lambda c, age: c.age_high is not None and c.age_high >= age,
    "max_age": lambda c, age: c.age_high is not None and c.age_high <= age,
}


def with_variant(rule: Rule, analysis: Analysis, context: Context) -> Rule:
    """The rule with the first variant whose `when` holds applied to its severity, message and fix."""
    for index, variant in enumerate(rule.variants):
        when = variant["when"]
        if not all(meets(context, when[key]) for key, meets in _VARIANT_CONTEXT.items() if key in when):
            continue
        content = {k: when[k] for k in ("sections", "patterns", "phrases") if k in when}
        if content and not _condition_holds(analysis, content, rule.compiled["variants"].get(index)):
            continue
        changes = {key: variant[key].strip() for key in ("message", "fix") if key in variant}
        if "severity" in variant:
            changes["severity"] = Severity.parse(variant["severity"])
        return replace(rule, **changes)
    return rule


# ---------------------------------------------------------------- helpers


def _condition_holds(analysis: Analysis, spec: dict | None, compiled: Matcher | None) -> bool:
    if not spec:
        return True
    if any(analysis.sections[name].present for name in spec.get("sections", ())):
        return True
    if compiled is None:
        return False
    # any_sentence: what the notice is about, so a sentence about the notice itself counts too
    # ("this notice follows the UK GDPR" still says which law the notice means)
    content_only = not spec.get("any_sentence")
    if spec.get("skip_negated") and analysis.negation is not None:
        # "we do not collect any special category data" does not say that the school holds some
        haystack = analysis.searched(content_only)
        return any(
            not is_negated(analysis.sentence_at(match.start()), match.start(), analysis.negation)
            for match in all_matches(compiled, analysis, haystack)  # every match: "not X, but Y" holds Y
        )
    return _found(analysis, compiled, analysis.joined, content_only=content_only)


def _conditions_allow(rule: Rule, analysis: Analysis) -> bool:
    """A check of any kind runs only where its `when` holds and its `unless` does not."""
    check, compiled = rule.check, rule.compiled
    if not _condition_holds(analysis, check.get("when"), compiled.get("when")):
        return False
    return not (check.get("unless") and _condition_holds(analysis, check["unless"], compiled.get("unless")))


def _found(analysis: Analysis, matcher: Matcher, haystack: str, *, content_only: bool = True) -> bool:
    """Does `matcher` match anywhere in `haystack` (all or part of this notice's text)?

    Only the patterns whose anchors occur somewhere in the notice are run; they run
    over the whole haystack, because some deliberately reach across sentences.
    """
    if haystack is not analysis.joined and haystack is not analysis.body:
        return matcher.search(haystack) is not None  # a section's text: short, search it all
    return any(
        analysis.part_found(part, body_only=haystack is analysis.body, content_only=content_only) for part in matcher.parts
    )


def _anchor(analysis: Analysis, section: str | None) -> tuple[int, str]:
    """Where a finding about something missing should point: the related section, else line 1."""
    if section and section in analysis.sections:
        found = analysis.sections[section]
        block = analysis.headings_by_line.get(found.heading_line) if found.heading_line is not None else None
        if block is not None:
            return block.line, quote(block.text)
        if found.evidence:
            return found.evidence[0].line, found.evidence[0].quote
    return analysis.first_line


def make_finding(
    rule: Rule, severity: Severity, line: int, text: str, *, kind: str, section: str | None, fix: str | None = None, **fmt
) -> Finding:
    """A Finding for `rule`, its message and fix (the rule's, or `fix`) filled in from `fmt` ({match}, {missing}, {date}...)."""
    values = _Format(fmt)
    return Finding(
        rule=rule.id,
        severity=severity,
        message=rule.message.format_map(values),
        line=line,
        quote=text,
        fix=(fix or rule.fix).format_map(values),
        source_link=rule.source_url,
        title=rule.title,
        pack=rule.pack,
        section=section,
        kind=kind,
    )


# ---------------------------------------------------------------- check kinds


def _pattern(rule: Rule, sev: Severity, analysis: Analysis, context: Context) -> Iterator[Finding]:
    compiled = rule.compiled
    unless_sentence = compiled.get("unless_sentence")
    if_sentence = compiled.get("if_sentence")
    # a denied match ("we do not rely on legitimate interests") is no evidence of the fault
    negation = analysis.negation if rule.check.get("skip_negated") else None
    limit = rule.check.get("max_findings", DEFAULT_MAX_FINDINGS)
    # patterns that only count from a date, e.g. a body that closed then
    regexes = [compiled["patterns"]] + [p for since, p in compiled.get("dated", ()) if context.as_of >= since]
    hits: dict[int, tuple[Sentence, re.Match]] = {}
    lines: set[int] = set()
    per_line = rule.check.get("once_per_line", False)
    for regex in regexes:
        for match in sentence_matches(regex, analysis):
            sentence: Sentence = analysis.sentence_at(match.start())
            if sentence.start in hits or (per_line and sentence.line in lines):
                continue
            if unless_sentence is not None and unless_sentence.search(sentence.text):
                continue
            if if_sentence is not None and not if_sentence.search(sentence.text):
                continue
            if negation is not None and is_negated(sentence, match.start(), negation):
                continue
            hits[sentence.start] = (sentence, match)
            lines.add(sentence.line)
    for start in sorted(hits)[:limit]:
        sentence, match = hits[start]
        moved = _moved_fix(rule, sentence.text, match.start() - sentence.start) if "moved" in compiled else {}
        yield make_finding(
            rule, sev, sentence.line, quote(sentence.text, match.start() - sentence.start),
            kind="fault", section=_section_of(analysis, sentence), match=match.group(0).strip(), **moved,
        )


_ADDRESS_WORDS = regex(r"[a-z0-9]+", re.I)
_PAGE_SUFFIXES = {"htm", "html", "aspx", "asp", "php", "pdf", "www", "http", "https"}


def _moved_fix(rule: Rule, sentence: str, offset: int) -> dict[str, str]:
    """For a moved web address: the fix naming its replacement when the rule knows it, else what to search for."""
    start = max(sentence.rfind(" ", 0, offset) + 1, 0)
    end = sentence.find(" ", offset)
    address = sentence[start : end if end >= 0 else len(sentence)].strip("()<>\"'.,;:")
    for replacement, matcher in rule.compiled["moved"]:
        if matcher.search(address):
            return {"replacement": replacement}
    # the words of the path say what the page was about ("schools/adminandfinance/schooladmin")
    path = re.sub(r"^(?:https?://)?[^/]*", "", address)
    words = [w for w in _ADDRESS_WORDS.findall(path) if w.lower() not in _PAGE_SUFFIXES]
    if not words:  # a bare site ("www.teachernet.gov.uk"): its name is what to search for
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", address).split("/")[0]
        words = [host.split(".")[0]]
    return {"fix": rule.check["unknown_fix"], "search": " ".join(words)}


def _section_of(analysis: Analysis, sentence: Sentence) -> str | None:
    """The section whose evidence or heading covers this sentence's block, for baselines keyed by section."""
    if sentence.heading_index is None:
        return None
    heading_line = analysis.text.blocks[sentence.heading_index].line
    for name, section in analysis.sections.items():
        if section.heading_line == heading_line:
            return name
    return None


def _absent(rule: Rule, sev: Severity, analysis: Analysis, context: Context) -> Iterator[Finding]:
    check, compiled = rule.check, rule.compiled
    if any(analysis.sections[name].present for name in check.get("sections", ())):
        return
    patterns = compiled.get("patterns")
    haystack = analysis.section_text(check["within"]) if "within" in check else analysis.body
    if patterns is not None and _found(analysis, patterns, haystack):
        return
    anchor = check.get("anchor")
    line, text = _anchor(analysis, anchor)
    yield make_finding(rule, sev, line, text, kind="missing", section=anchor)


def _missing_items(rule: Rule, sev: Severity, analysis: Analysis, context: Context) -> Iterator[Finding]:
    check, compiled = rule.check, rule.compiled
    # an item with its own `when` is asked for only where that holds (portability: consent or contract)
    asked = [
        name
        for name, spec in check["items"].items()
        if not isinstance(spec, dict) or _condition_holds(analysis, spec.get("when"), compiled["items_when"].get(name))
    ]
    missing = [name for name in asked if not _found(analysis, compiled["items"][name], analysis.joined)]
    if missing and len(missing) >= check.get("min_missing", 1):
        if len(missing) == len(asked) and "all_missing_severity" in check:
            sev = _same_step(Severity.parse(check["all_missing_severity"]), rule.severity, sev)
        anchor = check.get("anchor")
        line, text = _anchor(analysis, anchor)
        yield make_finding(rule, sev, line, text, kind="missing", section=anchor, missing=", ".join(missing))


def _same_step(wanted: Severity, declared: Severity, running: Severity) -> Severity:
    """`wanted`, lowered as the context lowered the rule from `declared` to `running`."""
    return wanted.lowered() if running < declared else wanted


def _stale_date(rule: Rule, sev: Severity, analysis: Analysis, context: Context) -> Iterator[Finding]:
    check = rule.check
    newest = None  # (effective date, written date, sentence)
    for match in all_matches(rule.compiled["cues"], analysis):
        sentence = analysis.sentence_at(match.start())
        # the date follows the cue ("Reviewed: May 2024") or, in a table or footer, the next line
        window_end = min(len(analysis.joined), match.end() + 80)
        window = analysis.joined[match.end() : window_end]
        dates = find_dates(window)
        if not dates:
            before = analysis.joined[max(sentence.start, match.start() - 40) : match.start()]
            dates = find_dates(before)
        if not dates:
            continue
        written = dates[0][0]
        # "next review: September 2020" means it was last reviewed about a year before that
        effective = written - timedelta(days=365) if re.search(r"next|due", match.group(0), re.I) else written
        if newest is None or effective > newest[0]:
            newest = (effective, written, sentence)
    if newest is None:
        newest = _standalone_date(analysis)
    limit = context.as_of - timedelta(days=check["max_age_days"])
    if newest is None:
        line, text = analysis.first_line
        # the context may have lowered the rule; lower the missing case too
        missing_sev = _same_step(Severity.parse(check.get("missing_severity", rule.severity.label)), rule.severity, sev)
        yield make_finding(rule, missing_sev, line, text, kind="missing", section=None, date="no date")
    elif newest[0] < limit:
        sentence = newest[2]
        yield make_finding(
            rule, sev, sentence.line, quote(sentence.text), kind="fault", section=None,
            date=newest[1].strftime("%B %Y"),
        )


_EDGE_BLOCKS = 6


def _standalone_date(analysis: Analysis):
    """A line that is nothing but a date ("March 2025") near the top or bottom of a notice dates it."""
    blocks = analysis.text.blocks
    candidates = list(blocks[:_EDGE_BLOCKS]) + list(blocks[-_EDGE_BLOCKS:])
    best = None
    for block in candidates:
        text = block.text.strip(" .:-–()[]")
        dates = find_dates(text)
        if len(dates) == 1 and dates[0][2] - dates[0][1] >= len(text) - 2 and len(text) <= 30:
            written = dates[0][0]
            sentence = next(s for s in analysis.sentences if s.line == block.line)
            if best is None or written > best[0]:
                best = (written, written, sentence)
    return best


def _reading_age(rule: Rule, sev: Severity, analysis: Analysis, context: Context) -> Iterator[Finding]:
    from noticecheck.readability import measure

    body = [s for s in analysis.sentences if not s.is_heading]
    words = sum(len(s.text.split()) for s in body)
    if words < rule.check.get("min_words", 150):
        return
    found = measure([s.text for s in body])
    if found.age > rule.check["max_reading_age"]:
        hardest = [body[i] for i in found.hardest]
        # the finding points at the hardest sentence; the message names all three, in reading order
        line, text = (hardest[0].line, quote(hardest[0].text)) if hardest else analysis.first_line
        evidence = "; ".join(f'line {s.line}: "{quote(s.text, limit=60)}"' for s in sorted(hardest, key=lambda s: s.start))
        yield make_finding(rule, sev, line, text, kind="fault", section=None, reading_level=found.band, hardest=evidence)


def _named(finding: Finding, context: Context) -> Finding:
    """Fix wording in the school's own name: fill "[school name]" (and "[trust name]") where the context knows it."""
    fix = finding.fix
    for placeholder, value in (("[school name]", context.school_name), ("[trust name]", context.trust_name)):
        if value and placeholder in fix:
            fix = fix.replace(placeholder, value)
    return finding if fix is finding.fix else replace(finding, fix=fix)


_KINDS = {
    "pattern": _pattern,
    "absent": _absent,
    "missing-items": _missing_items,
    "stale-date": _stale_date,
    "reading-age": _reading_age,
}


def mark_incomplete(findings: list[Finding], incomplete: Incompleteness | None) -> list[Finding]:
    """On a text that appears cut short, "missing" may only mean "not in the part we saw":
    missing-section findings keep their ids, carry the note and drop one severity level."""
    if incomplete is None:
        return findings
    return [
        replace(f, severity=f.severity.lowered(), note=incomplete.note) if f.kind == "missing" else f
        for f in findings
    ]


def run_rules(
    analysis: Analysis, rulebook: Rulebook, context: Context, incomplete: Incompleteness | None = None
) -> tuple[list[Finding], tuple[tuple[str, str], ...]]:
    """Every finding for one notice, most severe first, then in document order;
    and (rule id, why) for each rule that does not apply to it."""
    findings: list[Finding] = []
    not_applied: list[tuple[str, str]] = []
    for rule in rulebook.rules:
        rule = with_variant(rule, analysis, context) if rule.variants else rule
        severity, why = applicability(rule, context)
        if severity is None:
            not_applied.append((rule.id, why))
            continue
        if _conditions_allow(rule, analysis):
            findings.extend(_KINDS[rule.check["kind"]](rule, severity, analysis, context))
    findings = mark_incomplete(findings, incomplete)
    findings = [_named(f, context) for f in findings]
    findings.sort(key=lambda f: (-f.severity, f.line, f.rule))
    return findings, tuple(not_applied)
