"""`noticecheck check` speaks the conventions of ruff, yamllint and Vale that users try first (issue 12):
--output-format (with --format as an alias), --exit-zero, --statistics, -q/--quiet, -V; exclude and
extend-exclude globs; per-file-ignores; NO_COLOR / FORCE_COLOR; no hard wrap into files and pipes; a
concise line that carries the severity; a command list that shows whole descriptions."""

from __future__ import annotations

import json
import re

import pytest

from cli_helpers import run
from noticecheck import __version__

NOTICE = "# Privacy notice\n\nWe comply with the Data Protection Act 1998.\n"
LONG_URL = "https://www.example-school.sch.uk/" + "very-long-path-segment/" * 8 + "privacy.pdf"


@pytest.fixture
def notices(tmp_path):
    folder = tmp_path / "notices"
    (folder / "drafts").mkdir(parents=True)
    (folder / "parents.md").write_text(NOTICE, encoding="utf-8")
    (folder / "drafts" / "old.md").write_text(NOTICE, encoding="utf-8")
    (folder / "staff.old.md").write_text(NOTICE, encoding="utf-8")
    return tmp_path


def _documents(result) -> list[str]:
    return sorted({line.split(":", 1)[0] for line in result.stdout.splitlines() if re.match(r"^\S+:\d+:\d+: ", line)})


def test_output_format_with_format_as_its_alias(notices):
    a = run("check", "notices/parents.md", "--output-format", "concise", cwd_path=notices)
    b = run("check", "notices/parents.md", "--format", "concise", cwd_path=notices)
    assert a.stdout == b.stdout and a.stdout.startswith("notices/parents.md:")
    for command in ("check", "diff", "eval", "report", "rules"):
        assert "--output-format, --format" in run(command, "--help").stdout, command


def test_exit_zero_keeps_the_report_and_exits_0(notices):
    assert run("check", "notices/parents.md", cwd_path=notices).exit_code == 1
    result = run("check", "notices/parents.md", "--exit-zero", "--format", "concise", cwd_path=notices)
    assert result.exit_code == 0 and "outdated-dpa-1998" in result.stdout


def test_statistics_counts_findings_by_rule_most_first(notices):
    result = run("check", "notices", "--statistics", "--fail-on", "none", cwd_path=notices)
    rows = [line.split() for line in result.stdout.splitlines() if line.strip()]
    counts = [int(row[0]) for row in rows]
    assert counts == sorted(counts, reverse=True) and counts[0] == 3
    assert any(row[1] == "outdated-dpa-1998" for row in rows)
    assert "Sections" not in result.stdout


def test_quiet_prints_only_the_findings(notices):
    loud = run("check", "notices/parents.md", "--format", "concise", cwd_path=notices)
    quiet = run("check", "notices/parents.md", "--format", "concise", "-q", cwd_path=notices)
    assert "document(s)" in loud.stdout and "document(s)" not in quiet.stdout
    assert quiet.stdout.splitlines() == loud.stdout.splitlines()[:-1]
    text = run("check", "notices/parents.md", "--quiet", cwd_path=notices)
    assert "Sections" not in text.stdout and "outdated-dpa-1998" in text.stdout


def test_capital_v_prints_the_version():
    result = run("-V")
    assert result.exit_code == 0 and __version__ in result.stdout


def test_exclude_and_extend_exclude_on_the_command_line(notices):
    everything = run("check", "notices", "--format", "concise", cwd_path=notices)
    assert _documents(everything) == ["notices/drafts/old.md", "notices/parents.md", "notices/staff.old.md"]
    excluded = run("check", "notices", "--format", "concise", "--exclude", "drafts", "--extend-exclude", "*.old.md",
                   cwd_path=notices)
    assert _documents(excluded) == ["notices/parents.md"]


def test_exclude_extend_exclude_and_per_file_ignores_in_config(notices):
    (notices / "noticecheck.toml").write_text(
        'exclude = ["notices/drafts/*"]\nextend-exclude = ["*.old.md"]\n'
        '[per-file-ignores]\n"notices/parents.md" = ["outdated-dpa-1998"]\n', encoding="utf-8")
    result = run("check", "notices", "--format", "concise", "--fail-on", "none", cwd_path=notices)
    assert _documents(result) == ["notices/parents.md"]
    assert "outdated-dpa-1998" not in result.stdout


def test_no_color_and_force_color(notices):
    forced = run("check", "notices/parents.md", env={"FORCE_COLOR": "1"}, cwd_path=notices)
    assert "\x1b[" in forced.stdout
    assert "\x1b[" not in run("check", "notices/parents.md", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}, cwd_path=notices).stdout
    assert "\x1b[" in run("check", "notices/parents.md", "--color", env={"NO_COLOR": "1"}, cwd_path=notices).stdout


def test_no_hard_wrap_into_a_file_or_pipe(tmp_path):
    (tmp_path / "n.md").write_text(NOTICE, encoding="utf-8")
    findings = json.loads(run("check", "n.md", "--format", "json", "--fail-on", "none", cwd_path=tmp_path).stdout)
    long_fixes = [f["fix"] for f in findings["documents"][0]["findings"] if len(f["fix"]) > 150]
    assert long_fixes
    piped = run("check", "n.md", "--fail-on", "none", cwd_path=tmp_path).stdout.splitlines()
    run("check", "n.md", "--fail-on", "none", "-o", "report.txt", cwd_path=tmp_path)
    written = (tmp_path / "report.txt").read_text(encoding="utf-8").splitlines()
    for lines in (piped, written):
        for fix in long_fixes:
            assert any(line.strip() == f"fix: {fix}" for line in lines)


def test_concise_carries_the_severity(notices):
    lines = run("check", "notices/parents.md", "--format", "concise", "-q", cwd_path=notices).stdout.splitlines()
    assert lines and all(re.match(r"^notices/parents\.md:\d+:\d+: (error|warning|note): [a-z0-9-]+ \S", line) for line in lines)
    assert any(": error: outdated-dpa-1998 " in line for line in lines)


def test_help_lists_whole_command_descriptions():
    out = run("--help").stdout
    commands = out.split("Commands:", 1)[1]
    assert "…" not in commands and "..." not in commands
    assert "Scan a pretend local authority whose school websites run on this computer, and write its dashboard." in " ".join(out.split())
