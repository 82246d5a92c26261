"""`noticecheck check URL`: one notice fetched from a real loopback server, refused when private."""

from datetime import date

import pytest

from loopback import LoopbackServer, Reply, html
from noticecheck.api import CheckOptions, check_document
from noticecheck.fetch.http import FetchPolicy
from noticecheck.fetch.single import fetch_document, is_url
from noticecheck.model import UnreadableInput
from noticecheck.rulebook import default_rulebook

NOTICE = "<html><body><main><h1>Privacy notice</h1><p>We use pupil data to support learning. Data Protection Act 1998.</p></main></body></html>"


def test_is_url():
    assert is_url("https://example.org/x") and is_url("HTTP://x") and not is_url("notice.txt")


def test_fetches_and_checks_a_notice_from_an_allowed_loopback_site():
    with LoopbackServer({"/privacy-notice": html(NOTICE)}) as site:
        doc = fetch_document(site.url("/privacy-notice"), policy=FetchPolicy(allowed_networks=("127.0.0.1/32",), per_host_interval=0, per_ip_interval=0))
        assert "/robots.txt" in site.paths()  # robots.txt is honoured for single checks too
    result = check_document(doc, default_rulebook(), CheckOptions(), today=date(2026, 11, 24))
    assert result.source.endswith("/privacy-notice")
    assert "outdated-dpa-1998" in {f.rule for f in result.findings}


def test_private_addresses_are_refused_by_default():
    with LoopbackServer({"/": html(NOTICE)}, host="127.0.0.2") as site:
        with pytest.raises(UnreadableInput, match="a loopback address .*--allow-private"):
            fetch_document(site.url("/"), policy=FetchPolicy(allowed_networks=("127.0.0.1/32",)))
        assert site.requests == []  # the guard refused before any connection


def test_http_errors_become_unreadable_input():
    with LoopbackServer({"/gone": Reply(status=404, body="no")}) as site:
        with pytest.raises(UnreadableInput, match="HTTP 404"):
            fetch_document(site.url("/gone"), policy=FetchPolicy(allowed_networks=("127.0.0.1/32",), retries=0))


@pytest.mark.slow
def test_check_command_takes_a_url(tmp_path):
    import json
    import subprocess
    import sys

    with LoopbackServer({"/privacy-notice": html(NOTICE)}) as site:
        cmd = [sys.executable, "-m", "noticecheck.cli", "check", site.url("/privacy-notice"), "--format", "json", "--fail-on", "none"]
        refused = subprocess.run(cmd, capture_output=True, timeout=60)
        allowed = subprocess.run(cmd + ["--allow-private"], capture_output=True, timeout=60)
    assert refused.returncode == 2 and b"--allow-private" in refused.stderr
    doc = json.loads(allowed.stdout)["documents"][0]
    assert allowed.returncode == 0 and doc["status"] == "checked" and doc["source"] == site.url("/privacy-notice")
    assert any(f["rule"] == "outdated-dpa-1998" for f in doc["findings"])
