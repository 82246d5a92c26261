"""`noticecheck explain RULE`: one rule in full, from the same catalogue `noticecheck rules` lists."""

from __future__ import annotations

import sys

import click

from noticecheck.cli.rules import CONFIG_OPTION, ISOLATED_OPTION, selection_for
from noticecheck.gate.exit_codes import ExitCode


@click.command()
@click.argument("rule_id")
@CONFIG_OPTION
@ISOLATED_OPTION
def explain(rule_id, config_path, isolated):
    """Print one rule in full: what it checks, why (source), when it applies, its message, fix and examples."""
    from noticecheck.rulebook import did_you_mean
    from noticecheck.rule_docs import explain_text

    book = selection_for(config_path, isolated).catalogue
    rule = book.get(rule_id.strip())
    if rule is None:
        hint = did_you_mean(rule_id, book, packs=False)
        click.echo(f"noticecheck: unknown rule {rule_id!r}{hint}; `noticecheck rules` lists them all", err=True)
        sys.exit(ExitCode.USAGE)
    click.echo(explain_text(rule, book), nl=False)
