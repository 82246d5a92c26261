"""`--format markdown`: a pull-request comment (and the GitHub job summary).

A headline, a summary table (one row per document), then each document's
findings in a collapsible `<details>` block: severity, rule, where (page and line for a PDF), section,
message, quote and fix. Quotes come from documents we do not control and
GitHub renders HTML inside Markdown, so every cell is escaped: HTML
special characters, table pipes, Markdown emphasis/link characters, and
"@" (so a quote never mentions a GitHub user).
"""

from __future__ import annotations

import html

from noticecheck.gate.report.formats import Outcome, Report, display_path, fixed_lines, message_with_note
from noticecheck.precompiled import regex

_MD_SPECIAL = regex(r"([\\`*_\[\]#~|])")
_ICON = {"error": "🔴", "warning": "🟠", "info": "🔵"}


def escape(text: str) -> str:
    """Safe in a table cell: no HTML, no pipes, no emphasis, no line breaks."""
    text = html.escape(" ".join(str(text).split()), quote=False)
    # "&#64;" shows "@" without GitHub turning "@name" in a quote into a mention
    return _MD_SPECIAL.sub(r"\\\1", text).replace("@", "&#64;")


def _counts(outcome: Outcome) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in outcome.findings:
        counts[f.severity.label] += 1
    return counts


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def headline(report: Report) -> str:
    totals = report.counts()
    failing = sum(1 for o in report.outcomes for f in o.findings if report.fails(f))
    unreadable = sum(not o.checked for o in report.outcomes)
    verdict = "❌ fails" if failing or unreadable else "✅ passes"
    parts = [_plural(totals["error"], "error"), _plural(totals["warning"], "warning"), f"{totals['info']} info"]
    docs = _plural(len(report.outcomes), "document")
    return f"## noticecheck {verdict} (fail on {report.fail_on}): {', '.join(parts)} in {docs}"


def _document_section(report: Report, outcome: Outcome) -> list[str]:
    name = display_path(outcome.source, report.root)
    if not outcome.checked:
        return [f"<details><summary><b>{escape(name)}</b>: unreadable</summary>", "", escape(outcome.result.error or ""), "", "</details>", ""]
    counts = _counts(outcome)
    if not outcome.findings:
        return []
    summary = ", ".join(_plural(n, label) if label != "info" else f"{n} info" for label, n in counts.items() if n)
    lines = [f"<details><summary><b>{escape(name)}</b>: {summary}</summary>", ""]
    if outcome.result.incomplete is not None:
        lines += [f"> ⚠️ {escape(outcome.result.incomplete.note)}; findings about missing parts are reported one level lower.", ""]
    lines += [
        "| | Rule | Where | Section | Finding | Quote | Fix |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in outcome.findings:
        rule = f"[{escape(f.rule)}]({f.source_link})" if f.source_link.startswith("https://") else escape(f.rule)
        lines.append(
            f"| {_ICON[f.severity.label]} {f.severity.label} | {rule} | {escape(f.where)} | {escape(f.section or '')} "
            f"| {escape(message_with_note(f))} | {escape(f.quote)} | {escape(f.fix)} |"
        )
    lines += ["", "</details>", ""]
    return lines


def render(report: Report) -> str:
    lines = [headline(report), ""]
    lines += ["| Document | Errors | Warnings | Info | Set aside |", "|---|---:|---:|---:|---:|"]
    for outcome in report.outcomes:
        name = escape(display_path(outcome.source, report.root))
        if not outcome.checked:
            lines.append(f"| {name} | unreadable | | | |")
            continue
        c = _counts(outcome)
        aside = len(outcome.suppressed) + len(outcome.baselined)
        lines.append(f"| {name} | {c['error']} | {c['warning']} | {c['info']} | {aside or ''} |")
    lines.append("")
    for outcome in report.outcomes:
        lines += _document_section(report, outcome)
    if report.baseline is not None:
        lines.append(f"Baseline `{escape(report.baseline)}`: {report.known_count} known finding(s) are not shown; only new ones count.")
        if report.fixed:
            lines += ["", "Fixed since the baseline (shrink it with `--write-baseline`):", ""]
            lines += [f"- {escape(line)}" for line in fixed_lines(report)]
        lines.append("")
    if report.suppressed_count:
        lines += [f"{_plural(report.suppressed_count, 'finding')} suppressed by `noticecheck:` comments in the documents.", ""]
    return "\n".join(lines)
