"""`noticecheck check` end to end through the real console entry point: exit codes, stdin, directories,
unreadable inputs that do not stop the run, and JSON validated against the shipped schema."""

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

GOOD = """Privacy notice for parents

We use pupil data to support learning. We collect names, addresses and attendance records.
We share information with the local authority and the Department for Education.
"""


def run(*args, stdin: bytes | None = None, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "noticecheck.cli", *args], input=stdin, capture_output=True, cwd=cwd, timeout=60
    )


@pytest.fixture(scope="module")
def schema():
    text = resources.files("noticecheck").joinpath("schemas/report.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def test_json_report_validates_and_has_the_contract_fields(tmp_path, schema):
    (tmp_path / "a.txt").write_text(GOOD + "\nThis complies with the Data Protection Act 1998.\n", encoding="utf-8")
    proc = run("check", str(tmp_path / "a.txt"), "--format", "json", "--as-of", "2026-11-24")
    assert proc.returncode == 1, proc.stderr  # errors present, --fail-on error by default
    report = json.loads(proc.stdout)
    jsonschema.Draft202012Validator(schema).validate(report)
    doc = report["documents"][0]
    assert doc["source"] == str(tmp_path / "a.txt")
    assert doc["sections"]["purposes"]["present"] is True
    assert doc["sections"]["purposes"]["evidence"][0]["line"] == 3
    dpa = next(f for f in doc["findings"] if f["rule"] == "outdated-dpa-1998")
    assert dpa["line"] == 6 and "1998" in dpa["quote"] and dpa["fix"] and dpa["source_link"].startswith("https://")


def test_fail_on_levels(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    assert run("check", str(tmp_path / "a.txt"), "--fail-on", "none").returncode == 0
    assert run("check", str(tmp_path / "a.txt"), "--fail-on", "info").returncode == 1


def test_stdin_and_directory_walk(tmp_path):
    proc = run("check", "-", "--format", "json", "--fail-on", "none", stdin=GOOD.encode())
    assert proc.returncode == 0 and json.loads(proc.stdout)["documents"][0]["source"] == "-"
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "c.html").write_text(f"<html><body><main><p>{GOOD}</p></main></body></html>", encoding="utf-8")
    (tmp_path / "notes.xyz").write_text("ignored when walking", encoding="utf-8")
    proc = run("check", str(tmp_path), "--format", "json", "--fail-on", "none")
    sources = sorted(Path(d["source"]).name for d in json.loads(proc.stdout)["documents"])
    assert sources == ["b.md", "c.html"]


def test_unreadable_inputs_get_a_status_line_and_the_run_continues(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    proc = run("check", str(tmp_path / "empty.txt"), str(tmp_path / "good.txt"), str(tmp_path / "missing.txt"),
               "--format", "json", "--fail-on", "none")
    assert proc.returncode == 2
    docs = json.loads(proc.stdout)["documents"]
    assert [d["status"] for d in docs] == ["unreadable", "checked", "unreadable"]
    err = proc.stderr.decode()
    assert "empty.txt: unreadable" in err and "missing.txt: unreadable" in err
    assert len([line for line in err.splitlines() if "unreadable" in line]) == 2


def test_bad_option_is_a_usage_error(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    proc = run("check", str(tmp_path / "a.txt"), "--age-range", "eleven")
    assert proc.returncode == 2 and b"age range" in proc.stderr


def test_text_report_lists_sections_and_findings(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    out = run("check", str(tmp_path / "a.txt"), "--as-of", "2026-11-24", "--no-color").stdout.decode()
    assert "Why data is used" in out and "line 3" in out
    assert "retention-missing" in out and "fix:" in out
