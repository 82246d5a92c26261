"""What a new user met with `noticecheck check` (issue 12), each pinned by a test that failed before its fix:
URL sources kept as URLs in every format, a --severity override covering every finding of its rule, and a
directory with nothing checkable failing the gate instead of passing it."""

from __future__ import annotations

import json
import socket
from datetime import date

import pytest

from cli_helpers import run
from noticecheck.api import CheckOptions
from noticecheck.gate.config import Config, select_rules
from noticecheck.gate.report.formats import Report, render
from noticecheck.gate.run import Gate
from noticecheck.model import Document

URL = "http://127.0.0.2:8081/policies/privacy-notice.html"
NOTICE = "# Privacy notice\n\nWe comply with the Data Protection Act 1998.\n"


@pytest.fixture(scope="module")
def url_report() -> Report:
    gate = Gate(selection=select_rules(Config()), options=CheckOptions(), today=date(2026, 6, 1))
    outcome = gate.check_doc(Document(source=URL, data=NOTICE.encode(), filename="privacy-notice.md"))
    assert outcome.findings
    return Report(outcomes=(outcome,), rulebook=gate.selection.selected)


def test_concise_keeps_a_url_source_whole(url_report):
    lines = render("concise", url_report).splitlines()
    assert lines[0].startswith(URL + ":")
    assert "http:/127" not in render("concise", url_report)


def test_sarif_gives_a_url_source_as_an_absolute_uri_without_a_base(url_report):
    sarif = json.loads(render("sarif", url_report))
    for result in sarif["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location == {"uri": URL}


def test_github_annotations_keep_a_url_source(url_report):
    out = render("github", url_report)
    # properties escape ":" as %3A, so the URL appears escaped but not mangled
    assert "file=http%3A//127.0.0.2%3A8081/policies/privacy-notice.html" in out
    assert "http%3A/127" not in out


def test_a_severity_override_covers_the_no_date_case(tmp_path):
    # review-date-stale has missing_severity: info for a notice with no date at all
    (tmp_path / "undated.md").write_text(NOTICE, encoding="utf-8")
    args = ("check", str(tmp_path / "undated.md"), "--format", "json", "--select", "review-date-stale", "--isolated")
    before = json.loads(run(*args, "--fail-on", "none").stdout)["documents"][0]["findings"]
    assert [f["severity"] for f in before] == ["info"]
    result = run(*args, "--severity", "review-date-stale=error")
    findings = json.loads(result.stdout)["documents"][0]["findings"]
    assert [(f["rule"], f["severity"]) for f in findings] == [("review-date-stale", "error")]
    assert result.exit_code == 1


def test_a_severity_override_in_config_covers_the_no_date_case(tmp_path):
    (tmp_path / "noticecheck.toml").write_text('select = ["review-date-stale"]\n[severity]\nreview-date-stale = "warning"\n')
    (tmp_path / "undated.md").write_text(NOTICE, encoding="utf-8")
    result = run("check", "undated.md", "--format", "json", "--fail-on", "none", cwd_path=tmp_path)
    assert [f["severity"] for f in json.loads(result.stdout)["documents"][0]["findings"]] == ["warning"]


def test_a_directory_with_nothing_checkable_fails_and_names_what_it_skipped(tmp_path):
    notices = tmp_path / "notices"
    notices.mkdir()
    (notices / "privacy.doc").write_bytes(b"\xd0\xcf\x11\xe0 legacy word")
    (notices / "scan.jpg").write_bytes(b"\xff\xd8\xff")
    result = run("check", "notices", cwd_path=tmp_path)
    assert result.exit_code == 2
    assert "no notices found in notices/" in result.stderr
    assert "1 .doc — save it as .docx or PDF" in result.stderr
    assert "notices/privacy.doc" in result.stderr and "notices/scan.jpg" in result.stderr


def test_skipped_files_are_named_even_when_others_are_checked(tmp_path):
    (tmp_path / "ok.md").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    result = run("check", str(tmp_path), "--fail-on", "none")
    assert result.exit_code == 0
    assert "old.doc" in result.stderr and "save it as .docx or PDF" in result.stderr


def test_a_refused_private_url_names_the_option_that_would_fetch_it():
    # 127.0.0.9 is loopback: refused before any connection is made
    result = run("check", "http://127.0.0.9:8089/privacy.html")
    assert result.exit_code == 2
    assert "--allow-private" in result.stderr
    assert "refused-private:" not in result.stderr  # an outcome code is not a reason


def test_check_verbose_logs_the_error_behind_a_plain_reason():
    with socket.socket() as sock:  # a loopback port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/privacy.html"
    plain = run("check", url, "--allow-private")
    assert f"connection refused by 127.0.0.1:{port}" in plain.stderr and "Errno" not in plain.stderr
    verbose = run("check", url, "--allow-private", "--verbose")
    assert "Connection refused" in verbose.stderr
