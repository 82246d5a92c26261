"""Applying suppression comments to findings, and the `unused-suppression` rule that polices them.

The comments (`<!-- noticecheck: disable=... -->`, `disable-next=...`) are read
by the HTML and Markdown loaders (load/comments.py) and arrive on
`Text.directives`; this module applies them to the engine's findings, as the
optional last step of the pipeline (`api.check_text(..., suppress=...)`),
which only the CI gate asks for.

Like ruff's RUF100, a comment that suppresses nothing is itself reported,
as rule `unused-suppression`: a comment naming an unknown rule, a comment
that cannot be read, or a rule that ran and found nothing there. A rule that
did not run (not selected, or ignored for this file) is not reported: the
comment may matter under another configuration.

The rule itself is data, in rules/gate/meta.yaml: a pack the engine never
loads (its examples run through the gate in tests/test_suppress.py, since
`api.check_document` does not, and should not, honour suppression comments:
a local authority scanning school websites must not let a page's own
comments hide its gaps). `config.load_catalogue` adds it to the gate's
rulebook, so select/ignore/severity, `rules`, `explain`, SARIF and the docs
all know it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from noticecheck.model import Directive, Finding
from noticecheck.rulebook import Rule, did_you_mean

UNUSED_SUPPRESSION = "unused-suppression"


@dataclass(frozen=True)
class Suppressed:
    finding: Finding
    directive: Directive


@dataclass(frozen=True)
class SuppressionResult:
    findings: tuple[Finding, ...]  # what is still reported, including unused-suppression findings
    suppressed: tuple[Suppressed, ...]


# ---------------------------------------------------------------- applying them


def apply_suppressions(
    findings: Sequence[Finding],
    directives: Sequence[Directive],
    catalogue,
    active: Collection[str],
) -> SuppressionResult:
    """Drop the findings the directives cover and report the directives that cover nothing.

    `catalogue` is the Rulebook of every known rule (to tell an unknown name
    from a rule that is merely switched off); `active` holds the rule ids
    that ran on this document.
    """
    if not directives:
        return SuppressionResult(tuple(findings), ())
    resolved = [_resolve(d, catalogue) for d in directives]
    used: set[tuple[int, str]] = set()
    kept, suppressed = _suppress(findings, directives, resolved, used)

    meta_rule = catalogue.get(UNUSED_SUPPRESSION)
    if meta_rule is None or UNUSED_SUPPRESSION not in active:
        return SuppressionResult(tuple(kept), tuple(suppressed))
    reports = []
    for index, (directive, (ids, unknown)) in enumerate(zip(directives, resolved)):
        problem = _problem(index, directive, ids, unknown, used, active, catalogue)
        if problem:
            reports.append(_report(meta_rule, directive, problem))
    # A comment may silence the reports about comments, as ruff's `# noqa: RUF100` does.
    kept_reports, suppressed_reports = _suppress(reports, directives, resolved, used)
    findings_out = sorted([*kept, *kept_reports], key=lambda f: (-f.severity, f.line, f.rule))
    return SuppressionResult(tuple(findings_out), tuple(suppressed + suppressed_reports))


def _resolve(directive: Directive, catalogue) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(canonical rule ids, unknown names) for one directive."""
    ids, unknown = [], []
    for name in directive.names:
        rule = catalogue.get(name)
        if rule is None:
            unknown.append(name)
        else:
            ids.append(rule.id)
    return tuple(ids), tuple(unknown)


def _suppress(findings, directives, resolved, used) -> tuple[list[Finding], list[Suppressed]]:
    kept, suppressed = [], []
    for finding in findings:
        for index, directive in enumerate(directives):
            if finding.rule in resolved[index][0] and directive.covers(finding.line):
                used.add((index, finding.rule))
                suppressed.append(Suppressed(finding, directive))
                break
        else:
            kept.append(finding)
    return kept, suppressed


def _problem(index, directive, ids, unknown, used, active, catalogue) -> str | None:
    if directive.problem:
        return directive.problem
    parts = [f"{name!r} is not a rule{did_you_mean(name, catalogue, packs=False)}" for name in unknown]
    idle = [i for i in ids if i in active and i != UNUSED_SUPPRESSION and (index, i) not in used]
    if idle:
        where = "in this document" if directive.action == "disable" else _scope_words(directive)
        parts.append(f"{', '.join(idle)} found nothing {where}")
    return "; ".join(parts) or None


def _scope_words(directive: Directive) -> str:
    if directive.scope is None:
        return "(no block follows the comment)"
    return f"in the block at line {directive.scope[0]}"


def _report(rule: Rule, directive: Directive, problem: str) -> Finding:
    from noticecheck.engine import make_finding

    return make_finding(rule, rule.severity, directive.line, directive.text, kind="fault", section=None, problem=problem)


__all__ = ["Suppressed", "SuppressionResult", "UNUSED_SUPPRESSION", "apply_suppressions"]
