"""`--format github`: GitHub Actions workflow-command annotations, plus a job summary.

Each finding becomes `::error file=…,line=…,col=…,title=…::message` (info
findings are `::notice`), most severe first, because GitHub shows only the
first 10 annotations of each kind per step. Escaping follows the runner's
rules: in the message `%`, CR and LF become %25, %0D, %0A; in properties
`:` and `,` become %3A and %2C as well.

As the annotations can be cut off, `step_summary` renders the whole report
(the Markdown format, a table per document) for `$GITHUB_STEP_SUMMARY`;
`noticecheck check --format github` appends it there when that variable is
set.
"""

from __future__ import annotations

import os

from noticecheck.model import Severity
from noticecheck.report.formats import Report, by_severity, display_path, summary_line

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
    for outcome, f in by_severity(report):
        where = "Should go near" if f.kind == "missing" else "At"
        message = f"{f.message}\n{where}: {f.quote}\nFix: {f.fix}\nSource: {f.source_link}"
        lines.append(
            command(
                _COMMAND[f.severity], message,
                file=display_path(outcome.source, report.root), line=f.line, col=f.column,
                title=f"{f.rule}: {f.title}" if f.title else f.rule,
            )
        )  # fmt: skip
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def step_summary(report: Report) -> str:
    from noticecheck.report.markdown import render as render_markdown

    return render_markdown(report) + "\n"


def append_step_summary(report: Report, environ=os.environ) -> str | None:
    """Append the summary to $GITHUB_STEP_SUMMARY when it is set; returns the file written, if any."""
    target = environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    with open(target, "a", encoding="utf-8") as fh:
        fh.write(step_summary(report))
    return target
