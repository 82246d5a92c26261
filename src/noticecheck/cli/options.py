"""What several commands share: the rule-selection and context options, and how a command gives up.

`fail` prints "noticecheck: ..." on stderr and exits 2 (bad usage or
config); `open_gate` builds the gate for `check` and `diff` the same way.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date

import click

from noticecheck.gate.exit_codes import ExitCode
from noticecheck.model import AUDIENCES, JURISDICTIONS, SCHOOL_TYPES

DEFAULT_DB = "reports/noticecheck.sqlite"
DEFAULT_OUT = "reports"
DEMO_DB = "reports/demo/demo.sqlite"  # where `noticecheck demo` (make demo) keeps its history


def parse_as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-09-01") from None


def fail(message: str) -> None:
    click.echo(f"noticecheck: {message}", err=True)
    sys.exit(ExitCode.USAGE)


def open_gate(paths: Sequence[str], **options):
    """build_gate for a command: a bad config or rule file ends the run with exit code 2."""
    from noticecheck.gate.config import ConfigError
    from noticecheck.gate.run import build_gate
    from noticecheck.rulebook import RuleFileError

    if isinstance(options.get("as_of"), str):
        options["as_of"] = parse_as_of(options["as_of"])
    try:
        return build_gate(paths, **options, today=date.today())
    except ConfigError as exc:
        fail(f"config error: {exc}")
    except RuleFileError as exc:
        fail(f"rule file error: {exc}")
    raise AssertionError("unreachable")


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


def log_to_stderr() -> None:
    """--verbose (scan, check): noticecheck's debug log (each failed request's exception, in full) on stderr."""
    import logging

    from noticecheck.controls import printable

    class Printable(logging.Formatter):
        # an exception's text can carry a server's or a file's own words: escaped like any other output
        def format(self, record: logging.LogRecord) -> str:
            return printable(super().format(record))

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(Printable("%(asctime)s %(name)s: %(message)s"))
    logger = logging.getLogger("noticecheck")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    # in-process callers (tests) run more commands after this one: leave logging as it was
    click.get_current_context().call_on_close(lambda: (logger.removeHandler(handler), logger.setLevel(logging.NOTSET)))
