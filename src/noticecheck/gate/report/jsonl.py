"""`--format jsonl`: JSON Lines, one object per finding, for streaming into log pipelines and `jq`.

Each line has `type`: "finding" (document, rule, severity, line, section,
message, quote, fix, source_link, kind, title, pack) or "unreadable"
(document, error code and message) for an input that could not be read.
Only findings that count are written (not suppressed or baselined ones).
"""

from __future__ import annotations

import json

from noticecheck.gate.report.formats import Report, by_severity, display_path, finding_row


def render(report: Report) -> str:
    lines = []
    for outcome in report.outcomes:
        if not outcome.checked:
            record = {
                "type": "unreadable",
                "document": display_path(outcome.source, report.root),
                "error": {"code": outcome.result.error_code, "message": outcome.result.error},
            }
            lines.append(json.dumps(record, ensure_ascii=False))
    for outcome, f in by_severity(report):
        record = {"type": "finding", **finding_row(outcome, f, report.root), "kind": f.kind, "title": f.title, "pack": f.pack}
        record["section"] = f.section  # null rather than "" in JSON
        lines.append(json.dumps(record, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)
