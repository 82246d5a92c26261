"""`--format concise`: one line per finding, `path:line:col: severity: rule-id message`, for editors and grep.

The shape is the one compilers print (`error`, `warning`, `note`), so
editors' problem matchers and `grep` work on it unchanged. Most severe
findings come first; a final line says how many there were (not with -q).
"""

from __future__ import annotations

from noticecheck.gate.report.formats import LEVELS, Report, by_severity, display_path, message_with_note, summary_line


def render(report: Report) -> str:
    lines = []
    for outcome in report.outcomes:
        if not outcome.checked:
            lines.append(f"{display_path(outcome.source, report.root)}:1:1: error: unreadable {outcome.result.error}")
    for outcome, f in by_severity(report):
        message = " ".join(message_with_note(f).split())
        lines.append(f"{display_path(outcome.source, report.root)}:{f.line}:{f.column}: {LEVELS[f.severity]}: {f.rule} {message}")
    if not report.quiet:
        lines.append(summary_line(report))
    return "".join(line + "\n" for line in lines)
