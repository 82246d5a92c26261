"""Run the noticecheck CLI in-process (click's CliRunner) from a chosen directory, for the gate's tests.

In-process keeps the tests fast: the rulebook is loaded once per test
process, not once per invocation.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner, Result

from noticecheck.cli import main

# Variables that would change what `check` does in a CI runner.
CLEAN_ENV = {"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None}


@contextlib.contextmanager
def cwd(path: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def run(*args: str, cwd_path: Path | None = None, env: dict | None = None, stdin: str | bytes | None = None) -> Result:
    """Invoke `noticecheck ARGS`; stdout and stderr are kept apart (result.stdout / result.stderr)."""
    runner = CliRunner()
    with cwd(cwd_path) if cwd_path is not None else contextlib.nullcontext():
        return runner.invoke(main, list(args), env={**CLEAN_ENV, **(env or {})}, input=stdin, catch_exceptions=False)
