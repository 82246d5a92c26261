"""The CI gate's per-run state: config and rules decided once, then per document load, check, suppress.

Per run: find and read the config once, build the rulebook once, then per
document: read, load, check (with the rules that apply to that file), drop
what suppression comments cover. After all documents: set aside what the
baseline accepts and decide the exit code. `noticecheck check` and
`noticecheck diff` drive it; nothing here prints or exits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from noticecheck.gate.config import ConfigError
from noticecheck.gate.exit_codes import ExitCode
from noticecheck.gate.report.formats import Outcome
from noticecheck.model import Severity


def split_names(values: Iterable[str]) -> tuple[str, ...]:
    """`--select a,b --select c` -> ("a", "b", "c")."""
    return tuple(name.strip() for value in values for name in value.split(",") if name.strip())


@dataclass
class Gate:
    """Everything a run decides once: the rules, the context options, what to do per document."""

    selection: object  # config.RuleSelection
    options: object  # api.CheckOptions
    today: date  # the run's clock: notices are judged as of options.as_of, else this
    fail_on: str = "error"
    allow_private: bool = False  # for URLs: allow loopback/private addresses (local demos and tests)
    exclude: tuple = ()  # config.PathGlob: files and folders a directory walk passes over

    def excluded(self, path: str) -> bool:
        return any(glob.matches(path) for glob in self.exclude)

    def check_path(self, path: str, *, rules_for: str | None = None) -> Outcome:
        """Read (or fetch) one input, then check it.

        `rules_for` picks the per-source rules by another path (diff checks
        an old copy as if it were the new file).
        """
        from noticecheck.api import unreadable
        from noticecheck.fetch.single import is_url
        from noticecheck.model import UnreadableInput
        from noticecheck.sources import read_document

        try:
            if is_url(path):
                doc = self._fetch(path)
            else:
                doc = read_document(path, max_bytes=self.options.max_bytes)
        except UnreadableInput as exc:
            return Outcome(unreadable(path, exc))
        return self.check_doc(doc, rules_for=rules_for)

    def _fetch(self, url: str):
        """One notice from the web, fetched the way a scan fetches (robots.txt, size cap, address guard)."""
        from noticecheck.fetch.http import FetchPolicy
        from noticecheck.fetch.single import fetch_document

        return fetch_document(url, policy=FetchPolicy(allow_private=self.allow_private, max_bytes=self.options.max_bytes))

    def check_doc(self, doc, *, rules_for: str | None = None) -> Outcome:
        """The pipeline with this file's rules, suppression comments applied last."""
        from noticecheck.api import check_document

        source = rules_for or doc.source
        book, suppress = self._rules_for(source)
        result = check_document(doc, book, self.options, today=self.today, suppress=suppress)
        return Outcome(result, ignored=self.selection.ignored_for(source))

    def check_text(self, text, *, rules_for: str | None = None) -> Outcome:
        """The same pipeline from text already loaded (the self-check page keeps the Text to annotate it)."""
        from noticecheck.api import check_text

        source = rules_for or text.source
        book, suppress = self._rules_for(source)
        result = check_text(text, book, self.options, today=self.today, suppress=suppress)
        return Outcome(result, ignored=self.selection.ignored_for(source))

    def _rules_for(self, source: str):
        """(the engine's rulebook, the suppression stage) for one document."""
        catalogue, active = self.selection.catalogue, self.selection.active_ids(source)

        def suppress(findings, directives):
            # imported here: the pipeline calls this only for a text with noticecheck comments
            from noticecheck.gate.suppress import apply_suppressions

            return apply_suppressions(findings, directives, catalogue, active)

        return self.selection.engine_book(source), suppress

    def check_paths(
        self,
        paths: Sequence[str],
        on_outcome: Callable[[Outcome], None] | None = None,
        skipped: list[str] | None = None,
        *,
        jobs: int = 1,
    ) -> list[Outcome]:
        """Check every input, `jobs` at a time in forked processes; outcomes in input order.
        Files a directory walk passed over (a .doc, an image) go to `skipped`."""
        from noticecheck.sources import STDIN, iter_paths
        from noticecheck.workers import Workers

        inputs = list(iter_paths(paths, skipped, self.excluded))
        if len(inputs) < 2 or STDIN in inputs:
            jobs = 1  # nothing to share out; and a forked worker cannot read our stdin
        outcomes = []
        with Workers(self.check_path, jobs) as workers:
            for outcome in workers.map(inputs):
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
    exclude: tuple[str, ...] = (),
    extend_exclude: tuple[str, ...] = (),
    today: date,
) -> Gate:
    """Config file + command-line overrides -> a Gate. Raises ConfigError (or RuleFileError) on bad input."""
    if isinstance(as_of, str):
        try:
            as_of = date.fromisoformat(as_of)
        except ValueError:
            raise ConfigError(f"option --as-of: {as_of!r} is not a date like 2026-09-01") from None
    from noticecheck.api import DEFAULT_MAX_BYTES, CheckOptions
    from pathlib import Path

    from noticecheck.gate.config import PathGlob, discover, parse_age_range, select_rules, with_overrides

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
        # options' globs are relative to where the command runs; --exclude replaces the file's list
        exclude=tuple(PathGlob(g, Path.cwd()) for g in split_names(exclude)) or None,
        extend_exclude=tuple(PathGlob(g, Path.cwd()) for g in split_names(extend_exclude)),
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
    return Gate(selection=select_rules(config), options=options, today=today, fail_on=config.fail_on or "error",
                exclude=config.exclude + config.extend_exclude)


def apply_baseline(outcomes: list[Outcome], path: str, catalogue) -> tuple[list[Outcome], tuple]:
    """Set aside what the baseline at `path` accepts; returns (outcomes, fixed entries)."""
    from noticecheck.gate.baseline import load_baseline

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
