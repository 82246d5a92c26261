"""The JSON report (`--format json`): a versioned, schema-validated document.

`document_to_dict` is the one place a DocumentResult becomes plain data; the
other machine-readable formats (JSON Lines, the scan store, CSV) reuse it.
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


def finding_to_dict(f: Finding) -> dict:
    return {
        "rule": f.rule,
        "severity": f.severity.label,
        "title": f.title,
        "pack": f.pack,
        "message": f.message,
        "line": f.line,
        "column": f.column,
        "quote": f.quote,
        "fix": f.fix,
        "source_link": f.source_link,
        "section": f.section,
        "kind": f.kind,
        "note": f.note,
    }


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
        "context": None
        if ctx is None
        else {
            "as_of": ctx.as_of.isoformat(),
            "audience": ctx.audience,
            "age_range": [ctx.age_low, ctx.age_high] if ctx.age_low is not None else None,
            "phase": ctx.phase,
            "school_type": ctx.school_type,
            "jurisdiction": ctx.jurisdiction,
            "detected": list(ctx.detected),
        },
        "sections": {
            name: {
                "present": s.present,
                "evidence": [asdict(e) for e in s.evidence],
            }
            for name, s in result.sections.items()
        },
        "findings": [finding_to_dict(f) for f in result.findings],
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
