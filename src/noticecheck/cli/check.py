"""`noticecheck check`: check notices on disk (or stdin) and report the gaps; the CI gate's command.

Thin: parse the options, run the gate (gate/run.py), set aside what the
baseline accepts, render the chosen format, exit with 0 (nothing new at or
above --fail-on), 1 (something is) or 2 (bad usage, bad config, or an input
that could not be read).
"""

from __future__ import annotations

import os
import sys

import click

from noticecheck.gate.exit_codes import ExitCode
from noticecheck.cli.options import context_options, fail, open_gate, rule_options, write_output
from noticecheck.gate.config import FAIL_ON
from noticecheck.gate.report.formats import FORMAT_NAMES, Outcome


@click.command()
@click.argument("paths", nargs=-1, required=True)
@rule_options
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default=None,
              help="Output format (default: text; github when GITHUB_ACTIONS=true).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report to a file instead of stdout.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Exit 1 when a finding is at or above this severity (default: config, else error).")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Only findings not in this baseline file count; the report says which baseline entries are fixed.")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False),
              help="Write the current findings to this baseline file (and exit 0 unless an input is unreadable).")
@context_options
@click.option("--sections/--no-sections", "show_sections", default=True, help="List the sections found (text format).")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: when writing to a terminal).")
@click.option("--allow-private", is_flag=True, help="Let URLs point at private or loopback addresses (refused by default).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Check this many files at once, in separate processes (default: the machine's cores). Output is the same for any number.")
def check(paths, fmt, output, baseline_path, write_baseline_path, show_sections, color, allow_private, jobs, **gate_options):
    """Check privacy notices (files, directories, or - for stdin) and report the gaps.

    Reads .txt, .md, .html/.htm, .pdf, .docx and .odt, and http(s) URLs
    (fetched politely: robots.txt, size cap, no private addresses unless
    --allow-private). Settings come from
    --config, else the nearest noticecheck.toml, .noticecheck.toml or
    [tool.noticecheck] in pyproject.toml above the first path; options given
    here win. Exit status: 0 nothing (new) at or above --fail-on, 1 findings
    at or above it, 2 bad usage, bad config or an unreadable input.
    """
    from noticecheck.controls import one_line, printable
    from noticecheck.gate.baseline import Baseline, BaselineError
    from noticecheck.gate.report.formats import Report, render
    from noticecheck.gate.run import apply_baseline, exit_code_for

    gate = open_gate(paths, **gate_options)
    gate.allow_private = allow_private

    def status_line(outcome: Outcome) -> None:
        if not outcome.checked:
            click.echo(f"{one_line(outcome.source)}: unreadable: {printable(outcome.result.error or '')}", err=True)

    from noticecheck.workers import default_jobs

    outcomes = gate.check_paths(paths, on_outcome=status_line, jobs=jobs or default_jobs())

    fixed: tuple = ()
    if baseline_path:
        try:
            outcomes, fixed = apply_baseline(outcomes, baseline_path, gate.selection.catalogue)
        except BaselineError as exc:
            fail(str(exc))
    if write_baseline_path:
        # The new baseline accepts everything found now, including what the old one accepted.
        everything = [(o.source, f) for o in outcomes for f in (*o.findings, *o.baselined)]
        try:
            Baseline.from_findings(everything).write(write_baseline_path)
        except BaselineError as exc:
            fail(str(exc))
        click.echo(f"noticecheck: wrote {len(everything)} finding(s) to the baseline {write_baseline_path}", err=True)

    if fmt is None:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    report = Report(
        outcomes=tuple(outcomes),
        rulebook=gate.selection.selected,
        fail_on=gate.fail_on,
        baseline=baseline_path,
        fixed=fixed,
        color=color if color is not None else (output is None and fmt == "text" and sys.stdout.isatty()),
        show_sections=show_sections,
    )
    write_output(render(fmt, report), output)
    if fmt == "github":
        from noticecheck.gate.report.github import append_step_summary

        try:
            append_step_summary(report)
        except OSError as exc:
            click.echo(f"noticecheck: cannot write the job summary: {exc.strerror or exc}", err=True)

    code = exit_code_for(outcomes, gate.fail_on)
    if write_baseline_path and code == ExitCode.FINDINGS:
        code = ExitCode.OK  # writing a baseline accepts what it found
    sys.exit(code)
