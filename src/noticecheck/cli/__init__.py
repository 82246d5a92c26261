"""The `noticecheck` command line: a click group whose subcommands live in sibling modules.

Subcommands are imported lazily so `noticecheck check` does not pay for the
scanner's HTTP stack, and `noticecheck scan` does not pay for report formats
it does not write.
"""

from __future__ import annotations

import importlib

import click

from noticecheck import __version__

# command name -> "module:function"; each module stays thin (parse, call, print, exit).
_COMMANDS = {
    "check": "noticecheck.cli.check:check",
    "diff": "noticecheck.cli.diff:diff",
    "drift": "noticecheck.cli.drift:drift",
    "explain": "noticecheck.cli.explain:explain",
    "rules": "noticecheck.cli.rules:rules",
    "eval": "noticecheck.cli.eval:eval_command",
    "demo": "noticecheck.cli.demo:demo",
    "report": "noticecheck.cli.report:report",
    "scan": "noticecheck.cli.scan:scan",
    "serve": "noticecheck.cli.serve:serve",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = _COMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command = getattr(importlib.import_module(module_name), attr)
        if command.short_help is None and command.help:
            # the command list shows the whole first paragraph, not click's 45-character cut
            command.short_help = " ".join(command.help.split("\n\n", 1)[0].split())
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="noticecheck")
def main() -> None:
    """Check UK school privacy notices against UK GDPR and DfE expectations."""
