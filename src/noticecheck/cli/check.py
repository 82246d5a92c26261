"""`noticecheck check`: check notices on disk (or stdin) and report the gaps; the CI gate.

Per run: find and read the config once, build the rulebook once, then per
document: read, load, check (api.check_text with the rules that apply to
that file), drop what suppression comments cover. After all documents: set
aside what the baseline accepts, render the chosen format, exit with
0 (nothing new at or above --fail-on), 1 (something is) or 2 (bad usage,
bad config, or an input that could not be read).

`Gate` holds that per-run state; `noticecheck diff` uses it too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

import click

from noticecheck.cli.exit_codes import ExitCode
from noticecheck.config import FAIL_ON, ConfigError
from noticecheck.model import AUDIENCES, JURISDICTIONS, SCHOOL_TYPES, DocumentResult, Severity
from noticecheck.report.formats import FORMAT_NAMES, Outcome


def parse_as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-09-01") from None


def split_names(values: Iterable[str]) -> tuple[str, ...]:
    """`--select a,b --select c` -> ("a", "b", "c")."""
    return tuple(name.strip() for value in values for name in value.split(",") if name.strip())


def fail(message: str) -> None:
    click.echo(f"noticecheck: {message}", err=True)
    sys.exit(ExitCode.USAGE)


@dataclass
class Gate:
    """Everything a run decides once: the rules, the context options, what to do per document."""

    selection: object  # config.RuleSelection
    options: object  # api.CheckOptions
    fail_on: str = "error"
    allow_private: bool = False  # for URLs: allow loopback/private addresses (local demos and tests)

    def check_path(self, path: str, *, rules_for: str | None = None) -> Outcome:
        """Read, load, check and apply suppression comments to one input.

        `rules_for` picks the per-source rules by another path (diff checks
        an old copy as if it were the new file).
        """
        from noticecheck.fetch.single import is_url
        from noticecheck.load import to_text
        from noticecheck.model import UnreadableInput
        from noticecheck.sources import read_document

        try:
            if is_url(path):
                doc = self._fetch(path)
            else:
                doc = read_document(path, max_bytes=self.options.max_bytes)
            text = to_text(doc, max_bytes=self.options.max_bytes)
        except UnreadableInput as exc:
            return Outcome(DocumentResult(source=path, status="unreadable", error_code=exc.code, error=str(exc)))
        return self.check_loaded(doc, text, rules_for=rules_for)

    def _fetch(self, url: str):
        """One notice from the web, fetched the way a scan fetches (robots.txt, size cap, address guard)."""
        from noticecheck.fetch.http import FetchPolicy
        from noticecheck.fetch.single import fetch_document

        return fetch_document(url, policy=FetchPolicy(allow_private=self.allow_private, max_bytes=self.options.max_bytes))

    def check_loaded(self, doc, text, *, rules_for: str | None = None) -> Outcome:
        from noticecheck.api import check_text
        from noticecheck.suppress import apply_suppressions, parse_directives, raw_text, without_directives

        source = rules_for or doc.source
        raw = raw_text(doc, text.media_type)
        directives = parse_directives(raw, text.blocks) if raw else []
        if directives:
            text = without_directives(text)
        result = check_text(text, self.selection.engine_book(source), self.options)
        kept = apply_suppressions(result.findings, directives, self.selection.catalogue, self.selection.active_ids(source))
        return Outcome(
            replace(result, findings=kept.findings),
            suppressed=kept.suppressed,
            ignored=self.selection.ignored_for(source),
        )

    def check_paths(self, paths: Sequence[str], on_outcome: Callable[[Outcome], None] | None = None) -> list[Outcome]:
        from noticecheck.sources import iter_paths

        outcomes = []
        for path in iter_paths(paths):
            outcome = self.check_path(path)
            outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
        return outcomes


def build_gate(
    paths: Sequence[str],
    *,
    config_path: str | None = None,
    isolated: bool = False,
    select: tuple[str, ...] = (),
    extend_select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    severity: tuple[str, ...] = (),
    fail_on: str | None = None,
    audience: str | None = None,
    age_range: str | None = None,
    phase: str | None = None,
    school_type: str | None = None,
    jurisdiction: str | None = None,
    as_of: str | date | None = None,
    max_bytes: int | None = None,
) -> Gate:
    """Config file + command-line overrides -> a Gate. Raises ConfigError (or RuleFileError) on bad input."""
    if isinstance(as_of, str):
        as_of = parse_as_of(as_of)
    from noticecheck.api import DEFAULT_MAX_BYTES, CheckOptions
    from noticecheck.config import discover, parse_age_range, select_rules, with_overrides

    config = discover(config_path, paths, isolated=isolated)
    overrides = dict(config.severity)
    for item in severity:
        name, sep, level = item.partition("=")
        if not sep or level.strip().lower() not in ("error", "warning", "info"):
            raise ConfigError(f"option --severity: {item!r} is not RULE=error|warning|info")
        overrides[name.strip()] = level.strip().lower()
    config = with_overrides(
        config,
        select=split_names(select) or None,
        extend_select=split_names(extend_select),
        ignore=split_names(ignore),
        severity=overrides if severity else None,
        fail_on=fail_on,
        audience=audience,
        age_range=parse_age_range(age_range, "option --age-range") if age_range is not None else None,
        phase=phase,
        school_type=school_type,
        jurisdiction=jurisdiction,
    )
    options = CheckOptions(
        audience=config.audience,
        age_range=config.age_range,
        phase=config.phase,
        school_type=config.school_type,
        jurisdiction=config.jurisdiction,
        as_of=as_of,
        max_bytes=max_bytes or DEFAULT_MAX_BYTES,
    )
    return Gate(selection=select_rules(config), options=options, fail_on=config.fail_on or "error")


def open_gate(paths: Sequence[str], **options) -> Gate:
    """build_gate for a command: a bad config or rule file ends the run with exit code 2."""
    from noticecheck.rulebook import RuleFileError

    try:
        return build_gate(paths, **options)
    except ConfigError as exc:
        fail(f"config error: {exc}")
    except RuleFileError as exc:
        fail(f"rule file error: {exc}")
    raise AssertionError("unreachable")


def apply_baseline(outcomes: list[Outcome], path: str, catalogue) -> tuple[list[Outcome], tuple]:
    """Set aside what the baseline at `path` accepts; returns (outcomes, fixed entries)."""
    from noticecheck.baseline import load_baseline

    baseline = load_baseline(path).canonical(catalogue)
    fixed = baseline.fixed({o.source: o.findings for o in outcomes if o.checked})
    out = []
    for outcome in outcomes:
        new, known = baseline.split(outcome.source, outcome.findings)
        out.append(replace(outcome, result=replace(outcome.result, findings=tuple(new)), baselined=tuple(known)))
    return out, tuple(fixed)


def exit_code_for(outcomes: Sequence[Outcome], fail_on: str) -> ExitCode:
    if any(not o.checked for o in outcomes):
        return ExitCode.USAGE
    if fail_on != "none":
        threshold = Severity.parse(fail_on)
        if any(f.severity >= threshold for o in outcomes for f in o.findings):
            return ExitCode.FINDINGS
    return ExitCode.OK


def write_output(text: str, output: str | None) -> None:
    if output:
        try:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def context_options(func):
    """The options saying what is known about the notices (shared with `diff`)."""
    options = [
        click.option("--audience", type=click.Choice(AUDIENCES), help="Who the notices are for (default: config, else detected)."),
        click.option("--age-range", help="Ages of the school's pupils, e.g. 11-18 (default: config, else detected)."),
        click.option("--phase", help="Phase of education, e.g. primary, secondary, all-through, nursery."),
        click.option("--school-type", type=click.Choice(SCHOOL_TYPES), help="Governance of the school (default: config, else detected)."),
        click.option("--jurisdiction", type=click.Choice(JURISDICTIONS), help="Which UK nation's rules apply (default: config, else England unless the notice is clearly Welsh, Scottish or Northern Irish)."),
        click.option("--as-of", help="Judge the notices as of this date (YYYY-MM-DD; default today)."),
        click.option("--max-bytes", type=click.IntRange(min=1), default=None, help="Refuse inputs larger than this many bytes (default 50 MiB)."),
    ]  # fmt: skip
    for option in reversed(options):
        func = option(func)
    return func


def rule_options(func):
    """Config discovery and rule selection options (shared with `diff` and `rules`)."""
    options = [
        click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Use this config file instead of discovering noticecheck.toml / .noticecheck.toml / pyproject.toml."),
        click.option("--isolated", is_flag=True, help="Ignore every config file; use built-in defaults and the options given."),
        click.option("--select", multiple=True, metavar="NAMES", help="Comma-separated rule ids, aliases or packs to check (replaces the config's select)."),
        click.option("--extend-select", multiple=True, metavar="NAMES", help="Rules or packs to check in addition."),
        click.option("--ignore", multiple=True, metavar="NAMES", help="Rules or packs not to check (added to the config's ignore)."),
        click.option("--severity", multiple=True, metavar="RULE=LEVEL", help="Override a rule's severity, e.g. dpo-missing=warning (repeatable)."),
    ]  # fmt: skip
    for option in reversed(options):
        func = option(func)
    return func


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
def check(paths, fmt, output, baseline_path, write_baseline_path, show_sections, color, allow_private, **gate_options):
    """Check privacy notices (files, directories, or - for stdin) and report the gaps.

    Reads .txt, .md, .html/.htm, .pdf, .docx and .odt, and http(s) URLs
    (fetched politely: robots.txt, size cap, no private addresses unless
    --allow-private). Settings come from
    --config, else the nearest noticecheck.toml, .noticecheck.toml or
    [tool.noticecheck] in pyproject.toml above the first path; options given
    here win. Exit status: 0 nothing (new) at or above --fail-on, 1 findings
    at or above it, 2 bad usage, bad config or an unreadable input.
    """
    from noticecheck.baseline import Baseline, BaselineError
    from noticecheck.report.controls import one_line, printable
    from noticecheck.report.formats import Report, render

    gate = open_gate(paths, **gate_options)
    gate.allow_private = allow_private

    def status_line(outcome: Outcome) -> None:
        if not outcome.checked:
            click.echo(f"{one_line(outcome.source)}: unreadable: {printable(outcome.result.error or '')}", err=True)

    outcomes = gate.check_paths(paths, on_outcome=status_line)

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
        from noticecheck.report.github import append_step_summary

        try:
            append_step_summary(report)
        except OSError as exc:
            click.echo(f"noticecheck: cannot write the job summary: {exc.strerror or exc}", err=True)

    code = exit_code_for(outcomes, gate.fail_on)
    if write_baseline_path and code == ExitCode.FINDINGS:
        code = ExitCode.OK  # writing a baseline accepts what it found
    sys.exit(code)
