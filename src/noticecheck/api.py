"""The one pipeline: load -> sections -> context -> engine -> (optional) suppression.

`noticecheck check` and `diff` (through gate/run.py), the scanner
(scan/scheduler.py), `noticecheck eval` (evaluate.py) and the rule examples
(rule_examples.py) all call `check_document`, or `check_text` for text
already loaded. Each stage takes what the one before it made and nothing
reaches back: the loader carries a draft's noticecheck comments forward on
`Text.directives`, and the result records which rules did not apply and why,
so no renderer has to ask the engine again.

Nothing here reads the clock or the disk: the caller passes the rulebook
(a command line builds it once per run) and `today`. An unreadable input
becomes a result with a status instead of an exception, so one bad file never
stops a batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from noticecheck.load import DEFAULT_MAX_BYTES, to_text
from noticecheck.media import describe_line
from noticecheck.model import Context, Directive, Document, DocumentResult, Finding, Text, UnreadableInput

# The optional last stage: (findings, the Text's directives) -> an object with
# `.findings` (still reported) and `.suppressed` (set aside). gate/suppress.py makes one.
Suppress = Callable[[Sequence[Finding], Sequence[Directive]], object]


@dataclass(frozen=True)
class CheckOptions:
    """Context the caller knows (CLI options, config, a GIAS row). None = detect or unknown."""

    audience: str | None = None
    age_range: tuple[int, int] | None = None
    phase: str | None = None
    school_type: str | None = None
    jurisdiction: str | None = None
    as_of: date | None = None  # judge the notice as of this date; None = `today`
    school_name: str | None = None  # from GIAS or the school list; else read from the notice
    trust_name: str | None = None  # from GIAS
    max_bytes: int = DEFAULT_MAX_BYTES


def check_text(
    text: Text, rulebook, options: CheckOptions, *, today: date, suppress: Suppress | None = None
) -> DocumentResult:
    """Find sections and findings in already-loaded text. Pure."""
    from noticecheck.completeness import assess_completeness
    from noticecheck.context import resolve_context
    from noticecheck.engine import run_rules
    from noticecheck.sections import find_sections, outline

    analysis = find_sections(text, rulebook.cues)
    context = resolve_context(text, analysis, options, today)
    incomplete = assess_completeness(text, rulebook.completeness) if rulebook.completeness is not None else None
    findings, not_applied = run_rules(analysis, rulebook, context, incomplete)
    findings = [replace(f, location=describe_line(f.line, text.media_type, text.page_starts)) for f in findings]
    suppressed: tuple = ()
    if suppress is not None and text.directives:
        kept = suppress(findings, text.directives)
        findings, suppressed = kept.findings, kept.suppressed
    return DocumentResult(
        source=text.source,
        status="checked",
        context=context,
        sections=analysis.sections,
        findings=tuple(findings),
        media_type=text.media_type,
        word_count=text.word_count,
        incomplete=incomplete,
        not_applied=not_applied,
        suppressed=tuple(suppressed),
        page_starts=text.page_starts,
        outline=outline(analysis),
    )


def check_document(
    doc: Document, rulebook, options: CheckOptions, *, today: date, suppress: Suppress | None = None
) -> DocumentResult:
    """Load a document and check it; unreadable input becomes status "unreadable"."""
    try:
        text = to_text(doc, max_bytes=options.max_bytes)
    except UnreadableInput as exc:
        return unreadable(doc.source, exc)
    return check_text(text, rulebook, options, today=today, suppress=suppress)


def unreadable(source: str, exc: UnreadableInput) -> DocumentResult:
    """The result for an input that could not be read or loaded."""
    return DocumentResult(source=source, status="unreadable", error_code=exc.code, error=str(exc))


__all__ = ["CheckOptions", "Context", "DEFAULT_MAX_BYTES", "Suppress", "check_document", "check_text", "unreadable"]
