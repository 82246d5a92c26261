"""A scan of a school served over HTTPS on loopback: `--ca-bundle` lets the scanner trust a private
certificate, and without it the certificate is refused (verification is never turned off)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from loopback import LoopbackServer, html, self_signed_certificate

from noticecheck.cli import main
from noticecheck.demo.documents import to_html_fragment
from noticecheck.demo.notices import built_in
from noticecheck.scan.store import Store

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")


def _scan(school_list: Path, db: Path, *extra: str):
    result = CliRunner().invoke(main, [
        "scan", str(school_list), "--db", str(db), "--out", str(db.parent / "reports"), "--allow-network", "127.0.0.1/32",
        "--per-host-interval", "0", "--retries", "0", "--as-of", "2026-11-24", "--quiet", "--jobs", "1", *extra])  # fmt: skip
    assert result.exit_code == 0, result.output + result.stderr
    with Store(db) as store:
        return store.load_run(1).schools[0]


def test_https_school_is_scanned_with_a_ca_bundle_and_refused_without(tmp_path):
    cert, key = self_signed_certificate(tmp_path, addresses=["127.0.0.1"])
    notice = to_html_fragment(built_in("current-pupils").for_school("Secure Primary"))
    routes = {"/": html('<h1>Secure Primary</h1><a href="/privacy-notice/">Privacy notice</a>'),
              "/privacy-notice/": html(f"<h1>Privacy notice for pupils</h1>{notice}")}  # fmt: skip
    with LoopbackServer(routes, tls=(cert, key)) as site:
        assert site.base_url.startswith("https://")
        school_list = tmp_path / "schools.csv"
        school_list.write_text(f"name,website,urn\nSecure Primary,{site.url('/')},900001\n", encoding="utf-8")
        (tmp_path / "trusted").mkdir()
        (tmp_path / "refused").mkdir()
        trusted = _scan(school_list, tmp_path / "trusted" / "scan.sqlite", "--ca-bundle", cert)
        refused = _scan(school_list, tmp_path / "refused" / "scan.sqlite")
    assert trusted.status == "checked"
    assert [n.url for n in trusted.notices] == [site.url("/privacy-notice/")]
    # the https address failed verification; discovery's plain-http try (an https server there) fails too
    assert refused.status == "unreachable" and refused.notices == ()
