"""`noticecheck check`: check notices on disk (or stdin) and report gaps.

Thin: parse options, read each input at the edge, call the pure engine via
`noticecheck.api`, hand the results to a report format, return an exit code.
A file that cannot be read gets a one-line status and the run goes on.
"""

from __future__ import annotations

import re
import sys
from datetime import date

import click

from noticecheck.cli.exit_codes import ExitCode
from noticecheck.model import AUDIENCES, JURISDICTIONS, SCHOOL_TYPES, DocumentResult, Severity

FAIL_ON = ("error", "warning", "info", "none")


def parse_age_range(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    m = re.fullmatch(r"\s*(\d{1,2})\s*[-–to ]+\s*(\d{1,2})\s*", value)
    if not m or int(m.group(1)) > int(m.group(2)):
        raise click.BadParameter(f"{value!r} is not an age range like 11-18")
    return int(m.group(1)), int(m.group(2))


def parse_as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-09-01") from None


def exit_code_for(results: list[DocumentResult], fail_on: str) -> ExitCode:
    if any(r.status != "checked" for r in results):
        return ExitCode.USAGE
    if fail_on != "none":
        threshold = Severity.parse(fail_on)
        if any(f.severity >= threshold for r in results for f in r.findings):
            return ExitCode.FINDINGS
    return ExitCode.OK


def check_paths(paths, options, rulebook, *, on_result=None) -> list[DocumentResult]:
    """Read and check each input; unreadable inputs become results with a status."""
    from noticecheck.api import check_document
    from noticecheck.model import UnreadableInput
    from noticecheck.sources import iter_paths, read_document

    results = []
    for path in iter_paths(paths):
        try:
            doc = read_document(path, max_bytes=options.max_bytes)
        except UnreadableInput as exc:
            result = DocumentResult(source=path, status="unreadable", error_code=exc.code, error=str(exc))
        else:
            result = check_document(doc, rulebook, options)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report to a file instead of stdout.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True, help="Exit 1 when a finding is at or above this severity.")
@click.option("--audience", type=click.Choice(AUDIENCES), help="Who the notice is for (default: detected from the text).")
@click.option("--age-range", help="Ages of the school's pupils, e.g. 11-18 (default: detected or unknown).")
@click.option("--phase", help="Phase of education, e.g. primary, secondary, all-through, nursery.")
@click.option("--school-type", type=click.Choice(SCHOOL_TYPES), help="Governance of the school (default: detected or unknown).")
@click.option("--jurisdiction", type=click.Choice(JURISDICTIONS), help="Which UK nation's rules apply (default: England unless the notice is clearly Welsh, Scottish or Northern Irish).")
@click.option("--as-of", help="Judge the notice as of this date (YYYY-MM-DD; default today).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None, help="Refuse inputs larger than this many bytes (default 50 MiB).")
@click.option("--sections/--no-sections", "show_sections", default=True, help="List the sections found (text format).")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: when writing to a terminal).")
def check(paths, fmt, output, fail_on, audience, age_range, phase, school_type, jurisdiction, as_of, max_bytes, show_sections, color):
    """Check privacy notices (files, directories, or - for stdin) and report the gaps.

    Reads .txt, .md, .html/.htm, .pdf, .docx and .odt. Exit status: 0 no
    finding at or above --fail-on, 1 findings at or above it, 2 bad usage or
    an input that could not be read.
    """
    from noticecheck.api import DEFAULT_MAX_BYTES, CheckOptions
    from noticecheck.rulebook import RuleFileError, default_rulebook

    options = CheckOptions(
        audience=audience,
        age_range=parse_age_range(age_range),
        phase=phase,
        school_type=school_type,
        jurisdiction=jurisdiction,
        as_of=parse_as_of(as_of),
        max_bytes=max_bytes or DEFAULT_MAX_BYTES,
    )
    try:
        rulebook = default_rulebook()
    except RuleFileError as exc:
        click.echo(f"noticecheck: rule file error: {exc}", err=True)
        sys.exit(ExitCode.USAGE)

    def status_line(result: DocumentResult) -> None:
        if result.status != "checked":
            click.echo(f"{result.source}: unreadable: {result.error}", err=True)

    results = check_paths(paths, options, rulebook, on_result=status_line)

    if fmt == "json":
        from noticecheck.report.json_report import render

        text = render(results)
    else:
        from noticecheck.report.text import render as render_text

        use_color = color if color is not None else (output is None and sys.stdout.isatty())
        text = render_text(results, color=use_color, show_sections=show_sections)

    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    sys.exit(exit_code_for(results, fail_on))
