"""`noticecheck diff OLD NEW`: what a change to a notice introduced and what it fixed.

Both versions are checked with the same configuration (discovered from
NEW). Findings are compared by (rule, section), never by line, because an
edit moves lines: within one (rule, section), findings quoting the same
sentence are the same finding; the rest pair up in order, and what is left
over is introduced (only in NEW) or fixed (only in OLD). Exit 1 when the
change introduced a finding at or above --fail-on.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import click

from noticecheck.cli.options import context_options, fail, open_gate, rule_options
from noticecheck.gate.exit_codes import ExitCode
from noticecheck.gate.config import FAIL_ON
from noticecheck.model import Finding, Severity
from noticecheck.pairing import pair


@dataclass(frozen=True)
class Change:
    introduced: tuple[Finding, ...]
    fixed: tuple[Finding, ...]
    unchanged: int


def compare(old: Sequence[Finding], new: Sequence[Finding]) -> Change:
    """Match findings by (rule, section), same quote first, then in order (pairing.pair)."""
    matched = pair(old, new, key=lambda f: (f.rule, f.section), same=lambda a, b: a.quote == b.quote)
    order = lambda f: (-f.severity, f.line, f.rule)  # noqa: E731
    return Change(tuple(sorted(matched.added, key=order)), tuple(sorted(matched.gone, key=order)), len(matched.kept))


def _text(old_path: str, new_path: str, change: Change) -> str:
    lines = [f"noticecheck diff {old_path} -> {new_path}"]
    for title, sign, items in (("Introduced", "+", change.introduced), ("Fixed", "-", change.fixed)):
        lines.append(f"{title} ({len(items)}):" if items else f"{title}: nothing")
        for f in items:
            section = f" [{f.section}]" if f.section else ""
            lines.append(f"  {sign} {f.severity.label:<7} {f.rule}{section} line {f.line}: {f.message}")
            lines.append(f"      \"{f.quote}\"")
    lines.append(f"Unchanged: {change.unchanged} finding(s).")
    return "\n".join(lines) + "\n"


def _json(old_path: str, new_path: str, change: Change) -> str:

    data = {
        "old": old_path,
        "new": new_path,
        "introduced": [f.to_dict() for f in change.introduced],
        "fixed": [f.to_dict() for f in change.fixed],
        "unchanged": change.unchanged,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@click.command()
@click.argument("old_path", metavar="OLD")
@click.argument("new_path", metavar="NEW")
@rule_options
@click.option("--output-format", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Exit 1 when the change introduced a finding at or above this severity (default: config, else error).")
@context_options
def diff(old_path, new_path, fmt, **gate_options):
    """Check OLD and NEW versions of a notice and show what the change introduced and fixed."""
    gate = open_gate([new_path], **gate_options)
    old, new = gate.check_path(old_path, rules_for=new_path), gate.check_path(new_path)
    for outcome in (old, new):
        if not outcome.checked:
            fail(f"{outcome.source}: unreadable: {outcome.result.error}")
    change = compare(old.findings, new.findings)
    sys.stdout.write(_json(old_path, new_path, change) if fmt == "json" else _text(old_path, new_path, change))
    threshold = gate.fail_on
    if threshold != "none" and any(f.severity >= Severity.parse(threshold) for f in change.introduced):
        sys.exit(ExitCode.FINDINGS)
    sys.exit(ExitCode.OK)
