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
from noticecheck.cli.options import context_options, fail, log_to_stderr, open_gate, rule_options, write_output
from noticecheck.gate.config import FAIL_ON
from noticecheck.gate.report.formats import FORMAT_NAMES, Outcome


@click.command()
@click.argument("paths", nargs=-1, required=True)
@rule_options
@click.option("--output-format", "--format", "fmt", type=click.Choice(FORMAT_NAMES), default=None,
              help="Output format; --format is another name for it (default: text; github when GITHUB_ACTIONS=true).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report to a file instead of stdout.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Exit 1 when a finding is at or above this severity (default: config, else error).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (2 still means an input or option was wrong).")
@click.option("--statistics", is_flag=True, help="Print how many findings each rule made, most first, instead of the report.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the findings: no sections, no summary line, no notes on stderr.")
@click.option("--exclude", multiple=True, metavar="GLOBS",
              help="Files or folders a directory walk passes over, e.g. drafts or '*.old.md' (replaces the config's exclude).")
@click.option("--extend-exclude", multiple=True, metavar="GLOBS", help="More globs to pass over, added to the config's.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Only findings not in this baseline file count; the report says which baseline entries are fixed.")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False),
              help="Write the current findings to this baseline file (and exit 0 unless an input is unreadable).")
@context_options
@click.option("--sections/--no-sections", "show_sections", default=True, help="List the sections found (text format).")
@click.option("--color/--no-color", default=None,
              help="Colour the text report (default: when writing to a terminal; NO_COLOR turns it off, FORCE_COLOR on).")
@click.option("--allow-private", is_flag=True, help="Let URLs point at private or loopback addresses (refused by default).")
@click.option("--verbose", "-v", is_flag=True, help="Log why a URL could not be fetched in full (the exception behind the plain reason) on stderr.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Check this many files at once, in separate processes (default: the machine's cores). Output is the same for any number.")
def check(paths, fmt, output, baseline_path, write_baseline_path, show_sections, color, allow_private,
          exit_zero, statistics, quiet, verbose, jobs, **gate_options):
    """Check privacy notices (files, directories, or - for stdin) and report the gaps.

    Reads .txt, .md, .html/.htm, .pdf, .docx and .odt, and http(s) URLs
    (fetched politely: robots.txt, size cap, no private addresses unless
    --allow-private). Settings come from
    --config, else the nearest noticecheck.toml, .noticecheck.toml or
    [tool.noticecheck] in pyproject.toml above the first path; options given
    here win. Exit status: 0 nothing (new) at or above --fail-on (or
    --exit-zero), 1 findings at or above it, 2 bad usage, bad config, an
    unreadable input, or nothing to check.

    The text report wraps to the terminal's width on a terminal and not at
    all into a file or pipe, so URLs and quotes stay whole.
    """
    from noticecheck.controls import one_line, printable
    from noticecheck.gate.report.formats import Report, render
    from noticecheck.gate.run import apply_baseline, exit_code_for

    if verbose:
        log_to_stderr()
    gate = open_gate(paths, **gate_options)
    gate.allow_private = allow_private

    def status_line(outcome: Outcome) -> None:
        if not outcome.checked and not quiet:
            click.echo(f"{one_line(outcome.source)}: unreadable: {printable(outcome.result.error or '')}", err=True)

    from noticecheck.workers import default_jobs

    skipped: list[str] = []
    outcomes = gate.check_paths(paths, on_outcome=status_line, skipped=skipped, jobs=jobs or default_jobs())
    report_skipped(paths, outcomes, skipped, quiet)

    fixed: tuple = ()
    if baseline_path or write_baseline_path:
        # only when asked for: the baseline module (and its pairing of findings) costs start-up time
        from noticecheck.gate.baseline import Baseline, BaselineError
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
        color=use_color(color, output is None and fmt == "text" and sys.stdout.isatty()),
        show_sections=show_sections and not quiet,
        quiet=quiet,
        width=terminal_width() if output is None and sys.stdout.isatty() else None,
    )
    if statistics:
        from noticecheck.gate.report.formats import render_statistics

        write_output(render_statistics(report), output)
    else:
        write_output(render(fmt, report), output)
    if fmt == "github":
        from noticecheck.gate.report.github import append_step_summary

        try:
            append_step_summary(report)
        except OSError as exc:
            click.echo(f"noticecheck: cannot write the job summary: {exc.strerror or exc}", err=True)

    code = exit_code_for(outcomes, gate.fail_on)
    if (write_baseline_path or exit_zero) and code == ExitCode.FINDINGS:
        code = ExitCode.OK  # writing a baseline accepts what it found; --exit-zero reports without failing
    sys.exit(code)


def use_color(flag: bool | None, terminal: bool) -> bool:
    """--color/--no-color, else NO_COLOR (https://no-color.org), else FORCE_COLOR, else colour on a terminal."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return terminal


def terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((100, 24)).columns


def report_skipped(paths, outcomes, skipped: list[str], quiet: bool = False) -> None:
    """Name every file a directory walk passed over; a run that checked nothing ends with exit code 2.

    A CI gate that found no notice to check must not pass: the notices may
    all be legacy .doc files, or the path may point at the wrong folder.
    """
    from noticecheck.controls import one_line
    from noticecheck.sources import skip_reason, skipped_summary

    # file names (and so their extensions) are a stranger's: escaped before they reach the terminal
    for path in skipped if not quiet else ():
        click.echo(f"noticecheck: skipped {one_line(path)}: {skip_reason(path)}", err=True)
    if outcomes:
        return
    where = ", ".join(p.rstrip("/\\") + "/" if os.path.isdir(p) else p for p in paths)
    fail(one_line(f"no notices found in {where}" + (f" (skipped: {skipped_summary(skipped)})" if skipped else "")))
