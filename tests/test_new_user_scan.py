"""What a new user met with `noticecheck scan` (issue 12), each pinned by a test that failed before its fix:
reasons in plain English (the raw exception only with --verbose), one closing note when every school failed
for the same reason, naming the option that would change it."""

from __future__ import annotations

import socket
import sqlite3

import pytest

from cli_helpers import run

pytestmark = pytest.mark.slow


def _closed_port(address: str) -> int:
    """A port on `address` that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind((address, 0))
        return sock.getsockname()[1]


def _school_list(tmp_path, hosts: list[tuple[str, int]]):
    rows = ["name,website,urn"] + [f"School {i},http://{h}:{p}/,{900001 + i}" for i, (h, p) in enumerate(hosts)]
    path = tmp_path / "schools.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _scan(tmp_path, school_list, *extra):
    return run("scan", str(school_list), "--db", str(tmp_path / "h.sqlite"), "--out", str(tmp_path / "out"),
               "--per-host-interval", "0", "--retries", "0", "--timeout", "5", "--quiet", *extra)


def _reasons(tmp_path) -> list[tuple[str, str]]:
    con = sqlite3.connect(tmp_path / "h.sqlite")
    try:
        return con.execute("SELECT status, error FROM schools ORDER BY school_key").fetchall()
    finally:
        con.close()


def test_an_unreachable_school_has_a_plain_english_reason_and_the_detail_goes_to_verbose(tmp_path):
    port = _closed_port("127.0.0.5")
    school_list = _school_list(tmp_path, [("127.0.0.5", port)])
    result = _scan(tmp_path, school_list, "--allow-network", "127.0.0.0/8")
    assert result.exit_code == 0, result.stderr
    [(status, reason)] = _reasons(tmp_path)
    assert status == "unreachable"
    assert f"connection refused by 127.0.0.5:{port}" in reason
    for noise in ("Error(", "Errno", "HTTPConnection", "host='"):
        assert noise not in reason
    assert "Errno 111" not in result.stderr

    (tmp_path / "h.sqlite").unlink()
    verbose = _scan(tmp_path, school_list, "--allow-network", "127.0.0.0/8", "--verbose")
    assert verbose.exit_code == 0
    assert "Connection refused" in verbose.stderr and "127.0.0.5" in verbose.stderr


def test_when_every_school_fails_the_same_way_the_scan_says_so_once_with_the_option_that_would_change_it(tmp_path):
    school_list = _school_list(tmp_path, [("127.0.0.5", 8089), ("127.0.0.6", 8089), ("127.0.0.7", 8089)])
    result = _scan(tmp_path, school_list)  # no --allow-network: loopback addresses are refused
    assert result.exit_code == 0
    statuses = {status for status, _ in _reasons(tmp_path)}
    assert statuses == {"unreachable"}
    output = result.stdout + result.stderr
    assert output.count("All 3 schools") == 1
    assert "--allow-network 127.0.0.0/8" in output


def test_no_closing_note_when_schools_fail_for_different_reasons(tmp_path):
    port = _closed_port("127.0.0.5")
    school_list = _school_list(tmp_path, [("127.0.0.5", port), ("127.0.0.9", 8089)])
    # 127.0.0.5 is allowed (connection refused), 127.0.0.9 is not (refused as loopback, never contacted)
    result = _scan(tmp_path, school_list, "--allow-network", "127.0.0.5/32")
    assert result.exit_code == 0
    assert "All 2 schools" not in result.stdout + result.stderr
