"""The report formats of `noticecheck check`: what every renderer is given, and which renderer has which name.

A renderer is `render(report: Report) -> str`. Modules are imported only
when their format is asked for, so a CI run writing SARIF never imports
jinja2 and a terminal run never builds XML.

`Report` carries more than the DocumentResults: what suppression comments
and the baseline set aside (so SARIF can mark them suppressed or unchanged
and the text report can say how many), the selected rulebook (SARIF lists
every rule; JUnit has one testcase per rule), and the --fail-on threshold.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote as url_quote

from noticecheck.fetch.single import is_url
from noticecheck.model import DocumentResult, Finding, Severity

# name -> "module:function"
FORMATS = {
    "text": "noticecheck.gate.report.formats:render_text",
    "concise": "noticecheck.gate.report.concise:render",
    "json": "noticecheck.gate.report.formats:render_json",
    "jsonl": "noticecheck.gate.report.jsonl:render",
    "csv": "noticecheck.gate.report.csv_report:render",
    "sarif": "noticecheck.gate.report.sarif:render",
    "junit": "noticecheck.gate.report.junit:render",
    "github": "noticecheck.gate.report.github:render",
    "markdown": "noticecheck.gate.report.markdown:render",
    "html": "noticecheck.gate.report.html_report:render",
}
FORMAT_NAMES = tuple(FORMATS)

ROW_FIELDS = ("rule", "severity", "line", "section", "message", "quote", "fix", "source_link", "note")

# SARIF and GitHub both speak error / warning / note.
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


@dataclass(frozen=True)
class Outcome:
    """One document after the gate.

    `result.findings` are the findings that count (the new ones, when a
    baseline is in use); `suppressed` holds (finding, directive) pairs set
    aside by comments, `baselined` the findings the baseline accepts, and
    `ignored` the rule ids switched off for this file by per-source-ignores.
    """

    result: DocumentResult
    baselined: tuple[Finding, ...] = ()
    ignored: frozenset[str] = frozenset()

    @property
    def suppressed(self) -> tuple:
        """(finding, directive) pairs suppression comments set aside (gate/suppress.Suppressed)."""
        return self.result.suppressed

    @property
    def source(self) -> str:
        return self.result.source

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.result.findings

    @property
    def checked(self) -> bool:
        return self.result.status == "checked"


@dataclass(frozen=True)
class Report:
    outcomes: tuple[Outcome, ...]
    rulebook: object  # the selected Rulebook
    fail_on: str = "error"
    baseline: str | None = None  # path of the baseline in use
    fixed: tuple = ()  # tuple[baseline.FixedEntry, ...]
    root: Path = field(default_factory=Path.cwd)  # paths and URIs are shown relative to this
    color: bool = False
    show_sections: bool = True
    quiet: bool = False  # -q: the findings only, no summary line
    width: int | None = None  # the terminal's width; None: no hard wrap (a file or a pipe)

    @property
    def results(self) -> list[DocumentResult]:
        return [o.result for o in self.outcomes]

    def fails(self, finding: Finding) -> bool:
        """Is this finding at or above --fail-on?"""
        return self.fail_on != "none" and finding.severity >= Severity.parse(self.fail_on)

    @property
    def suppressed_count(self) -> int:
        return sum(len(o.suppressed) for o in self.outcomes)

    @property
    def known_count(self) -> int:
        """Findings the baseline accepts (not shown, not counted)."""
        return sum(len(o.baselined) for o in self.outcomes)

    @property
    def fixed_count(self) -> int:
        return sum(e.count for e in self.fixed)

    def counts(self) -> dict[str, int]:
        totals = {s.label: 0 for s in sorted(Severity, reverse=True)}
        for outcome in self.outcomes:
            for f in outcome.findings:
                totals[f.severity.label] += 1
        return totals


# Formats read on a terminal (or a CI log): control characters from file names
# and documents are shown escaped, so none can drive the reader's terminal.
_TERMINAL_FORMATS = frozenset({"text", "concise", "github", "markdown"})


def render(name: str, report: Report) -> str:
    from noticecheck.controls import printable

    module_name, attr = FORMATS[name].split(":")
    out = getattr(importlib.import_module(module_name), attr)(report)
    if name in _TERMINAL_FORMATS:
        out = printable(out, colour=name == "text" and report.color)
    return out


# ---------------------------------------------------------------- helpers shared by renderers


def by_severity(report: Report) -> Iterator[tuple[Outcome, Finding]]:
    """Every counted finding, most severe first, then by document and line."""
    pairs = [(o, f) for o in report.outcomes for f in o.findings]
    pairs.sort(key=lambda p: (-p[1].severity, p[0].source, p[1].line, p[1].rule))
    return iter(pairs)


def display_path(source: str, root: Path) -> str:
    """The path as a reader (and GitHub) wants it: relative to `root` with "/" when inside it; a URL as given."""
    if source == "-" or is_url(source):
        return source
    path = Path(source)
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        return Path(os.path.normpath(absolute)).relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(os.path.normpath(source)).as_posix()


def artifact_uri(source: str, root: Path) -> tuple[str, bool]:
    """(URI, relative?) for SARIF: relative to `root` when inside it, else an absolute file URI; a URL as it is."""
    if is_url(source):
        return source, False
    shown = display_path(source, root)
    if source == "-" or not Path(shown).is_absolute():
        return url_quote(shown), True
    return Path(shown).as_uri(), False


def generic(template: str) -> str:
    """A rule message without its per-finding placeholders ({match}, {missing}...), for rule listings."""
    return re.sub(r"\{[a-z_]+\}", "…", template)


def message_with_note(finding: Finding) -> str:
    """The finding's message, plus its note (why it was reported one level lower), for one-line formats."""
    if not finding.note:
        return finding.message
    return f"{finding.message} (Reported one level lower: {finding.note}.)"


def summary_line(report: Report) -> str:
    counts = report.counts()
    checked = sum(o.checked for o in report.outcomes)
    parts = [
        f"{len(report.outcomes)} document(s), {checked} checked",
        f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info",
    ]
    if report.suppressed_count:
        parts.append(f"{report.suppressed_count} suppressed by comments")
    if report.baseline is not None:
        parts.append(f"{report.known_count} known in the baseline, {report.fixed_count} fixed since")
    return "; ".join(parts)


def fixed_lines(report: Report) -> list[str]:
    """One line per baseline entry (or part) that is now fixed."""
    return [
        f"{e.document}: {e.rule}" + (f" ({e.section})" if e.section else "") + (f" x{e.count}" if e.count > 1 else "")
        for e in report.fixed
    ]


# ---------------------------------------------------------------- text and json, built on the existing reports


def render_text(report: Report) -> str:
    from noticecheck.gate.report.text import render as render_results

    out = render_results(report.results, color=report.color, show_sections=report.show_sections,
                         width=report.width, summary=not report.quiet)
    notes = []
    if report.suppressed_count:
        notes.append(f"{report.suppressed_count} finding(s) suppressed by noticecheck comments in the documents.")
    if report.baseline is not None:
        notes.append(f"Baseline {report.baseline}: {report.known_count} known finding(s) not shown; only new findings count.")
        if report.fixed:
            notes.append(f"Fixed since the baseline ({report.fixed_count}); shrink it with --write-baseline:")
            notes += [f"  {line}" for line in fixed_lines(report)]
    return out + "".join(note + "\n" for note in notes)


def render_statistics(report: Report) -> str:
    """`--statistics`: findings per rule, most first (then by rule id), with the rule's severity and title."""
    counts: dict[str, list] = {}
    for _, f in by_severity(report):
        entry = counts.setdefault(f.rule, [0, f.severity, f.title])
        entry[0] += 1
        entry[1] = max(entry[1], f.severity)
    rows = sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))
    width = max((len(rule) for rule in counts), default=0)
    return "".join(f"{n:5d}  {rule:<{width}}  {severity.label:<7}  {title}\n" for rule, (n, severity, title) in rows)


def render_json(report: Report) -> str:
    """The versioned JSON report; set-aside findings are listed too, flagged `suppressed` or `baseline`."""
    import json  # only for this format: the text report is the common one

    from noticecheck.gate.report.json_report import report_to_dict

    data = report_to_dict(report.results)
    for outcome, doc in zip(report.outcomes, data["documents"]):
        if report.baseline is not None:
            for item in doc["findings"]:
                item["baseline"] = "new"
            doc["findings"] += [{**f.to_dict(), "baseline": "unchanged"} for f in outcome.baselined]
        doc["findings"] += [{**s.finding.to_dict(), "suppressed": True} for s in outcome.suppressed]
    if report.baseline is not None:
        data["baseline"] = {
            "file": report.baseline,
            "known": report.known_count,
            "fixed": [{"document": e.document, "rule": e.rule, "section": e.section, "count": e.count} for e in report.fixed],
        }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def finding_row(outcome: Outcome, finding: Finding, root: Path) -> dict:
    """The flat record CSV and JSON Lines share: the document, then some of `Finding.to_dict`."""
    data = finding.to_dict()
    row = {"document": display_path(outcome.source, root), **{key: data[key] for key in ROW_FIELDS}}
    row["section"] = row["section"] or ""
    row["note"] = row["note"] or ""
    return row


__all__ = [
    "FORMATS", "FORMAT_NAMES", "LEVELS", "Outcome", "Report", "artifact_uri", "by_severity", "display_path",
    "finding_row", "fixed_lines", "generic", "message_with_note", "render", "render_json", "render_statistics",
    "render_text", "summary_line",
]  # fmt: skip
