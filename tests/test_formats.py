"""Report formats, by their contracts: SARIF against the official 2.1.0 schema, JSON against the shipped schema,
GitHub annotation escaping and job summary, JUnit structure, CSV formula safety, escaping of hostile quotes."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from cli_helpers import run
from noticecheck.api import CheckOptions
from noticecheck.gate.run import Gate
from noticecheck.gate.config import Config, select_rules
from noticecheck.model import DocumentResult
from noticecheck.gate.report.formats import Outcome, Report, render
from noticecheck.gate.report.github import command, escape_data, escape_property, step_summary
from noticecheck.gate.report.sarif import to_sarif

SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sarif-2.1.0.json"
AS_OF = date(2026, 6, 1)
HOSTILE = (
    "# Notice | for <b>parents</b>\n\n"
    "We comply with the Data Protection Act 1998 <script>alert('x')</script> | =HYPERLINK(\"http://x\") @someone.\n"
)


@pytest.fixture(scope="module")
def gate() -> Gate:
    return Gate(selection=select_rules(Config()), options=CheckOptions(), today=AS_OF)


@pytest.fixture
def report(gate, tmp_path, monkeypatch) -> Report:
    """Three real documents (one with a suppression comment) and one unreadable input, checked from tmp_path."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    Path("docs/hostile.md").write_text(HOSTILE, encoding="utf-8")
    Path("docs/draft.md").write_text(
        "# Privacy notice\n\n<!-- noticecheck: disable=outdated-dpa-1998 -- history -->\n\n"
        "We were registered under the Data Protection Act 1998.\n",
        encoding="utf-8",
    )
    Path("docs/empty.txt").write_bytes(b"")
    outcomes = gate.check_paths(["docs/hostile.md", "docs/draft.md", "docs/empty.txt"])
    return Report(outcomes=tuple(outcomes), rulebook=gate.selection.selected, root=tmp_path)


# ---------------------------------------------------------------- SARIF


def test_sarif_is_valid_and_complete(report):
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the official SARIF schema is not at {SARIF_SCHEMA} (../shared/schemas from the repository root)")
    log = json.loads(render("sarif", report))
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(log)
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in report.rulebook.rules]
    assert all(r["shortDescription"]["text"] and r["helpUri"].startswith("https://") and "Fix:" in r["help"]["text"] for r in rules)
    results = run_["results"]
    assert results and all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert {r["level"] for r in results} <= {"error", "warning", "note"}
    missing = [r for r in results if r["properties"]["kind"] == "missing"]
    assert missing and all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in missing)
    location = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uriBaseId"] == "SRCROOT" and location["uri"].startswith("docs/")
    suppressed = [r for r in results if r.get("suppressions")]
    assert [s["suppressions"][0]["justification"] for s in suppressed] == ["history"]
    assert run_["invocations"][0]["executionSuccessful"] is False  # docs/empty.txt
    assert "empty.txt" in run_["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]


def test_sarif_fingerprints_survive_moving_text(gate, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("n.md").write_text(HOSTILE, encoding="utf-8")
    before = to_sarif(Report(outcomes=(gate.check_path("n.md"),), rulebook=gate.selection.selected, root=tmp_path))
    Path("n.md").write_text(HOSTILE.replace("\n\n", "\n\nA new first paragraph.\n\nAnd another one.\n\n", 1), encoding="utf-8")
    after = to_sarif(Report(outcomes=(gate.check_path("n.md"),), rulebook=gate.selection.selected, root=tmp_path))

    def prints(log):
        return {(r["ruleId"], r["partialFingerprints"]["noticecheck/v1"]) for r in log["runs"][0]["results"]}

    def lines(log):
        return {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in log["runs"][0]["results"]}

    assert prints(before) == prints(after) and lines(before) != lines(after)


def test_sarif_marks_baseline_state(report):
    outcome = report.outcomes[0]
    known, new = outcome.findings[:1], outcome.findings[1:]
    baselined = replace(report, outcomes=(replace(outcome, result=replace(outcome.result, findings=new), baselined=known),), baseline="b.json")
    states = [r["baselineState"] for r in to_sarif(baselined)["runs"][0]["results"]]
    assert states.count("unchanged") == 1 and states.count("new") == len(new)


# ---------------------------------------------------------------- JSON, JSON Lines, CSV, concise


def test_json_validates_against_the_shipped_schema_with_flags(report):
    schema = json.loads(resources.files("noticecheck").joinpath("schemas/report.schema.json").read_text(encoding="utf-8"))
    data = json.loads(render("json", report))
    jsonschema.Draft202012Validator(schema).validate(data)
    draft = data["documents"][1]
    assert [f["rule"] for f in draft["findings"] if f.get("suppressed")] == ["outdated-dpa-1998"]
    assert draft["summary"]["error"] == sum(1 for f in draft["findings"] if f["severity"] == "error" and not f.get("suppressed"))


def test_jsonl_one_record_per_line(report):
    records = [json.loads(line) for line in render("jsonl", report).splitlines()]
    assert records[0] == {"type": "unreadable", "document": "docs/empty.txt", "error": {"code": "empty", "message": records[0]["error"]["message"]}}
    findings = [r for r in records if r["type"] == "finding"]
    assert len(findings) == sum(len(o.findings) for o in report.outcomes)
    assert all({"document", "rule", "severity", "line", "quote", "fix", "source_link"} <= set(r) for r in findings)


def test_csv_columns_and_formula_cells_are_neutralised(report):
    rows = list(csv.DictReader(io.StringIO(render("csv", report))))
    assert list(rows[0]) == ["document", "rule", "severity", "line", "section", "message", "quote", "fix", "source_link", "note"]
    assert len(rows) == sum(len(o.findings) for o in report.outcomes)
    crafted = replace(report.outcomes[0].findings[0], quote="=cmd|' /C calc'!A0", message="+1")
    hostile = replace(report, outcomes=(replace(report.outcomes[0], result=replace(report.outcomes[0].result, findings=(crafted,))),))
    [row] = list(csv.DictReader(io.StringIO(render("csv", hostile))))
    assert row["quote"] == "'=cmd|' /C calc'!A0" and row["message"] == "'+1"


def test_concise_lines(report):
    lines = render("concise", report).splitlines()
    assert lines[0].startswith("docs/empty.txt:1:1: error: unreadable")
    pattern = re.compile(r"^docs/[\w.]+:\d+:\d+: (error|warning|note): [a-z0-9-]+ \S.*$")
    assert all(pattern.match(line) for line in lines[1:-1]) and lines[-1].startswith("3 document(s), 2 checked")


# ---------------------------------------------------------------- GitHub


def test_github_escaping_rules():
    assert escape_data("50%\r\nnext") == "50%25%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert command("error", "m: x, y", file="dir,1/a:b.md", line=3) == "::error file=dir%2C1/a%3Ab.md,line=3::m: x, y"


def test_github_annotations_most_severe_first(report):
    lines = [line for line in render("github", report).splitlines() if line.startswith("::")]
    kinds = [line.split(" ", 1)[0] for line in lines]
    assert kinds[0] == "::error" and "docs/empty.txt" in lines[0]
    order = {"::error": 0, "::warning": 1, "::notice": 2}
    assert [order[k] for k in kinds] == sorted(order[k] for k in kinds)
    assert all("\n" not in line for line in lines) and any("%0AFix: " in line for line in lines)


def test_github_is_chosen_in_actions_and_writes_the_job_summary(tmp_path):
    notice = tmp_path / "n.md"
    notice.write_text(HOSTILE, encoding="utf-8")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = run("check", str(notice), "--isolated", "--as-of", "2026-06-01",
                 env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1 and result.stdout.startswith("::error ")
    written = summary.read_text(encoding="utf-8")
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert written.startswith("earlier step\n## noticecheck ❌ fails")
    assert len(re.findall(r"^\| (?:🔴|🟠|🔵) ", written, re.M)) == len(annotations)  # every finding is in the table


def test_github_summary_stays_under_the_size_limit_and_keeps_every_finding_it_can(report):
    count = sum(len(o.findings) for o in report.outcomes)
    roomy = step_summary(report, limit=10**6)
    assert "<details>" in roomy  # the full Markdown report when it fits
    compact = step_summary(report, limit=len(roomy.encode()) - 1)
    assert "<details>" not in compact and len(re.findall(r"^\| (error|warning|info) \|", compact, re.M)) == count
    tiny = step_summary(report, limit=1500)
    assert len(tiny.encode()) <= 1500 and "more finding(s) do not fit in a job summary" in tiny


# ---------------------------------------------------------------- JUnit, Markdown, HTML


def test_junit_one_testcase_per_document_and_rule(report):
    root = ET.fromstring(render("junit", report).encode("utf-8"))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["docs/hostile.md", "docs/draft.md", "docs/empty.txt"]
    rules = len(report.rulebook.rules)
    hostile, draft, empty = suites
    assert len(hostile.findall("testcase")) == rules == int(hostile.get("tests"))
    failed = {c.get("name").split(":")[0] for c in hostile.findall("testcase") if c.find("failure") is not None}
    assert failed == {f.rule for f in report.outcomes[0].findings} and int(hostile.get("failures")) == len(failed)
    skipped = [c for c in hostile.findall("testcase") if c.find("skipped") is not None]
    assert skipped and int(hostile.get("skipped")) == len(skipped)
    dpa = next(c for c in draft.findall("testcase") if c.get("name").startswith("outdated-dpa-1998:"))
    assert dpa.find("failure") is None and "suppressed by a comment (history)" in dpa.find("system-out").text
    assert empty.find("testcase/error") is not None and root.get("errors") == "1"


def test_junit_drops_characters_xml_forbids(report):
    outcome = report.outcomes[0]
    bad = replace(outcome.findings[0], quote="bell\x07 and nul\x00 here")
    weird = replace(report, outcomes=(replace(outcome, result=replace(outcome.result, findings=(bad,))),))
    assert "bell and nul here" in ET.fromstring(render("junit", weird).encode("utf-8")).find(".//failure").text


def test_markdown_escapes_hostile_quotes(report):
    text = render("markdown", report)
    assert "<script>" not in text and "&lt;script&gt;" in text and "<b>parents</b>" not in text
    assert "@someone" not in text and "&#64;someone" in text
    table_rows = [line for line in text.splitlines() if line.startswith("| 🔴")]
    assert table_rows and all(line.count(" | ") == 6 for line in table_rows)  # a "|" in a quote does not add a column
    assert "<details><summary><b>docs/hostile.md</b>" in text


def test_html_is_self_contained_and_escapes_quotes(report):
    page = render("html", report)
    assert "<script>" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "<b>parents</b>" not in page
    assert not re.search(r"<(?:script|link)\b|src=", page)  # no scripts, stylesheets or images fetched


def test_every_format_renders_an_empty_run(gate):
    empty = Report(outcomes=(Outcome(DocumentResult(source="x.txt", status="checked")),), rulebook=gate.selection.selected)
    for name in ("text", "concise", "json", "jsonl", "csv", "sarif", "junit", "github", "markdown", "html"):
        assert isinstance(render(name, empty), str)
