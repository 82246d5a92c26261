"""Baselines: write, filter, survive moved text, count per key, report what is fixed, refuse bad files."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from pathlib import Path

import jsonschema

import pytest

from cli_helpers import run
from noticecheck.gate.baseline import Baseline, BaselineError, load_baseline, normalise_path
from noticecheck.model import Finding, Severity

DPA = "We comply with the Data Protection Act 1998."
NOTICE = f"# Privacy notice for parents\n\nWe use pupil data to support learning.\n\n{DPA}\n"
ARGS = ("--isolated", "--as-of", "2026-06-01", "--select", "outdated-dpa-1998,retention-missing", "--fail-on", "error")


def finding(rule: str = "outdated-dpa-1998", section: str | None = None, line: int = 3) -> Finding:
    return Finding(rule, Severity.ERROR, "m", line, "q", "f", "https://example.org", section=section)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notices").mkdir()
    (tmp_path / "notices" / "parents.md").write_text(NOTICE, encoding="utf-8")
    return tmp_path


def test_written_baseline_is_versioned_sorted_and_keyed_without_lines(repo):
    result = run("check", "notices", *ARGS, "--write-baseline", "baseline.json")
    assert result.exit_code == 0, result.stderr  # writing a baseline accepts what it found
    assert "wrote 2 finding(s) to the baseline baseline.json" in result.stderr
    data = json.loads(Path("baseline.json").read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["tool"] == "noticecheck"
    assert data["entries"] == sorted(data["entries"], key=lambda e: (e["document"], e["rule"], e["section"] or ""))
    assert {(e["document"], e["rule"], e["count"]) for e in data["entries"]} == {
        ("notices/parents.md", "outdated-dpa-1998", 1),
        ("notices/parents.md", "retention-missing", 1),
    }
    assert all("line" not in e for e in data["entries"])


def test_known_findings_pass_even_when_text_moves(repo):
    run("check", "notices", *ARGS, "--write-baseline", "baseline.json")
    moved = NOTICE.replace("# Privacy notice for parents\n", "# Privacy notice for parents\n\nIntroduction.\n\nMore words here.\n")
    Path("notices/parents.md").write_text(moved, encoding="utf-8")
    result = run("check", "notices", *ARGS, "--baseline", "baseline.json", "--format", "json")
    assert result.exit_code == 0, result.stdout
    findings = json.loads(result.stdout)["documents"][0]["findings"]
    assert {f["baseline"] for f in findings} == {"unchanged"}


def test_new_findings_fail_and_are_the_only_ones_shown(repo):
    run("check", "notices", *ARGS, "--write-baseline", "baseline.json")
    Path("notices/parents.md").write_text(NOTICE + f"\nAgain: {DPA.lower()}\n", encoding="utf-8")
    result = run("check", "notices", *ARGS, "--baseline", "baseline.json", "--format", "concise")
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "outdated-dpa-1998" in line]
    assert len(lines) == 1 and lines[0].startswith("notices/parents.md:7:1: error: outdated-dpa-1998")
    assert "2 known in the baseline, 0 fixed since" in result.stdout


def test_fixed_entries_are_reported_so_the_baseline_can_shrink(repo):
    run("check", "notices", *ARGS, "--write-baseline", "baseline.json")
    Path("notices/parents.md").write_text(NOTICE.replace(DPA, "We comply with the UK GDPR."), encoding="utf-8")
    text = run("check", "notices", *ARGS, "--baseline", "baseline.json", "--no-sections")
    assert text.exit_code == 0
    assert "Fixed since the baseline (1)" in text.stdout and "notices/parents.md: outdated-dpa-1998" in text.stdout
    markdown = run("check", "notices", *ARGS, "--baseline", "baseline.json", "--format", "markdown")
    assert "Fixed since the baseline" in markdown.stdout
    report = json.loads(run("check", "notices", *ARGS, "--baseline", "baseline.json", "--format", "json").stdout)
    assert report["baseline"]["fixed"] == [{"document": "notices/parents.md", "rule": "outdated-dpa-1998", "section": "purposes", "count": 1}]
    schema = json.loads(resources.files("noticecheck").joinpath("schemas/report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)
    # rewriting shrinks it
    run("check", "notices", *ARGS, "--baseline", "baseline.json", "--write-baseline", "baseline.json")
    assert [e["rule"] for e in json.loads(Path("baseline.json").read_text())["entries"]] == ["retention-missing"]


def test_counts_per_key_and_documents_not_checked_are_not_fixed():
    baseline = Baseline(Counter({("a.md", "outdated-dpa-1998", None): 2, ("b.md", "dpo-missing", "dpo"): 1}))
    new, known = baseline.split("a.md", [finding(line=1), finding(line=5), finding(line=9)])
    assert [f.line for f in known] == [1, 5] and [f.line for f in new] == [9]
    assert baseline.split("./a.md", [finding()])[0] == []  # same path, spelled differently
    fixed = baseline.fixed({"a.md": [finding()]})
    assert [(e.document, e.rule, e.count) for e in fixed] == [("a.md", "outdated-dpa-1998", 1)]  # b.md not checked


def test_round_trip_and_normalised_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    baseline = Baseline.from_findings([("./notices//a.md", finding(section="recipients")), (str(tmp_path / "b.md"), finding())])
    baseline.write(tmp_path / "b.json")
    again = load_baseline(tmp_path / "b.json")
    assert again.counts == baseline.counts
    assert set(again.counts) == {("notices/a.md", "outdated-dpa-1998", "recipients"), ("b.md", "outdated-dpa-1998", None)}
    assert normalise_path("-") == "-" and normalise_path("x/../y.md") == "y.md"


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "baseline file not found"),
        ("not json", "not a JSON baseline"),
        ('{"tool": "other", "entries": []}', "not a noticecheck baseline"),
        ('{"tool": "noticecheck", "version": 99, "entries": []}', "version 99 is not supported"),
        ('{"tool": "noticecheck", "version": 1, "entries": [{"rule": "x"}]}', "entries[0] needs document"),
    ],
)
def test_bad_baseline_files_are_clear_errors(tmp_path, content, expected):
    path = tmp_path / "b.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        load_baseline(path)


def test_cli_exits_2_for_a_missing_baseline(repo):
    result = run("check", "notices", *ARGS, "--baseline", "nope.json")
    assert result.exit_code == 2 and "nope.json: baseline file not found" in result.stderr
