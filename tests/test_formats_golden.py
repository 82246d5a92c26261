"""Golden files: every `--format` over the fixed inputs in tests/golden/inputs, judged as of a fixed date.

The rules are still being tuned, so a rule change may change these outputs.
SARIF and JUnit list every selected rule (SARIF's rule table, one JUnit
testcase per rule), so they run with a fixed --select: adding a rule to a
pack leaves them alone. The selection covers an error, a warning, a rule
suppressed by a comment, rules skipped for age, audience and date, a rule
that passes and the meta rule. Look at the diff, then regenerate them all
with one command:

    NOTICECHECK_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_formats_golden.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from cli_helpers import run
from noticecheck.gate.report.formats import FORMAT_NAMES

GOLDEN = Path(__file__).parent / "golden"
EXPECTED = GOLDEN / "expected"
UPDATE = os.environ.get("NOTICECHECK_UPDATE_GOLDEN") == "1"
ARGS = ("check", "inputs", "--isolated", "--as-of", "2026-06-01", "--fail-on", "error", "--no-color")
PINNED = ("sarif", "junit")
PINNED_SELECT = (
    "dpo-missing,outdated-dpa-1998,outdated-sar-terms,npd-missing,youth-support-missing,complaints-route-missing,"
    "reading-age-high,retention-period-missing,review-date-stale,unused-suppression"
)
SUFFIX = {"text": "txt", "concise": "txt", "json": "json", "jsonl": "jsonl", "csv": "csv", "sarif": "sarif",
          "junit": "xml", "github": "txt", "markdown": "md", "html": "html"}  # fmt: skip


def _stable(fmt: str, text: str) -> str:
    """Replace what depends on where the repository is checked out."""
    if fmt == "sarif":
        text = re.sub(r'"file:///[^"]*/"', '"file:///ROOT/"', text)
    return text


@pytest.fixture(scope="module")
def outputs() -> dict[str, tuple[int, str]]:
    out = {}
    for fmt in FORMAT_NAMES:
        pin = ("--select", PINNED_SELECT) if fmt in PINNED else ()
        result = run(*ARGS, *pin, "--format", fmt, cwd_path=GOLDEN)
        out[fmt] = (result.exit_code, _stable(fmt, result.stdout))
    return out


def test_every_format_has_a_golden_file():
    assert set(SUFFIX) == set(FORMAT_NAMES)


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_format_matches_golden(outputs, fmt):
    code, text = outputs[fmt]
    assert code == 1  # the inputs have errors
    path = EXPECTED / f"report.{fmt}.{SUFFIX[fmt]}"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    assert path.is_file(), f"{path} is missing; create it with NOTICECHECK_UPDATE_GOLDEN=1 .venv/bin/pytest {Path(__file__).name}"
    expected = path.read_bytes().decode("utf-8")  # keep CSV's \r\n as written
    assert text == expected, (
        f"--format {fmt} output changed. If the change is intended, regenerate with "
        f"NOTICECHECK_UPDATE_GOLDEN=1 .venv/bin/pytest tests/{Path(__file__).name}"
    )
