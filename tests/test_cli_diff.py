"""`noticecheck diff OLD NEW`: introduced and fixed findings by rule and section, with quotes; exit codes."""

from __future__ import annotations

import json

from cli_helpers import run
from noticecheck.cli.diff import compare
from noticecheck.model import Finding, Severity

BASE = "# Privacy notice for parents\n\nWe use pupil data to support learning.\n\nHow long we keep data: until the pupil is 25.\n"
DPA = "\nWe comply with the Data Protection Act 1998.\n"
ARGS = ("--isolated", "--as-of", "2026-06-01")


def f(rule: str, quote: str, line: int = 1, section: str | None = None) -> Finding:
    return Finding(rule, Severity.ERROR, "m", line, quote, "fix", "https://example.org", section=section)


def test_compare_ignores_lines_and_matches_quotes_first():
    old = [f("a", "same", 3), f("b", "gone", 4), f("c", "x", 5, "rights")]
    new = [f("a", "same", 9), f("c", "y", 12, "rights"), f("d", "fresh", 2)]
    change = compare(old, new)
    assert [x.rule for x in change.introduced] == ["d"] and [x.rule for x in change.fixed] == ["b"]
    assert change.unchanged == 2  # "a" moved; "c" reworded in the same section


def test_diff_reports_what_a_change_introduced_and_fixed(tmp_path):
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(BASE, encoding="utf-8")
    new.write_text(BASE.replace("until the pupil is 25", "as long as needed") + DPA, encoding="utf-8")
    result = run("diff", str(old), str(new), *ARGS)
    assert result.exit_code == 1
    out = result.stdout
    introduced = out.split("Fixed")[0]
    assert "+ error   outdated-dpa-1998 [purposes] line 7" in introduced
    assert '"We comply with the Data Protection Act 1998."' in introduced
    assert "+ warning retention-period-missing [retention]" in introduced  # the period was taken out
    assert "Fixed: nothing" in out

    back = run("diff", str(new), str(old), *ARGS, "--format", "json")
    assert back.exit_code == 0  # going back only fixes things
    data = json.loads(back.stdout)
    assert "outdated-dpa-1998" in {x["rule"] for x in data["fixed"]} and not any(
        x["severity"] == "error" for x in data["introduced"]
    )


def test_diff_fail_on_and_unreadable(tmp_path):
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(BASE, encoding="utf-8")
    new.write_text(BASE + DPA, encoding="utf-8")
    assert run("diff", str(old), str(new), *ARGS, "--fail-on", "none").exit_code == 0
    missing = run("diff", str(old), str(tmp_path / "nope.md"), *ARGS)
    assert missing.exit_code == 2 and "nope.md: unreadable" in missing.stderr
