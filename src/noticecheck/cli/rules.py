"""`noticecheck rules` (list the rules) and `noticecheck explain RULE` (one rule in full).

Both read the same catalogue a check would use: the built-in packs, the
`meta` pack, and the extra packs and severity overrides of the config found
from the current directory (or --config; --isolated for built-ins only).
"""

from __future__ import annotations

import json
import sys

import click

from noticecheck.cli.check import fail
from noticecheck.cli.exit_codes import ExitCode


def _selection(config_path: str | None, isolated: bool):
    from noticecheck.config import ConfigError, discover, select_rules
    from noticecheck.rulebook import RuleFileError

    try:
        return select_rules(discover(config_path, [], isolated=isolated))
    except ConfigError as exc:
        fail(f"config error: {exc}")
    except RuleFileError as exc:
        fail(f"rule file error: {exc}")


def rule_to_dict(rule, selected: bool) -> dict:
    return {
        "id": rule.id,
        "title": rule.title,
        "severity": rule.severity.label,
        "pack": rule.pack,
        "selected": selected,
        "aliases": list(rule.aliases),
        "source": {"title": rule.source_title, "url": rule.source_url},
        "applies_from": rule.applies_from.isoformat(),
        "applies_until": rule.applies_until.isoformat() if rule.applies_until else None,
        "applies_to": dict(rule.applies_to),
        "message": rule.message,
        "fix": rule.fix,
    }


_CONFIG = click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file to read (default: discovered from the current directory).")
_ISOLATED = click.option("--isolated", is_flag=True, help="Ignore config files: built-in rules and severities only.")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@_CONFIG
@_ISOLATED
def rules(fmt, config_path, isolated):
    """List every rule: id, severity, pack and title (* = not selected by the config)."""
    from noticecheck.rule_docs import ordered_packs, render_markdown

    selection = _selection(config_path, isolated)
    book = selection.catalogue
    chosen = {r.id for r in selection.selected.rules}
    ordered = [r for pack in ordered_packs(book) for r in book.rules if r.pack == pack]
    if fmt == "json":
        click.echo(json.dumps([rule_to_dict(r, r.id in chosen) for r in ordered], indent=2, ensure_ascii=False))
        return
    if fmt == "markdown":
        sys.stdout.write(render_markdown(book))
        return
    width = max(len(r.id) for r in ordered)
    pack_width = max(len(r.pack) for r in ordered)
    for rule in ordered:
        mark = " " if rule.id in chosen else "*"
        click.echo(f"{rule.id:<{width}}{mark} {rule.severity.label:<8} {rule.pack:<{pack_width}} {rule.title}")
    unselected = len(ordered) - len(chosen & {r.id for r in ordered})
    if unselected:
        click.echo(f"\n* not selected by the configuration ({unselected} rule(s))")


@click.command()
@click.argument("rule_id")
@_CONFIG
@_ISOLATED
def explain(rule_id, config_path, isolated):
    """Print one rule in full: what it checks, why (source), when it applies, its message, fix and examples."""
    from noticecheck.config import did_you_mean
    from noticecheck.rule_docs import explain_text

    book = _selection(config_path, isolated).catalogue
    rule = book.get(rule_id.strip())
    if rule is None:
        hint = did_you_mean(rule_id, book, packs=False)
        click.echo(f"noticecheck: unknown rule {rule_id!r}{hint}; `noticecheck rules` lists them all", err=True)
        sys.exit(ExitCode.USAGE)
    click.echo(explain_text(rule, book), nl=False)
