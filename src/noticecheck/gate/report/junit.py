"""`--format junit`: JUnit XML, so CI dashboards (GitLab, Jenkins, Azure) show which checks failed.

One `<testsuite>` per document and one `<testcase>` per (document, rule)
for every selected rule:

- the rule found something that counts: `<failure>` (type = severity), its
  text listing each finding with line, quote and fix;
- the rule does not apply to this notice (wrong audience, ages, school
  type, date) or is ignored for this file: `<skipped>`;
- otherwise the test passes; findings a comment suppressed or the
  baseline accepts are noted in `<system-out>`.

An unreadable document gets a single testcase with an `<error>`. XML is
built with ElementTree (escaping is its job); characters XML 1.0 forbids,
which a scraped page can contain, are dropped first.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from noticecheck.gate.report.formats import Outcome, Report, display_path, message_with_note
from noticecheck.precompiled import regex

_XML_FORBIDDEN = regex(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _XML_FORBIDDEN.sub("", text)


def _finding_text(finding) -> str:
    where = "should go near" if finding.kind == "missing" else "at"
    return (
        f"{finding.severity.label}: {message_with_note(finding)}\n  {where} line {finding.line}: {finding.quote}\n"
        f"  fix: {finding.fix}\n  source: {finding.source_link}"
    )


def _not_applicable(rule, outcome: Outcome, not_applied: dict[str, str]) -> str | None:
    """Why `rule` was skipped for this document, as the gate and the engine recorded it."""
    if rule.id in outcome.ignored:
        return "ignored for this file by per-source-ignores"
    if rule.id in not_applied:
        return f"does not apply to this notice: {not_applied[rule.id]}"
    return None


def _suite(report: Report, outcome: Outcome) -> ET.Element:
    name = display_path(outcome.source, report.root)
    suite = ET.Element("testsuite", name=name)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if not outcome.checked:
        case = ET.SubElement(suite, "testcase", classname=name, name="read document", file=name)
        error = ET.SubElement(case, "error", type=outcome.result.error_code or "unreadable", message=_clean(outcome.result.error or ""))
        error.text = _clean(outcome.result.error or "")
        counts.update(tests=1, errors=1)
    else:
        fired, aside = defaultdict(list), defaultdict(list)
        not_applied = dict(outcome.result.not_applied)
        for f in outcome.findings:
            fired[f.rule].append(f)
        for f in outcome.baselined:
            aside[f.rule].append(f"in the baseline: {_finding_text(f)}")
        for s in outcome.suppressed:
            aside[s.finding.rule].append(f"suppressed by a comment ({s.directive.reason or 'no reason given'}): {_finding_text(s.finding)}")
        for rule in report.rulebook.rules:
            counts["tests"] += 1
            case = ET.SubElement(suite, "testcase", classname=name, name=f"{rule.id}: {rule.title}", file=name)
            if rule.id in fired:
                found = fired[rule.id]
                worst = max(f.severity for f in found)
                failure = ET.SubElement(
                    case, "failure", type=worst.label, message=_clean(f"{len(found)} finding(s): {found[0].message}")
                )
                failure.text = _clean("\n".join(_finding_text(f) for f in found))
                counts["failures"] += 1
            elif (reason := _not_applicable(rule, outcome, not_applied)) is not None:
                ET.SubElement(case, "skipped", message=reason)
                counts["skipped"] += 1
            if rule.id in aside:
                ET.SubElement(case, "system-out").text = _clean("\n".join(aside[rule.id]))
    for key, value in counts.items():
        suite.set(key, str(value))
    return suite


def render(report: Report) -> str:
    # Every string that reaches the tree (file names too) may hold characters XML
    # 1.0 forbids; removing them from the serialised document keeps it well-formed.
    return _clean(_render(report))


def _render(report: Report) -> str:
    root = ET.Element("testsuites", name="noticecheck")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for outcome in report.outcomes:
        suite = _suite(report, outcome)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
