"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other static-analysis dashboards.

Design points:

- one `rules` entry per selected rule (title, message, fix, source link),
  and `ruleIndex` on every result, so a dashboard can explain a rule that
  did not fire;
- every result has `region.startLine`, also for something missing (the
  engine points those at the nearest heading, or line 1);
- `partialFingerprints` hash the document, rule, section and quote, never
  the line, so an alert survives text moving up or down the page;
- findings silenced by a comment are kept with `suppressions` (kind
  "inSource", the comment's reason as justification), and with a baseline
  every result carries `baselineState` "new" or "unchanged", so a dashboard
  agrees with the gate instead of re-opening accepted findings;
- paths are relative to the working directory (uriBaseId SRCROOT) when
  inside it, so GitHub can place annotations on the repository's files.
"""

from __future__ import annotations

import hashlib
import json
import re

from noticecheck import __version__
from noticecheck.model import Finding
from noticecheck.gate.report.formats import LEVELS, Outcome, Report, artifact_uri, display_path, generic

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "noticecheck/v1"
ROOT_ID = "SRCROOT"


def fingerprint(document: str, finding: Finding) -> str:
    """Stable across line moves: document + rule + section + quote."""
    text = "\x1f".join((document, finding.rule, finding.section or "", finding.quote))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _name(rule_id: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[-_]", rule_id))


def rule_descriptor(rule) -> dict:
    message, fix = generic(rule.message), generic(rule.fix)
    return {
        "id": rule.id,
        "name": _name(rule.id),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": message},
        "help": {
            "text": f"{message}\n\nFix: {fix}\n\nSource: {rule.source_title} ({rule.source_url})",
            "markdown": f"{message}\n\n**Fix:** {fix}\n\n**Source:** [{rule.source_title}]({rule.source_url})",
        },
        "helpUri": rule.source_url,
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["privacy-notice", rule.pack], "pack": rule.pack, "aliases": list(rule.aliases)},
    }


def _location(report: Report, source: str) -> dict:
    uri, relative = artifact_uri(source, report.root)
    return {"uri": uri, "uriBaseId": ROOT_ID} if relative else {"uri": uri}


def _result(report: Report, outcome: Outcome, finding: Finding, index: dict[str, int]) -> dict:
    location = _location(report, outcome.source)
    result = {
        "ruleId": finding.rule,
        "level": LEVELS[finding.severity],
        "message": {"text": f"{finding.message}\nFix: {finding.fix}"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": location,
                    "region": {"startLine": finding.line, "startColumn": finding.column, "snippet": {"text": finding.quote}},
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(display_path(outcome.source, report.root), finding)},
        "properties": {"section": finding.section, "kind": finding.kind, "sourceLink": finding.source_link,
                       "location": finding.where},  # "page 3, line 12" for a PDF
    }
    if finding.note:
        result["properties"]["note"] = finding.note
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    return result


def _directory_uri(report: Report) -> str:
    uri = report.root.resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"  # SARIF wants base URIs to end in "/"


def to_sarif(report: Report) -> dict:
    rules = list(report.rulebook.rules)
    index = {rule.id: i for i, rule in enumerate(rules)}
    results = []
    for outcome in report.outcomes:
        for finding in outcome.findings:
            item = _result(report, outcome, finding, index)
            if report.baseline is not None:
                item["baselineState"] = "new"
            results.append(item)
        for finding in outcome.baselined:
            results.append({**_result(report, outcome, finding, index), "baselineState": "unchanged"})
        for pair in outcome.suppressed:
            item = _result(report, outcome, pair.finding, index)
            item["suppressions"] = [
                {"kind": "inSource", "status": "accepted", "justification": pair.directive.reason or pair.directive.text}
            ]
            results.append(item)
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{display_path(o.source, report.root)}: {o.result.error}"},
            "descriptor": {"id": o.result.error_code or "unreadable"},
        }
        for o in report.outcomes
        if not o.checked
    ]
    failed = bool(notifications)
    # a text that appears cut short is told once per document; its missing-part results carry the note too
    notifications += [
        {
            "level": "note",
            "message": {"text": f"{display_path(o.source, report.root)}: {o.result.incomplete.note}"},
            "descriptor": {"id": "incomplete-text"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _location(report, o.source),
                        "region": {"startLine": o.result.incomplete.line},
                    }
                }
            ],
        }
        for o in report.outcomes
        if o.checked and o.result.incomplete is not None
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "noticecheck",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [rule_descriptor(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": {ROOT_ID: {"uri": _directory_uri(report)}},
                "columnKind": "unicodeCodePoints",
                "results": results,
                "invocations": [{"executionSuccessful": not failed, "toolExecutionNotifications": notifications}],
            }
        ],
    }


def render(report: Report) -> str:
    return json.dumps(to_sarif(report), indent=2, ensure_ascii=False) + "\n"
