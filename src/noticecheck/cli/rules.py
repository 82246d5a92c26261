"""`noticecheck rules`: list the rules.

It reads the same catalogue a check would use: the built-in packs, the
`meta` pack, and the extra packs and severity overrides of the config found
from the current directory (or --config; --isolated for built-ins only).
"""

from __future__ import annotations

import json
import sys

import click

from noticecheck.cli.options import fail
from noticecheck.gate.exit_codes import ExitCode


def selection_for(config_path: str | None, isolated: bool):
    from noticecheck.gate.config import ConfigError, discover, select_rules
    from noticecheck.rulebook import RuleFileError

    try:
        return select_rules(discover(config_path, [], isolated=isolated))
    except ConfigError as exc:
        fail(f"config error: {exc}")
    except RuleFileError as exc:
        fail(f"rule file error: {exc}")


CONFIG_OPTION = click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file to read (default: discovered from the current directory).")
ISOLATED_OPTION = click.option("--isolated", is_flag=True, help="Ignore config files: built-in rules and severities only.")


@click.command()
@click.option("--output-format", "--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--test", "test_dir", is_flag=False, flag_value="", default=None, metavar="[DIR]",
              help="Run the rules' pass/fail examples instead of listing them: the built-in packs, or the packs in DIR (an LA's own).")
@CONFIG_OPTION
@ISOLATED_OPTION
def rules(fmt, test_dir, config_path, isolated):
    """List every rule: id, severity, pack and title (* = not selected by the config).

    With --test, run the examples every rule carries (exit 1 if one fails).
    """
    if test_dir is not None:
        _test_examples(test_dir)
        return
    from noticecheck.rule_docs import ordered_rules, render_markdown, rules_to_dicts

    selection = selection_for(config_path, isolated)
    book = selection.catalogue
    chosen = {r.id for r in selection.selected.rules}
    ordered = ordered_rules(book)
    if fmt == "json":
        click.echo(json.dumps(rules_to_dicts(book, chosen), indent=2, ensure_ascii=False))
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


def _test_examples(directory: str) -> None:
    """`rules --test [DIR]`: run the examples of the built-in packs, or of the packs in DIR on top of them."""
    from pathlib import Path

    from noticecheck.rule_examples import examples_of, rules_without_examples, run_example
    from noticecheck.rulebook import RuleFileError, default_rulebook, load_rulebook

    built_in = default_rulebook()
    if directory:
        if not Path(directory).is_dir():
            fail(f"{directory} is not a directory of rule packs")
        try:
            book = load_rulebook(extra_dirs=[Path(directory)])
        except RuleFileError as exc:
            fail(f"rule file error: {exc}")
        known = {r.id for r in built_in.rules}
        chosen = [r for r in book.rules if r.id not in known]
        if not chosen:
            fail(f"no rule packs (*.yaml) in {directory}")
    else:
        book, chosen = built_in, list(built_in.rules)
    examples = examples_of(chosen)
    problems = [f"{e.name}: {problem}" for e in examples if (problem := run_example(e, book)) is not None]
    problems += [f"{rule_id}: needs at least one failing and one passing example" for rule_id in rules_without_examples(chosen)]
    for line in problems:
        click.echo(f"FAIL {line}")
    verdict = f"{len(problems)} problem(s)" if problems else "all as expected"
    click.echo(f"{len(examples)} example(s) of {len(chosen)} rule(s): {verdict}")
    sys.exit(ExitCode.FINDINGS if problems else ExitCode.OK)
