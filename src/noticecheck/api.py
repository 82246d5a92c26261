"""The library's front door: turn a Document into a DocumentResult.

This is what the CLI, the scanner and the web page call. It joins the pure
stages (load -> sections -> engine) and turns an unreadable input into a
result with a status instead of an exception, so one bad file never stops a
batch.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from noticecheck.model import Context, Document, DocumentResult, Text, UnreadableInput

DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # far above any real notice; guards memory


@dataclass(frozen=True)
class CheckOptions:
    """Context the caller knows (CLI options, config, a GIAS row). None = detect or unknown."""

    audience: str | None = None
    age_range: tuple[int, int] | None = None
    phase: str | None = None
    school_type: str | None = None
    jurisdiction: str | None = None
    as_of: date | None = None
    max_bytes: int = DEFAULT_MAX_BYTES


def check_text(text: Text, rulebook=None, options: CheckOptions | None = None) -> DocumentResult:
    """Find sections and findings in already-loaded text. Pure."""
    from noticecheck.completeness import assess_completeness
    from noticecheck.context import resolve_context
    from noticecheck.engine import run_rules
    from noticecheck.rulebook import default_rulebook
    from noticecheck.sections import find_sections

    rulebook = rulebook or default_rulebook()
    options = options or CheckOptions()
    analysis = find_sections(text, rulebook.cues)
    context = resolve_context(text, analysis, options)
    incomplete = assess_completeness(text, rulebook.completeness) if rulebook.completeness is not None else None
    findings = run_rules(analysis, rulebook, context, incomplete)
    return DocumentResult(
        source=text.source,
        status="checked",
        context=context,
        sections=analysis.sections,
        findings=tuple(findings),
        media_type=text.media_type,
        word_count=text.word_count,
        incomplete=incomplete,
    )


def check_document(doc: Document, rulebook=None, options: CheckOptions | None = None) -> DocumentResult:
    """Load a document and check it; unreadable input becomes status "unreadable"."""
    from noticecheck.load import to_text

    options = options or CheckOptions()
    try:
        text = to_text(doc, max_bytes=options.max_bytes)
    except UnreadableInput as exc:
        return DocumentResult(source=doc.source, status="unreadable", error_code=exc.code, error=str(exc))
    return check_text(text, rulebook, options)


def with_source(result: DocumentResult, source: str) -> DocumentResult:
    return replace(result, source=source)


__all__ = ["CheckOptions", "Context", "DEFAULT_MAX_BYTES", "check_document", "check_text", "with_source"]
