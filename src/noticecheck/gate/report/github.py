"""`--format github`: GitHub Actions workflow-command annotations, plus a job summary.

Each finding becomes `::error file=…,line=…,col=…,title=…::message` (info
findings are `::notice`), most severe first, because GitHub shows only the
first 10 annotations of each kind per step. Escaping follows the runner's
rules: in the message `%`, CR and LF become %25, %0D, %0A; in properties
`:` and `,` become %3A and %2C as well.

As the annotations can be cut off, `step_summary` renders the whole report
(the Markdown format, a table per document) for `$GITHUB_STEP_SUMMARY`. A
step's summary may hold at most 1 MiB, so a large run (hundreds of notices)
falls back to one compact table row per finding (severity, document, line,
rule, message), and only past that to a count of the rows left out;
`noticecheck check --format github` appends it there when that variable is
set.
"""

from __future__ import annotations

import os

from noticecheck.model import Severity
from noticecheck.gate.report.formats import Report, by_severity, display_path, message_with_note, summary_line

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{name} {props}::{escape_data(message)}" if props else f"::{name}::{escape_data(message)}"


def render(report: Report) -> str:
    lines = []
    for outcome in report.outcomes:
        if not outcome.checked:
            path = display_path(outcome.source, report.root)
            lines.append(command("error", outcome.result.error or "unreadable", file=path, title="noticecheck: unreadable document"))
        elif outcome.result.incomplete is not None:
            incomplete = outcome.result.incomplete
            path = display_path(outcome.source, report.root)
            lines.append(command("notice", incomplete.note, file=path, line=incomplete.line, title="noticecheck: text appears incomplete"))
    for outcome, f in by_severity(report):
        where = "Should go near" if f.kind == "missing" else "At"
        message = f"{message_with_note(f)}\n{where}: {f.quote}\nFix: {f.fix}\nSource: {f.source_link}"
        lines.append(
            command(
                _COMMAND[f.severity], message,
                file=display_path(outcome.source, report.root), line=f.line, col=f.column,
                title=f"{f.rule}: {f.title}" if f.title else f.rule,
            )
        )  # fmt: skip
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


SUMMARY_LIMIT = 1024 * 1024 - 16 * 1024  # GitHub refuses a step summary over 1 MiB; keep a margin


def step_summary(report: Report, limit: int = SUMMARY_LIMIT) -> str:
    from noticecheck.gate.report.markdown import render as render_markdown

    full = render_markdown(report) + "\n"
    if len(full.encode("utf-8")) <= limit:
        return full
    return _compact_summary(report, limit)


def _compact_summary(report: Report, limit: int) -> str:
    from noticecheck.gate.report.markdown import escape, headline

    head = [headline(report), "", "| Severity | Document | Line | Rule | Finding |", "|---|---|---:|---|---|"]
    size = sum(len(line.encode("utf-8")) + 1 for line in head)
    rows: list[str] = []
    pairs = list(by_severity(report))
    for index, (outcome, f) in enumerate(pairs):
        row = f"| {f.severity.label} | {escape(display_path(outcome.source, report.root))} | {f.line} | {f.rule} | {escape(f.message)} |"
        size += len(row.encode("utf-8")) + 1
        if size > limit - 200:
            rows.append("")
            rows.append(f"{len(pairs) - index} more finding(s) do not fit in a job summary; see the report files.")
            break
        rows.append(row)
    return "\n".join(head + rows) + "\n\n"


def append_step_summary(report: Report, environ=os.environ) -> str | None:
    """Append the summary to $GITHUB_STEP_SUMMARY when it is set; returns the file written, if any."""
    target = environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    with open(target, "a", encoding="utf-8") as fh:
        fh.write(step_summary(report))
    return target
