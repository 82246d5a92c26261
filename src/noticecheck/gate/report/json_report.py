"""The JSON report (`--format json`): a versioned, schema-validated document.

`document_to_dict` is the one place a DocumentResult becomes plain data
(`Finding.to_dict` and `Context.to_dict` in model.py are the one place each
of those does; JSON Lines, CSV and the scan store pick from them).
The schema ships in the package at `noticecheck/schemas/report.schema.json`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict

from noticecheck import __version__
from noticecheck.model import DocumentResult, Finding, Severity

SCHEMA_VERSION = "1.1"


def severity_counts(findings: Sequence[Finding]) -> dict[str, int]:
    counts = Counter(f.severity.label for f in findings)
    return {s.label: counts.get(s.label, 0) for s in sorted(Severity, reverse=True)}


def document_to_dict(result: DocumentResult) -> dict:
    ctx = result.context
    return {
        "source": result.source,
        "status": result.status,
        "error": None if result.error is None else {"code": result.error_code, "message": result.error},
        "media_type": result.media_type,
        "word_count": result.word_count,
        "incomplete": None
        if result.incomplete is None
        else {"note": result.incomplete.note, "reasons": list(result.incomplete.reasons), "line": result.incomplete.line},
        "audience": ctx.audience if ctx else None,
        "context": ctx.to_dict() if ctx is not None else None,
        "sections": {
            name: {
                "present": s.present,
                "evidence": [asdict(e) for e in s.evidence],
            }
            for name, s in result.sections.items()
        },
        "findings": [f.to_dict() for f in result.findings],
        "summary": severity_counts(result.findings),
    }


def report_to_dict(results: Sequence[DocumentResult]) -> dict:
    all_findings = [f for r in results for f in r.findings]
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "noticecheck", "version": __version__},
        "documents": [document_to_dict(r) for r in results],
        "summary": {
            "documents": len(results),
            "checked": sum(r.status == "checked" for r in results),
            "unreadable": sum(r.status != "checked" for r in results),
            "findings": severity_counts(all_findings),
        },
    }


def render(results: Sequence[DocumentResult]) -> str:
    return json.dumps(report_to_dict(results), indent=2, ensure_ascii=False) + "\n"
